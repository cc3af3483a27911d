// Behaviour events of a workspace's customers: the deduplicating writer shared by the CSV import and
// the API (a new event may trigger survey invitations), and the read the behaviour link of the
// analysis needs. One customer's events, for their timeline and export: customer-records.server.ts.
import { and, count, eq, gt, inArray, lte, sql } from "drizzle-orm";
import { epochMs, getDb, isPostgres, type Executor, type Tx } from "#db/client";
import { crmEvents, customers, deploymentRules, deployments, invitations } from "#db/schema/index";
import { eventDedupKey, type EventRecord } from "~/cem/crm-records";
import { PURCHASE_EVENT_TYPE } from "~/cem/segmentation";
import { invitationsForEvent } from "./invitations.server";
import type { WriteStatus } from "./customers.server";
import { asIs, chunkStatement, WRITE_CHUNK, type Cells } from "./chunked-writes.server";

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
export async function triggeringEventTypes(workspaceId: number, db: Executor = getDb()): Promise<Set<string>> {
  const rows = await db
    .selectDistinct({ type: deploymentRules.eventType })
    .from(deploymentRules)
    .innerJoin(deployments, eq(deployments.id, deploymentRules.deploymentId))
    .where(and(eq(deploymentRules.workspaceId, workspaceId), eq(deploymentRules.active, true), eq(deployments.active, true)));
  return new Set(rows.map((r) => r.type));
}

export type EventWriteOutcome = { status: WriteStatus; customerCreated: boolean; invitations: number };

// Keeps the id lookups of customers seen in this write; bounded so a file of a million customers
// does not keep a million strings.
const CUSTOMER_CACHE_LIMIT = 200_000;

type StoredEvent = Omit<EventRow, "dedupeKey" | "customerExternalId"> & { id: number; customerId: number };

const storedEventColumns = {
  id: crmEvents.id,
  dedupeKey: crmEvents.dedupeKey,
  customerId: crmEvents.customerId,
  externalId: crmEvents.externalId,
  type: crmEvents.type,
  // Epoch milliseconds (as SQLite stores it), to compare with a row without making a Date.
  occurredAt: epochMs(crmEvents.occurredAt),
  amount: crmEvents.amount,
  currency: crmEvents.currency,
  channel: crmEvents.channel,
  touchpointKey: crmEvents.touchpointKey,
};

/**
 * A writer bound to one workspace inside the caller's transaction `tx`. Events are deduplicated by
 * their key (the sender's id, or the content hash): a known key with the same content is unchanged,
 * with different content (a corrected amount) updated. A customer named by an event but not yet
 * imported is created bare (external id only) so the event is not lost; a later customer file fills
 * it in. A NEW event whose type some rule listens to goes through the invitation engine, in the same
 * transaction, with `now` as the processing time.
 *
 * Rows are written a chunk at a time (the chunk's unknown customers read and created in one statement
 * each, its events inserted in one, the keys already known read in one, an update per changed event)
 * and each row's outcome is answered in input order, as if the rows had been written one by one: an
 * event twice in a chunk is created by the first row and compared with what that row stored by the
 * next; the invitation engine sees the new events in file order (it reads only invitations).
 */
export async function prepareEventWriter(
  tx: Tx,
  workspaceId: number,
  now: Date,
): Promise<(rows: readonly EventRow[]) => Promise<EventWriteOutcome[]>> {
  const triggers = await triggeringEventTypes(workspaceId, tx);
  const customerIds = new Map<string, number>();

  type CustomerKey = { workspaceId: number; externalId: string };
  const customerFields = ["workspaceId", "externalId"] as const;
  const selectCustomers = chunkStatement(customerFields, (keys: Cells<CustomerKey>[]) =>
    tx
      .select({ id: customers.id, externalId: customers.externalId })
      .from(customers)
      .where(
        and(
          eq(customers.workspaceId, keys[0].workspaceId),
          inArray(
            customers.externalId,
            keys.map((k) => k.externalId),
          ),
        ),
      ),
  );
  const insertCustomers = chunkStatement(customerFields, (keys: Cells<CustomerKey>[]) =>
    tx.insert(customers).values(keys.map(asIs)).returning({ id: customers.id, externalId: customers.externalId }),
  );
  type NewEvent = Omit<StoredEvent, "id"> & { workspaceId: number; dedupeKey: string };
  // Every row of a chunk, in order: a key already stored, or met earlier in the chunk, is a conflict
  // and ignored (RETURNING answers the rows inserted).
  const insertEvents = chunkStatement(
    ["workspaceId", "dedupeKey", "customerId", "externalId", "type", "occurredAt", "amount", "currency", "channel", "touchpointKey"],
    (values: Cells<NewEvent>[]) =>
      tx
        .insert(crmEvents)
        .values(values.map(asIs))
        .onConflictDoNothing({ target: [crmEvents.workspaceId, crmEvents.dedupeKey] })
        .returning({ id: crmEvents.id, dedupeKey: crmEvents.dedupeKey }),
    { instants: ["occurredAt"] },
  );
  let update: { execute(values: StoredEvent): Promise<unknown> } | undefined;
  const updateEvent = (values: StoredEvent) => {
    if (isPostgres()) {
      // A plain update: PostgreSQL's driver takes a Date for the timestamptz, not epoch milliseconds.
      const { id, occurredAt, ...rest } = values;
      return tx
        .update(crmEvents)
        .set({ ...rest, occurredAt: new Date(occurredAt) })
        .where(eq(crmEvents.id, id));
    }
    // Bound as is (a time as epoch milliseconds), as asIs binds inserts.
    const p = (name: keyof StoredEvent) => sql`${sql.placeholder(name)}`;
    update ??= tx
      .update(crmEvents)
      .set({
        customerId: p("customerId"),
        externalId: p("externalId"),
        type: p("type"),
        occurredAt: p("occurredAt"),
        amount: p("amount"),
        currency: p("currency"),
        channel: p("channel"),
        touchpointKey: p("touchpointKey"),
      })
      .where(eq(crmEvents.id, p("id")))
      .prepare();
    return update.execute(values);
  };
  const selectEvents = chunkStatement(["workspaceId", "dedupeKey"], (keys: Cells<{ workspaceId: number; dedupeKey: string }>[]) =>
    tx
      .select(storedEventColumns)
      .from(crmEvents)
      .where(
        and(
          eq(crmEvents.workspaceId, keys[0].workspaceId),
          inArray(
            crmEvents.dedupeKey,
            keys.map((k) => k.dedupeKey),
          ),
        ),
      ),
  );

  /** The chunk's customers by external id, creating the unknown ones; the set of those created. */
  const resolveCustomers = async (rows: readonly EventRow[]) => {
    const ids = new Map<string, number>();
    const unknown = [...new Set(rows.map((row) => row.customerExternalId))].filter((externalId) => {
      const cached = customerIds.get(externalId);
      if (cached !== undefined) ids.set(externalId, cached);
      return cached === undefined;
    });
    const created = new Set<string>();
    if (unknown.length > 0) {
      for (const c of await selectCustomers(unknown.map((externalId) => ({ workspaceId, externalId })))) ids.set(c.externalId, c.id);
      const missing = unknown.filter((externalId) => !ids.has(externalId));
      if (missing.length > 0) {
        for (const c of await insertCustomers(missing.map((externalId) => ({ workspaceId, externalId })))) {
          ids.set(c.externalId, c.id);
          created.add(c.externalId);
        }
      }
      for (const externalId of unknown) {
        if (customerIds.size >= CUSTOMER_CACHE_LIMIT) customerIds.clear();
        customerIds.set(externalId, ids.get(externalId)!);
      }
    }
    return { ids, created };
  };

  const writeChunk = async (rows: readonly EventRow[]): Promise<EventWriteOutcome[]> => {
    const customer = await resolveCustomers(rows);
    const firstOf = new Map<string, number>();
    rows.forEach((row, i) => {
      if (!firstOf.has(row.dedupeKey)) firstOf.set(row.dedupeKey, i);
    });
    const state = new Map<string, StoredEvent>();
    const valuesOf = (row: EventRow) => ({
      customerId: customer.ids.get(row.customerExternalId)!,
      externalId: row.externalId,
      type: row.type,
      occurredAt: row.occurredAt,
      amount: row.amount,
      currency: row.currency,
      channel: row.channel,
      touchpointKey: row.touchpointKey,
    });
    const inserted = await insertEvents(rows.map((row) => ({ workspaceId, dedupeKey: row.dedupeKey, ...valuesOf(row) })));
    const createdIds = new Map(inserted.map((r) => [r.dedupeKey, r.id]));
    const known = [...firstOf.keys()].filter((key) => !createdIds.has(key));
    if (known.length > 0) {
      for (const { dedupeKey, ...stored } of await selectEvents(known.map((dedupeKey) => ({ workspaceId, dedupeKey })))) state.set(dedupeKey, stored);
    }

    const outcomes: EventWriteOutcome[] = [];
    const customersSeen = new Set<string>();
    for (const [i, row] of rows.entries()) {
      // As one by one: only the first row naming a customer this write created says so.
      const customerCreated = customer.created.has(row.customerExternalId) && !customersSeen.has(row.customerExternalId);
      customersSeen.add(row.customerExternalId);
      const values = valuesOf(row);
      const createdId = firstOf.get(row.dedupeKey) === i ? createdIds.get(row.dedupeKey) : undefined;
      if (createdId !== undefined) {
        state.set(row.dedupeKey, { id: createdId, ...values });
        let invitations = 0;
        if (triggers.has(row.type)) {
          const event = {
            id: createdId,
            customerId: values.customerId,
            type: row.type,
            occurredAt: new Date(row.occurredAt),
            touchpointKey: row.touchpointKey,
          };
          invitations = (await invitationsForEvent(tx, workspaceId, event, now)).length;
        }
        outcomes.push({ status: "created", customerCreated, invitations });
        continue;
      }
      const existing = state.get(row.dedupeKey)!;
      const same =
        existing.customerId === values.customerId &&
        existing.externalId === row.externalId &&
        existing.type === row.type &&
        existing.occurredAt === row.occurredAt &&
        existing.amount === row.amount &&
        existing.currency === row.currency &&
        existing.channel === row.channel &&
        existing.touchpointKey === row.touchpointKey;
      if (same) {
        outcomes.push({ status: "unchanged", customerCreated, invitations: 0 });
        continue;
      }
      state.set(row.dedupeKey, { id: existing.id, ...values });
      await updateEvent(state.get(row.dedupeKey)!);
      outcomes.push({ status: "updated", customerCreated, invitations: 0 });
    }
    return outcomes;
  };

  return async (rows) => {
    const outcomes: EventWriteOutcome[] = [];
    for (let i = 0; i < rows.length; i += WRITE_CHUNK) outcomes.push(...(await writeChunk(rows.slice(i, i + WRITE_CHUNK))));
    return outcomes;
  };
}

/**
 * Writes the rows in one transaction (all of them or none), with the invitations their events call
 * for, and answers each row's outcome in input order (app/api/crm-items.server.ts checks the items).
 */
export async function writeEventRows(workspaceId: number, rows: readonly EventRow[], now = new Date()): Promise<EventWriteOutcome[]> {
  return await getDb().transaction(async (tx) => await (await prepareEventWriter(tx, workspaceId, now))(rows));
}

// ---- Reads ---------------------------------------------------------------------------------------

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
export async function behaviourAfter(
  workspaceId: number,
  items: readonly { customerId: number; from: Date }[],
  windowDays: number,
): Promise<BehaviourAfter[]> {
  const db = getDb();
  const span = windowDays * 86_400_000;
  const purchase = sql`${crmEvents.type} = ${PURCHASE_EVENT_TYPE}`;
  const answers: BehaviourAfter[] = [];
  for (const { customerId, from } of items) {
    const start = from.getTime();
    const [r] = await db
      .select({
        events: count(),
        purchases: sql<number>`coalesce(sum(case when ${purchase} and coalesce(${crmEvents.amount}, 0) >= 0 then 1 else 0 end), 0)`.mapWith(Number),
        spend: sql<number>`coalesce(sum(case when ${purchase} then coalesce(${crmEvents.amount}, 0) else 0 end), 0)`.mapWith(Number),
      })
      .from(crmEvents)
      .where(
        and(
          eq(crmEvents.customerId, customerId),
          eq(crmEvents.workspaceId, workspaceId),
          gt(crmEvents.occurredAt, new Date(start)),
          lte(crmEvents.occurredAt, new Date(start + span)),
        ),
      );
    answers.push({ events: r.events, purchases: r.purchases, spend: r.spend, repurchased: r.purchases > 0 });
  }
  return answers;
}
