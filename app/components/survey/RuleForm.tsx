// One deployment rule as an editable form (or a new one): event type, touchpoint, delay, sampling in
// percent, quiet period, expiry and cap, with each field's error from the server.
import { Form } from "@remix-run/react";
import { Field } from "~/components/Field";
import type { DeploymentRuleRow } from "~/data/deployments.server";
import { useT } from "~/i18n/use-t";

type Fields = Record<string, string>;

export function RuleForm({
  idPrefix,
  rule,
  deploymentId,
  fields,
  values,
  canEdit,
  touchpointKey,
}: {
  idPrefix: string;
  rule: DeploymentRuleRow | null;
  deploymentId: number;
  fields: Fields;
  values?: Fields;
  canEdit: boolean;
  touchpointKey: string;
}) {
  const t = useT();
  const v = (name: string, fallback: string) => values?.[name] ?? fallback;
  const num = (n: number | null | undefined) => (n === null || n === undefined ? "" : String(n));
  return (
    <Form method="post" className="stack card" data-rule={rule?.id ?? "new"}>
      <input type="hidden" name="deploymentId" value={deploymentId} />
      {rule ? <input type="hidden" name="ruleId" value={rule.id} /> : null}
      <div className="rule-grid">
        <Field label={t("surveys.rule.eventType")} name="eventType" id={`${idPrefix}-event`} required defaultValue={v("eventType", rule?.eventType ?? "")} placeholder="purchase" error={fields.eventType} readOnly={!canEdit} />
        <Field label={t("surveys.rule.touchpointKey")} name="touchpointKey" id={`${idPrefix}-tp`} defaultValue={v("touchpointKey", rule ? (rule.touchpointKey ?? "") : touchpointKey)} error={fields.touchpointKey} readOnly={!canEdit} />
        <Field label={t("surveys.rule.delayMinutes")} name="delayMinutes" id={`${idPrefix}-delay`} type="number" min={0} required defaultValue={v("delayMinutes", num(rule?.delayMinutes ?? 60))} error={fields.delayMinutes} readOnly={!canEdit} />
        <Field label={t("surveys.rule.samplingPercent")} name="samplingPercent" id={`${idPrefix}-sampling`} type="number" min={0} max={100} step="any" required defaultValue={v("samplingPercent", num(rule ? Math.round(rule.samplingRate * 1000) / 10 : 100))} error={fields.samplingPercent} readOnly={!canEdit} />
        <Field label={t("surveys.rule.quietPeriodDays")} name="quietPeriodDays" id={`${idPrefix}-quiet`} type="number" min={0} required defaultValue={v("quietPeriodDays", num(rule?.quietPeriodDays ?? 30))} error={fields.quietPeriodDays} readOnly={!canEdit} />
        <Field label={t("surveys.rule.expiryHours")} name="expiryHours" id={`${idPrefix}-expiry`} type="number" min={1} required defaultValue={v("expiryHours", num(rule?.expiryHours ?? 72))} error={fields.expiryHours} readOnly={!canEdit} />
        <Field label={t("surveys.rule.capMax")} name="capMax" id={`${idPrefix}-capmax`} type="number" min={0} defaultValue={v("capMax", num(rule?.capMax))} error={fields.capMax} readOnly={!canEdit} />
        <Field label={t("surveys.rule.capPeriodDays")} name="capPeriodDays" id={`${idPrefix}-capdays`} type="number" min={1} defaultValue={v("capPeriodDays", num(rule?.capPeriodDays))} error={fields.capPeriodDays} readOnly={!canEdit} />
      </div>
      <div className="row" style={{ justifyContent: "space-between", alignItems: "center" }}>
        <label className="check">
          <input type="checkbox" name="active" defaultChecked={values ? values.active === "on" : (rule?.active ?? true)} disabled={!canEdit} /> {t("surveys.rule.active")}
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
