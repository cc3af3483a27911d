// The settings forms for closed-loop cases: which responses open a case (app/cem/case-rules.ts) and the
// SLA hours by tier with optional business hours (app/cem/sla.ts).
import { getFormProps, type SubmissionResult } from "@conform-to/react";
import { Form } from "@remix-run/react";
import { CheckboxChoices, CheckboxField, FieldsetField, FormErrors, TextField } from "~/components/form/fields";
import { useSchemaForm } from "~/components/form/use-schema-form";
import { CaseRulesSchema, SlaSchema } from "./settings-schemas";
import type { CaseRuleSettings } from "~/cem/case-rules";
import type { SlaSettings } from "~/cem/sla";
import type { MessageKey } from "~/i18n/messages";
import { useT } from "~/i18n/use-t";

export type FormFeedback = { intent: string; ok: boolean; errors: Record<string, string>; reply?: SubmissionResult<string[]> } | undefined;

/** The conform reply for the form of `intent`, when that form was the one posted. */
export function replyFor(feedback: FormFeedback, intent: string) {
  return feedback && feedback.intent === intent ? feedback.reply : undefined;
}


export function Saved({ feedback, intent }: { feedback: FormFeedback; intent: string }) {
  const t = useT();
  if (!feedback || feedback.intent !== intent) return null;
  if (feedback.ok) {
    return (
      <p className="notice" role="status">
        {t("act.settings.saved")}
      </p>
    );
  }
  return feedback.errors._form ? (
    <p className="notice error" role="alert">
      {feedback.errors._form}
    </p>
  ) : (
    <p className="notice error" role="alert">
      {t("act.settings.fix")}
    </p>
  );
}

export function CaseRulesForm({ rules, feedback }: { rules: CaseRuleSettings; feedback: FormFeedback }) {
  const t = useT();
  const [form, fields] = useSchemaForm(CaseRulesSchema, {
    id: "r",
    lastResult: replyFor(feedback, "rules"),
    defaultValue: {
      detractor: rules.detractor.enabled ? "on" : "",
      gap: rules.gap.enabled ? "on" : "",
      gapThreshold: String(rules.gap.threshold),
      lowCsat: rules.lowCsat.enabled ? "on" : "",
      keywords: rules.keywords.enabled ? "on" : "",
      words: rules.keywords.words.join("\n"),
    },
  });
  return (
    <Form method="post" className="card stack" aria-labelledby="rules-title" {...getFormProps(form)} noValidate>
      <h3 id="rules-title">{t("act.settings.rules")}</h3>
      <p className="muted">{t("act.settings.rulesIntro")}</p>
      <Saved feedback={feedback} intent="rules" />
      <FormErrors form={form} />
      <input type="hidden" name="intent" value="rules" />
      <CheckboxField field={fields.detractor} label={t("act.settings.ruleDetractor")} />
      <div className="row">
        <CheckboxField field={fields.gap} label={t("act.settings.ruleGap")} />
        <TextField label={t("act.settings.gapThreshold")} field={fields.gapThreshold} type="number" step="0.5" />
      </div>
      <CheckboxField field={fields.lowCsat} label={t("act.settings.ruleCsat")} />
      <CheckboxField field={fields.keywords} label={t("act.settings.ruleKeywords")} />
      <TextField label={t("act.settings.keywords")} field={fields.words} multiline rows={3} hint={t("act.settings.keywordsHint")} />
      <p>
        <button type="submit">{t("act.settings.save")}</button>
      </p>
    </Form>
  );
}

const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;

export function SlaForm({ sla, feedback }: { sla: SlaSettings; feedback: FormFeedback }) {
  const t = useT();
  const hours = sla.businessHours;
  const [form, fields] = useSchemaForm(SlaSchema, {
    id: "sla",
    lastResult: replyFor(feedback, "sla"),
    defaultValue: {
      premium: String(sla.hoursByTier.premium),
      regular: String(sla.hoursByTier.regular),
      generic: String(sla.hoursByTier.generic),
      businessHours: hours ? "on" : "",
      days: (hours?.days ?? [1, 2, 3, 4, 5]).map(String),
      start: hours?.start ?? "09:00",
      end: hours?.end ?? "18:00",
      utcOffset: String((hours?.utcOffsetMinutes ?? 0) / 60),
    },
  });
  const weekdays = WEEKDAYS.map((day) => ({ value: String(day), label: t(`act.weekday.${day}` as MessageKey) }));
  return (
    <Form method="post" className="card stack" aria-labelledby="sla-title" {...getFormProps(form)} noValidate>
      <h3 id="sla-title">{t("act.settings.sla")}</h3>
      <p className="muted">{t("act.settings.slaIntro")}</p>
      <Saved feedback={feedback} intent="sla" />
      <FormErrors form={form} />
      <input type="hidden" name="intent" value="sla" />
      <div className="row">
        {(["premium", "regular", "generic"] as const).map((tier) => (
          <TextField key={tier} label={t("act.settings.slaHours", { tier: t(`crm.tier.${tier}` as MessageKey) })} field={fields[tier]} type="number" step="1" />
        ))}
      </div>
      <FieldsetField field={fields.days} legend={t("act.settings.businessHours")}>
        <CheckboxField field={fields.businessHours} label={t("act.settings.businessHoursOn")} />
        <div role="group" aria-label={t("act.settings.days")}>
          <CheckboxChoices field={fields.days} options={weekdays} className="checks" />
        </div>
        <div className="row">
          <TextField label={t("act.settings.start")} field={fields.start} type="time" />
          <TextField label={t("act.settings.end")} field={fields.end} type="time" />
          <TextField label={t("act.settings.utcOffset")} field={fields.utcOffset} type="number" step="0.25" />
        </div>
      </FieldsetField>
      <p>
        <button type="submit">{t("act.settings.save")}</button>
      </p>
    </Form>
  );
}
