// Durable jobs (db/schema/jobs.ts): the rows behind background work, and the few statements that move
// them along. A job is claimed under a lease that the node running it keeps extending; a node that
// stops (crash, kill, lost machine) stops extending it, and once it runs out any running node claims
// the job again. On PostgreSQL the claim skips rows another node has locked (FOR UPDATE SKIP LOCKED);
// on SQLite one process writes at a time anyway. Either way the claiming UPDATE repeats the "due"
// condition, so of two claimers only one gets a row back.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import { and, asc, desc, eq, inArray, lte, or, sql } from "drizzle-orm";
import { execute, getDb, instantParam, isPostgres, rows } from "#db/client";
import { JOB_KINDS, jobFiles, jobs, type JobKind, type JobStatus } from "#db/schema/index";

export type JobRow = typeof jobs.$inferSelect;

/** How long a claim holds without being extended; the runner extends it every quarter of this. */
export const leaseMs = () => Number(process.env.JOB_LEASE_MS || 30_000);

/** Finished jobs (and their files) are kept this long for the admin's view, then deleted. */
const KEEP_FINISHED_MS = 30 * 24 * 3_600_000;

/** Input files are stored in chunks of this size: never a whole upload in memory, on either side. */
const FILE_CHUNK_BYTES = 1024 * 1024;

export const newPublicId = () => randomBytes(16).toString("base64url");

export type NewJob = {
  workspaceId: number;
  kind: JobKind;
  payload: unknown;
  /** "waiting" until something asks it to run (startJob); "queued" to run at runAt. */
  status?: Extract<JobStatus, "waiting" | "queued" | "failed">;
  error?: string | null;
  runAt?: Date;
  maxAttempts?: number;
};

export async function createJob(job: NewJob): Promise<JobRow> {
  const now = new Date();
  const [row] = await getDb()
    .insert(jobs)
    .values({
      workspaceId: job.workspaceId,
      publicId: newPublicId(),
      kind: job.kind,
      status: job.status ?? "queued",
      payload: JSON.stringify(job.payload),
      error: job.error ?? null,
      maxAttempts: job.maxAttempts ?? 3,
      runAt: job.runAt ?? now,
      createdAt: now,
      finishedAt: job.status === "failed" ? now : null,
    })
    .returning();
  return row;
}

/**
 * Makes sure the workspace has a queued job of `kind` due by `runAt`: the queued one is brought
 * forward, or one is created. For work that needs one runner per workspace (mail delivery, alert
 * evaluation, digests). Two nodes asking at once leave one queued job: SQLite transactions write one
 * at a time, and on PostgreSQL a transaction-scoped advisory lock per (kind, workspace) serialises
 * the check and the insert.
 */
export async function ensureQueuedJob(job: { workspaceId: number; kind: JobKind; runAt: Date; payload: unknown; maxAttempts: number }): Promise<void> {
  await getDb().transaction(async (tx) => {
    if (isPostgres()) await execute(sql`select pg_advisory_xact_lock(${71_000 + JOB_KINDS.indexOf(job.kind)}, ${job.workspaceId})`);
    const [queued] = await tx
      .select({ id: jobs.id, runAt: jobs.runAt })
      .from(jobs)
      .where(and(eq(jobs.workspaceId, job.workspaceId), eq(jobs.kind, job.kind), eq(jobs.status, "queued")))
      .orderBy(asc(jobs.runAt))
      .limit(1);
    if (!queued) {
      await createJob({ workspaceId: job.workspaceId, kind: job.kind, payload: job.payload, runAt: job.runAt, maxAttempts: job.maxAttempts });
    } else if (queued.runAt.getTime() > job.runAt.getTime()) {
      await tx.update(jobs).set({ runAt: job.runAt }).where(and(eq(jobs.id, queued.id), eq(jobs.status, "queued")));
    }
  });
}

/** A job of this workspace by its public id. */
export async function findJob(workspaceId: number, publicId: string): Promise<JobRow | null> {
  // Public ids are base64url (newPublicId): anything else (a NUL, a megabyte) names no job and is not
  // sent to the database at all (PostgreSQL refuses a NUL in text).
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(publicId)) return null;
  const [row] = await getDb()
    .select()
    .from(jobs)
    .where(and(eq(jobs.workspaceId, workspaceId), eq(jobs.publicId, publicId)))
    .limit(1);
  return row ?? null;
}

/**
 * Queues a job again (or for the first time) with a new payload, only from one of the `from` states:
 * of two requests racing on two nodes, one wins and the other gets false.
 */
export async function requeueJob(id: number, from: JobStatus[], payload: unknown): Promise<boolean> {
  const now = new Date();
  const changed = await getDb()
    .update(jobs)
    .set({ status: "queued", payload: JSON.stringify(payload), progress: null, result: null, error: null, attempts: 0, runAt: now, finishedAt: null })
    .where(and(eq(jobs.id, id), inArray(jobs.status, from)))
    .returning({ id: jobs.id });
  return changed.length === 1;
}

/** Stores a file as the job's input, in one transaction (all of it or none). */
export async function storeJobFile(jobId: number, file: string): Promise<void> {
  await getDb().transaction(async (tx) => {
    let seq = 0;
    for await (const chunk of fs.createReadStream(file, { highWaterMark: FILE_CHUNK_BYTES })) {
      await tx.insert(jobFiles).values({ jobId, seq: seq++, data: chunk as Buffer });
    }
  });
}

/** Writes the job's input file out to `file`, a chunk at a time; false when it has none any more. */
export async function readJobFile(jobId: number, file: string): Promise<boolean> {
  const [{ chunks }] = await getDb().select({ chunks: sql<number>`count(*)`.mapWith(Number) }).from(jobFiles).where(eq(jobFiles.jobId, jobId));
  if (chunks === 0) return false;
  const out = fs.createWriteStream(file);
  try {
    for (let seq = 0; seq < chunks; seq++) {
      const [row] = await getDb()
        .select({ data: jobFiles.data })
        .from(jobFiles)
        .where(and(eq(jobFiles.jobId, jobId), eq(jobFiles.seq, seq)))
        .limit(1);
      if (!row) throw new Error(`chunk ${seq} of the job's file is missing`);
      if (!out.write(row.data)) await new Promise<void>((resolve) => out.once("drain", resolve));
    }
    await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
    return true;
  } catch (error) {
    out.destroy();
    fs.rmSync(file, { force: true });
    throw error;
  }
}

export async function dropJobFile(jobId: number): Promise<void> {
  await getDb().delete(jobFiles).where(eq(jobFiles.jobId, jobId));
}

/** Due at `now`: queued and its time has come, or running under a lease that ran out. */
function dueCondition(now: Date) {
  return or(and(eq(jobs.status, "queued"), lte(jobs.runAt, now)), and(eq(jobs.status, "running"), lte(jobs.leaseUntil, now)));
}

/**
 * Due for `node`: as dueCondition, but never a job this node is running itself. A node's own lease can
 * run out while it is alive and busy (on SQLite its renewal waits behind a long write transaction);
 * only another node, or this one after a restart (a new node id), may take such a job over.
 */
function dueFor(node: string, now: Date) {
  return or(
    and(eq(jobs.status, "queued"), lte(jobs.runAt, now)),
    and(eq(jobs.status, "running"), lte(jobs.leaseUntil, now), sql`${jobs.lockedBy} <> ${node}`),
  );
}

/**
 * Claims up to `limit` due jobs for `node`: each comes back running, leased to it, its attempts counted.
 * A job that has already been claimed maxAttempts times (its nodes kept stopping under it) is marked
 * failed instead of being run again.
 */
export async function claimDueJobs(node: string, limit: number, now = new Date()): Promise<JobRow[]> {
  const claimed = await getDb().transaction(async (tx) => {
    const skipLocked = isPostgres() ? sql` FOR UPDATE SKIP LOCKED` : sql``;
    const due = await rows<{ id: number }>(
      sql`SELECT id FROM jobs
          WHERE (status = 'queued' AND run_at <= ${instantParam(now)})
             OR (status = 'running' AND lease_until <= ${instantParam(now)} AND locked_by <> ${node})
          ORDER BY run_at LIMIT ${limit}${skipLocked}`,
    );
    if (due.length === 0) return [];
    return tx
      .update(jobs)
      .set({ status: "running", lockedBy: node, leaseUntil: new Date(now.getTime() + leaseMs()), attempts: sql`${jobs.attempts} + 1`, startedAt: now })
      .where(and(inArray(jobs.id, due.map((d) => Number(d.id))), dueFor(node, now)))
      .returning();
  });
  const runnable: JobRow[] = [];
  for (const job of claimed) {
    if (job.attempts > job.maxAttempts) {
      const stops = job.attempts - 1;
      await finishJob(job.id, node, { status: "failed", error: `Stopped: the server running it went away ${stops} time${stops === 1 ? "" : "s"}; start it again.` });
    } else runnable.push(job);
  }
  return runnable.sort((a, b) => a.runAt.getTime() - b.runAt.getTime());
}

/** Extends the lease (and records progress, when given); false when the job is no longer this node's. */
export async function extendLease(id: number, node: string, progress?: unknown): Promise<boolean> {
  const changed = await getDb()
    .update(jobs)
    .set({ leaseUntil: new Date(Date.now() + leaseMs()), ...(progress === undefined ? {} : { progress: JSON.stringify(progress) }) })
    .where(and(eq(jobs.id, id), eq(jobs.lockedBy, node), eq(jobs.status, "running")))
    .returning({ id: jobs.id });
  return changed.length === 1;
}

export type JobEnd = { status: "done"; result: unknown } | { status: "failed"; error: string };

/** Records the end of a job this node holds; false when it was no longer this node's (nothing written). */
export async function finishJob(id: number, node: string, end: JobEnd): Promise<boolean> {
  const changed = await getDb()
    .update(jobs)
    .set({
      status: end.status,
      result: end.status === "done" ? JSON.stringify(end.result) : null,
      error: end.status === "failed" ? end.error : null,
      leaseUntil: null,
      lockedBy: null,
      finishedAt: new Date(),
    })
    .where(and(eq(jobs.id, id), eq(jobs.lockedBy, node), eq(jobs.status, "running")))
    .returning({ id: jobs.id });
  return changed.length === 1;
}

/**
 * Hands back what a node holds when it stops on purpose: queued again, due at once, the attempt not
 * counted (a deploy is not a crash), so a running node takes it over without waiting for the lease.
 */
export async function releaseJobs(node: string): Promise<number> {
  const released = await getDb()
    .update(jobs)
    .set({ status: "queued", runAt: new Date(), leaseUntil: null, lockedBy: null, attempts: sql`CASE WHEN ${jobs.attempts} > 0 THEN ${jobs.attempts} - 1 ELSE 0 END` })
    .where(and(eq(jobs.lockedBy, node), eq(jobs.status, "running")))
    .returning({ id: jobs.id });
  return released.length;
}

/** Deletes finished jobs past their keeping time, and the files of jobs no one ran within `fileTtlMs`. */
export async function sweepJobs(fileTtlMs: number, now = Date.now()): Promise<void> {
  await getDb()
    .delete(jobs)
    .where(and(inArray(jobs.status, ["done", "failed"]), lte(jobs.finishedAt, new Date(now - KEEP_FINISHED_MS))));
  const stale = await getDb()
    .select({ id: jobs.id })
    .from(jobs)
    .where(and(inArray(jobs.status, ["waiting", "done", "failed"]), lte(jobs.createdAt, new Date(now - fileTtlMs))));
  if (stale.length > 0) await getDb().delete(jobFiles).where(inArray(jobFiles.jobId, stale.map((s) => s.id)));
}

export type JobSummary = Pick<JobRow, "publicId" | "kind" | "status" | "attempts" | "maxAttempts" | "error" | "lockedBy" | "createdAt" | "startedAt" | "finishedAt" | "leaseUntil"> & {
  progress: unknown;
};

/** The workspace's latest jobs, newest first, for the admin's view. */
export async function listJobs(workspaceId: number, limit = 50): Promise<JobSummary[]> {
  const list = await getDb()
    .select({
      publicId: jobs.publicId,
      kind: jobs.kind,
      status: jobs.status,
      attempts: jobs.attempts,
      maxAttempts: jobs.maxAttempts,
      error: jobs.error,
      lockedBy: jobs.lockedBy,
      createdAt: jobs.createdAt,
      startedAt: jobs.startedAt,
      finishedAt: jobs.finishedAt,
      leaseUntil: jobs.leaseUntil,
      progress: jobs.progress,
    })
    .from(jobs)
    .where(eq(jobs.workspaceId, workspaceId))
    .orderBy(desc(jobs.createdAt), desc(jobs.id))
    .limit(limit);
  return list.map((j) => ({ ...j, progress: j.progress ? (JSON.parse(j.progress) as unknown) : null }));
}

/** The workspace's jobs counted by status, and how many are overdue by more than a minute (no node is taking them). */
export async function jobCounts(workspaceId: number): Promise<Record<JobStatus, number> & { overdue: number }> {
  const now = new Date();
  const counts = await getDb()
    .select({ status: jobs.status, n: sql<number>`count(*)`.mapWith(Number) })
    .from(jobs)
    .where(eq(jobs.workspaceId, workspaceId))
    .groupBy(jobs.status)
    .orderBy(asc(jobs.status));
  const [overdue] = await getDb()
    .select({ n: sql<number>`count(*)`.mapWith(Number) })
    .from(jobs)
    .where(and(eq(jobs.workspaceId, workspaceId), dueCondition(new Date(now.getTime() - 60_000))));
  const out = { waiting: 0, queued: 0, running: 0, done: 0, failed: 0, overdue: overdue?.n ?? 0 };
  for (const c of counts) out[c.status] = c.n;
  return out;
}
