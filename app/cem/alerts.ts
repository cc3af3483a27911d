// Alerts: what a rule watches (a significant drop, a target breached, a significant rise in
// detractors, a case past its SLA), over which part of the model, and how the home's findings turn
// into occurrences with a stable key, so each one is notified exactly once. Pure.
import { z } from "zod";
import type { HomeFindings, HomeUnit } from "./home-findings";
import type { KindSums } from "./insights";
import { filterParams, type InsightFilter } from "./insights-filters";
import { weekOf } from "./rollup-weeks";
import { benjaminiHochberg, FDR_Q, proportionTest } from "./significance";
import { SLUG_PATTERN } from "./slug";
import type { Estimate, TargetMetric } from "./targets";

export const ALERT_KINDS = ["drop", "target", "detractors", "overdue"] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];
export const ALERT_SCOPES = ["journey", "process", "touchpoint"] as const;
export type AlertScope = (typeof ALERT_SCOPES)[number];

export type AlertRule = { id: number; name: string; kind: AlertKind; scope: AlertScope | null; scopeKey: string | null };

/**
 * A rule as the form sends it. "for" names the scope and its key together ("process:card-delivery"),
 * empty or missing for the whole workspace. Messages are message keys: the route says them in the interface
 * language. The alerts page's form validates with it in the browser too.
 */
export const AlertRuleInputSchema = z.object({
  // A missing name (a form sends none for an empty field) is worded as a short one.
  name: z
    .string({ error: (issue) => (issue.code === "invalid_type" ? "alerts.error.name" : undefined) })
    .trim()
    .min(1, "alerts.error.name")
    .max(120, "alerts.error.name"),
  kind: z.enum(ALERT_KINDS, { error: "alerts.error.kind" }),
  for: z
    .string()
    .trim()
    .max(140, "alerts.error.scope")
    .optional()
    .transform((v = "", ctx) => {
      if (v === "") return { scope: null, scopeKey: null };
      const at = v.indexOf(":");
      const scope = v.slice(0, at);
      const key = v.slice(at + 1);
      if (at <= 0 || !(ALERT_SCOPES as readonly string[]).includes(scope) || !SLUG_PATTERN.test(key) || key.length > 64) {
        ctx.addIssue({ code: "custom", message: "alerts.error.scope" });
        return z.NEVER;
      }
      return { scope: scope as AlertScope, scopeKey: key };
    }),
  subscribe: z.literal("on").optional(),
});
export type AlertRuleInput = z.output<typeof AlertRuleInputSchema>;

/** The touchpoints a rule's scope covers: all, one journey's, one process's, or one. */
export function scopeTouchpoints<T extends { key: string; journeyKey: string; processKey: string | null }>(
  touchpoints: readonly T[],
  rule: Pick<AlertRule, "scope" | "scopeKey">,
): T[] {
  if (!rule.scope) return [...touchpoints];
  if (rule.scope === "journey") return touchpoints.filter((t) => t.journeyKey === rule.scopeKey);
  if (rule.scope === "process") return touchpoints.filter((t) => t.processKey === rule.scopeKey);
  return touchpoints.filter((t) => t.key === rule.scopeKey);
}

/** A detractor share with its interval, now and in the previous window. */
export type DetractorRise = { unit: HomeUnit; now: Estimate; before: Estimate; difference: number; lo: number | null; hi: number | null; q: number };

/**
 * Rises in the share of detractors against the previous window, per unit: a two-proportion test
 * each (both sides at the minimum n), flagged only when significant after Benjamini–Hochberg over
 * every unit tested, as the home controls its own family of changes.
 */
export function detractorRises(units: readonly { unit: HomeUnit; now: KindSums; previous: KindSums }[], minN: number): DetractorRise[] {
  const tested = units.flatMap(({ unit, now, previous }) => {
    const a = now.nps;
    const b = previous.nps;
    if (!a || !b || a.n < minN || b.n < minN) return [];
    const test = proportionTest({ n: a.n, k: a.detractors }, { n: b.n, k: b.detractors });
    return test ? [{ unit, a, b, test }] : [];
  });
  const adjusted = benjaminiHochberg(tested.map((t) => t.test.p), FDR_Q);
  return tested
    .map((t, i) => ({ t, adj: adjusted[i] }))
    .filter(({ t, adj }) => adj.significant && t.test.difference > 0)
    .map(({ t, adj }) => ({
      unit: t.unit,
      now: { n: t.a.n, value: t.a.detractors / t.a.n, lo: null, hi: null },
      before: { n: t.b.n, value: t.b.detractors / t.b.n, lo: null, hi: null },
      difference: t.test.difference,
      lo: t.test.lo,
      hi: t.test.hi,
      q: adj.q,
    }));
}

/** A case past its SLA, as an overdue alert names it. */
export type OverdueCase = { id: number; dueAt: string; touchpointKey: string | null; processKey: string | null; journeyKey: string | null; touchpointName: string | null };

/** What an occurrence found: enough to say it in a notification and an e-mail without reading more. */
export type AlertFinding =
  | { kind: "drop"; unit: HomeUnit; metric: "gap" | "nps"; now: Estimate; difference: number; lo: number | null; hi: number | null; q: number }
  | { kind: "target"; unit: HomeUnit; metric: TargetMetric; target: number; estimate: Estimate }
  | { kind: "detractors"; unit: HomeUnit; now: Estimate; before: Estimate; difference: number; q: number }
  | { kind: "overdue"; caseId: number; dueAt: string; touchpointName: string | null };

/** The window the figures were read over (the home's: the last 90 days against the 90 before). */
export type AlertWindow = Pick<InsightFilter, "from" | "to">;

export type Occurrence = { key: string; finding: AlertFinding; evidencePath: string };

/**
 * The stable key of an occurrence. A figure's condition is keyed by rule, unit, metric and the ISO
 * week (its Monday) of the window's last day: the rolling window moves daily, and a condition that
 * persists is told once a week rather than every quarter of an hour. A case is keyed by its id: it
 * becomes overdue once.
 */
export function occurrenceKey(ruleId: number, finding: AlertFinding, windowEnd: string): string {
  if (finding.kind === "overdue") return `r${ruleId}:case:${finding.caseId}`;
  return `r${ruleId}:${finding.unit.kind}:${finding.unit.key}:${finding.kind === "detractors" ? "detractors" : finding.metric}:${weekOf(windowEnd)}`;
}

/** Where a finding's evidence is: the insights table over the same window, its responses, or the case. */
export function evidencePath(ws: string, finding: AlertFinding, window: AlertWindow): string {
  if (finding.kind === "overdue") return `/w/${ws}/cases/${finding.caseId}`;
  const filter: InsightFilter = { ...window, journey: null, tier: null, channel: null, lang: null };
  if (finding.kind === "detractors") {
    const unit = finding.unit.kind === "attribute" ? "touchpoint" : finding.unit.kind;
    const key = finding.unit.kind === "attribute" ? finding.unit.key.split("/")[0] : finding.unit.key;
    return `/w/${ws}/insights/responses?${filterParams(filter, { [unit]: key, nps: "detractor" }).toString()}`;
  }
  return `/w/${ws}/insights?${filterParams(filter, { by: finding.unit.kind }).toString()}`;
}

export type AlertEvidence = {
  /** The home's findings over the rule's scope, every item (no limit). */
  home: HomeFindings;
  detractors: readonly DetractorRise[];
  overdue: readonly OverdueCase[];
};

/** The findings a rule's kind picks out of the evidence of its scope. */
export function alertFindings(rule: Pick<AlertRule, "kind" | "scope" | "scopeKey">, evidence: AlertEvidence): AlertFinding[] {
  switch (rule.kind) {
    case "drop":
      return evidence.home.changes.items
        .filter((c) => c.test.difference < 0)
        .map((c) => ({ kind: "drop", unit: c.unit, metric: c.metric, now: c.now, difference: c.test.difference, lo: c.test.lo, hi: c.test.hi, q: c.test.q }));
    case "target":
      return evidence.home.targets.items.map((t) => ({ kind: "target", unit: t.unit, metric: t.metric, target: t.target.value, estimate: t.estimate }));
    case "detractors":
      return evidence.detractors.map((d) => ({ kind: "detractors", unit: d.unit, now: d.now, before: d.before, difference: d.difference, q: d.q }));
    case "overdue":
      return evidence.overdue
        .filter((c) => inScope(c, rule))
        .map((c) => ({ kind: "overdue", caseId: c.id, dueAt: c.dueAt, touchpointName: c.touchpointName }));
  }
}

function inScope(c: OverdueCase, rule: Pick<AlertRule, "scope" | "scopeKey">): boolean {
  if (!rule.scope) return true;
  const key = rule.scope === "journey" ? c.journeyKey : rule.scope === "process" ? c.processKey : c.touchpointKey;
  return key === rule.scopeKey;
}

/** Every occurrence of a rule over its evidence, keyed and linked. */
export function ruleOccurrences(ws: string, rule: AlertRule, evidence: AlertEvidence, window: AlertWindow): Occurrence[] {
  return alertFindings(rule, evidence).map((finding) => ({
    key: occurrenceKey(rule.id, finding, window.to),
    finding,
    evidencePath: evidencePath(ws, finding, window),
  }));
}
