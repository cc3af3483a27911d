// Purchases and spend of a touchpoint's respondents in equal windows before and after each response,
// for the difference-in-differences behaviour link (app/cem/behaviour-change.ts). One set-based
// statement per touchpoint: the newest responses with a known customer (bounded), each joined to its
// customer's purchase events within ±window along crm_events(customer_id, occurred_at), summed per
// response. "Purchases" and "spend" mean what crm-events.server.ts's behaviourAfter means: purchase
// events, a refund (negative amount) nets out of spend and is not a purchase.
import { sql } from "drizzle-orm";
import { instantParam, isPostgres, rows } from "#db/client";
import type { BehaviourWindows } from "~/cem/behaviour-change";
import { addDays, tierValue, type InsightFilter } from "~/cem/insights-filters";
import { PURCHASE_EVENT_TYPE } from "~/cem/segmentation";
import { BEHAVIOUR_LIMIT } from "./insights-behaviour.server";

const DAY_MS = 86_400_000;

export type BehaviourWindowsRead = {
  rows: BehaviourWindows[];
  /** More responses qualified than the limit: the newest BEHAVIOUR_LIMIT were read. */
  limited: boolean;
  /** Responses after this instant were left out: their after-window has not fully elapsed. */
  closedBefore: Date;
};

/** An instant column moved by a number of days, on either engine (ms on SQLite, timestamptz on PostgreSQL). */
function shifted(column: string, days: number) {
  return isPostgres()
    ? sql.raw(`(${column} + ${Math.trunc(days)} * interval '1 day')`)
    : sql.raw(`(${column} + ${Math.trunc(days) * DAY_MS})`);
}

/**
 * One row per response of the touchpoint under the filter whose after-window (completed_at,
 * completed_at + window] lies wholly in the past; the before-window is (completed_at − window,
 * completed_at], so the purchase that led to the survey counts as "before". A customer with no
 * purchases in a window bought 0 there, including one who was not yet a customer: the change then
 * counts their first purchases, the same for both groups.
 */
export async function behaviourWindows(
  workspaceId: number,
  touchpointId: number,
  filter: InsightFilter,
  windowDays: number,
  now: number = Date.now(),
): Promise<BehaviourWindowsRead> {
  const days = Math.trunc(windowDays);
  const start = Date.parse(`${filter.from}T00:00:00Z`);
  const end = Math.min(Date.parse(`${addDays(filter.to, 1)}T00:00:00Z`) - 1, now - days * DAY_MS);
  const closedBefore = new Date(now - days * DAY_MS);
  if (end < start) return { rows: [], limited: false, closedBefore };
  const tier = filter.tier ? sql`and r.tier = ${tierValue(filter.tier)}` : sql``;
  const lang = filter.lang ? sql`and r.lang = ${filter.lang}` : sql``;
  // The response's mean gap: P − E over its paired attributes, or P − adequate where the survey
  // asked the zone of tolerance (as insights-behaviour.server.ts reads it).
  const gapOf = (standard: string) => sql`(
    select avg(p.value - e.value) from measurements p
    join measurements e on e.response_id = p.response_id and e.attribute_key = p.attribute_key and e.kind = ${standard}
    where p.response_id = r.id and p.kind = 'perception'
  )`;
  const found = await rows<{
    id: number;
    tier: string;
    gap: number | string | null;
    purchases_before: number | string;
    spend_before: number | string;
    purchases_after: number | string;
    spend_after: number | string;
  }>(sql`
    with recent as (
      select r.id, r.customer_id, r.tier, r.completed_at, coalesce(${gapOf("expectation")}, ${gapOf("adequate")}) as gap
      from responses r
      where r.workspace_id = ${workspaceId} and r.touchpoint_id = ${touchpointId}
        and r.completed_at >= ${instantParam(start)} and r.completed_at <= ${instantParam(end)}
        and r.customer_id is not null ${tier} ${lang}
      order by r.completed_at desc, r.id desc
      limit ${BEHAVIOUR_LIMIT + 1}
    )
    select recent.id, recent.tier, recent.gap,
      coalesce(sum(case when e.occurred_at <= recent.completed_at and coalesce(e.amount, 0) >= 0 then 1 else 0 end), 0) as purchases_before,
      coalesce(sum(case when e.occurred_at <= recent.completed_at then coalesce(e.amount, 0) else 0 end), 0) as spend_before,
      coalesce(sum(case when e.occurred_at > recent.completed_at and coalesce(e.amount, 0) >= 0 then 1 else 0 end), 0) as purchases_after,
      coalesce(sum(case when e.occurred_at > recent.completed_at then coalesce(e.amount, 0) else 0 end), 0) as spend_after
    from recent
    left join crm_events e on e.customer_id = recent.customer_id and e.workspace_id = ${workspaceId}
      and e.type = ${PURCHASE_EVENT_TYPE}
      and e.occurred_at > ${shifted("recent.completed_at", -days)} and e.occurred_at <= ${shifted("recent.completed_at", days)}
    group by recent.id, recent.tier, recent.gap, recent.completed_at
    order by recent.completed_at desc, recent.id desc
  `);
  const limited = found.length > BEHAVIOUR_LIMIT;
  const kept = found
    .slice(0, BEHAVIOUR_LIMIT)
    .filter((r) => r.gap !== null)
    .map((r) => ({
      gap: Number(r.gap),
      tier: r.tier,
      purchasesBefore: Number(r.purchases_before),
      spendBefore: Number(r.spend_before),
      purchasesAfter: Number(r.purchases_after),
      spendAfter: Number(r.spend_after),
    }));
  return { rows: kept, limited, closedBefore };
}
