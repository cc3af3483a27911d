// The rollups against a recomputation from every stored measurement row, on either engine: the
// tests' own check (tests/support/rollup-check.ts, rollupsAndRecomputationInDb: one snapshot, in a
// transaction of the data layer), summed up as a verdict for the bench's report.
//
// Import only after DATABASE_PATH or DATABASE_URL is set (it loads the data layer).
import { rollupsAndRecomputationInDb } from "../tests/support/rollup-check";

type Comparison = Awaited<ReturnType<typeof rollupsAndRecomputationInDb>>;

export type RollupVerdict = {
  exact: boolean;
  /** Keys at each level (as recomputed), and keys whose stored sums differ or are missing either side. */
  dailyKeys: number;
  weeklyKeys: number;
  differing: number;
  /** How long the check took (it reads every measurement row). */
  seconds: number;
};

function differing(level: Comparison["daily"]): number {
  const stored = new Map(level.stored.map(([k, v]) => [k, JSON.stringify(v)]));
  const recomputed = new Map(level.recomputed.map(([k, v]) => [k, JSON.stringify(v)]));
  let count = 0;
  for (const [key, value] of recomputed) if (stored.get(key) !== value) count++;
  for (const key of stored.keys()) if (!recomputed.has(key)) count++;
  return count;
}

/** Compares both rollup levels with a recomputation from the measurement rows, in one snapshot. */
export async function checkRollups(): Promise<RollupVerdict> {
  const t0 = performance.now();
  const comparison = await rollupsAndRecomputationInDb();
  const wrong = differing(comparison.daily) + differing(comparison.weekly);
  return {
    exact: wrong === 0,
    dailyKeys: comparison.daily.recomputed.length,
    weeklyKeys: comparison.weekly.recomputed.length,
    differing: wrong,
    seconds: (performance.now() - t0) / 1000,
  };
}
