// The experience home's data: touchpoint-level rollup sums of the default window kept apart by tier,
// the previous window's in all, attribute sums only where an attribute carries a target, the targets
// and the overdue cases. Reads rollups, never responses; app/cem/home-findings.ts decides what shows.
import { homeFindings, type HomeFindings, type HomeInput, type HomeUnit } from "~/cem/home-findings";
import { addKindSums, NO_PROCESS, type KindSums } from "~/cem/insights";
import { previousPeriod, type InsightFilter } from "~/cem/insights-filters";
import { overdueCount } from "./cases.server";
import { querySums, sumsBy, type InsightScope, type SumsRow } from "./insights.server";
import type { InsightContext } from "./insights-tables.server";
import { listTargets } from "./targets.server";

export type HomeView = HomeFindings & { overdue: number; measured: boolean };

const HOME_KINDS = ["gap", "below", "nps", "csat", "ces"] as const;

/** Per unit key, the rows' sums kept apart by tier value. */
function byUnitAndTier(rows: readonly SumsRow[], unitsOf: (touchpointId: number) => string[]): Map<string, Map<string, KindSums>> {
  const out = new Map<string, Map<string, KindSums>>();
  const perTier = sumsBy(rows, (r) => `${r.touchpointId}\u0000${r.tier}`);
  for (const [key, sums] of perTier) {
    const [tpId, tier] = key.split("\u0000");
    for (const unit of unitsOf(Number(tpId))) {
      const tiers = out.get(unit) ?? new Map<string, KindSums>();
      out.set(unit, tiers);
      tiers.set(tier, addKindSums(tiers.get(tier) ?? {}, sums));
    }
  }
  return out;
}

/** The home's inputs over a scope: what homeFindings judges, and the overdue count beside it. */
export type HomeEvidence = { input: HomeInput; overdue: number; measured: boolean };

export async function homeView(ctx: InsightContext, scope: InsightScope, filter: InsightFilter, now = new Date()): Promise<HomeView> {
  const { input, overdue, measured } = await homeEvidence(ctx, scope, filter, now);
  return { ...homeFindings(input), overdue, measured };
}

/**
 * The rollup sums the home reads over the scope's touchpoints (a journey filter, an alert rule's
 * scope narrow it), gathered for homeFindings; alerts (app/data/alerts.server.ts) judge the same.
 */
export async function homeEvidence(ctx: InsightContext, scope: InsightScope, filter: InsightFilter, now = new Date()): Promise<HomeEvidence> {
  const { workspaceId, minN } = ctx;
  const tps = scope.touchpoints;
  const ids = tps.map((t) => t.id);
  const base = { workspaceId, touchpointIds: ids, tiers: null, lang: null, attributeKeys: [""] };
  const targets = await listTargets(workspaceId);
  const attributeTargets = targets.filter((t) => t.unit === "attribute");
  const targetedTps = tps.filter((t) => attributeTargets.some((a) => a.unitKey.startsWith(`${t.key}/`)));
  // The three reads side by side: on PostgreSQL each on its own connection.
  const [current, previous, attributeRows, overdue] = await Promise.all([
    querySums({ ...base, kinds: HOME_KINDS, from: filter.from, to: filter.to, byTier: true }),
    querySums({ ...base, kinds: ["gap", "nps"], ...previousPeriod(filter) }),
    targetedTps.length > 0
      ? querySums({
          ...base,
          touchpointIds: targetedTps.map((t) => t.id),
          attributeKeys: [...new Set(attributeTargets.map((a) => a.unitKey.split("/")[1]))].sort(),
          kinds: ["gap", "below"],
          from: filter.from,
          to: filter.to,
        })
      : Promise.resolve([]),
    overdueCount(workspaceId, now),
  ]);

  const tpById = new Map(tps.map((t) => [t.id, t]));
  // A touchpoint's sums count for the touchpoint and for its process (touchpoints no process owns
  // have no process finding: nobody to act on it).
  const unitsOf = (tpId: number) => {
    const t = tpById.get(tpId);
    if (!t) return [];
    return t.processKey ? [`touchpoint:${t.key}`, `process:${t.processKey}`] : [`touchpoint:${t.key}`];
  };
  const nowSums = byUnitAndTier(current, unitsOf);
  const beforeSums = byUnitAndTier(previous, unitsOf);
  const all = (tiers: Map<string, KindSums> | undefined): KindSums => [...(tiers?.values() ?? [])].reduce((acc, sums) => addKindSums(acc, sums), {} as KindSums);

  const processNames = new Map(scope.processes.map((p) => [p.key, p.name]));
  const units: HomeUnit[] = [
    ...[...new Set(tps.map((t) => t.processKey ?? NO_PROCESS))]
      .filter((key) => key !== NO_PROCESS)
      .map((key) => ({ kind: "process" as const, key, name: processNames.get(key) ?? key, detail: tps.filter((t) => t.processKey === key).map((t) => t.name).join(", ") })),
    ...tps.map((t) => ({ kind: "touchpoint" as const, key: t.key, name: t.name, detail: [t.journeyName, t.stageName].join(" · ") })),
  ];
  const attrSums = sumsBy(attributeRows, (r) => `${tpById.get(r.touchpointId)?.key}/${r.attributeKey}`);
  const attributeUnits = attributeTargets
    .filter((a, i, list) => list.findIndex((b) => b.unitKey === a.unitKey) === i)
    .map((a) => {
      const [tpKey, attributeKey] = a.unitKey.split("/");
      const tp = tps.find((t) => t.key === tpKey);
      const attr = tp ? scope.attributes.find((x) => x.touchpointId === tp.id && x.key === attributeKey) : undefined;
      return { unit: { kind: "attribute" as const, key: a.unitKey, name: (ctx.lang === "en" ? attr?.labelEn : attr?.labelEs) ?? attributeKey, detail: tp?.name ?? tpKey }, now: attrSums.get(a.unitKey) ?? {} };
    });

  const input: HomeInput = {
    units: units.map((unit) => ({
      unit,
      byTier: nowSums.get(`${unit.kind}:${unit.key}`) ?? new Map(),
      previous: all(beforeSums.get(`${unit.kind}:${unit.key}`)),
    })),
    attributes: attributeUnits,
    targets,
    minN,
    day: filter.to,
  };
  return { input, overdue, measured: current.length > 0 };
}
