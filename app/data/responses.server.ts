// Recording a response, the one write path for the public page and the API: answers validated
// against their survey version, then the raw data, its measurements and the rollup increments
// written atomically. This is the ingest hot path (`npm run bench:ingest`): prepared
// better-sqlite3 statements, survey versions compiled once (published versions never change), and
// group commit — responses arriving together share one COMMIT, each in its own SAVEPOINT, and
// nobody is answered before that commit.
import type Database from "better-sqlite3";
import { getDb } from "#db/client";
import { commentFromPlan, measurementsFromPlan, type Measurement } from "~/cem/measurement";
import { ROLLUP_COLUMNS, rollupDeltas } from "~/cem/rollup";
import { addRollups, type RollupRow } from "~/data/rollup-writes.server";
import { kickWebhookDelivery, onResponseRecorded } from "~/data/response-recorded.server";
import type { AnswerError } from "~/survey/answer-validation";
import { parseSurveyJson } from "~/survey/definition-validation";
import type { SurveyLocale } from "~/survey/locales";
import { compileAnswers, type CompiledAnswers } from "~/survey/respondent-validation";
import type { SurveyJson } from "~/survey/types";

/** A published survey version, parsed once and compiled on first use. */
export type PublishedVersion = {
  id: number;
  workspaceId: number;
  surveyId: number;
  /** The definition text as stored. */
  definition: string;
  json: SurveyJson;
  compiled: () => CompiledAnswers;
};

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
  | { status: "recorded"; id: number }
  /** An earlier response with the same idempotency key: nothing new was stored. */
  | { status: "replayed"; id: number }
  | { status: "invalid"; errors: AnswerError[] }
  /** The invitation was used already: nothing new was stored. */
  | { status: "already_received" }
  | { status: "expired" };

const VERSION_CACHE_LIMIT = 500;
const versions = new Map<number, PublishedVersion>();

const MEASUREMENT_COLUMNS = ["workspace_id", "response_id", "touchpoint_id", "attribute_key", "kind", "value"];
// Rows per multi-row statement: one statement per response's measurements, few per batch of rollups.
const MAX_ROWS_PER_STATEMENT = 64;

type Row = (string | number)[];
type Statements = ReturnType<typeof prepareStatements>;
type Prepared = ReturnType<typeof prepare>;
const statementsByDb = new WeakMap<Database.Database, Prepared>();

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
    version: sqlite.prepare<[number], { id: number; workspaceId: number; surveyId: number; definition: string }>(
      `SELECT id, workspace_id AS workspaceId, survey_id AS surveyId, definition
         FROM survey_versions WHERE id = ? AND status = 'published'`,
    ),
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

function prepare(sqlite: Database.Database) {
  const statements = prepareStatements(sqlite);
  // Optimistic: every response of the batch written straight into its transaction. Should one
  // throw (rare: the same idempotency key or invitation twice in one batch, or another process got
  // there first), the batch is rolled back and written again isolated: each response nested in a
  // SAVEPOINT (better-sqlite3 makes a nested transaction one), so the failing one is reported alone.
  // Two statements fewer per response on the common path.
  const writeOne = sqlite.transaction((plan: WritePlan) => write(sqlite, statements, plan));
  const writeBatch = sqlite.transaction((plans: WritePlan[]) => writeAll(sqlite, statements, (plan) => write(sqlite, statements, plan), plans, false));
  const writeBatchIsolated = sqlite.transaction((plans: WritePlan[]) => writeAll(sqlite, statements, writeOne, plans, true));
  return { ...statements, writeBatch, writeBatchIsolated };
}

function statements(): Prepared {
  const sqlite = getDb().$client;
  let prepared = statementsByDb.get(sqlite);
  if (!prepared) {
    prepared = prepare(sqlite);
    statementsByDb.set(sqlite, prepared);
  }
  return prepared;
}

/** A published version by id (cached: published versions are immutable); null for drafts and unknown ids. */
export function publishedVersion(versionId: number): PublishedVersion | null {
  const cached = versions.get(versionId);
  if (cached) return cached;
  const row = statements().version.get(versionId);
  if (!row) return null;
  const parsed = parseSurveyJson(row.definition);
  if (!parsed.ok) return null;
  let compiled: CompiledAnswers | undefined;
  const version: PublishedVersion = {
    ...row,
    json: parsed.json,
    compiled: () => (compiled ??= compileAnswers(parsed.json)),
  };
  if (versions.size >= VERSION_CACHE_LIMIT) versions.delete(versions.keys().next().value as number);
  versions.set(versionId, version);
  return version;
}

/** The response an idempotency key already produced in this workspace, if any. */
export function responseForIdempotencyKey(workspaceId: number, key: string): number | null {
  return statements().responseByKey.get(workspaceId, key) ?? null;
}

type WritePlan = {
  input: ResponseInput;
  completedAt: number;
  startedAt: number | null;
  day: string;
  comment: string | null;
  measurements: Measurement[];
};

type Written = { result: RecordResult; rollups: RollupRow[] };

/** One response's rows; its rollup increments are returned for the batch to add up. */
function write(sqlite: Database.Database, s: Statements, plan: WritePlan): Written {
  const { input } = plan;
  const ws = input.workspaceId;
  let customerId: number | null = null;
  let tier = "";

  if (input.invitationId != null) {
    // The state flip is the single-use guard; the invitation says who is answering.
    const invitation = s.completeInvitation.get({ now: plan.completedAt, id: input.invitationId, ws });
    if (!invitation) {
      const state = s.invitationState.get(input.invitationId, ws)?.state;
      return { result: state === "completed" ? { status: "already_received" } : { status: "expired" }, rollups: [] };
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
  s.insertMeasurements(plan.measurements.map((m) => [ws, responseId, input.touchpointId, m.attributeKey ?? "", m.kind, m.value]));
  const rollups: RollupRow[] = rollupDeltas(plan.measurements, { day: plan.day, tier }).map((delta) => [
    ws,
    input.touchpointId,
    delta.attributeKey,
    delta.kind,
    delta.day,
    delta.tier,
    input.lang,
    ...ROLLUP_COLUMNS.map((column) => delta[column]),
  ]);
  // Closed loop: the follow-up case and webhook deliveries commit (or roll back) with the response.
  onResponseRecorded(sqlite, {
    workspaceId: ws,
    responseId,
    customerId,
    touchpointId: input.touchpointId,
    tier,
    measurements: plan.measurements,
    comment: plan.comment,
    completedAt: plan.completedAt,
  });
  return { result: { status: "recorded", id: responseId }, rollups };
}

function isUniqueViolation(error: unknown, column: string): boolean {
  return (
    error instanceof Error &&
    (error as { code?: string }).code === "SQLITE_CONSTRAINT_UNIQUE" &&
    error.message.includes(column)
  );
}

/**
 * The batch's transaction: each response's rows, then the rollup increments of those written, added
 * up per key. Isolated (each response in its own savepoint), a failing response is rolled back and
 * reported alone; otherwise its error rolls back the whole batch.
 */
function writeAll(
  sqlite: Database.Database,
  s: Statements,
  writeOne: (plan: WritePlan) => Written,
  plans: WritePlan[],
  isolated: boolean,
): (RecordResult | Error)[] {
  const rollups: RollupRow[] = [];
  const outcomes = plans.map((plan): RecordResult | Error => {
    const { input } = plan;
    if (!isolated) {
      const written = writeOne(plan);
      for (const row of written.rollups) rollups.push(row);
      return written.result;
    }
    try {
      const written = writeOne(plan);
      rollups.push(...written.rollups);
      return written.result;
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
  addRollups(sqlite, rollups);
  return outcomes;
}

type Pending = { plan: WritePlan; resolve: (result: RecordResult) => void; reject: (error: unknown) => void };
let queue: Pending[] = [];
let flushScheduled = false;

/** Commits everything queued since the last flush in one IMMEDIATE transaction, then answers each. */
function flush() {
  flushScheduled = false;
  const batch = queue;
  queue = [];
  let outcomes: (RecordResult | Error)[];
  try {
    const plans = batch.map((p) => p.plan);
    const s = statements();
    try {
      outcomes = s.writeBatch.immediate(plans);
    } catch {
      outcomes = s.writeBatchIsolated.immediate(plans);
    }
  } catch (error) {
    for (const pending of batch) pending.reject(error);
    return;
  }
  let recorded = false;
  batch.forEach((pending, i) => {
    const outcome = outcomes[i];
    if (outcome instanceof Error) pending.reject(outcome);
    else {
      recorded ||= outcome.status === "recorded";
      pending.resolve(outcome);
    }
  });
  // After the commit: webhook deliveries go out in the background, never inside a request.
  if (recorded) kickWebhookDelivery();
}

/** Validation and everything else that needs no lock: the plan to write, or the answer already. */
function planResponse(input: ResponseInput): WritePlan | RecordResult {
  if (input.idempotencyKey) {
    const earlier = statements().responseByKey.get(input.workspaceId, input.idempotencyKey);
    if (earlier !== undefined) return { status: "replayed", id: earlier };
  }
  const version = publishedVersion(input.versionId);
  if (!version || version.workspaceId !== input.workspaceId) {
    return { status: "invalid", errors: [{ question: "", message: "The survey version is not published in this workspace." }] };
  }
  let answers = input.answers;
  if (answers === undefined) {
    try {
      answers = JSON.parse(input.data);
    } catch {
      return { status: "invalid", errors: [{ question: "", message: "The answers are not valid JSON." }] };
    }
  }
  const compiled = version.compiled();
  const checked = compiled.validate(answers);
  if (!checked.ok) return { status: "invalid", errors: checked.errors };

  const completedAt = (input.completedAt ?? new Date()).getTime();
  return {
    input,
    completedAt,
    startedAt: input.startedAt ? input.startedAt.getTime() : null,
    day: new Date(completedAt).toISOString().slice(0, 10),
    comment: commentFromPlan(compiled.plan, checked.data),
    measurements: measurementsFromPlan(compiled.plan, checked.data),
  };
}

/**
 * Validates the answers against their survey version and stores the response with its
 * measurements and rollup increments, all or nothing; resolves once that is committed. Responses
 * submitted in the same turn of the event loop share the commit (one SAVEPOINT each). Within one
 * process the idempotency key and the invitation are checked again inside the transaction; across
 * processes the unique indexes decide.
 */
export function recordResponse(input: ResponseInput): Promise<RecordResult> {
  const planned = planResponse(input);
  if ("status" in planned) return Promise.resolve(planned);
  return new Promise((resolve, reject) => {
    queue.push({ plan: planned, resolve, reject });
    if (!flushScheduled) {
      flushScheduled = true;
      setImmediate(flush);
    }
  });
}
