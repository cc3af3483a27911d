// Signing and verifying outgoing webhooks (case opened, response received…) by the Standard Webhooks
// scheme (standardwebhooks.com, spec 1.0.0), so receivers can use any off-the-shelf verifier; plus the retry schedule.
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

const SECRET_PREFIX = "whsec_";
/** The spec asks for a random key of at least 24 bytes; 32 matches the HMAC-SHA256 block strength. */
const SECRET_BYTES = 32;
const MIN_SECRET_BYTES = 24;

export type WebhookHeaders = {
  "webhook-id": string;
  "webhook-timestamp": string;
  "webhook-signature": string;
};

/** A fresh endpoint secret, shown once to the receiver: "whsec_" + base64 of random bytes. */
export function generateWebhookSecret(): string {
  return SECRET_PREFIX + randomBytes(SECRET_BYTES).toString("base64");
}

/** The key bytes of a secret; the "whsec_" prefix is optional, as in the reference libraries. */
export function webhookKey(secret: string): Buffer {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) throw new Error("A webhook secret must be base64 after its whsec_ prefix");
  const key = Buffer.from(encoded, "base64");
  if (key.length < MIN_SECRET_BYTES) throw new Error(`A webhook secret must hold at least ${MIN_SECRET_BYTES} bytes`);
  return key;
}

/**
 * Headers for one delivery attempt. `timestamp` is the attempt's time in unix seconds (it changes on each
 * retry, the id does not). The id may not contain "." — the signed content is dot-delimited, and a dot in
 * the id would let one (id, timestamp) pair pass for another.
 */
export function signWebhook(secret: string, msgId: string, timestamp: number, body: string): WebhookHeaders {
  if (msgId === "" || msgId.includes(".")) throw new Error("A webhook id must be non-empty and contain no '.'");
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) throw new Error("A webhook timestamp is whole unix seconds");
  return {
    "webhook-id": msgId,
    "webhook-timestamp": String(timestamp),
    "webhook-signature": `v1,${hmac(webhookKey(secret), msgId, timestamp, body).toString("base64")}`,
  };
}

export type WebhookVerification =
  | { ok: true; msgId: string; timestamp: number }
  | { ok: false; reason: "missing_headers" | "invalid_timestamp" | "timestamp_too_old" | "timestamp_too_new" | "no_matching_signature" };

/**
 * Checks a received webhook. The body must be the raw bytes as received: re-serialised JSON rarely
 * matches. The header may hold several space-separated signatures (during secret rotation the sender
 * signs with the old and the new key); one valid `v1` signature suffices. The timestamp window defeats replays.
 * A malformed secret throws: that is a configuration error, not a bad request.
 */
export function verifyWebhook(
  secret: string,
  headers: Headers | Record<string, string | string[] | undefined>,
  body: string,
  now: Date,
  toleranceSeconds = 300,
): WebhookVerification {
  const msgId = header(headers, "webhook-id");
  const rawTimestamp = header(headers, "webhook-timestamp");
  const signatures = header(headers, "webhook-signature");
  if (!msgId || !rawTimestamp || !signatures) return { ok: false, reason: "missing_headers" };

  if (!/^\d{1,15}$/.test(rawTimestamp)) return { ok: false, reason: "invalid_timestamp" };
  const timestamp = Number(rawTimestamp);
  const nowSeconds = Math.floor(now.getTime() / 1000);
  if (nowSeconds - timestamp > toleranceSeconds) return { ok: false, reason: "timestamp_too_old" };
  if (timestamp - nowSeconds > toleranceSeconds) return { ok: false, reason: "timestamp_too_new" };

  // Compared as base64 text, like the reference libraries: decoding first would accept padding variants.
  const expected = Buffer.from(hmac(webhookKey(secret), msgId, timestamp, body).toString("base64"), "utf8");
  for (const versioned of signatures.split(" ")) {
    const [version, signature] = versioned.split(",", 2);
    if (version !== "v1" || !signature) continue;
    const received = Buffer.from(signature, "utf8");
    // Lengths are not secret; timingSafeEqual throws on a mismatch, so compare only equal lengths.
    if (received.length === expected.length && timingSafeEqual(received, expected)) {
      return { ok: true, msgId, timestamp };
    }
  }
  return { ok: false, reason: "no_matching_signature" };
}

function hmac(key: Buffer, msgId: string, timestamp: number, body: string): Buffer {
  return createHmac("sha256", key).update(`${msgId}.${timestamp}.${body}`, "utf8").digest();
}

function header(headers: Headers | Record<string, string | string[] | undefined>, name: string): string | undefined {
  if (typeof Headers !== "undefined" && headers instanceof Headers) return headers.get(name) ?? undefined;
  const record = headers as Record<string, string | string[] | undefined>;
  const key = Object.keys(record).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : record[key];
  return Array.isArray(value) ? value.join(" ") : value;
}

/**
 * Delay after each failed attempt, growing roughly sixfold (in the spirit of the spec's example schedule),
 * spread over about a day and a half so a receiver down overnight still gets its events.
 */
export const RETRY_DELAYS_MS = [
  5_000, // 5 s
  30_000, // 30 s
  2 * 60_000, // 2 min
  10 * 60_000, // 10 min
  60 * 60_000, // 1 h
  6 * 60 * 60_000, // 6 h
  24 * 60 * 60_000, // 24 h
] as const;

/** First delivery plus one retry per delay above. */
export const MAX_DELIVERY_ATTEMPTS = RETRY_DELAYS_MS.length + 1;

/** Each delay varies by up to ±20 % so endpoints that failed together are not all retried in the same second. */
export const RETRY_JITTER = 0.2;

/**
 * How long to wait after attempt number `attempt` (1 = the first delivery) failed, or null when that was
 * the last attempt and the delivery should be marked failed. `jitter` in [0, 1] is injected so the
 * schedule stays pure: 0 gives the shortest delay, 1 the longest, 0.5 the nominal one.
 */
export function retrySchedule(attempt: number, jitter = 0.5): number | null {
  if (!Number.isInteger(attempt) || attempt < 1) throw new Error("Attempts are counted from 1");
  if (attempt >= MAX_DELIVERY_ATTEMPTS) return null;
  const base = RETRY_DELAYS_MS[attempt - 1];
  const j = Math.min(1, Math.max(0, jitter));
  return Math.round(base * (1 + RETRY_JITTER * (2 * j - 1)));
}
