// What the workspace's first page leads with: the few findings worth a manager's attention, from
// rollup sums of the current window (kept apart by tier) and of the previous one. Worst gaps by
// process and touchpoint; changes against the previous period and tiers served differently from the
// rest, each a two-sample test, flagged only when significant after controlling the false discovery
// rate over every test the page makes (Benjamini–Hochberg); targets whose interval lies wholly
// below them. Nothing below the minimum n is shown or tested. Pure.
import { addKindSums, insightRow, type InsightRow, type KindSums } from "./insights";
import { benjaminiHochberg, FDR_Q, npsTest, welchTest, type Adjusted, type TestResult } from "./significance";
import type { Moments, NpsCounts } from "./statistics";
import { estimateOf, targetInEffect, type Estimate, type Target, type TargetMetric, type TargetUnit } from "./targets";
import type { RollupColumns } from "./rollup";

/** The tiers compared with the rest (anonymous answers, tier "", are only ever part of the rest). */
export const HOME_TIERS = ["premium", "regular", "generic"] as const;
export type HomeTier = (typeof HOME_TIERS)[number];

export type HomeUnit = { kind: TargetUnit; key: string; name: string; detail: string };

export type HomeInput = {
  /** Processes and touchpoints: the current window's sums per tier value, the previous window's in all. */
  units: { unit: HomeUnit; byTier: ReadonlyMap<string, KindSums>; previous: KindSums }[];
  /** Attributes that carry a target: the current window's sums. */
  attributes?: { unit: HomeUnit; now: KindSums }[];
  targets: readonly Target[];
  minN: number;
  /** The window's last day: the targets in effect on it are the ones judged. */
  day: string;
  /** How many findings of each kind to keep (the page says how many more there were). */
  limit?: number;
};

export type GapFinding = { unit: HomeUnit; gap: Estimate; below: Estimate | null };
export type Tested = TestResult & Adjusted;
export type ChangeFinding = { unit: HomeUnit; metric: "gap" | "nps"; now: Estimate; nBefore: number; test: Tested };
export type TierFinding = {
  unit: HomeUnit;
  tier: HomeTier;
  /** The tier's own figures over the window. */
  gap: Estimate | null;
  below: Estimate | null;
  nps: Estimate | null;
  rest: { gap: Estimate | null; nps: Estimate | null };
  /** Tier − rest, with the BH-adjusted p; null when not tested (a side below the minimum n). */
  gapTest: Tested | null;
  npsTest: Tested | null;
};
export type TargetFinding = { unit: HomeUnit; metric: TargetMetric; target: Target; estimate: Estimate };

/** A list cut to the limit, with how many there were in all. */
export type Listed<T> = { items: T[]; total: number };

export type HomeFindings = {
  worstGaps: { process: Listed<GapFinding>; touchpoint: Listed<GapFinding> };
  changes: Listed<ChangeFinding>;
  tiers: Listed<TierFinding>;
  targets: Listed<TargetFinding>;
  /** How many tests the false discovery rate was controlled over, and at which rate. */
  comparisons: number;
  q: number;
};

const moments = (s: RollupColumns): Moments => ({ n: s.n, sum: s.sum, sumSq: s.sumSq });
const counts = (s: RollupColumns): NpsCounts => ({ n: s.n, promoters: s.promoters, detractors: s.detractors });
const listed = <T>(all: T[], limit: number): Listed<T> => ({ items: all.slice(0, limit), total: all.length });

/** The shown share below expectation of a row as an estimate. */
function belowOf(row: InsightRow): Estimate | null {
  const b = row.below && row.below.status === "ok" ? row.below.value : null;
  return b && b.p !== null ? { n: b.n, value: b.p, lo: b.lo, hi: b.hi } : null;
}

/** A test of the family: its result, and how to work out its interval once it is flagged. */
type Entry = { result: TestResult; withInterval: () => TestResult };

/**
 * Gap (Welch) and NPS (Wald) tests of A − B, each only when both sides reach the minimum n. The
 * Welch interval (a t quantile per test) is left for the flagged tests.
 */
function tests(a: KindSums, b: KindSums, minN: number): { gap: Entry | null; nps: Entry | null } {
  const enough = (x?: RollupColumns, y?: RollupColumns) => !!x && !!y && x.n >= minN && y.n >= minN;
  const gap = enough(a.gap, b.gap) ? welchTest(moments(a.gap!), moments(b.gap!), 0.95, { interval: false }) : null;
  const nps = enough(a.nps, b.nps) ? npsTest(counts(a.nps!), counts(b.nps!)) : null;
  return {
    gap: gap ? { result: gap, withInterval: () => welchTest(moments(a.gap!), moments(b.gap!))! } : null,
    nps: nps ? { result: nps, withInterval: () => nps } : null,
  };
}

export function homeFindings(input: HomeInput): HomeFindings {
  const { minN } = input;
  const limit = input.limit ?? 5;
  const total = (byTier: ReadonlyMap<string, KindSums>) => [...byTier.values()].reduce((acc, s) => addKindSums(acc, s), {} as KindSums);

  // Every test the page makes goes into one family, so the rate holds over the page as a whole.
  const family: Entry[] = [];
  const enter = (t: Entry | null) => (t ? family.push(t) - 1 : -1);

  const gaps: GapFinding[] = [];
  const changeDrafts: { unit: HomeUnit; metric: "gap" | "nps"; now: Estimate; nBefore: number; index: number }[] = [];
  // Tier figures are only worked out for the findings that survive the FDR (most do not).
  const tierDrafts: { unit: HomeUnit; tier: HomeTier; mine: KindSums; rest: KindSums; gap: number; nps: number }[] = [];
  const targetFindings: TargetFinding[] = [];

  const judgeTargets = (unit: HomeUnit, row: InsightRow) => {
    for (const metric of ["gap", "nps", "csat", "ces"] as const) {
      const target = targetInEffect(input.targets, unit.kind, unit.key, metric, input.day);
      const estimate = target ? estimateOf(metric, row) : null;
      if (target && estimate && estimate.hi !== null && estimate.hi < target.value) targetFindings.push({ unit, metric, target, estimate });
    }
  };

  for (const { unit, byTier, previous } of input.units) {
    const now = total(byTier);
    const row = insightRow(unit.key, now, { minN });
    const gap = estimateOf("gap", row);
    if (gap && gap.value < 0) gaps.push({ unit, gap, below: belowOf(row) });
    judgeTargets(unit, row);

    const change = tests(now, previous, minN);
    for (const metric of ["gap", "nps"] as const) {
      const estimate = estimateOf(metric, row);
      const index = enter(change[metric]);
      if (index >= 0 && estimate) changeDrafts.push({ unit, metric, now: estimate, nBefore: previous[metric]!.n, index });
    }

    for (const tier of HOME_TIERS) {
      const mine = byTier.get(tier);
      if (!mine) continue;
      const rest: KindSums = {};
      for (const [other, sums] of byTier) if (other !== tier) addKindSums(rest, sums);
      const t = tests(mine, rest, minN);
      if (!t.gap && !t.nps) continue;
      tierDrafts.push({ unit, tier, mine, rest, gap: enter(t.gap), nps: enter(t.nps) });
    }
  }
  for (const { unit, now } of input.attributes ?? []) judgeTargets(unit, insightRow(unit.key, now, { minN }));

  const adjusted = benjaminiHochberg(family.map((t) => t.result.p), FDR_Q);
  // Flagged tests get their interval; the others keep the p that decided them.
  const tested = (index: number): Tested | null =>
    index < 0 ? null : { ...(adjusted[index].significant ? family[index].withInterval() : family[index].result), ...adjusted[index] };

  const changes = changeDrafts
    .filter((d) => adjusted[d.index].significant)
    .map((d) => ({ unit: d.unit, metric: d.metric, now: d.now, nBefore: d.nBefore, test: tested(d.index)! }))
    .sort((a, b) => a.test.q - b.test.q || processFirst(a.unit, b.unit) || a.unit.key.localeCompare(b.unit.key));

  const tiers = tierDrafts
    .filter((d) => (d.gap >= 0 && adjusted[d.gap].significant) || (d.nps >= 0 && adjusted[d.nps].significant))
    .map((d): TierFinding => {
      const tierRow = insightRow(d.unit.key, d.mine, { minN });
      const restRow = insightRow(d.unit.key, d.rest, { minN });
      return {
        unit: d.unit,
        tier: d.tier,
        gap: estimateOf("gap", tierRow),
        below: belowOf(tierRow),
        nps: estimateOf("nps", tierRow),
        rest: { gap: estimateOf("gap", restRow), nps: estimateOf("nps", restRow) },
        gapTest: tested(d.gap),
        npsTest: tested(d.nps),
      };
    })
    .sort((a, b) => processFirst(a.unit, b.unit) || tierStrength(b) - tierStrength(a) || a.unit.key.localeCompare(b.unit.key));

  const worst = (kind: TargetUnit) => gaps.filter((g) => g.unit.kind === kind).sort((a, b) => a.gap.value - b.gap.value || a.unit.key.localeCompare(b.unit.key));
  // Largest shortfall first, in units of the target's own scale range so metrics compare.
  const shortfall = (f: TargetFinding) => (f.target.value - f.estimate.value) / (f.metric === "nps" ? 100 / 6 : f.metric === "csat" ? 1 / 6 : 1);
  targetFindings.sort((a, b) => shortfall(b) - shortfall(a) || a.unit.key.localeCompare(b.unit.key));

  return {
    worstGaps: { process: listed(worst("process"), limit), touchpoint: listed(worst("touchpoint"), limit) },
    changes: listed(changes, limit),
    tiers: listed(tiers, limit),
    targets: listed(targetFindings, limit),
    comparisons: family.length,
    q: FDR_Q,
  };
}

/** Processes before touchpoints: a process is where a manager acts first. */
const processFirst = (a: HomeUnit, b: HomeUnit) => (a.kind === b.kind ? 0 : a.kind === "process" ? -1 : 1);

/**
 * Ordering of tier findings: a tier served worse than the rest before one served better (attention
 * goes to problems), then the strongest evidence first: the largest |t| or |z| among its
 * significant tests, which puts gaps and NPS on one scale.
 */
function tierStrength(f: TierFinding): number {
  const significant = [f.gapTest, f.npsTest].filter((t): t is Tested => !!t?.significant);
  const worse = significant.some((t) => t.difference < 0);
  const strength = Math.max(0, ...significant.map((t) => Math.min(Math.abs(t.statistic), 1e6)));
  return (worse ? 1e7 : 0) + strength;
}
