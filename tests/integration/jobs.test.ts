// Durable jobs: the queue's statements (one claimer per job, leases that run out, attempts capped,
// a stopping node handing its jobs back, files kept whole), then the real thing: a CSV import started
// through one server, that server killed mid-import, and another server taking the import over by
// itself and finishing it, its progress and report readable through either.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { and, count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "#db/client";
import { customers, jobs } from "#db/schema/index";
import { claimDueJobs, createJob, ensureQueuedJob, extendLease, finishJob, readJobFile, releaseJobs, storeJobFile } from "~/data/jobs.server";
import { freshDatabasePath, removeDatabase } from "../support/database";
import { PASSWORD, makeUser, makeWorkspace } from "../support/fixtures";
import { HttpClient } from "../support/http-client";
import { startServer, type RunningServer } from "../support/server";

const dbFile = freshDatabasePath("jobs");
let ws: number;
const scratch = path.resolve("tests/.tmp", `jobs-${process.pid}`);

beforeAll(async () => {
  fs.mkdirSync(scratch, { recursive: true });
  const admin = await makeUser("ada@jobs.test");
  ws = (await makeWorkspace("jobs", admin.id)).id;
});

afterAll(() => {
  fs.rmSync(scratch, { recursive: true, force: true });
  removeDatabase(dbFile);
});

const statusOf = async (id: number) => (await getDb().select().from(jobs).where(eq(jobs.id, id)))[0];

describe("the job queue", () => {
  it("gives each due job to one claimer, never to two", async () => {
    const made = await Promise.all(Array.from({ length: 6 }, () => createJob({ workspaceId: ws, kind: "crm-import", payload: {} })));
    const [one, two] = await Promise.all([claimDueJobs("node-a", 10), claimDueJobs("node-b", 10)]);
    const ids = [...one, ...two].map((j) => j.id).sort((x, y) => x - y);
    expect(ids).toEqual(made.map((j) => j.id).sort((x, y) => x - y));
    for (const job of one) expect(await finishJob(job.id, "node-a", { status: "done", result: { ok: 1 } })).toBe(true);
    // Only the holder may finish a job: node-a cannot finish node-b's.
    for (const job of two) expect(await finishJob(job.id, "node-a", { status: "done", result: null })).toBe(false);
    for (const job of two) expect(await finishJob(job.id, "node-b", { status: "failed", error: "boom" })).toBe(true);
    expect(await claimDueJobs("node-c", 10)).toEqual([]);
  });

  it("lets another node take a job over once its lease runs out, never the node that holds it, and gives up after maxAttempts", async () => {
    const job = await createJob({ workspaceId: ws, kind: "crm-import", payload: {}, maxAttempts: 2 });
    const [first] = await claimDueJobs("node-a", 1);
    expect(first.id).toBe(job.id);
    expect(first.attempts).toBe(1);
    // Within the lease nobody else gets it; the lease is extended by its holder only.
    expect(await claimDueJobs("node-b", 1)).toEqual([]);
    expect(await extendLease(job.id, "node-b")).toBe(false);
    expect(await extendLease(job.id, "node-a", { rows: 5 })).toBe(true);
    expect(JSON.parse((await statusOf(job.id)).progress!)).toEqual({ rows: 5 });

    // node-a goes silent: past its lease, node-b claims; node-a itself, still alive, would not.
    const later = new Date(Date.now() + 10 * 60_000);
    expect(await claimDueJobs("node-a", 1, later)).toEqual([]);
    const [second] = await claimDueJobs("node-b", 1, later);
    expect(second).toMatchObject({ id: job.id, attempts: 2, lockedBy: "node-b" });
    // node-a comes back and tries to record its end: refused, the job is node-b's now.
    expect(await finishJob(job.id, "node-a", { status: "done", result: null })).toBe(false);

    // node-b goes silent too: the third claim finds the job has used its attempts, and fails it.
    expect(await claimDueJobs("node-c", 1, new Date(later.getTime() + 10 * 60_000))).toEqual([]);
    const ended = await statusOf(job.id);
    expect(ended.status).toBe("failed");
    expect(ended.error).toMatch(/went away 2 times/);
  });

  it("hands a stopping node's jobs back at once, the attempt not counted", async () => {
    const job = await createJob({ workspaceId: ws, kind: "crm-import", payload: {} });
    await claimDueJobs("node-a", 1);
    expect(await releaseJobs("node-a")).toBe(1);
    expect(await statusOf(job.id)).toMatchObject({ status: "queued", attempts: 0, lockedBy: null });
    const [again] = await claimDueJobs("node-b", 1);
    expect(again.id).toBe(job.id);
    await finishJob(job.id, "node-b", { status: "done", result: null });
  });

  it("keeps a job's file whole, in chunks, and gives it back byte for byte", async () => {
    const job = await createJob({ workspaceId: ws, kind: "crm-import", payload: {}, status: "waiting" });
    const source = path.join(scratch, "in.bin");
    const bytes = randomBytes(2.5 * 1024 * 1024);
    fs.writeFileSync(source, bytes);
    await storeJobFile(job.id, source);
    const back = path.join(scratch, "out.bin");
    expect(await readJobFile(job.id, back)).toBe(true);
    expect(fs.readFileSync(back).equals(bytes)).toBe(true);
    const none = await createJob({ workspaceId: ws, kind: "crm-import", payload: {}, status: "waiting" });
    expect(await readJobFile(none.id, path.join(scratch, "none.bin"))).toBe(false);
  });

  it("keeps one queued job per workspace and kind however many ask at once, due at the earliest time asked", async () => {
    const inADay = Date.now() + 24 * 3_600_000;
    // Connections opened first (on PostgreSQL), so the askers really overlap rather than queue for them.
    await Promise.all(Array.from({ length: 8 }, () => getDb().transaction(async (tx) => tx.select({ id: jobs.id }).from(jobs).limit(1))));
    const asked = Array.from({ length: 8 }, (_, i) => new Date(inADay + (i % 4) * 60_000));
    await Promise.all(asked.map((runAt) => ensureQueuedJob({ workspaceId: ws, kind: "digest-send", runAt, payload: {}, maxAttempts: 3 })));
    const queued = await getDb().select().from(jobs).where(and(eq(jobs.workspaceId, ws), eq(jobs.kind, "digest-send")));
    expect(queued.map((j) => [j.status, j.runAt.getTime()])).toEqual([["queued", inADay]]);
    // A later time leaves it; an earlier one brings it forward.
    await ensureQueuedJob({ workspaceId: ws, kind: "digest-send", runAt: new Date(inADay + 3_600_000), payload: {}, maxAttempts: 3 });
    await ensureQueuedJob({ workspaceId: ws, kind: "digest-send", runAt: new Date(inADay - 60_000), payload: {}, maxAttempts: 3 });
    const after = await getDb().select().from(jobs).where(and(eq(jobs.workspaceId, ws), eq(jobs.kind, "digest-send")));
    expect(after.map((j) => [j.id, j.runAt.getTime()])).toEqual([[queued[0].id, inADay - 60_000]]);
    await getDb().delete(jobs).where(eq(jobs.id, queued[0].id));
  });
});

describe("an import whose server is killed", () => {
  const ROWS = 100_000;
  let nodeA: RunningServer;
  let nodeB: RunningServer;

  beforeAll(async () => {
    // Short leases, so the takeover comes within seconds of the kill. (Two servers on one SQLite file
    // is not how SQLite installations run, but it shows the claims and leases work across processes.)
    const env = { JOB_LEASE_MS: "2000", JOB_POLL_MS: "250" };
    [nodeA, nodeB] = await Promise.all([startServer(dbFile, env), startServer(dbFile, env)]);
  });

  afterAll(async () => {
    await Promise.all([nodeA?.stop(), nodeB?.stop()]);
  });

  it("is taken over by the other server and finished exactly once, its upload, mapping step and report served by either", async () => {
    const lines = ["codigo,nombre,correo"];
    for (let i = 0; i < ROWS; i++) lines.push(`K-${i},Cliente ${i},k${i}@example.com`);
    const csv = lines.join("\n") + "\n";
    const onA = new HttpClient(nodeA.url);
    await onA.signIn("ada@jobs.test", PASSWORD);
    const onB = onA.at(nodeB.url);

    const form = new FormData();
    form.set("kind", "customers");
    form.set("file", new Blob([csv], { type: "text/csv" }), "clientes.csv");
    const uploaded = await onA.post("/w/jobs/crm/import", form);
    expect(uploaded.status).toBe(302);
    const jobId = new URL(uploaded.headers.get("location")!, nodeA.url).searchParams.get("job")!;
    const job = (await getDb().select().from(jobs).where(eq(jobs.publicId, jobId)))[0];
    expect(job.status).toBe("waiting");
    // The mapping step is served by the other node: the upload is in the database, not on A's disk.
    const mapping = await onB.get(`/w/jobs/crm/import?job=${encodeURIComponent(jobId)}`);
    expect(await mapping.text()).toContain("clientes.csv");

    // Started through A: whichever node claims it is killed as soon as it has (it reads the file back
    // from the database first, then validates: several seconds of work for this file).
    const started = await onA.post("/w/jobs/crm/import", { intent: "start", job: jobId, "map.external_id": "codigo", "map.name": "nombre", "map.email": "correo" });
    expect(started.status).toBe(302);
    let holder: string | null = null;
    for (const deadline = Date.now() + 60_000; Date.now() < deadline && !holder; ) {
      const row = await statusOf(job.id);
      expect(row.status, "the import finished before it could be interrupted: make the file bigger").not.toBe("done");
      if (row.status === "running") holder = row.lockedBy;
      else await new Promise((r) => setTimeout(r, 20));
    }
    expect(holder).not.toBeNull();
    const victim = holder!.split(":")[1] === String(nodeA.pid) ? nodeA : nodeB;
    const survivor = victim === nodeA ? nodeB : nodeA;
    process.kill(victim.pid, "SIGKILL");
    await victim.stop();

    // Nobody opens a page: the survivor claims the job when the lease runs out, and finishes it.
    let ended = await statusOf(job.id);
    for (const deadline = Date.now() + 120_000; Date.now() < deadline && ended.status !== "done" && ended.status !== "failed"; ) {
      await new Promise((r) => setTimeout(r, 200));
      ended = await statusOf(job.id);
    }
    expect(ended.error).toBeNull();
    expect(ended.status).toBe("done");
    expect(ended.attempts).toBe(2);
    expect(ended.lockedBy).toBeNull();
    const report = JSON.parse(ended.result!) as { imported: boolean; added: number; rows: number };
    expect(report).toMatchObject({ imported: true, added: ROWS, rows: ROWS });
    const [{ n }] = await getDb().select({ n: count() }).from(customers).where(eq(customers.workspaceId, ws));
    expect(n).toBe(ROWS);

    // The report page, and the admin's background-work page, from the node still running.
    const client = victim === nodeA ? onB : onA;
    expect(client.base).toBe(survivor.url);
    const page = await (await client.get(`/w/jobs/crm/import?job=${encodeURIComponent(jobId)}`)).text();
    expect(page).toContain('data-testid="import-outcome"');
    const admin = await (await client.get("/w/jobs/jobs")).text();
    expect(admin).toMatch(/data-testid="job-row"/);
    expect(admin).toMatch(/2(<!-- -->)? \/ (<!-- -->)?3/);
  }, 240_000);
});
