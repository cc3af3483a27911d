// POST /api/v1/responses over real HTTP against the built server: token scoping, validation
// against the survey version (nothing stored on 4xx), raw data kept byte for byte, customers by
// external id, and Idempotency-Key replays.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { count, eq, sql } from "drizzle-orm";
import { execute, getDb, instantParam, rows } from "#db/client";
import { customers, measurements, responses, rollupsRead } from "#db/schema/index";
import { createApiToken, listApiTokens, revokeApiToken } from "~/data/api-tokens.server";
import { recordResponse } from "~/data/responses.server";
import { foldAllPendingRollups, foldPendingRollups, pendingRollupRows } from "~/data/rollup-fold.server";
import { freshDatabasePath, removeDatabase } from "../support/database";
import { importSample, makeUser, makeWorkspace } from "../support/fixtures";
import { startServer, type RunningServer } from "../support/server";
import { rollupsAndRecomputationInDb } from "../support/rollup-check";
import { makeCustomer, makeSurveyFixture, publishVersion, ratingAnswers, type SurveyFixture } from "../support/survey-fixtures";

const dbFile = freshDatabasePath("responses-api");
let server: RunningServer;
let tokenA: string;
let tokenB: string;
let a: SurveyFixture;
let b: SurveyFixture;

beforeAll(async () => {
  const alice = await makeUser("alice@a.test");
  const bob = await makeUser("bob@b.test");
  const wsA = await makeWorkspace("brand-a", alice.id);
  const wsB = await makeWorkspace("brand-b", bob.id);
  await importSample(wsA.id, "telecom-installation-and-repair.json");
  await importSample(wsB.id);
  a = await makeSurveyFixture(wsA.id, { touchpointKey: "telco-technician-visit" });
  b = await makeSurveyFixture(wsB.id, { touchpointKey: "bank-branch-welcome" });
  await makeCustomer(wsA.id, "C-PREMIUM", "premium", "Paula Premium");
  tokenA = await createApiToken(wsA.id, "kiosk", alice.id);
  tokenB = await createApiToken(wsB.id, "crm", bob.id);
  // Answers from before a workspace existed are refused: these workspaces date back to 2020, so the
  // tests may send answers collected in 2025.
  await execute(sql`UPDATE workspaces SET created_at = ${instantParam(Date.parse("2020-01-01T00:00:00Z"))}`);
  server = await startServer(dbFile);
});

afterAll(async () => {
  await server?.stop();
  removeDatabase(dbFile);
});

function post(body: unknown, headers: Record<string, string> = {}, token: string | null = tokenA) {
  return fetch(`${server.url}/api/v1/responses`, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...(token ? { Authorization: `Bearer ${token}` } : {}), ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

const stored = async () => (await getDb().select({ n: count() }).from(responses).limit(1))[0]!.n;
const answersOf = (f: SurveyFixture, value = 5) => ratingAnswers(f.json, (min, max) => Math.min(max, Math.max(min, value)));

describe("POST /api/v1/responses", () => {
  it("refuses a missing or unknown token with 401 and stores nothing", async () => {
    const before = (await stored());
    expect((await post({ deployment: a.deploymentId, answers: answersOf(a) }, {}, null)).status).toBe(401);
    const res = await post({ deployment: a.deploymentId, answers: answersOf(a) }, {}, "viv_not-a-token");
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: "unauthorized" });
    expect((await stored())).toBe(before);
  });

  it("stores the answers exactly as sent, with measurements, rollups and the customer's tier", async () => {
    const answers = answersOf(a, 6);
    answers.nps = 10;
    answers.csat = 5;
    // Odd spacing, key order and a unicode escape: the stored text must be these very bytes.
    const rawAnswers = `{ "nps" : 10,"csat":5 , ${Object.entries(answers)
      .filter(([k]) => k !== "nps" && k !== "csat" && k !== "comment")
      .map(([k, v]) => `"${k}": ${v}`)
      .join(" ,")}, "comment": "Muy amable, lleg\\u00f3 a tiempo {\\"a\\",\\\\ NULL} ñ 😀" }`;
    const body = `{"deployment": ${a.deploymentId}, "customer": "C-PREMIUM", "lang": "en",
      "startedAt": "2025-02-03T23:20:00-03:00", "completedAt": "2025-02-03T23:30:00-03:00", "answers": ${rawAnswers}}`;
    const res = await post(body);
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: number };
    expect(id).toBeGreaterThan(0);

    const row = (await getDb().select().from(responses).where(eq(responses.id, id)).limit(1))[0]!;
    expect(row.data).toBe(rawAnswers);
    expect(row).toMatchObject({
      workspaceId: a.workspaceId,
      surveyVersionId: a.versionId,
      touchpointId: a.touchpoint.id,
      deploymentId: a.deploymentId,
      invitationId: null,
      tier: "premium",
      lang: "en",
      source: "api",
      comment: 'Muy amable, llegó a tiempo {"a",\\ NULL} ñ 😀',
    });
    expect(row.startedAt?.toISOString()).toBe("2025-02-04T02:20:00.000Z");
    expect(row.completedAt.toISOString()).toBe("2025-02-04T02:30:00.000Z");
    const customer = (await getDb().select().from(customers).where(eq(customers.id, row.customerId!)).limit(1))[0]!;
    expect(customer.externalId).toBe("C-PREMIUM");

    const rows = (await getDb().select().from(measurements).where(eq(measurements.responseId, id)));
    // Expectation and perception per attribute, plus NPS and CSAT at touchpoint level.
    expect(rows).toHaveLength(a.touchpoint.attributes.length * 2 + 2);
    expect(rows.find((m) => m.kind === "nps")).toMatchObject({ attributeKey: "", value: 10 });
    const dayRows = (await getDb().select().from(rollupsRead).where(eq(rollupsRead.day, "2025-02-04")));
    expect(dayRows.find((r) => r.kind === "nps")).toMatchObject({ tier: "premium", lang: "en", n: 1, promoters: 1, sum: 10 });
    expect(dayRows.find((r) => r.kind === "gap" && r.attributeKey === "")).toMatchObject({ n: 1, sum: 0, sumP: 6, sumE: 6 });
  });

  it("creates a bare customer for a new external id and stores the response with it", async () => {
    const res = await post({ deployment: a.deploymentId, customer: "NEW-42", answers: answersOf(a) });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: number };
    const row = (await getDb().select().from(responses).where(eq(responses.id, id)).limit(1))[0]!;
    const customer = (await getDb().select().from(customers).where(eq(customers.externalId, "NEW-42")).limit(1))[0]!;
    expect(customer).toMatchObject({ workspaceId: a.workspaceId, name: "", tier: null });
    expect(row).toMatchObject({ customerId: customer.id, tier: "", lang: "es" });
  });

  it("names the deployment by touchpoint key too", async () => {
    const res = await post({ touchpoint: a.touchpoint.key, answers: answersOf(a) });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: number };
    expect((await getDb().select().from(responses).where(eq(responses.id, id)).limit(1))[0]!.deploymentId).toBe(a.deploymentId);
  });

  it("answers 404 for another workspace's deployment or touchpoint, leaking nothing", async () => {
    const before = (await stored());
    for (const body of [
      { deployment: b.deploymentId, answers: answersOf(b) },
      { touchpoint: b.touchpoint.key, answers: answersOf(b) },
      { deployment: 999_999, answers: answersOf(a) },
    ]) {
      const res = await post(body);
      expect(res.status).toBe(404);
      const text = await res.text();
      expect(text).not.toContain("BRAND-B");
      expect(text).not.toContain(b.touchpoint.name);
    }
    // The same deployment is fine with its own workspace's token.
    expect((await post({ deployment: b.deploymentId, answers: answersOf(b) }, {}, tokenB)).status).toBe(201);
    expect((await stored())).toBe(before + 1);
  });

  it("gives the field errors of a malformed body with 400", async () => {
    const before = (await stored());
    const cases: [unknown, string][] = [
      [{ deployment: a.deploymentId }, "answers"],
      [{ answers: answersOf(a) }, "deployment"],
      [{ deployment: a.deploymentId, touchpoint: a.touchpoint.key, answers: answersOf(a) }, "deployment"],
      [{ deployment: a.deploymentId, answers: answersOf(a), lang: "fr" }, "lang"],
      [{ deployment: a.deploymentId, answers: answersOf(a), completedAt: "yesterday" }, "completedAt"],
      [{ deployment: a.deploymentId, answers: answersOf(a), completedAt: "2999-01-01T00:00:00Z" }, "completedAt"],
      // Before 1970 (rolled up under day 0000-01-01 once), and before the workspace existed.
      [{ deployment: a.deploymentId, answers: answersOf(a), completedAt: "0000-01-01T00:00:00Z" }, "completedAt"],
      [{ deployment: a.deploymentId, answers: answersOf(a), completedAt: "2019-12-31T00:00:00Z" }, "completedAt"],
      [{ deployment: a.deploymentId, answers: answersOf(a), startedAt: "1969-12-31T23:59:59Z" }, "startedAt"],
      [{ deployment: a.deploymentId, answers: answersOf(a), startedAt: "2025-01-02T00:00:00Z", completedAt: "2025-01-01T00:00:00Z" }, "startedAt"],
      [{ deployment: a.deploymentId, answers: [1, 2] }, "answers"],
      [{ deployment: "7", answers: answersOf(a) }, "deployment"],
      [{ deployment: a.deploymentId, answers: answersOf(a), extra: true }, ""],
    ];
    for (const [body, path] of cases) {
      const res = await post(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      const json = (await res.json()) as { error: string; errors: { path: string; message: string }[] };
      expect(json.error).toBe("invalid");
      expect(json.errors.map((e) => e.path), JSON.stringify(body)).toContain(path);
    }
    const bad = await post("{ not json");
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: "invalid_json" });
    expect((await stored())).toBe(before);
  });

  it("validates the answers against the survey version: unknown questions and out-of-range values store nothing", async () => {
    const before = (await stored());
    const measurementsBefore = (await getDb().select({ n: count() }).from(measurements).limit(1))[0]!.n;
    const rollupSum = async () => {
      return (await getDb().select().from(rollupsRead)).reduce((acc, r) => acc + r.n, 0);
    };
    const rollupsBefore = (await rollupSum());
    const unknown = { ...answersOf(a), favourite_colour: "blue" };
    const outOfRange = { ...answersOf(a), nps: 11 };
    const missing = answersOf(a);
    delete missing.nps;
    for (const [answers, question, message] of [
      [unknown, "favourite_colour", /Unknown question/],
      [outOfRange, "nps", /not on the rating scale/],
      [missing, "nps", /required/i],
    ] as const) {
      const res = await post({ deployment: a.deploymentId, answers });
      expect(res.status).toBe(400);
      const json = (await res.json()) as { error: string; errors: { question: string; message: string }[] };
      expect(json.error).toBe("invalid_answers");
      expect(json.errors).toContainEqual({ question, message: expect.stringMatching(message) });
    }
    expect((await stored())).toBe(before);
    expect((await getDb().select({ n: count() }).from(measurements).limit(1))[0]!.n).toBe(measurementsBefore);
    expect((await rollupSum())).toBe(rollupsBefore);
  });

  it("replays an Idempotency-Key: same 201 and id, Idempotent-Replayed, nothing new", async () => {
    const body = { deployment: a.deploymentId, customer: "C-PREMIUM", answers: answersOf(a, 3) };
    const first = await post(body, { "Idempotency-Key": "kiosk-7:0001" });
    expect(first.status).toBe(201);
    expect(first.headers.get("Idempotent-Replayed")).toBeNull();
    const { id } = (await first.json()) as { id: number };
    const before = (await stored());
    const again = await post(body, { "Idempotency-Key": "kiosk-7:0001" });
    expect(again.status).toBe(201);
    expect(again.headers.get("Idempotent-Replayed")).toBe("true");
    expect(await again.json()).toEqual({ id });
    expect((await stored())).toBe(before);

    // Concurrent retries of one new key: one response, one id.
    const burst = await Promise.all(Array.from({ length: 6 }, () => post(body, { "Idempotency-Key": "kiosk-7:0002" })));
    const ids = await Promise.all(burst.map(async (r) => ((await r.json()) as { id: number }).id));
    expect(burst.every((r) => r.status === 201)).toBe(true);
    expect(new Set(ids).size).toBe(1);
    expect(ids[0]).not.toBe(id);
    expect((await stored())).toBe(before + 1);

    // Keys are per workspace: B's identical key is B's own.
    const other = await post({ deployment: b.deploymentId, answers: answersOf(b) }, { "Idempotency-Key": "kiosk-7:0001" }, tokenB);
    expect(other.status).toBe(201);
    expect(((await other.json()) as { id: number }).id).not.toBe(id);

    expect((await post(body, { "Idempotency-Key": "has spaces" })).status).toBe(400);

    // The key names one request: another one under it (other answers, even ones that no longer
    // fit, another customer) is refused with 422, like a payment API, and stores nothing.
    const beforeRetry = await stored();
    for (const other of [
      { ...body, answers: { ...body.answers, nps: 99 } },
      { ...body, answers: { ...body.answers, nps: 9 } },
      { ...body, customer: "SOMEONE-ELSE" },
    ]) {
      const changed = await post(other, { "Idempotency-Key": "kiosk-7:0001" });
      expect(changed.status).toBe(422);
      expect(await changed.json()).toMatchObject({ error: "idempotency_key_reused", message: expect.stringMatching(/different request/) });
    }
    expect(await stored()).toBe(beforeRetry);

    // The same request, refused now (its survey archived since), still gets the response it produced.
    const archive = (at: number | null) => execute(sql`UPDATE surveys SET archived_at = ${at === null ? null : instantParam(at)} WHERE id = ${a.surveyId}`);
    await archive(Date.now());
    try {
      expect((await post(body)).status).toBe(404);
      const retry = await post(body, { "Idempotency-Key": "kiosk-7:0001" });
      expect(retry.status).toBe(201);
      expect(retry.headers.get("Idempotent-Replayed")).toBe("true");
      expect(await retry.json()).toEqual({ id });
    } finally {
      await archive(null);
    }

    // The request's hash is kept with the response; a response stored before hashes were kept has
    // none, and any request under its key is replayed, as before.
    const [{ hash }] = await rows<{ hash: string | null }>(sql`SELECT request_hash AS hash FROM responses WHERE id = ${id}`);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    await execute(sql`UPDATE responses SET request_hash = NULL WHERE id = ${id}`);
    const legacy = await post({ ...body, answers: { ...body.answers, nps: 99 } }, { "Idempotency-Key": "kiosk-7:0001" });
    expect(legacy.status).toBe(201);
    expect(legacy.headers.get("Idempotent-Replayed")).toBe("true");
    expect(await legacy.json()).toEqual({ id });
    expect(await stored()).toBe(beforeRetry);
  });

  it("sees a token revoked, a version published or a survey archived by another process at once", async () => {
    // The server keeps these lookups in memory while the lookup generation stands (migration 0006);
    // this test process is another connection, so only the triggers can tell the server.
    const [{ id: alice }] = await rows<{ id: number }>(sql`SELECT id FROM users WHERE email = 'alice@a.test'`);
    const token = await createApiToken(a.workspaceId, "short-lived", alice);
    const body = { deployment: a.deploymentId, answers: answersOf(a) };
    expect((await post(body, {}, token)).status).toBe(201);
    await revokeApiToken(a.workspaceId, (await listApiTokens(a.workspaceId)).find((t) => t.name === "short-lived")!.id);
    expect((await post(body, {}, token)).status).toBe(401);

    const [{ latest }] = await rows<{ latest: number }>(sql`SELECT max(version) AS latest FROM survey_versions WHERE survey_id = ${a.surveyId}`);
    const newer = await publishVersion(a.workspaceId, a.surveyId, a.json, latest + 1);
    const res = await post(body);
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: number };
    expect((await getDb().select().from(responses).where(eq(responses.id, id)).limit(1))[0]!.surveyVersionId).toBe(newer);

    const archive = (at: number | null) => execute(sql`UPDATE surveys SET archived_at = ${at === null ? null : instantParam(at)} WHERE id = ${a.surveyId}`);
    await archive(Date.now());
    try {
      expect((await post(body)).status).toBe(404);
    } finally {
      await archive(null);
    }
    expect((await post(body)).status).toBe(201);
  });

  it("shares commits among concurrent requests, each response in the rollups as soon as it is answered", async () => {
    const burst = await Promise.all(
      Array.from({ length: 40 }, (_, i) => post({ deployment: a.deploymentId, customer: `BURST-${i % 7}`, answers: answersOf(a, 1 + (i % 7)) })),
    );
    expect(burst.map((r) => r.status)).toEqual(Array(40).fill(201));
    const ids = await Promise.all(burst.map(async (r) => ((await r.json()) as { id: number }).id));
    expect(new Set(ids).size).toBe(40);
    // No waiting: the sums committed with the responses (ADR 014), pending or folded (ADR 033).
    const [{ n }] = await rows<{ n: number }>(sql`SELECT sum(n) AS n FROM ${rollupsRead} WHERE kind = 'nps'`);
    const [{ measured }] = await rows<{ measured: number }>(sql`SELECT count(*) AS measured FROM measurements WHERE kind = 'nps'`);
    expect(n).toBe(measured);
  });

  it("writes a mixed burst exactly: repeated and used keys, new and known customers, cases", async () => {
    const usedBody = { deployment: a.deploymentId, answers: answersOf(a, 6) };
    const used = await post(usedBody, { "Idempotency-Key": "mixed:used" });
    const usedId = ((await used.json()) as { id: number }).id;
    const before = { stored: await stored(), cases: (await rows<{ n: number }>(sql`SELECT count(*) AS n FROM cases`))[0].n };
    const bodies = Array.from({ length: 30 }, (_, i) => ({
      body: i < 3 ? usedBody : { deployment: a.deploymentId, customer: i % 3 === 0 ? "C-PREMIUM" : `MIXED-${i % 4}`, answers: answersOf(a, i % 2 === 0 ? 0 : 9) },
      key: i < 3 ? "mixed:used" : i < 6 ? "mixed:twice" : `mixed:${i}`,
    }));
    const answered = await Promise.all(bodies.map(({ body, key }) => post(body, { "Idempotency-Key": key })));
    // The same key twice in one burst: the first request decides, the other asked for something else (422).
    const outcomes = await Promise.all(answered.map(async (r) => ({ status: r.status, replayed: r.headers.get("Idempotent-Replayed"), body: (await r.json()) as { id?: number } })));
    expect(outcomes.slice(0, 3).map((o) => o.body.id)).toEqual([usedId, usedId, usedId]);
    const twice = outcomes.slice(3, 6).filter((o) => o.status === 201);
    expect(new Set(twice.map((o) => o.body.id)).size).toBe(1);
    expect(outcomes.slice(6).every((o) => o.status === 201 && o.replayed === null)).toBe(true);
    const fresh = 1 + 24;
    expect(await stored()).toBe(before.stored + fresh);
    for (const id of ["MIXED-0", "MIXED-1", "MIXED-2", "MIXED-3"]) {
      expect((await rows<{ n: number }>(sql`SELECT count(*) AS n FROM customers WHERE external_id = ${id}`))[0].n).toBe(1);
    }
    const premium = await rows<{ tier: string }>(sql`SELECT r.tier FROM responses r JOIN customers c ON c.id = r.customer_id WHERE c.external_id = 'C-PREMIUM' AND r.idempotency_key LIKE 'mixed:%'`);
    expect(premium.length).toBeGreaterThan(0);
    expect(premium.every((r) => r.tier === "premium")).toBe(true);
    // Each stored response has all its measurement rows, and each detractor one case with its event.
    const [{ short }] = await rows<{ short: number }>(
      sql`SELECT count(*) AS short FROM responses r WHERE r.idempotency_key LIKE 'mixed:%' AND (SELECT count(*) FROM measurements m WHERE m.response_id = r.id) = 0`,
    );
    expect(short).toBe(0);
    const [{ detractors }] = await rows<{ detractors: number }>(
      sql`SELECT count(*) AS detractors FROM responses r JOIN measurements m ON m.response_id = r.id WHERE r.idempotency_key LIKE 'mixed:%' AND r.idempotency_key <> 'mixed:used' AND m.kind = 'nps' AND m.value <= 6`,
    );
    expect((await rows<{ n: number }>(sql`SELECT count(*) AS n FROM cases`))[0].n).toBe(before.cases + detractors);
    const [{ orphans }] = await rows<{ orphans: number }>(sql`SELECT count(*) AS orphans FROM cases c WHERE NOT EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = c.id AND e.kind = 'opened')`);
    expect(orphans).toBe(0);
    const { daily, weekly } = await rollupsAndRecomputationInDb();
    expect(daily.stored).toEqual(daily.recomputed);
    expect(weekly.stored).toEqual(weekly.recomputed);
  });

  it("keeps the rollups exact while two server processes and a third writer record at the same time", async () => {
    const second = await startServer(dbFile);
    try {
      // This test process writes too, through the same code as the servers, on its own connection.
      const writeHere = async (i: number) => {
        const answers = answersOf(a, 1 + (i % 7));
        const outcome = await recordResponse({
          workspaceId: a.workspaceId,
          versionId: a.versionId,
          touchpointId: a.touchpoint.id,
          deploymentId: a.deploymentId,
          customerExternalId: `HERE-${i % 3}`,
          lang: i % 2 ? "en" : "es",
          source: "api",
          data: JSON.stringify(answers),
          completedAt: new Date(Date.now() - (i % 4) * 86_400_000),
        });
        expect(outcome).toMatchObject({ status: "recorded" });
      };
      const burst = (url: string, from: number) =>
        Promise.all(
          Array.from({ length: 15 }, (_, i) =>
            fetch(`${url}/api/v1/responses`, {
              method: "POST",
              headers: { "Content-Type": "application/json", Authorization: `Bearer ${tokenA}` },
              body: JSON.stringify({ deployment: a.deploymentId, customer: `MIX-${i % 5}`, lang: i % 2 ? "en" : "es", answers: answersOf(a, 1 + ((from + i) % 7)) }),
            }),
          ),
        );
      // A reader all along: every snapshot it takes, between any two commits, is exact (the sums
      // commit with their responses; on PostgreSQL as pending increments, which the servers fold
      // in the background and this reader folds too, between its snapshots).
      const snapshot = rollupsAndRecomputationInDb;
      let writing = true;
      let reads = 0;
      const reader = (async () => {
        while (writing) {
          const { daily, weekly } = await snapshot();
          expect(daily.stored).toEqual(daily.recomputed);
          expect(weekly.stored).toEqual(weekly.recomputed);
          reads++;
          await foldPendingRollups();
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      })();
      try {
        for (let n = 0; n < 3; n++) {
          const [one, two] = await Promise.all([burst(server.url, n * 30), burst(second.url, n * 30 + 15), writeHere(n * 2), writeHere(n * 2 + 1)]);
          expect([...one, ...two].map((r) => r.status)).toEqual(Array(30).fill(201));
        }
      } finally {
        writing = false;
        await reader;
      }
      expect(reads).toBeGreaterThan(1);
      // Folded to the end, the tables alone hold every sum.
      await foldAllPendingRollups();
      expect(await pendingRollupRows()).toBe(0);
      const { daily, weekly } = await snapshot();
      expect(daily.stored.length).toBeGreaterThan(0);
      expect(daily.stored).toEqual(daily.recomputed);
      expect(weekly.stored).toEqual(weekly.recomputed);
      expect(server.output() + second.output()).not.toMatch(/failed|error/i);
    } finally {
      await second.stop();
    }
  });

  it("refuses a body over 256 KB with 413, a GET with 405 and text that is not JSON with 400", async () => {
    const before = (await stored());
    const huge = JSON.stringify({ deployment: a.deploymentId, answers: { ...answersOf(a), comment: "x".repeat(300_000) } });
    const res = await post(huge);
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: "too_large" });
    const get = await fetch(`${server.url}/api/v1/responses`, { headers: { Authorization: `Bearer ${tokenA}` } });
    expect(get.status).toBe(405);
    expect(get.headers.get("Allow")).toBe("POST");
    const broken = await post("{ not json");
    expect(broken.status).toBe(400);
    expect(await broken.json()).toMatchObject({ error: "invalid_json" });
    expect((await stored())).toBe(before);
  });

  it("answers the same through the Remix route as through the server's fast route", async () => {
    const { action } = await import("~/routes/api.v1.responses");
    const call = (body: unknown, token: string | null) =>
      action({
        request: new Request("http://localhost/api/v1/responses", {
          method: "POST",
          headers: { "Content-Type": "application/json", ...(token ? { Authorization: `Bearer ${token}` } : {}) },
          body: JSON.stringify(body),
        }),
        params: {},
        context: {},
      });
    const refused = await call({ deployment: a.deploymentId, answers: answersOf(a) }, null);
    expect(refused.status).toBe(401);
    expect(refused.headers.get("WWW-Authenticate")).toBe("Bearer");
    const before = (await stored());
    const res = await call({ deployment: a.deploymentId, answers: answersOf(a, 4) }, tokenA);
    expect(res.status).toBe(201);
    expect(((await res.json()) as { id: number }).id).toBeGreaterThan(0);
    expect((await stored())).toBe(before + 1);
  });

  it("keeps the bench's no-op route switched off unless VIVENCIA_BENCH=1", async () => {
    const res = await fetch(`${server.url}/api/v1/bench-noop`, { method: "POST", body: "{}" });
    expect(res.status).toBe(404);
  });
});
