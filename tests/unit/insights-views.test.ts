// The pure pieces around the tables: filters and buckets, the SERVQUAL view, the importance–
// performance grid (stated and derived), trends and the behaviour link, with hand-computed values.
import { describe, expect, it } from "vitest";
import type { KindSums } from "~/cem/insights";
import { behaviourByTier, behaviourLink } from "~/cem/insights-behaviour";
import { bucketOf, bucketsBetween, filterParams, parseInsightFilter, previousPeriod } from "~/cem/insights-filters";
import { importancePerformanceGrid } from "~/cem/insights-ipa";
import { servqualView } from "~/cem/insights-servqual";
import { trendSeries } from "~/cem/insights-trends";
import { zeroSums } from "~/cem/insights";
import type { RollupColumns } from "~/cem/rollup";

const sums = (values: number[], extra: Partial<RollupColumns> = {}): RollupColumns => ({
  ...zeroSums(),
  n: values.length,
  sum: values.reduce((a, b) => a + b, 0),
  sumSq: values.reduce((a, b) => a + b * b, 0),
  ...extra,
});

describe("filters", () => {
  it("defaults to the last 90 days up to today and compares with the 90 before", () => {
    const parsed = parseInsightFilter(new URLSearchParams(), "2025-03-31");
    expect(parsed).toEqual({ ok: true, filter: { from: "2025-01-01", to: "2025-03-31", journey: null, tier: null, channel: null, lang: null } });
    expect(previousPeriod({ from: "2025-01-01", to: "2025-03-31" })).toEqual({ from: "2024-10-03", to: "2024-12-31" });
    expect(previousPeriod({ from: "2025-03-01", to: "2025-03-01" })).toEqual({ from: "2025-02-28", to: "2025-02-28" });
  });

  it("reads every filter, empty values as absent, and says what is wrong", () => {
    const params = new URLSearchParams("from=2025-02-01&to=2025-02-28&journey=bank-x&tier=premium&channel=web&lang=en&ignored=1&surveyLang=es");
    expect(parseInsightFilter(params, "2025-03-31")).toMatchObject({ ok: true, filter: { journey: "bank-x", tier: "premium", channel: "web", lang: "en" } });
    expect(parseInsightFilter(params, "2025-03-31", "surveyLang")).toMatchObject({ ok: true, filter: { lang: "es" } });
    expect(parseInsightFilter(new URLSearchParams("tier=&channel="), "2025-03-31")).toMatchObject({ ok: true, filter: { tier: null, channel: null } });
    const bad = parseInsightFilter(new URLSearchParams("from=2025-02-30&tier=gold&channel=fax"), "2025-03-31");
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(Object.keys(bad.errors).sort()).toEqual(["channel", "from", "tier"]);
    expect(parseInsightFilter(new URLSearchParams("from=2025-03-02&to=2025-03-01"), "2025-03-31").ok).toBe(false);
    expect(parseInsightFilter(new URLSearchParams("from=2020-01-01&to=2025-03-01"), "2025-03-31").ok).toBe(false);
  });

  it("refuses days outside 1970..2999 before any date arithmetic, so no window can loop", () => {
    for (const query of ["to=9999-12-31", "from=0000-01-01&to=0000-02-01", "from=1969-12-31", "from=2999-12-01", "to=3000-01-01"]) {
      const parsed = parseInsightFilter(new URLSearchParams(query), "2025-03-31");
      expect(parsed.ok, query).toBe(false);
    }
    // The far edges themselves are days like any other: whole buckets, in order, and an end.
    expect(parseInsightFilter(new URLSearchParams("to=2999-12-31"), "2025-03-31")).toMatchObject({ ok: true, filter: { from: "2999-10-03" } });
    expect(bucketsBetween("2999-12-20", "2999-12-31", "week")).toEqual(["2999-12-16", "2999-12-23", "2999-12-30"]);
    expect(bucketsBetween("1970-01-01", "1970-01-10", "week")).toEqual(["1969-12-29", "1970-01-05"]);
    expect(() => bucketsBetween("2025-01-01", "9999-12-31", "month")).toThrow(RangeError);
  });

  it("writes the filter back as page parameters", () => {
    const f = { from: "2025-01-01", to: "2025-01-31", journey: null, tier: "generic" as const, channel: null, lang: "en" };
    expect(filterParams(f, { by: "process", empty: "" }).toString()).toBe("from=2025-01-01&to=2025-01-31&tier=generic&surveyLang=en&by=process");
  });

  it("buckets days into ISO weeks (Monday) and months, listing empty ones too", () => {
    expect(bucketOf("2025-03-02", "week")).toBe("2025-02-24"); // a Sunday belongs to the week before
    expect(bucketOf("2025-03-03", "week")).toBe("2025-03-03");
    expect(bucketOf("2025-03-31", "month")).toBe("2025-03");
    expect(bucketsBetween("2025-02-26", "2025-03-10", "week")).toEqual(["2025-02-24", "2025-03-03", "2025-03-10"]);
    expect(bucketsBetween("2024-11-15", "2025-02-01", "month")).toEqual(["2024-11", "2024-12", "2025-01", "2025-02"]);
  });
});

describe("servqualView", () => {
  it("weights the dimension mean gaps by mean importance points and reads the per-respondent score", () => {
    const dims = new Map<string, KindSums>([
      // reliability: gaps −1, −2 (mean −1.5), points 60 and 40 (mean 50)
      ["reliability", { dimension_gap: sums([-1, -2], { sumP: 9, sumE: 12 }), dimension_below: sums([1, 1]), importance_points: sums([60, 40]) }],
      // empathy: gaps +1, 0 (mean 0.5), points 20 and 30 (mean 25)
      ["empathy", { dimension_gap: sums([1, 0], { sumP: 12, sumE: 11 }), dimension_below: sums([0, 0]), importance_points: sums([20, 30]) }],
    ]);
    const view = servqualView(dims, { weighted_gap: sums([-0.5, -1.1]) }, { minN: 2 });
    expect(view.rows.map((r) => r.key)).toEqual(["reliability", "empathy"]);
    const reliability = view.rows[0];
    expect(reliability.weight).toBeCloseTo(50 / 75, 12);
    expect(reliability.contribution).toBeCloseTo((50 / 75) * -1.5, 12);
    expect(view.ofMeans?.score).toBeCloseTo((50 / 75) * -1.5 + (25 / 75) * 0.5, 12);
    expect(view.weighted?.status === "ok" && view.weighted.value.mean).toBeCloseTo(-0.8, 12);
    expect(reliability.below?.status === "ok" && reliability.below.value.p).toBe(1);
    expect(servqualView(dims, {}, { minN: 3 }).rows[0].gap?.status).toBe("withheld");
    expect(servqualView(dims, {}, { minN: 3 }).ofMeans).toBeNull();
  });
});

describe("importancePerformanceGrid", () => {
  it("places stated importance against mean perception, quadrants at the means", () => {
    const grid = importancePerformanceGrid(
      [
        { key: "a", sums: { importance: sums([6, 6]), perception: sums([4, 4]) } },
        { key: "b", sums: { importance: sums([3, 3]), perception: sums([6, 6]) } },
        { key: "c", sums: { importance: sums([5, 5]), perception: sums([5, 6]) } },
        { key: "thin", sums: { importance: sums([7]), perception: sums([1]) } },
        { key: "no-importance", sums: { perception: sums([5, 5]) } },
      ],
      "stated",
      2,
    );
    expect(grid.meanImportance).toBeCloseTo(14 / 3, 12);
    expect(grid.meanPerformance).toBeCloseTo(31 / 6, 12);
    expect(Object.fromEntries(grid.points.map((p) => [p.key, p.quadrant]))).toEqual({
      a: "concentrate_here",
      b: "possible_overkill",
      c: "keep_up_the_good_work",
    });
    expect(grid.leftOut).toEqual([
      { key: "thin", n: 1, reason: "below_min_n" },
      { key: "no-importance", n: 0, reason: "not_asked" },
    ]);
  });

  it("derives importance as Pearson's r of perception with NPS, from the cross sums", () => {
    // x = perception, y = NPS: (3, 2), (5, 6), (7, 9) → r computed directly below.
    const xs = [3, 5, 7];
    const ys = [2, 6, 9];
    const mx = 5;
    const my = 17 / 3;
    const r = xs.reduce((a, x, i) => a + (x - mx) * (ys[i] - my), 0) /
      Math.sqrt(xs.reduce((a, x) => a + (x - mx) ** 2, 0) * ys.reduce((a, y) => a + (y - my) ** 2, 0));
    const cross = sums(xs, { sumY: 17, sumYSq: 4 + 36 + 81, sumXY: 6 + 30 + 63 });
    const flat = sums([4, 4, 4], { sumY: 17, sumYSq: 121, sumXY: 68 });
    const grid = importancePerformanceGrid(
      [
        { key: "a", sums: { perception: sums(xs), perception_nps: cross } },
        { key: "flat", sums: { perception: sums([4, 4, 4]), perception_nps: flat } },
      ],
      "nps",
      3,
    );
    expect(grid.points[0].importance).toBeCloseTo(r, 12);
    expect(grid.points[0].performance).toBe(5);
    expect(grid.leftOut).toEqual([{ key: "flat", n: 3, reason: "no_spread" }]);
  });
});

describe("trendSeries", () => {
  it("keeps every bucket, withholding thin ones", () => {
    const series = trendSeries(
      "total",
      new Map([["2025-03-03", { gap: sums([-1, 0, 1], { sumP: 15, sumE: 15 }), nps: sums([9, 10, 3], { promoters: 2, detractors: 1 }) }]]),
      ["2025-02-24", "2025-03-03", "2025-03-10"],
      3,
    );
    expect(series.points.map((p) => p.bucket)).toEqual(["2025-02-24", "2025-03-03", "2025-03-10"]);
    expect(series.points[0]).toEqual({ bucket: "2025-02-24", n: 0, gap: null, nps: null });
    expect(series.points[1].gap?.status === "ok" && series.points[1].gap.value.meanGap).toBe(0);
    expect(series.points[1].nps?.status === "ok" && series.points[1].nps.value.score).toBeCloseTo(100 / 3, 10);
    expect(trendSeries("t", new Map([["w", { gap: sums([1, 2]) }]]), ["w"], 3).points[0].gap?.status).toBe("withheld");
  });
});

describe("behaviourLink", () => {
  const rows = [
    { gap: -2, purchases: 1, spend: 10, tier: "generic" },
    { gap: -1, purchases: 0, spend: 0, tier: "generic" },
    { gap: -0.5, purchases: 1, spend: 20, tier: "premium" },
    { gap: 0.5, purchases: 1, spend: 50, tier: "premium" },
    { gap: 1, purchases: 2, spend: 60, tier: "premium" },
    { gap: 2, purchases: 1, spend: 80, tier: "premium" },
  ];

  it("compares below (gap < 0) with at or above, and ranks gap against spend", () => {
    const link = behaviourLink(rows, 3);
    expect(link.below.n).toBe(3);
    expect(link.below.repurchase.status === "ok" && link.below.repurchase.value.p).toBeCloseTo(2 / 3, 12);
    expect(link.atOrAbove.spend.status === "ok" && link.atOrAbove.spend.value.mean).toBeCloseTo(190 / 3, 12);
    expect(link.spendDifference.status === "ok" && link.spendDifference.value.difference).toBeCloseTo(10 - 190 / 3, 12);
    expect(link.repurchaseDifference.status === "ok" && link.repurchaseDifference.value.difference).toBeCloseTo(2 / 3 - 1, 12);
    // Ranks differ only in the first two (2,1 vs 1,2): ρ = 1 − 6·2/(6·35).
    expect(link.correlation.status === "ok" && link.correlation.value.rho).toBeCloseTo(1 - 12 / 210, 12);
  });

  it("withholds below the minimum n and splits by tier", () => {
    expect(behaviourLink(rows, 4).below.spend.status).toBe("withheld");
    const byTier = behaviourByTier(rows, ["premium", "regular", "generic", ""], 2);
    expect(byTier.map((t) => [t.tier, t.link.n])).toEqual([
      ["premium", 4],
      ["generic", 2],
    ]);
  });
});

describe("servqualView weights", () => {
  it("reads weights and the score of means on the touchpoints that asked points only", () => {
    const all = new Map<string, KindSums>([
      ["reliability", { dimension_gap: sums([-2, -2, 0, 0], { sumP: 20, sumE: 24 }), importance_points: sums([70]) }],
      ["empathy", { dimension_gap: sums([1, 1, 1, 1], { sumP: 24, sumE: 20 }), importance_points: sums([30]) }],
    ]);
    // Only the first two responses (gaps −2 and +1) came from the touchpoint that asked points.
    const withPoints = new Map<string, KindSums>([
      ["reliability", { dimension_gap: sums([-2, -2], { sumP: 8, sumE: 12 }), importance_points: sums([70, 70]) }],
      ["empathy", { dimension_gap: sums([1, 1], { sumP: 12, sumE: 10 }), importance_points: sums([30, 30]) }],
    ]);
    const view = servqualView(all, {}, { minN: 2, withPoints });
    expect(view.ofMeans?.score).toBeCloseTo(0.7 * -2 + 0.3 * 1, 12);
    // The table's own gap still reads every response (−1), the weights only those with points.
    const reliability = view.rows.find((r) => r.key === "reliability")!;
    expect(reliability.gap?.status === "ok" && reliability.gap.value.meanGap).toBe(-1);
    expect(reliability.weight).toBeCloseTo(0.7, 12);
    expect(view.weighted).toBeNull();
  });
});
