// One customer's records (CRM events, survey invitations, responses), read for the two views of their
// history: the customer page's timeline (customer-timeline.server.ts) a page at a time, newest first,
// and the data export (customer-privacy.server.ts) all at once, oldest first. Tables, joins, columns,
// order and scoping are decided here once: every read filters by the workspace as well as the
// customer, so a customer id of another workspace finds nothing.
import { and, asc, desc, eq, getTableColumns, lt } from "drizzle-orm";
import type { SQLiteColumn, SQLiteSelect } from "drizzle-orm/sqlite-core";
import { getDb } from "#db/client";
import { crmEvents, deployments, invitations, responses, touchpoints } from "#db/schema/index";

/** At most `limit` records, newest first, strictly earlier than `before` when given (the timeline's pages). */
export type RecordPage = { before?: Date; limit: number };

/** Which of a customer's records: all of them, oldest first (the export), or one page. */
export type RecordSpan = "all" | RecordPage;

/**
 * Scopes `query` to one customer's rows of `owner` in the workspace and orders them by (`at`, id),
 * the id settling rows of the same instant: ascending for "all", descending and limited for a page.
 * `query` must be dynamic (`.$dynamic()`) and not yet filtered.
 */
function ofCustomer<Q extends SQLiteSelect>(
  query: Q,
  owner: { workspaceId: SQLiteColumn; customerId: SQLiteColumn; id: SQLiteColumn },
  at: SQLiteColumn,
  workspaceId: number,
  customerId: number,
  span: RecordSpan,
): Q {
  const before = span !== "all" && span.before ? lt(at, span.before) : undefined;
  const scoped = query.where(and(eq(owner.workspaceId, workspaceId), eq(owner.customerId, customerId), before));
  return span === "all" ? scoped.orderBy(asc(at), asc(owner.id)) : scoped.orderBy(desc(at), desc(owner.id)).limit(span.limit);
}

// An event's columns, all but the ones that are ours (workspace, customer, dedupe key): the export
// shows everything the workspace holds about the person, a column added later included.
const { workspaceId: _w, customerId: _c, dedupeKey: _d, ...eventColumns } = getTableColumns(crmEvents);

/** The customer's CRM events, placed at the time they occurred. */
export function customerEvents(workspaceId: number, customerId: number, span: RecordSpan) {
  const query = getDb().select(eventColumns).from(crmEvents).$dynamic();
  return ofCustomer(query, crmEvents, crmEvents.occurredAt, workspaceId, customerId, span);
}

/**
 * The customer's invitations with their deployment's name; never the token (the link's live
 * capability, not data about the customer). A page is placed by send time, as the timeline draws
 * them; the export lists them in the order they were made (a scheduled one is made before it is sent).
 */
export function customerInvitations(workspaceId: number, customerId: number, span: RecordSpan) {
  const query = getDb()
    .select({
      id: invitations.id,
      deploymentName: deployments.name,
      state: invitations.state,
      sendAt: invitations.sendAt,
      expiresAt: invitations.expiresAt,
      openedAt: invitations.openedAt,
      completedAt: invitations.completedAt,
      progress: invitations.progress,
      createdAt: invitations.createdAt,
      eventId: invitations.eventId,
    })
    .from(invitations)
    .innerJoin(deployments, eq(deployments.id, invitations.deploymentId))
    .$dynamic();
  return ofCustomer(query, invitations, span === "all" ? invitations.createdAt : invitations.sendAt, workspaceId, customerId, span);
}

/** The customer's responses with their touchpoint, placed at completion; measurements are read apart. */
export function customerResponses(workspaceId: number, customerId: number, span: RecordSpan) {
  const query = getDb()
    .select({
      id: responses.id,
      touchpointKey: touchpoints.key,
      touchpointName: touchpoints.name,
      touchpointNameEn: touchpoints.nameEn,
      surveyVersionId: responses.surveyVersionId,
      source: responses.source,
      lang: responses.lang,
      tier: responses.tier,
      data: responses.data,
      comment: responses.comment,
      startedAt: responses.startedAt,
      completedAt: responses.completedAt,
    })
    .from(responses)
    .innerJoin(touchpoints, eq(touchpoints.id, responses.touchpointId))
    .$dynamic();
  return ofCustomer(query, responses, responses.completedAt, workspaceId, customerId, span);
}
