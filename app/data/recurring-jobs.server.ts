// Jobs that recur per workspace (alert evaluation every quarter of an hour, digests at their send
// time): at most one queued job of a kind per workspace, brought forward when something asks for an
// earlier run (a rule saved), and the next one queued as each run ends. Finished runs are kept a day.
import { and, eq, lte } from "drizzle-orm";
import { getDb } from "#db/client";
import { jobs, workspaces, type JobKind } from "#db/schema/index";
import { ensureQueuedJob } from "./jobs.server";

const KEEP_RUNS_MS = 24 * 3_600_000;

/** Queues the workspace's job of `kind` to run at `runAt`, or brings the queued one forward to it. */
export async function scheduleRecurringJob(workspaceId: number, kind: JobKind, runAt: Date): Promise<void> {
  await ensureQueuedJob({ workspaceId, kind, runAt, payload: {}, maxAttempts: 3 });
  await getDb()
    .delete(jobs)
    .where(and(eq(jobs.workspaceId, workspaceId), eq(jobs.kind, kind), eq(jobs.status, "done"), lte(jobs.finishedAt, new Date(Date.now() - KEEP_RUNS_MS))));
}

/** The workspaces, for scheduling at boot. */
export async function workspaceIds(): Promise<number[]> {
  return (await getDb().select({ id: workspaces.id }).from(workspaces)).map((w) => w.id);
}
