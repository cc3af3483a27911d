// Reading the rollups for insights: the workspace's touchpoints (with their journey, channel and
// process) that the filter selects, and summed rollup rows per touchpoint × attribute × kind over a
// window. Every dashboard number starts here; no query in this module touches responses.
//
// A window reads its whole ISO weeks from the weekly rollups and only its edge days from the daily
// ones (ADR 010). On PostgreSQL both levels are read through views that add the increments still
// waiting to be folded, in the same statement (ADR 033); on SQLite they are the tables. The sums
// are grouped in the order of the primary key (touchpoint, attribute, kind), so SQLite aggregates
// while it walks the index instead of sorting; current and previous periods are two such walks
// rather than one with a CASE per column, which measured several times slower.
import { and, asc, between, eq, inArray, sql, type SQL } from "drizzle-orm";
import { getDb } from "#db/client";
import { attributes, journeys, processes, rollupsRead, rollupsWeeklyRead, stages, surveys, touchpoints } from "#db/schema/index";
import { addDays, bucketOf, tierValue, type Bucket, type InsightFilter } from "~/cem/insights-filters";
import { zeroSums, type KindSums } from "~/cem/insights";
import type { Channel } from "~/cem/journey";
import type { Lang } from "~/i18n/lang";
import { localName } from "~/i18n/names";
import type { RollupColumn, RollupColumns, RollupKind } from "~/cem/rollup";
import { splitWindow, type WindowSplit } from "~/cem/rollup-weeks";
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

/**
 * The workspace's model as insights need it: small (tens of rows), read once per request. Names come
 * in `lang` (the English one where it is set, else the Spanish one: app/i18n/names.ts); the API and
 * stored alert texts keep the default, Spanish.
 */
export async function insightScope(workspaceId: number, lang: Lang = "es"): Promise<InsightScope> {
  const db = getDb();
  const tpRows = await db
    .select({
      id: touchpoints.id,
      key: touchpoints.key,
      name: touchpoints.name,
      nameEn: touchpoints.nameEn,
      channel: touchpoints.channel,
      momentOfTruth: touchpoints.momentOfTruth,
      journeyKey: journeys.key,
      journeyName: journeys.name,
      journeyNameEn: journeys.nameEn,
      stageName: stages.name,
      stageNameEn: stages.nameEn,
      processKey: processes.key,
      processName: processes.name,
      processNameEn: processes.nameEn,
    })
    .from(touchpoints)
    .innerJoin(journeys, eq(journeys.id, touchpoints.journeyId))
    .innerJoin(stages, eq(stages.id, touchpoints.stageId))
    .leftJoin(processes, eq(processes.id, touchpoints.processId))
    .where(eq(touchpoints.workspaceId, workspaceId))
    .orderBy(asc(journeys.name), asc(stages.position), asc(touchpoints.position));
  const [attributeRows, processRows, journeyRows, servqualRows] = await Promise.all([
    db
      .select({ touchpointId: attributes.touchpointId, key: attributes.key, labelEs: attributes.labelEs, labelEn: attributes.labelEn, servqual: attributes.servqual })
      .from(attributes)
      .where(eq(attributes.workspaceId, workspaceId))
      .orderBy(asc(attributes.touchpointId), asc(attributes.position)),
    db
      .select({ key: processes.key, name: processes.name, nameEn: processes.nameEn, owner: processes.owner })
      .from(processes)
      .where(eq(processes.workspaceId, workspaceId))
      .orderBy(asc(processes.name)),
    db
      .select({ key: journeys.key, name: journeys.name, nameEn: journeys.nameEn })
      .from(journeys)
      .where(eq(journeys.workspaceId, workspaceId))
      .orderBy(asc(journeys.name)),
    db
      .selectDistinct({ id: surveys.touchpointId })
      .from(surveys)
      .where(and(eq(surveys.workspaceId, workspaceId), eq(surveys.template, "servqual"))),
  ]);
  return {
    touchpoints: tpRows.map(({ nameEn, journeyNameEn, stageNameEn, processNameEn, ...t }) => ({
      ...t,
      name: localName({ name: t.name, nameEn }, lang),
      journeyName: localName({ name: t.journeyName, nameEn: journeyNameEn }, lang),
      stageName: localName({ name: t.stageName, nameEn: stageNameEn }, lang),
      processName: t.processName === null ? null : localName({ name: t.processName, nameEn: processNameEn }, lang),
      channel: t.channel as Channel,
    })),
    attributes: attributeRows,
    processes: processRows.map(({ nameEn, ...p }) => ({ ...p, name: localName({ name: p.name, nameEn }, lang) })),
    journeys: journeyRows.map(({ nameEn, ...j }) => ({ ...j, name: localName({ name: j.name, nameEn }, lang) })),
    servqualTouchpointIds: servqualRows.map((r) => r.id),
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

type RollupLevel = typeof rollupsRead | typeof rollupsWeeklyRead;

const total = (column: SQL.Aliased | unknown): SQL<number> => sql<number>`coalesce(sum(${column}), 0)`.mapWith(Number);

const SUMMED = ["n", "sum", "sumSq", "sumP", "sumE", "promoters", "detractors", "top2"] as const;
const CROSS = ["sumY", "sumYSq", "sumXY"] as const;

/** Sum expressions of the columns, in the order given (queryTrendSums reads them by position). */
function sumColumns<C extends RollupColumn>(t: RollupLevel, columns: readonly C[]) {
  return Object.fromEntries(columns.map((c) => [c, total(t[c])])) as Record<C, SQL<number>>;
}

/** The day (daily level) or the Monday (weekly level) a row is kept under. */
const periodOf = (t: RollupLevel) => ("day" in t ? t.day : t.week);

/**
 * The periods as a condition: a contiguous run (the whole weeks of a window) as one range, which
 * SQLite walks along the primary key; anything else (edge days, weeks around month ends) as a
 * list, which it seeks value by value.
 */
function inPeriods(t: RollupLevel, periods: readonly string[]): SQL {
  const column = periodOf(t);
  if (periods.length === 1) return eq(column, periods[0]);
  const step = "day" in t ? 1 : 7;
  const contiguous = periods[periods.length - 1] === addDays(periods[0], step * (periods.length - 1));
  return contiguous ? between(column, periods[0], periods[periods.length - 1]) : inArray(column, [...periods]);
}

type Selection = Omit<SumsQuery, "kinds" | "cross" | "byTier" | "from" | "to">;

function conditions(t: RollupLevel, q: Selection, kinds: readonly string[], periods: readonly string[]): SQL | undefined {
  return and(
    eq(t.workspaceId, q.workspaceId),
    inArray(t.touchpointId, [...q.touchpointIds]),
    q.attributeKeys.length === 1 ? eq(t.attributeKey, q.attributeKeys[0]) : inArray(t.attributeKey, [...q.attributeKeys]),
    kinds.length === 1 ? eq(t.kind, kinds[0]) : inArray(t.kind, [...kinds]),
    inPeriods(t, periods),
    q.tiers ? (q.tiers.length === 1 ? eq(t.tier, q.tiers[0]) : inArray(t.tier, [...q.tiers])) : undefined,
    q.lang ? eq(t.lang, q.lang) : undefined,
  );
}

/** The window's whole weeks from the weekly level, then its leftover days from the daily level. */
function levelsOf(split: WindowSplit): [RollupLevel, string[]][] {
  return ([[rollupsWeeklyRead, split.weeks], [rollupsRead, split.days]] as [RollupLevel, string[]][]).filter(([, periods]) => periods.length > 0);
}

/** Grouped sums of one level over the given periods, in primary-key order (nothing is sorted). */
async function levelSums(t: RollupLevel, periods: readonly string[], q: SumsQuery) {
  const db = getDb();
  const base = { touchpointId: t.touchpointId, attributeKey: t.attributeKey, kind: t.kind };
  const where = conditions(t, q, q.kinds, periods);
  const sums = sumColumns(t, q.cross ? [...SUMMED, ...CROSS] : SUMMED);
  return q.byTier
    ? db
        .select({ ...base, tier: t.tier, ...sums })
        .from(t)
        .where(where)
        .groupBy(t.touchpointId, t.attributeKey, t.kind, t.tier)
    : (await db.select({ ...base, ...sums }).from(t).where(where).groupBy(t.touchpointId, t.attributeKey, t.kind)).map((r) => ({ ...r, tier: "" }));
}

/**
 * Summed rollups over [from, to]; an empty selection reads nothing. Whole ISO weeks of the window
 * come from the weekly level and the days at its edges from the daily one (app/cem/rollup-weeks.ts),
 * one week row standing for up to seven day rows; the two levels' sums are added here per key.
 */
export async function querySums(q: SumsQuery): Promise<SumsRow[]> {
  if (q.touchpointIds.length === 0 || q.attributeKeys.length === 0 || q.kinds.length === 0) return [];
  const columns = q.cross ? [...SUMMED, ...CROSS] : SUMMED;
  const merged = new Map<string, SumsRow>();
  const levels = levelsOf(splitWindow(q.from, q.to));
  const read = await Promise.all(levels.map(([t, periods]) => levelSums(t, periods, q)));
  for (const rows of read) {
    for (const r of rows) {
      const key = `${r.touchpointId}\u0000${r.attributeKey}\u0000${r.kind}\u0000${r.tier}`;
      let row = merged.get(key);
      if (!row) merged.set(key, (row = sumsRow(r.touchpointId, r.attributeKey, r.kind as RollupKind, r.tier)));
      for (const column of columns) row[column] += (r as Partial<RollupColumns>)[column] ?? 0;
    }
  }
  return withPassives([...merged.values()]);
}

/**
 * A zeroed row, by Object.assign: an object spread of the sums (`{ ...zeroSums(), … }`) measured
 * ~5 µs a row on Node 20, 7 ms for the 1,300 rows of a year's weekly trend.
 */
function sumsRow(touchpointId: number, attributeKey: string, kind: RollupKind, tier: string): SumsRow {
  return Object.assign(zeroSums(), { touchpointId, attributeKey, kind, tier });
}

/** Passives are not summed: every NPS answer is exactly one of the three buckets. */
function withPassives<T extends RollupColumns>(rows: T[]): T[] {
  for (const row of rows) row.passives = Math.max(0, row.n - row.promoters - row.detractors);
  return rows;
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
 * sums per week or day, in the order of the primary key so nothing is sorted, and the periods are
 * folded into buckets here: at a million responses that measured about twice as fast as grouping
 * on a strftime() bucket in SQL, which sorts every rollup row (docs/benchmarks.md, "Insights").
 * Whole weeks come from the weekly level; by month, a week that spans two months is read as days.
 */
export async function queryTrendSums(q: Omit<SumsQuery, "attributeKeys" | "cross" | "byTier">, bucket: Bucket): Promise<TrendRow[]> {
  if (q.touchpointIds.length === 0 || q.kinds.length === 0) return [];
  const buckets = new Map<string, TrendRow>();
  const bucketOfPeriod = new Map<string, string>();
  const levels = levelsOf(splitWindow(q.from, q.to, { months: bucket === "month" }));
  const read = await Promise.all(
    levels.map(([t, periods]) => {
      const period = periodOf(t);
      return getDb()
        .select({ touchpointId: t.touchpointId, kind: t.kind, period, ...sumColumns(t, SUMMED) })
        .from(t)
        .where(conditions(t, { ...q, attributeKeys: [""] }, q.kinds, periods))
        .groupBy(t.touchpointId, t.attributeKey, t.kind, period);
    }),
  );
  for (const rows of read) {
    for (const d of rows) {
      // A week's Monday is in its bucket: the week itself, or (read whole only then) its month.
      let b = bucketOfPeriod.get(d.period);
      if (b === undefined) bucketOfPeriod.set(d.period, (b = bucketOf(d.period, bucket)));
      const key = `${d.touchpointId}\u0000${d.kind}\u0000${b}`;
      let row = buckets.get(key);
      if (!row) buckets.set(key, (row = Object.assign(sumsRow(d.touchpointId, "", d.kind as RollupKind, ""), { bucket: b })));
      const summed = d as unknown as Record<string, number>;
      for (const column of SUMMED) row[column] += summed[column];
    }
  }
  return withPassives([...buckets.values()]);
}
