// The responses behind an insights number, newest first and paged by a keyset cursor (never an
// OFFSET that walks everything before the page), with comment, customer, tier and measurements;
// and the same walk in chunks for the raw CSV export. The only insights code that reads responses.
import { and, desc, eq, exists, gte, inArray, isNotNull, lt, lte, ne, or, sql, type SQL } from "drizzle-orm";
import { getDb } from "#db/client";
import { customers, measurements, responses } from "#db/schema/index";
import { addDays, tierValue, type InsightFilter } from "~/cem/insights-filters";
import { SERVQUAL_ITEMS } from "~/survey/servqual";
import { selectTouchpoints, type InsightScope, type ScopeTouchpoint } from "./insights.server";
import { NO_PROCESS } from "~/cem/insights";
import type { UnitRef } from "./insights-tables.server";
import { commentMatches } from "./response-search.server";

export const PAGE_SIZE = 50;

export const NPS_GROUPS = ["promoter", "passive", "detractor"] as const;
export type NpsGroup = (typeof NPS_GROUPS)[number];
// The NPS groups' score ranges (DESIGN.md: promoters 9–10, detractors 0–6).
const NPS_RANGE: Record<NpsGroup, [number, number]> = { promoter: [9, 10], passive: [7, 8], detractor: [0, 6] };

/** The inbox's filters on top of the insights filter and the unit. */
export type ResponseListOptions = {
  below?: boolean;
  nps?: NpsGroup | null;
  /** Only responses with a (non-empty) comment. */
  withComment?: boolean;
  /** Comment search terms (app/cem/comment-search.ts searchTerms); all must match. */
  search?: readonly string[];
  cursor?: Cursor | null;
};
export type Cursor = { completedAt: number; id: number };

export function parseCursor(text: string | null): Cursor | null {
  const match = /^(\d{1,15})-(\d{1,15})$/.exec(text ?? "");
  return match ? { completedAt: Number(match[1]), id: Number(match[2]) } : null;
}
export const cursorText = (c: Cursor) => `${c.completedAt}-${c.id}`;

export type ResponseMeasurement = { attributeKey: string; kind: string; value: number };
export type DrillResponse = {
  id: number;
  completedAt: Date;
  touchpointKey: string;
  touchpointName: string;
  customer: { externalId: string; name: string } | null;
  tier: string;
  lang: string;
  comment: string | null;
  /** The response's own mean gap (P − E over its attributes), NPS, CSAT and CES, when asked. */
  gap: number | null;
  nps: number | null;
  csat: number | null;
  ces: number | null;
  measurements: ResponseMeasurement[];
};
export type ResponsePage = { rows: DrillResponse[]; next: Cursor | null };

/** The touchpoints a unit stands for within the filter; null when the unit names nothing here. */
export function unitTouchpoints(scope: InsightScope, filter: InsightFilter, unit: UnitRef): ScopeTouchpoint[] | null {
  const selected = selectTouchpoints(scope, filter);
  if (unit.touchpoint) {
    const tp = selected.find((t) => t.key === unit.touchpoint);
    return tp ? [tp] : null;
  }
  if (unit.process) {
    const owned = selected.filter((t) => (t.processKey ?? NO_PROCESS) === unit.process);
    return owned.length > 0 || scope.processes.some((p) => p.key === unit.process) ? owned : null;
  }
  if (unit.dimension) {
    // Only touchpoints that measure the dimension: elsewhere no response could match.
    const measuring = new Set([
      ...scope.attributes.filter((a) => a.servqual === unit.dimension).map((a) => a.touchpointId),
      ...scope.servqualTouchpointIds,
    ]);
    return selected.filter((t) => measuring.has(t.id));
  }
  return selected;
}

/** Attribute keys of a SERVQUAL dimension: touchpoint attributes tagged with it and the 22 items. */
function dimensionAttributes(scope: InsightScope, dimension: string): string[] {
  return [
    ...new Set([
      ...scope.attributes.filter((a) => a.servqual === dimension).map((a) => a.key),
      ...SERVQUAL_ITEMS.filter((i) => i.dimension === dimension).map((i) => i.key),
    ]),
  ];
}

// The response's mean perception minus mean expectation over its paired attributes; < 0 is "below".
const belowCondition = sql`(
  select sum(p.value) - sum(e.value) from ${measurements} p
  join ${measurements} e on e.response_id = p.response_id and e.attribute_key = p.attribute_key and e.kind = 'expectation'
  where p.response_id = ${responses.id} and p.kind = 'perception'
) < 0`;

function responseConditions(
  workspaceId: number,
  scope: InsightScope,
  filter: InsightFilter,
  unit: UnitRef,
  touchpointId: number,
  options: ResponseListOptions,
): SQL | undefined {
  const start = Date.parse(`${filter.from}T00:00:00Z`);
  const end = Date.parse(`${addDays(filter.to, 1)}T00:00:00Z`);
  const attributeKeys = unit.attribute ? [unit.attribute] : unit.dimension ? dimensionAttributes(scope, unit.dimension) : null;
  const c = options.cursor;
  return and(
    eq(responses.workspaceId, workspaceId),
    eq(responses.touchpointId, touchpointId),
    gte(responses.completedAt, new Date(start)),
    lt(responses.completedAt, new Date(end)),
    filter.tier ? eq(responses.tier, tierValue(filter.tier)) : undefined,
    filter.lang ? eq(responses.lang, filter.lang) : undefined,
    c ? or(lt(responses.completedAt, new Date(c.completedAt)), and(eq(responses.completedAt, new Date(c.completedAt)), lt(responses.id, c.id))) : undefined,
    attributeKeys
      ? exists(
          getDb()
            .select({ one: sql`1` })
            .from(measurements)
            .where(and(eq(measurements.responseId, responses.id), eq(measurements.kind, "perception"), inArray(measurements.attributeKey, attributeKeys))),
        )
      : undefined,
    options.below ? belowCondition : undefined,
    options.nps
      ? exists(
          getDb()
            .select({ one: sql`1` })
            .from(measurements)
            .where(
              and(
                eq(measurements.responseId, responses.id),
                eq(measurements.kind, "nps"),
                eq(measurements.attributeKey, ""),
                gte(measurements.value, NPS_RANGE[options.nps][0]),
                lte(measurements.value, NPS_RANGE[options.nps][1]),
              ),
            ),
        )
      : undefined,
    options.withComment ? and(isNotNull(responses.comment), ne(responses.comment, "")) : undefined,
    options.search && options.search.length > 0 ? commentMatches(options.search) : undefined,
  );
}

/**
 * One page of responses behind a unit, newest first. Each touchpoint is read along its own
 * (workspace, touchpoint, completed_at) index in order and the pages are merged, so a page costs
 * at most `size` rows per touchpoint however many responses the window holds.
 */
export async function responsesPage(
  workspaceId: number,
  scope: InsightScope,
  filter: InsightFilter,
  unit: UnitRef,
  options: ResponseListOptions & { size?: number } = {},
): Promise<ResponsePage> {
  const size = Math.min(Math.max(options.size ?? PAGE_SIZE, 1), 5000);
  const tps = unitTouchpoints(scope, filter, unit) ?? [];
  const db = getDb();
  const perTouchpoint = await Promise.all(tps.map((tp) =>
    db
      .select({
        id: responses.id,
        completedAt: responses.completedAt,
        touchpointId: responses.touchpointId,
        tier: responses.tier,
        lang: responses.lang,
        comment: responses.comment,
        externalId: customers.externalId,
        customerName: customers.name,
      })
      .from(responses)
      .leftJoin(customers, eq(customers.id, responses.customerId))
      .where(responseConditions(workspaceId, scope, filter, unit, tp.id, options))
      .orderBy(desc(responses.completedAt), desc(responses.id))
      .limit(size + 1),
  ));
  const candidates = perTouchpoint.flat();
  candidates.sort((a, b) => b.completedAt.getTime() - a.completedAt.getTime() || b.id - a.id);
  const page = candidates.slice(0, size);
  const more = candidates.length > size;
  const byTp = new Map(tps.map((t) => [t.id, t]));
  const measured = page.length
    ? await db
        .select({ responseId: measurements.responseId, attributeKey: measurements.attributeKey, kind: measurements.kind, value: measurements.value })
        .from(measurements)
        .where(inArray(measurements.responseId, page.map((r) => r.id)))
        .orderBy(measurements.id)
    : [];
  const rows = page.map((r) => {
    const own = measured.filter((m) => m.responseId === r.id).map(({ attributeKey, kind, value }) => ({ attributeKey, kind, value }));
    const tp = byTp.get(r.touchpointId)!;
    return {
      id: r.id,
      completedAt: r.completedAt,
      touchpointKey: tp.key,
      touchpointName: tp.name,
      customer: r.externalId !== null ? { externalId: r.externalId, name: r.customerName ?? "" } : null,
      tier: r.tier,
      lang: r.lang,
      comment: r.comment,
      ...summaryOf(own),
      measurements: own,
    };
  });
  const last = page[page.length - 1];
  return { rows, next: more && last ? { completedAt: last.completedAt.getTime(), id: last.id } : null };
}

/** The response-level figures, computed as rollup.ts computes them (the mean of paired gaps). */
export function summaryOf(ms: readonly ResponseMeasurement[]): Pick<DrillResponse, "gap" | "nps" | "csat" | "ces"> {
  const value = (attributeKey: string, kind: string) => ms.find((m) => m.attributeKey === attributeKey && m.kind === kind)?.value;
  const gaps = ms
    .filter((m) => m.kind === "perception" && m.attributeKey !== "")
    .flatMap((p) => {
      const e = value(p.attributeKey, "expectation");
      return e === undefined ? [] : [p.value - e];
    });
  return {
    gap: gaps.length ? gaps.reduce((a, b) => a + b, 0) / gaps.length : null,
    nps: value("", "nps") ?? null,
    csat: value("", "csat") ?? null,
    ces: value("", "ces") ?? null,
  };
}
