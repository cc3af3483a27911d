// Rate limits: the shared counter in the database (one upsert per hit or per flush, windows that
// restart, refusals answered from memory, two nodes sharing one limit) and the policies over real
// HTTP — sign-in per account (known or not, the same answer) and per address, sign-up per address,
// anonymous answers per address and per link, the API per token across the fast route, the Remix
// routes and two server processes. Limits are lowered through the environment.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { rows } from "#db/client";
import { sha256 } from "~/auth/tokens.server";
import { createApiToken } from "~/data/api-tokens.server";
import { createPulse } from "~/data/clienting.server";
import { addHit, RateCounter, sweepRateLimits } from "~/data/rate-limits.server";
import { freshDatabasePath, removeDatabase } from "../support/database";
import { PASSWORD, importSample, makeUser, makeWorkspace } from "../support/fixtures";
import { startServer, type RunningServer } from "../support/server";
import { makeSurveyFixture, type SurveyFixture } from "../support/survey-fixtures";

const dbFile = freshDatabasePath("rate-limits");
const LIMITS = {
  RATE_LIMIT_SIGN_IN_ACCOUNT: "3/900",
  RATE_LIMIT_SIGN_IN_ADDRESS: "5/900",
  RATE_LIMIT_SIGN_UP_ADDRESS: "2/3600",
  RATE_LIMIT_RESPOND_ADDRESS: "4/60",
  RATE_LIMIT_RESPOND_TOKEN: "6/60",
  RATE_LIMIT_API_TOKEN: "5/60",
  // Every request names its client address in X-Forwarded-For, so each test has addresses of its own.
  TRUST_PROXY: "1",
};
let server: RunningServer;
let second: RunningServer | undefined;
let ws: number;
let ownerId: number;
let survey: SurveyFixture;
let pulseToken: string;

beforeAll(async () => {
  const owner = await makeUser("owner@limits.test");
  ownerId = owner.id;
  ws = (await makeWorkspace("limits", owner.id)).id;
  await importSample(ws);
  survey = await makeSurveyFixture(ws, { touchpointKey: "bank-branch-welcome" });
  pulseToken = (await createPulse(ws, { title: "Pulse", opensOn: "2020-01-01", closesOn: null }, owner.id)).publicToken;
  server = await startServer(dbFile, LIMITS);
}, 120_000);

afterAll(async () => {
  await second?.stop();
  await server?.stop();
  removeDatabase(dbFile);
});

/** The stored row of a bucket (policy name in lower case, subject hashed as the app hashes it). */
async function bucketRow(bucket: string) {
  const [row] = await rows<{ hits: number; windowStart: number }>(sql`SELECT hits, window_start AS "windowStart" FROM rate_limits WHERE bucket = ${bucket}`);
  return row ?? null;
}
const bucketOf = (policy: string, subject: string) => `${policy}:${sha256(subject).slice(0, 32)}`;

/** Polls until `check` holds (a flush happens within a second); fails after 10 s. */
async function until(check: () => Promise<boolean>, what: string) {
  const deadline = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("the shared counter", () => {
  it("counts a bucket's hits in one window and starts a new window once it has passed", async () => {
    const t0 = 1_700_000_000_000;
    expect(await addHit("test:window", 60_000, t0)).toEqual({ windowStart: t0, hits: 1 });
    expect(await addHit("test:window", 60_000, t0 + 59_999)).toEqual({ windowStart: t0, hits: 2 });
    expect(await addHit("test:window", 60_000, t0 + 60_000)).toEqual({ windowStart: t0 + 60_000, hits: 1 });
  });

  it("exact: refuses past the limit, says until when, and answers later refusals without a write", async () => {
    const counter = new RateCounter();
    const t0 = Date.now();
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await counter.hit("test:exact", 3, 60_000, "exact", t0 + i * 1000));
    expect(results.map((r) => r.allowed)).toEqual([true, true, true, false, false]);
    expect(results[3]).toMatchObject({ firstRefusal: true, retryAfterMs: 57_000 });
    expect(results[4]).toMatchObject({ firstRefusal: false, retryAfterMs: 56_000 });
    // The fourth hit was counted (and refused); the fifth never reached the database.
    expect((await bucketRow("test:exact"))?.hits).toBe(4);
    // A new window: allowed again.
    expect((await counter.hit("test:exact", 3, 60_000, "exact", t0 + 60_000)).allowed).toBe(true);
    expect((await bucketRow("test:exact"))?.hits).toBe(1);
  });

  it("batched: one node is exact; two nodes share one total through the flushes", async () => {
    const a = new RateCounter(() => 60_000);
    const b = new RateCounter(() => 60_000);
    const now = Date.now();
    const hit = (node: RateCounter) => node.hit("test:batched", 8, 60_000, "batched", now);
    for (let i = 0; i < 5; i++) expect((await hit(a)).allowed).toBe(true);
    // The first hit was written at once (it told node A the window), the other four wait in memory.
    expect((await bucketRow("test:batched"))?.hits).toBe(1);
    await a.flush(now);
    expect((await bucketRow("test:batched"))?.hits).toBe(5);
    // Node B learns the shared total with its first hit, and stops at the limit.
    expect((await hit(b)).allowed).toBe(true);
    expect((await hit(b)).allowed).toBe(true);
    expect((await hit(b)).allowed).toBe(true);
    const refused = await hit(b);
    expect(refused).toMatchObject({ allowed: false, firstRefusal: true });
    await b.flush(now);
    expect((await bucketRow("test:batched"))?.hits).toBe(8);
    // Node A, whose total is a flush old, learns it once it flushes again.
    expect((await hit(a)).allowed).toBe(true);
    await a.flush(now);
    expect((await hit(a)).allowed).toBe(false);
    a.reset();
    b.reset();
  });

  it("sweeps rows whose window is over an hour old, and only those", async () => {
    await addHit("test:old", 60_000, Date.now() - 2 * 3_600_000);
    await addHit("test:fresh", 60_000, Date.now());
    await sweepRateLimits();
    expect(await bucketRow("test:old")).toBeNull();
    expect(await bucketRow("test:fresh")).not.toBeNull();
  });
});

function post(path: string, form: Record<string, string>, address: string, lang = "es") {
  return fetch(server.url + path, {
    method: "POST",
    body: new URLSearchParams(form),
    headers: { "X-Forwarded-For": address, "Accept-Language": lang },
    redirect: "manual",
  });
}

describe("sign-in", () => {
  it("limits attempts per account, known or not, with the same answer, before the password is checked", async () => {
    const known = await makeUser("known@limits.test");
    const outcomes: Record<string, { status: number; retryAfter: string | null; text: string }[]> = {};
    for (const email of [known.email, "nobody@limits.test"]) {
      outcomes[email] = [];
      // A different address per attempt: only the account's limit applies.
      for (let i = 0; i < 4; i++) {
        const res = await post("/login", { email, password: "wrong-password" }, `10.1.${email.length}.${i}`);
        outcomes[email].push({ status: res.status, retryAfter: res.headers.get("Retry-After"), text: await res.text() });
      }
    }
    for (const attempts of Object.values(outcomes)) {
      expect(attempts.map((a) => a.status)).toEqual([400, 400, 400, 429]);
      const seconds = Number(attempts[3].retryAfter);
      expect(seconds).toBeGreaterThan(800);
      expect(seconds).toBeLessThanOrEqual(900);
      expect(attempts[3].text).toContain("Se puede volver a intentar dentro de 15 minutos.");
    }
    // Now even the right password is refused: the limit comes first.
    const right = await post("/login", { email: known.email, password: PASSWORD }, "10.1.99.1", "en");
    expect(right.status).toBe(429);
    expect(await right.text()).toContain("You can try again in 15 minutes.");
    // The bucket is the e-mail's hash, never the e-mail.
    expect((await bucketRow(bucketOf("sign_in_account", known.email)))?.hits).toBe(4);
    expect(await rows(sql`SELECT bucket FROM rate_limits WHERE bucket LIKE ${"%limits.test%"}`)).toEqual([]);
  });

  it("limits attempts per client address across accounts", async () => {
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await post("/login", { email: `someone${i}@limits.test`, password: "x" }, "10.2.0.1")).status);
    expect(statuses).toEqual([400, 400, 400, 400, 400, 429]);
    // Another address is not affected.
    expect((await post("/login", { email: "someone9@limits.test", password: "x" }, "10.2.0.2")).status).toBe(400);
  });
});

describe("sign-up", () => {
  it("limits new accounts per client address", async () => {
    const statuses = [];
    for (let i = 0; i < 3; i++) {
      const res = await post("/signup", { name: `New ${i}`, email: `new${i}@limits.test`, password: "a-long-password-1" }, "10.3.0.1", "en");
      statuses.push(res.status);
      if (res.status === 429) expect(await res.text()).toContain("Too many attempts in a short time.");
    }
    expect(statuses).toEqual([302, 302, 429]);
    expect((await post("/signup", { name: "Other", email: "new9@limits.test", password: "a-long-password-1" }, "10.3.0.2")).status).toBe(302);
  });
});

describe("anonymous answers", () => {
  const progress = { intent: "progress", progress: JSON.stringify({ data: {}, page: 0 }) };

  it("limits POSTs to /s/:token per client address and per link, with Retry-After", async () => {
    const path = `/s/${survey.publicToken}`;
    const fromA = [];
    for (let i = 0; i < 5; i++) fromA.push(await post(path, progress, "10.4.0.1"));
    expect(fromA.map((r) => r.status)).toEqual([200, 200, 200, 200, 429]);
    expect(Number(fromA[4].headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(await fromA[4].text()).toContain("Se puede volver a intentar dentro de");
    // As the page's fetcher asks (single fetch): the refusal is the outcome the survey shows, answers kept.
    const fetched = await post(`${path}.data`, progress, "10.4.0.1", "en");
    expect(fetched.status).toBe(429);
    expect(fetched.headers.get("Retry-After")).toMatch(/^\d+$/);
    expect(await fetched.text()).toMatch(/"invalid".*You can try again in \d+ seconds\./);
    // The link has taken 4 of its 6: two more from another address, then the link is closed to all.
    const fromB = [];
    for (let i = 0; i < 3; i++) fromB.push((await post(path, progress, "10.4.0.2")).status);
    expect(fromB).toEqual([200, 200, 429]);
    expect((await post(path, progress, "10.4.0.3")).status).toBe(429);
    // Another link from a fresh address still answers.
    expect((await post(`/s/not-a-link-${Date.now()}`, progress, "10.4.0.4")).status).toBe(404);
  });

  it("limits POSTs to /p/:token the same way", async () => {
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await post(`/p/${pulseToken}`, { data: "x" }, "10.5.0.1")).status);
    // Answers that do not validate are refused (400) and still count.
    expect(statuses).toEqual([400, 400, 400, 400, 429]);
  });
});

describe("the API", () => {
  const call = (base: string, token: string, path = "/api/v1/cases") => fetch(base + path, { headers: { Authorization: `Bearer ${token}` } });
  const postResponse = (token: string) =>
    fetch(`${server.url}/api/v1/responses`, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: JSON.stringify({ deployment: survey.deploymentId, answers: {} }),
    });

  it("limits each token across every endpoint, the fast route included, and keeps the count in the database", async () => {
    const token = await createApiToken(ws, "limited", ownerId);
    const other = await createApiToken(ws, "other", ownerId);
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await call(server.url, token)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    const refused = await call(server.url, token);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("Retry-After"))).toBeGreaterThan(0);
    const body = (await refused.json()) as { error: string; message: string };
    expect(body.error).toBe("rate_limited");
    expect(body.message).toMatch(/try again in \d+ s/);
    // POST /api/v1/responses (server.js's fast route) shares the token's count.
    const fast = await postResponse(token);
    expect(fast.status).toBe(429);
    expect(((await fast.json()) as { error: string }).error).toBe("rate_limited");
    // Another token is not affected.
    expect((await call(server.url, other)).status).toBe(200);
    // The count reaches the shared row within a flush (refused requests are not counted).
    const [{ id }] = await rows<{ id: number }>(sql`SELECT id FROM api_tokens WHERE name = 'limited' AND workspace_id = ${ws}`);
    await until(async () => (await bucketRow(`api_token:${id}`))?.hits === 5, "the API count in rate_limits");
  });

  it("holds one limit across two server processes on one database", async () => {
    second = await startServer(dbFile, LIMITS);
    const token = await createApiToken(ws, "two nodes", ownerId);
    const [{ id }] = await rows<{ id: number }>(sql`SELECT id FROM api_tokens WHERE name = 'two nodes' AND workspace_id = ${ws}`);
    for (let i = 0; i < 3; i++) expect((await call(server.url, token)).status).toBe(200);
    await until(async () => (await bucketRow(`api_token:${id}`))?.hits === 3, "the first node's flush");
    const onSecond = [];
    for (let i = 0; i < 3; i++) onSecond.push((await call(second.url, token)).status);
    expect(onSecond).toEqual([200, 200, 429]);
  });
});
