// The rate-limit policies and their answers: how many requests each kind of client may make in a
// window, counted in the database shared by every node (app/data/rate-limits.server.ts, ADR 017),
// and the 429 a refused request gets — with Retry-After and a message that says when to try again:
// in the interface language on pages, a JSON problem body on the API.
//
// Every limit can be set by environment, `RATE_LIMIT_<POLICY>=<hits>/<window seconds>` (or just
// `<hits>` to keep the window), e.g. RATE_LIMIT_SIGN_IN_ACCOUNT=5/600. Windows are at most an hour.
import { data, type AppLoadContext } from "@remix-run/node";
import { skipWhenUnwritable } from "#db/unwritable";
import { problemBody } from "~/api/errors";
import { sha256 } from "~/auth/tokens.server";
import { auditSignIn } from "~/data/audit.server";
import { LONGEST_WINDOW_MS, RateCounter, type CountMode, type RateDecision } from "~/data/rate-limits.server";
import { requestLang } from "~/i18n/lang.server";
import { translator } from "~/i18n/messages";
import { clientAddress } from "~/web/context";

type Policy = { limit: number; windowS: number; mode: CountMode };

/**
 * The defaults (README, "Rate limits"; ADR 017 says why these numbers):
 * - sign-in: 10 attempts per account (the e-mail, hashed; known or not) and 100 per client address
 *   in 15 minutes — a person who forgot a password is not stopped, a guesser gets 40 tries an hour;
 * - sign-up: 10 accounts per address an hour;
 * - anonymous answers (POST /s/:token, /p/:token, progress saves included): 300 a minute per link
 *   (a QR code at a busy counter) and 120 a minute per address (a shop's or an office's NAT);
 * - the API: 180,000 requests a minute per token (3,000 a second), above what one node ingests
 *   (about 1,750 responses a second, docs/benchmarks.md), so one integration may use a node's whole
 *   capacity but a runaway or stolen token cannot take several nodes'.
 */
const DEFAULTS = {
  SIGN_IN_ACCOUNT: { limit: 10, windowS: 900, mode: "exact" },
  SIGN_IN_ADDRESS: { limit: 100, windowS: 900, mode: "exact" },
  SIGN_UP_ADDRESS: { limit: 10, windowS: 3600, mode: "exact" },
  RESPOND_TOKEN: { limit: 300, windowS: 60, mode: "batched" },
  RESPOND_ADDRESS: { limit: 120, windowS: 60, mode: "batched" },
  API_TOKEN: { limit: 180_000, windowS: 60, mode: "batched" },
} as const satisfies Record<string, Policy>;

export type PolicyName = keyof typeof DEFAULTS;

const parsed = new Map<PolicyName, { raw: string | undefined; policy: Policy }>();

/** A policy with its environment override; an override that does not parse is reported and ignored. */
export function policy(name: PolicyName): Policy {
  const raw = process.env[`RATE_LIMIT_${name}`]?.trim() || undefined;
  const known = parsed.get(name);
  if (known && known.raw === raw) return known.policy;
  const base: Policy = DEFAULTS[name];
  let result = base;
  if (raw !== undefined) {
    const match = /^(\d+)(?:\/(\d+))?$/.exec(raw);
    const limit = match ? Number(match[1]) : NaN;
    const windowS = match?.[2] ? Number(match[2]) : base.windowS;
    if (match && limit >= 1 && windowS >= 1 && windowS * 1000 <= LONGEST_WINDOW_MS) result = { ...base, limit, windowS };
    else console.warn(`[rate-limits] RATE_LIMIT_${name}=${raw} is not "<hits>/<seconds>" (seconds up to ${LONGEST_WINDOW_MS / 1000}); using ${base.limit}/${base.windowS}.`);
  }
  parsed.set(name, { raw, policy: result });
  return result;
}

/** The process's counters; batched hits reach the database every RATE_LIMIT_FLUSH_MS (1,000). */
export const rateCounter = new RateCounter(() => Number(process.env.RATE_LIMIT_FLUSH_MS || 1_000));

/** Hashed: the table holds no e-mail, address or capability token in clear. */
const key = (text: string) => sha256(text).slice(0, 32);

/**
 * One hit of `name` for `subject`: an e-mail, address or link token is hashed into the bucket name;
 * a row id (an API token's) is named as is, which also spares the ingest path a hash per request.
 */
export function hit(name: PolicyName, subject: string | number, now = Date.now()): Promise<RateDecision> {
  const { limit, windowS, mode } = policy(name);
  const bucket = `${name.toLowerCase()}:${typeof subject === "number" ? subject : key(subject)}`;
  // While the database cannot be written (full disk, read-only file) nothing can be counted: the
  // request is let through, so reads keep working (a write it makes is refused with 503 anyway).
  return rateCounter.hit(bucket, limit, windowS * 1000, mode, now).catch((error: unknown) => {
    skipWhenUnwritable(error);
    return { allowed: true, retryAfterMs: 0, firstRefusal: false };
  });
}

/** The first refusal among several policies, checked in order (a refused one stops the rest being counted). */
async function firstRefused(checks: [PolicyName, string][]): Promise<(RateDecision & { policy: PolicyName }) | null> {
  for (const [name, subject] of checks) {
    const decision = await hit(name, subject);
    if (!decision.allowed) return { ...decision, policy: name };
  }
  return null;
}

const retrySeconds = (decision: RateDecision) => Math.max(1, Math.ceil(decision.retryAfterMs / 1000));

/** What a refused page request shows and sends: the message in the person's language, and Retry-After. */
export type PageRefusal = { message: string; headers: Record<string, string> };

async function pageRefusal(request: Request, decision: RateDecision): Promise<PageRefusal> {
  const t = translator(await requestLang(request));
  const seconds = retrySeconds(decision);
  const message = seconds < 90 ? t("security.limited.seconds", { seconds }) : t("security.limited.minutes", { minutes: Math.ceil(seconds / 60) });
  return { message, headers: { "Retry-After": String(seconds) } };
}

/**
 * A sign-in attempt, checked before the password is (scrypt costs 64 MiB): per client address, then
 * per account. The account is the e-mail whether or not anyone has it, so the answer never tells.
 */
export async function limitSignIn(request: Request, context: AppLoadContext | undefined, email: string): Promise<PageRefusal | null> {
  const address = clientAddress(context);
  const refused = await firstRefused([
    ["SIGN_IN_ADDRESS", address],
    ["SIGN_IN_ACCOUNT", email.trim().toLowerCase()],
  ]);
  if (!refused) return null;
  // One line per window and bucket, not one per refused request: a flood must not fill the log.
  if (refused.firstRefusal) await auditSignIn({ email, userId: null, outcome: "limited", ip: address, detail: { limit: refused.policy } });
  return pageRefusal(request, refused);
}

export async function limitSignUp(request: Request, context: AppLoadContext | undefined): Promise<PageRefusal | null> {
  const refused = await firstRefused([["SIGN_UP_ADDRESS", clientAddress(context)]]);
  return refused ? pageRefusal(request, refused) : null;
}

/** An anonymous answer or progress save on /s/:token or /p/:token: per client address, then per link. */
export async function limitRespondent(request: Request, context: AppLoadContext | undefined, token: string): Promise<PageRefusal | null> {
  const refused = await firstRefused([
    ["RESPOND_ADDRESS", clientAddress(context)],
    ["RESPOND_TOKEN", token],
  ]);
  return refused ? pageRefusal(request, refused) : null;
}

/** A refused page action's answer: the route's own body (carrying the message) with 429 and Retry-After. */
export function tooManyRequests<T>(body: T, refusal: PageRefusal) {
  return data(body, { status: 429, headers: refusal.headers });
}

/** The API's refusal: a JSON problem body, 429 and Retry-After (the shape of app/api/responses.server.ts's ApiReply). */
export type ApiRefusal = { status: 429; body: ReturnType<typeof problemBody>; headers: Record<string, string> };

/** An API call with a workspace token (every /api/v1 endpoint): null when within the token's limit. */
export async function limitApiToken(tokenId: number): Promise<ApiRefusal | null> {
  const decision = await hit("API_TOKEN", tokenId);
  if (decision.allowed) return null;
  const seconds = retrySeconds(decision);
  const { limit, windowS } = policy("API_TOKEN");
  return {
    status: 429,
    body: problemBody("rate_limited", `This token made more than ${limit} requests in ${windowS} s; try again in ${seconds} s.`),
    headers: { "Retry-After": String(seconds) },
  };
}

/** A sign-in's outcome in the audit log, with the client's address. */
export function auditSignInAttempt(context: AppLoadContext | undefined, email: string, userId: number | null): Promise<void> {
  return auditSignIn({ email, userId, outcome: userId === null ? "failed" : "ok", ip: clientAddress(context) });
}
