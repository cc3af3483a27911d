// The job runner every server process starts at boot (app/data/background.server.ts): it polls for
// due jobs (app/data/jobs.server.ts), runs each with its kind's handler, keeps the job's lease alive
// and its progress current while it runs, and records the end. A handler's error fails the job (the
// person sees why and can start it again); a node that stops mid-job is handled by the lease: another
// node claims the job once it runs out, and runs it again from the start (handlers are all-or-nothing).
// The polling loop itself (one poll at a time, woken at once by kickJobs()) is poller.server.ts.
import { randomBytes } from "node:crypto";
import os from "node:os";
import type { JobKind } from "#db/schema/index";
import { claimDueJobs, extendLease, finishJob, releaseJobs, sweepJobs, type JobEnd, type JobRow } from "./jobs.server";
import { createPoller } from "./poller.server";
import { sweepRateLimits } from "./rate-limits.server";

export type JobContext = {
  /** The job's progress as the page shows it: written with the next lease renewal (about a second). */
  progress: (value: unknown) => void;
};

export type JobHandler = (job: JobRow, context: JobContext) => Promise<JobEnd>;

/** This process among the nodes: host, pid and a random tail (a restarted process is a new node). */
export const NODE_ID = `${os.hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;

const pollMs = () => Number(process.env.JOB_POLL_MS || 1_000);
/** Progress and lease renewals: one small UPDATE per running job per interval. */
const RENEW_MS = 1_000;
/** Jobs one node runs at once (imports are heavy; a second keeps a small job from waiting behind a big one). */
const CONCURRENCY = 2;
const SWEEP_EVERY_MS = 10 * 60_000;
/** Unstarted uploads (and the files of finished ones) are kept this long. */
export const FILE_TTL_MS = 2 * 3_600_000;

let handlers: Partial<Record<JobKind, JobHandler>> = {};
let lastSweep = 0;
const running = new Set<Promise<void>>();

function warn(error: unknown) {
  console.warn("[jobs]", error instanceof Error ? error.message : error);
}

async function run(job: JobRow): Promise<void> {
  const handler = handlers[job.kind];
  // The progress reported since the last renewal, if any (a box, so the closures below share it).
  const latest: { pending: boolean; value: unknown } = { pending: false, value: null };
  let done = false;
  // Renewal loop: one renewal at a time, so they never pile up behind a long write.
  const renewal = (async () => {
    while (!done) {
      await new Promise((resolve) => setTimeout(resolve, RENEW_MS).unref());
      if (done) break;
      const progress = latest.pending ? latest.value : undefined;
      latest.pending = false;
      try {
        if (!(await extendLease(job.id, NODE_ID, progress))) break;
      } catch (error) {
        warn(error);
      }
    }
  })();
  let end: JobEnd;
  try {
    end = handler ? await handler(job, { progress: (value) => Object.assign(latest, { pending: true, value }) }) : { status: "failed", error: `No handler for jobs of kind ${job.kind}.` };
  } catch (error) {
    end = { status: "failed", error: error instanceof Error ? error.message : String(error) };
  }
  done = true;
  await renewal;
  if (!(await finishJob(job.id, NODE_ID, end))) warn(`job ${job.publicId} was taken over by another node before it finished here`);
}

async function poll(): Promise<void> {
  const free = CONCURRENCY - running.size;
  if (free > 0) {
    for (const job of await claimDueJobs(NODE_ID, free)) {
      const task = run(job)
        .catch(warn)
        .finally(() => {
          running.delete(task);
          kickJobs();
        });
      running.add(task);
    }
  }
  if (Date.now() - lastSweep > SWEEP_EVERY_MS) {
    lastSweep = Date.now();
    await sweepJobs(FILE_TTL_MS);
    await sweepRateLimits();
  }
}

// JOB_POLL_MS is read when the runner starts, not when this module loads.
const poller = createPoller({ intervalMs: pollMs, tick: poll, onError: warn });

/** Starts polling with these handlers (once per process; later calls only add handlers). */
export function startJobRunner(kinds: Partial<Record<JobKind, JobHandler>>): void {
  handlers = { ...handlers, ...kinds };
  poller.start();
  poller.kick();
}

/** After enqueueing: the job starts now on this node if it has room, not at the next poll. */
export function kickJobs(): void {
  poller.kick();
}

/**
 * Stops claiming and hands what this node holds back to the queue, for another node (or this one's
 * successor) to take over at once. A poll in progress ends first, so a job it claims is handed back
 * too. The work in flight is abandoned: its transaction never commits.
 */
export async function stopJobRunner(): Promise<void> {
  await poller.stop();
  if (running.size > 0) await releaseJobs(NODE_ID).catch(warn);
}
