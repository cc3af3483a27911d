// Additive rollups of measurements per touchpoint × attribute × kind × day × tier: every number in
// DESIGN.md "The numbers" except rank correlations is rebuilt from these sums, so dashboards cost
// the same at ten responses or ten million. The database layer stores exactly these columns.
//
// Key: attributeKey ("" = touchpoint level; a SERVQUAL dimension for importance_points and
// dimension_gap), kind, day ("YYYY-MM-DD"), tier ("" = unknown). The database adds the touchpoint.
//
// Columns (all additive; 0 where a kind does not use them):
//   n          observations. Attribute rows: answers (one per response). Touchpoint-level ("") rows
//              of gap, msa, mss, weighted_gap and bx_*: responses — each response contributes ONE
//              value, the mean of its own attribute values, because the answers inside a response
//              are not independent (DESIGN.md: the unit of analysis is the response).
//   sum, sumSq Σx and Σx² of the row's value x:
//              raw kinds (expectation, adequate, desired, perception, importance, importance_points,
//              nps, csat, ces, bx_*): the answer (reverse-coded items already flipped);
//              gap: d = P − E; msa: P − adequate; mss: P − desired (paired within a response);
//              dimension_gap: the response's mean gap over the dimension's attributes;
//              weighted_gap: the response's dimension gaps weighted by its own importance points;
//              perception_nps / perception_csat: x = the attribute's perception.
//   sumP, sumE gap / msa / mss / dimension_gap / weighted_gap: Σ of the perception and of the
//              standard it is compared with (E, adequate, desired) over the same n, so mean P and
//              mean E are read on exactly the pairs that make the gap. msa and mss rows exist only
//              for responses that gave P, adequate and desired, so their n match (zone of tolerance).
//   sumY, sumYSq, sumXY  perception_nps / perception_csat: y = the response's NPS (0–10) or CSAT
//              (1–5); with n, sum, sumSq they give Pearson's r of perception with the overall
//              measure, i.e. derived importance.
//   promoters, passives, detractors  nps: answers 9–10, 7–8, 0–6 (Reichheld 2003).
//   top2       csat: answers 4–5 on 1–5, the top-2-box count (CSAT share with a Wilson interval).
//
// below / dimension_below rows mirror the gap / dimension_gap rows one for one (same key, same n):
// x = 1 when that gap is negative (perception below expectation), else 0, so sum / n is the share
// of respondents below expectation, a proportion with a Wilson interval. At touchpoint level ("")
// it is the response's mean gap that is compared with 0. Compared as ΣP < ΣE, not as a difference
// of means, so a response whose gaps cancel exactly is never "below" by rounding.
import type { Measurement, MeasuredKind } from "./measurement";

export type RollupKind =
  | MeasuredKind
  | "gap"
  | "msa"
  | "mss"
  | "dimension_gap"
  | "weighted_gap"
  | "perception_nps"
  | "perception_csat"
  | "below"
  | "dimension_below";

export type RollupKey = { attributeKey: string; kind: RollupKind; day: string; tier: string };

export const ROLLUP_COLUMNS = [
  "n",
  "sum",
  "sumSq",
  "sumP",
  "sumE",
  "sumY",
  "sumYSq",
  "sumXY",
  "promoters",
  "passives",
  "detractors",
  "top2",
] as const;
export type RollupColumn = (typeof ROLLUP_COLUMNS)[number];
export type RollupColumns = Record<RollupColumn, number>;
export type RollupDelta = RollupKey & RollupColumns;

export type RollupContext = { day: string; tier: string | null };

const DAY = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

function zeroColumns(): RollupColumns {
  return { n: 0, sum: 0, sumSq: 0, sumP: 0, sumE: 0, sumY: 0, sumYSq: 0, sumXY: 0, promoters: 0, passives: 0, detractors: 0, top2: 0 };
}

/** One observation x; `pair` carries the P and E behind a gap, `y` the overall measure of a cross row. */
function observation(x: number, extra: { pair?: { p: number; e: number }; y?: number } = {}): RollupColumns {
  const columns = zeroColumns();
  columns.n = 1;
  columns.sum = x;
  columns.sumSq = x * x;
  if (extra.pair) {
    columns.sumP = extra.pair.p;
    columns.sumE = extra.pair.e;
  }
  if (extra.y !== undefined) {
    columns.sumY = extra.y;
    columns.sumYSq = extra.y * extra.y;
    columns.sumXY = x * extra.y;
  }
  return columns;
}

function mean(values: readonly number[]): number {
  return values.reduce((acc, v) => acc + v, 0) / values.length;
}

type Pair = { p: number; e: number };

/** The response's mean of paired values, as one response-level observation. */
function meanPair(pairs: readonly Pair[]): Pair {
  return { p: mean(pairs.map((x) => x.p)), e: mean(pairs.map((x) => x.e)) };
}

/** Mean perception below mean expectation, compared on the sums (exact for integer answers). */
function isBelow(pairs: readonly Pair[]): boolean {
  let p = 0;
  let e = 0;
  for (const pair of pairs) {
    p += pair.p;
    e += pair.e;
  }
  return p < e;
}

/**
 * The rollup rows one response adds. `measurements` are the rows of ONE response (as
 * extractMeasurements returns them): response-level means are taken within it.
 */
export function rollupDeltas(measurements: readonly Measurement[], context: RollupContext): RollupDelta[] {
  if (!DAY.test(context.day)) throw new RangeError(`rollup day must be YYYY-MM-DD, got "${context.day}"`);
  const day = context.day;
  const tier = context.tier ?? "";
  const deltas: RollupDelta[] = [];
  // Each `columns` is a fresh object (observation): it becomes the delta, keys added, not copied.
  const add = (attributeKey: string, kind: RollupKind, columns: RollupColumns) => {
    const delta = columns as RollupDelta;
    delta.attributeKey = attributeKey;
    delta.kind = kind;
    delta.day = day;
    delta.tier = tier;
    deltas.push(delta);
  };

  // attribute → kind → value, first row wins as in extraction.
  const byAttribute = new Map<string, Map<MeasuredKind, number>>();
  const dimensionOf = new Map<string, string>();
  const overall = new Map<MeasuredKind, number>();
  const points = new Map<string, number>();
  const bx = new Map<MeasuredKind, number[]>();

  for (const m of measurements) {
    const columns = observation(m.value);
    if (m.kind === "nps") {
      if (m.value >= 9) columns.promoters = 1;
      else if (m.value >= 7) columns.passives = 1;
      else columns.detractors = 1;
    }
    if (m.kind === "csat" && m.value >= 4) columns.top2 = 1;
    add(m.attributeKey ?? "", m.kind, columns);

    if (m.attributeKey === null) {
      if (!overall.has(m.kind)) overall.set(m.kind, m.value);
    } else if (m.kind === "importance_points") {
      if (!points.has(m.attributeKey)) points.set(m.attributeKey, m.value);
    } else {
      const kinds = byAttribute.get(m.attributeKey) ?? new Map<MeasuredKind, number>();
      if (!kinds.has(m.kind)) kinds.set(m.kind, m.value);
      byAttribute.set(m.attributeKey, kinds);
      if (m.dimension) dimensionOf.set(m.attributeKey, m.dimension);
      if (m.kind.startsWith("bx_")) bx.set(m.kind, [...(bx.get(m.kind) ?? []), m.value]);
    }
  }

  const gaps: Pair[] = [];
  const msas: Pair[] = [];
  const msss: Pair[] = [];
  const gapsByDimension = new Map<string, Pair[]>();
  const nps = overall.get("nps");
  const csat = overall.get("csat");
  for (const [attribute, kinds] of byAttribute) {
    const p = kinds.get("perception");
    if (p === undefined) continue;
    const e = kinds.get("expectation");
    if (e !== undefined) {
      add(attribute, "gap", observation(p - e, { pair: { p, e } }));
      add(attribute, "below", observation(p < e ? 1 : 0));
      gaps.push({ p, e });
      const dimension = dimensionOf.get(attribute);
      if (dimension) gapsByDimension.set(dimension, [...(gapsByDimension.get(dimension) ?? []), { p, e }]);
    }
    const adequate = kinds.get("adequate");
    const desired = kinds.get("desired");
    if (adequate !== undefined && desired !== undefined) {
      add(attribute, "msa", observation(p - adequate, { pair: { p, e: adequate } }));
      add(attribute, "mss", observation(p - desired, { pair: { p, e: desired } }));
      msas.push({ p, e: adequate });
      msss.push({ p, e: desired });
    }
    if (nps !== undefined) add(attribute, "perception_nps", observation(p, { y: nps }));
    if (csat !== undefined) add(attribute, "perception_csat", observation(p, { y: csat }));
  }

  for (const [kind, pairs] of [["gap", gaps], ["msa", msas], ["mss", msss]] as const) {
    if (pairs.length === 0) continue;
    const pair = meanPair(pairs);
    add("", kind, observation(pair.p - pair.e, { pair }));
    if (kind === "gap") add("", "below", observation(isBelow(pairs) ? 1 : 0));
  }

  // Weighted gap: the response's own points weigh its own dimension gaps (Parasuraman, Zeithaml &
  // Berry 1988); dimensions without a gap or without points drop out and the weights renormalise.
  let weightSum = 0;
  let weightedP = 0;
  let weightedE = 0;
  for (const [dimension, pairs] of gapsByDimension) {
    const pair = meanPair(pairs);
    add(dimension, "dimension_gap", observation(pair.p - pair.e, { pair }));
    add(dimension, "dimension_below", observation(isBelow(pairs) ? 1 : 0));
    const weight = points.get(dimension);
    if (weight !== undefined && weight > 0) {
      weightSum += weight;
      weightedP += weight * pair.p;
      weightedE += weight * pair.e;
    }
  }
  if (weightSum > 0) {
    const pair = { p: weightedP / weightSum, e: weightedE / weightSum };
    add("", "weighted_gap", observation(pair.p - pair.e, { pair }));
  }

  // Brand experience per dimension: the response's mean over the dimension's items.
  for (const [kind, values] of bx) add("", kind, observation(mean(values)));
  return deltas;
}

export function rollupKeyOf(key: RollupKey): string {
  return [key.attributeKey, key.kind, key.day, key.tier].join("\u0000");
}

/** Adds rows with the same key; the order of first appearance is kept. */
export function mergeRollups(deltas: readonly RollupDelta[]): RollupDelta[] {
  const merged = new Map<string, RollupDelta>();
  for (const delta of deltas) {
    const key = rollupKeyOf(delta);
    const current = merged.get(key);
    if (!current) {
      merged.set(key, { ...delta });
      continue;
    }
    for (const column of ROLLUP_COLUMNS) current[column] += delta[column];
  }
  return [...merged.values()];
}
