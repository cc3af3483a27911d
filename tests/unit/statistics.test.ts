// The numbers of DESIGN.md against published worked examples and hand arithmetic (written out
// beside each expectation). t and z critical values are the table values t_{.975,df} and z_{.975}.
import { describe, expect, it } from "vitest";
import {
  addMoments,
  ces,
  csat,
  importancePerformance,
  meanInterval,
  momentsOf,
  nps,
  npsDifference,
  pairedGap,
  pearsonFromSums,
  proportionDifference,
  spearman,
  weightedGap,
  welchDifference,
  wilson,
  withhold,
  zoneOfTolerance,
} from "~/cem/statistics";
import { averageRanks } from "~/cem/statistics-correlation";

describe("moments", () => {
  it("are additive: two batches give the sums of the whole", () => {
    const whole = momentsOf([2, 4, 4, 4, 5, 5, 7, 9]);
    expect(whole).toEqual({ n: 8, sum: 40, sumSq: 232 }); // 4+16+16+16+25+25+49+81
    expect(addMoments(momentsOf([2, 4, 4, 4]), momentsOf([5, 5, 7, 9]))).toEqual(whole);
    expect(momentsOf([])).toEqual({ n: 0, sum: 0, sumSq: 0 });
  });
  it("refuse NaN and infinities, which would poison every sum built on them", () => {
    expect(() => momentsOf([1, Number.NaN])).toThrow(RangeError);
    expect(() => momentsOf([Infinity])).toThrow(RangeError);
  });
});

describe("meanInterval", () => {
  it("computes the t interval of 2,4,4,4,5,5,7,9", () => {
    // n 8, mean 40/8 = 5, SS = 232 − 40²/8 = 32, s² = 32/7 = 4.571429, s = 2.138090,
    // se = s/√8 = 0.755929, t(.975, 7) = 2.364624, margin 1.787488 → 3.212512 .. 6.787488
    const r = meanInterval(momentsOf([2, 4, 4, 4, 5, 5, 7, 9]));
    expect(r.n).toBe(8);
    expect(r.df).toBe(7);
    expect(r.mean).toBe(5);
    expect(r.sd).toBeCloseTo(2.138090, 6);
    expect(r.se).toBeCloseTo(0.755929, 6);
    expect(r.lo).toBeCloseTo(3.212512, 6);
    expect(r.hi).toBeCloseTo(6.787488, 6);
  });
  it("n = 0 has no mean, n = 1 a mean but no SD or interval — nulls, never NaN", () => {
    expect(meanInterval(momentsOf([]))).toEqual({ n: 0, mean: null, sd: null, se: null, lo: null, hi: null, df: 0 });
    expect(meanInterval(momentsOf([4]))).toEqual({ n: 1, mean: 4, sd: null, se: null, lo: null, hi: null, df: 0 });
  });
  it("identical values give sd 0 and a zero-width interval, also for non-integers", () => {
    const r = meanInterval(momentsOf([3, 3, 3]));
    expect([r.sd, r.lo, r.hi]).toEqual([0, 3, 3]);
    // 0.1 is not exact in binary; Σx² − (Σx)²/n leaves rounding residue that must not show as spread.
    expect(meanInterval(momentsOf(Array(7).fill(0.1))).sd).toBe(0);
  });
  it("widens with the level: 90% uses t(.95, 7) = 1.894579", () => {
    const r = meanInterval(momentsOf([2, 4, 4, 4, 5, 5, 7, 9]), 0.9);
    expect(r.hi! - 5).toBeCloseTo(1.894579 * 0.755929, 5);
  });
  it("rejects levels given as percentages", () => {
    expect(() => meanInterval(momentsOf([1, 2]), 95)).toThrow(RangeError);
  });
  it("ces is the mean effort with its t interval", () => {
    expect(ces(momentsOf([2, 4, 4, 4, 5, 5, 7, 9]))).toEqual(meanInterval(momentsOf([2, 4, 4, 4, 5, 5, 7, 9])));
  });
});

describe("pairedGap", () => {
  it("intervals the per-respondent gap d = P − E", () => {
    // P 5,6,4,7,5 (Σ 27); E 6,6,5,5,6 (Σ 28); d −1,0,−1,2,−1: Σd = −1, Σd² = 7
    // mean d −0.2; SS = 7 − 1/5 = 6.8; s² = 1.7, s = 1.303840; se = s/√5 = 0.583095
    // t(.975, 4) = 2.776445 → margin 1.618932 → −1.818932 .. 1.418932
    const r = pairedGap({ n: 5, sumP: 27, sumE: 28, sumD: -1, sumD2: 7 });
    expect(r.meanP).toBeCloseTo(5.4, 12);
    expect(r.meanE).toBeCloseTo(5.6, 12);
    expect(r.meanGap).toBeCloseTo(-0.2, 12);
    expect(r.sdGap).toBeCloseTo(1.303840, 6);
    expect(r.lo).toBeCloseTo(-1.818932, 6);
    expect(r.hi).toBeCloseTo(1.418932, 6);
    expect(r.n).toBe(5);
  });
  it("n = 0 and n = 1 report what exists and null the rest", () => {
    expect(pairedGap({ n: 0, sumP: 0, sumE: 0, sumD: 0, sumD2: 0 })).toMatchObject({
      n: 0, meanP: null, meanGap: null, sdGap: null, lo: null, hi: null });
    expect(pairedGap({ n: 1, sumP: 6, sumE: 7, sumD: -1, sumD2: 1 })).toMatchObject({
      n: 1, meanP: 6, meanE: 7, meanGap: -1, sdGap: null, lo: null, hi: null });
  });
});

describe("zoneOfTolerance", () => {
  // Four responses: P 6,7,5,6 (Σ 24); adequate 5,5,5,5 (Σ 20); desired 7,8,7,8 (Σ 30).
  // MSA = P − adequate = 1,2,0,1: Σ 4, Σ² 6, mean 1, s² = (6 − 16/4)/3 = 2/3
  // MSS = P − desired = −1,−1,−2,−2: Σ −6, Σ² 10, mean −1.5, s² = (10 − 36/4)/3 = 1/3
  const inside = {
    n: 4, sumP: 24, sumAdequate: 20, sumDesired: 30,
    msa: { n: 4, sum: 4, sumSq: 6 }, mss: { n: 4, sum: -6, sumSq: 10 },
  };
  it("places mean P 6 between adequate 5 and desired 7.5 inside, with t intervals for MSA and MSS", () => {
    const r = zoneOfTolerance(inside);
    expect(r.zone).toBe("inside");
    expect([r.meanP, r.meanAdequate, r.meanDesired]).toEqual([6, 5, 7.5]);
    // MSA se = √((2/3)/4) = 0.408248, t(.975, 3) = 3.182446 → margin 1.299228
    expect(r.msa.mean).toBe(1);
    expect(r.msa.lo).toBeCloseTo(-0.299228, 6);
    expect(r.msa.hi).toBeCloseTo(2.299228, 6);
    // MSS se = √((1/3)/4) = 0.288675 → margin 0.918693 → −2.418693 .. −0.581307
    expect(r.mss.mean).toBe(-1.5);
    expect(r.mss.lo).toBeCloseTo(-2.418693, 6);
    expect(r.mss.hi).toBeCloseTo(-0.581307, 6);
  });
  it("is below when mean P < mean adequate and above when mean P > mean desired", () => {
    expect(zoneOfTolerance({ ...inside, sumP: 16 }).zone).toBe("below"); // 4 < 5
    expect(zoneOfTolerance({ ...inside, sumP: 32 }).zone).toBe("above"); // 8 > 7.5
    expect(zoneOfTolerance({ ...inside, sumP: 20 }).zone).toBe("inside"); // 5 = adequate is adequate
  });
  it("n = 0 has no zone; mismatched n is refused because the means would not pair", () => {
    const empty = { n: 0, sum: 0, sumSq: 0 };
    expect(zoneOfTolerance({ n: 0, sumP: 0, sumAdequate: 0, sumDesired: 0, msa: empty, mss: empty }).zone).toBeNull();
    expect(() => zoneOfTolerance({ ...inside, msa: { n: 3, sum: 4, sumSq: 6 } })).toThrow(RangeError);
  });
});

describe("weightedGap", () => {
  it("weights the five SERVQUAL dimension gaps by 100 importance points", () => {
    // (10·−0.5 + 32·−1.2 + 22·−0.8 + 19·−0.3 + 17·−0.6) / 100
    // = (−5 − 38.4 − 17.6 − 5.7 − 10.2) / 100 = −76.9 / 100 = −0.769
    const r = weightedGap([
      { dimension: "tangibles", meanGap: -0.5, importancePoints: 10 },
      { dimension: "reliability", meanGap: -1.2, importancePoints: 32 },
      { dimension: "responsiveness", meanGap: -0.8, importancePoints: 22 },
      { dimension: "assurance", meanGap: -0.3, importancePoints: 19 },
      { dimension: "empathy", meanGap: -0.6, importancePoints: 17 },
    ]);
    expect(r.score).toBeCloseTo(-0.769, 12);
    expect(r.totalPoints).toBe(100);
    expect(r.dimensions[1]).toMatchObject({ dimension: "reliability", weight: 0.32 });
    expect(r.dimensions[1].contribution).toBeCloseTo(-0.384, 12);
  });
  it("normalises points that do not sum to 100: weights 1/4 and 3/4", () => {
    // 2·(−1) + 6·1 over 8 points = (−2 + 6)/8 = 0.5
    expect(weightedGap([
      { dimension: "a", meanGap: -1, importancePoints: 2 },
      { dimension: "b", meanGap: 1, importancePoints: 6 },
    ]).score).toBeCloseTo(0.5, 12);
  });
  it("no points, no score; negative points are refused", () => {
    expect(weightedGap([]).score).toBeNull();
    expect(weightedGap([{ dimension: "a", meanGap: 1, importancePoints: 0 }]).score).toBeNull();
    expect(() => weightedGap([{ dimension: "a", meanGap: 1, importancePoints: -5 }])).toThrow(RangeError);
  });
});

describe("nps", () => {
  it("scores 90 promoters and 40 detractors of 200 as 25 ± 10.62", () => {
    // pP = 0.45, pD = 0.20, score 25; var = 0.45 + 0.20 − 0.25² = 0.5875
    // se = 100·√(0.5875/200) = 5.419871; margin 1.959964·5.419871 = 10.622752
    const r = nps({ n: 200, promoters: 90, detractors: 40 });
    expect(r.score).toBeCloseTo(25, 12);
    expect(r.pPromoters).toBe(0.45);
    expect(r.pDetractors).toBe(0.2);
    expect(r.se).toBeCloseTo(5.419871, 6);
    expect(r.lo).toBeCloseTo(14.377248, 5);
    expect(r.hi).toBeCloseTo(35.622752, 5);
  });
  it("adjusted Wald adds ¾ promoter, ¾ detractor, 1½ passives: 6 P, 2 D of 10", () => {
    // n' = 13, p' = 6.75/13 = 0.519231, d' = 2.75/13 = 0.211538, NPS' = 4/13 = 0.307692
    // var' = 0.730769 − 0.307692² = 0.636095; se' = √(0.636095/13) = 0.221202
    // 30.7692 ± 1.959964·22.1202 → −12.5856 .. 74.1240 (the plain Wald: 40 ± 49.58 → −9.58 .. 89.58)
    const r = nps({ n: 10, promoters: 6, detractors: 2 });
    expect(r.adjustedWald!.lo).toBeCloseTo(-12.585580, 5);
    expect(r.adjustedWald!.hi).toBeCloseTo(74.124042, 5);
    expect(r.lo).toBeCloseTo(-9.583603, 5);
    expect(r.hi).toBeCloseTo(89.583603, 5);
  });
  it("all promoters: the Wald interval collapses to 100, the adjusted Wald does not", () => {
    // Wald: var = 1 + 0 − 1 = 0. Adjusted: n' 8, p' 5.75/8, d' 0.75/8, NPS' 62.5,
    // var' = 0.8125 − 0.390625 = 0.421875, se' = 22.963966 → 17.491453 .. 107.5 → clamped to 100
    const r = nps({ n: 5, promoters: 5, detractors: 0 });
    expect([r.score, r.se, r.lo, r.hi]).toEqual([100, 0, 100, 100]);
    expect(r.adjustedWald!.lo).toBeCloseTo(17.491453, 5);
    expect(r.adjustedWald!.hi).toBe(100);
  });
  it("clamps the Wald interval to the score's range", () => {
    // 4 P, 1 passive of 5: 80 ± 1.959964·100·√(0.16/5) = 80 ± 35.06 → upper 115 clamped to 100
    expect(nps({ n: 5, promoters: 4, detractors: 0 }).hi).toBe(100);
    expect(nps({ n: 5, promoters: 0, detractors: 5 }).lo).toBe(-100);
  });
  it("n = 0 is all null; impossible counts are refused", () => {
    expect(nps({ n: 0, promoters: 0, detractors: 0 })).toMatchObject({ score: null, se: null, lo: null, adjustedWald: null });
    expect(() => nps({ n: 5, promoters: 4, detractors: 2 })).toThrow(RangeError);
    expect(() => nps({ n: 5, promoters: 1.5, detractors: 0 })).toThrow(RangeError);
  });
});

describe("npsDifference", () => {
  it("combines standard errors: √(se_A² + se_B²)", () => {
    // A: 90 P, 40 D of 200 → 25, se² = 0.5875/200·100² = 29.375
    // B: 60 P, 45 D of 150 → 10, var = 0.7 − 0.01 = 0.69, se² = 0.69/150·100² = 46
    // difference 15, se = √75.375 = 8.681878, margin 17.016168 → −2.016168 .. 32.016168
    const r = npsDifference({ n: 200, promoters: 90, detractors: 40 }, { n: 150, promoters: 60, detractors: 45 });
    expect(r.difference).toBeCloseTo(15, 10);
    expect(r.se).toBeCloseTo(8.681878, 6);
    expect(r.lo).toBeCloseTo(-2.016168, 5);
    expect(r.hi).toBeCloseTo(32.016168, 5);
    expect([r.nA, r.nB]).toEqual([200, 150]);
  });
  it("an empty group gives no difference", () => {
    const r = npsDifference({ n: 0, promoters: 0, detractors: 0 }, { n: 10, promoters: 5, detractors: 1 });
    expect(r).toMatchObject({ difference: null, se: null, lo: null, hi: null, nA: 0, nB: 10 });
  });
});

describe("wilson", () => {
  it("reproduces Newcombe (1998) method 3 worked examples to 4 decimals", () => {
    const cases: [number, number, number, number][] = [
      [81, 263, 0.2553, 0.3662],
      [15, 148, 0.0624, 0.1605],
      [0, 20, 0, 0.1611],
      [1, 29, 0.0061, 0.1718],
    ];
    for (const [x, n, lo, hi] of cases) {
      const r = wilson(x, n);
      expect(r.lo).toBeCloseTo(lo, 4);
      expect(r.hi).toBeCloseTo(hi, 4);
    }
  });
  it("p = 0 and p = 1 keep exact bounds 0 and 1, mirror images of each other", () => {
    expect(wilson(0, 20)).toMatchObject({ p: 0, lo: 0 });
    const all = wilson(20, 20);
    expect(all.p).toBe(1);
    expect(all.hi).toBe(1);
    expect(all.lo).toBeCloseTo(1 - wilson(0, 20).hi!, 12); // 0.8389
  });
  it("n = 0 has no proportion; successes above n are refused", () => {
    expect(wilson(0, 0)).toEqual({ n: 0, p: null, lo: null, hi: null });
    expect(() => wilson(3, 2)).toThrow(RangeError);
  });
});

describe("csat", () => {
  it("is the top-2-box share with a Wilson interval: 40 of 50", () => {
    // p 0.8, z² = 3.841459, denominator 1 + z²/50 = 1.076829, centre (0.8 + 0.038415)/1.076829 = 0.778596
    // half = 1.959964·√(0.16/50 + 3.841459/10000)/1.076829 = 0.108967 → 0.669629 .. 0.887562
    const r = csat({ n: 50, top2: 40 });
    expect(r).toMatchObject({ n: 50, top2: 40, share: 0.8 });
    expect(r.lo).toBeCloseTo(0.669629, 6);
    expect(r.hi).toBeCloseTo(0.887562, 6);
  });
});

describe("welchDifference", () => {
  it("uses the Welch–Satterthwaite df for unequal variances", () => {
    // A 20,22,19,24,25,21: n 6, mean 21.833333, s² 5.366667, v = s²/n = 0.894444
    // B 15,18,17,30,12,16,20,14: n 8, mean 17.75, s² 30.5, v = 3.8125
    // se = √4.706944 = 2.169549; ν = 4.706944² / (0.894444²/5 + 3.8125²/7) = 22.155/2.236 = 9.906439
    // t(.975, 9.906) ≈ 2.2287 → 4.083333 ± 4.840253 → −0.756920 .. 8.923586
    const a = momentsOf([20, 22, 19, 24, 25, 21]);
    const b = momentsOf([15, 18, 17, 30, 12, 16, 20, 14]);
    const r = welchDifference(a, b);
    expect(r.difference).toBeCloseTo(4.083333, 6);
    expect(r.se).toBeCloseTo(2.169549, 6);
    expect(r.df).toBeCloseTo(9.906439, 6);
    expect(r.lo).toBeCloseTo(-0.756920, 6);
    expect(r.hi).toBeCloseTo(8.923586, 6);
  });
  it("needs two responses per group for an interval; spread-free groups give a point", () => {
    const one = welchDifference(momentsOf([5]), momentsOf([3, 4]));
    expect(one).toMatchObject({ difference: 1.5, se: null, df: null, lo: null, hi: null });
    expect(welchDifference(momentsOf([]), momentsOf([3, 4])).difference).toBeNull();
    expect(welchDifference(momentsOf([5, 5]), momentsOf([3, 3]))).toMatchObject({ difference: 2, se: 0, lo: 2, hi: 2 });
  });
});

describe("proportionDifference", () => {
  it("reproduces Newcombe (1998) method 10, example 56/70 − 48/80 → 0.0524 .. 0.3339", () => {
    const r = proportionDifference(56, 70, 48, 80);
    expect(r.difference).toBeCloseTo(0.2, 12);
    expect(r.lo).toBeCloseTo(0.0524, 4);
    expect(r.hi).toBeCloseTo(0.3339, 4);
  });
  it("handles zero cells and boundaries (values recomputed independently from the Wilson limits)", () => {
    // 9/10 − 3/10 → 0.1705 .. 0.8090; 10/10 − 0/20 → 0.6791 .. 1; 0/10 − 0/10 → ±0.2775
    const b = proportionDifference(9, 10, 3, 10);
    expect([b.lo, b.hi].map((v) => v!.toFixed(4))).toEqual(["0.1705", "0.8090"]);
    const g = proportionDifference(10, 10, 0, 20);
    expect(g.lo).toBeCloseTo(0.6791, 4);
    expect(g.hi).toBeCloseTo(1, 12);
    const f = proportionDifference(0, 10, 0, 10);
    expect(f.lo).toBeCloseTo(-0.2775, 4);
    expect(f.hi).toBeCloseTo(0.2775, 4);
  });
  it("an empty group gives no difference", () => {
    expect(proportionDifference(0, 0, 3, 10)).toMatchObject({ p1: null, p2: 0.3, difference: null, lo: null });
  });
});

describe("pearsonFromSums", () => {
  it("computes r from sums: x 1..5, y 2,4,5,4,5", () => {
    // Σx 15, Σy 20, Σx² 55, Σy² 86, Σxy 2+8+15+16+25 = 66
    // (5·66 − 15·20) / √((5·55 − 225)(5·86 − 400)) = 30 / √(50·30) = 30/38.729833 = 0.774597
    expect(pearsonFromSums({ n: 5, sumX: 15, sumY: 20, sumX2: 55, sumY2: 86, sumXY: 66 })).toBeCloseTo(0.774597, 6);
  });
  it("is ±1 for a perfect line and null when undefined", () => {
    // y = 3 − 2x over x = 0, 1, 2: Σx 3, Σy 3, Σx² 5, Σy² 11, Σxy 0 − 1 − 2 = −3 → (−9 − 9)/√(6·24) = −1
    expect(pearsonFromSums({ n: 3, sumX: 3, sumY: 3, sumX2: 5, sumY2: 11, sumXY: -3 })).toBe(-1);
    expect(pearsonFromSums({ n: 1, sumX: 1, sumY: 1, sumX2: 1, sumY2: 1, sumXY: 1 })).toBeNull();
    expect(pearsonFromSums({ n: 3, sumX: 6, sumY: 6, sumX2: 12, sumY2: 14, sumXY: 12 })).toBeNull(); // x 2,2,2
  });
});

describe("spearman", () => {
  it("reproduces the IQ / TV-hours example: ρ = −29/165, p = 0.627188", () => {
    // Wikipedia, "Spearman's rank correlation coefficient", Example: Σd² = 194,
    // ρ = 1 − 6·194/(10·99) = −29/165 = −0.175758; p = 0.627188 (t on 8 df)
    const iq = [106, 100, 86, 101, 99, 103, 97, 113, 112, 110];
    const tv = [7, 27, 2, 50, 28, 29, 20, 12, 6, 17];
    const r = spearman(iq, tv);
    expect(r.rho).toBeCloseTo(-29 / 165, 12);
    expect(r.p).toBeCloseTo(0.627188, 6);
    // Bonett–Wright: atanh(−0.175758) = −0.177607, se = √((1 + 0.015446)/7) = 0.380869,
    // tanh(−0.177607 ∓ 1.959964·0.380869) → −0.727830 .. 0.514547
    expect(r.lo).toBeCloseTo(-0.727830, 6);
    expect(r.hi).toBeCloseTo(0.514547, 6);
  });
  it("reproduces the English / Maths marks example without ties: ρ = 1 − 6·54/990 = 0.6727", () => {
    const english = [56, 75, 45, 71, 62, 64, 58, 80, 76, 61];
    const maths = [66, 70, 40, 60, 65, 56, 59, 77, 67, 63];
    expect(spearman(english, maths).rho).toBeCloseTo(1 - 324 / 990, 12);
  });
  it("gives ties the average rank and correlates ranks (the shortcut formula would be wrong)", () => {
    expect(averageRanks([10, 20, 20, 30, 40])).toEqual([1, 2.5, 2.5, 4, 5]);
    expect(averageRanks([7, 7, 7])).toEqual([2, 2, 2]);
    // x ranks 1,2.5,2.5,4,5 and y 1,3,2,2,5 → ranks 1,4,2.5,2.5,5; deviations from 3:
    // dx −2,−.5,−.5,1,2; dy −2,1,−.5,−.5,2; Σdxdy = 4 − .5 + .25 − .5 + 4 = 7.25; Σdx² = Σdy² = 9.5
    // ρ = 7.25/9.5 = 29/38 = 0.763158 (the 1 − 6Σd²/n(n²−1) shortcut would give 0.775)
    const r = spearman([10, 20, 20, 30, 40], [1, 3, 2, 2, 5]);
    expect(r.rho).toBeCloseTo(29 / 38, 12);
    // t = 0.763158·√(3/(1 − 0.582410)) = 2.045525 on 3 df → p = 0.133339
    expect(r.p).toBeCloseTo(0.133339, 6);
    expect(r.lo).toBeCloseTo(-0.516156, 6);
    expect(r.hi).toBeCloseTo(0.988549, 6);
    // x 1,2,2,3 and y 1,3,2,4: ranks 1,2.5,2.5,4 vs 1,3,2,4 → 4.5/√(4.5·5) = √0.9 = 0.948683
    expect(spearman([1, 2, 2, 3], [1, 3, 2, 4]).rho).toBeCloseTo(Math.sqrt(0.9), 12);
  });
  it("perfect monotone association: ρ = ±1, interval [±1, ±1], p = 0", () => {
    const up = spearman([1, 2, 3, 4, 5], [1, 4, 9, 16, 25]);
    expect([up.rho, up.lo, up.hi, up.p]).toEqual([1, 1, 1, 0]);
    expect(spearman([1, 2, 3, 4, 5], [5, 4, 3, 2, 1]).rho).toBe(-1);
  });
  it("too few pairs or a constant variable give nulls, never NaN", () => {
    expect(spearman([], [])).toEqual({ n: 0, rho: null, lo: null, hi: null, p: null });
    expect(spearman([1, 2], [3, 4])).toEqual({ n: 2, rho: 1, lo: null, hi: null, p: null });
    expect(spearman([1, 2, 3], [2, 1, 3])).toMatchObject({ n: 3, lo: null, hi: null });
    expect(spearman([1, 2, 3, 4], [5, 5, 5, 5]).rho).toBeNull();
    expect(() => spearman([1, 2], [1])).toThrow(RangeError);
  });
});

describe("importancePerformance", () => {
  it("places attributes in Martilla & James quadrants against the means", () => {
    // importance 4,2,5,1 → mean 3; performance 2,4,5,3 → mean 3.5
    const r = importancePerformance([
      { key: "waiting", importance: 4, performance: 2 },
      { key: "decor", importance: 2, performance: 4 },
      { key: "staff", importance: 5, performance: 5 },
      { key: "parking", importance: 1, performance: 3 },
    ]);
    expect(r.meanImportance).toBe(3);
    expect(r.meanPerformance).toBe(3.5);
    expect(Object.fromEntries(r.points.map((p) => [p.key, p.quadrant]))).toEqual({
      waiting: "concentrate_here",
      decor: "possible_overkill",
      staff: "keep_up_the_good_work",
      parking: "low_priority",
    });
  });
  it("a point on the crosshair counts as high; no points, no means", () => {
    const r = importancePerformance([
      { key: "a", importance: 1, performance: 1 },
      { key: "b", importance: 2, performance: 2 },
      { key: "c", importance: 3, performance: 3 },
    ]);
    expect(r.points[1].quadrant).toBe("keep_up_the_good_work");
    expect(importancePerformance([])).toEqual({ meanImportance: null, meanPerformance: null, points: [] });
  });
});

describe("withhold", () => {
  it("shows the value with its n at or above the minimum, and says so below it", () => {
    expect(withhold(30, 30, 4.2)).toEqual({ status: "ok", n: 30, value: 4.2 });
    expect(withhold(29, 30, 4.2)).toEqual({ status: "withheld", n: 29, minN: 30 });
    expect(withhold(0, 1, null)).toEqual({ status: "withheld", n: 0, minN: 1 });
  });
  it("refuses a negative or fractional n", () => {
    expect(() => withhold(-1, 5, 0)).toThrow(RangeError);
  });
});
