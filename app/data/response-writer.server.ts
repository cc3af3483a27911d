// Writing responses: one batch of planned responses (validated, measured: responses.server.ts) in
// one IMMEDIATE transaction — the raw data, the customer when new, the measurement rows, and the
// follow-up case with its webhook deliveries (response-recorded.server.ts). The rollups are folded
// in from these rows after the commit (rollup-fold.server.ts, ADR 012).
//
// Pure database work on a given connection, so it runs wherever the writing happens: in the
// recording thread (tests, the seed, `vite dev`) or in the writer thread of the production server
// (writer-thread.server.ts, ADR 012), each with its own connection.
import type Database from "better-sqlite3";
import type { Measurement } from "~/cem/measurement";
import { onResponseRecorded } from "~/data/response-recorded.server";
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
};

export type RecordResult =
  /**
   * From the writer only (callers are told the id): the tier the response was stored with, and the
   * webhook deliveries queued with it.
   */
  | { status: "recorded"; id: number; tier?: string; deliveries?: number }
  /** An earlier response with the same idempotency key: nothing new was stored. */
  | { status: "replayed"; id: number }
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

const MEASUREMENT_COLUMNS = ["workspace_id", "response_id", "touchpoint_id", "attribute_key", "kind", "value", "dimension"];
// Rows per multi-row statement: one statement for a response's measurements (a SERVQUAL survey has ~50).
const MAX_ROWS_PER_STATEMENT = 64;

type Row = (string | number | null)[];
type Statements = ReturnType<typeof prepareStatements>;

/** `INSERT … VALUES (…), (…)` statements for 1..MAX_ROWS_PER_STATEMENT rows, prepared on first use. */
function multiRow(sqlite: Database.Database, head: string, columns: number, tail = "") {
  const byCount = new Map<number, Database.Statement<unknown[]>>();
  const row = `(${Array.from({ length: columns }, () => "?").join(", ")})`;
  const statement = (count: number) => {
    let prepared = byCount.get(count);
    if (!prepared) {
      prepared = sqlite.prepare(`${head} VALUES ${Array.from({ length: count }, () => row).join(", ")} ${tail}`);
      byCount.set(count, prepared);
    }
    return prepared;
  };
  return (rows: readonly Row[]) => {
    for (let start = 0; start < rows.length; start += MAX_ROWS_PER_STATEMENT) {
      const chunk = rows.slice(start, start + MAX_ROWS_PER_STATEMENT);
      statement(chunk.length).run(chunk.flat());
    }
  };
}

function prepareStatements(sqlite: Database.Database) {
  return {
    responseByKey: sqlite
      .prepare<[number, string], number>(`SELECT id FROM responses WHERE workspace_id = ? AND idempotency_key = ?`)
      .pluck(),
    completeInvitation: sqlite.prepare<[{ now: number; id: number; ws: number }], { customerId: number }>(
      `UPDATE invitations
          SET state = 'completed', completed_at = @now, opened_at = coalesce(opened_at, @now), progress = NULL
        WHERE id = @id AND workspace_id = @ws AND state IN ('pending', 'opened') AND expires_at > @now
       RETURNING customer_id AS customerId`,
    ),
    invitationState: sqlite.prepare<[number, number], { state: string }>(
      `SELECT state FROM invitations WHERE id = ? AND workspace_id = ?`,
    ),
    customerById: sqlite.prepare<[number, number], { id: number; tier: string | null }>(
      `SELECT id, tier FROM customers WHERE id = ? AND workspace_id = ?`,
    ),
    customerByExternalId: sqlite.prepare<[number, string], { id: number; tier: string | null }>(
      `SELECT id, tier FROM customers WHERE workspace_id = ? AND external_id = ?`,
    ),
    insertCustomer: sqlite.prepare<[number, string]>(`INSERT INTO customers (workspace_id, external_id) VALUES (?, ?)`),
    insertResponse: sqlite.prepare<
      [number, number, number, number | null, number | null, number | null, string, string, string, string, string | null, number | null, number, string | null]
    >(
      `INSERT INTO responses (workspace_id, survey_version_id, touchpoint_id, deployment_id, invitation_id, customer_id,
                              tier, lang, source, data, comment, started_at, completed_at, idempotency_key)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    insertMeasurements: multiRow(sqlite, `INSERT INTO measurements (${MEASUREMENT_COLUMNS.join(", ")})`, MEASUREMENT_COLUMNS.length),
  };
}

/** One response's rows (its rollups are folded in after the commit). */
function write(sqlite: Database.Database, s: Statements, plan: WritePlan): RecordResult {
  const { input } = plan;
  const ws = input.workspaceId;
  let customerId: number | null = null;
  let tier = "";

  // A retry: the key's response answers it, nothing new is stored. Looked up here, on the writing
  // connection, whose page cache the commits keep warm (the same key twice in one batch: the first
  // is already visible to the second).
  if (input.idempotencyKey) {
    const earlier = s.responseByKey.get(ws, input.idempotencyKey);
    if (earlier !== undefined) return { status: "replayed", id: earlier };
  }

  if (input.invitationId != null) {
    // The state flip is the single-use guard; the invitation says who is answering.
    const invitation = s.completeInvitation.get({ now: plan.completedAt, id: input.invitationId, ws });
    if (!invitation) {
      const state = s.invitationState.get(input.invitationId, ws)?.state;
      return state === "completed" ? { status: "already_received" } : { status: "expired" };
    }
    customerId = invitation.customerId;
    tier = s.customerById.get(invitation.customerId, ws)?.tier ?? "";
  } else if (input.customerExternalId) {
    const customer = s.customerByExternalId.get(ws, input.customerExternalId);
    if (customer) {
      customerId = customer.id;
      tier = customer.tier ?? "";
    } else {
      customerId = Number(s.insertCustomer.run(ws, input.customerExternalId).lastInsertRowid);
    }
  }

  const responseId = Number(
    s.insertResponse.run(
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
      plan.startedAt,
      plan.completedAt,
      input.idempotencyKey ?? null,
    ).lastInsertRowid,
  );
  s.insertMeasurements(
    plan.measurements.map((m) => [ws, responseId, input.touchpointId, m.attributeKey ?? "", m.kind, m.value, m.dimension]),
  );
  // Closed loop: the follow-up case and webhook deliveries commit (or roll back) with the response.
  const { deliveries } = onResponseRecorded(sqlite, {
    workspaceId: ws,
    responseId,
    customerId,
    touchpointId: input.touchpointId,
    tier,
    measurements: plan.measurements,
    comment: plan.comment,
    completedAt: plan.completedAt,
  });
  return { status: "recorded", id: responseId, tier, deliveries };
}

function isUniqueViolation(error: unknown, column: string): boolean {
  return (
    error instanceof Error &&
    (error as { code?: string }).code === "SQLITE_CONSTRAINT_UNIQUE" &&
    error.message.includes(column)
  );
}

/**
 * The batch's transaction: each response's rows. Isolated (each response in its own savepoint), a
 * failing response is rolled back and reported alone; otherwise its error rolls back the whole batch.
 */
function writeAll(
  s: Statements,
  writeOne: (plan: WritePlan) => RecordResult,
  plans: WritePlan[],
  isolated: boolean,
): (RecordResult | Error)[] {
  return plans.map((plan): RecordResult | Error => {
    if (!isolated) return writeOne(plan);
    const { input } = plan;
    try {
      return writeOne(plan);
    } catch (error) {
      // The same key or invitation twice in one batch, or another process got there first.
      if (input.idempotencyKey && isUniqueViolation(error, "idempotency_key")) {
        const earlier = s.responseByKey.get(input.workspaceId, input.idempotencyKey);
        if (earlier !== undefined) return { status: "replayed", id: earlier };
      }
      if (input.invitationId != null && isUniqueViolation(error, "invitation_id")) return { status: "already_received" };
      return error instanceof Error ? error : new Error(String(error));
    }
  });
}


/**
 * Writes one batch on this connection, in one transaction: its outcomes in order (an Error for a
 * response that failed alone). `first` runs inside the same transaction, before the responses (the
 * writer thread applies the rollups of earlier commits there: writer-thread.worker.ts).
 */
export type BatchWriter = (plans: WritePlan[], first?: () => void) => (RecordResult | Error)[];

function prepareWriter(sqlite: Database.Database): BatchWriter {
  const statements = prepareStatements(sqlite);
  // Optimistic: every response of the batch written straight into its transaction. Should one
  // throw (rare: the same invitation twice in one batch, or another process got there first), the
  // batch is rolled back and written again isolated: each response nested in a SAVEPOINT
  // (better-sqlite3 makes a nested transaction one), so the failing one is reported alone.
  // Two statements fewer per response on the common path.
  const writeOne = sqlite.transaction((plan: WritePlan) => write(sqlite, statements, plan));
  const writeBatch = sqlite.transaction((plans: WritePlan[], first?: () => void) => {
    first?.();
    return writeAll(statements, (plan) => write(sqlite, statements, plan), plans, false);
  });
  const writeBatchIsolated = sqlite.transaction((plans: WritePlan[], first?: () => void) => {
    first?.();
    return writeAll(statements, writeOne, plans, true);
  });
  return (plans, first) => {
    try {
      return writeBatch.immediate(plans, first);
    } catch {
      return writeBatchIsolated.immediate(plans, first);
    }
  };
}

const writersByDb = new WeakMap<Database.Database, BatchWriter>();

/** The batch writer of a connection (statements prepared once per connection). */
export function batchWriter(sqlite: Database.Database): BatchWriter {
  let writer = writersByDb.get(sqlite);
  if (!writer) writersByDb.set(sqlite, (writer = prepareWriter(sqlite)));
  return writer;
}
