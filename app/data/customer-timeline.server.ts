// One customer's history as the customer page shows it: events, invitations and responses merged
// newest first, each response with its gap, NPS and CSAT. The records are read through
// customer-records.server.ts, as the data export reads them.
import { inArray, sql } from "drizzle-orm";
import { rows as sqlRows } from "#db/client";
import { measurements } from "#db/schema/index";
import { customerEvents, customerInvitations, customerResponses } from "./customer-records.server";
import { effectiveState, type InvitationState } from "./invitations.server";

export type TimelineItem =
  | {
      kind: "event";
      at: Date;
      id: number;
      type: string;
      externalId: string | null;
      amount: number | null;
      currency: string | null;
      channel: string | null;
      touchpointKey: string | null;
    }
  | { kind: "invitation"; at: Date; id: number; state: InvitationState; deploymentName: string; eventId: number | null; completedAt: Date | null }
  | {
      kind: "response";
      at: Date;
      id: number;
      touchpointName: string;
      touchpointNameEn: string;
      tier: string;
      source: string;
      /** Mean over the response's attributes of perception − expectation (the response is the unit). */
      gap: number | null;
      gapAttributes: number;
      nps: number | null;
      csat: number | null;
    };

export const TIMELINE_PAGE = 100;

/**
 * Events, invitations and responses of one customer, newest first, merged into one list; `before`
 * pages back (items strictly earlier). Invitations sit at their send time, responses at completion.
 * Each kind is read a page deep, so the merged list is complete down to the oldest item kept.
 */
export async function customerTimeline(workspaceId: number, customerId: number, before?: Date, limit = TIMELINE_PAGE) {
  const now = new Date();
  const page = { before, limit };
  // Items name their fields one by one: the rows also carry what the export needs (answers,
  // comments, survey progress), and that stays on the server.
  const events: TimelineItem[] = (await customerEvents(workspaceId, customerId, page)).map((e) => ({
    kind: "event",
    at: e.occurredAt,
    id: e.id,
    externalId: e.externalId,
    type: e.type,
    occurredAt: e.occurredAt,
    amount: e.amount,
    currency: e.currency,
    channel: e.channel,
    touchpointKey: e.touchpointKey,
  }));
  const invitationItems: TimelineItem[] = (await customerInvitations(workspaceId, customerId, page)).map((r) => ({
    kind: "invitation",
    id: r.id,
    at: r.sendAt,
    state: effectiveState(r, now),
    deploymentName: r.deploymentName,
    eventId: r.eventId,
    completedAt: r.completedAt,
  }));
  const responseRows = await customerResponses(workspaceId, customerId, page);
  const measures = await responseMeasures(
    workspaceId,
    responseRows.map((r) => r.id),
  );
  const responseItems: TimelineItem[] = responseRows.map((r) => ({
    kind: "response",
    id: r.id,
    at: r.completedAt,
    touchpointName: r.touchpointName,
    touchpointNameEn: r.touchpointNameEn,
    tier: r.tier,
    source: r.source,
    ...(measures.get(r.id) ?? { gap: null, gapAttributes: 0, nps: null, csat: null }),
  }));
  const merged = [...events, ...invitationItems, ...responseItems].sort((a, b) => b.at.getTime() - a.at.getTime());
  const more = merged.length > limit || [events, invitationItems, responseItems].some((list) => list.length === limit);
  const items = merged.slice(0, limit);
  return { items, nextBefore: more && items.length > 0 ? items[items.length - 1].at : null };
}

/** Per response: the mean attribute gap (P − E, on attributes with both), NPS and CSAT. */
async function responseMeasures(workspaceId: number, responseIds: readonly number[]) {
  const result = new Map<number, { gap: number | null; gapAttributes: number; nps: number | null; csat: number | null }>();
  if (responseIds.length === 0) return result;
  // Standard SQL for both engines: the ids as an IN list (at most a timeline page of them), the
  // derived table named, the camelCase alias quoted (PostgreSQL folds unquoted names to lower case).
  const rows = await sqlRows<{ id: number; gap: number | null; gapAttributes: number; nps: number | null; csat: number | null }>(
    sql`select response_id as id,
              avg(case when attribute_key <> '' then p - e end) as gap,
              count(case when attribute_key <> '' and p is not null and e is not null then 1 end) as "gapAttributes",
              max(nps) as nps, max(csat) as csat
         from (select response_id, attribute_key,
                      max(case when kind = 'perception' then value end) as p,
                      max(case when kind = 'expectation' then value end) as e,
                      max(case when kind = 'nps' and attribute_key = '' then value end) as nps,
                      max(case when kind = 'csat' and attribute_key = '' then value end) as csat
                 from measurements
                where workspace_id = ${workspaceId} and ${inArray(measurements.responseId, [...responseIds])}
                group by response_id, attribute_key) per_attribute
        group by response_id`,
  );
  for (const row of rows) result.set(row.id, { gap: row.gap, gapAttributes: row.gapAttributes, nps: row.nps, csat: row.csat });
  return result;
}
