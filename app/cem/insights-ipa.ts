// Importance–performance grid input: per attribute, importance stated (mean 1–7 rating) or derived
// (Pearson's r of the attribute's perception with the overall NPS or CSAT, from the cross sums),
// and performance as the mean perception; quadrants from statistics.importancePerformance. Pure.
import type { KindSums } from "./insights";
import { importancePerformance, pearsonFromSums, type ImportancePerformance, type Quadrant } from "./statistics";

export const IMPORTANCE_SOURCES = ["stated", "nps", "csat"] as const;
export type ImportanceSource = (typeof IMPORTANCE_SOURCES)[number];

export type IpaAttribute = { key: string; sums: KindSums };
export type IpaPoint = { key: string; importance: number; performance: number; quadrant: Quadrant; n: number };
export type IpaLeftOut = { key: string; n: number; reason: "below_min_n" | "not_asked" | "no_spread" };
export type Ipa = {
  source: ImportanceSource;
  meanImportance: number | null;
  meanPerformance: number | null;
  points: IpaPoint[];
  leftOut: IpaLeftOut[];
};

/** Importance of one attribute by the chosen source, with the n it rests on. */
function importanceOf(sums: KindSums, source: ImportanceSource): { value: number | null; n: number } {
  if (source === "stated") {
    const s = sums.importance;
    return s && s.n > 0 ? { value: s.sum / s.n, n: s.n } : { value: null, n: 0 };
  }
  const s = source === "nps" ? sums.perception_nps : sums.perception_csat;
  if (!s || s.n === 0) return { value: null, n: 0 };
  const r = pearsonFromSums({ n: s.n, sumX: s.sum, sumY: s.sumY, sumX2: s.sumSq, sumY2: s.sumYSq, sumXY: s.sumXY });
  return { value: r, n: s.n };
}

/**
 * Places every attribute whose importance and performance both rest on at least `minN` responses;
 * the rest are listed with the reason they are not on the grid (never silently dropped).
 */
export function importancePerformanceGrid(attributes: readonly IpaAttribute[], source: ImportanceSource, minN: number): Ipa {
  const placed: { key: string; importance: number; performance: number; n: number }[] = [];
  const leftOut: IpaLeftOut[] = [];
  for (const { key, sums } of attributes) {
    const perception = sums.perception;
    const importance = importanceOf(sums, source);
    const n = Math.min(perception?.n ?? 0, importance.n);
    if (!perception || perception.n === 0 || importance.n === 0) leftOut.push({ key, n, reason: "not_asked" });
    else if (n < minN) leftOut.push({ key, n, reason: "below_min_n" });
    else if (importance.value === null) leftOut.push({ key, n, reason: "no_spread" });
    else placed.push({ key, importance: importance.value, performance: perception.sum / perception.n, n });
  }
  const grid: ImportancePerformance = importancePerformance(placed);
  const nOf = new Map(placed.map((p) => [p.key, p.n]));
  return {
    source,
    meanImportance: grid.meanImportance,
    meanPerformance: grid.meanPerformance,
    points: grid.points.map((p) => ({ ...p, n: nOf.get(p.key) ?? 0 })),
    leftOut,
  };
}
