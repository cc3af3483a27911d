// Jobs that recur per workspace (alert evaluation every quarter of an hour, digests at their send
// time): at most one queued job of a kind per workspace, brought forward when something asks for an
// earlier run (a rule saved), and the next one queued as each run ends. Finished runs are kept a day.
import { and, eq, lte, sql } from "drizzle-orm";
import { execute, getDb, isPostgres } from "#db/client";
import { jobs, workspaces, type JobKind } from "#db/schema/index";
import { createJob } from "./jobs.server";

const KEEP_RUNS_MS = 24 * 3_600_000;
const LOCK_SPACE: Partial<Record<JobKind, number>> = { "alert-evaluation": 71_001, "digest-send": 71_002 };

/**
 * Queues the workspace's job of `kind` to run at `runAt`, or brings the queued one forward to it.
 * Two nodes asking at once leave one queued job: SQLite transactions write one at a time, and on
 * PostgreSQL a transaction-scoped advisory lock per (kind, workspace) serialises the check and insert.
 */
export async function scheduleRecurringJob(workspaceId: number, kind: JobKind, runAt: Date): Promise<void> {
  await getDb().transaction(async (tx) => {
    if (isPostgres()) await execute(sql`select pg_advisory_xact_lock(${LOCK_SPACE[kind] ?? 71_000}, ${workspaceId})`);
    const [queued] = await tx
      .select({ id: jobs.id, runAt: jobs.runAt })
      .from(jobs)
      .where(and(eq(jobs.workspaceId, workspaceId), eq(jobs.kind, kind), eq(jobs.status, "queued")))
      .limit(1);
    if (!queued) {
      await createJob({ workspaceId, kind, payload: {}, runAt, maxAttempts: 3 });
    } else if (queued.runAt.getTime() > runAt.getTime()) {
      await tx.update(jobs).set({ runAt }).where(and(eq(jobs.id, queued.id), eq(jobs.status, "queued")));
    }
    await tx
      .delete(jobs)
      .where(and(eq(jobs.workspaceId, workspaceId), eq(jobs.kind, kind), eq(jobs.status, "done"), lte(jobs.finishedAt, new Date(Date.now() - KEEP_RUNS_MS))));
  });
}

/** The workspaces, for scheduling at boot. */
export async function workspaceIds(): Promise<number[]> {
  return (await getDb().select({ id: workspaces.id }).from(workspaces)).map((w) => w.id);
}
