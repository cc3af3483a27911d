// The in-process webhook sender. Deliveries are rows written in the transaction of the change they
// report; after the commit `kickWebhookDelivery()` wakes this worker, which signs each due delivery
// (Standard Webhooks), POSTs it with a 5 s timeout, and records the outcome: delivered, or the next
// attempt per retrySchedule, or failed after the last one. A lazily started, unref'd timer picks up
// retries as they fall due. Nothing here ever throws into a request: a failing receiver is the
// receiver's problem, shown in the delivery log, never the respondent's.
import type Database from "better-sqlite3";
import { getDb } from "#db/client";
import { retrySchedule, signWebhook } from "~/cem/webhook-signature";

export const DELIVERY_TIMEOUT_MS = 5_000;
const POLL_MS = 1_000;
/** A delivery being sent is leased; a crashed process's lease runs out and another worker retries it. */
const LEASE_MS = 30_000;
const BATCH = 20;
const CONCURRENCY = 4;
const USER_AGENT = "Vivencia-Webhooks/1.0";

type DueRow = { id: number; endpointId: number; msgId: string; payload: string; attempts: number };
type EndpointRow = { url: string; secret: string; active: number };

type Outcome = {
  id: number;
  status: "pending" | "delivered" | "failed";
  attempts: number;
  next: number | null;
  at: number;
  code: number | null;
  error: string | null;
  duration: number | null;
  delivered: number | null;
};

type Statements = {
  due: Database.Statement<[{ now: number; limit: number }], { id: number }>;
  claim: Database.Statement<[{ id: number; now: number; lease: number }], DueRow>;
  endpoint: Database.Statement<[number], EndpointRow>;
  record: Database.Statement<[Outcome]>;
};
const statementsByDb = new WeakMap<Database.Database, Statements>();

function statements(): Statements {
  const sqlite = getDb().$client;
  let s = statementsByDb.get(sqlite);
  if (!s) {
    s = {
      due: sqlite.prepare(
        `SELECT id FROM webhook_deliveries
          WHERE (status = 'pending' AND next_attempt_at <= @now) OR (status = 'sending' AND lease_until <= @now)
          ORDER BY next_attempt_at LIMIT @limit`,
      ),
      // The conditional update is the claim: of two workers, only one sees the row come back.
      claim: sqlite.prepare(
        `UPDATE webhook_deliveries SET status = 'sending', lease_until = @lease
          WHERE id = @id AND ((status = 'pending' AND next_attempt_at <= @now) OR (status = 'sending' AND lease_until <= @now))
        RETURNING id, endpoint_id AS endpointId, msg_id AS msgId, payload, attempts`,
      ),
      endpoint: sqlite.prepare(`SELECT url, secret, active FROM webhook_endpoints WHERE id = ?`),
      record: sqlite.prepare(
        `UPDATE webhook_deliveries
            SET status = @status, attempts = @attempts, next_attempt_at = @next, last_attempt_at = @at, response_code = @code,
                error = @error, duration_ms = @duration, delivered_at = @delivered, lease_until = NULL
          WHERE id = @id`,
      ),
    };
    statementsByDb.set(sqlite, s);
  }
  return s;
}

export type AttemptOutcome = { ok: boolean; responseCode: number | null; error: string | null; durationMs: number };

/** Something went wrong in the worker itself (not in a receiver): said once, quietly, never thrown. */
let warned = false;
function warnOnce(error: unknown) {
  if (warned) return;
  warned = true;
  console.warn("[webhooks] delivery worker error:", error instanceof Error ? error.message : error);
}

function describeFailure(error: unknown): string {
  if (error instanceof Error) {
    if (error.name === "TimeoutError" || error.name === "AbortError") return `No answer within ${DELIVERY_TIMEOUT_MS / 1000} s`;
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    if (cause?.code) return `Connection failed (${cause.code})`;
    if (cause?.message) return `Connection failed (${cause.message})`;
    return error.message;
  }
  return String(error);
}

/** One signed POST; every failure comes back as an outcome, never as an exception. */
export async function attemptDelivery(url: string, secret: string, msgId: string, payload: string): Promise<AttemptOutcome> {
  const started = Date.now();
  let headers: Record<string, string>;
  try {
    headers = { ...signWebhook(secret, msgId, Math.floor(started / 1000), payload) };
  } catch (error) {
    return { ok: false, responseCode: null, error: `Cannot sign: ${describeFailure(error)}`, durationMs: 0 };
  }
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: { ...headers, "Content-Type": "application/json", "User-Agent": USER_AGENT },
      body: payload,
      // A redirect is not followed: the signed request goes only where the admin said.
      redirect: "manual",
      signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
    });
    const ok = res.status >= 200 && res.status < 300;
    let error: string | null = null;
    if (ok) {
      await res.body?.cancel().catch(() => undefined);
    } else {
      const text = await res.text().catch(() => "");
      error = `HTTP ${res.status}${text.trim() ? `: ${text.trim().replace(/\s+/g, " ").slice(0, 200)}` : ""}`;
    }
    return { ok, responseCode: res.status, error, durationMs: Date.now() - started };
  } catch (error) {
    return { ok: false, responseCode: null, error: describeFailure(error), durationMs: Date.now() - started };
  }
}

async function deliverOne(row: DueRow): Promise<void> {
  const s = statements();
  const endpoint = s.endpoint.get(row.endpointId);
  const now = Date.now();
  if (!endpoint || !endpoint.active) {
    s.record.run({
      id: row.id,
      status: "failed",
      attempts: row.attempts,
      next: null,
      at: now,
      code: null,
      error: "The endpoint was disabled before this delivery was sent",
      duration: null,
      delivered: null,
    });
    return;
  }
  const outcome = await attemptDelivery(endpoint.url, endpoint.secret, row.msgId, row.payload);
  const attempts = row.attempts + 1;
  const at = Date.now();
  const base = { id: row.id, attempts, at, code: outcome.responseCode, duration: outcome.durationMs };
  if (outcome.ok) {
    s.record.run({ ...base, status: "delivered", next: null, error: null, delivered: at });
    return;
  }
  const delay = retrySchedule(attempts, Math.random());
  s.record.run({ ...base, status: delay === null ? "failed" : "pending", next: delay === null ? null : at + delay, error: outcome.error, delivered: null });
}

/**
 * Sends every delivery due by `now` (up to one batch), a few at a time. Returns how many it took.
 * Exported for tests; the app calls kickWebhookDelivery().
 */
export async function deliverDueWebhooks(now = new Date()): Promise<number> {
  const s = statements();
  const t = now.getTime();
  const claimed: DueRow[] = [];
  for (const { id } of s.due.all({ now: t, limit: BATCH })) {
    const row = s.claim.get({ id, now: t, lease: Date.now() + LEASE_MS });
    if (row) claimed.push(row);
  }
  let next = 0;
  const lane = async () => {
    while (next < claimed.length) {
      const row = claimed[next++];
      try {
        await deliverOne(row);
      } catch (error) {
        warnOnce(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, claimed.length) }, lane));
  return claimed.length;
}

let timer: ReturnType<typeof setInterval> | null = null;
let running = false;
let again = false;

function tick(): void {
  if (running) {
    again = true;
    return;
  }
  running = true;
  deliverDueWebhooks()
    .then((count) => {
      // A full batch means more may be waiting.
      if (count >= BATCH) again = true;
    })
    .catch(warnOnce)
    .finally(() => {
      running = false;
      if (again) {
        again = false;
        setTimeout(tick, 0).unref();
      }
    });
}

/** Starts the retry timer once per process; unref'd, so it never keeps a process (or a test run) alive. */
export function ensureWebhookWorker(): void {
  if (timer) return;
  timer = setInterval(tick, POLL_MS);
  timer.unref();
}

/** Call after a commit that may have enqueued deliveries: they go out now, outside the request. */
export function kickWebhookDelivery(): void {
  try {
    ensureWebhookWorker();
    setTimeout(tick, 0).unref();
  } catch (error) {
    warnOnce(error);
  }
}

/** Stops the timer (tests that want a quiet process). */
export function stopWebhookWorker(): void {
  if (timer) clearInterval(timer);
  timer = null;
}
