// Experience insights assembled from rollup sums: one table row per process, touchpoint, attribute
// or SERVQUAL dimension, with every figure of DESIGN.md "The numbers" computed by statistics.ts
// and withheld below the workspace's minimum n. Pure: the data layer hands in summed rollups.
import { ROLLUP_COLUMNS, type RollupColumns, type RollupKind } from "./rollup";
import {
  ces,
  csat,
  meanInterval,
  nps,
  npsDifference,
  pairedGap,
  proportionDifference,
  welchDifference,
  wilson,
  withhold,
  zoneOfTolerance,
  type Csat,
  type MeanDifference,
  type MeanInterval,
  type Moments,
  type Nps,
  type NpsDifference,
  type PairedGap,
  type Proportion,
  type ProportionDifference,
  type Withheld,
  type ZoneOfTolerance,
} from "./statistics";

/** What a gap table groups by. */
export const TABLE_BY = ["process", "touchpoint", "attribute", "dimension"] as const;
export type TableBy = (typeof TABLE_BY)[number];
/** The key of the process group of touchpoints that no process owns. */
export const NO_PROCESS = "_none";

/** Summed rollup columns of one unit (touchpoint, process, attribute…), per kind. */
export type KindSums = Partial<Record<RollupKind, RollupColumns>>;

/** Touchpoint-level ("" attribute) kinds the process and touchpoint tables read. */
export const TOUCHPOINT_KINDS = ["gap", "below", "msa", "mss", "weighted_gap", "nps", "csat", "ces"] as const satisfies readonly RollupKind[];
/** Attribute-level kinds of the attribute table (the grid reads perception and importance apart). */
export const ATTRIBUTE_TABLE_KINDS = ["gap", "below", "msa", "mss"] as const satisfies readonly RollupKind[];
/** Dimension-level kinds (attribute key = the SERVQUAL dimension). */
export const DIMENSION_TABLE_KINDS = ["dimension_gap", "dimension_below", "importance_points"] as const satisfies readonly RollupKind[];

export function zeroSums(): RollupColumns {
  return { n: 0, sum: 0, sumSq: 0, sumP: 0, sumE: 0, sumY: 0, sumYSq: 0, sumXY: 0, promoters: 0, passives: 0, detractors: 0, top2: 0 };
}

/** Adds `b` into `a` kind by kind (rollups are additive; that is their point). */
export function addKindSums(a: KindSums, b: KindSums): KindSums {
  for (const [kind, sums] of Object.entries(b) as [RollupKind, RollupColumns][]) {
    const target = (a[kind] ??= zeroSums());
    for (const column of ROLLUP_COLUMNS) target[column] += sums[column];
  }
  return a;
}

/** Units grouped by a key (touchpoints into processes, say); units whose key is undefined drop out. */
export function groupSums<K>(units: Iterable<[K, KindSums]>, keyOf: (unit: K) => string | undefined): Map<string, KindSums> {
  const groups = new Map<string, KindSums>();
  for (const [unit, sums] of units) {
    const key = keyOf(unit);
    if (key === undefined) continue;
    groups.set(key, addKindSums(groups.get(key) ?? {}, sums));
  }
  return groups;
}

const moments = (s: RollupColumns): Moments => ({ n: s.n, sum: s.sum, sumSq: s.sumSq });

export function gapOf(s: RollupColumns, level = 0.95): PairedGap {
  return pairedGap({ n: s.n, sumP: s.sumP, sumE: s.sumE, sumD: s.sum, sumD2: s.sumSq }, level);
}

export function zoneOf(msa: RollupColumns, mss: RollupColumns, level = 0.95): ZoneOfTolerance {
  return zoneOfTolerance(
    { n: msa.n, sumP: msa.sumP, sumAdequate: msa.sumE, sumDesired: mss.sumE, msa: moments(msa), mss: moments(mss) },
    level,
  );
}

export const npsOf = (s: RollupColumns, level = 0.95): Nps => nps({ n: s.n, promoters: s.promoters, detractors: s.detractors }, level);
export const csatOf = (s: RollupColumns, level = 0.95): Csat => csat({ n: s.n, top2: s.top2 }, level);
/** Share of respondents below expectation (x = 1 per response below), Wilson interval. */
export const shareOf = (s: RollupColumns, level = 0.95): Proportion => wilson(Math.round(s.sum), s.n, level);

/** A figure that was asked (withheld or not), or null when no response measured it. */
export type Figure<T> = Withheld<T> | null;

function figure<T>(sums: RollupColumns | undefined, minN: number, compute: (s: RollupColumns) => T): Figure<T> {
  if (!sums || sums.n === 0) return null;
  return withhold(sums.n, minN, compute(sums));
}

/** A difference between two sets of sums, withheld unless both sides reach the minimum n. */
function difference<T>(a: RollupColumns | undefined, b: RollupColumns | undefined, minN: number, compute: (a: RollupColumns, b: RollupColumns) => T): Figure<T> {
  if (!a || !b || a.n === 0 || b.n === 0) return null;
  return withhold(Math.min(a.n, b.n), minN, compute(a, b));
}

export type Change = {
  /** Mean gap now − before, Welch interval. */
  gap: Figure<MeanDifference>;
  /** NPS now − before, in points. */
  nps: Figure<NpsDifference>;
  previousN: number;
};

export type InsightRow = {
  key: string;
  /** Responses behind the row: the gap's n where a gap was asked, else the largest n of its measures. */
  n: number;
  gap: Figure<PairedGap>;
  below: Figure<Proportion>;
  zone: Figure<ZoneOfTolerance>;
  weighted: Figure<MeanInterval>;
  nps: Figure<Nps>;
  csat: Figure<Csat>;
  ces: Figure<MeanInterval>;
  change: Change | null;
};

/**
 * One table row. `gapKind`/`belowKind` name the kinds that hold this level's gap ("gap"/"below",
 * or "dimension_gap"/"dimension_below" for dimensions). `previous` is the same unit over the
 * previous period, when a change is wanted.
 */
export function insightRow(
  key: string,
  sums: KindSums,
  options: { minN: number; previous?: KindSums | null; level?: number; dimension?: boolean },
): InsightRow {
  const { minN, level = 0.95 } = options;
  const gapSums = options.dimension ? sums.dimension_gap : sums.gap;
  const belowSums = options.dimension ? sums.dimension_below : sums.below;
  const previousGap = options.previous ? (options.dimension ? options.previous.dimension_gap : options.previous.gap) : undefined;
  const ns = [gapSums, sums.nps, sums.csat, sums.ces, sums.msa].map((s) => s?.n ?? 0);
  const n = gapSums?.n ?? Math.max(0, ...ns);
  const zone = sums.msa && sums.mss && sums.msa.n > 0 && sums.msa.n === sums.mss.n ? withhold(sums.msa.n, minN, zoneOf(sums.msa, sums.mss, level)) : null;
  const change: Change | null = options.previous
    ? {
        gap: difference(gapSums, previousGap, minN, (a, b) => welchDifference(moments(a), moments(b), level)),
        nps: difference(sums.nps, options.previous.nps, minN, (a, b) =>
          npsDifference({ n: a.n, promoters: a.promoters, detractors: a.detractors }, { n: b.n, promoters: b.promoters, detractors: b.detractors }, level),
        ),
        previousN: previousGap?.n ?? options.previous.nps?.n ?? 0,
      }
    : null;
  return {
    key,
    n,
    gap: figure(gapSums, minN, (s) => gapOf(s, level)),
    below: figure(belowSums, minN, (s) => shareOf(s, level)),
    zone,
    weighted: figure(sums.weighted_gap, minN, (s) => meanInterval(moments(s), level)),
    nps: figure(sums.nps, minN, (s) => npsOf(s, level)),
    csat: figure(sums.csat, minN, (s) => csatOf(s, level)),
    ces: figure(sums.ces, minN, (s) => ces(moments(s), level)),
    change,
  };
}

/** The shown value of a figure, or null when it was not asked or is withheld. */
export function valueOf<T>(f: Figure<T>): T | null {
  return f && f.status === "ok" ? f.value : null;
}

/**
 * Worst first: shown gaps from the most negative up, then withheld gaps, then rows without a gap
 * (ordered by NPS, lowest first). Ties keep the key order so the table is stable.
 */
export function worstFirst<R extends Pick<InsightRow, "key" | "gap" | "nps">>(rows: readonly R[]): R[] {
  const rank = (r: R): [number, number] => {
    const gap = valueOf(r.gap)?.meanGap;
    if (gap !== null && gap !== undefined) return [0, gap];
    if (r.gap) return [1, 0];
    const score = valueOf(r.nps)?.score;
    return score !== null && score !== undefined ? [2, score] : [3, 0];
  };
  return [...rows].sort((a, b) => {
    const [ga, va] = rank(a);
    const [gb, vb] = rank(b);
    return ga - gb || va - vb || a.key.localeCompare(b.key);
  });
}

export type TierSide = { n: number; gap: Figure<PairedGap>; nps: Figure<Nps>; csat: Figure<Csat> };
export type TierComparison = {
  key: string;
  a: TierSide;
  b: TierSide;
  /** A − B of the mean gap (Welch), of NPS (two-sample Wald) and of CSAT (Newcombe). */
  gap: Figure<MeanDifference>;
  nps: Figure<NpsDifference>;
  csat: Figure<ProportionDifference>;
};

function side(sums: KindSums, minN: number, level: number): TierSide {
  return {
    n: sums.gap?.n ?? Math.max(sums.nps?.n ?? 0, sums.csat?.n ?? 0),
    gap: figure(sums.gap, minN, (s) => gapOf(s, level)),
    nps: figure(sums.nps, minN, (s) => npsOf(s, level)),
    csat: figure(sums.csat, minN, (s) => csatOf(s, level)),
  };
}

/** Two tiers side by side for one unit, with the differences and their intervals. */
export function compareTiers(key: string, a: KindSums, b: KindSums, minN: number, level = 0.95): TierComparison {
  return {
    key,
    a: side(a, minN, level),
    b: side(b, minN, level),
    gap: difference(a.gap, b.gap, minN, (x, y) => welchDifference(moments(x), moments(y), level)),
    nps: difference(a.nps, b.nps, minN, (x, y) =>
      npsDifference({ n: x.n, promoters: x.promoters, detractors: x.detractors }, { n: y.n, promoters: y.promoters, detractors: y.detractors }, level),
    ),
    csat: difference(a.csat, b.csat, minN, (x, y) => proportionDifference(x.top2, x.n, y.top2, y.n, level)),
  };
}
