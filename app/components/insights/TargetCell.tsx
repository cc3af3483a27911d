// A row's targets in a table cell: each target in effect on the window's last day with where the
// row's interval stands against it (wholly above, wholly below, across; app/cem/targets.ts).
import type { InsightRow } from "~/cem/insights";
import { rowTargetChecks, shownTargetValue, type Target, type TargetCheck, type TargetMetric, type TargetStatus, type TargetUnit } from "~/cem/targets";
import type { MessageKey } from "~/i18n/messages";
import { useLang, useT } from "~/i18n/use-t";
import { formatNumber, type NumberStyle } from "~/i18n/format";

const STYLE: Record<TargetMetric, NumberStyle> = { gap: "gap", nps: "score", csat: "share", ces: "mean" };
const MARK: Record<TargetStatus, string> = { above: "▲", below: "▼", across: "↔" };

/** The target unit and key of a table row, or null where targets do not apply (dimensions). */
export function targetUnitOf(by: string, ref: { process?: string; touchpoint?: string; attribute?: string }): { unit: TargetUnit; key: string } | null {
  if (by === "process" && ref.process) return { unit: "process", key: ref.process };
  if (by === "touchpoint" && ref.touchpoint) return { unit: "touchpoint", key: ref.touchpoint };
  if (by === "attribute" && ref.touchpoint && ref.attribute) return { unit: "attribute", key: `${ref.touchpoint}/${ref.attribute}` };
  return null;
}

/** One target as text: "NPS 0,0" (CSAT as a share shows in per cent). */
export function targetText(target: Target, lang: "es" | "en"): string {
  const value = target.metric === "csat" ? target.value : shownTargetValue(target.metric, target.value);
  return formatNumber(value, STYLE[target.metric], lang);
}

/** One target and where the interval stands against it, as a line of text (colour is only a second cue). */
export function TargetStatusText({ metric, check }: { metric: TargetMetric; check: TargetCheck }) {
  const t = useT();
  const lang = useLang();
  const status = check.status;
  const label = status ? t(`targets.status.${status}` as MessageKey) : t("targets.status.none");
  return (
    <span className={`ins-target ${status ? `ins-target-${status}` : ""}`} data-target-metric={metric} data-target-status={status ?? "none"} title={label}>
      {t(`home.metric.${metric}` as MessageKey)} {targetText(check.target, lang)}: {status ? <span aria-hidden="true">{MARK[status]} </span> : null}
      {label}
    </span>
  );
}

export function TargetCell({ targets, unit, row, day }: { targets: readonly Target[]; unit: { unit: TargetUnit; key: string } | null; row: Pick<InsightRow, "gap" | "nps" | "csat" | "ces">; day: string }) {
  const checks = unit ? Object.entries(rowTargetChecks(targets, unit.unit, unit.key, row, day)) : [];
  if (checks.length === 0) return <td className="muted">—</td>;
  return (
    <td className="ins-targets">
      {checks.map(([metric, check]) => (
        <TargetStatusText key={metric} metric={metric as TargetMetric} check={check!} />
      ))}
    </td>
  );
}
