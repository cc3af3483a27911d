// The rollup increments of a batch, added up per key: checked against sums worked out by hand.
import { describe, expect, it } from "vitest";
import type { Measurement } from "~/cem/measurement";
import { RollupAccumulator } from "~/cem/rollup-sums";

const at = (iso: string) => Date.parse(iso);
const gapPair = (e: number, p: number, nps: number): Measurement[] => [
  { attributeKey: "punctuality", kind: "expectation", value: e, dimension: null },
  { attributeKey: "punctuality", kind: "perception", value: p, dimension: null },
  { attributeKey: null, kind: "nps", value: nps, dimension: null },
];

describe("RollupAccumulator", () => {
  it("adds up responses that share a key, keeps other days, tiers and languages apart, and sums weeks", () => {
    const sums = new RollupAccumulator();
    // Two responses on Wednesday 2025-03-05 (UTC), same tier and language; one on Monday 2025-03-03.
    sums.add(1, 7, "premium", "es", at("2025-03-05T10:00:00Z"), gapPair(6, 4, 3)); // d = −2, detractor
    sums.add(1, 7, "premium", "es", at("2025-03-05T23:59:59Z"), gapPair(5, 6, 10)); // d = +1, promoter
    sums.add(1, 7, "premium", "es", at("2025-03-03T00:00:00Z"), gapPair(7, 7, 8)); // d = 0, passive
    sums.add(1, 7, "premium", "en", at("2025-03-05T12:00:00Z"), gapPair(4, 5, 9)); // another language
    const { daily, weekly } = sums.sums();
    const row = (rows: typeof daily, day: string, lang: string, attributeKey: string, kind: string) =>
      rows.find((r) => r.day === day && r.lang === lang && r.attributeKey === attributeKey && r.kind === kind);

    // By hand: gaps −2 and +1 → n 2, Σd −1, Σd² 5, ΣP 10, ΣE 11.
    expect(row(daily, "2025-03-05", "es", "punctuality", "gap")).toMatchObject({ n: 2, sum: -1, sumSq: 5, sumP: 10, sumE: 11, tier: "premium", workspaceId: 1, touchpointId: 7 });
    // NPS 3 and 10: one detractor, one promoter, Σ 13, Σ² 109.
    expect(row(daily, "2025-03-05", "es", "", "nps")).toMatchObject({ n: 2, sum: 13, sumSq: 109, promoters: 1, detractors: 1 });
    expect(row(daily, "2025-03-03", "es", "punctuality", "gap")).toMatchObject({ n: 1, sum: 0, sumSq: 0 });
    expect(row(daily, "2025-03-05", "en", "punctuality", "gap")).toMatchObject({ n: 1, sum: 1, sumSq: 1 });
    // The ISO week of both days starts Monday 2025-03-03: three Spanish gaps −2, +1, 0.
    expect(row(weekly, "2025-03-03", "es", "punctuality", "gap")).toMatchObject({ n: 3, sum: -1, sumSq: 5, sumP: 17, sumE: 18 });
    expect(row(weekly, "2025-03-03", "es", "", "nps")).toMatchObject({ n: 3, sum: 21, promoters: 1, detractors: 1 });
  });

  it("lists the keys in one order whatever order the responses came in (no deadlocks between writers)", () => {
    const a = new RollupAccumulator();
    const b = new RollupAccumulator();
    a.add(1, 7, "", "es", at("2025-03-05T10:00:00Z"), gapPair(5, 5, 9));
    a.add(1, 3, "regular", "en", at("2025-03-01T10:00:00Z"), gapPair(4, 6, 2));
    b.add(1, 3, "regular", "en", at("2025-03-01T10:00:00Z"), gapPair(4, 6, 2));
    b.add(1, 7, "", "es", at("2025-03-05T10:00:00Z"), gapPair(5, 5, 9));
    const keys = (r: RollupAccumulator) => r.sums().daily.map((row) => [row.touchpointId, row.attributeKey, row.kind, row.day, row.tier, row.lang].join("\u0000"));
    expect(keys(a)).toEqual(keys(b));
    expect(keys(a)).toEqual([...keys(a)].sort());
  });
});
