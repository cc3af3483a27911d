// The in-process webhook sender. Deliveries are rows written in the transaction of the change they
// report; after the commit `kickWebhookDelivery()` wakes this worker, which signs each due delivery
// (Standard Webhooks), POSTs it with a 5 s timeout, and records the outcome: delivered, or the next
// attempt per retrySchedule, or failed after the last one. An unref'd timer (poller.server.ts), started
// by server.js at boot (background.server.ts), picks up retries as they fall due. Nothing here ever
// throws into a request: a failing receiver is the receiver's problem, shown in the delivery log,
// never the respondent's.
//
// Where a delivery may go is decided when it is sent, by address, not by the URL's text: the host is
// resolved and every address it resolves to must be public (app/web/public-address.ts), and the
// connection is made to those checked addresses (the request's own lookup answers with them), so a
// name that resolves elsewhere between the check and the connection (DNS rebinding) cannot slip by.
// VIVENCIA_WEBHOOKS_ALLOW_LOCAL=1 (tests, trials) and non-production processes skip the check.
import dns from "node:dns";
import http from "node:http";
import https from "node:https";
import { isIP, type LookupFunction } from "node:net";
import { and, asc, eq, lte, or, sql } from "drizzle-orm";
import { getDb, instantParam, isPostgres, rows } from "#db/client";
import { webhookDeliveries, webhookEndpoints } from "#db/schema/index";
import { retrySchedule, signWebhook } from "~/cem/webhook-signature";
import { createPoller } from "~/data/poller.server";
import { localWebhooksAllowed } from "~/data/webhooks.server";
import { nonPublicReason } from "~/web/public-address";

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
    const code = (error as { code?: string }).code;
    if (code) return `Connection failed (${code})`;
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    if (cause?.code) return `Connection failed (${cause.code})`;
    if (cause?.message) return `Connection failed (${cause.message})`;
    return error.message;
  }
  return String(error);
}

export type ResolvedAddress = { address: string; family: number };
/** Every address a host name resolves to (the system's resolver, as a connection would use it). */
export type HostResolver = (hostname: string) => Promise<ResolvedAddress[]>;
const systemResolver: HostResolver = (hostname) => dns.promises.lookup(hostname, { all: true, verbatim: true });

/**
 * The addresses a delivery to `hostname` may connect to: all it resolves to, each of them public;
 * or why not. An IP literal is its own address. Any non-public address refuses the whole host: a
 * name that also resolves inside the network is not an endpoint on the internet.
 */
export async function deliveryAddresses(
  hostname: string,
  resolve: HostResolver = systemResolver,
): Promise<{ ok: true; addresses: ResolvedAddress[] } | { ok: false; error: string }> {
  const host = hostname.replace(/^\[|\]$/g, "");
  let addresses: ResolvedAddress[];
  if (isIP(host)) addresses = [{ address: host, family: isIP(host) }];
  else {
    try {
      addresses = await resolve(host);
    } catch (error) {
      return { ok: false, error: `Cannot resolve ${host}: ${describeFailure(error)}` };
    }
  }
  if (addresses.length === 0) return { ok: false, error: `Cannot resolve ${host}: no address` };
  for (const { address } of addresses) {
    const reason = nonPublicReason(address);
    if (reason !== null) {
      return { ok: false, error: `Refused: ${host} ${address === host ? "is" : `resolves to ${address},`} ${reason}, not a public address` };
    }
  }
  return { ok: true, addresses };
}

/** A lookup that answers with the addresses already checked, whatever the name: the connection goes there. */
function pinnedLookup(addresses: ResolvedAddress[]): LookupFunction {
  return (_hostname, options, callback) => {
    if (options.all) (callback as (error: null, addresses: ResolvedAddress[]) => void)(null, addresses);
    else callback(null, addresses[0].address, addresses[0].family);
  };
}

/** The POST itself: the status and the start of the body; rejects on connection failure or timeout. */
function post(url: URL, headers: Record<string, string>, payload: string, lookup: LookupFunction | undefined) {
  return new Promise<{ status: number; text: string }>((resolve, reject) => {
    const client = url.protocol === "https:" ? https : http;
    const request = client.request(
      url,
      {
        method: "POST",
        headers: { ...headers, "Content-Length": String(Buffer.byteLength(payload)) },
        lookup,
        // A connection of its own: a pooled socket could outlive the check it was made under.
        agent: false,
        signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on("data", (chunk: Buffer) => {
          if (size < 4096) chunks.push(chunk);
          size += chunk.length;
        });
        response.on("end", () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
        response.on("error", reject);
        // Cut off mid-body (the timeout, a reset): no "end" comes.
        response.on("close", () => {
          if (!response.complete) reject(Object.assign(new Error("The answer was cut off"), { name: "AbortError" }));
        });
      },
    );
    request.on("error", reject);
    request.end(payload);
  });
}

/**
 * One signed POST; every failure comes back as an outcome, never as an exception. A redirect is not
 * followed: the signed request goes only where the admin said. `resolve` is the host resolver
 * (the system's unless a test gives another).
 */
export async function attemptDelivery(
  url: string,
  secret: string,
  msgId: string,
  payload: string,
  options: { resolve?: HostResolver } = {},
): Promise<AttemptOutcome> {
  const started = Date.now();
  let headers: Record<string, string>;
  try {
    headers = { ...signWebhook(secret, msgId, Math.floor(started / 1000), payload) };
  } catch (error) {
    return { ok: false, responseCode: null, error: `Cannot sign: ${describeFailure(error)}`, durationMs: 0 };
  }
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return { ok: false, responseCode: null, error: "The endpoint's URL cannot be read", durationMs: 0 };
  }
  let lookup: LookupFunction | undefined;
  if (!localWebhooksAllowed()) {
    const checked = await deliveryAddresses(target.hostname, options.resolve);
    if (!checked.ok) return { ok: false, responseCode: null, error: checked.error, durationMs: Date.now() - started };
    lookup = pinnedLookup(checked.addresses);
  }
  try {
    const res = await post(target, { ...headers, "Content-Type": "application/json", "User-Agent": USER_AGENT }, payload, lookup);
    const ok = res.status >= 200 && res.status < 300;
    const text = res.text.trim().replace(/\s+/g, " ").slice(0, 200);
    const error = ok ? null : `HTTP ${res.status}${text ? `: ${text}` : ""}`;
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

const poller = createPoller({
  intervalMs: POLL_MS,
  // A full batch means more may be waiting: the next one goes at once.
  tick: async () => (await deliverDueWebhooks()) >= BATCH,
  onError: warnOnce,
});

/** Starts the retry timer once per process; unref'd, so it never keeps a process (or a test run) alive. */
export function ensureWebhookWorker(): void {
  poller.start();
}

/** Call after a commit that may have enqueued deliveries: they go out now, outside the request. */
export function kickWebhookDelivery(): void {
  try {
    ensureWebhookWorker();
    poller.kick();
  } catch (error) {
    warnOnce(error);
  }
}

/**
 * Stops the timer (at shutdown, and in tests that want a quiet process); resolves once a round of
 * deliveries in progress has recorded its outcomes. A later kick starts the worker again.
 */
export function stopWebhookWorker(): Promise<void> {
  return poller.stop();
}
