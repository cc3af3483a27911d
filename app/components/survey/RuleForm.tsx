// One deployment rule as an editable form (or a new one): event type, touchpoint, delay, sampling in
// percent, quiet period, expiry and cap, checked by the rule's schema in the browser and on the server.
import { getFormProps, type SubmissionResult } from "@conform-to/react";
import { Form } from "@remix-run/react";
import { RuleInputSchema } from "~/cem/deployment-rule-input";
import { Field } from "~/components/Field";
import { FormErrors } from "~/components/form/fields";
import { useSchemaForm } from "~/components/form/use-schema-form";
import type { DeploymentRuleRow } from "~/data/deployments.server";
import { useT } from "~/i18n/use-t";

const num = (n: number | null | undefined) => (n === null || n === undefined ? "" : String(n));

export function RuleForm({
  idPrefix,
  rule,
  deploymentId,
  lastResult,
  canEdit,
  touchpointKey,
}: {
  idPrefix: string;
  rule: DeploymentRuleRow | null;
  deploymentId: number;
  /** The action's reply to this form: its messages and what was typed. */
  lastResult?: SubmissionResult<string[]> | null;
  canEdit: boolean;
  touchpointKey: string;
}) {
  const t = useT();
  const [form, fields] = useSchemaForm(RuleInputSchema, {
    id: idPrefix,
    lastResult,
    defaultValue: {
      eventType: rule?.eventType ?? "",
      touchpointKey: rule ? (rule.touchpointKey ?? "") : touchpointKey,
      delayMinutes: num(rule?.delayMinutes ?? 60),
      samplingPercent: num(rule ? Math.round(rule.samplingRate * 1000) / 10 : 100),
      quietPeriodDays: num(rule?.quietPeriodDays ?? 30),
      expiryHours: num(rule?.expiryHours ?? 72),
      capMax: num(rule?.capMax),
      capPeriodDays: num(rule?.capPeriodDays),
      active: (rule?.active ?? true) ? "on" : "",
    },
  });
  // The ids stay the rule's own (idPrefix): labels and the browser tests name them.
  const field = (name: keyof typeof fields, suffix: string) => ({
    name,
    id: `${idPrefix}-${suffix}`,
    defaultValue: String(fields[name].initialValue ?? ""),
    error: fields[name].errors?.[0],
    readOnly: !canEdit,
  });
  return (
    <Form method="post" className="stack card" data-rule={rule?.id ?? "new"} {...getFormProps(form)} noValidate>
      <FormErrors form={form} />
      <input type="hidden" name="deploymentId" value={deploymentId} />
      {rule ? <input type="hidden" name="ruleId" value={rule.id} /> : null}
      <div className="rule-grid">
        <Field key={fields.eventType.key} label={t("surveys.rule.eventType")} {...field("eventType", "event")} placeholder="purchase" />
        <Field key={fields.touchpointKey.key} label={t("surveys.rule.touchpointKey")} {...field("touchpointKey", "tp")} />
        <Field key={fields.delayMinutes.key} label={t("surveys.rule.delayMinutes")} {...field("delayMinutes", "delay")} type="number" min={0} />
        <Field key={fields.samplingPercent.key} label={t("surveys.rule.samplingPercent")} {...field("samplingPercent", "sampling")} type="number" min={0} max={100} step="any" />
        <Field key={fields.quietPeriodDays.key} label={t("surveys.rule.quietPeriodDays")} {...field("quietPeriodDays", "quiet")} type="number" min={0} />
        <Field key={fields.expiryHours.key} label={t("surveys.rule.expiryHours")} {...field("expiryHours", "expiry")} type="number" min={1} />
        <Field key={fields.capMax.key} label={t("surveys.rule.capMax")} {...field("capMax", "capmax")} type="number" min={0} />
        <Field key={fields.capPeriodDays.key} label={t("surveys.rule.capPeriodDays")} {...field("capPeriodDays", "capdays")} type="number" min={1} />
      </div>
      <div className="row" style={{ justifyContent: "space-between", alignItems: "center" }}>
        <label className="check">
          <input key={fields.active.key} type="checkbox" name="active" defaultChecked={fields.active.initialValue === "on"} disabled={!canEdit} /> {t("surveys.rule.active")}
        </label>
        {canEdit ? (
          <div className="actions">
            <button type="submit" name="intent" value={rule ? "updateRule" : "addRule"} className={rule ? "secondary small" : "small"}>
              {rule ? t("surveys.rule.save") : t("surveys.rule.add")}
            </button>
            {rule ? (
              <button type="submit" name="intent" value="deleteRule" className="danger small" formNoValidate>
                {t("surveys.rule.delete")}
              </button>
            ) : null}
          </div>
        ) : null}
      </div>
    </Form>
  );
}
