// The settings forms for closed-loop cases: which responses open a case (app/cem/case-rules.ts) and the
// SLA hours by tier with optional business hours (app/cem/sla.ts).
import { Form } from "@remix-run/react";
import type { CaseRuleSettings } from "~/cem/case-rules";
import type { SlaSettings } from "~/cem/sla";
import { Field } from "~/components/Field";
import type { MessageKey } from "~/i18n/messages";
import { useT } from "~/i18n/use-t";

export type FormFeedback = { intent: string; ok: boolean; errors: Record<string, string> } | undefined;

function errorsOf(feedback: FormFeedback, intent: string): Record<string, string> {
  return feedback && !feedback.ok && feedback.intent === intent ? feedback.errors : {};
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
  const errors = errorsOf(feedback, "rules");
  return (
    <Form method="post" className="card stack" aria-labelledby="rules-title">
      <h3 id="rules-title">{t("act.settings.rules")}</h3>
      <p className="muted">{t("act.settings.rulesIntro")}</p>
      <Saved feedback={feedback} intent="rules" />
      <input type="hidden" name="intent" value="rules" />
      <label className="check" htmlFor="r-detractor">
        <input id="r-detractor" type="checkbox" name="detractor" defaultChecked={rules.detractor.enabled} />
        {t("act.settings.ruleDetractor")}
      </label>
      <div className="row">
        <label className="check" htmlFor="r-gap">
          <input id="r-gap" type="checkbox" name="gap" defaultChecked={rules.gap.enabled} />
          {t("act.settings.ruleGap")}
        </label>
        <Field
          label={t("act.settings.gapThreshold")}
          name="gapThreshold"
          id="r-gap-threshold"
          type="number"
          step="0.5"
          max="0"
          min="-10"
          defaultValue={String(rules.gap.threshold)}
          error={errors.gapThreshold}
        />
      </div>
      <label className="check" htmlFor="r-csat">
        <input id="r-csat" type="checkbox" name="lowCsat" defaultChecked={rules.lowCsat.enabled} />
        {t("act.settings.ruleCsat")}
      </label>
      <label className="check" htmlFor="r-keywords">
        <input id="r-keywords" type="checkbox" name="keywords" defaultChecked={rules.keywords.enabled} />
        {t("act.settings.ruleKeywords")}
      </label>
      <label htmlFor="r-words">
        {t("act.settings.keywords")}
        <textarea
          id="r-words"
          name="words"
          rows={3}
          defaultValue={rules.keywords.words.join("\n")}
          aria-describedby="r-words-hint"
          aria-invalid={errors.words ? true : undefined}
        />
        <span id="r-words-hint" className="muted">
          {t("act.settings.keywordsHint")}
        </span>
        {errors.words ? <span className="field-error">{errors.words}</span> : null}
      </label>
      <p>
        <button type="submit">{t("act.settings.save")}</button>
      </p>
    </Form>
  );
}

const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;

export function SlaForm({ sla, feedback }: { sla: SlaSettings; feedback: FormFeedback }) {
  const t = useT();
  const errors = errorsOf(feedback, "sla");
  const hours = sla.businessHours;
  return (
    <Form method="post" className="card stack" aria-labelledby="sla-title">
      <h3 id="sla-title">{t("act.settings.sla")}</h3>
      <p className="muted">{t("act.settings.slaIntro")}</p>
      <Saved feedback={feedback} intent="sla" />
      <input type="hidden" name="intent" value="sla" />
      <div className="row">
        {(["premium", "regular", "generic"] as const).map((tier) => (
          <Field
            key={tier}
            label={t("act.settings.slaHours", { tier: t(`crm.tier.${tier}` as MessageKey) })}
            name={tier}
            id={`sla-${tier}`}
            type="number"
            min="1"
            max="720"
            step="1"
            required
            defaultValue={String(sla.hoursByTier[tier])}
            error={errors[tier]}
          />
        ))}
      </div>
      <fieldset>
        <legend>{t("act.settings.businessHours")}</legend>
        <label className="check" htmlFor="bh-on">
          <input id="bh-on" type="checkbox" name="businessHours" defaultChecked={hours !== null} />
          {t("act.settings.businessHoursOn")}
        </label>
        <div className="checks" role="group" aria-label={t("act.settings.days")}>
          {WEEKDAYS.map((day) => (
            <label key={day} className="check" htmlFor={`bh-day-${day}`}>
              <input id={`bh-day-${day}`} type="checkbox" name="days" value={day} defaultChecked={(hours?.days ?? [1, 2, 3, 4, 5]).includes(day)} />
              {t(`act.weekday.${day}` as MessageKey)}
            </label>
          ))}
        </div>
        {errors.days ? <p className="field-error">{errors.days}</p> : null}
        <div className="row">
          <Field label={t("act.settings.start")} name="start" id="bh-start" type="time" defaultValue={hours?.start ?? "09:00"} error={errors.start} />
          <Field label={t("act.settings.end")} name="end" id="bh-end" type="time" defaultValue={hours?.end ?? "18:00"} error={errors.end} />
          <Field
            label={t("act.settings.utcOffset")}
            name="utcOffset"
            id="bh-offset"
            type="number"
            step="0.25"
            min="-14"
            max="14"
            defaultValue={String((hours?.utcOffsetMinutes ?? 0) / 60)}
            error={errors.utcOffset}
          />
        </div>
      </fieldset>
      <p>
        <button type="submit">{t("act.settings.save")}</button>
      </p>
    </Form>
  );
}
