// The insights tables as the views and the API show them: rows per process, touchpoint, attribute
// or SERVQUAL dimension with names attached, the tier comparison, the importance–performance grid
// and the trend series. Reads summed rollups (insights.server.ts) and assembles with app/cem.
import {
  ATTRIBUTE_TABLE_KINDS,
  DIMENSION_TABLE_KINDS,
  NO_PROCESS,
  TABLE_BY,
  TOUCHPOINT_KINDS,
  addKindSums,
  compareTiers,
  groupSums,
  insightRow,
  worstFirst,
  type InsightRow,
  type KindSums,
  type TableBy,
  type TierComparison,
} from "~/cem/insights";
import { bucketsBetween, previousPeriod, tierValue, type Bucket, type InsightFilter, type TierFilter } from "~/cem/insights-filters";
import { importancePerformanceGrid, type ImportanceSource, type Ipa } from "~/cem/insights-ipa";
import { servqualView, type ServqualView } from "~/cem/insights-servqual";
import { trendSeries, type TrendSeries } from "~/cem/insights-trends";
import { SERVQUAL_DIMENSIONS } from "~/cem/journey";
import type { RollupKind } from "~/cem/rollup";
import type { Lang } from "~/i18n/lang";
import { DIMENSION_LABELS, SERVQUAL_ITEMS } from "~/survey/servqual";
import {
  attributeKeysOf,
  filterTiers,
  querySums,
  queryTrendSums,
  selectTouchpoints,
  sumsBy,
  type InsightScope,
  type ScopeTouchpoint,
  type SumsQuery,
} from "./insights.server";

export { NO_PROCESS, TABLE_BY, type TableBy };

export type InsightContext = { workspaceId: number; minN: number; lang: Lang };

/** Identifies a unit for drill-down links and API filters. */
export type UnitRef = { process?: string; touchpoint?: string; attribute?: string; dimension?: string };
export type UnitRow = InsightRow & { name: string; detail: string; ref: UnitRef; momentOfTruth: boolean };
export type TableView = { by: TableBy; rows: UnitRow[]; total: InsightRow | null; servqual: ServqualView | null };


function baseQuery(ctx: InsightContext, filter: InsightFilter, tps: readonly ScopeTouchpoint[]): Omit<SumsQuery, "attributeKeys" | "kinds"> {
  return { workspaceId: ctx.workspaceId, touchpointIds: tps.map((t) => t.id), from: filter.from, to: filter.to, tiers: filterTiers(filter), lang: filter.lang };
}

/**
 * The query over the current window, and over the previous one of the same length for the kinds a
 * change is reported on (the gap and NPS), which keeps the second walk to what it is needed for.
 */
async function bothPeriods(q: SumsQuery, changeKinds: readonly RollupKind[]) {
  // Side by side: on PostgreSQL each on a connection of its own (SQLite runs them in turn).
  const [current, previous] = await Promise.all([querySums(q), querySums({ ...q, ...previousPeriod(q), kinds: changeKinds })]);
  return { current, previous };
}

type Unit = { key: string; name: string; detail: string; ref: UnitRef; momentOfTruth: boolean };

/** Touchpoint and process units over the touchpoint-level sums of each touchpoint. */
function touchpointUnits(scope: InsightScope, tps: readonly ScopeTouchpoint[], by: "process" | "touchpoint", sums: Map<string, KindSums>) {
  if (by === "touchpoint") {
    return tps.map((t) => ({
      unit: { key: t.key, name: t.name, detail: [t.journeyName, t.stageName].join(" · "), ref: { touchpoint: t.key }, momentOfTruth: t.momentOfTruth },
      sums: sums.get(String(t.id)) ?? {},
    }));
  }
  const grouped = groupSums(
    tps.map((t) => [t, sums.get(String(t.id)) ?? {}] as [ScopeTouchpoint, KindSums]),
    (t) => t.processKey ?? NO_PROCESS,
  );
  const names = new Map(scope.processes.map((p) => [p.key, p]));
  const owned = (key: string) => tps.filter((t) => (t.processKey ?? NO_PROCESS) === key);
  return [...new Set(tps.map((t) => t.processKey ?? NO_PROCESS))].map((key) => ({
    unit: {
      key,
      name: names.get(key)?.name ?? "",
      detail: owned(key).map((t) => t.name).join(", "),
      ref: { process: key },
      momentOfTruth: owned(key).some((t) => t.momentOfTruth),
    },
    sums: grouped.get(key) ?? {},
  }));
}

/**
 * The gap table by process, touchpoint, attribute or dimension over the filter, worst first, each
 * row with its change against the previous period of the same length.
 */
export async function gapTable(ctx: InsightContext, scope: InsightScope, filter: InsightFilter, by: TableBy): Promise<TableView> {
  const tps = selectTouchpoints(scope, filter);
  const base = baseQuery(ctx, filter, tps);
  const options = (previous: KindSums) => ({ minN: ctx.minN, previous });

  if (by === "process" || by === "touchpoint") {
    const { current, previous } = await bothPeriods({ ...base, attributeKeys: [""], kinds: TOUCHPOINT_KINDS }, ["gap", "nps"]);
    const now = sumsBy(current, (r) => String(r.touchpointId));
    const before = sumsBy(previous, (r) => String(r.touchpointId));
    const nowUnits = touchpointUnits(scope, tps, by, now);
    const beforeUnits = new Map(touchpointUnits(scope, tps, by, before).map((u) => [u.unit.key, u.sums]));
    const rows = nowUnits
      .map(({ unit, sums }) => ({ ...insightRow(unit.key, sums, options(beforeUnits.get(unit.key) ?? {})), ...unitFields(unit) }))
      .filter(measured);
    const all = (m: Map<string, KindSums>) => [...m.values()].reduce((acc, s) => addKindSums(acc, s), {} as KindSums);
    const total = current.length > 0 ? insightRow("total", all(now), options(all(before))) : null;
    return { by, rows: worstFirst(rows), total, servqual: null };
  }

  if (by === "attribute") {
    const { current, previous } = await bothPeriods({ ...base, attributeKeys: attributeKeysOf(scope, base.touchpointIds), kinds: ATTRIBUTE_TABLE_KINDS }, ["gap"]);
    const keyOf = (r: { touchpointId: number; attributeKey: string }) => `${r.touchpointId}\u0000${r.attributeKey}`;
    const now = sumsBy(current, keyOf);
    const before = sumsBy(previous, keyOf);
    const rows = [...now].map(([key, sums]) => {
      const [tpId, attributeKey] = key.split("\u0000");
      const tp = tps.find((t) => String(t.id) === tpId)!;
      const unit = attributeUnit(scope, tp, attributeKey, ctx.lang);
      return { ...insightRow(unit.key, sums, options(before.get(key) ?? {})), ...unitFields(unit) };
    });
    return { by, rows: worstFirst(rows.filter(measured)), total: null, servqual: null };
  }

  const dims = { ...base, attributeKeys: [...SERVQUAL_DIMENSIONS], kinds: DIMENSION_TABLE_KINDS };
  const { current, previous } = await bothPeriods(dims, ["dimension_gap"]);
  const weighted = await querySums({ ...base, attributeKeys: [""], kinds: ["weighted_gap"] });
  const askedPoints = new Set(current.filter((r) => r.kind === "importance_points").map((r) => r.touchpointId));
  const view = servqualView(
    sumsBy(current, (r) => r.attributeKey),
    sumsBy(weighted, () => "all").get("all") ?? {},
    {
      minN: ctx.minN,
      previous: sumsBy(previous, (r) => r.attributeKey),
      withPoints: sumsBy(current.filter((r) => askedPoints.has(r.touchpointId)), (r) => r.attributeKey),
    },
  );
  const rows = view.rows.map((row) => ({
    ...row,
    ...unitFields({ key: row.key, name: DIMENSION_LABELS[row.key as keyof typeof DIMENSION_LABELS][ctx.lang], detail: "", ref: { dimension: row.key }, momentOfTruth: false }),
  }));
  return { by, rows: worstFirst(rows), total: null, servqual: { ...view, rows } };
}

/** Units nobody answered at, now or in the previous period, are left out of the tables. */
const measured = (row: InsightRow) => row.n > 0 || (row.change?.previousN ?? 0) > 0;

const unitFields = (unit: Unit) => ({ key: unit.key, name: unit.name, detail: unit.detail, ref: unit.ref, momentOfTruth: unit.momentOfTruth });

function attributeUnit(scope: InsightScope, tp: ScopeTouchpoint, attributeKey: string, lang: Lang): Unit {
  const own = scope.attributes.find((a) => a.touchpointId === tp.id && a.key === attributeKey);
  const servqual = SERVQUAL_ITEMS.find((i) => i.key === attributeKey);
  const name = own ? (lang === "en" ? own.labelEn : own.labelEs) : servqual ? servqual.label[lang] : attributeKey;
  return {
    key: `${tp.key}/${attributeKey}`,
    name,
    detail: tp.name,
    ref: { touchpoint: tp.key, attribute: attributeKey },
    momentOfTruth: tp.momentOfTruth,
  };
}

export type TierRow = TierComparison & { name: string; detail: string; ref: UnitRef };
export type TierView = { by: TableBy; a: TierFilter; b: TierFilter; rows: TierRow[] };

/** Two tiers side by side per unit: gaps, NPS and CSAT with the A − B differences. */
export async function tierTable(ctx: InsightContext, scope: InsightScope, filter: InsightFilter, by: TableBy, a: TierFilter, b: TierFilter): Promise<TierView> {
  const tps = selectTouchpoints(scope, filter);
  const base = { ...baseQuery(ctx, filter, tps), tiers: [tierValue(a), tierValue(b)], byTier: true };
  const pick = (m: Map<string, KindSums>, key: string) => m.get(key) ?? {};
  let units: { unit: Unit; a: KindSums; b: KindSums }[];
  if (by === "process" || by === "touchpoint") {
    const rows = await querySums({ ...base, attributeKeys: [""], kinds: ["gap", "nps", "csat"] });
    const side = (tier: TierFilter) => sumsBy(rows.filter((r) => r.tier === tierValue(tier)), (r) => String(r.touchpointId));
    const ua = touchpointUnits(scope, tps, by, side(a));
    const ub = new Map(touchpointUnits(scope, tps, by, side(b)).map((u) => [u.unit.key, u.sums]));
    units = ua.map((u) => ({ unit: u.unit, a: u.sums, b: ub.get(u.unit.key) ?? {} }));
  } else if (by === "attribute") {
    const rows = await querySums({ ...base, attributeKeys: attributeKeysOf(scope, base.touchpointIds), kinds: ["gap"] });
    const keyOf = (r: { touchpointId: number; attributeKey: string }) => `${r.touchpointId}\u0000${r.attributeKey}`;
    const sa = sumsBy(rows.filter((r) => r.tier === tierValue(a)), keyOf);
    const sb = sumsBy(rows.filter((r) => r.tier === tierValue(b)), keyOf);
    units = [...new Set([...sa.keys(), ...sb.keys()])].map((key) => {
      const [tpId, attributeKey] = key.split("\u0000");
      const tp = tps.find((t) => String(t.id) === tpId)!;
      return { unit: attributeUnit(scope, tp, attributeKey, ctx.lang), a: pick(sa, key), b: pick(sb, key) };
    });
  } else {
    // Dimension gaps compare as gaps: rename the kind so compareTiers reads them.
    const rows = (await querySums({ ...base, attributeKeys: [...SERVQUAL_DIMENSIONS], kinds: ["dimension_gap"] })).map((r) => ({ ...r, kind: "gap" as const }));
    const sa = sumsBy(rows.filter((r) => r.tier === tierValue(a)), (r) => r.attributeKey);
    const sb = sumsBy(rows.filter((r) => r.tier === tierValue(b)), (r) => r.attributeKey);
    units = SERVQUAL_DIMENSIONS.filter((d) => sa.has(d) || sb.has(d)).map((d) => ({
      unit: { key: d, name: DIMENSION_LABELS[d][ctx.lang], detail: "", ref: { dimension: d }, momentOfTruth: false },
      a: pick(sa, d),
      b: pick(sb, d),
    }));
  }
  const rows = units.map(({ unit, a: sa, b: sb }) => ({
    ...compareTiers(unit.key, sa, sb, ctx.minN),
    name: unit.name,
    detail: unit.detail,
    ref: unit.ref,
  }));
  // Largest gap difference first (in either direction): where the tiers are served most unequally.
  const size = (r: TierRow) => (r.gap?.status === "ok" && r.gap.value.difference !== null ? Math.abs(r.gap.value.difference) : -1);
  return { by, a, b, rows: rows.sort((x, y) => size(y) - size(x) || x.key.localeCompare(y.key)) };
}

export type IpaView = Ipa & { labels: Record<string, { name: string; detail: string; ref: UnitRef }> };

/** Attributes of the selected touchpoints on the importance–performance grid. */
export async function ipaView(ctx: InsightContext, scope: InsightScope, filter: InsightFilter, source: ImportanceSource, touchpointKey: string | null): Promise<IpaView> {
  const tps = selectTouchpoints(scope, filter).filter((t) => !touchpointKey || t.key === touchpointKey);
  const importanceKind: RollupKind = source === "stated" ? "importance" : source === "nps" ? "perception_nps" : "perception_csat";
  const rows = await querySums({
    ...baseQuery(ctx, filter, tps),
    attributeKeys: attributeKeysOf(scope, tps.map((t) => t.id)),
    kinds: ["perception", importanceKind],
    cross: source !== "stated",
  });
  const keyOf = (r: { touchpointId: number; attributeKey: string }) => `${r.touchpointId}\u0000${r.attributeKey}`;
  const labels: IpaView["labels"] = {};
  const attrs = [...sumsBy(rows, keyOf)].map(([key, sums]) => {
    const [tpId, attributeKey] = key.split("\u0000");
    const unit = attributeUnit(scope, tps.find((t) => String(t.id) === tpId)!, attributeKey, ctx.lang);
    labels[unit.key] = { name: unit.name, detail: unit.detail, ref: unit.ref };
    return { key: unit.key, sums };
  });
  return { ...importancePerformanceGrid(attrs, source, ctx.minN), labels };
}

export type TrendUnit = { key: string; name: string; ref: UnitRef };
export type TrendView = { bucket: Bucket; by: "process" | "touchpoint"; buckets: string[]; series: (TrendSeries & TrendUnit)[]; overall: TrendSeries };

/** Weekly or monthly gap and NPS per process or touchpoint, plus the whole selection. */
export async function trendView(ctx: InsightContext, scope: InsightScope, filter: InsightFilter, bucket: Bucket, by: "process" | "touchpoint"): Promise<TrendView> {
  const tps = selectTouchpoints(scope, filter);
  const rows = await queryTrendSums({ ...baseQuery(ctx, filter, tps), kinds: ["gap", "nps"] }, bucket);
  const buckets = bucketsBetween(filter.from, filter.to, bucket);
  const byTp = new Map(tps.map((t) => [t.id, t]));
  const unitOf = (tpId: number) => {
    const t = byTp.get(tpId)!;
    return by === "touchpoint" ? t.key : (t.processKey ?? NO_PROCESS);
  };
  const perUnit = new Map<string, Map<string, KindSums>>();
  const overall = new Map<string, KindSums>();
  for (const row of rows) {
    const unit = unitOf(row.touchpointId);
    const buckets = perUnit.get(unit) ?? new Map<string, KindSums>();
    perUnit.set(unit, buckets);
    for (const target of [buckets, overall]) {
      target.set(row.bucket, addKindSums(target.get(row.bucket) ?? {}, { [row.kind]: row }));
    }
  }
  const processNames = new Map(scope.processes.map((p) => [p.key, p.name]));
  const units: TrendUnit[] =
    by === "touchpoint"
      ? tps.map((t) => ({ key: t.key, name: t.name, ref: { touchpoint: t.key } }))
      : [...new Set(tps.map((t) => t.processKey ?? NO_PROCESS))].map((key) => ({ key, name: processNames.get(key) ?? "", ref: { process: key } }));
  return {
    bucket,
    by,
    buckets,
    series: units.map((u) => ({ ...trendSeries(u.key, perUnit.get(u.key) ?? new Map(), buckets, ctx.minN), ...u })),
    overall: trendSeries("total", overall, buckets, ctx.minN),
  };
}
