// The built server under faults, on SQLite: killed with SIGKILL under load (three times), stopped
// with SIGTERM under load, its database made unwritable while it runs, and a webhook receiver that
// hangs. What must hold: every acknowledged response is stored exactly once, the file stays sound
// and the rollups exact; SIGTERM exits 0 having lost nothing it acknowledged; an unwritable
// database answers writes with 503 (nothing stored, retry later) and reads with 200, and recovers by
// itself; a hanging receiver does not slow ingestion. (Deliveries waiting at a restart going out
// without any page opened: webhook-restart.test.ts.)
//
// The database is made unwritable with a file-size limit on the server process (prlimit
// --fsize): the kernel then refuses every write to the database files (EFBIG), as a full disk or a
// read-only file system would, and it works when the tests run as root, whom file permissions do
// not stop; raising the limit again clears it.
import { execFileSync, spawnSync } from "node:child_process";
import http from "node:http";
import type net from "node:net";
import Database from "better-sqlite3";
import { count, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb, rows } from "#db/client";
import { responses } from "#db/schema/index";
import { createApiToken } from "~/data/api-tokens.server";
import { createEndpoint, setEndpointActive } from "~/data/webhooks.server";
import { freshDatabasePath, removeDatabase } from "../support/database";
import { importSample, makeUser, makeWorkspace, PASSWORD } from "../support/fixtures";
import { HttpClient } from "../support/http-client";
import { POSTGRES_RUN } from "../support/postgres-run";
import { rollupsAndRecomputationInDb } from "../support/rollup-check";
import { startServer, type RunningServer } from "../support/server";
import { makeSurveyFixture, ratingAnswers, type SurveyFixture } from "../support/survey-fixtures";
import { waitFor } from "./act-fixtures";

const title = POSTGRES_RUN ? "faults on SQLite: SKIPPED on the PostgreSQL run (they are about the SQLite file)" : "faults on SQLite";
const dbFile = POSTGRES_RUN ? "" : freshDatabasePath("faults");
const SLUG = "fallos";
const UNWRITABLE = "The database cannot be written right now; nothing was stored. Retry later.";
const hasPrlimit = !POSTGRES_RUN && spawnSync("prlimit", ["--version"]).status === 0;

let fixture: SurveyFixture;
let token: string;
let endpointId: number;
const servers: RunningServer[] = [];

// A webhook receiver that accepts every connection and never answers.
const hanging: http.ServerResponse[] = [];
const receiver = http.createServer((req, res) => {
  req.resume();
  hanging.push(res);
});

async function start(env: Record<string, string> = {}): Promise<RunningServer> {
  const server = await startServer(dbFile, { VIVENCIA_WEBHOOKS_ALLOW_LOCAL: "1", ...env });
  servers.push(server);
  return server;
}

function answers(): string {
  return JSON.stringify({ deployment: fixture.deploymentId, answers: ratingAnswers(fixture.json, (min, max) => Math.round((min + max) / 2)) });
}

/** One POST /api/v1/responses with an Idempotency-Key: its status (0 when the connection failed) and milliseconds. */
async function post(url: string, key: string): Promise<{ status: number; ms: number; body?: { message?: string } }> {
  const started = performance.now();
  try {
    const res = await fetch(`${url}/api/v1/responses`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}`, "Idempotency-Key": key },
      body: answers(),
    });
    const parsed = (await res.json().catch(() => undefined)) as { message?: string } | undefined;
    return { status: res.status, ms: performance.now() - started, body: parsed };
  } catch {
    return { status: 0, ms: performance.now() - started };
  }
}

type LoadResult = { acknowledged: string[]; unanswered: string[]; latencies: number[]; other: number[] };

/** `workers` clients posting in a loop until `stop()` says so (or a client's request fails). */
async function load(url: string, prefix: string, workers: number, stop: (acknowledged: number) => boolean): Promise<LoadResult> {
  const result: LoadResult = { acknowledged: [], unanswered: [], latencies: [], other: [] };
  let done = false;
  await Promise.all(
    Array.from({ length: workers }, async (_, w) => {
      for (let n = 0; !done; n++) {
        const key = `${prefix}-${w}-${n}`;
        const reply = await post(url, key);
        if (reply.status === 201) {
          result.acknowledged.push(key);
          result.latencies.push(reply.ms);
        } else if (reply.status === 0) {
          // The server went away mid-request: stored or not, nobody was told it was.
          result.unanswered.push(key);
          return;
        } else result.other.push(reply.status);
        if (stop(result.acknowledged.length)) done = true;
      }
    }),
  );
  return result;
}

/** How many rows each key has (keys with none are absent). */
async function storedPerKey(prefix: string): Promise<Map<string, number>> {
  const found = await rows<{ key: string; n: number }>(
    sql`SELECT idempotency_key AS key, count(*) AS n FROM responses WHERE idempotency_key LIKE ${`${prefix}%`} GROUP BY idempotency_key`,
  );
  return new Map(found.map((r) => [r.key, Number(r.n)]));
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

function integrity(): string {
  const db = new Database(dbFile, { readonly: true });
  try {
    return (db.pragma("integrity_check", { simple: true }) as string) ?? "";
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  if (POSTGRES_RUN) return;
  const owner = await makeUser("owner@faults.test");
  const ws = await makeWorkspace(SLUG, owner.id);
  await importSample(ws.id);
  fixture = await makeSurveyFixture(ws.id, { touchpointKey: "bank-branch-welcome" });
  token = await createApiToken(ws.id, "load", owner.id);
  const port = await new Promise<number>((resolve) => receiver.listen(0, "127.0.0.1", () => resolve((receiver.address() as net.AddressInfo).port)));
  const endpoint = await createEndpoint(ws.id, { url: `http://127.0.0.1:${port}/hang`, description: "", events: ["response.completed"] }, owner.id);
  if (!endpoint.ok) throw new Error(endpoint.reason);
  endpointId = endpoint.id;
  // Switched on only for the hanging-receiver test.
  await setEndpointActive(ws.id, endpointId, false);
});

afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  for (const res of hanging) res.destroy();
  receiver.closeAllConnections();
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
  if (!POSTGRES_RUN) removeDatabase(dbFile);
});

describe.skipIf(POSTGRES_RUN)(title, () => {
  it("keeps every acknowledged response exactly once across three SIGKILLs under load", async () => {
    const acknowledged: string[] = [];
    const unanswered: string[] = [];
    for (let round = 1; round <= 3; round++) {
      const server = await start();
      let killed = false;
      const result = await load(server.url, `kill${round}`, 12, (acks) => {
        // Killed mid-stream, once enough has been acknowledged to matter.
        if (acks >= 40 && !killed) {
          killed = true;
          process.kill(server.pid, "SIGKILL");
        }
        return false;
      });
      expect((await server.exited).signal).toBe("SIGKILL");
      expect(result.other).toEqual([]);
      acknowledged.push(...result.acknowledged);
      unanswered.push(...result.unanswered);
    }
    expect(acknowledged.length).toBeGreaterThanOrEqual(120);
    expect(integrity()).toBe("ok");

    // After a restart, the requests that never got an answer are sent again with their keys: each
    // is stored now, or was already and is replayed; none twice.
    const server = await start();
    for (const key of unanswered) expect((await post(server.url, key)).status).toBe(201);
    const stored = await storedPerKey("kill");
    for (const key of acknowledged) expect(stored.get(key), key).toBe(1);
    for (const key of unanswered) expect(stored.get(key), key).toBe(1);
    expect([...stored.values()].every((n) => n === 1)).toBe(true);
    const { daily, weekly } = await rollupsAndRecomputationInDb();
    expect(daily.stored).toEqual(daily.recomputed);
    expect(weekly.stored).toEqual(weekly.recomputed);
    await server.stop();
  }, 120_000);

  it("stops on SIGTERM under load with exit code 0, having stored everything it acknowledged", async () => {
    const server = await start();
    let signalled = false;
    const result = await load(server.url, "term", 12, (acks) => {
      if (acks >= 60 && !signalled) {
        signalled = true;
        process.kill(server.pid, "SIGTERM");
      }
      return signalled && acks >= 200;
    });
    expect((await server.exited).code).toBe(0);
    expect(server.output()).toContain("[shutdown] SIGTERM");
    expect(result.acknowledged.length).toBeGreaterThanOrEqual(60);
    const stored = await storedPerKey("term");
    for (const key of result.acknowledged) expect(stored.get(key), key).toBe(1);
    expect(integrity()).toBe("ok");
  }, 60_000);

  it.skipIf(!hasPrlimit)("answers writes with 503 and reads with 200 while the database cannot be written, and recovers by itself", async () => {
    const server = await start();
    const admin = new HttpClient(server.url);
    await admin.signIn("owner@faults.test", PASSWORD);
    const english = { "Accept-Language": "en" };
    const before = (await getDb().select({ n: count() }).from(responses).limit(1))[0]!.n;
    const readyBefore = await fetch(`${server.url}/readyz`);
    expect(readyBefore.status, await readyBefore.text()).toBe(200);

    // Every write to a file of the server's from now on is refused by the kernel (EFBIG).
    execFileSync("prlimit", ["--pid", String(server.pid), "--fsize=1:unlimited"]);
    try {
      const refused = await post(server.url, "unwritable-1");
      expect(refused.status).toBe(503);
      expect(refused.body?.message).toBe(UNWRITABLE);

      // A page's form (no JavaScript): the error page says the same, with 503.
      const page = await admin.request(`/w/${SLUG}/processes`, {
        method: "POST",
        headers: english,
        body: new URLSearchParams({ intent: "create", key: "refused-process", name: "Refused" }),
      });
      expect(page.status).toBe(503);
      expect(await page.text()).toContain(UNWRITABLE);
      // The respondent's public page, in Spanish.
      const respondent = await fetch(`${server.url}/s/${fixture.publicToken}`, {
        method: "POST",
        body: new URLSearchParams({ intent: "submit", data: JSON.stringify(ratingAnswers(fixture.json, () => 4)), version: String(fixture.versionId), lang: "es" }),
      });
      expect(respondent.status).toBe(503);
      expect(await respondent.text()).toContain("no se guardó nada");

      // Reads work: the insights API and page, liveness; readiness says why it is not ready.
      expect((await fetch(`${server.url}/api/v1/insights/gaps?by=touchpoint`, { headers: { Authorization: `Bearer ${token}` } })).status).toBe(200);
      expect((await admin.get(`/w/${SLUG}/insights`)).status).toBe(200);
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      const notReady = await fetch(`${server.url}/readyz`);
      expect(notReady.status).toBe(503);
      expect(await notReady.text()).toMatch(/^not ready: the database cannot be written \(SQLITE_/);
    } finally {
      execFileSync("prlimit", ["--pid", String(server.pid), "--fsize=unlimited:unlimited"]);
    }

    // Nothing was stored by the refused writes; once writes work again, everything does, unasked.
    await waitFor(async () => (await fetch(`${server.url}/readyz`)).status === 200, 10_000, "readiness to return");
    expect(await storedPerKey("unwritable")).toEqual(new Map());
    expect((await post(server.url, "unwritable-1")).status).toBe(201);
    expect((await getDb().select({ n: count() }).from(responses).limit(1))[0]!.n).toBe(before + 1);
    expect(server.output()).toContain("[storage] the database cannot be written");
    expect(integrity()).toBe("ok");
    await server.stop();
  }, 60_000);

  it("ingests as fast while a webhook receiver hangs", async () => {
    const server = await start();
    const phase = async (prefix: string) => (await load(server.url, prefix, 8, (acks) => acks >= 240)).latencies;
    const baseline = await phase("base");
    await setEndpointActive(fixture.workspaceId, endpointId, true);
    const hangingRequests = hanging.length;
    const during = await phase("hang");
    // The receiver really was hanging on deliveries while the responses came in.
    expect(hanging.length).toBeGreaterThan(hangingRequests);
    const p99Base = percentile(baseline, 99);
    const p99Hang = percentile(during, 99);
    // A delivery that held ingestion up would add its 5 s timeout to some responses.
    expect(p99Hang, `p99 ${p99Hang.toFixed(0)} ms while hanging, ${p99Base.toFixed(0)} ms before`).toBeLessThan(3 * p99Base + 150);
    await setEndpointActive(fixture.workspaceId, endpointId, false);
    await server.stop();
  }, 60_000);
});
