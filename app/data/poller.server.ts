// The loop behind the in-process background workers (job-runner.server.ts, webhook-delivery.server.ts):
// one async tick at a time, every `intervalMs` and at once when kicked. A kick while a tick runs is
// not lost: that tick may have read the queue before the new work was committed, so exactly one more
// tick follows it. Timers are unref'd, so a poller never keeps a process (or a test run) alive.

export type PollerOptions = {
  /** Between ticks; a function is read at each start (so an environment setting is read when used). */
  intervalMs: number | (() => number);
  /** One round of work. Resolving `true` says more may be waiting: another tick follows at once. */
  tick: () => Promise<boolean | void>;
  /** Where a tick's error goes (the loop carries on); it must not throw. */
  onError: (error: unknown) => void;
};

export type Poller = {
  /** Starts the interval (once: a second call while started does nothing). Does not tick by itself. */
  start: () => void;
  /** A tick now (on the next turn of the event loop), or one more after the tick in progress. Nothing before start(). */
  kick: () => void;
  /** No tick starts after this; resolves once the tick in progress, if any, is over. start() may follow. */
  stop: () => Promise<void>;
};

export function createPoller(options: PollerOptions): Poller {
  let interval: NodeJS.Timeout | null = null;
  let kicked: NodeJS.Timeout | null = null;
  // The tick in progress (settled after its bookkeeping below), so none overlaps it and stop() can wait.
  let current: Promise<void> | null = null;
  let again = false;

  async function runTick(): Promise<void> {
    try {
      if ((await options.tick()) === true) again = true;
    } catch (error) {
      options.onError(error);
    }
  }

  function tick(): void {
    if (!interval) return;
    if (current) {
      again = true;
      return;
    }
    current = runTick().then(() => {
      current = null;
      const more = again;
      again = false;
      if (more) kick();
    });
  }

  function kick(): void {
    if (!interval) return;
    if (current) {
      again = true;
      return;
    }
    // Kicks before the tick starts share it: it reads whatever they were about.
    if (kicked) return;
    kicked = setTimeout(() => {
      kicked = null;
      tick();
    }, 0);
    kicked.unref();
  }

  function start(): void {
    if (interval) return;
    interval = setInterval(tick, typeof options.intervalMs === "function" ? options.intervalMs() : options.intervalMs);
    interval.unref();
  }

  function stop(): Promise<void> {
    // All synchronous, before the caller's first await: nothing can slip in between.
    if (interval) clearInterval(interval);
    interval = null;
    if (kicked) clearTimeout(kicked);
    kicked = null;
    again = false;
    return current ?? Promise.resolve();
  }

  return { start, kick, stop };
}
