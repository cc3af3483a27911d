// Insights rows from rollup sums, checked against values computed by hand (and with Python's math
// module for the interval ends): three responses with known perceptions and expectations.
import { describe, expect, it } from "vitest";
import {
  addKindSums,
  compareTiers,
  groupSums,
  insightRow,
  worstFirst,
  type InsightRow,
  type KindSums,
} from "~/cem/insights";
import type { Measurement } from "~/cem/measurement";
import { mergeRollups, rollupDeltas, type RollupColumns, type RollupKind } from "~/cem/rollup";
import { welchDifference } from "~/cem/statistics";

const pair = (attributeKey: string, p: number, e: number): Measurement[] => [
  { attributeKey, kind: "expectation", value: e, dimension: null },
  { attributeKey, kind: "perception", value: p, dimension: null },
];
const nps = (value: number): Measurement => ({ attributeKey: null, kind: "nps", value, dimension: null });

/** Sums per kind at touchpoint level, as the data layer returns them: rollupDeltas, added up. */
function touchpointSums(responses: Measurement[][], tier: string | null = null): KindSums {
  const merged = mergeRollups(responses.flatMap((ms) => rollupDeltas(ms, { day: "2025-03-01", tier })));
  const sums: KindSums = {};
  for (const row of merged.filter((r) => r.attributeKey === "")) {
    const { attributeKey: _a, kind, day: _d, tier: _t, ...columns } = row;
    sums[kind as RollupKind] = columns as RollupColumns;
  }
  return sums;
}

// Response gaps: (−1 − 2)/2 = −1.5, (+1 + 0)/2 = +0.5, (−3 + 0)/2 = −1.5.
const THREE = [
  [...pair("wait", 5, 6), ...pair("tone", 4, 6), nps(10)],
  [...pair("wait", 6, 5), ...pair("tone", 6, 6), nps(9)],
  [...pair("wait", 3, 6), ...pair("tone", 5, 5), nps(6)],
];

describe("insightRow", () => {
  const row = insightRow("branch", touchpointSums(THREE), { minN: 3 });

  it("counts responses and reads mean P, E and the paired gap with its t interval", () => {
    expect(row.n).toBe(3);
    expect(row.gap?.status).toBe("ok");
    const gap = row.gap?.status === "ok" ? row.gap.value : null;
    expect(gap?.meanP).toBeCloseTo(29 / 6, 12);
    expect(gap?.meanE).toBeCloseTo(17 / 3, 12);
    expect(gap?.meanGap).toBeCloseTo(-2.5 / 3, 12);
    expect(gap?.sdGap).toBeCloseTo(1.1547005383792517, 10);
    // t_{0.975, 2} = 4.302652729911275; mean ± t · 0.6667.
    expect(gap?.lo).toBeCloseTo(-3.701768486607517, 8);
    expect(gap?.hi).toBeCloseTo(2.03510181994085, 8);
  });

  it("reports the share below expectation (2 of 3) with its Wilson interval", () => {
    const below = row.below?.status === "ok" ? row.below.value : null;
    expect(below?.p).toBeCloseTo(2 / 3, 12);
    expect(below?.lo).toBeCloseTo(0.2076596008020477, 8);
    expect(below?.hi).toBeCloseTo(0.9385080552796037, 8);
  });

  it("reports NPS from the buckets: 2 promoters, 1 detractor of 3", () => {
    const score = row.nps?.status === "ok" ? row.nps.value : null;
    expect(score?.score).toBeCloseTo(100 / 3, 10);
    expect(score?.lo).toBeCloseTo(-73.35359280789578, 6);
    expect(score?.hi).toBe(100);
    expect(row.csat).toBeNull();
    expect(row.ces).toBeNull();
    expect(row.zone).toBeNull();
  });

  it("withholds every figure below the minimum n, keeping the n", () => {
    const withheld = insightRow("branch", touchpointSums(THREE), { minN: 4 });
    expect(withheld.n).toBe(3);
    expect(withheld.gap).toEqual({ status: "withheld", n: 3, minN: 4 });
    expect(withheld.below).toEqual({ status: "withheld", n: 3, minN: 4 });
    expect(withheld.nps).toEqual({ status: "withheld", n: 3, minN: 4 });
  });

  it("compares with the previous period: Welch on the gaps, withheld unless both sides reach min n", () => {
    const previous = touchpointSums([
      [...pair("wait", 6, 6), ...pair("tone", 6, 5), nps(9)],
      [...pair("wait", 7, 6), ...pair("tone", 5, 5), nps(9)],
      [...pair("wait", 5, 6), ...pair("tone", 6, 6), nps(7)],
    ]);
    const withChange = insightRow("branch", touchpointSums(THREE), { minN: 3, previous });
    // Previous response gaps: +0.5, +0.5, −0.5.
    const expected = welchDifference({ n: 3, sum: -2.5, sumSq: 4.75 }, { n: 3, sum: 0.5, sumSq: 0.75 });
    expect(withChange.change?.gap).toEqual({ status: "ok", n: 3, value: expected });
    expect(withChange.change?.previousN).toBe(3);
    expect(insightRow("branch", touchpointSums(THREE), { minN: 3, previous: touchpointSums(THREE.slice(0, 2)) }).change?.gap?.status).toBe("withheld");
  });
});

describe("process level", () => {
  it("adds the touchpoint rows of the touchpoints a process owns: n still counts responses", () => {
    const a = touchpointSums(THREE.slice(0, 2));
    const b = touchpointSums(THREE.slice(2));
    const grouped = groupSums(
      [
        ["tp-a", a],
        ["tp-b", b],
        ["tp-x", touchpointSums(THREE)],
      ],
      (tp) => (tp === "tp-x" ? undefined : "onboarding"),
    );
    expect([...grouped.keys()]).toEqual(["onboarding"]);
    const row = insightRow("onboarding", grouped.get("onboarding")!, { minN: 3 });
    const direct = insightRow("onboarding", touchpointSums(THREE), { minN: 3 });
    expect(row).toEqual(direct);
  });

  it("addKindSums adds column by column and leaves the other side alone", () => {
    const a = touchpointSums(THREE.slice(0, 1));
    const b = touchpointSums(THREE.slice(1));
    const total = addKindSums(addKindSums({}, a), b);
    expect(total.gap?.n).toBe(3);
    expect(total.nps?.promoters).toBe(2);
    expect(a.gap?.n).toBe(1);
  });
});

describe("worstFirst", () => {
  const make = (key: string, gap: InsightRow["gap"], score: number | null = null): Pick<InsightRow, "key" | "gap" | "nps"> => ({
    key,
    gap,
    nps: score === null ? null : { status: "ok", n: 20, value: { n: 20, score, pPromoters: 0, pDetractors: 0, se: 0, lo: 0, hi: 0, adjustedWald: null } },
  });
  const shown = (meanGap: number): InsightRow["gap"] => ({
    status: "ok",
    n: 20,
    value: { n: 20, meanP: 0, meanE: 0, meanGap, sdGap: 1, se: 0.2, lo: meanGap - 0.4, hi: meanGap + 0.4, df: 19 },
  });

  it("puts the most negative gap first, withheld gaps after the shown ones, gapless rows last by NPS", () => {
    const rows = [
      make("ok-high", shown(0.4)),
      make("nps-only-high", null, 40),
      make("withheld", { status: "withheld", n: 3, minN: 10 }),
      make("ok-low", shown(-1.2)),
      make("nps-only-low", null, -10),
      make("ok-mid", shown(-0.1)),
    ];
    expect(worstFirst(rows).map((r) => r.key)).toEqual(["ok-low", "ok-mid", "ok-high", "withheld", "nps-only-low", "nps-only-high"]);
  });
});

describe("compareTiers", () => {
  it("differences A − B with Welch for gaps, withheld when one side is under min n", () => {
    const premium = touchpointSums([THREE[1], THREE[1], THREE[0]], "premium");
    const generic = touchpointSums([THREE[2], THREE[2], THREE[0]], "generic");
    const cmp = compareTiers("branch", premium, generic, 3);
    const expected = welchDifference({ n: 3, sum: 0.5 + 0.5 - 1.5, sumSq: 0.25 + 0.25 + 2.25 }, { n: 3, sum: -4.5, sumSq: 3 * 2.25 });
    expect(cmp.gap).toEqual({ status: "ok", n: 3, value: expected });
    expect(cmp.nps?.status).toBe("ok");
    expect(cmp.csat).toBeNull();
    expect(compareTiers("branch", premium, touchpointSums([THREE[0]]), 3).gap?.status).toBe("withheld");
  });
});
