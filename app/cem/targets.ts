// Targets: what a process, touchpoint or attribute should reach on a metric (gap, NPS, CSAT, CES),
// from an optional day on, and where a measured interval stands against it. Pure.
import { z } from "zod";
import { valueOf, type InsightRow } from "./insights";
import { addDays, type Bucket } from "./insights-filters";
import { SLUG_PATTERN } from "./slug";

export const TARGET_METRICS = ["gap", "nps", "csat", "ces"] as const;
export type TargetMetric = (typeof TARGET_METRICS)[number];
export const TARGET_UNITS = ["process", "touchpoint", "attribute"] as const;
export type TargetUnit = (typeof TARGET_UNITS)[number];

/**
 * The range a target may take, in the units the tables show: a gap on the 1–7 scales is at most
 * ±6; NPS ±100 points; CSAT a top-2-box share in per cent (stored as 0..1, as csat() reports it);
 * CES the 1–7 agreement scale (higher = easier). Every metric is "higher is better".
 */
export const METRIC_RANGE: Record<TargetMetric, { min: number; max: number }> = {
  gap: { min: -6, max: 6 },
  nps: { min: -100, max: 100 },
  csat: { min: 0, max: 100 },
  ces: { min: 1, max: 7 },
};

/** A form's CSAT target is in per cent; statistics give shares. */
export const storedTargetValue = (metric: TargetMetric, shown: number) => (metric === "csat" ? shown / 100 : shown);
export const shownTargetValue = (metric: TargetMetric, stored: number) => (metric === "csat" ? stored * 100 : stored);

/** A target as the views use it: the unit by key (process key, touchpoint key, "touchpoint/attribute"). */
export type Target = {
  id: number;
  unit: TargetUnit;
  unitKey: string;
  metric: TargetMetric;
  /** In the statistics' units (CSAT as a share 0..1). */
  value: number;
  /** The first day (UTC, YYYY-MM-DD) the target applies; null = always. */
  fromDay: string | null;
};

const DAY = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const isDay = (s: string) => DAY.test(s) && new Date(`${s}T00:00:00Z`).toISOString().slice(0, 10) === s;
const blankToUndefined = (v: unknown) => (v === "" || v === null ? undefined : v);
const KEY = z.string().trim().min(1, "Choose what the target is for.").max(64).regex(SLUG_PATTERN, "Choose what the target is for.");

/**
 * A target as a form sends it. The unit key names a process or touchpoint by key; an attribute as
 * "touchpoint-key/attribute-key". Attributes carry only gaps (NPS, CSAT and CES are asked per
 * touchpoint). The value must lie within the metric's range.
 */
export const TargetInputSchema = z
  .object({
    unit: z.enum(TARGET_UNITS, { error: "Choose a process, a touchpoint or an attribute." }),
    unitKey: z.string().trim().min(1, "Choose what the target is for.").max(140),
    metric: z.enum(TARGET_METRICS, { error: "Choose a metric: gap, NPS, CSAT or CES." }),
    value: z.preprocess(
      blankToUndefined,
      z.coerce.number({ error: "Enter the target as a number." }).refine(Number.isFinite, "Enter the target as a number."),
    ),
    fromDay: z.preprocess(blankToUndefined, z.string().trim().refine(isDay, "Use a date as YYYY-MM-DD, or leave it empty.").optional()),
  })
  .superRefine((t, ctx) => {
    const range = METRIC_RANGE[t.metric];
    if (t.value < range.min || t.value > range.max) {
      const unit = t.metric === "csat" ? " %" : "";
      ctx.addIssue({ code: "custom", path: ["value"], message: `A ${t.metric.toUpperCase()} target lies between ${range.min}${unit} and ${range.max}${unit}.` });
    }
    if (t.unit === "attribute") {
      const [tp, attr, ...rest] = t.unitKey.split("/");
      if (!tp || !attr || rest.length > 0 || !KEY.safeParse(tp).success || !KEY.safeParse(attr).success) {
        ctx.addIssue({ code: "custom", path: ["unitKey"], message: "Choose an attribute of a touchpoint." });
      }
      if (t.metric !== "gap") ctx.addIssue({ code: "custom", path: ["metric"], message: "Attributes carry a gap target only (NPS, CSAT and CES are asked per touchpoint)." });
    } else if (!KEY.safeParse(t.unitKey).success) {
      ctx.addIssue({ code: "custom", path: ["unitKey"], message: "Choose what the target is for." });
    }
  });
export type TargetInput = z.output<typeof TargetInputSchema>;

/**
 * The target of a unit and metric in effect on `day`: the one with the latest start on or before
 * that day (a target without a start applies from the beginning). Null when none applies yet.
 */
export function targetInEffect(targets: readonly Target[], unit: TargetUnit, unitKey: string, metric: TargetMetric, day: string): Target | null {
  let best: Target | null = null;
  for (const t of targets) {
    if (t.unit !== unit || t.unitKey !== unitKey || t.metric !== metric) continue;
    if (t.fromDay !== null && t.fromDay > day) continue;
    if (!best || (t.fromDay ?? "") > (best.fromDay ?? "")) best = t;
  }
  return best;
}

/** Where an interval stands against a target: wholly above it, wholly below it, or across it. */
export type TargetStatus = "above" | "below" | "across";

/**
 * The interval [lo, hi] against the target value. An interval touching the target counts as across:
 * the data cannot tell it from the target. Every metric here is "higher is better", so "below" is
 * the breach and "above" the target met beyond doubt.
 */
export function classifyAgainstTarget(lo: number, hi: number, target: number): TargetStatus {
  if (!(lo <= hi)) throw new RangeError(`an interval needs lo ≤ hi, got [${lo}, ${hi}]`);
  if (lo > target) return "above";
  if (hi < target) return "below";
  return "across";
}

/** A target judged against a figure: the target, and the status when the figure has an interval. */
export type TargetCheck = { target: Target; status: TargetStatus | null };

export function checkTarget(target: Target | null, interval: { lo: number | null; hi: number | null } | null): TargetCheck | null {
  if (!target) return null;
  if (!interval || interval.lo === null || interval.hi === null) return { target, status: null };
  return { target, status: classifyAgainstTarget(interval.lo, interval.hi, target.value) };
}

/** A shown figure of a metric: its value, interval and n (withheld or unasked figures give null). */
export type Estimate = { n: number; value: number; lo: number | null; hi: number | null };

/** The metric's shown figure in a table row (gap, NPS, CSAT or CES), in the statistics' units. */
export function estimateOf(metric: TargetMetric, row: Pick<InsightRow, "gap" | "nps" | "csat" | "ces">): Estimate | null {
  if (metric === "gap") {
    const g = valueOf(row.gap);
    return g && g.meanGap !== null ? { n: g.n, value: g.meanGap, lo: g.lo, hi: g.hi } : null;
  }
  if (metric === "nps") {
    const s = valueOf(row.nps);
    return s && s.score !== null ? { n: s.n, value: s.score, lo: s.lo, hi: s.hi } : null;
  }
  if (metric === "csat") {
    const c = valueOf(row.csat);
    return c && c.share !== null ? { n: c.n, value: c.share, lo: c.lo, hi: c.hi } : null;
  }
  const e = valueOf(row.ces);
  return e && e.mean !== null ? { n: e.n, value: e.mean, lo: e.lo, hi: e.hi } : null;
}

/** Every target of a row in effect on `day`, judged against the row's intervals, by metric. */
export function rowTargetChecks(
  targets: readonly Target[],
  unit: TargetUnit,
  unitKey: string,
  row: Pick<InsightRow, "gap" | "nps" | "csat" | "ces">,
  day: string,
): Partial<Record<TargetMetric, TargetCheck>> {
  const out: Partial<Record<TargetMetric, TargetCheck>> = {};
  for (const metric of TARGET_METRICS) {
    const check = checkTarget(targetInEffect(targets, unit, unitKey, metric, day), estimateOf(metric, row));
    if (check) out[metric] = check;
  }
  return out;
}

/** The last day of a week (named by its Monday) or a month ("YYYY-MM"): the day its target is read on. */
export function bucketLastDay(bucket: string, kind: Bucket): string {
  if (kind === "week") return addDays(bucket, 6);
  const [y, m] = bucket.split("-").map(Number);
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}

/** Per trend point, the target in effect at the end of its bucket judged against its interval. */
export function trendTargetChecks(
  targets: readonly Target[],
  unit: TargetUnit,
  unitKey: string,
  metric: TargetMetric,
  points: readonly { bucket: string; lo: number | null; hi: number | null }[],
  kind: Bucket,
): (TargetCheck | null)[] {
  return points.map((p) => checkTarget(targetInEffect(targets, unit, unitKey, metric, bucketLastDay(p.bucket, kind)), p));
}
