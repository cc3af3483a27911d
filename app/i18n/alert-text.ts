// An alert's finding said in a language: one sentence with its figures, n and interval, the same on
// the notifications page and in the e-mail (which is written on the server, in the member's language).
import type { AlertFinding } from "~/cem/alerts";
import type { HomeUnit } from "~/cem/home-findings";
import type { Estimate, TargetMetric } from "~/cem/targets";
import { formatDateTime, formatInterval, formatNumber, type NumberStyle } from "./format";
import type { Lang } from "./lang";
import type { MessageKey, Translate } from "./messages";

export const METRIC_STYLE: Record<TargetMetric, NumberStyle> = { gap: "gap", nps: "score", csat: "share", ces: "mean" };

/** "−2,05 [−2,31; −1,79] n=96": never a number without its n. */
export function estimateText(e: Estimate | null, style: NumberStyle, lang: Lang): string {
  if (!e) return "—";
  const interval = formatInterval(e.lo, e.hi, style, lang);
  return `${formatNumber(e.value, style, lang)}${interval ? ` ${interval}` : ""} n=${formatNumber(e.n, "int", lang)}`;
}

export function unitText(t: Translate, unit: HomeUnit): string {
  return `${t(`home.unit.${unit.kind}` as MessageKey)} «${unit.name}»`;
}

export function findingText(t: Translate, lang: Lang, finding: AlertFinding, timeZone = "UTC"): string {
  switch (finding.kind) {
    case "drop": {
      const style = METRIC_STYLE[finding.metric];
      return t("finding.drop", {
        metric: t(`home.metric.${finding.metric}`),
        unit: unitText(t, finding.unit),
        difference: formatNumber(finding.difference, style, lang),
        interval: formatInterval(finding.lo, finding.hi, style, lang),
        now: estimateText(finding.now, style, lang),
        q: formatNumber(finding.q, "p", lang),
      });
    }
    case "target":
      return t("finding.target", {
        metric: t(`home.metric.${finding.metric}`),
        unit: unitText(t, finding.unit),
        target: formatNumber(finding.target, METRIC_STYLE[finding.metric], lang),
        estimate: estimateText(finding.estimate, METRIC_STYLE[finding.metric], lang),
      });
    case "detractors":
      return t("finding.detractors", {
        unit: unitText(t, finding.unit),
        before: `${formatNumber(finding.before.value, "share", lang)} (n=${formatNumber(finding.before.n, "int", lang)})`,
        now: `${formatNumber(finding.now.value, "share", lang)} (n=${formatNumber(finding.now.n, "int", lang)})`,
        q: formatNumber(finding.q, "p", lang),
      });
    case "overdue":
      return t("finding.overdue", {
        id: finding.caseId,
        touchpoint: finding.touchpointName ?? t("finding.noTouchpoint"),
        due: formatDateTime(new Date(finding.dueAt), { lang, timeZone }),
      });
  }
}
