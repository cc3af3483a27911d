// Writing responses: one batch of planned responses (validated, measured: responses.server.ts) in
// one transaction — the raw data, the customer when new, the measurement rows, the follow-up case
// with its webhook deliveries (response-recorded.server.ts) and the batch's rollup sums
// (rollup-writes.server.ts), all or nothing (ADR 014). The same code on either engine.
import { and, eq, inArray, gt, sql } from "drizzle-orm";
import { getDb } from "#db/client";
import { customers, invitations, responses } from "#db/schema/index";
import { instantValue, queryText, runText, valuesText } from "#db/statement-text";
import type { Measurement } from "~/cem/measurement";
import { onResponseRecorded, type RecordingContext } from "~/data/response-recorded.server";
import { addRollups, RollupAccumulator } from "~/data/rollup-writes.server";
import type { AnswerError } from "~/survey/answer-validation";
import type { SurveyLocale } from "~/survey/locales";

export type ResponseSource = "link" | "invitation" | "api";

export type ResponseInput = {
  workspaceId: number;
  versionId: number;
  touchpointId: number;
  deploymentId: number | null;
  /** A personal invitation: single use, completed in the same transaction; its customer answers. */
  invitationId?: number | null;
  /** Otherwise a customer known by external id (the API), created bare when new. */
  customerExternalId?: string | null;
  lang: SurveyLocale;
  source: ResponseSource;
  /** The SurveyJS data exactly as received; stored as is, never re-serialised. */
  data: string;
  /** `data` already parsed by the caller, to save parsing it twice. */
  answers?: unknown;
  startedAt?: Date | null;
  completedAt?: Date;
  idempotencyKey?: string | null;
  /**
   * With an idempotency key: a hash of the request that used it (the API's canonical body), stored
   * with the response so that a later request under the same key can be told apart from a retry.
   */
  requestHash?: string | null;
};

export type RecordResult =
  /**
   * From the writer only (callers are told the id): the tier the response was stored with, and the
   * webhook deliveries queued with it.
   */
  | { status: "recorded"; id: number; tier?: string; deliveries?: number }
  /** An earlier response with the same idempotency key: nothing new was stored. */
  | { status: "replayed"; id: number; requestHash?: string | null }
  | { status: "invalid"; errors: AnswerError[] }
  /** The invitation was used already: nothing new was stored. */
  | { status: "already_received" }
  | { status: "expired" };

/** A response ready to write: validated, its measurements extracted, times in epoch ms. */
export type WritePlan = {
  input: ResponseInput;
  completedAt: number;
  startedAt: number | null;
  comment: string | null;
  measurements: Measurement[];
};

// Rows per measurement statement: a SERVQUAL response has ~50; 7 values a row.
const MEASUREMENTS_PER_STATEMENT = 200;
const MEASUREMENT_COLUMNS = "workspace_id, response_id, touchpoint_id, attribute_key, kind, value, dimension";
const RESPONSE_BY_KEY = `SELECT id, request_hash FROM responses WHERE workspace_id = ? AND idempotency_key = ?`;
const CUSTOMER_BY_EXTERNAL_ID = `SELECT id, tier FROM customers WHERE workspace_id = ? AND external_id = ?`;
// Another transaction may be creating the same customer at once (PostgreSQL runs them side by side):
// the insert then waits for it and adds nothing, and the customer is read again once it is there.
const INSERT_CUSTOMER = `INSERT INTO customers (workspace_id, external_id) VALUES (?, ?)
    ON CONFLICT (workspace_id, external_id) DO NOTHING RETURNING id`;
const INSERT_RESPONSE = `INSERT INTO responses (workspace_id, survey_version_id, touchpoint_id, deployment_id, invitation_id, customer_id,
    tier, lang, source, data, comment, started_at, completed_at, idempotency_key, request_hash) ${valuesText(1, 15)} RETURNING id`;

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

  const [response] = await queryText<{ id: number }>(INSERT_RESPONSE, [
    ws,
    input.versionId,
    input.touchpointId,
    input.deploymentId,
    input.invitationId ?? null,
    customerId,
    tier,
    input.lang,
    input.source,
    input.data,
    plan.comment,
    plan.startedAt === null ? null : instantValue(plan.startedAt),
    instantValue(plan.completedAt),
    input.idempotencyKey ?? null,
    input.idempotencyKey ? (input.requestHash ?? null) : null,
  ]);
  for (let i = 0; i < plan.measurements.length; i += MEASUREMENTS_PER_STATEMENT) {
    const chunk = plan.measurements.slice(i, i + MEASUREMENTS_PER_STATEMENT);
    const values: (string | number | null)[] = [];
    for (const m of chunk) values.push(ws, response.id, input.touchpointId, m.attributeKey ?? "", m.kind, m.value, m.dimension);
    await runText(`INSERT INTO measurements (${MEASUREMENT_COLUMNS}) ${valuesText(chunk.length, 7)}`, values);
  }
  sums.add(ws, input.touchpointId, tier, input.lang, plan.completedAt, plan.measurements);
  // Closed loop: the follow-up case and webhook deliveries commit (or roll back) with the response.
  const { deliveries } = await onResponseRecorded(
    {
      workspaceId: ws,
      responseId: response.id,
      customerId,
      touchpointId: input.touchpointId,
      tier,
      measurements: plan.measurements,
      comment: plan.comment,
      completedAt: plan.completedAt,
    },
    context,
  );
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

/** The batch in one transaction: every response's rows, then the batch's rollup sums. */
async function writeTogether(plans: WritePlan[]): Promise<RecordResult[]> {
  return getDb().transaction(async () => {
    const sums = new RollupAccumulator();
    const context: RecordingContext = new Map();
    const outcomes: RecordResult[] = [];
    for (const plan of plans) outcomes.push(await write(plan, sums, context));
    await addRollups(sums.sums());
    return outcomes;
  });
}

/** One response in its own transaction, its failure reported alone. */
async function writeAlone(plan: WritePlan): Promise<RecordResult | Error> {
  const { input } = plan;
  try {
    return (await writeTogether([plan]))[0];
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
 * the whole batch in one transaction. Should it fail (rare: the same invitation twice in one batch,
 * or another process got there first), it is rolled back and each response is written on its own,
 * so the failing one is reported alone and the rest are stored.
 */
export async function writeBatch(plans: WritePlan[]): Promise<(RecordResult | Error)[]> {
  try {
    return await writeTogether(plans);
  } catch {
    const outcomes: (RecordResult | Error)[] = [];
    for (const plan of plans) outcomes.push(await writeAlone(plan));
    return outcomes;
  }
}
