// Standard RFM: recency, frequency and monetary quintile scores (1–5) per customer and the usual
// named segments read from R against the average of F and M.
import type { CustomerBehaviour } from "./segmentation";

export const RFM_SEGMENTS = [
  "champions",
  "loyal",
  "potential_loyalist",
  "new",
  "need_attention",
  "at_risk",
  "hibernating",
  "lost",
] as const;
export type RfmSegment = (typeof RFM_SEGMENTS)[number];

export type RfmScore = {
  customerId: string;
  r: number;
  f: number;
  m: number;
  /** "R F M" digits, e.g. "543", as RFM reports print them. */
  code: string;
  segment: RfmSegment;
};

/**
 * Quintile 1–5 of each value, higher value → higher score, by rank among the values given:
 * score = floor(5 × below / (n − 1)) + 1 (capped at 5), where `below` counts strictly smaller values.
 * Ties share the quintile of the first of them (as value-quantile binning does), which keeps a mass of
 * one-time buyers at F = 1 instead of spreading them over quintiles by arbitrary order. When every value
 * is the same (a lone customer included) nothing ranks anyone, so all get the middle score, 3.
 */
export function quintileScores(values: readonly number[]): number[] {
  const n = values.length;
  const sorted = [...values].sort((a, b) => a - b);
  if (n === 0) return [];
  if (sorted[0] === sorted[n - 1]) return values.map(() => 3);
  return values.map((v) => Math.min(5, Math.floor((5 * countBelow(sorted, v)) / (n - 1)) + 1));
}

function countBelow(sorted: readonly number[], v: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The R × FM grid, FM = (F + M) / 2 rounded half up. Rows are R (5 at the top), columns FM 1…5.
 * After Putler's RFM segment table (R against the average of F and M), as reproduced e.g. in
 * churned.io's "RFM-Model" page (docs.churned.io): Champions R 4–5 / FM 4–5, Loyal R 2–5 / FM 3–5,
 * Potential Loyalist R 3–5 / FM 1–3, New R 4–5 / FM 0–1, Need Attention R 2–3 / FM 2–3,
 * At Risk R 0–2 / FM 2–5, Hibernating R 1–2 / FM 1–2, Lost R 0–2 / FM 0–2. Its ranges overlap; the
 * integer cells follow the R × F map common in RFM tutorials (5·4–5 champions, 3–4·4–5 loyal,
 * 4–5·2–3 potential loyalists, 5·1 new, 3·3 need attention, 1–2·3–5 at risk, 1–2·1–2 hibernating),
 * with its extra names folded in: promising (4·1) → new, about_to_sleep (3·1–2) → hibernating,
 * cannot_lose_them (1–2·5) → at_risk; and Putler's Lost as the R = 1 corner of hibernating.
 */
const GRID: Record<number, readonly RfmSegment[]> = {
  5: ["new", "potential_loyalist", "potential_loyalist", "champions", "champions"],
  4: ["new", "potential_loyalist", "potential_loyalist", "loyal", "loyal"],
  3: ["hibernating", "hibernating", "need_attention", "loyal", "loyal"],
  2: ["hibernating", "hibernating", "at_risk", "at_risk", "at_risk"],
  1: ["lost", "lost", "at_risk", "at_risk", "at_risk"],
};

export function rfmSegment(r: number, f: number, m: number): RfmSegment {
  const fm = Math.min(5, Math.max(1, Math.floor((f + m) / 2 + 0.5)));
  return GRID[Math.min(5, Math.max(1, Math.round(r)))][fm - 1];
}

/**
 * RFM scores of every customer. Only customers with purchases in the window are ranked (the window of
 * segmentation's customerBehaviour); the others get R = F = M = 1, and so the segment "lost".
 * Recency is reversed: the fewest days since the last purchase scores 5.
 */
export function rfmScores(behaviours: readonly CustomerBehaviour[]): RfmScore[] {
  const buyers = behaviours.filter((b) => b.hasPurchases);
  const r = quintileScores(buyers.map((b) => -(b.recencyDays ?? Infinity)));
  const f = quintileScores(buyers.map((b) => b.frequency));
  const m = quintileScores(buyers.map((b) => b.monetary));
  const scored = new Map(buyers.map((b, i) => [b.customerId, [r[i], f[i], m[i]] as const]));
  return behaviours.map((b) => {
    const [rs, fs, ms] = scored.get(b.customerId) ?? [1, 1, 1];
    return { customerId: b.customerId, r: rs, f: fs, m: ms, code: `${rs}${fs}${ms}`, segment: rfmSegment(rs, fs, ms) };
  });
}
