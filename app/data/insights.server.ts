// Reading the rollups for insights: the workspace's touchpoints (with their journey, channel and
// process) that the filter selects, and summed rollup rows per touchpoint × attribute × kind over a
// window. Every dashboard number starts here; no query in this module touches responses.
//
// The sums are grouped in the order of the rollups primary key (touchpoint, attribute, kind), so
// SQLite aggregates while it walks the index instead of sorting; current and previous periods are
// two such walks rather than one with a CASE per column, which measured several times slower.
import { and, asc, between, eq, inArray, sql, type SQL } from "drizzle-orm";
import { getDb } from "#db/client";
import { attributes, journeys, processes, rollups, stages, surveys, touchpoints } from "#db/schema/index";
import { bucketOf, tierValue, type Bucket, type InsightFilter } from "~/cem/insights-filters";
import { zeroSums, type KindSums } from "~/cem/insights";
import type { Channel } from "~/cem/journey";
import type { RollupColumns, RollupKind } from "~/cem/rollup";
import { SERVQUAL_ITEMS } from "~/survey/servqual";

export type ScopeTouchpoint = {
  id: number;
  key: string;
  name: string;
  channel: Channel;
  momentOfTruth: boolean;
  journeyKey: string;
  journeyName: string;
  stageName: string;
  processKey: string | null;
  processName: string | null;
};
export type ScopeAttribute = { touchpointId: number; key: string; labelEs: string; labelEn: string; servqual: string | null };
export type InsightScope = {
  touchpoints: ScopeTouchpoint[];
  attributes: ScopeAttribute[];
  processes: { key: string; name: string; owner: string }[];
  journeys: { key: string; name: string }[];
  /** Touchpoints with a SERVQUAL survey: their attributes are the 22 items, not the touchpoint's own. */
  servqualTouchpointIds: number[];
};

/** The workspace's model as insights need it: small (tens of rows), read once per request. */
export function insightScope(workspaceId: number): InsightScope {
  const db = getDb();
  const tps = db
    .select({
      id: touchpoints.id,
      key: touchpoints.key,
      name: touchpoints.name,
      channel: touchpoints.channel,
      momentOfTruth: touchpoints.momentOfTruth,
      journeyKey: journeys.key,
      journeyName: journeys.name,
      stageName: stages.name,
      processKey: processes.key,
      processName: processes.name,
    })
    .from(touchpoints)
    .innerJoin(journeys, eq(journeys.id, touchpoints.journeyId))
    .innerJoin(stages, eq(stages.id, touchpoints.stageId))
    .leftJoin(processes, eq(processes.id, touchpoints.processId))
    .where(eq(touchpoints.workspaceId, workspaceId))
    .orderBy(asc(journeys.name), asc(stages.position), asc(touchpoints.position))
    .all()
    .map((t) => ({ ...t, channel: t.channel as Channel }));
  return {
    touchpoints: tps,
    attributes: db
      .select({ touchpointId: attributes.touchpointId, key: attributes.key, labelEs: attributes.labelEs, labelEn: attributes.labelEn, servqual: attributes.servqual })
      .from(attributes)
      .where(eq(attributes.workspaceId, workspaceId))
      .orderBy(asc(attributes.touchpointId), asc(attributes.position))
      .all(),
    processes: db
      .select({ key: processes.key, name: processes.name, owner: processes.owner })
      .from(processes)
      .where(eq(processes.workspaceId, workspaceId))
      .orderBy(asc(processes.name))
      .all(),
    journeys: db
      .select({ key: journeys.key, name: journeys.name })
      .from(journeys)
      .where(eq(journeys.workspaceId, workspaceId))
      .orderBy(asc(journeys.name))
      .all(),
    servqualTouchpointIds: db
      .selectDistinct({ id: surveys.touchpointId })
      .from(surveys)
      .where(and(eq(surveys.workspaceId, workspaceId), eq(surveys.template, "servqual")))
      .all()
      .map((r) => r.id),
  };
}

/** The touchpoints the filter's journey and channel select (tier and language cut rollup rows instead). */
export function selectTouchpoints(scope: InsightScope, filter: Pick<InsightFilter, "journey" | "channel">): ScopeTouchpoint[] {
  return scope.touchpoints.filter(
    (t) => (!filter.journey || t.journeyKey === filter.journey) && (!filter.channel || t.channel === filter.channel),
  );
}

/**
 * Attribute keys the rollups may hold for these touchpoints: their own attributes, plus the 22
 * SERVQUAL items a touchpoint measured with the SERVQUAL instrument answers under. Listing them
 * lets SQLite seek each (touchpoint, attribute, kind) run instead of scanning every attribute row.
 */
export function attributeKeysOf(scope: InsightScope, touchpointIds: readonly number[]): string[] {
  const ids = new Set(touchpointIds);
  const keys = new Set(scope.attributes.filter((a) => ids.has(a.touchpointId)).map((a) => a.key));
  if (scope.servqualTouchpointIds.some((id) => ids.has(id))) for (const item of SERVQUAL_ITEMS) keys.add(item.key);
  return [...keys].sort();
}

export type SumsQuery = {
  workspaceId: number;
  touchpointIds: readonly number[];
  /** [""] for touchpoint level; attribute keys, or SERVQUAL dimensions for dimension kinds. */
  attributeKeys: readonly string[];
  kinds: readonly RollupKind[];
  from: string;
  to: string;
  /** Tier values as stored ("" = unknown); null = every tier. */
  tiers: readonly string[] | null;
  lang: string | null;
  /** Also sum the cross-product columns (derived importance needs them). */
  cross?: boolean;
  /** Keep tiers apart (tier comparison) instead of adding them up. */
  byTier?: boolean;
};

/** A summed row: touchpoint, attribute, kind (and tier when kept apart). */
export type SumsRow = RollupColumns & { touchpointId: number; attributeKey: string; kind: RollupKind; tier: string };

const total = (column: SQL.Aliased | unknown) => sql<number>`coalesce(sum(${column}), 0)`.mapWith(Number);

const SUMMED = ["n", "sum", "sumSq", "sumP", "sumE", "promoters", "detractors", "top2"] as const;

function sumColumns(cross: boolean) {
  return {
    n: total(rollups.n),
    sum: total(rollups.sum),
    sumSq: total(rollups.sumSq),
    sumP: total(rollups.sumP),
    sumE: total(rollups.sumE),
    promoters: total(rollups.promoters),
    detractors: total(rollups.detractors),
    top2: total(rollups.top2),
    ...(cross ? { sumY: total(rollups.sumY), sumYSq: total(rollups.sumYSq), sumXY: total(rollups.sumXY) } : {}),
  };
}

function conditions(q: Omit<SumsQuery, "kinds" | "cross" | "byTier">, kinds: readonly string[]): SQL | undefined {
  return and(
    eq(rollups.workspaceId, q.workspaceId),
    inArray(rollups.touchpointId, [...q.touchpointIds]),
    q.attributeKeys.length === 1 ? eq(rollups.attributeKey, q.attributeKeys[0]) : inArray(rollups.attributeKey, [...q.attributeKeys]),
    kinds.length === 1 ? eq(rollups.kind, kinds[0]) : inArray(rollups.kind, [...kinds]),
    between(rollups.day, q.from, q.to),
    q.tiers ? (q.tiers.length === 1 ? eq(rollups.tier, q.tiers[0]) : inArray(rollups.tier, [...q.tiers])) : undefined,
    q.lang ? eq(rollups.lang, q.lang) : undefined,
  );
}

function fillRow(row: Partial<RollupColumns>): RollupColumns {
  const full = zeroSums();
  for (const key of Object.keys(full) as (keyof RollupColumns)[]) full[key] = row[key] ?? 0;
  // Passives are not summed: every NPS answer is exactly one of the three buckets.
  full.passives = Math.max(0, full.n - full.promoters - full.detractors);
  return full;
}

/** Summed rollups over [from, to]; an empty selection reads nothing. */
export function querySums(q: SumsQuery): SumsRow[] {
  if (q.touchpointIds.length === 0 || q.attributeKeys.length === 0 || q.kinds.length === 0) return [];
  const db = getDb();
  const base = { touchpointId: rollups.touchpointId, attributeKey: rollups.attributeKey, kind: rollups.kind };
  const where = conditions(q, q.kinds);
  const rows = q.byTier
    ? db
        .select({ ...base, tier: rollups.tier, ...sumColumns(q.cross === true) })
        .from(rollups)
        .where(where)
        .groupBy(rollups.touchpointId, rollups.attributeKey, rollups.kind, rollups.tier)
        .all()
    : db
        .select({ ...base, ...sumColumns(q.cross === true) })
        .from(rollups)
        .where(where)
        .groupBy(rollups.touchpointId, rollups.attributeKey, rollups.kind)
        .all()
        .map((r) => ({ ...r, tier: "" }));
  return rows.map((r) => ({ ...fillRow(r), touchpointId: r.touchpointId, attributeKey: r.attributeKey, kind: r.kind as RollupKind, tier: r.tier }));
}

/** Rows folded into KindSums per key (e.g. per touchpoint, or per touchpoint × attribute). */
export function sumsBy(rows: readonly SumsRow[], keyOf: (row: SumsRow) => string): Map<string, KindSums> {
  const out = new Map<string, KindSums>();
  for (const row of rows) {
    const key = keyOf(row);
    const sums = out.get(key) ?? {};
    const target = (sums[row.kind] ??= zeroSums());
    for (const column of Object.keys(target) as (keyof RollupColumns)[]) target[column] += row[column];
    out.set(key, sums);
  }
  return out;
}

/** The filter's tier as rollup values (null = all tiers). */
export const filterTiers = (filter: InsightFilter): string[] | null => (filter.tier ? [tierValue(filter.tier)] : null);

export type TrendRow = SumsRow & { bucket: string };

/**
 * Touchpoint-level sums per touchpoint, kind and week (the Monday of the ISO week) or month. SQL
 * sums per day, in the order of the primary key so nothing is sorted, and the days are folded into
 * buckets here: at a million responses that measured about twice as fast as grouping on a
 * strftime() bucket in SQL, which sorts every rollup row (docs/benchmarks.md, "Insights").
 */
export function queryTrendSums(q: Omit<SumsQuery, "attributeKeys" | "cross" | "byTier">, bucket: Bucket): TrendRow[] {
  if (q.touchpointIds.length === 0 || q.kinds.length === 0) return [];
  const days = getDb()
    .select({ touchpointId: rollups.touchpointId, kind: rollups.kind, day: rollups.day, ...sumColumns(false) })
    .from(rollups)
    .where(conditions({ ...q, attributeKeys: [""] }, q.kinds))
    .groupBy(rollups.touchpointId, rollups.attributeKey, rollups.kind, rollups.day)
    .all();
  const buckets = new Map<string, TrendRow>();
  const bucketOfDay = new Map<string, string>();
  for (const d of days) {
    let b = bucketOfDay.get(d.day);
    if (b === undefined) bucketOfDay.set(d.day, (b = bucketOf(d.day, bucket)));
    const key = `${d.touchpointId}\u0000${d.kind}\u0000${b}`;
    const row = buckets.get(key) ?? { ...zeroSums(), touchpointId: d.touchpointId, attributeKey: "", kind: d.kind as RollupKind, tier: "", bucket: b };
    for (const column of SUMMED) row[column] += d[column];
    buckets.set(key, row);
  }
  return [...buckets.values()].map((row) => ({ ...row, passives: Math.max(0, row.n - row.promoters - row.detractors) }));
}
