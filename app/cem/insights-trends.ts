// Trends: per week or month, the paired gap and the NPS of a unit (touchpoint, process or the whole
// selection), each with its interval and withheld below the minimum n. Buckets nobody answered in
// stay in the series with n = 0, so a chart shows the hole instead of joining across it. Pure.
import { gapOf, npsOf, type Figure, type KindSums } from "./insights";
import { withhold, type Nps, type PairedGap } from "./statistics";

export type TrendPoint = { bucket: string; n: number; gap: Figure<PairedGap>; nps: Figure<Nps> };
export type TrendSeries = { key: string; points: TrendPoint[] };

export function trendSeries(
  key: string,
  byBucket: ReadonlyMap<string, KindSums>,
  buckets: readonly string[],
  minN: number,
  level = 0.95,
): TrendSeries {
  return {
    key,
    points: buckets.map((bucket) => {
      const sums = byBucket.get(bucket) ?? {};
      const gap = sums.gap && sums.gap.n > 0 ? withhold(sums.gap.n, minN, gapOf(sums.gap, level)) : null;
      const nps = sums.nps && sums.nps.n > 0 ? withhold(sums.nps.n, minN, npsOf(sums.nps, level)) : null;
      return { bucket, n: Math.max(sums.gap?.n ?? 0, sums.nps?.n ?? 0), gap, nps };
    }),
  };
}
