// The in-process webhook sender. Deliveries are rows written in the transaction of the change they
// report; after the commit `kickWebhookDelivery()` wakes this worker, which signs each due delivery
// (Standard Webhooks), POSTs it with a 5 s timeout, and records the outcome: delivered, or the next
// attempt per retrySchedule, or failed after the last one. An unref'd timer, started by server.js at
// boot (background.server.ts), picks up retries as they fall due. Nothing here ever throws into a
// request: a failing receiver is the receiver's problem, shown in the delivery log, never the
// respondent's.
import { and, asc, eq, lte, or, sql } from "drizzle-orm";
import { getDb, instantParam, isPostgres, rows } from "#db/client";
import { webhookDeliveries, webhookEndpoints } from "#db/schema/index";
import { retrySchedule, signWebhook } from "~/cem/webhook-signature";

export const DELIVERY_TIMEOUT_MS = 5_000;
const POLL_MS = 1_000;
/** A delivery being sent is leased; a crashed process's lease runs out and another worker retries it. */
const LEASE_MS = 30_000;
const BATCH = 20;
const CONCURRENCY = 4;
const USER_AGENT = "Vivencia-Webhooks/1.0";

type DueRow = { id: number; endpointId: number; msgId: string; payload: string; attempts: number };

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

/** Due by `now`: waiting for its attempt, or being sent by a worker whose lease ran out. */
function isDue(now: Date) {
  return or(
    and(eq(webhookDeliveries.status, "pending"), lte(webhookDeliveries.nextAttemptAt, now)),
    and(eq(webhookDeliveries.status, "sending"), lte(webhookDeliveries.leaseUntil, now)),
  );
}

/** Records an attempt's outcome and releases the lease. */
async function record(o: Outcome): Promise<void> {
  await getDb()
    .update(webhookDeliveries)
    .set({
      status: o.status,
      attempts: o.attempts,
      nextAttemptAt: o.next === null ? null : new Date(o.next),
      lastAttemptAt: new Date(o.at),
      responseCode: o.code,
      error: o.error,
      durationMs: o.duration,
      deliveredAt: o.delivered === null ? null : new Date(o.delivered),
      leaseUntil: null,
    })
    .where(eq(webhookDeliveries.id, o.id));
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
  const [endpoint] = await getDb()
    .select({ url: webhookEndpoints.url, secret: webhookEndpoints.secret, active: webhookEndpoints.active })
    .from(webhookEndpoints)
    .where(eq(webhookEndpoints.id, row.endpointId))
    .limit(1);
  const now = Date.now();
  if (!endpoint || !endpoint.active) {
    await record({
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
    await record({ ...base, status: "delivered", next: null, error: null, delivered: at });
    return;
  }
  const delay = retrySchedule(attempts, Math.random());
  await record({ ...base, status: delay === null ? "failed" : "pending", next: delay === null ? null : at + delay, error: outcome.error, delivered: null });
}

/**
 * Sends every delivery due by `now` (up to one batch), a few at a time. Returns how many it took.
 * Exported for tests; the app calls kickWebhookDelivery().
 */
export async function deliverDueWebhooks(now = new Date()): Promise<number> {
  const db = getDb();
  // Most ticks find nothing due: a plain read, no transaction (nor write lock) for them.
  const [anyDue] = await db.select({ id: webhookDeliveries.id }).from(webhookDeliveries).where(isDue(now)).limit(1);
  if (!anyDue) return 0;
  // The claim is one transaction: the due rows and their conditional updates. Of two workers (or
  // nodes), only the one whose update still finds a row due gets it back, so none is sent twice. On
  // PostgreSQL the rows another node is claiming are skipped (FOR UPDATE SKIP LOCKED), not waited for.
  const claimed = await db.transaction(async (tx) => {
    const due = isPostgres()
      ? await rows<{ id: number }>(
          sql`SELECT id FROM webhook_deliveries
              WHERE (status = 'pending' AND next_attempt_at <= ${instantParam(now)})
                 OR (status = 'sending' AND lease_until <= ${instantParam(now)})
              ORDER BY next_attempt_at LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`,
        )
      : await tx
          .select({ id: webhookDeliveries.id })
          .from(webhookDeliveries)
          .where(isDue(now))
          .orderBy(asc(webhookDeliveries.nextAttemptAt))
          .limit(BATCH);
    const claimedRows: DueRow[] = [];
    for (const { id } of due) {
      const [row] = await tx
        .update(webhookDeliveries)
        .set({ status: "sending", leaseUntil: new Date(Date.now() + LEASE_MS) })
        .where(and(eq(webhookDeliveries.id, id), isDue(now)))
        .returning({
          id: webhookDeliveries.id,
          endpointId: webhookDeliveries.endpointId,
          msgId: webhookDeliveries.msgId,
          payload: webhookDeliveries.payload,
          attempts: webhookDeliveries.attempts,
        });
      if (row) claimedRows.push(row);
    }
    return claimedRows;
  });
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
