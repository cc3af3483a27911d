// Recording a response, the one write path for the public page and the API: answers validated
// against their survey version and measured here, then the raw data, its measurements and its
// follow-up case written atomically (response-writer.server.ts); the rollups fold the committed rows
// in right after (rollup-fold.server.ts, ADR 012). This is the ingest hot path
// (`npm run bench:ingest`): survey versions compiled once (published versions never change), and
// group commit — responses arriving together share one COMMIT, and nobody is answered before it.
//
// Where the writing happens: in this thread by default (tests, the seed, `vite dev`); the
// production server hands it to a writer thread with its own connection (useWriterThread, called by
// server.js), so the database work runs on the other core while this thread serves HTTP (ADR 012).
import type Database from "better-sqlite3";
import { getDb, withConnection } from "#db/client";
import { commentFromPlan, measurementsFromPlan } from "~/cem/measurement";
import { kickWebhookDelivery } from "~/data/response-recorded.server";
import { batchWriter, type RecordResult, type ResponseInput, type WritePlan } from "~/data/response-writer.server";
import { foldSoon } from "~/data/rollup-fold.server";
import { FALLBACK_AUTOCHECKPOINT_PAGES, startWriterThread, type WriterThread } from "~/data/writer-thread.server";
import { parseSurveyJson } from "~/survey/definition-validation";
import { compileAnswers, type CompiledAnswers } from "~/survey/respondent-validation";
import type { SurveyJson } from "~/survey/types";

export type { RecordResult, ResponseInput, ResponseSource } from "~/data/response-writer.server";

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

const VERSION_CACHE_LIMIT = 500;
const versions = new Map<number, PublishedVersion>();

function prepare(sqlite: Database.Database) {
  return {
    version: sqlite.prepare<[number], { id: number; workspaceId: number; surveyId: number; definition: string }>(
      `SELECT id, workspace_id AS workspaceId, survey_id AS surveyId, definition
         FROM survey_versions WHERE id = ? AND status = 'published'`,
    ),
    responseByKey: sqlite
      .prepare<[number, string], number>(`SELECT id FROM responses WHERE workspace_id = ? AND idempotency_key = ?`)
      .pluck(),
  };
}

const statementsByDb = new WeakMap<Database.Database, ReturnType<typeof prepare>>();
function statements() {
  const sqlite = getDb().$client;
  let prepared = statementsByDb.get(sqlite);
  if (!prepared) statementsByDb.set(sqlite, (prepared = prepare(sqlite)));
  return prepared;
}

/** A published version by id (cached: published versions are immutable); null for drafts and unknown ids. */
export async function publishedVersion(versionId: number): Promise<PublishedVersion | null> {
  const cached = versions.get(versionId);
  if (cached) return cached;
  const { version: byId } = statements();
  const row = await getDb().$gate.statement(() => byId.get(versionId));
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
export async function responseForIdempotencyKey(workspaceId: number, key: string): Promise<number | null> {
  const { responseByKey } = statements();
  return (await getDb().$gate.statement(() => responseByKey.get(workspaceId, key))) ?? null;
}

let writerThread: WriterThread | null = null;

/**
 * Hands the writing of responses to a worker thread running `workerFile` (the built
 * writer-thread.worker.ts) on its own connection to the same database; this thread keeps validating
 * and answering. Falls back to writing here should the thread die.
 */
export function useWriterThread(workerFile: string): void {
  // Migrated here first, so the threads open a database that is up to date; the WAL is
  // checkpointed by the writer's helper from now on (writer-thread.worker.ts).
  const sqlite = getDb().$client;
  writerThread?.stop();
  sqlite.pragma(`wal_autocheckpoint = ${FALLBACK_AUTOCHECKPOINT_PAGES}`);
  writerThread = startWriterThread(workerFile, () => {
    writerThread = null;
    sqlite.pragma("wal_autocheckpoint = 1000"); // SQLite's default, now that this thread writes again
  });
}

type Pending = { plan: WritePlan; resolve: (result: RecordResult) => void; reject: (error: unknown) => void };
/**
 * Responses handed to a busy writer thread together. Handing over only at the end of each turn of
 * the event loop made the two threads take turns: a burst of ~25 requests read here, then written
 * there (bench:ingest 38–46 % of the no-op ceiling); every 4, or at once to an idle writer, they
 * overlap (46–56 %, ADR 013).
 */
const HAND_OVER_AT = 4;
let queue: Pending[] = [];
let flushScheduled = false;

/** Writes everything queued since the last flush as one batch (one transaction), then answers each. */
async function flush() {
  flushScheduled = false;
  const batch = queue;
  queue = [];
  if (batch.length === 0) return;
  const plans = batch.map((p) => p.plan);
  let outcomes: (RecordResult | Error)[];
  try {
    if (writerThread) outcomes = await writerThread.write(plans);
    else {
      outcomes = await withConnection((sqlite) => batchWriter(sqlite)(plans));
      // The rollups fold these rows in shortly (the writer thread does that on its own).
      foldSoon();
    }
  } catch (error) {
    for (const pending of batch) pending.reject(error);
    return;
  }
  let deliveries = false;
  batch.forEach((pending, i) => {
    const outcome = outcomes[i];
    if (outcome instanceof Error) pending.reject(outcome);
    else if (outcome.status === "recorded") {
      deliveries ||= (outcome.deliveries ?? 0) > 0;
      pending.resolve({ status: "recorded", id: outcome.id });
    } else pending.resolve(outcome);
  });
  // After the commit: webhook deliveries go out in the background, never inside a request.
  if (deliveries) kickWebhookDelivery();
}

/** Validation and everything else that needs no lock: the plan to write, or the answer already. */
async function planResponse(input: ResponseInput): Promise<WritePlan | RecordResult> {
  // A key used before is answered by the writer, inside the transaction (response-writer.server.ts).
  const version = await publishedVersion(input.versionId);
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
  // The parsed answers stay here: the writer stores `data`, the text as received.
  const { answers: _parsed, ...stored } = input;
  return {
    input: stored,
    completedAt,
    startedAt: input.startedAt ? input.startedAt.getTime() : null,
    comment: commentFromPlan(compiled.plan, checked.data),
    measurements: measurementsFromPlan(compiled.plan, checked.data),
  };
}

/**
 * Validates the answers against their survey version and stores the response with its
 * measurements and follow-up case, all or nothing; resolves once that is committed (the rollups
 * fold it in after: every rollup reader folds first, so no read misses it). Responses submitted in
 * the same turn of the event loop share the commit. The idempotency key and the invitation are
 * checked inside the transaction; across processes the unique indexes decide.
 */
export async function recordResponse(input: ResponseInput): Promise<RecordResult> {
  const planned = await planResponse(input);
  if ("status" in planned) return planned;
  return new Promise((resolve, reject) => {
    queue.push({ plan: planned, resolve, reject });
    // With a writer thread, hand over early rather than at the end of this turn of the event loop:
    // at once when it is idle, else every HAND_OVER_AT responses, so that it writes while this
    // thread is still reading the rest of a burst (it joins whatever waits into its next commit).
    if (writerThread && (writerThread.inFlight() === 0 || queue.length >= HAND_OVER_AT)) void flush();
    else if (!flushScheduled) {
      flushScheduled = true;
      setImmediate(() => void flush());
    }
  });
}
