import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  MAX_DELIVERY_ATTEMPTS,
  generateWebhookSecret,
  retrySchedule,
  signWebhook,
  verifyWebhook,
} from "~/cem/webhook-signature";

/**
 * Independent reference, written from the Standard Webhooks spec (standardwebhooks.com, "Signature scheme"):
 * key = base64-decode(secret without "whsec_"); signature = "v1," + base64(HMAC-SHA256(key, "id.timestamp.body")).
 */
function referenceSignature(secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  return "v1," + createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest("base64");
}

// The published test vector of the reference JavaScript library (standard-webhooks, webhook.test.ts).
const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const msgId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
const timestamp = 1614265330;
const body = '{"test": 2432232314}';
const at = (seconds: number) => new Date(seconds * 1000);

describe("signWebhook", () => {
  it("matches the spec's test vector and the independent reference", () => {
    const headers = signWebhook(secret, msgId, timestamp, body);
    expect(headers).toEqual({
      "webhook-id": msgId,
      "webhook-timestamp": "1614265330",
      "webhook-signature": "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
    });
    expect(headers["webhook-signature"]).toBe(referenceSignature(secret, msgId, timestamp, body));
  });

  it("signs unicode bodies as UTF-8, like the reference", () => {
    const fresh = generateWebhookSecret();
    const text = '{"comentario":"atención pésima 😞"}';
    expect(signWebhook(fresh, "msg_1", 1_700_000_000, text)["webhook-signature"]).toBe(
      referenceSignature(fresh, "msg_1", 1_700_000_000, text),
    );
  });

  it("rejects ids with a dot and fractional timestamps", () => {
    expect(() => signWebhook(secret, "msg.1", timestamp, body)).toThrow();
    expect(() => signWebhook(secret, msgId, 1.5, body)).toThrow();
  });
});

describe("generateWebhookSecret", () => {
  it("is whsec_ + base64 of 32 random bytes", () => {
    const a = generateWebhookSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(a.slice(6), "base64")).toHaveLength(32);
    expect(generateWebhookSecret()).not.toBe(a);
  });
});

describe("verifyWebhook", () => {
  const referenceHeaders = {
    "Webhook-Id": msgId, // header names are case-insensitive
    "webhook-timestamp": String(timestamp),
    "webhook-signature": referenceSignature(secret, msgId, timestamp, body),
  };

  it("accepts a signature made by the reference implementation", () => {
    expect(verifyWebhook(secret, referenceHeaders, body, at(timestamp + 10))).toEqual({ ok: true, msgId, timestamp });
    expect(verifyWebhook(secret, new Headers(referenceHeaders), body, at(timestamp)).ok).toBe(true);
    // The prefix is optional, as in the reference libraries.
    expect(verifyWebhook(secret.slice(6), referenceHeaders, body, at(timestamp)).ok).toBe(true);
  });

  it("fails on a tampered body, id or timestamp", () => {
    expect(verifyWebhook(secret, referenceHeaders, '{"test": 2432232315}', at(timestamp))).toEqual({
      ok: false,
      reason: "no_matching_signature",
    });
    expect(verifyWebhook(secret, { ...referenceHeaders, "Webhook-Id": "msg_other" }, body, at(timestamp)).ok).toBe(false);
    expect(verifyWebhook(secret, { ...referenceHeaders, "webhook-timestamp": String(timestamp + 1) }, body, at(timestamp)).ok).toBe(false);
    expect(verifyWebhook(generateWebhookSecret(), referenceHeaders, body, at(timestamp)).ok).toBe(false);
  });

  it("fails on a stale or future timestamp beyond the tolerance", () => {
    expect(verifyWebhook(secret, referenceHeaders, body, at(timestamp + 300)).ok).toBe(true);
    expect(verifyWebhook(secret, referenceHeaders, body, at(timestamp + 301))).toEqual({ ok: false, reason: "timestamp_too_old" });
    expect(verifyWebhook(secret, referenceHeaders, body, at(timestamp - 301))).toEqual({ ok: false, reason: "timestamp_too_new" });
    expect(verifyWebhook(secret, referenceHeaders, body, at(timestamp + 3600), 7200).ok).toBe(true);
  });

  it("accepts any one valid v1 signature among several, ignoring other versions", () => {
    const valid = referenceHeaders["webhook-signature"];
    const other = "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=";
    const rotated = { ...referenceHeaders, "webhook-signature": `${other} v1a,${valid.slice(3)} ${valid}` };
    expect(verifyWebhook(secret, rotated, body, at(timestamp)).ok).toBe(true);
    const wrongVersion = { ...referenceHeaders, "webhook-signature": `v2,${valid.slice(3)} ${other}` };
    expect(verifyWebhook(secret, wrongVersion, body, at(timestamp)).ok).toBe(false);
    const truncated = { ...referenceHeaders, "webhook-signature": valid.slice(0, 12) };
    expect(verifyWebhook(secret, truncated, body, at(timestamp)).ok).toBe(false);
  });

  it("reports missing and malformed headers", () => {
    const { "webhook-signature": _dropped, ...noSignature } = referenceHeaders;
    expect(verifyWebhook(secret, noSignature, body, at(timestamp))).toEqual({ ok: false, reason: "missing_headers" });
    expect(verifyWebhook(secret, { ...referenceHeaders, "webhook-timestamp": "soon" }, body, at(timestamp))).toEqual({
      ok: false,
      reason: "invalid_timestamp",
    });
  });

  it("round-trips with a fresh secret", () => {
    const fresh = generateWebhookSecret();
    const headers = signWebhook(fresh, "msg_42", 1_700_000_000, '{"type":"case.opened"}');
    expect(verifyWebhook(fresh, headers, '{"type":"case.opened"}', at(1_700_000_100)).ok).toBe(true);
  });
});

describe("retrySchedule", () => {
  it("backs off 5 s, 30 s, 2 min, 10 min, 1 h, 6 h, 24 h and then gives up", () => {
    const nominal = [1, 2, 3, 4, 5, 6, 7].map((attempt) => retrySchedule(attempt));
    expect(nominal).toEqual([5_000, 30_000, 120_000, 600_000, 3_600_000, 21_600_000, 86_400_000]);
    expect(MAX_DELIVERY_ATTEMPTS).toBe(8);
    expect(retrySchedule(8)).toBeNull();
    expect(retrySchedule(9)).toBeNull();
  });

  it("keeps jitter within ±20 %", () => {
    expect(retrySchedule(1, 0)).toBe(4_000);
    expect(retrySchedule(1, 1)).toBe(6_000);
    expect(retrySchedule(2, 0.25)).toBe(27_000);
    expect(retrySchedule(1, 7)).toBe(6_000); // clamped
    expect(() => retrySchedule(0)).toThrow();
  });
});
