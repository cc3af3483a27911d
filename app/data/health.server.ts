// Health for load balancers, orchestrators and tests. Liveness (/healthz): the process is up and the
// database answers a read. Readiness (/readyz): the database can also be written, and the process
// is not shutting down; a node that is not ready should get no new traffic, but is not broken.
import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { execute, getDb, instantParam, rows } from "#db/client";
import { driverMessage, unwritableCode } from "#db/unwritable";

/** How long a probe may take before the node is reported unhealthy (a database that hangs). */
const PROBE_TIMEOUT_MS = 5_000;

export type HealthReport = { ok: true } | { ok: false; reason: string };

let shuttingDown = false;

/** Called by server.js on SIGTERM/SIGINT: readiness fails from now on, while requests in flight finish. */
export function beginShutdown(): void {
  shuttingDown = true;
}

/** The probe's answer, or a failure once PROBE_TIMEOUT_MS has passed without one. */
async function within(probe: () => Promise<void>, what: string): Promise<HealthReport> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<HealthReport>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, reason: `the database did not answer a ${what} within ${PROBE_TIMEOUT_MS / 1000} s` }), PROBE_TIMEOUT_MS);
    timer.unref();
  });
  const answered = probe().then(
    (): HealthReport => ({ ok: true }),
    (error: unknown): HealthReport => {
      const code = unwritableCode(error);
      const cause = code ? `${code}: ${driverMessage(error)}` : driverMessage(error);
      return { ok: false, reason: what === "write" && code ? `the database cannot be written (${cause})` : `the database failed a ${what} (${cause})` };
    },
  );
  try {
    return await Promise.race([answered, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** A read of a real table (opened and migrated on first use): `select 1` would not touch the file. */
async function readProbe(): Promise<void> {
  await rows(sql`SELECT id FROM workspaces ORDER BY id LIMIT 1`);
}

/**
 * A write that leaves nothing behind: one transaction inserts a row into rate_limits under a bucket
 * no limiter uses, deletes it and commits. Committing is the point: a rolled-back write never
 * reaches the disk, so it would not notice a full disk or a read-only file. Costs one page of WAL.
 */
async function writeProbe(): Promise<void> {
  const bucket = `readyz-probe:${randomBytes(8).toString("hex")}`;
  await getDb().transaction(async () => {
    await execute(sql`INSERT INTO rate_limits (bucket, window_start, hits) VALUES (${bucket}, ${instantParam(new Date())}, 0)`);
    await execute(sql`DELETE FROM rate_limits WHERE bucket = ${bucket}`);
  });
}

/** Liveness: the database answers a read. */
export async function liveness(): Promise<HealthReport> {
  return within(readProbe, "read");
}

/** Readiness: not shutting down, and the database answers a read and takes a write. */
export async function readiness(): Promise<HealthReport> {
  if (shuttingDown) return { ok: false, reason: "shutting down" };
  const read = await within(readProbe, "read");
  if (!read.ok) return read;
  return within(writeProbe, "write");
}
