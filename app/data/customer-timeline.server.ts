// One customer's history as the customer page shows it: events, invitations and responses merged
// newest first, each response with its gap, NPS and CSAT.
import { and, desc, eq, inArray, lt, sql } from "drizzle-orm";
import { getDb, rows as sqlRows } from "#db/client";
import { deployments, invitations, measurements, responses, touchpoints } from "#db/schema/index";
import { customerEvents } from "./crm-events.server";
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
 */
export async function customerTimeline(workspaceId: number, customerId: number, before?: Date, limit = TIMELINE_PAGE) {
  const db = getDb();
  const now = new Date();
  const events: TimelineItem[] = (await customerEvents(workspaceId, customerId, { before, limit })).map((e) => ({
    kind: "event",
    at: e.occurredAt,
    ...e,
  }));
  const invitationRows = await db
    .select({
      id: invitations.id,
      at: invitations.sendAt,
      state: invitations.state,
      expiresAt: invitations.expiresAt,
      deploymentName: deployments.name,
      eventId: invitations.eventId,
      completedAt: invitations.completedAt,
    })
    .from(invitations)
    .innerJoin(deployments, eq(deployments.id, invitations.deploymentId))
    .where(
      and(
        eq(invitations.workspaceId, workspaceId),
        eq(invitations.customerId, customerId),
        before ? lt(invitations.sendAt, before) : undefined,
      ),
    )
    .orderBy(desc(invitations.sendAt), desc(invitations.id))
    .limit(limit);
  const invitationItems: TimelineItem[] = invitationRows.map(({ expiresAt, ...r }) => ({
    kind: "invitation",
    ...r,
    state: effectiveState({ state: r.state, expiresAt }, now),
  }));
  const responseRows = await db
    .select({
      id: responses.id,
      at: responses.completedAt,
      touchpointName: touchpoints.name,
      tier: responses.tier,
      source: responses.source,
    })
    .from(responses)
    .innerJoin(touchpoints, eq(touchpoints.id, responses.touchpointId))
    .where(
      and(
        eq(responses.workspaceId, workspaceId),
        eq(responses.customerId, customerId),
        before ? lt(responses.completedAt, before) : undefined,
      ),
    )
    .orderBy(desc(responses.completedAt), desc(responses.id))
    .limit(limit);
  const measures = await responseMeasures(
    workspaceId,
    responseRows.map((r) => r.id),
  );
  const responseItems: TimelineItem[] = responseRows.map((r) => ({
    kind: "response",
    ...r,
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
