// Writing responses: one batch of planned responses (validated, measured: responses.server.ts) —
// the raw data, the customer when new, the measurement rows, the follow-up case with its webhook
// deliveries (response-recorded.server.ts) and the batch's rollup sums (rollup-writes.server.ts),
// all or nothing (ADR 014): in one transaction, or on PostgreSQL mostly in one statement
// (response-set-writer.server.ts, ADR 034).
import { and, eq, inArray, gt, sql } from "drizzle-orm";
import { getDb, isPostgres } from "#db/client";
import { customers, invitationEvents, invitations, responses } from "#db/schema/index";
import { queryText, runText, valuesText } from "#db/statement-text";
import { onResponseRecorded, type RecordingContext } from "~/data/response-recorded.server";
import { MEASUREMENT_COLUMNS, recordedEvent, storedValues, type RecordResult, type WritePlan } from "~/data/response-rows.server";
import { writeSetBased } from "~/data/response-set-writer.server";
import { addRollups, RollupAccumulator } from "~/data/rollup-writes.server";

// Rows per measurement statement: a SERVQUAL response has ~50; 7 values a row.
const MEASUREMENTS_PER_STATEMENT = 200;
const RESPONSE_BY_KEY = `SELECT id, request_hash FROM responses WHERE workspace_id = ? AND idempotency_key = ?`;
const CUSTOMER_BY_EXTERNAL_ID = `SELECT id, tier FROM customers WHERE workspace_id = ? AND external_id = ?`;
// Another transaction may be creating the same customer at once (PostgreSQL runs them side by side):
// the insert then waits for it and adds nothing, and the customer is read again once it is there.
const INSERT_CUSTOMER = `INSERT INTO customers (workspace_id, external_id) VALUES (?, ?)
    ON CONFLICT (workspace_id, external_id) DO NOTHING RETURNING id`;
const INSERT_RESPONSE = `INSERT INTO responses (workspace_id, survey_version_id, touchpoint_id, deployment_id, customer_id,
    tier, lang, source, data, comment, started_at, completed_at, idempotency_key, request_hash, invitation_id) ${valuesText(1, 15)} RETURNING id`;

/** One response's rows; its rollup increments go into `sums`, written once for the batch. */
async function write(plan: WritePlan, sums: RollupAccumulator, context: RecordingContext): Promise<RecordResult> {
  const db = getDb();
  const { input } = plan;
  const ws = input.workspaceId;
  let customerId: number | null = null;
  let tier = "";

  // A retry: the key's response answers it, nothing new is stored (the same key twice in one
  // batch: the first is already visible to the second).
  if (input.idempotencyKey) {
    const [earlier] = await queryText<{ id: number; request_hash: string | null }>(RESPONSE_BY_KEY, [ws, input.idempotencyKey]);
    // The caller compares the hashes: a different request under a used key is refused there.
    if (earlier) return { status: "replayed", id: earlier.id, requestHash: earlier.request_hash };
  }

  if (input.invitationId != null) {
    // The state flip is the single-use guard; the invitation says who is answering.
    const now = new Date(plan.completedAt);
    const [invitation] = await db
      .update(invitations)
      .set({ state: "completed", completedAt: now, openedAt: sql`coalesce(${invitations.openedAt}, ${sql.param(now, invitations.openedAt)})`, progress: null })
      .where(
        and(
          eq(invitations.id, input.invitationId),
          eq(invitations.workspaceId, ws),
          inArray(invitations.state, ["pending", "opened"]),
          gt(invitations.expiresAt, now),
        ),
      )
      .returning({ customerId: invitations.customerId });
    if (!invitation) {
      const [row] = await db
        .select({ state: invitations.state })
        .from(invitations)
        .where(and(eq(invitations.id, input.invitationId), eq(invitations.workspaceId, ws)))
        .limit(1);
      return row?.state === "completed" ? { status: "already_received" } : { status: "expired" };
    }
    customerId = invitation.customerId;
    // The invitation's life: completed, with the response (and started, if no progress was ever saved).
    await db.insert(invitationEvents).values([
      { workspaceId: ws, invitationId: input.invitationId, kind: "started" as const, at: now },
      { workspaceId: ws, invitationId: input.invitationId, kind: "completed" as const, at: now },
    ]).onConflictDoNothing();
    const [customer] = await db
      .select({ tier: customers.tier })
      .from(customers)
      .where(and(eq(customers.id, customerId), eq(customers.workspaceId, ws)))
      .limit(1);
    tier = customer?.tier ?? "";
  } else if (input.customerExternalId) {
    const [customer] = await queryText<{ id: number; tier: string | null }>(CUSTOMER_BY_EXTERNAL_ID, [ws, input.customerExternalId]);
    if (customer) {
      customerId = customer.id;
      tier = customer.tier ?? "";
    } else {
      const [created] = await queryText<{ id: number }>(INSERT_CUSTOMER, [ws, input.customerExternalId]);
      // Not created: another transaction committed it meanwhile (a new statement sees it on either engine).
      const [found] = created ? [{ id: created.id, tier: null }] : await queryText<{ id: number; tier: string | null }>(CUSTOMER_BY_EXTERNAL_ID, [ws, input.customerExternalId]);
      customerId = found.id;
      tier = found.tier ?? "";
    }
  }

  const [response] = await queryText<{ id: number }>(INSERT_RESPONSE, [ws, ...storedValues(plan, customerId, tier), input.invitationId ?? null]);
  for (let i = 0; i < plan.measurements.length; i += MEASUREMENTS_PER_STATEMENT) {
    const chunk = plan.measurements.slice(i, i + MEASUREMENTS_PER_STATEMENT);
    const values: (string | number | null)[] = [];
    for (const m of chunk) values.push(ws, response.id, input.touchpointId, m.attributeKey ?? "", m.kind, m.value, m.dimension);
    await runText(`INSERT INTO measurements (${MEASUREMENT_COLUMNS}) ${valuesText(chunk.length, 7)}`, values);
  }
  sums.add(ws, input.touchpointId, tier, input.lang, plan.completedAt, plan.measurements);
  // Closed loop: the follow-up case and webhook deliveries commit (or roll back) with the response.
  const { deliveries } = await onResponseRecorded(recordedEvent(plan, response.id, customerId, tier), context);
  return { status: "recorded", id: response.id, tier, deliveries };
}

/** A unique index refused the row (SQLite's and PostgreSQL's codes), under drizzle's wrapping. */
function uniqueViolationOn(error: unknown, column: string): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    const code = (e as { code?: string }).code;
    if ((code === "SQLITE_CONSTRAINT_UNIQUE" || code === "23505") && `${e.message} ${(e as { detail?: string }).detail ?? ""}`.includes(column)) return true;
  }
  return false;
}

/**
 * The database's own error under drizzle's "Failed query: …" wrapping, whose message quotes every
 * parameter: the customer's answers have no place in a log line.
 */
function driverError(error: unknown): Error {
  let e: unknown = error;
  while (e instanceof Error && e.cause instanceof Error) e = e.cause;
  return e instanceof Error ? e : new Error(String(e));
}

/**
 * Row by row in one transaction (everything on SQLite; on PostgreSQL the responses through an
 * invitation): every response's rows, then their rollup sums.
 */
async function writeRowByRow(plans: readonly WritePlan[]): Promise<RecordResult[]> {
  return getDb().transaction(async () => {
    const sums = new RollupAccumulator();
    const context: RecordingContext = new Map();
    const outcomes: RecordResult[] = [];
    for (const plan of plans) outcomes.push(await write(plan, sums, context));
    await addRollups(sums);
    return outcomes;
  });
}

/**
 * The batch in groups, each all or nothing: on PostgreSQL each workspace's responses not through an
 * invitation set-based, the rest row by row; on SQLite one group. A group's places in the batch.
 */
function groupsOf(plans: readonly WritePlan[]): { write: (plans: readonly WritePlan[]) => Promise<RecordResult[]>; places: number[] }[] {
  if (!isPostgres()) return [{ write: writeRowByRow, places: [...plans.keys()] }];
  const rowByRow: number[] = [];
  const byWorkspace = new Map<number, number[]>();
  for (const [at, plan] of plans.entries()) {
    if (plan.input.invitationId != null) rowByRow.push(at);
    else {
      const ws = plan.input.workspaceId;
      if (!byWorkspace.has(ws)) byWorkspace.set(ws, []);
      byWorkspace.get(ws)!.push(at);
    }
  }
  const groups = [...byWorkspace].map(([ws, places]) => ({ write: (group: readonly WritePlan[]) => writeSetBased(ws, group), places }));
  if (rowByRow.length > 0) groups.push({ write: writeRowByRow, places: rowByRow });
  return groups;
}

/** One response on its own, its failure reported alone. */
async function writeAlone(plan: WritePlan): Promise<RecordResult | Error> {
  const { input } = plan;
  try {
    const [{ write }] = groupsOf([plan]);
    return (await write([plan]))[0];
  } catch (error) {
    // The same key or invitation twice in one batch, or another process got there first.
    if (input.idempotencyKey && uniqueViolationOn(error, "idempotency_key")) {
      const [earlier] = await getDb()
        .select({ id: responses.id, requestHash: responses.requestHash })
        .from(responses)
        .where(and(eq(responses.workspaceId, input.workspaceId), eq(responses.idempotencyKey, input.idempotencyKey)))
        .limit(1);
      if (earlier) return { status: "replayed", id: earlier.id, requestHash: earlier.requestHash };
    }
    if (input.invitationId != null && uniqueViolationOn(error, "invitation_id")) return { status: "already_received" };
    return driverError(error);
  }
}

/**
 * Writes one batch: its outcomes in order (an Error for a response that failed alone). Optimistic:
 * each group of the batch (groupsOf) written together. Should a group fail (rare: the same
 * invitation twice in one batch, or another process got there first), nothing of it is stored and
 * each of its responses is written on its own, so the failing one is reported alone and the rest
 * are stored.
 */
export async function writeBatch(plans: WritePlan[]): Promise<(RecordResult | Error)[]> {
  const outcomes: (RecordResult | Error)[] = new Array(plans.length);
  for (const { write, places } of groupsOf(plans)) {
    const group = places.map((at) => plans[at]);
    try {
      const written = await write(group);
      places.forEach((at, i) => (outcomes[at] = written[i]));
    } catch {
      for (const at of places) outcomes[at] = await writeAlone(plans[at]);
    }
  }
  return outcomes;
}
