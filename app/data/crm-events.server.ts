// Behaviour events of a workspace's customers: the deduplicating writer shared by the CSV import and
// the API (a new event may trigger survey invitations), and the reads the customer page and the
// behaviour link of the analysis need.
import { and, desc, eq, lt } from "drizzle-orm";
import { getDb, type Db } from "#db/client";
import { crmEvents, deployments, invitations, responses, touchpoints } from "#db/schema/index";
import { eventDedupKey, eventRecordSchema, type EventRecord } from "~/cem/crm-records";
import { PURCHASE_EVENT_TYPE } from "~/cem/segmentation";
import { effectiveState, invitationsForEvent, type InvitationState } from "./invitations.server";
import {
  emptyBatchResult,
  externalIdOf,
  isJsonObject,
  issueMessages,
  type BatchResult,
  type WriteStatus,
} from "./customers.server";

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

/** An event as written; times in epoch milliseconds. */
export type EventRow = {
  dedupeKey: string;
  externalId: string | null;
  customerExternalId: string;
  type: string;
  occurredAt: number;
  amount: number | null;
  currency: string | null;
  channel: string | null;
  touchpointKey: string | null;
};

export function eventRowOf(record: EventRecord): EventRow {
  return {
    dedupeKey: eventDedupKey(record),
    externalId: record.external_id ?? null,
    customerExternalId: record.customer_external_id,
    type: record.type,
    occurredAt: Date.parse(record.occurred_at),
    amount: record.amount ?? null,
    currency: record.currency ?? null,
    channel: record.channel ?? null,
    touchpointKey: record.touchpoint_key ?? null,
  };
}

/**
 * Event types some active rule of an active deployment listens to. Asked once per import or batch:
 * a workspace without rules then pays nothing per event for the invitation engine.
 */
export function triggeringEventTypes(workspaceId: number): Set<string> {
  const rows = getDb()
    .$client.prepare(
      `select distinct r.event_type as type from deployment_rules r join deployments d on d.id = r.deployment_id
        where r.workspace_id = ? and r.active = 1 and d.active = 1`,
    )
    .all(workspaceId) as { type: string }[];
  return new Set(rows.map((r) => r.type));
}

export type EventWriteOutcome = { status: WriteStatus; customerCreated: boolean; invitations: number };

// Keeps the id lookups of customers seen in this write; bounded so a file of a million customers
// does not keep a million strings.
const CUSTOMER_CACHE_LIMIT = 200_000;

/**
 * A writer bound to one workspace inside the caller's transaction `tx`. Events are deduplicated by
 * their key (the sender's id, or the content hash): a known key with the same content is unchanged,
 * with different content (a corrected amount) updated. A customer named by an event but not yet
 * imported is created bare (external id only) so the event is not lost; a later customer file fills
 * it in. A NEW event whose type some rule listens to goes through the invitation engine, in the same
 * transaction, with `now` as the processing time.
 */
export function prepareEventWriter(tx: Tx, workspaceId: number, now: Date): (row: EventRow) => EventWriteOutcome {
  const client = getDb().$client;
  const triggers = triggeringEventTypes(workspaceId);
  const selectCustomer = client.prepare("select id from customers where workspace_id = ? and external_id = ?").pluck();
  const insertCustomer = client.prepare("insert into customers (workspace_id, external_id) values (?, ?)");
  const insert = client.prepare(
    `insert into crm_events (workspace_id, customer_id, dedupe_key, external_id, type, occurred_at, amount, currency, channel, touchpoint_key)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (workspace_id, dedupe_key) do nothing`,
  );
  const select = client.prepare(
    `select id, customer_id as customerId, external_id as externalId, type, occurred_at as occurredAt, amount, currency,
            channel, touchpoint_key as touchpointKey from crm_events where workspace_id = ? and dedupe_key = ?`,
  );
  const update = client.prepare(
    `update crm_events set customer_id = ?, external_id = ?, type = ?, occurred_at = ?, amount = ?, currency = ?, channel = ?,
            touchpoint_key = ? where id = ?`,
  );
  const customerIds = new Map<string, number>();

  const customerOf = (externalId: string): { id: number; created: boolean } => {
    const cached = customerIds.get(externalId);
    if (cached !== undefined) return { id: cached, created: false };
    let id = selectCustomer.get(workspaceId, externalId) as number | undefined;
    let created = false;
    if (id === undefined) {
      id = Number(insertCustomer.run(workspaceId, externalId).lastInsertRowid);
      created = true;
    }
    if (customerIds.size >= CUSTOMER_CACHE_LIMIT) customerIds.clear();
    customerIds.set(externalId, id);
    return { id, created };
  };

  return (row) => {
    const customer = customerOf(row.customerExternalId);
    const values = [row.externalId, row.type, row.occurredAt, row.amount, row.currency, row.channel, row.touchpointKey] as const;
    const inserted = insert.run(workspaceId, customer.id, row.dedupeKey, ...values);
    if (inserted.changes > 0) {
      let invitations = 0;
      if (triggers.has(row.type)) {
        const event = {
          id: Number(inserted.lastInsertRowid),
          customerId: customer.id,
          type: row.type,
          occurredAt: new Date(row.occurredAt),
          touchpointKey: row.touchpointKey,
        };
        invitations = invitationsForEvent(tx, workspaceId, event, now).length;
      }
      return { status: "created", customerCreated: customer.created, invitations };
    }
    const existing = select.get(workspaceId, row.dedupeKey) as Omit<EventRow, "dedupeKey" | "customerExternalId"> & {
      id: number;
      customerId: number;
    };
    const same =
      existing.customerId === customer.id &&
      existing.externalId === row.externalId &&
      existing.type === row.type &&
      existing.occurredAt === row.occurredAt &&
      existing.amount === row.amount &&
      existing.currency === row.currency &&
      existing.channel === row.channel &&
      existing.touchpointKey === row.touchpointKey;
    if (same) return { status: "unchanged", customerCreated: customer.created, invitations: 0 };
    update.run(customer.id, ...values, existing.id);
    return { status: "updated", customerCreated: customer.created, invitations: 0 };
  };
}

export type EventBatchResult = BatchResult & { customersCreated: number; invitations: number };

/**
 * POST /api/v1/events: valid items are written together in one transaction, invalid ones reported by
 * index. Re-sending the same batch creates nothing (and so invites no one twice).
 */
export function upsertEventItems(workspaceId: number, items: readonly unknown[], now = new Date()): EventBatchResult {
  const result: EventBatchResult = { ...emptyBatchResult(), customersCreated: 0, invitations: 0 };
  const valid: EventRow[] = [];
  items.forEach((item, index) => {
    if (!isJsonObject(item)) {
      result.errors.push({ index, errors: ["each item must be a JSON object with customer_external_id, type and occurred_at"] });
      return;
    }
    const parsed = eventRecordSchema.safeParse(item);
    if (parsed.success) valid.push(eventRowOf(parsed.data));
    else result.errors.push({ index, externalId: externalIdOf(item), errors: issueMessages(parsed.error.issues) });
  });
  result.rejected = result.errors.length;
  getDb().transaction((tx) => {
    const write = prepareEventWriter(tx, workspaceId, now);
    for (const row of valid) {
      const outcome = write(row);
      result[outcome.status]++;
      if (outcome.customerCreated) result.customersCreated++;
      result.invitations += outcome.invitations;
    }
  });
  return result;
}

// ---- Reads ---------------------------------------------------------------------------------------

/** A customer's events before `before` (all when omitted), newest first. */
export function customerEvents(workspaceId: number, customerId: number, options: { before?: Date; limit?: number } = {}) {
  return getDb()
    .select({
      id: crmEvents.id,
      externalId: crmEvents.externalId,
      type: crmEvents.type,
      occurredAt: crmEvents.occurredAt,
      amount: crmEvents.amount,
      currency: crmEvents.currency,
      channel: crmEvents.channel,
      touchpointKey: crmEvents.touchpointKey,
    })
    .from(crmEvents)
    .where(
      and(
        eq(crmEvents.workspaceId, workspaceId),
        eq(crmEvents.customerId, customerId),
        options.before ? lt(crmEvents.occurredAt, options.before) : undefined,
      ),
    )
    .orderBy(desc(crmEvents.occurredAt), desc(crmEvents.id))
    .limit(options.limit ?? 100)
    .all();
}

export type BehaviourAfter = {
  /** Purchases with a non-negative amount in the window (as segmentation counts them). */
  purchases: number;
  /** Net spend in the window: purchase amounts, refunds (negative amounts) netted out. */
  spend: number;
  /** Events of any type in the window. */
  events: number;
  /** purchases > 0: the "repurchase yes/no" of the behaviour link. */
  repurchased: boolean;
};

/**
 * Each customer's behaviour in the window (from, from + windowDays], one answer per item in input
 * order (a customer who answered twice appears twice, each with their own `from`). One indexed range
 * read per item (crm_events_customer_time). Customers of other workspaces count nothing.
 */
export function behaviourAfter(
  workspaceId: number,
  items: readonly { customerId: number; from: Date }[],
  windowDays: number,
): BehaviourAfter[] {
  const statement = getDb().$client.prepare(
    `select count(*) as events,
            coalesce(sum(case when type = ? and coalesce(amount, 0) >= 0 then 1 else 0 end), 0) as purchases,
            coalesce(sum(case when type = ? then coalesce(amount, 0) else 0 end), 0) as spend
       from crm_events where customer_id = ? and workspace_id = ? and occurred_at > ? and occurred_at <= ?`,
  );
  const span = windowDays * 86_400_000;
  return items.map(({ customerId, from }) => {
    const start = from.getTime();
    const r = statement.get(PURCHASE_EVENT_TYPE, PURCHASE_EVENT_TYPE, customerId, workspaceId, start, start + span) as {
      events: number;
      purchases: number;
      spend: number;
    };
    return { events: r.events, purchases: r.purchases, spend: r.spend, repurchased: r.purchases > 0 };
  });
}

// ---- The customer's timeline ---------------------------------------------------------------------

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
export function customerTimeline(workspaceId: number, customerId: number, before?: Date, limit = TIMELINE_PAGE) {
  const db = getDb();
  const now = new Date();
  const events: TimelineItem[] = customerEvents(workspaceId, customerId, { before, limit }).map((e) => ({
    kind: "event",
    at: e.occurredAt,
    ...e,
  }));
  const invitationRows = db
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
    .limit(limit)
    .all();
  const invitationItems: TimelineItem[] = invitationRows.map(({ expiresAt, ...r }) => ({
    kind: "invitation",
    ...r,
    state: effectiveState({ state: r.state, expiresAt }, now),
  }));
  const responseRows = db
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
    .limit(limit)
    .all();
  const measures = responseMeasures(
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
function responseMeasures(workspaceId: number, responseIds: readonly number[]) {
  const result = new Map<number, { gap: number | null; gapAttributes: number; nps: number | null; csat: number | null }>();
  if (responseIds.length === 0) return result;
  const rows = getDb()
    .$client.prepare(
      `select response_id as id,
              avg(case when attribute_key <> '' then p - e end) as gap,
              count(case when attribute_key <> '' and p is not null and e is not null then 1 end) as gapAttributes,
              max(nps) as nps, max(csat) as csat
         from (select response_id, attribute_key,
                      max(case when kind = 'perception' then value end) as p,
                      max(case when kind = 'expectation' then value end) as e,
                      max(case when kind = 'nps' and attribute_key = '' then value end) as nps,
                      max(case when kind = 'csat' and attribute_key = '' then value end) as csat
                 from measurements
                where workspace_id = ? and response_id in (select value from json_each(?))
                group by response_id, attribute_key)
        group by response_id`,
    )
    .all(workspaceId, JSON.stringify(responseIds)) as { id: number; gap: number | null; gapAttributes: number; nps: number | null; csat: number | null }[];
  for (const row of rows) result.set(row.id, { gap: row.gap, gapAttributes: row.gapAttributes, nps: row.nps, csat: row.csat });
  return result;
}
