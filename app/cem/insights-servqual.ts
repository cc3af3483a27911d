// The SERVQUAL view of insights: one row per dimension (its paired gap from the responses' own
// dimension means), the stated importance points and the weights they give, and the weighted
// SERVQUAL score. Pure, from rollup sums.
import { SERVQUAL_DIMENSIONS } from "./journey";
import { insightRow, valueOf, type Figure, type InsightRow, type KindSums } from "./insights";
import { meanInterval, weightedGap, withhold, type MeanInterval, type WeightedGap } from "./statistics";

export type DimensionRow = InsightRow & {
  /** Mean importance points the respondents gave this dimension (of 100), when asked. */
  points: Figure<MeanInterval>;
  /** Its share of the points and its part of the weighted score (weightedGap of the means). */
  weight: number | null;
  contribution: number | null;
};

export type ServqualView = {
  rows: DimensionRow[];
  /**
   * The weighted SERVQUAL score per respondent (each response's dimension gaps weighted by its own
   * points), averaged, with its t interval: the touchpoint-level weighted_gap rows.
   */
  weighted: Figure<MeanInterval>;
  /**
   * The same weighting applied to the dimension means (Σ wᵢ · gapᵢ): what each dimension adds. Read
   * on the touchpoints that asked importance points only, so weights and gaps describe the same people.
   */
  ofMeans: WeightedGap | null;
};

/**
 * `dimensions` maps a SERVQUAL dimension to its summed dimension_gap / dimension_below /
 * importance_points rows; `weighted` is the summed touchpoint-level weighted_gap row;
 * `withPoints` is `dimensions` summed over the touchpoints that asked importance points (the
 * default: all of them). Dimensions follow the published order; those nobody measured are left out.
 */
export function servqualView(
  dimensions: ReadonlyMap<string, KindSums>,
  weighted: KindSums,
  options: { minN: number; previous?: ReadonlyMap<string, KindSums> | null; level?: number; withPoints?: ReadonlyMap<string, KindSums> },
): ServqualView {
  const withPoints = options.withPoints ?? dimensions;
  const { minN, level = 0.95 } = options;
  const rows = SERVQUAL_DIMENSIONS.filter((d) => dimensions.has(d)).map((dimension) => {
    const sums = dimensions.get(dimension)!;
    const row = insightRow(dimension, sums, {
      minN,
      level,
      dimension: true,
      previous: options.previous ? (options.previous.get(dimension) ?? {}) : null,
    });
    const points = withPoints.get(dimension)?.importance_points;
    return {
      ...row,
      points: points && points.n > 0 ? withhold(points.n, minN, meanInterval({ n: points.n, sum: points.sum, sumSq: points.sumSq }, level)) : null,
      weight: null as number | null,
      contribution: null as number | null,
    };
  });
  // Weights only from dimensions whose gap and points are both shown: a withheld mean is not used.
  const usable = rows.flatMap((r) => {
    const scoped = withPoints.get(r.key)?.dimension_gap;
    const gap = scoped && scoped.n >= minN ? scoped.sum / scoped.n : undefined;
    const points = valueOf(r.points)?.mean;
    return gap !== null && gap !== undefined && points !== null && points !== undefined
      ? [{ dimension: r.key, meanGap: gap, importancePoints: points }]
      : [];
  });
  const ofMeans = usable.length > 0 ? weightedGap(usable) : null;
  for (const d of ofMeans?.dimensions ?? []) {
    const row = rows.find((r) => r.key === d.dimension)!;
    row.weight = d.weight;
    row.contribution = d.contribution;
  }
  const w = weighted.weighted_gap;
  return {
    rows,
    weighted: w && w.n > 0 ? withhold(w.n, minN, meanInterval({ n: w.n, sum: w.sum, sumSq: w.sumSq }, level)) : null,
    ofMeans: ofMeans && ofMeans.score !== null ? ofMeans : null,
  };
}
