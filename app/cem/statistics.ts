// The numbers of DESIGN.md ("The numbers"): means, gaps, NPS, CSAT and their intervals, computed
// from additive sums so a dashboard never needs the raw responses. Correlations live beside it.
import { normalCritical, requireLevel, studentTCritical } from "./distributions";

export { importancePerformance, pearsonFromSums, spearman } from "./statistics-correlation";
export type {
  CrossSums, ImportancePerformance, ImportancePerformancePoint, Quadrant, RankCorrelation,
} from "./statistics-correlation";

/** Additive sums of one measure: two sets of responses combine by adding them. */
export type Moments = { n: number; sum: number; sumSq: number };

/** A mean with its t interval; every figure that cannot exist at this n is null, never NaN. */
export type MeanInterval = {
  n: number;
  mean: number | null;
  sd: number | null;
  se: number | null;
  lo: number | null;
  hi: number | null;
  df: number;
};

export function momentsOf(values: readonly number[]): Moments {
  let sum = 0;
  let sumSq = 0;
  for (const v of values) {
    // One NaN in the sums would silently poison every dashboard built from them.
    if (!Number.isFinite(v)) throw new RangeError(`moments need finite values, got ${v}`);
    sum += v;
    sumSq += v * v;
  }
  return { n: values.length, sum, sumSq };
}

export function addMoments(a: Moments, b: Moments): Moments {
  return { n: a.n + b.n, sum: a.sum + b.sum, sumSq: a.sumSq + b.sumSq };
}

function requireCount(n: number, what: string): void {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`${what} must be a count ≥ 0, got ${n}`);
}

/**
 * Sample variance from sums: s² = (Σx² − (Σx)²/n) / (n − 1).
 * The subtraction cancels; a residue below the rounding error of Σx² is noise from identical
 * values, so it is reported as 0 rather than as a tiny spurious spread.
 */
function sampleVariance(n: number, sum: number, sumSq: number): number {
  const ss = sumSq - (sum * sum) / n;
  if (ss <= Math.abs(sumSq) * 1e-13) return 0;
  return ss / (n - 1);
}

/**
 * Mean with a Student t interval: x̄ ± t_{1−α/2, n−1} · s/√n, s the n−1 sample SD
 * (Student 1908, "The probable error of a mean", Biometrika 6:1–25).
 * n = 0: no mean. n = 1: a mean but no SD and no interval.
 */
export function meanInterval(m: Moments, level = 0.95): MeanInterval {
  requireCount(m.n, "n");
  requireLevel(level);
  const { n } = m;
  const df = Math.max(n - 1, 0);
  if (n === 0) return { n, mean: null, sd: null, se: null, lo: null, hi: null, df };
  const mean = m.sum / n;
  if (n === 1) return { n, mean, sd: null, se: null, lo: null, hi: null, df };
  const sd = Math.sqrt(sampleVariance(n, m.sum, m.sumSq));
  const se = sd / Math.sqrt(n);
  const margin = studentTCritical(level, df) * se;
  return { n, mean, sd, se, lo: mean - margin, hi: mean + margin, df };
}

/**
 * Customer Effort Score: the mean effort rating with its t interval, exactly meanInterval
 * (DESIGN.md: "CES mean with t CI"). Named so call sites read as the measure they report.
 */
export const ces = meanInterval;

export type PairedGapSums = { n: number; sumP: number; sumE: number; sumD: number; sumD2: number };
export type PairedGap = {
  n: number;
  meanP: number | null;
  meanE: number | null;
  meanGap: number | null;
  sdGap: number | null;
  se: number | null;
  lo: number | null;
  hi: number | null;
  df: number;
};

/**
 * Paired gap d = P − E per respondent: mean d ± t_{1−α/2, n−1} · s_d/√n — the paired t interval
 * (Student 1908), the SERVQUAL gap of Parasuraman, Zeithaml & Berry (1988), "SERVQUAL: a
 * multiple-item scale for measuring consumer perceptions of service quality", J. Retailing 64(1).
 * Pairing matters: the SD of d is not derivable from the SDs of P and E.
 */
export function pairedGap(input: PairedGapSums, level = 0.95): PairedGap {
  const gap = meanInterval({ n: input.n, sum: input.sumD, sumSq: input.sumD2 }, level);
  const { n } = input;
  return {
    n,
    meanP: n > 0 ? input.sumP / n : null,
    meanE: n > 0 ? input.sumE / n : null,
    meanGap: gap.mean,
    sdGap: gap.sd,
    se: gap.se,
    lo: gap.lo,
    hi: gap.hi,
    df: gap.df,
  };
}

export type ZoneSums = {
  n: number;
  sumP: number;
  sumAdequate: number;
  sumDesired: number;
  msa: Moments;
  mss: Moments;
};
export type Zone = "below" | "inside" | "above";
export type ZoneOfTolerance = {
  n: number;
  meanP: number | null;
  meanAdequate: number | null;
  meanDesired: number | null;
  msa: MeanInterval;
  mss: MeanInterval;
  zone: Zone | null;
};

/**
 * Zone of tolerance: measure of service adequacy MSA = P − adequate and of service superiority
 * MSS = P − desired, each a paired mean with t interval; perception below the adequate level is
 * "below", above the desired level "above", otherwise "inside" (Zeithaml, Berry & Parasuraman 1993,
 * "The nature and determinants of customer expectations of service", JAMS 21(1):1–12;
 * Parasuraman, Zeithaml & Berry 1994, J. Retailing 70(3):201–230).
 */
export function zoneOfTolerance(input: ZoneSums, level = 0.95): ZoneOfTolerance {
  const { n } = input;
  requireCount(n, "n");
  // The three measures must come from the same responses, or the paired means do not pair.
  if (input.msa.n !== n || input.mss.n !== n) {
    throw new RangeError(`zone of tolerance: msa.n and mss.n must equal n (${n})`);
  }
  const msa = meanInterval(input.msa, level);
  const mss = meanInterval(input.mss, level);
  if (n === 0) {
    return { n, meanP: null, meanAdequate: null, meanDesired: null, msa, mss, zone: null };
  }
  const meanP = input.sumP / n;
  const meanAdequate = input.sumAdequate / n;
  const meanDesired = input.sumDesired / n;
  const zone: Zone = meanP < meanAdequate ? "below" : meanP > meanDesired ? "above" : "inside";
  return { n, meanP, meanAdequate, meanDesired, msa, mss, zone };
}

export type DimensionGap = { dimension: string; meanGap: number; importancePoints: number };
export type WeightedGap = {
  score: number | null;
  totalPoints: number;
  dimensions: (DimensionGap & { weight: number; contribution: number })[];
};

/**
 * Weighted SERVQUAL score: Σ wᵢ · gapᵢ with wᵢ = pointsᵢ / Σ points, the points being the stated
 * importance (customers share 100 points over the dimensions) (Parasuraman, Zeithaml & Berry 1988,
 * J. Retailing 64(1):12–40; 1991, "Refinement and reassessment of the SERVQUAL scale",
 * J. Retailing 67(4):420–450). No points at all: no weights, no score.
 */
export function weightedGap(dimensions: readonly DimensionGap[]): WeightedGap {
  let totalPoints = 0;
  for (const d of dimensions) {
    if (!(d.importancePoints >= 0) || !Number.isFinite(d.importancePoints)) {
      throw new RangeError(`importance points must be ≥ 0 (${d.dimension}: ${d.importancePoints})`);
    }
    totalPoints += d.importancePoints;
  }
  if (totalPoints === 0) return { score: null, totalPoints, dimensions: [] };
  const weighted = dimensions.map((d) => {
    const weight = d.importancePoints / totalPoints;
    return { ...d, weight, contribution: weight * d.meanGap };
  });
  const score = weighted.reduce((acc, d) => acc + d.contribution, 0);
  return { score, totalPoints, dimensions: weighted };
}

export type Interval = { lo: number; hi: number };
export type NpsCounts = { n: number; promoters: number; detractors: number };
export type Nps = {
  n: number;
  score: number | null;
  pPromoters: number | null;
  pDetractors: number | null;
  se: number | null;
  lo: number | null;
  hi: number | null;
  adjustedWald: Interval | null;
};

function requireNpsCounts({ n, promoters, detractors }: NpsCounts): void {
  requireCount(n, "n");
  requireCount(promoters, "promoters");
  requireCount(detractors, "detractors");
  if (promoters + detractors > n) {
    throw new RangeError(`promoters + detractors (${promoters + detractors}) exceed n (${n})`);
  }
}

// NPS is a difference of shares of one trinomial, so its variance is pP + pD − (pP − pD)².
function npsVariance(pP: number, pD: number): number {
  return Math.max(pP + pD - (pP - pD) ** 2, 0);
}

// An interval for a score bounded by ±limit cannot usefully reach past the bound.
function clamp(x: number, limit: number): number {
  return Math.min(limit, Math.max(-limit, x));
}

/**
 * Net Promoter Score in points: 100 · (pP − pD), promoters 9–10 and detractors 0–6
 * (Reichheld 2003, "The one number you need to grow", HBR 81(12)).
 * Wald interval: score ± z · se, se = 100 · √((pP + pD − (pP − pD)²) / n) (DESIGN.md; Rocks 2016).
 * Adjusted Wald, better at small n: add ¾ promoter, ¾ detractor and 1½ passives (n + 3), then the
 * same Wald interval around the adjusted score (Rocks 2016, "Interval estimation for the 'Net
 * Promoter Score'", The American Statistician 70(4):365–372, and the defaults of his R package NPS,
 * pseudo_observations = c(0.75, 1.5, 0.75); Sauro & Lewis, MeasuringU 2021, "Evaluating NPS
 * confidence intervals with real-world data"). Both are clamped to the score's range ±100.
 */
export function nps(input: NpsCounts, level = 0.95): Nps {
  requireNpsCounts(input);
  requireLevel(level);
  const { n, promoters, detractors } = input;
  if (n === 0) {
    return { n, score: null, pPromoters: null, pDetractors: null, se: null, lo: null, hi: null,
      adjustedWald: null };
  }
  const z = normalCritical(level);
  const pPromoters = promoters / n;
  const pDetractors = detractors / n;
  const score = 100 * (pPromoters - pDetractors);
  const se = 100 * Math.sqrt(npsVariance(pPromoters, pDetractors) / n);

  const nAdj = n + 3;
  const pAdj = (promoters + 0.75) / nAdj;
  const dAdj = (detractors + 0.75) / nAdj;
  const scoreAdj = 100 * (pAdj - dAdj);
  const seAdj = 100 * Math.sqrt(npsVariance(pAdj, dAdj) / nAdj);
  return {
    n,
    score,
    pPromoters,
    pDetractors,
    se,
    lo: clamp(score - z * se, 100),
    hi: clamp(score + z * se, 100),
    adjustedWald: { lo: clamp(scoreAdj - z * seAdj, 100), hi: clamp(scoreAdj + z * seAdj, 100) },
  };
}

export type NpsDifference = {
  nA: number;
  nB: number;
  difference: number | null;
  se: number | null;
  lo: number | null;
  hi: number | null;
};

/**
 * Difference of two independent NPS, A − B, in points: se = √(se_A² + se_B²), normal interval
 * (Rocks 2016, two-sample Wald test), clamped to ±200.
 */
export function npsDifference(a: NpsCounts, b: NpsCounts, level = 0.95): NpsDifference {
  const ra = nps(a, level);
  const rb = nps(b, level);
  if (ra.score === null || rb.score === null || ra.se === null || rb.se === null) {
    return { nA: a.n, nB: b.n, difference: null, se: null, lo: null, hi: null };
  }
  const difference = ra.score - rb.score;
  const se = Math.sqrt(ra.se ** 2 + rb.se ** 2);
  const margin = normalCritical(level) * se;
  return { nA: a.n, nB: b.n, difference, se,
    lo: clamp(difference - margin, 200), hi: clamp(difference + margin, 200) };
}

export type Proportion = { n: number; p: number | null; lo: number | null; hi: number | null };

/**
 * Wilson score interval for a proportion:
 * (p + z²/2n ± z √(p(1−p)/n + z²/4n²)) / (1 + z²/n)
 * (Wilson 1927, JASA 22:209–212; method 3 of Newcombe 1998, "Two-sided confidence intervals for
 * the single proportion: comparison of seven methods", Statistics in Medicine 17:857–872).
 */
export function wilson(successes: number, n: number, level = 0.95): Proportion {
  requireCount(successes, "successes");
  requireCount(n, "n");
  requireLevel(level);
  if (successes > n) throw new RangeError(`successes (${successes}) exceed n (${n})`);
  if (n === 0) return { n, p: null, lo: null, hi: null };
  const z = normalCritical(level);
  const z2 = z * z;
  const p = successes / n;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denominator;
  // At p = 0 or 1 the bound is exactly 0 or 1; rounding must not move it off.
  const lo = successes === 0 ? 0 : Math.max(0, centre - half);
  const hi = successes === n ? 1 : Math.min(1, centre + half);
  return { n, p, lo, hi };
}

export type Csat = { n: number; top2: number; share: number | null; lo: number | null; hi: number | null };

/** CSAT as the top-2-box share (0..1) with its Wilson interval (DESIGN.md; Wilson 1927). */
export function csat(input: { n: number; top2: number }, level = 0.95): Csat {
  const { p, lo, hi } = wilson(input.top2, input.n, level);
  return { n: input.n, top2: input.top2, share: p, lo, hi };
}

export type MeanDifference = {
  nA: number;
  nB: number;
  meanA: number | null;
  meanB: number | null;
  difference: number | null;
  se: number | null;
  df: number | null;
  lo: number | null;
  hi: number | null;
};

/**
 * Difference of two independent means A − B with Welch's interval:
 * (x̄_A − x̄_B) ± t_{1−α/2, ν} · √(s_A²/n_A + s_B²/n_B), where the Welch–Satterthwaite
 * ν = (v_A + v_B)² / (v_A²/(n_A−1) + v_B²/(n_B−1)), v = s²/n (Welch 1947, Biometrika 34:28–35;
 * Satterthwaite 1946, Biometrics Bulletin 2:110–114). Needs n ≥ 2 in both groups for an interval.
 */
export function welchDifference(a: Moments, b: Moments, level = 0.95): MeanDifference {
  const ia = meanInterval(a, level);
  const ib = meanInterval(b, level);
  const difference = ia.mean !== null && ib.mean !== null ? ia.mean - ib.mean : null;
  const base = { nA: a.n, nB: b.n, meanA: ia.mean, meanB: ib.mean, difference };
  if (difference === null || ia.se === null || ib.se === null) {
    return { ...base, se: null, df: null, lo: null, hi: null };
  }
  const vA = ia.se ** 2;
  const vB = ib.se ** 2;
  const se = Math.sqrt(vA + vB);
  // Both groups without spread: no uncertainty to spread over any df, the interval is the point.
  if (se === 0) return { ...base, se, df: null, lo: difference, hi: difference };
  const df = (vA + vB) ** 2 / (vA ** 2 / (a.n - 1) + vB ** 2 / (b.n - 1));
  const margin = studentTCritical(level, df) * se;
  return { ...base, se, df, lo: difference - margin, hi: difference + margin };
}

export type ProportionDifference = {
  n1: number;
  n2: number;
  p1: number | null;
  p2: number | null;
  difference: number | null;
  lo: number | null;
  hi: number | null;
};

/**
 * Difference of two independent proportions p1 − p2 with Newcombe's hybrid score interval,
 * built from the Wilson limits (l_i, u_i) of each proportion:
 * lo = δ − √((p1 − l1)² + (u2 − p2)²), hi = δ + √((u1 − p1)² + (p2 − l2)²)
 * (Newcombe 1998, "Interval estimation for the difference between independent proportions:
 * comparison of eleven methods", Statistics in Medicine 17:873–890, method 10).
 */
export function proportionDifference(
  x1: number,
  n1: number,
  x2: number,
  n2: number,
  level = 0.95,
): ProportionDifference {
  const a = wilson(x1, n1, level);
  const b = wilson(x2, n2, level);
  if (a.p === null || b.p === null || a.lo === null || a.hi === null || b.lo === null || b.hi === null) {
    return { n1, n2, p1: a.p, p2: b.p, difference: null, lo: null, hi: null };
  }
  const difference = a.p - b.p;
  const lo = difference - Math.hypot(a.p - a.lo, b.hi - b.p);
  const hi = difference + Math.hypot(a.hi - a.p, b.p - b.lo);
  return { n1, n2, p1: a.p, p2: b.p, difference, lo, hi };
}

export type Withheld<T> =
  | { status: "ok"; n: number; value: T }
  | { status: "withheld"; n: number; minN: number };

/**
 * The one place that refuses to show a figure below a minimum n (DESIGN.md: "never a number
 * without its n; below a minimum n, say so instead of showing a mean"). The n travels either way.
 */
export function withhold<T>(n: number, minN: number, value: T): Withheld<T> {
  requireCount(n, "n");
  requireCount(minN, "minN");
  return n >= minN ? { status: "ok", n, value } : { status: "withheld", n, minN };
}
