import { describe, expect, it } from "vitest";
import { measurementsFromPlan, type Measurement } from "~/cem/measurement";
import {
  ROLLUP_COLUMNS,
  mergeRollups,
  rollupDeltas,
  rollupKeyOf,
  type RollupColumns,
  type RollupContext,
  type RollupDelta,
} from "~/cem/rollup";
import { measurementPlan } from "~/survey/plan";
import { buildSurvey } from "~/survey/templates";
import { SERVQUAL_DIMENSIONS, type SurveyJson, type SurveyTouchpoint } from "~/survey/types";

const touchpoint: SurveyTouchpoint = {
  key: "support_call",
  name: "Llamada a soporte",
  attributes: [
    { key: "wait", label: { es: "Espera", en: "Wait" }, servqual: "responsiveness" },
    { key: "knowledge", label: { es: "Conocimiento", en: "Knowledge" }, servqual: "assurance" },
    { key: "follow_up", label: { es: "Seguimiento", en: "Follow-up" }, servqual: "responsiveness" },
    { key: "tone", label: { es: "Trato", en: "Tone" }, servqual: null },
  ],
};

/** Mulberry32: a small seeded generator, so a failure replays. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Response = { measurements: Measurement[]; context: RollupContext };

/** Random answers to every measured element of a survey; some left out so pairs break. */
function randomResponses(json: SurveyJson, count: number, rand: () => number): Response[] {
  const fullPlan = measurementPlan(json);
  const plan = fullPlan.items;
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  const responses: Response[] = [];
  for (let r = 0; r < count; r++) {
    const data: Record<string, unknown> = {};
    for (const item of plan) {
      if (item.scale && rand() > 0.12) data[item.question] = int(item.scale.min, item.scale.max);
    }
    if (plan.some((i) => i.kind === "importance_points") && rand() > 0.1) {
      const cuts = SERVQUAL_DIMENSIONS.slice(1).map(() => int(0, 100)).sort((a, b) => a - b);
      const bounds = [0, ...cuts, 100];
      data.importance_points = Object.fromEntries(SERVQUAL_DIMENSIONS.map((d, i) => [d, bounds[i + 1] - bounds[i]]));
    }
    const context = { day: rand() < 0.5 ? "2025-03-01" : "2025-03-02", tier: [null, "premium", "regular"][int(0, 2)] };
    responses.push({ measurements: measurementsFromPlan(fullPlan, data), context });
  }
  return responses;
}

const zero = (): RollupColumns => Object.fromEntries(ROLLUP_COLUMNS.map((c) => [c, 0])) as RollupColumns;
const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/**
 * The same sums recomputed straight from the measurement rows, response by response, written
 * without the module's helpers: what the rollup must equal.
 */
function recompute(responses: Response[]): Map<string, RollupColumns> {
  const table = new Map<string, RollupColumns>();
  const put = (attributeKey: string, kind: string, ctx: RollupContext, x: number, more: Partial<RollupColumns> = {}) => {
    const key = rollupKeyOf({ attributeKey, kind: kind as RollupDelta["kind"], day: ctx.day, tier: ctx.tier ?? "" });
    const row = table.get(key) ?? zero();
    row.n += 1;
    row.sum += x;
    row.sumSq += x * x;
    for (const [column, value] of Object.entries(more)) row[column as keyof RollupColumns] += value as number;
    table.set(key, row);
  };
  for (const { measurements: ms, context: ctx } of responses) {
    const value = (a: string | null, k: string) => ms.find((m) => m.attributeKey === a && m.kind === k)?.value;
    for (const m of ms) {
      const more: Partial<RollupColumns> = {};
      if (m.kind === "nps") Object.assign(more, m.value >= 9 ? { promoters: 1 } : m.value <= 6 ? { detractors: 1 } : { passives: 1 });
      if (m.kind === "csat" && m.value >= 4) more.top2 = 1;
      put(m.attributeKey ?? "", m.kind, ctx, m.value, more);
    }
    const attributes = [...new Set(ms.filter((m) => m.kind === "perception").map((m) => m.attributeKey as string))];
    const nps = value(null, "nps");
    const csat = value(null, "csat");
    const gaps: { a: string; p: number; e: number }[] = [];
    const zones: { p: number; a: number; d: number }[] = [];
    for (const a of attributes) {
      const p = value(a, "perception") as number;
      const e = value(a, "expectation");
      if (e !== undefined) {
        put(a, "gap", ctx, p - e, { sumP: p, sumE: e });
        put(a, "below", ctx, p < e ? 1 : 0);
        gaps.push({ a, p, e });
      }
      const adequate = value(a, "adequate");
      const desired = value(a, "desired");
      if (adequate !== undefined && desired !== undefined) {
        put(a, "msa", ctx, p - adequate, { sumP: p, sumE: adequate });
        put(a, "mss", ctx, p - desired, { sumP: p, sumE: desired });
        zones.push({ p, a: adequate, d: desired });
      }
      if (nps !== undefined) put(a, "perception_nps", ctx, p, { sumY: nps, sumYSq: nps * nps, sumXY: p * nps });
      if (csat !== undefined) put(a, "perception_csat", ctx, p, { sumY: csat, sumYSq: csat * csat, sumXY: p * csat });
    }
    // The response is the unit: one observation per response, the mean of its attribute gaps.
    if (gaps.length > 0) {
      const p = avg(gaps.map((g) => g.p));
      const e = avg(gaps.map((g) => g.e));
      put("", "gap", ctx, avg(gaps.map((g) => g.p - g.e)), { sumP: p, sumE: e });
      put("", "below", ctx, p < e ? 1 : 0);
    }
    if (zones.length > 0) {
      const p = avg(zones.map((z) => z.p));
      put("", "msa", ctx, avg(zones.map((z) => z.p - z.a)), { sumP: p, sumE: avg(zones.map((z) => z.a)) });
      put("", "mss", ctx, avg(zones.map((z) => z.p - z.d)), { sumP: p, sumE: avg(zones.map((z) => z.d)) });
    }
    let weighted = 0;
    let weights = 0;
    let weightedP = 0;
    let weightedE = 0;
    for (const dimension of SERVQUAL_DIMENSIONS) {
      const inDimension = gaps.filter((g) => ms.find((m) => m.attributeKey === g.a)?.dimension === dimension);
      if (inDimension.length === 0) continue;
      const gap = avg(inDimension.map((g) => g.p - g.e));
      const p = avg(inDimension.map((g) => g.p));
      const e = avg(inDimension.map((g) => g.e));
      put(dimension, "dimension_gap", ctx, gap, { sumP: p, sumE: e });
      put(dimension, "dimension_below", ctx, p < e ? 1 : 0);
      const w = value(dimension, "importance_points") ?? 0;
      weights += w;
      weighted += w * gap;
      weightedP += w * p;
      weightedE += w * e;
    }
    if (weights > 0) put("", "weighted_gap", ctx, weighted / weights, { sumP: weightedP / weights, sumE: weightedE / weights });
    for (const kind of ["bx_sensory", "bx_affective", "bx_intellectual", "bx_behavioral"]) {
      const items = ms.filter((m) => m.kind === kind).map((m) => m.value);
      if (items.length > 0) put("", kind, ctx, avg(items));
    }
  }
  return table;
}

function expectSameTotals(merged: RollupDelta[], expected: Map<string, RollupColumns>) {
  expect(new Set(merged.map(rollupKeyOf))).toEqual(new Set(expected.keys()));
  for (const row of merged) {
    const want = expected.get(rollupKeyOf(row)) as RollupColumns;
    for (const column of ROLLUP_COLUMNS) {
      expect(row[column], `${rollupKeyOf(row).replaceAll("\u0000", "/")} ${column}`).toBeCloseTo(want[column], 9);
    }
  }
}

describe("rollupDeltas", () => {
  it("turns one response into its rows", () => {
    const ms: Measurement[] = [
      { attributeKey: "wait", kind: "expectation", value: 6, dimension: "responsiveness" },
      { attributeKey: "wait", kind: "perception", value: 3, dimension: "responsiveness" },
      { attributeKey: "tone", kind: "expectation", value: 5, dimension: null },
      { attributeKey: "tone", kind: "perception", value: 6, dimension: null },
      { attributeKey: null, kind: "nps", value: 8, dimension: null },
      { attributeKey: null, kind: "csat", value: 4, dimension: null },
    ];
    const rows = rollupDeltas(ms, { day: "2025-03-01", tier: "premium" });
    const get = (a: string, k: string) => rows.find((r) => r.attributeKey === a && r.kind === k);
    expect(get("wait", "gap")).toMatchObject({ n: 1, sum: -3, sumSq: 9, sumP: 3, sumE: 6, tier: "premium", day: "2025-03-01" });
    // The response's gap is the mean of its attribute gaps (−3 and +1), counted once.
    expect(get("", "gap")).toMatchObject({ n: 1, sum: -1, sumSq: 1, sumP: 4.5, sumE: 5.5 });
    expect(get("", "nps")).toMatchObject({ n: 1, sum: 8, promoters: 0, passives: 1, detractors: 0 });
    expect(get("", "csat")).toMatchObject({ n: 1, top2: 1 });
    expect(get("tone", "perception_nps")).toMatchObject({ n: 1, sum: 6, sumY: 8, sumYSq: 64, sumXY: 48 });
    expect(get("responsiveness", "dimension_gap")).toMatchObject({ n: 1, sum: -3 });
    expect(get("", "weighted_gap")).toBeUndefined();
    expect(rollupDeltas(ms, { day: "2025-03-01", tier: null }).every((r) => r.tier === "")).toBe(true);
  });

  it("rejects a malformed day", () => {
    expect(() => rollupDeltas([], { day: "2025-3-1", tier: null })).toThrow(RangeError);
  });
});

describe("rollups equal recomputation from the measurement rows", () => {
  const surveys: [string, SurveyJson][] = [
    ["gap pair", buildSurvey(touchpoint, { nps: true, csat: true, ces: true, importance: true })],
    ["zone of tolerance", buildSurvey(touchpoint, { template: "zone_of_tolerance", nps: true, csat: true })],
    ["servqual", buildSurvey(touchpoint, { template: "servqual", nps: true, csat: true })],
    ["brand experience", buildSurvey(touchpoint, { template: "brand_experience", csat: true })],
  ];

  it.each(surveys)("%s", (_name, json) => {
    const responses = randomResponses(json, 150, random(20250301));
    const deltas = responses.flatMap((r) => rollupDeltas(r.measurements, r.context));
    const merged = mergeRollups(deltas);
    expectSameTotals(merged, recompute(responses));

    // Merging is order-free and associative: the database may add deltas in any batches.
    const half = Math.floor(deltas.length / 2);
    const inBatches = mergeRollups([...mergeRollups(deltas.slice(half)), ...mergeRollups(deltas.slice(0, half))]);
    expectSameTotals(inBatches, recompute(responses));
  });

  it("counts responses, not answers, at touchpoint level, and rebuilds derived importance", () => {
    const json = surveys[0][1];
    const responses = randomResponses(json, 300, random(7));
    const merged = mergeRollups(responses.flatMap((r) => rollupDeltas(r.measurements, { day: "2025-03-01", tier: null })));
    const row = (a: string, k: string) => merged.find((r) => r.attributeKey === a && r.kind === k) as RollupDelta;

    const responseGaps = responses
      .map((r) => {
        const gaps = touchpoint.attributes.flatMap((a) => {
          const p = r.measurements.find((m) => m.attributeKey === a.key && m.kind === "perception")?.value;
          const e = r.measurements.find((m) => m.attributeKey === a.key && m.kind === "expectation")?.value;
          return p !== undefined && e !== undefined ? [p - e] : [];
        });
        return gaps.length > 0 ? avg(gaps) : null;
      })
      .filter((g): g is number => g !== null);
    const tp = row("", "gap");
    expect(tp.n).toBe(responseGaps.length);
    expect(tp.sum / tp.n).toBeCloseTo(avg(responseGaps), 12);
    const answers = touchpoint.attributes.reduce((acc, a) => acc + (row(a.key, "gap")?.n ?? 0), 0);
    expect(answers).toBeGreaterThan(tp.n);

    // Pearson's r of "wait" perception with NPS, from sums vs. from the pairs themselves.
    const pairs = responses.flatMap((r) => {
      const x = r.measurements.find((m) => m.attributeKey === "wait" && m.kind === "perception")?.value;
      const y = r.measurements.find((m) => m.kind === "nps")?.value;
      return x !== undefined && y !== undefined ? [[x, y] as const] : [];
    });
    const mx = avg(pairs.map(([x]) => x));
    const my = avg(pairs.map(([, y]) => y));
    const direct =
      pairs.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0) /
      Math.sqrt(pairs.reduce((a, [x]) => a + (x - mx) ** 2, 0) * pairs.reduce((a, [, y]) => a + (y - my) ** 2, 0));
    const s = row("wait", "perception_nps");
    const fromSums =
      (s.n * s.sumXY - s.sum * s.sumY) / Math.sqrt((s.n * s.sumSq - s.sum ** 2) * (s.n * s.sumYSq - s.sumY ** 2));
    expect(s.n).toBe(pairs.length);
    expect(fromSums).toBeCloseTo(direct, 12);

    const nps = row("", "nps");
    expect(nps.promoters + nps.passives + nps.detractors).toBe(nps.n);
  });
});
