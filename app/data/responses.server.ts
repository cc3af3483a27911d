// Recording a response, the one write path for the public page and the API: answers validated
// against their survey version and measured here, then the raw data, its measurements, its
// follow-up case and its rollup sums written atomically (response-writer.server.ts, ADR 014). This
// is the ingest hot path (`npm run bench:ingest`): survey versions compiled once (published versions
// never change), and group commit — responses arriving together share one transaction, and nobody
// is answered before it commits.
import { and, eq } from "drizzle-orm";
import { getDb } from "#db/client";
import { responses, surveyVersions } from "#db/schema/index";
import { parseBoundedJson } from "~/cem/bounded-json";
import { instantProblem } from "~/cem/instant-bounds";
import { commentFromPlan, measurementsFromPlan } from "~/cem/measurement";
import { kickWebhookDelivery } from "~/data/response-recorded.server";
import type { RecordResult, ResponseInput, WritePlan } from "~/data/response-rows.server";
import { writeBatch } from "~/data/response-writer.server";
import { foldSoon } from "~/data/rollup-fold.server";
import { parseSurveyJson } from "~/survey/definition-validation";
import { compileAnswers, type CompiledAnswers } from "~/survey/respondent-validation";
import type { SurveyJson } from "~/survey/types";

export type { RecordResult, ResponseInput, ResponseSource } from "~/data/response-rows.server";

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

/** A published version by id (cached: published versions are immutable); null for drafts and unknown ids. */
export async function publishedVersion(versionId: number): Promise<PublishedVersion | null> {
  const cached = versions.get(versionId);
  if (cached) return cached;
  const [row] = await getDb()
    .select({ id: surveyVersions.id, workspaceId: surveyVersions.workspaceId, surveyId: surveyVersions.surveyId, definition: surveyVersions.definition })
    .from(surveyVersions)
    .where(and(eq(surveyVersions.id, versionId), eq(surveyVersions.status, "published")))
    .limit(1);
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

/**
 * The response an idempotency key already produced in this workspace, if any, with the hash of the
 * request that produced it (null for responses stored before requests were hashed).
 */
export async function responseForIdempotencyKey(workspaceId: number, key: string): Promise<{ id: number; requestHash: string | null } | null> {
  const [row] = await getDb()
    .select({ id: responses.id, requestHash: responses.requestHash })
    .from(responses)
    .where(and(eq(responses.workspaceId, workspaceId), eq(responses.idempotencyKey, key)))
    .limit(1);
  return row ?? null;
}

type Pending = { plan: WritePlan; resolve: (result: RecordResult) => void; reject: (error: unknown) => void };
let queue: Pending[] = [];
let flushScheduled = false;
const MAX_BATCH = 500;
/** One batch transaction at a time per process; what arrives meanwhile waits and forms the next. */
let writing = false;

function scheduleFlush() {
  if (flushScheduled || writing) return;
  flushScheduled = true;
  setImmediate(() => void flush());
}

/**
 * Writes everything queued since the last flush as one batch (writeBatch), then answers each.
 * Batches never overlap: on PostgreSQL, batches side by side each carried fewer responses, and a
 * batch costs its round trips whatever its size, so two in flight recorded less than one and cost
 * more CPU per response, with eight round trips a batch and again with two (docs/benchmarks.md);
 * waiting for the batch in flight lets the next one grow instead. SQLite's one connection
 * serialised them anyway.
 */
async function flush() {
  flushScheduled = false;
  // A bounded batch keeps one transaction's locks and latency bounded under a flood; the rest waits.
  const batch = queue.slice(0, MAX_BATCH);
  queue = queue.slice(batch.length);
  if (batch.length === 0) return;
  writing = true;
  let outcomes: (RecordResult | Error)[];
  try {
    outcomes = await writeBatch(batch.map((p) => p.plan));
  } catch (error) {
    for (const pending of batch) pending.reject(error);
    return;
  } finally {
    writing = false;
    if (queue.length > 0) scheduleFlush();
  }
  let deliveries = false;
  let recorded = false;
  batch.forEach((pending, i) => {
    const outcome = outcomes[i];
    if (outcome instanceof Error) pending.reject(outcome);
    else if (outcome.status === "recorded") {
      recorded = true;
      deliveries ||= (outcome.deliveries ?? 0) > 0;
      pending.resolve({ status: "recorded", id: outcome.id });
    } else pending.resolve(outcome);
  });
  // After the commit, in the background, never inside a request: webhook deliveries go out, and on
  // PostgreSQL the batch's rollup increments are folded (rollup-fold.server.ts).
  if (deliveries) kickWebhookDelivery();
  if (recorded) foldSoon();
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
    // Bounded before anything walks it: depth, and no __proto__/constructor/prototype keys.
    const bounded = parseBoundedJson(input.data);
    if (!bounded.ok) {
      const { error, path, message } = bounded.problem;
      return { status: "invalid", errors: [{ question: path, message: error === "invalid_json" ? "The answers are not valid JSON." : message }] };
    }
    answers = bounded.value;
  }
  // Every caller sets the times; this guard keeps an impossible one out of the rollups whatever the
  // caller (a completion in year 0 would be summed under day 0000-01-01).
  const now = Date.now();
  for (const [field, at] of [["completedAt", input.completedAt], ["startedAt", input.startedAt]] as const) {
    const problem = at ? instantProblem(field, at.getTime(), { now }) : null;
    if (problem) return { status: "invalid", errors: [{ question: "", message: problem }] };
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
 * measurements, follow-up case and rollup sums, all or nothing; resolves once that is committed.
 * Responses submitted in the same turn of the event loop share the transaction. The idempotency key
 * and the invitation are checked inside it; across processes the unique indexes decide.
 */
export async function recordResponse(input: ResponseInput): Promise<RecordResult> {
  const planned = await planResponse(input);
  if ("status" in planned) return planned;
  return new Promise((resolve, reject) => {
    queue.push({ plan: planned, resolve, reject });
    scheduleFlush();
  });
}
