// The production server's writing threads (built to build/server/writer-thread.js and started by
// server.js through useWriterThread, ADR 012 and 013), each with its own connection to DATABASE_PATH:
//
// - the writer (workerData.role "writer") writes the batches of responses the HTTP thread sends.
//   Batches that arrive while a transaction runs are written together in the next one (group
//   commit across requests). It also keeps the rollups: it adds up the increments of the responses
//   it has committed as it goes (RollupAccumulator), and every FOLD_INTERVAL_MS applies those sums
//   and moves the rollup mark, at the start of its next transaction (ADR 013). Should anyone else
//   have folded or written responses meanwhile, the sums are dropped and it folds from the rows.
// - the checkpointer (role "checkpointer") copies the WAL into the database file, so no commit pays
//   for copying pages and their fsyncs.
import { parentPort, workerData, type MessagePort } from "node:worker_threads";
import { getDb } from "#db/client";
import { batchWriter, type WritePlan } from "~/data/response-writer.server";
import { applyAccumulated, foldedThrough, foldNextChunk, pendingRollups, RollupAccumulator } from "~/data/rollup-fold.server";
import { FALLBACK_AUTOCHECKPOINT_PAGES, type WireOutcome, type WriteReply, type WriteRequest } from "~/data/writer-thread.server";

/**
 * How often the writer folds what it accumulated into the rollup tables: they trail the rows by
 * about this much (readers fold what is pending first, so no read sees them behind). Longer
 * intervals add more responses into each key before its upsert: responses completed on earlier
 * days (late uploads) each bring dozens of keys of their own. 500 ms measured 59–62 % of the no-op
 * ceiling against 45–56 % at 200 ms (ADR 013); with FOLD_LIMIT, a reader never finds more than
 * ~2,000 responses to fold. VIVENCIA_FOLD_INTERVAL_MS changes it (tests widen it).
 */
const FOLD_INTERVAL_MS = Number(process.env.VIVENCIA_FOLD_INTERVAL_MS) || 500;
/** The writer folds sooner once it has accumulated this many responses. */
const FOLD_LIMIT = 2_000;
/**
 * How often the checkpointer copies the WAL into the database file. PASSIVE: it copies what is
 * committed without stopping the writer, and its fsyncs wait here instead of in a commit that
 * requests are waiting on. Often, so each checkpoint is small: at full ingest the WAL grows by
 * ~20,000 pages a second, and checkpoints every 500 ms (up to 10,000 pages each) measured a p99 of
 * 58–65 ms against 42–44 ms every 50 ms (bench:ingest, ADR 012). Skipped when nothing was committed.
 */
const CHECKPOINT_INTERVAL_MS = 50;

type Role = { role: "writer" | "checkpointer" };

if (!parentPort) throw new Error("writer-thread.worker runs as a worker thread (server.js starts it).");
const { role } = workerData as Role;
const sqlite = getDb().$client;

if (role === "writer") runWriter(parentPort);
else runCheckpointer();

function runWriter(requests: MessagePort) {
  sqlite.pragma(`wal_autocheckpoint = ${FALLBACK_AUTOCHECKPOINT_PAGES}`);
  const write = batchWriter(sqlite);
  // The rollup increments of the responses committed here since the last fold: responses
  // (base, last], `sums.count` of them. `base` null: the next fold reads the rows instead (at start,
  // when a fold from the rows left some for later, or after a failed one).
  let base: number | null = null;
  let last = 0;
  let sums = new RollupAccumulator();
  let foldDue = false;

  /**
   * Inside the batch's transaction, before its responses: the accumulated sums applied, or else a
   * chunk folded from the rows; the new base (null: more to fold from the rows). Nested, so a fold
   * that fails rolls back alone and the batch still commits.
   */
  const fold = sqlite.transaction((): number | null => {
    if (base !== null && sums.count > 0 && applyAccumulated(sqlite, { from: base, through: last, sums: sums.sums() }, sums.count)) return last;
    // Someone else folded or wrote responses meanwhile (or this is the first fold): from the rows.
    // They hold every response committed so far, ours included, and none of this batch yet.
    foldNextChunk(sqlite);
    return pendingRollups(sqlite) === 0 ? foldedThrough(sqlite) : null;
  });

  let waiting: WriteRequest[] = [];
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
    const folding = foldDue;
    foldDue = false;
    // What the fold inside this batch's transaction left: the new base (null: read the rows next).
    const folded = { done: false, base: null as number | null };
    const first = folding
      ? () => {
          folded.done = true;
          try {
            folded.base = fold();
          } catch (error) {
            console.error("Folding the rollups failed; the next fold reads the rows.", error);
            folded.base = null;
          }
        }
      : undefined;
    const plans: WritePlan[] = batch.flatMap((r) => r.plans);
    let outcomes: ReturnType<typeof write> = [];
    let replies: WriteReply[];
    try {
      outcomes = write(plans, first);
      // As written; the recording thread tells each caller only its status and id (responses.server.ts).
      const wire = outcomes.map((o): WireOutcome => (o instanceof Error ? { error: o.message } : o));
      let at = 0;
      replies = batch.map((r) => ({ id: r.id, outcomes: wire.slice(at, (at += r.plans.length)) }));
    } catch (error) {
      // Nothing was committed: the sums and the due fold stay for the next transaction.
      foldDue ||= folding;
      folded.done = false;
      replies = batch.map((r) => ({ id: r.id, failed: error instanceof Error ? error.message : String(error) }));
    }
    // The answers first: adding up the batch's rollups can wait until they are on their way.
    for (const reply of replies) requests.postMessage(reply);
    // Committed: the fold's new starting point, then this batch's responses added up after it.
    if (folded.done) {
      base = folded.base;
      last = base ?? 0;
      sums = new RollupAccumulator();
    }
    if (base !== null) {
      outcomes.forEach((o, i) => {
        if (o instanceof Error || o.status !== "recorded") return;
        const { input, completedAt, measurements } = plans[i];
        sums.add(input.workspaceId, input.touchpointId, o.tier ?? "", input.lang, completedAt, measurements);
        last = Math.max(last, o.id);
      });
    }
    if (sums.count >= FOLD_LIMIT) {
      foldDue = true;
      schedule();
    }
  }

  requests.on("message", (request: WriteRequest) => {
    waiting.push(request);
    schedule();
  });
  // A fold every FOLD_INTERVAL_MS while there is something to fold: ours, or responses others wrote.
  setInterval(() => {
    try {
      if (sums.count > 0 || base === null || pendingRollups(sqlite) > 0) {
        foldDue = true;
        schedule();
      }
    } catch (error) {
      console.error("Checking for responses to fold failed; trying again shortly.", error);
    }
  }, FOLD_INTERVAL_MS);
}

function runCheckpointer() {
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
