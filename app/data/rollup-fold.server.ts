// The fold, PostgreSQL only (ADR 033): pending rollup increments (rollup_pending, one row per batch
// of responses, written in the batch's transaction by rollup-writes.server.ts) added to the daily and
// the weekly rollups. One statement claims up to CLAIM pending rows with FOR UPDATE SKIP LOCKED,
// deletes them and upserts their sums, added up per key, into both levels, so a claimed row is gone
// exactly when its sums are in: readers, which add the pending rows to the folded ones in one
// statement (the rollups_read views), never count an increment twice or miss it, whatever commits
// in between. Nothing is folded by a cursor over ids, which on PostgreSQL commit out of order.
//
// A server process folds within FOLD_DELAY_MS of committing pending increments itself, and every
// SWEEP_EVERY_MS looks for any another process left (one that died, or stopped): started with the
// background work. A transaction-scoped advisory lock lets one process fold at a time, so folds never
// queue on each other's rollup rows, and a process that dies mid-fold leaves its claim to roll back
// and be taken by the next. Folding keeps the pending set to about FOLD_DELAY_MS of ingest: a bounded
// backlog (bench:ingest samples it). An idle process asks one cheap question a second. SQLite never
// has anything pending (its batches upsert the rollups).
import { sql } from "drizzle-orm";
import { getDb, isPostgres, rows } from "#db/client";
import { queryText } from "#db/statement-text";
import { createPoller } from "./poller.server";
import { addedOnConflict, keyColumns, PENDING_COLUMNS, VALUE_COLUMNS } from "./rollup-writes.server";

/** Pending rows (batches of responses) per fold statement: a few seconds of ingest at full rate. */
const CLAIM = 2_000;
/** From committing pending increments to folding them (the batches of that time in one fold); readers add what is pending, so this bounds the backlog, not what they see. */
const FOLD_DELAY_MS = 100;
/** Between looks for pending rows this process did not write (a fold every 100 ms when idle cost ~2 % of a core). */
const SWEEP_EVERY_MS = 1_000;
/** The advisory lock (a transaction's) one folding process holds. */
const FOLD_LOCK = 72_001;

/** One level's share of the claimed increments, added up per key in key order (folds lock rollup rows in one order). */
function foldInto(table: "rollups" | "rollups_weekly"): string {
  const keys = keyColumns(table).join(", ");
  const ordinals = keyColumns(table).map((_, i) => i + 1).join(", ");
  return `INSERT INTO ${table} (${keys}, ${VALUE_COLUMNS.join(", ")})
    SELECT ${keys}, ${VALUE_COLUMNS.map((c) => `sum(${c})`).join(", ")} FROM increments GROUP BY ${ordinals} ORDER BY ${ordinals}
    ${addedOnConflict(table)}`;
}

/** Claim, delete and fold into both levels in one statement; the count folded. */
const FOLD = `WITH claimed AS (
    DELETE FROM rollup_pending WHERE id IN (SELECT id FROM rollup_pending ORDER BY id LIMIT ${CLAIM} FOR UPDATE SKIP LOCKED)
    RETURNING *
  ), increments AS (
    SELECT u.* FROM claimed c
    CROSS JOIN LATERAL unnest(${PENDING_COLUMNS.map((c) => `c.${c}`).join(", ")}) AS u(${PENDING_COLUMNS.join(", ")})
  ), daily AS (${foldInto("rollups")}
  ), weekly AS (${foldInto("rollups_weekly")}
  )
  SELECT count(*)::int AS folded FROM claimed`;

/**
 * One fold: up to CLAIM pending rows into the rollups, in a transaction of its own. Returns how many
 * were folded (0 when another process holds the fold, or nothing is pending).
 */
export async function foldPendingRollups(): Promise<number> {
  if (!isPostgres()) return 0;
  return getDb().transaction(async () => {
    const [{ locked }] = await rows<{ locked: boolean }>(sql`SELECT pg_try_advisory_xact_lock(${FOLD_LOCK}) AS locked`);
    if (!locked) return 0;
    const [{ folded }] = await queryText<{ folded: number }>(FOLD, []);
    return folded;
  });
}

/** Folds until nothing is pending (tests use it to read the tables alone). */
export async function foldAllPendingRollups(): Promise<void> {
  if (!isPostgres()) return;
  // A process holding the lock folds what is there; waiting for it here keeps "all" true.
  while ((await pendingRollupRows()) > 0) {
    if ((await foldPendingRollups()) === 0) await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Pending rows (batches) waiting for the fold: the backlog, for the health view and the bench. */
export async function pendingRollupRows(): Promise<number> {
  if (!isPostgres()) return 0;
  const [{ pending }] = await rows<{ pending: number }>(sql`SELECT count(*)::int AS pending FROM rollup_pending`);
  return pending;
}

/**
 * A workspace's share of the backlog, for the background-work page: pending batches holding some of
 * its responses and how long the oldest has waited. Null on SQLite, which never has any.
 */
export async function foldBacklog(workspaceId: number): Promise<{ batches: number; oldestMs: number | null } | null> {
  if (!isPostgres()) return null;
  const [row] = await rows<{ batches: number; oldestMs: number | null }>(
    sql`SELECT count(*)::int AS batches, (extract(epoch FROM clock_timestamp() - min(created_at)) * 1000)::float8 AS "oldestMs"
          FROM rollup_pending WHERE ${workspaceId} = ANY(workspace_id)`,
  );
  return { batches: row.batches, oldestMs: row.oldestMs === null ? null : Number(row.oldestMs) };
}

const poller = createPoller({
  intervalMs: SWEEP_EVERY_MS,
  // One cheap look first: a fold is a transaction of four round trips. A full claim says more is
  // waiting: fold again at once.
  tick: async () => (await rows(sql`SELECT 1 FROM rollup_pending LIMIT 1`)).length > 0 && (await foldPendingRollups()) === CLAIM,
  onError: (error) => console.warn("[rollup fold]", error instanceof Error ? error.message : error),
});

let folding = false;
let soon: NodeJS.Timeout | null = null;

/** Starts this process's folds (PostgreSQL; nothing to fold on SQLite). */
export function startRollupFolds(): void {
  if (!isPostgres()) return;
  folding = true;
  poller.start();
  poller.kick();
}

/**
 * A fold FOLD_DELAY_MS from now (one for every batch committed in that time), called once this
 * process has committed a batch of responses. Nothing when folds are not started (SQLite; tests and
 * commands recording in process, whose leftovers a server folds).
 */
export function foldSoon(): void {
  if (!folding || soon) return;
  soon = setTimeout(() => {
    soon = null;
    poller.kick();
  }, FOLD_DELAY_MS);
  soon.unref();
}

/** Stops folding; resolves once a fold in progress has committed or rolled back. */
export function stopRollupFolds(): Promise<void> {
  folding = false;
  if (soon) clearTimeout(soon);
  soon = null;
  return poller.stop();
}
