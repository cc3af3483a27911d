// CRM behaviour after a touchpoint's responses: for each of the most recent responses with a known
// customer, the response's mean gap and the customer's purchases and spend in a window after it
// (read by crm-events.server.ts's behaviourAfter, so "repurchase" and "spend" mean one thing
// app-wide). Bounded on purpose: rank correlations need rows, so at most BEHAVIOUR_LIMIT are read.
import { and, desc, eq, gte, isNotNull, lte, sql } from "drizzle-orm";
import { getDb } from "#db/client";
import { measurements, responses } from "#db/schema/index";
import type { BehaviourObservation } from "~/cem/insights-behaviour";
import { addDays, tierValue, type InsightFilter } from "~/cem/insights-filters";
import { behaviourAfter } from "./crm-events.server";

export const BEHAVIOUR_LIMIT = 20_000;
// The default period is the last 90 days and only responses whose after-window has closed count: with
// 30-day windows its first 60 days are readable, with 90-day windows none of it would be.
export const DEFAULT_WINDOW_DAYS = 30;
const DAY_MS = 86_400_000;

export type BehaviourRead = {
  rows: BehaviourObservation[];
  /** True when more responses qualified than the limit: the newest BEHAVIOUR_LIMIT were read. */
  limited: boolean;
  /** Responses after this instant were left out: their window has not closed yet. */
  closedBefore: Date;
};

// The response's mean gap: P − E over its paired attributes, or P − adequate where the survey asked
// the zone of tolerance instead of a single expectation.
const responseGap = (standard: string) => sql<number | null>`(
  select avg(p.value - e.value) from ${measurements} p
  join ${measurements} e on e.response_id = p.response_id and e.attribute_key = p.attribute_key and e.kind = ${standard}
  where p.response_id = ${responses.id} and p.kind = 'perception'
)`;

/**
 * Observations for one touchpoint under the filter. Only responses whose whole window lies in the
 * past count (a window still open would read as "did not buy"), so the newest responses drop out.
 */
export async function behaviourObservations(
  workspaceId: number,
  touchpointId: number,
  filter: InsightFilter,
  windowDays: number,
  now: number = Date.now(),
): Promise<BehaviourRead> {
  const windowMs = windowDays * DAY_MS;
  const start = Date.parse(`${filter.from}T00:00:00Z`);
  const end = Math.min(Date.parse(`${addDays(filter.to, 1)}T00:00:00Z`) - 1, now - windowMs);
  const closedBefore = new Date(now - windowMs);
  if (end < start) return { rows: [], limited: false, closedBefore };
  const recent = await getDb()
    .select({
      customerId: responses.customerId,
      completedAt: responses.completedAt,
      tier: responses.tier,
      gap: sql<number | null>`coalesce(${responseGap("expectation")}, ${responseGap("adequate")})`,
    })
    .from(responses)
    .where(
      and(
        eq(responses.workspaceId, workspaceId),
        eq(responses.touchpointId, touchpointId),
        gte(responses.completedAt, new Date(start)),
        lte(responses.completedAt, new Date(end)),
        isNotNull(responses.customerId),
        filter.tier ? eq(responses.tier, tierValue(filter.tier)) : undefined,
        filter.lang ? eq(responses.lang, filter.lang) : undefined,
      ),
    )
    .orderBy(desc(responses.completedAt))
    .limit(BEHAVIOUR_LIMIT + 1);
  const limited = recent.length > BEHAVIOUR_LIMIT;
  const measured = recent.slice(0, BEHAVIOUR_LIMIT).filter((r) => r.gap !== null && r.customerId !== null);
  // Purchases and spend as the CRM module defines them for every behaviour read (refunds net out).
  const after = await behaviourAfter(workspaceId, measured.map((r) => ({ customerId: r.customerId!, from: r.completedAt })), windowDays);
  const kept = measured.map((r, i) => ({ gap: Number(r.gap), purchases: after[i].purchases, spend: after[i].spend, tier: r.tier }));
  return { rows: kept, limited, closedBefore };
}
