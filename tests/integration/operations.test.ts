// Running the app: liveness and readiness (also during a graceful shutdown), `cem db backup` while
// the server takes responses and `cem db restore` with its refusals, the automatic backup before
// migrations change an existing SQLite database, and the webhook sender's refusal of addresses
// that are not on the public internet (by address, at delivery time, and for IP literals when an
// endpoint is registered). On both engines, except what is about the SQLite file itself.
import Database from "better-sqlite3";
import { execFile, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { count, eq, like } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { closeDb, getDb, openDatabase } from "#db/client";
import { pendingMigrations, pruneBackups, restorePostgres, restoreSqlite } from "#db/backup";
import { rateLimits, responses, webhookDeliveries } from "#db/schema/index";
import { createApiToken } from "~/data/api-tokens.server";
import { attemptDelivery, deliveryAddresses } from "~/data/webhook-delivery.server";
import { createEndpoint, enqueueWebhookEvent, webhookUrlSchema } from "~/data/webhooks.server";
import { nonPublicReason } from "~/web/public-address";
import { databaseMigratedBefore, freshDatabasePath, MIGRATIONS, POSTGRES_RUN, removeDatabase } from "../support/database";
import { importSample, makeUser, makeWorkspace } from "../support/fixtures";
import { rollupsAndRecomputation } from "../support/rollup-check";
import { startServer, type RunningServer } from "../support/server";
import { makeSurveyFixture, ratingAnswers, type SurveyFixture } from "../support/survey-fixtures";
import { waitFor } from "./act-fixtures";

const run = promisify(execFile);
const database = freshDatabasePath("operations");
const TMP = path.resolve("tests/.tmp");
const backupFile = path.join(TMP, `operations-backup-${process.pid}.${POSTGRES_RUN ? "dump" : "db"}`);
const hasPgDump = spawnSync("pg_dump", ["--version"]).status === 0;

let fixture: SurveyFixture;
let token: string;
let server: RunningServer | undefined;

type CemResult = { code: number; stdout: string; stderr: string };
/** `npm run cem -- …` against the test's database. */
async function cem(args: string[]): Promise<CemResult> {
  try {
    const { stdout, stderr } = await run(path.resolve("node_modules/.bin/tsx"), ["cli/cem.ts", ...args], { env: { ...process.env }, encoding: "utf8" });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === "number" ? e.code : 1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}

async function post(key: string): Promise<number> {
  const res = await fetch(`${server!.url}/api/v1/responses`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}`, "Idempotency-Key": key },
    body: JSON.stringify({ deployment: fixture.deploymentId, answers: ratingAnswers(fixture.json, (min, max) => max) }),
  });
  await res.body?.cancel();
  return res.status;
}

const storedResponses = async () => (await getDb().select({ n: count() }).from(responses).limit(1))[0]!.n;

beforeAll(async () => {
  const owner = await makeUser("owner@operations.test");
  const ws = await makeWorkspace("operaciones", owner.id);
  await importSample(ws.id);
  fixture = await makeSurveyFixture(ws.id, { touchpointKey: "bank-branch-welcome" });
  token = await createApiToken(ws.id, "ops", owner.id);
  server = await startServer(database);
});

afterAll(async () => {
  await server?.stop();
  fs.rmSync(backupFile, { force: true });
  removeDatabase(database);
});

describe("health", () => {
  it("answers liveness and readiness, and the write probe leaves nothing behind", async () => {
    const live = await fetch(`${server!.url}/healthz`);
    expect([live.status, await live.text()]).toEqual([200, "ok"]);
    for (let i = 0; i < 3; i++) {
      const ready = await fetch(`${server!.url}/readyz`);
      expect([ready.status, await ready.text()]).toEqual([200, "ready"]);
      expect(ready.headers.get("Cache-Control")).toBe("no-store");
    }
    expect(await getDb().select().from(rateLimits).where(like(rateLimits.bucket, "readyz-probe:%"))).toEqual([]);
  });

  it("is not ready once SIGTERM arrives, while the requests in flight finish", async () => {
    const stopping = await startServer(database);
    // A request whose headers are not complete yet: the server waits for it through the shutdown.
    const socket = net.connect(stopping.port, "127.0.0.1");
    await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
    let answer = "";
    socket.on("data", (chunk: Buffer) => (answer += chunk.toString("utf8")));
    socket.write("GET /readyz HTTP/1.1\r\nHost: localhost\r\n");
    // Let the server read the first part, so the connection counts as busy, not idle.
    await new Promise((r) => setTimeout(r, 200));
    process.kill(stopping.pid, "SIGTERM");
    const deadline = Date.now() + 10_000;
    while (!stopping.output().includes("[shutdown] SIGTERM") && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    socket.write("Connection: close\r\n\r\n");
    await new Promise<void>((resolve) => socket.once("close", () => resolve()));
    expect(answer).toMatch(/^HTTP\/1\.1 503/);
    expect(answer).toContain("not ready: shutting down");
    expect((await stopping.exited).code).toBe(0);
  });
});

describe("a PostgreSQL database that refuses writes", () => {
  // The SQLite side (a full disk under the running server) is in faults.test.ts.
  it.runIf(POSTGRES_RUN)("answers writes with 503 and reads with 200 while the database is read-only, and recovers", async () => {
    const name = decodeURIComponent(new URL(database).pathname.slice(1));
    // An administrator's session of its own: the switch applies to new sessions, so the server's
    // are ended (the pool opens new ones, read-only, on its next query).
    const admin = new pg.Client({ connectionString: database });
    await admin.connect();
    const switchTo = async (readOnly: boolean) => {
      await admin.query(`ALTER DATABASE "${name.replace(/"/g, '""')}" ${readOnly ? "SET default_transaction_read_only = on" : "RESET default_transaction_read_only"}`);
      await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'`);
    };
    const quiet = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    try {
      await switchTo(true);
      await waitFor(async () => (await fetch(`${server!.url}/readyz`)).status === 503, 20_000, "readiness to fail");
      const ready = await fetch(`${server!.url}/readyz`);
      expect(await ready.text()).toMatch(/^not ready: the database cannot be written \(25006: /);
      const refused = await fetch(`${server!.url}/api/v1/responses`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}`, "Idempotency-Key": "read-only-1" },
        body: JSON.stringify({ deployment: fixture.deploymentId, answers: ratingAnswers(fixture.json, (min, max) => max) }),
      });
      expect(refused.status).toBe(503);
      expect(refused.headers.get("Retry-After")).toBe("10");
      expect(await refused.json()).toEqual({ error: "unavailable", message: "The database cannot be written right now; nothing was stored. Retry later." });
      const read = await fetch(`${server!.url}/api/v1/insights/gaps?by=touchpoint`, { headers: { Authorization: `Bearer ${token}` } });
      expect(read.status).toBe(200);
      expect((await fetch(`${server!.url}/healthz`)).status).toBe(200);
    } finally {
      await switchTo(false);
      await admin.end();
      quiet.mockRestore();
    }
    await waitFor(async () => (await fetch(`${server!.url}/readyz`)).status === 200, 20_000, "readiness to return");
    expect(await getDb().select().from(responses).where(eq(responses.idempotencyKey, "read-only-1"))).toEqual([]);
    expect(await post("read-only-1")).toBe(201);
  });
});

describe("backup and restore", () => {
  it.skipIf(POSTGRES_RUN && !hasPgDump)("backs up while responses come in, refuses what it must, and restores", async () => {
    // Responses arrive while the backup runs.
    let posting = true;
    let sent = 0;
    const writers = Array.from({ length: 2 }, async (_, w) => {
      for (let n = 0; posting; n++) {
        expect(await post(`before-${w}-${n}`)).toBe(201);
        sent++;
      }
    });
    while (sent < 20) await new Promise((r) => setTimeout(r, 20));
    const backedUp = await cem(["db", "backup", backupFile]);
    posting = false;
    await Promise.all(writers);
    expect(backedUp.code, backedUp.stderr).toBe(0);
    expect(backedUp.stdout).toMatch(/^backup written: /);
    expect(fs.statSync(backupFile).size).toBeGreaterThan(0);

    let inBackup: number;
    if (POSTGRES_RUN) {
      // Quiet now: a second backup holds exactly what the database holds.
      expect((await cem(["db", "backup", backupFile, "--force"])).code).toBe(0);
      inBackup = await storedResponses();
    } else {
      // The copy is one consistent moment: sound, and its rollups equal its rows.
      const copy = new Database(backupFile, { readonly: true });
      expect(copy.pragma("integrity_check", { simple: true })).toBe("ok");
      const { daily, weekly } = rollupsAndRecomputation(copy);
      expect(daily.stored).toEqual(daily.recomputed);
      expect(weekly.stored).toEqual(weekly.recomputed);
      inBackup = (copy.prepare("SELECT count(*) FROM responses").pluck().get() as number) ?? 0;
      copy.close();
      expect(inBackup).toBeGreaterThanOrEqual(20);
    }

    // Refusals (each changes nothing): the command line's exit code once, then the same functions
    // it calls, in this process (every command line start costs seconds of tsx).
    const again = await cem(["db", "backup", backupFile]);
    expect([again.code, again.stderr]).toEqual([1, expect.stringContaining("exists; pass --force")]);
    const url = process.env.DATABASE_URL ?? "";
    const restore = async (file: string, force: boolean) => (POSTGRES_RUN ? restorePostgres(url, file, { force }) : restoreSqlite(file, database, { force }));
    const damaged = path.join(TMP, `operations-damaged-${process.pid}.db`);
    fs.writeFileSync(damaged, "not a database at all");
    const quiet = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    await expect(restore(damaged, true)).rejects.toThrow(POSTGRES_RUN ? /not a readable pg_dump archive/ : /failed its integrity check/);
    quiet.mockRestore();
    fs.rmSync(damaged, { force: true });
    expect(await post("after-backup")).toBe(201);
    // The server has the database open (and so has this process).
    await expect(restore(backupFile, true)).rejects.toThrow(/in use/);
    await server!.stop();
    await closeDb();
    await expect(restore(backupFile, false)).rejects.toThrow(POSTGRES_RUN ? /holds data; nothing was changed/ : /exists; nothing was changed/);
    // Nothing changed: what came in after the backup is still there.
    expect(await storedResponses()).toBeGreaterThan(inBackup);
    await closeDb();

    const restored = await cem(["db", "restore", backupFile, "--force"]);
    expect(restored.code, restored.stderr).toBe(0);
    expect(restored.stdout).toMatch(/^restored: /);
    if (!POSTGRES_RUN) {
      // The database it replaced is kept.
      const kept = restored.stderr.match(/kept at (\S+)/)?.[1];
      expect(kept && fs.existsSync(kept)).toBeTruthy();
      fs.rmSync(kept!, { force: true });
    }
    expect(await storedResponses()).toBe(inBackup);
    expect(await getDb().select().from(responses).where(eq(responses.idempotencyKey, "after-backup"))).toEqual([]);
    await closeDb();
    server = await startServer(database);
    expect(await post("after-restore")).toBe(201);
  }, 180_000);

  it.skipIf(POSTGRES_RUN)("backs up an existing SQLite database before migrating it, keeping the last few", () => {
    const { db, file, cleanup } = databaseMigratedBefore("0009_", "operations-premigration");
    const name = path.basename(file, ".db");
    const folder = path.join(path.dirname(file), "backups");
    const ours = () => (fs.existsSync(folder) ? fs.readdirSync(folder).filter((f) => f.startsWith(`${name}-`)) : []);
    for (const f of ours()) fs.rmSync(path.join(folder, f));
    fs.mkdirSync(folder, { recursive: true });
    // Six older backups of this database, and one of another that must be left alone.
    for (let i = 1; i <= 6; i++) fs.writeFileSync(path.join(folder, `${name}-2020010${i}T000000Z-before-0004_old.db`), "");
    fs.writeFileSync(path.join(folder, `other-20200101T000000Z-before-0004_old.db`), "");
    db.$client.close();

    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const migrated = openDatabase(file);
    const said = warn.mock.calls.map((c) => String(c[0])).find((line) => line.startsWith("[migrate]"));
    warn.mockRestore();
    try {
      expect(said).toMatch(new RegExp(`^\\[migrate\\] .*${name}\\.db has \\d+ migration\\(s\\) to apply \\(0009_`));
      const made = ours().filter((f) => /before-0009_/.test(f));
      expect(made).toHaveLength(1);
      expect(made[0]).toMatch(new RegExp(`^${name}-\\d{8}T\\d{6}Z-before-0009_.*\\.db$`));
      // The copy is the database as it was: the migrations after 0008 still to apply.
      const copy = new Database(path.join(folder, made[0]), { readonly: true });
      expect(pendingMigrations(copy, MIGRATIONS)[0]).toMatch(/^0009_/);
      copy.close();
      // Five kept in all: the new one and the four newest before it; the other database's untouched.
      expect(ours()).toHaveLength(5);
      expect(ours()).not.toContain(`${name}-20200101T000000Z-before-0004_old.db`);
      expect(fs.existsSync(path.join(folder, "other-20200101T000000Z-before-0004_old.db"))).toBe(true);
      // Up to date now: opening it again takes no backup.
      expect(pendingMigrations(migrated.$client, MIGRATIONS)).toEqual([]);
      expect(pruneBackups(file)).toEqual([]);
    } finally {
      for (const f of ours()) fs.rmSync(path.join(folder, f));
      fs.rmSync(path.join(folder, "other-20200101T000000Z-before-0004_old.db"), { force: true });
      migrated.$client.close();
      cleanup();
    }
  });
});

describe("webhook addresses", () => {
  it("knows public addresses from the rest, in every IPv6 form that embeds an IPv4 one", () => {
    for (const address of ["8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "[2a00:1450:4001:80b::200e]", "::ffff:8.8.8.8", "64:ff9b::808:808"]) {
      expect(nonPublicReason(address), address).toBeNull();
    }
    const refused: [string, RegExp][] = [
      ["127.0.0.1", /loopback/],
      ["10.1.2.3", /private/],
      ["172.20.0.1", /private/],
      ["192.168.1.1", /private/],
      ["169.254.169.254", /link-local/],
      ["100.64.0.1", /CGNAT/],
      ["0.0.0.0", /unspecified/],
      ["224.0.0.1", /multicast/],
      ["255.255.255.255", /reserved/],
      ["::", /unspecified/],
      ["::1", /loopback/],
      ["[::7f00:1]", /IPv4-compatible form of 127\.0\.0\.1/],
      ["::ffff:7f00:1", /IPv4-mapped form of 127\.0\.0\.1/],
      ["::ffff:169.254.169.254", /IPv4-mapped form of 169\.254\.169\.254, link-local/],
      ["64:ff9b::a00:1", /NAT64 form of 10\.0\.0\.1/],
      ["2002:c0a8:101::1", /6to4 form of 192\.168\.1\.1/],
      ["2001:0:4136:e378:8000:63bf:3fff:fdd2", /Teredo/],
      ["fd12:3456::1", /unique-local/],
      ["fe80::1%eth0", /link-local/],
      ["ff02::1", /multicast/],
    ];
    for (const [address, reason] of refused) expect(nonPublicReason(address), address).toMatch(reason);
  });

  it("refuses IP literals that are not public when an endpoint is registered, and stores them as read", () => {
    const saved = process.env.NODE_ENV;
    process.env.NODE_ENV = "production";
    try {
      for (const url of ["https://0x7f.1/hook", "https://2130706433/", "https://[::7f00:1]/", "https://[::ffff:a00:1]/", "https://[64:ff9b::a9fe:a9fe]/", "https://localhost./", "https://[fd00::1]/"]) {
        expect(webhookUrlSchema.safeParse(url).success, url).toBe(false);
      }
      expect(webhookUrlSchema.parse("https://0x8.0x8.0x8.0x8/hooks")).toBe("https://8.8.8.8/hooks");
      expect(webhookUrlSchema.parse("https://example.com/hooks?a=1")).toBe("https://example.com/hooks?a=1");
      // A name is judged when a delivery is sent, by the addresses it resolves to.
      expect(webhookUrlSchema.safeParse("https://127.0.0.1.nip.io/").success).toBe(true);
    } finally {
      process.env.NODE_ENV = saved;
    }
  });

  it("refuses at delivery a name that resolves to a non-public address, and says so in the delivery log", async () => {
    const names: Record<string, string[]> = {
      "127.0.0.1.nip.io": ["127.0.0.1"],
      "localtest.me": ["127.0.0.1", "::1"],
      "mixed.example": ["93.184.215.14", "10.0.0.7"],
      "metadata.example": ["::ffff:169.254.169.254"],
    };
    const resolve = async (host: string) => (names[host] ?? []).map((address) => ({ address, family: net.isIP(address) }));
    expect(await deliveryAddresses("mixed.example", resolve)).toEqual({ ok: false, error: "Refused: mixed.example resolves to 10.0.0.7, private (10.0.0.0/8), not a public address" });
    expect(await deliveryAddresses("[::7f00:1]", resolve)).toMatchObject({ ok: false, error: expect.stringMatching(/^Refused: ::7f00:1 is IPv4-compatible form of 127\.0\.0\.1/) });
    expect(await deliveryAddresses("public.example", async () => [{ address: "93.184.215.14", family: 4 }])).toEqual({
      ok: true,
      addresses: [{ address: "93.184.215.14", family: 4 }],
    });

    const saved = process.env.NODE_ENV;
    process.env.NODE_ENV = "production";
    try {
      for (const host of Object.keys(names)) {
        const outcome = await attemptDelivery(`https://${host}/hook`, "whsec_dGVzdHNlY3JldHRlc3RzZWNyZXR0ZXN0c2VjcmV0", "msg_1", "{}", { resolve });
        expect(outcome, host).toMatchObject({ ok: false, responseCode: null, error: expect.stringMatching(new RegExp(`^Refused: ${host.replace(/\./g, "\\.")} resolves to `)) });
      }
    } finally {
      process.env.NODE_ENV = saved;
    }

    // Through the built server's worker (production, local endpoints not allowed): the refusal is
    // the delivery's error in the log. The system resolver: "localhost" is a loopback address anywhere.
    const owner = await makeUser("hooks@operations.test");
    const ws = await makeWorkspace("ganchos", owner.id);
    const endpoint = await createEndpoint(ws.id, { url: "https://localhost/hook", description: "", events: ["case.updated"] }, owner.id);
    if (!endpoint.ok) throw new Error(endpoint.reason);
    await enqueueWebhookEvent(ws.id, "case.updated", () => ({ note: "to a local address" }), new Date());
    const logged = await waitFor(async () => {
      const [row] = await getDb().select().from(webhookDeliveries).where(eq(webhookDeliveries.endpointId, endpoint.id));
      return row?.error ? row : null;
    }, 20_000, "the refused delivery in the log");
    expect(logged.status).toBe("pending");
    expect(logged.responseCode).toBeNull();
    expect(logged.error).toMatch(/^Refused: localhost resolves to (127\.0\.0\.1|::1), loopback/);
  });
});
