// The production server's writer thread, seen from the thread that serves HTTP (ADR 012, 013):
// batches of planned responses go to a worker_threads Worker that writes them on its own connection
// and folds their rollups (writer-thread.worker.ts), helped by a second one that checkpoints the WAL;
// each batch's outcomes come back in order.
// A response that failed alone comes back as an Error; should the thread itself die, every batch
// in flight is rejected (the caller answers 500, and an Idempotency-Key makes the retry safe) and
// `onExit` lets the caller write in its own thread from then on.
import { Worker } from "node:worker_threads";
import type { RecordResult, WritePlan } from "~/data/response-writer.server";

/**
 * SQLite's own checkpoint after a commit, for the writer's and the HTTP thread's connections while
 * the checkpointer thread runs (writer-thread.worker.ts): far above what the WAL reaches between its
 * checkpoints, so it never runs meanwhile; should the checkpointer stop, it bounds the WAL (40 MB).
 */
export const FALLBACK_AUTOCHECKPOINT_PAGES = 10_000;

export type WriterThread = {
  write: (plans: WritePlan[]) => Promise<(RecordResult | Error)[]>;
  /** Batches sent and not answered yet. */
  inFlight: () => number;
  stop: () => void;
};

/** What crosses the thread boundary: outcomes, with errors as their messages. */
export type WireOutcome = RecordResult | { error: string };
export type WriteRequest = { id: number; plans: WritePlan[] };
export type WriteReply = { id: number; outcomes: WireOutcome[] } | { id: number; failed: string };

export function startWriterThread(workerFile: string, onExit: () => void): WriterThread {
  const worker = new Worker(workerFile, { workerData: { role: "writer" } });
  const checkpointer = new Worker(workerFile, { workerData: { role: "checkpointer" } });
  // Not a reason to keep the process alive: the HTTP server is. Should the checkpointer die, the
  // connections' own autocheckpoint (FALLBACK_AUTOCHECKPOINT_PAGES) still bounds the WAL.
  worker.unref();
  checkpointer.unref();
  checkpointer.on("error", (error) => console.error("The WAL checkpointer thread stopped; commits checkpoint from now on.", error));
  const inFlight = new Map<number, { resolve: (o: (RecordResult | Error)[]) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let alive = true;

  worker.on("message", (reply: WriteReply) => {
    const pending = inFlight.get(reply.id);
    if (!pending) return;
    inFlight.delete(reply.id);
    if ("failed" in reply) pending.reject(new Error(reply.failed));
    else pending.resolve(reply.outcomes.map((o) => ("error" in o ? new Error(o.error) : o)));
  });
  const die = (error: Error) => {
    if (!alive) return;
    alive = false;
    console.error("The response writer thread stopped; writing in the main thread from now on.", error);
    for (const pending of inFlight.values()) pending.reject(error);
    inFlight.clear();
    void checkpointer.terminate(); // the caller's thread writes, folds and checkpoints from now on
    onExit();
  };
  worker.on("error", die);
  worker.on("exit", (code) => die(new Error(`writer thread exited with code ${code}`)));

  return {
    write: (plans) =>
      new Promise((resolve, reject) => {
        if (!alive) return reject(new Error("the writer thread has stopped"));
        const id = nextId++;
        inFlight.set(id, { resolve, reject });
        worker.postMessage({ id, plans } satisfies WriteRequest);
      }),
    inFlight: () => inFlight.size,
    stop: () => {
      alive = false;
      void worker.terminate();
      void checkpointer.terminate();
    },
  };
}
