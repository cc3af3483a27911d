// The experience home's numbers: Benjamini–Hochberg against the worked example of the paper that
// introduced it, the two-sample tests against hand arithmetic, each kind of finding on planted
// sums, and targets against intervals.
import { describe, expect, it } from "vitest";
import { homeFindings, type HomeUnit } from "~/cem/home-findings";
import { zeroSums, type KindSums } from "~/cem/insights";
import type { RollupColumns } from "~/cem/rollup";
import { benjaminiHochberg, npsTest, welchTest } from "~/cem/significance";
import { momentsOf } from "~/cem/statistics";
import { bucketLastDay, classifyAgainstTarget, targetInEffect, TargetInputSchema, trendTargetChecks, type Target } from "~/cem/targets";

describe("Benjamini–Hochberg", () => {
  // Benjamini & Hochberg (1995), JRSS B 57(1):289–300, section 4.2: the 15 p-values of a
  // multiple-endpoint trial (Neuhaus et al. 1992). At q = 0.05 the step-up procedure rejects the 4
  // smallest: k = 4 is the largest k with p_(k) ≤ k·0.05/15 (0.0095 ≤ 0.01333; 0.0201 > 0.01667,
  // 0.0278 > 0.02, …, 0.0459 > 0.03), where Bonferroni (0.05/15 = 0.00333) rejects only 3.
  const P = [0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.324, 0.4262, 0.5719, 0.6528, 0.759, 1];

  it("rejects the four hypotheses of the paper's example at q = 0.05", () => {
    const result = benjaminiHochberg(P, 0.05);
    expect(result.map((r) => r.significant)).toEqual(P.map((_, i) => i < 4));
  });

  it("gives the adjusted p-values p_(i)·m/i, made monotone from the top", () => {
    const q = benjaminiHochberg(P).map((r) => r.q);
    // i = 1..4: 0.0001·15 = 0.0015; 0.0004·15/2 = 0.003; 0.0019·15/3 = 0.0095; 0.0095·15/4 = 0.035625
    expect(q[0]).toBeCloseTo(0.0015, 10);
    expect(q[1]).toBeCloseTo(0.003, 10);
    expect(q[2]).toBeCloseTo(0.0095, 10);
    expect(q[3]).toBeCloseTo(0.035625, 10);
    // i = 5: 0.0201·3 = 0.0603; i = 6: 0.0278·15/6 = 0.0695 > i = 7's 0.0298·15/7 = 0.063857…,
    // so i = 6 takes 0.063857; i = 9: 0.0459·15/9 = 0.0765; i = 15: 1.
    expect(q[4]).toBeCloseTo(0.0603, 10);
    expect(q[5]).toBeCloseTo((0.0298 * 15) / 7, 10);
    expect(q[6]).toBeCloseTo((0.0298 * 15) / 7, 10);
    expect(q[8]).toBeCloseTo(0.0765, 10);
    expect(q[14]).toBe(1);
  });

  it("keeps the order given and refuses what is not a p-value", () => {
    const shuffled = [P[9], P[0], P[4], P[3]];
    // m = 4 sorted: 0.0001·4 = 0.0004; 0.0095·4/2 = 0.019; 0.0201·4/3 = 0.0268; 0.324
    expect(benjaminiHochberg(shuffled).map((r) => r.q)).toEqual([0.324, 0.0004, expect.closeTo(0.0268, 10), expect.closeTo(0.019, 10)]);
    expect(benjaminiHochberg([])).toEqual([]);
    expect(() => benjaminiHochberg([1.2])).toThrow(RangeError);
    expect(() => benjaminiHochberg([Number.NaN])).toThrow(RangeError);
  });
});

describe("two-sample tests", () => {
  it("Welch: {1..5} against {3..7}", () => {
    // means 3 and 5, s² = 2.5 each: se = √(2.5/5 + 2.5/5) = 1, t = −2,
    // ν = (0.5 + 0.5)² / (0.5²/4 + 0.5²/4) = 8; P(|T₈| > 2) = 0.0805 (t table).
    const t = welchTest(momentsOf([1, 2, 3, 4, 5]), momentsOf([3, 4, 5, 6, 7]))!;
    expect(t.difference).toBe(-2);
    expect(t.statistic).toBe(-2);
    expect(t.p).toBeCloseTo(0.0805, 4);
    // interval: −2 ± t_{.975,8} · 1 = −2 ± 2.306
    expect(t.lo).toBeCloseTo(-4.306, 3);
    expect(t.hi).toBeCloseTo(0.306, 3);
  });

  it("Welch without the interval gives the same t and p", () => {
    const a = momentsOf([1, 2, 3, 4, 5, 2, 2]);
    const b = momentsOf([3, 4, 5, 6, 7]);
    const full = welchTest(a, b)!;
    const bare = welchTest(a, b, 0.95, { interval: false })!;
    expect(bare.lo).toBeNull();
    expect(bare.statistic).toBeCloseTo(full.statistic, 12);
    expect(bare.p).toBeCloseTo(full.p, 12);
  });

  it("Welch needs two answers a side", () => {
    expect(welchTest(momentsOf([1]), momentsOf([3, 4]))).toBeNull();
  });

  it("NPS: 50 promoters and 20 detractors of 100 against 30 and 30 of 100", () => {
    // A: NPS 30, var = 0.5 + 0.2 − 0.3² = 0.61, se = 100·√(0.61/100) = 7.8102
    // B: NPS 0,  var = 0.3 + 0.3 − 0 = 0.60,    se = 100·√(0.60/100) = 7.7460
    // z = 30 / √(61 + 60) = 30/11 = 2.7273; two-sided p = 2·(1 − Φ(2.7273)) = 2·0.003193 = 0.006386
    const t = npsTest({ n: 100, promoters: 50, detractors: 20 }, { n: 100, promoters: 30, detractors: 30 })!;
    expect(t.difference).toBeCloseTo(30, 10);
    expect(t.statistic).toBeCloseTo(30 / 11, 10);
    expect(t.p).toBeCloseTo(0.006386, 5);
    expect(t.lo).toBeCloseTo(30 - 1.959964 * 11, 4);
  });
});

// ---- planted sums: a gap with mean m and SD s over n responses, NPS as counts
function gapSums(n: number, mean: number, sd: number): RollupColumns {
  return { ...zeroSums(), n, sum: n * mean, sumSq: (n - 1) * sd * sd + n * mean * mean, sumP: n * 5, sumE: n * (5 - mean) };
}
function npsSums(n: number, promoters: number, detractors: number): RollupColumns {
  return { ...zeroSums(), n, promoters, detractors, passives: n - promoters - detractors };
}
const unit = (kind: HomeUnit["kind"], key: string): HomeUnit => ({ kind, key, name: key, detail: "" });
const tiers = (entries: [string, KindSums][]) => new Map(entries);

describe("home findings", () => {
  const minN = 10;

  it("lists the worst gaps by process and touchpoint, below-minimum-n ones left out", () => {
    const found = homeFindings({
      units: [
        { unit: unit("process", "delivery"), byTier: tiers([["premium", { gap: gapSums(30, -1.5, 1) }]]), previous: {} },
        { unit: unit("process", "billing"), byTier: tiers([["regular", { gap: gapSums(30, -0.4, 1) }]]), previous: {} },
        { unit: unit("process", "onboarding"), byTier: tiers([["regular", { gap: gapSums(30, 0.3, 1) }]]), previous: {} },
        { unit: unit("process", "tiny"), byTier: tiers([["regular", { gap: gapSums(9, -3, 1) }]]), previous: {} },
        { unit: unit("touchpoint", "courier"), byTier: tiers([["generic", { gap: gapSums(12, -0.8, 1) }]]), previous: {} },
      ],
      targets: [],
      minN,
      day: "2026-12-06",
    });
    expect(found.worstGaps.process.items.map((g) => g.unit.key)).toEqual(["delivery", "billing"]);
    expect(found.worstGaps.process.items[0].gap).toMatchObject({ n: 30, value: -1.5 });
    // t interval: −1.5 ± t_{.975,29}·1/√30 = −1.5 ± 2.0452·0.18257 = [−1.8734; −1.1266]
    expect(found.worstGaps.process.items[0].gap.lo).toBeCloseTo(-1.8734, 3);
    expect(found.worstGaps.touchpoint.items.map((g) => g.unit.key)).toEqual(["courier"]);
  });

  it("flags a tier served worse than the rest, with its n and interval, and not the tiers alike", () => {
    const delivery = tiers([
      ["premium", { gap: gapSums(40, -2, 1), nps: npsSums(40, 1, 36) }],
      ["regular", { gap: gapSums(60, 0.2, 1), nps: npsSums(60, 20, 15) }],
      ["generic", { gap: gapSums(60, 0.1, 1), nps: npsSums(60, 18, 16) }],
    ]);
    const alike = tiers([
      ["premium", { gap: gapSums(40, 0.1, 1) }],
      ["regular", { gap: gapSums(60, 0.1, 1) }],
      ["generic", { gap: gapSums(60, 0.1, 1) }],
    ]);
    const found = homeFindings({
      units: [
        { unit: unit("touchpoint", "courier"), byTier: delivery, previous: {} },
        { unit: unit("process", "delivery"), byTier: delivery, previous: {} },
        { unit: unit("process", "billing"), byTier: alike, previous: {} },
      ],
      targets: [],
      minN,
      day: "2026-12-06",
    });
    const first = found.tiers.items[0];
    expect(first.unit).toMatchObject({ kind: "process", key: "delivery" });
    expect(first.tier).toBe("premium");
    expect(first.gap).toMatchObject({ n: 40, value: -2 });
    // premium − rest: rest = 120 responses of mean 0.15; the difference −2.15
    expect(first.gapTest!.difference).toBeCloseTo(-2.15, 10);
    expect(first.gapTest!.significant).toBe(true);
    // NPS premium: (1 − 36)/40 = −87.5
    expect(first.nps!.value).toBeCloseTo(-87.5, 10);
    expect(found.tiers.items.some((f) => f.unit.key === "billing")).toBe(false);
    // served worse first: premium's (negative) findings before regular's and generic's (better than a rest holding premium)
    expect(found.tiers.items.filter((f) => f.unit.kind === "process").map((f) => f.tier)[0]).toBe("premium");
    // Tier tests: 3 units × 3 tiers of gaps, and NPS on the two delivery units × 3 tiers: 9 + 6.
    expect(found.comparisons).toBe(15);
  });

  it("does not test a tier below the minimum n", () => {
    const found = homeFindings({
      units: [{ unit: unit("process", "delivery"), byTier: tiers([["premium", { gap: gapSums(9, -3, 0.5) }], ["regular", { gap: gapSums(60, 0.5, 1) }]]), previous: {} }],
      targets: [],
      minN,
      day: "2026-12-06",
    });
    expect(found.tiers.total).toBe(0);
    // regular vs rest (= premium, n 9) is not tested either
    expect(found.comparisons).toBe(0);
  });

  it("flags a change only when it survives the false discovery rate over every test", () => {
    // now −1 (n 50, SD 1) against 0 before (n 50, SD 1): se = √(1/50 + 1/50) = 0.2, t = −5.
    const worse = { unit: unit("process", "delivery"), byTier: tiers([["regular", { gap: gapSums(50, -1, 1) }]]), previous: { gap: gapSums(50, 0, 1) } };
    // t ≈ −2.2 alone: p ≈ 0.03 < 0.05, significant on its own …
    const borderline = { unit: unit("process", "billing"), byTier: tiers([["regular", { gap: gapSums(50, -0.44, 1) }]]), previous: { gap: gapSums(50, 0, 1) } };
    const alone = homeFindings({ units: [borderline], targets: [], minN, day: "2026-12-06" });
    expect(alone.changes.items).toHaveLength(1);
    expect(alone.changes.items[0].test.p).toBeLessThan(0.05);
    // … but not among ten tests of which nine show nothing (its q = p·10/1 > 0.05).
    const flat = Array.from({ length: 8 }, (_, i) => ({ unit: unit("touchpoint", `tp${i}`), byTier: tiers([["regular", { gap: gapSums(50, 0, 1) }]]), previous: { gap: gapSums(50, 0.01, 1) } }));
    const crowd = homeFindings({ units: [worse, borderline, ...flat], targets: [], minN, day: "2026-12-06" });
    expect(crowd.comparisons).toBe(10);
    expect(crowd.changes.items.map((c) => c.unit.key)).toEqual(["delivery"]);
    const change = crowd.changes.items[0];
    expect(change.test.difference).toBeCloseTo(-1, 10);
    // −1 ± t_{.975,98}·0.2 = −1 ± 1.98447·0.2
    expect(change.test.lo).toBeCloseTo(-1.396894, 4);
    expect(change.now).toMatchObject({ n: 50, value: -1 });
    expect(change.nBefore).toBe(50);
  });

  it("reports a target whose interval lies wholly below it, in effect on the window's last day", () => {
    const target = (id: number, value: number, fromDay: string | null, metric: Target["metric"] = "gap", key = "delivery"): Target => ({ id, unit: "process", unitKey: key, metric, value, fromDay });
    const units = [{ unit: unit("process", "delivery"), byTier: tiers([["regular", { gap: gapSums(30, -1, 1), nps: npsSums(30, 3, 20) }]]), previous: {} }];
    const run = (targets: Target[]) => homeFindings({ units, targets, minN, day: "2026-12-06" }).targets.items;
    // gap interval [−1.373; −0.627] wholly below 0: breached
    expect(run([target(1, 0, null)])).toMatchObject([{ metric: "gap", target: { id: 1 }, estimate: { n: 30, value: -1 } }]);
    // across −1: not a breach
    expect(run([target(1, -1, null)])).toEqual([]);
    // a later target (from 2026-12-01) replaces the earlier one; one from tomorrow is not in effect
    expect(run([target(1, -2, null), target(2, 0, "2026-12-01")]).map((f) => f.target.id)).toEqual([2]);
    expect(run([target(1, -2, null), target(2, 0, "2026-12-07")])).toEqual([]);
    // NPS (3 − 20)/30 = −56.7 against a target of 0
    expect(run([target(3, 0, null, "nps")]).map((f) => f.metric)).toEqual(["nps"]);
  });
});

describe("targets", () => {
  it("classifies an interval wholly above, wholly below or across the target", () => {
    expect(classifyAgainstTarget(1, 2, 0)).toBe("above");
    expect(classifyAgainstTarget(1, 2, 3)).toBe("below");
    expect(classifyAgainstTarget(1, 2, 1.5)).toBe("across");
    // touching counts as across: the data cannot tell the value from the target
    expect(classifyAgainstTarget(1, 2, 1)).toBe("across");
    expect(classifyAgainstTarget(1, 2, 2)).toBe("across");
    expect(() => classifyAgainstTarget(2, 1, 0)).toThrow(RangeError);
  });

  it("picks the target in effect on a day", () => {
    const t = (id: number, fromDay: string | null): Target => ({ id, unit: "touchpoint", unitKey: "courier", metric: "nps", value: 0, fromDay });
    const all = [t(1, null), t(2, "2026-06-01"), t(3, "2026-09-01")];
    expect(targetInEffect(all, "touchpoint", "courier", "nps", "2026-05-31")?.id).toBe(1);
    expect(targetInEffect(all, "touchpoint", "courier", "nps", "2026-06-01")?.id).toBe(2);
    expect(targetInEffect(all, "touchpoint", "courier", "nps", "2026-12-01")?.id).toBe(3);
    expect(targetInEffect(all, "touchpoint", "courier", "gap", "2026-12-01")).toBeNull();
    expect(targetInEffect([t(4, "2027-01-01")], "touchpoint", "courier", "nps", "2026-12-01")).toBeNull();
  });

  it("judges each trend bucket against the target in effect at its end", () => {
    expect(bucketLastDay("2026-11-30", "week")).toBe("2026-12-06");
    expect(bucketLastDay("2026-02", "month")).toBe("2026-02-28");
    expect(bucketLastDay("2024-02", "month")).toBe("2024-02-29");
    const targets: Target[] = [{ id: 1, unit: "process", unitKey: "delivery", metric: "gap", value: 0, fromDay: "2026-12-01" }];
    const checks = trendTargetChecks(targets, "process", "delivery", "gap", [
      { bucket: "2026-11-16", lo: -1, hi: -0.5 }, // ends 11-22: no target yet
      { bucket: "2026-11-30", lo: -1, hi: -0.5 }, // ends 12-06: wholly below 0
      { bucket: "2026-12-07", lo: -0.2, hi: 0.3 }, // across
      { bucket: "2026-12-14", lo: null, hi: null }, // withheld: a target but no interval
    ], "week");
    expect(checks.map((c) => c?.status ?? (c ? "none" : null))).toEqual([null, "below", "across", "none"]);
  });

  it("validates a target within its metric's range", () => {
    const ok = TargetInputSchema.safeParse({ unit: "process", unitKey: "card-delivery", metric: "gap", value: "-0.5", fromDay: "" });
    expect(ok.success && ok.data).toMatchObject({ value: -0.5, fromDay: undefined });
    const issues = (input: Record<string, string>) => {
      const r = TargetInputSchema.safeParse(input);
      return r.success ? {} : Object.fromEntries(r.error.issues.map((i) => [i.path.join("."), i.message]));
    };
    expect(issues({ unit: "process", unitKey: "card-delivery", metric: "nps", value: "150" }).value).toMatch(/between -100 and 100/);
    expect(issues({ unit: "process", unitKey: "card-delivery", metric: "csat", value: "101" }).value).toMatch(/between 0 % and 100 %/);
    expect(issues({ unit: "process", unitKey: "card-delivery", metric: "gap", value: "abc" }).value).toMatch(/number/);
    expect(issues({ unit: "process", unitKey: "card-delivery", metric: "gap", value: "" }).value).toMatch(/number/);
    expect(issues({ unit: "attribute", unitKey: "courier/punctuality", metric: "nps", value: "10" }).metric).toMatch(/gap target only/);
    expect(issues({ unit: "attribute", unitKey: "courier", metric: "gap", value: "0" }).unitKey).toMatch(/attribute/);
    expect(issues({ unit: "process", unitKey: "card-delivery", metric: "gap", value: "0", fromDay: "2026-02-30" }).fromDay).toMatch(/YYYY-MM-DD/);
  });
});
