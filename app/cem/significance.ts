// Two-sample tests from additive sums and the false discovery rate over many of them: what a page
// needs before it may call a change or a difference "significant". Pure; the intervals these tests
// match live in statistics.ts (welchDifference, npsDifference).
import { normalCdf, normalQuantile, studentTCdf } from "./distributions";
import { npsDifference, welchDifference, type Moments, type NpsCounts } from "./statistics";

/**
 * A test's outcome: the estimate with its interval (as statistics.ts gives it), the test statistic
 * (t or z, signed like the difference; ±Infinity when neither side varies) and the two-sided p.
 */
export type TestResult = { difference: number; lo: number | null; hi: number | null; statistic: number; p: number };

/**
 * Welch's two-sample t test of A − B: t = (x̄_A − x̄_B) / √(s_A²/n_A + s_B²/n_B) on the
 * Welch–Satterthwaite df, two-sided p = 2 · (1 − F_t(|t|)) (Welch 1947, Biometrika 34:28–35).
 * Null when either side lacks an interval (n < 2). Both sides without spread: p = 0 for a
 * difference (nothing could have produced it by chance), 1 for none.
 */
export function welchTest(a: Moments, b: Moments, level = 0.95, options: { interval?: boolean } = {}): TestResult | null {
  if (options.interval === false) return welchStatistic(a, b);
  const d = welchDifference(a, b, level);
  if (d.difference === null || d.se === null) return null;
  if (d.se === 0) return { ...degenerate(d.difference), lo: d.lo, hi: d.hi };
  const t = d.difference / d.se;
  return { difference: d.difference, lo: d.lo, hi: d.hi, statistic: t, p: twoSided(1 - studentTCdf(Math.abs(t), d.df!)) };
}

/**
 * Welch's t and p without the interval: the interval needs a t quantile (an iteration), the p only
 * the t distribution function, so a page testing many units computes intervals for the flagged ones
 * alone. The same arithmetic as welchDifference (statistics.ts).
 */
function welchStatistic(a: Moments, b: Moments): TestResult | null {
  if (a.n < 2 || b.n < 2) return null;
  const variance = (m: Moments) => {
    // The guard of statistics.ts's sampleVariance: a residue below Σx²'s rounding error is 0.
    const ss = m.sumSq - (m.sum * m.sum) / m.n;
    return ss <= Math.abs(m.sumSq) * 1e-13 ? 0 : ss / (m.n - 1);
  };
  const difference = a.sum / a.n - b.sum / b.n;
  const vA = variance(a) / a.n;
  const vB = variance(b) / b.n;
  const se = Math.sqrt(vA + vB);
  if (se === 0) return { ...degenerate(difference), lo: difference, hi: difference };
  const df = (vA + vB) ** 2 / (vA ** 2 / (a.n - 1) + vB ** 2 / (b.n - 1));
  const t = difference / se;
  return { difference, lo: null, hi: null, statistic: t, p: twoSided(1 - studentTCdf(Math.abs(t), df)) };
}

/**
 * Two-sample Wald test of NPS A − B in points: z = (NPS_A − NPS_B) / √(se_A² + se_B²), two-sided
 * p = 2 · (1 − Φ(|z|)) (Rocks 2016, The American Statistician 70(4):365–372), the test behind
 * npsDifference's interval.
 */
export function npsTest(a: NpsCounts, b: NpsCounts, level = 0.95): TestResult | null {
  const d = npsDifference(a, b, level);
  if (d.difference === null || d.se === null) return null;
  if (d.se === 0) return { ...degenerate(d.difference), lo: d.lo, hi: d.hi };
  const z = d.difference / d.se;
  return { difference: d.difference, lo: d.lo, hi: d.hi, statistic: z, p: twoSided(1 - normalCdf(Math.abs(z))) };
}

const twoSided = (upperTail: number) => Math.min(1, Math.max(0, 2 * upperTail));

/** Neither side varies: a difference cannot be chance (p = 0), no difference is no evidence (p = 1). */
const degenerate = (difference: number) =>
  difference === 0 ? { difference, statistic: 0, p: 1 } : { difference, statistic: Math.sign(difference) * Infinity, p: 0 };

/**
 * Two-sample z test of proportions A − B (e.g. the share of detractors now against before), with the
 * pooled standard error under H0 for the statistic and the unpooled one for the Wald interval:
 * z = (p̂A − p̂B) / √(p̄(1 − p̄)(1/nA + 1/nB)) (Agresti, Categorical Data Analysis, 3rd ed., §2.4).
 * Null when a side has no answers.
 */
export function proportionTest(a: { n: number; k: number }, b: { n: number; k: number }, level = 0.95): TestResult | null {
  if (a.n <= 0 || b.n <= 0) return null;
  const pA = a.k / a.n;
  const pB = b.k / b.n;
  const difference = pA - pB;
  const pooled = (a.k + b.k) / (a.n + b.n);
  const se0 = Math.sqrt(pooled * (1 - pooled) * (1 / a.n + 1 / b.n));
  const se = Math.sqrt((pA * (1 - pA)) / a.n + (pB * (1 - pB)) / b.n);
  const zq = normalQuantile(1 - (1 - level) / 2);
  if (se0 === 0) return { ...degenerate(difference), lo: difference, hi: difference };
  const z = difference / se0;
  return { difference, lo: difference - zq * se, hi: difference + zq * se, statistic: z, p: twoSided(1 - normalCdf(Math.abs(z))) };
}

/** The false discovery rate the home page controls: at most 5 % of what it flags is expected to be chance. */
export const FDR_Q = 0.05;

export type Adjusted = { p: number; q: number; significant: boolean };

/**
 * Benjamini–Hochberg step-up procedure at rate q over m p-values: sort them, find the largest k with
 * p_(k) ≤ k·q/m and reject the hypotheses of p_(1) … p_(k) (Benjamini & Hochberg 1995, "Controlling
 * the false discovery rate: a practical and powerful approach to multiple testing", JRSS B
 * 57(1):289–300). Also the BH-adjusted p-value ("q-value" in the sense of R's p.adjust "BH"):
 * q_(i) = min over j ≥ i of min(1, p_(j)·m/j); a hypothesis is rejected exactly when q_(i) ≤ q.
 * Results come back in the order given. Valid for independent tests and for positively dependent
 * ones (Benjamini & Yekutieli 2001), which overlapping cuts of the same responses are.
 */
export function benjaminiHochberg(pValues: readonly number[], q = FDR_Q): Adjusted[] {
  for (const p of pValues) if (!(p >= 0 && p <= 1)) throw new RangeError(`p-values must lie in [0, 1], got ${p}`);
  if (!(q > 0 && q < 1)) throw new RangeError(`q must lie in (0, 1), got ${q}`);
  const m = pValues.length;
  const order = pValues.map((p, i) => [p, i] as const).sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  const adjusted = new Array<number>(m);
  let running = 1;
  for (let rank = m; rank >= 1; rank--) {
    const [p, index] = order[rank - 1];
    running = Math.min(running, (p * m) / rank);
    adjusted[index] = Math.min(1, running);
  }
  return pValues.map((p, i) => ({ p, q: adjusted[i], significant: adjusted[i] <= q }));
}
