// Correlation for derived importance and the behaviour link, and the importance–performance grid
// that derived (or stated) importance feeds. Re-exported from ./statistics.
import { normalCritical, requireLevel, studentTCdf } from "./distributions";

/** Additive cross-product sums of two measures over the same responses. */
export type CrossSums = {
  n: number;
  sumX: number;
  sumY: number;
  sumX2: number;
  sumY2: number;
  sumXY: number;
};

/**
 * Pearson's r from sums:
 * r = (nΣxy − ΣxΣy) / √((nΣx² − (Σx)²)(nΣy² − (Σy)²)) (Pearson 1896, Phil. Trans. R. Soc. A 187).
 * Null when undefined: fewer than two pairs, or a measure without spread. The spread test has a
 * tolerance because identical non-integer values leave rounding residue in the sums.
 */
export function pearsonFromSums(s: CrossSums): number | null {
  if (s.n < 2) return null;
  const sxx = s.n * s.sumX2 - s.sumX * s.sumX;
  const syy = s.n * s.sumY2 - s.sumY * s.sumY;
  const sxy = s.n * s.sumXY - s.sumX * s.sumY;
  if (sxx <= s.n * Math.abs(s.sumX2) * 1e-13 || syy <= s.n * Math.abs(s.sumY2) * 1e-13) return null;
  return Math.min(1, Math.max(-1, sxy / Math.sqrt(sxx * syy)));
}

/** Ranks 1..n, tied values sharing the average of the ranks they span. */
export function averageRanks(values: readonly number[]): number[] {
  const order = values.map((v, i) => ({ v, i })).sort((a, b) => a.v - b.v);
  const ranks = new Array<number>(values.length);
  let start = 0;
  while (start < order.length) {
    let end = start;
    while (end + 1 < order.length && order[end + 1].v === order[start].v) end++;
    // Positions start..end hold ranks start+1..end+1; their mean is the shared rank.
    const shared = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) ranks[order[k].i] = shared;
    start = end + 1;
  }
  return ranks;
}

export type RankCorrelation = {
  n: number;
  rho: number | null;
  lo: number | null;
  hi: number | null;
  p: number | null;
};

/**
 * Spearman's rank correlation ρ: Pearson's r on average ranks, which is the tie-correct form
 * (Spearman 1904, Am. J. Psychol. 15:72–101; Kendall & Gibbons, Rank Correlation Methods, ch. 3).
 * Interval: tanh(atanh ρ ± z · √((1 + ρ²/2)/(n − 3))) (Bonett & Wright 2000, "Sample size
 * requirements for estimating Pearson, Kendall and Spearman correlations", Psychometrika
 * 65(1):23–28), needs n ≥ 4. Two-sided p from t = ρ √((n − 2)/(1 − ρ²)) on n − 2 df, needs n ≥ 3.
 * Not rebuildable from sums: ranks need the raw pairs (DESIGN.md says so of the rank correlation).
 */
export function spearman(xs: readonly number[], ys: readonly number[], level = 0.95): RankCorrelation {
  requireLevel(level);
  if (xs.length !== ys.length) throw new RangeError(`spearman needs paired values (${xs.length} vs ${ys.length})`);
  for (const v of [...xs, ...ys]) {
    if (!Number.isFinite(v)) throw new RangeError(`spearman needs finite values, got ${v}`);
  }
  const n = xs.length;
  const empty = { n, rho: null, lo: null, hi: null, p: null };
  if (n < 2) return empty;
  const rx = averageRanks(xs);
  const ry = averageRanks(ys);
  const sums: CrossSums = { n, sumX: 0, sumY: 0, sumX2: 0, sumY2: 0, sumXY: 0 };
  for (let i = 0; i < n; i++) {
    sums.sumX += rx[i];
    sums.sumY += ry[i];
    sums.sumX2 += rx[i] * rx[i];
    sums.sumY2 += ry[i] * ry[i];
    sums.sumXY += rx[i] * ry[i];
  }
  const rho = pearsonFromSums(sums);
  if (rho === null) return empty;

  let p: number | null = null;
  if (n >= 3) {
    // |ρ| = 1 gives t = ∞ and p = 0, which is the limit the formula tends to.
    const t = Math.abs(rho) === 1 ? Infinity : Math.abs(rho) * Math.sqrt((n - 2) / (1 - rho * rho));
    p = Math.min(1, 2 * (1 - studentTCdf(t, n - 2)));
  }
  if (n < 4) return { n, rho, lo: null, hi: null, p };
  const z = Math.atanh(rho);
  const margin = normalCritical(level) * Math.sqrt((1 + (rho * rho) / 2) / (n - 3));
  return { n, rho, lo: Math.tanh(z - margin), hi: Math.tanh(z + margin), p };
}

export type Quadrant =
  | "concentrate_here"
  | "keep_up_the_good_work"
  | "low_priority"
  | "possible_overkill";

export type ImportancePerformancePoint = {
  key: string;
  importance: number;
  performance: number;
  quadrant: Quadrant;
};

export type ImportancePerformance = {
  meanImportance: number | null;
  meanPerformance: number | null;
  points: ImportancePerformancePoint[];
};

/**
 * Importance–performance analysis: each attribute placed against crosshairs at the mean
 * importance and the mean performance (Martilla & James 1977, "Importance-performance analysis",
 * Journal of Marketing 41(1):77–79). High importance & low performance: concentrate here;
 * high & high: keep up the good work; low & low: low priority; low & high: possible overkill.
 * A point exactly on a crosshair counts as high: at the mean is not below it.
 */
export function importancePerformance(
  points: readonly { key: string; importance: number; performance: number }[],
): ImportancePerformance {
  if (points.length === 0) return { meanImportance: null, meanPerformance: null, points: [] };
  for (const pt of points) {
    if (!Number.isFinite(pt.importance) || !Number.isFinite(pt.performance)) {
      throw new RangeError(`importance and performance must be finite (${pt.key})`);
    }
  }
  const meanImportance = points.reduce((acc, pt) => acc + pt.importance, 0) / points.length;
  const meanPerformance = points.reduce((acc, pt) => acc + pt.performance, 0) / points.length;
  return {
    meanImportance,
    meanPerformance,
    points: points.map((pt) => {
      const important = pt.importance >= meanImportance;
      const performing = pt.performance >= meanPerformance;
      const quadrant: Quadrant = important
        ? performing ? "keep_up_the_good_work" : "concentrate_here"
        : performing ? "possible_overkill" : "low_priority";
      return { key: pt.key, importance: pt.importance, performance: pt.performance, quadrant };
    }),
  };
}
