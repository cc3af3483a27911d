// The production server's writing threads (built to build/server/writer-thread.js and started by
// server.js through useWriterThread, ADR 012), each with its own connection to DATABASE_PATH:
//
// - the writer (workerData.role "writer") writes the batches of responses the HTTP thread sends.
//   Batches that arrive while a transaction runs are written together in the next one (group
//   commit across requests). It also applies the folds its helper computes, inside one of those
//   transactions: a fold moves the rollup mark and adds the sums at once (rollup-fold.server.ts).
// - the folder (role "folder") computes the next fold every FOLD_INTERVAL_MS from the committed
//   rows, reading only, and sends it to the writer over `port`: the reading and adding up (most of
//   a fold's cost) happen beside the writer, and the write lock is held only for the upserts. It
//   also checkpoints the WAL, so no commit pays for copying pages and their fsyncs.
import { parentPort, workerData, type MessagePort } from "node:worker_threads";
import { getDb } from "#db/client";
import { batchWriter, type WritePlan } from "~/data/response-writer.server";
import { applyFold, computeFold, type Fold } from "~/data/rollup-fold.server";
import { FALLBACK_AUTOCHECKPOINT_PAGES, type WireOutcome, type WriteReply, type WriteRequest } from "~/data/writer-thread.server";

/** How often the folder looks for responses to fold: the sums trail the rows by about this much. */
const FOLD_INTERVAL_MS = 200;
/** At most this many responses per fold, so a fold holds the write lock a few ms at most. */
const FOLD_LIMIT = 2_000;
/**
 * How often the folder checkpoints the WAL into the database file. PASSIVE: it copies what is
 * committed without stopping the writer, and its fsyncs wait here instead of in a commit that
 * requests are waiting on. Often, so each checkpoint is small: at full ingest the WAL grows by
 * ~20,000 pages a second, and checkpoints every 500 ms (up to 10,000 pages each) measured a p99 of
 * 58–65 ms against 42–44 ms every 50 ms (bench:ingest, ADR 012). Skipped when nothing was committed.
 */
const CHECKPOINT_INTERVAL_MS = 50;

type Role = { role: "writer" | "folder"; port: MessagePort };
/** Writer → folder: the fold is done with, and whether it was applied (false: stale or failed). */
type FoldAck = { applied: boolean };

if (!parentPort) throw new Error("writer-thread.worker runs as a worker thread (server.js starts it).");
const { role, port } = workerData as Role;
const sqlite = getDb().$client;

if (role === "writer") runWriter(parentPort, port);
else runFolder(port);

function runWriter(requests: MessagePort, folder: MessagePort) {
  sqlite.pragma(`wal_autocheckpoint = ${FALLBACK_AUTOCHECKPOINT_PAGES}`);
  const write = batchWriter(sqlite);
  // A fold that fails to apply is rolled back alone (its own savepoint) and computed again.
  const applyNested = sqlite.transaction((fold: Fold) => applyFold(sqlite, fold));
  let waiting: WriteRequest[] = [];
  let fold: Fold | null = null;
  let scheduled = false;
  const schedule = () => {
    if (!scheduled) {
      scheduled = true;
      setImmediate(writeWaiting);
    }
  };

  function writeWaiting() {
    scheduled = false;
    const batch = waiting;
    waiting = [];
    const folding = fold;
    fold = null;
    let applied = false;
    const applyFolding = folding
      ? () => {
          try {
            applied = applyNested(folding);
          } catch (error) {
            console.error("Applying a rollup fold failed; it will be computed again.", error);
          }
        }
      : undefined;
    const plans: WritePlan[] = batch.flatMap((r) => r.plans);
    let replies: WriteReply[];
    try {
      const outcomes = write(plans, applyFolding).map((o): WireOutcome => (o instanceof Error ? { error: o.message } : o));
      let at = 0;
      replies = batch.map((r) => ({ id: r.id, outcomes: outcomes.slice(at, (at += r.plans.length)) }));
    } catch (error) {
      replies = batch.map((r) => ({ id: r.id, failed: error instanceof Error ? error.message : String(error) }));
    }
    for (const reply of replies) requests.postMessage(reply);
    if (folding) folder.postMessage({ applied } satisfies FoldAck);
  }

  requests.on("message", (request: WriteRequest) => {
    waiting.push(request);
    schedule();
  });
  folder.on("message", (next: Fold) => {
    fold = next;
    schedule();
  });
}

function runFolder(writer: MessagePort) {
  let outstanding = false;
  const tick = () => {
    if (outstanding) return;
    let next: Fold | null = null;
    try {
      next = computeFold(sqlite, FOLD_LIMIT);
    } catch (error) {
      console.error("Computing a rollup fold failed; trying again shortly.", error);
    }
    if (next) {
      outstanding = true;
      writer.postMessage(next);
    }
  };
  // Applied or not (stale because a reader folded meanwhile, or failed), the next fold is computed
  // at the next tick: recomputing at once would spin while the database keeps failing.
  writer.on("message", () => {
    outstanding = false;
  });
  setInterval(tick, FOLD_INTERVAL_MS);
  let checkpointed = -1;
  setInterval(() => {
    try {
      // data_version changes when another connection commits: nothing new, nothing to copy.
      const version = sqlite.pragma("data_version", { simple: true }) as number;
      if (version === checkpointed) return;
      checkpointed = version;
      sqlite.pragma("wal_checkpoint(PASSIVE)");
    } catch (error) {
      console.error("Checkpointing the WAL failed; trying again shortly.", error);
    }
  }, CHECKPOINT_INTERVAL_MS);
}
