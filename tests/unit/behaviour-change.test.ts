// The difference-in-differences behaviour link (app/cem/behaviour-change.ts): a small example worked
// by hand, and synthetic data in which tier confounds the naive after-only comparison, with a planted
// effect the estimator must recover within its interval while the naive comparison is biased.
import { describe, expect, it } from "vitest";
import { behaviourChange, combineStrata, type BehaviourWindows } from "~/cem/behaviour-change";
import { behaviourLink } from "~/cem/insights-behaviour";
import { studentTCritical } from "~/cem/distributions";

/** A row whose purchases change by `change` (before 0) and whose spend changes by ten times that. */
const row = (tier: string, gap: number, change: number): BehaviourWindows => ({
  gap,
  tier,
  purchasesBefore: 0,
  purchasesAfter: change,
  spendBefore: 100,
  spendAfter: 100 + 10 * change,
});

describe("behaviourChange, by hand", () => {
  // Tier a: below −2, −4 (mean −3, s² 2); at/above 1, 3 (mean 2, s² 2): d = −5, se² = 2/2 + 2/2 = 2,
  //   ν = 2² / (1²/1 + 1²/1) = 2.
  // Tier b: below 0, 2, 4 (mean 2, s² 4); at/above 1, 1, 4 (mean 2, s² 3): d = 0, se² = 4/3 + 3/3 = 7/3,
  //   ν = (7/3)² / ((4/3)²/2 + 1²/2) = 98/25 = 3.92.
  // Shares 4/10 and 6/10: estimate = 0.4·(−5) + 0.6·0 = −2; Var = 0.16·2 + 0.36·7/3 = 1.16;
  //   ν = 1.16² / (0.32²/2 + 0.84²/3.92) = 1.3456 / 0.2312 = 5.8200692…
  const rows = [
    row("a", -1, -2),
    row("a", -0.5, -4),
    row("a", 0, 1),
    row("a", 1, 3),
    row("b", -2, 0),
    row("b", -1, 2),
    row("b", -0.1, 4),
    row("b", 0.5, 1),
    row("b", 1, 1),
    row("b", 2, 4),
  ];

  it("combines the tiers' Welch differences by tier share", () => {
    const result = behaviourChange(rows, ["a", "b", "c"], 2);
    expect(result.n).toBe(10);
    expect(result.byTier.map((t) => t.tier)).toEqual(["a", "b"]);
    const a = result.byTier[0].purchases;
    expect(a.below.change.status === "ok" && a.below.change.value.mean).toBeCloseTo(-3, 12);
    expect(a.did.status === "ok" && a.did.value.difference).toBeCloseTo(-5, 12);
    expect(a.did.status === "ok" && a.did.value.df).toBeCloseTo(2, 12);
    const b = result.byTier[1].purchases;
    expect(b.did.status === "ok" && b.did.value.df).toBeCloseTo(3.92, 12);
    const overall = result.overall.purchases;
    expect(overall.status).toBe("ok");
    if (overall.status !== "ok") return;
    expect(overall.value.estimate).toBeCloseTo(-2, 12);
    expect(overall.value.se).toBeCloseTo(Math.sqrt(1.16), 12);
    expect(overall.value.df).toBeCloseTo(1.3456 / 0.2312, 10);
    const margin = studentTCritical(0.95, 1.3456 / 0.2312) * Math.sqrt(1.16);
    expect(overall.value.lo).toBeCloseTo(-2 - margin, 10);
    expect(overall.value.hi).toBeCloseTo(-2 + margin, 10);
    expect([overall.value.nBelow, overall.value.nAtOrAbove]).toEqual([5, 5]);
    // Spend moved ten times as much: every figure scales by ten, the df does not.
    const spend = result.overall.spend;
    expect(spend.status === "ok" && spend.value.estimate).toBeCloseTo(-20, 10);
    expect(spend.status === "ok" && spend.value.df).toBeCloseTo(1.3456 / 0.2312, 10);
    // Before and after are kept for reading: tier a's below group spent 100 before, 70 after.
    expect(result.byTier[0].spend.below.meanBefore).toBe(100);
    expect(result.byTier[0].spend.below.meanAfter).toBeCloseTo(70, 12);
  });

  it("withholds below the minimum n, per tier and overall, and keeps the n", () => {
    const result = behaviourChange(rows, ["a", "b"], 3);
    expect(result.byTier[0].purchases.did).toEqual({ status: "withheld", n: 2, minN: 3 });
    // Both tiers still enter the combination (5 below, 5 at/above ≥ 3).
    expect(result.overall.purchases.status).toBe("ok");
    expect(behaviourChange(rows, ["a", "b"], 6).overall.purchases).toEqual({ status: "withheld", n: 5, minN: 6 });
  });

  it("leaves out a tier whose group has fewer than two responses, and says so by its absence", () => {
    const combined = combineStrata([
      { tier: "x", difference: { nA: 1, nB: 4, meanA: 0, meanB: 0, difference: 0, se: null, df: null, lo: null, hi: null } },
      { tier: "y", difference: { nA: 3, nB: 3, meanA: -1, meanB: 1, difference: -2, se: 1, df: 4, lo: null, hi: null } },
    ]);
    expect(combined?.tiers).toEqual(["y"]);
    expect(combined?.estimate).toBe(-2);
    expect(combined?.df).toBeCloseTo(4, 12);
    expect(combineStrata([])).toBeNull();
  });
});

// ---- Synthetic data: tier confounds the naive comparison -------------------------------------------

function mulberry32(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TIERS = {
  // Premium buy far more, are mostly the disappointed ones, and buy more over time anyway.
  premium: { share: 0.25, belowShare: 0.7, spend: 600, spendSd: 120, trend: 40, noise: 60 },
  regular: { share: 0.35, belowShare: 0.3, spend: 180, spendSd: 50, trend: 0, noise: 30 },
  generic: { share: 0.4, belowShare: 0.1, spend: 50, spendSd: 20, trend: -10, noise: 12 },
} as const;

/** n responses; a response below expectation changes the customer's spend by `effect`. */
function synthetic(n: number, effect: number, seed: number): BehaviourWindows[] {
  const next = mulberry32(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
  return Array.from({ length: n }, () => {
    const u = next();
    const tier = u < TIERS.premium.share ? "premium" : u < TIERS.premium.share + TIERS.regular.share ? "regular" : "generic";
    const t = TIERS[tier];
    const below = next() < t.belowShare;
    // Who the customer is: a level of their own, kept on both sides of the response.
    const level = t.spend + t.spendSd * normal();
    const spendBefore = level + t.noise * normal();
    const spendAfter = level + t.trend + (below ? effect : 0) + t.noise * normal();
    return {
      gap: below ? -1 - next() : next(),
      tier,
      purchasesBefore: Math.round(spendBefore / 50),
      purchasesAfter: Math.round(spendAfter / 50),
      spendBefore,
      spendAfter,
    };
  });
}

describe("behaviourChange on confounded synthetic data", () => {
  const EFFECT = -60;
  const tiers = ["premium", "regular", "generic"];

  it("recovers the planted effect within its interval while the naive comparison points the other way", () => {
    const rows = synthetic(3000, EFFECT, 7);
    const result = behaviourChange(rows, tiers, 30);
    const overall = result.overall.spend;
    expect(overall.status).toBe("ok");
    if (overall.status !== "ok") return;
    expect(overall.value.lo).toBeLessThan(EFFECT);
    expect(overall.value.hi).toBeGreaterThan(EFFECT);
    // …and it is informative: the drop is detected.
    expect(overall.value.hi).toBeLessThan(0);
    expect(overall.value.tiers).toEqual(tiers);

    // The naive after-only view: the disappointed spend *more* afterwards, far from the truth.
    const naive = behaviourLink(
      rows.map((r) => ({ gap: r.gap, purchases: r.purchasesAfter, spend: r.spendAfter, tier: r.tier })),
      30,
    );
    expect(naive.spendDifference.status).toBe("ok");
    if (naive.spendDifference.status !== "ok") return;
    expect(naive.spendDifference.value.difference!).toBeGreaterThan(0);
    expect(naive.spendDifference.value.lo!).toBeGreaterThan(EFFECT);

    // Each customer's own change without tiers still mixes the tiers' trends (Premium buys more over
    // time and is mostly "below"): biased too, which is why the overall figure is stratified.
    const plain = result.unstratified.spend.did;
    expect(plain.status === "ok" && plain.value.lo! > EFFECT).toBe(true);
  });

  it("covers the planted effect about 95 % of the time over repeated samples", () => {
    let covered = 0;
    const runs = 200;
    for (let seed = 1; seed <= runs; seed++) {
      const overall = behaviourChange(synthetic(600, EFFECT, 1000 + seed), tiers, 10).overall.spend;
      if (overall.status === "ok" && overall.value.lo <= EFFECT && EFFECT <= overall.value.hi) covered++;
    }
    // Binomial(200, 0.95) lies in [181, 197] with probability > 0.99.
    expect(covered).toBeGreaterThanOrEqual(181);
    expect(covered).toBeLessThanOrEqual(197);
  });
});
