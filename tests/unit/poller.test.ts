// The background workers' loop (app/data/poller.server.ts): one tick at a time, a kick during a tick
// answered by exactly one more, nothing before start or after stop, and stop waiting for the tick in
// progress. Fake timers, and ticks that end only when the test says so: every step is explicit.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createPoller } from "~/data/poller.server";

const INTERVAL = 1_000;

/** A tick the test finishes by hand: `calls` counts the ticks begun, `active` those not yet over. */
function controlledTick() {
  const pending: Array<(more: boolean) => void> = [];
  const state = { calls: 0, active: 0, maxActive: 0 };
  const tick = () => {
    state.calls++;
    state.active++;
    state.maxActive = Math.max(state.maxActive, state.active);
    return new Promise<boolean>((resolve) => {
      pending.push((more) => {
        state.active--;
        resolve(more);
      });
    });
  };
  /** Ends the oldest tick in progress (saying whether more is waiting). */
  const finish = (more = false) => {
    const end = pending.shift();
    if (!end) throw new Error("no tick in progress");
    end(more);
  };
  return { tick, finish, state };
}

/** Runs what is due now (a kick's zero-delay timer) and the promise callbacks after it. */
const settle = () => vi.advanceTimersByTimeAsync(0);

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("createPoller", () => {
  it("does nothing when kicked before start", async () => {
    const { tick, state } = controlledTick();
    const poller = createPoller({ intervalMs: INTERVAL, tick, onError: () => undefined });
    poller.kick();
    poller.kick();
    await vi.advanceTimersByTimeAsync(INTERVAL * 5);
    expect(state.calls).toBe(0);
  });

  it("ticks on its interval once started, and at once when kicked", async () => {
    const { tick, finish, state } = controlledTick();
    const poller = createPoller({ intervalMs: () => INTERVAL, tick, onError: () => undefined });
    poller.start();
    poller.start(); // a second start adds no second interval
    await settle();
    expect(state.calls).toBe(0); // start alone does not tick
    await vi.advanceTimersByTimeAsync(INTERVAL);
    expect(state.calls).toBe(1);
    finish();
    await settle();
    poller.kick();
    await settle();
    expect(state.calls).toBe(2);
    finish();
    await settle();
    await poller.stop();
  });

  it("never overlaps ticks, and answers kicks during a tick with exactly one more", async () => {
    const { tick, finish, state } = controlledTick();
    const poller = createPoller({ intervalMs: INTERVAL, tick, onError: () => undefined });
    poller.start();
    poller.kick();
    await settle();
    expect(state.calls).toBe(1);

    // Kicks and interval firings while the tick runs: none starts a second one beside it.
    poller.kick();
    poller.kick();
    await vi.advanceTimersByTimeAsync(INTERVAL * 3);
    poller.kick();
    await settle();
    expect(state.calls).toBe(1);
    expect(state.active).toBe(1);

    // Over: exactly one more tick follows, for all of them together.
    finish();
    await settle();
    expect(state.calls).toBe(2);
    finish();
    await settle();
    expect(state.calls).toBe(2);
    expect(state.active).toBe(0);
    expect(state.maxActive).toBe(1);
    await poller.stop();
  });

  it("ticks again at once when a tick says more is waiting", async () => {
    const { tick, finish, state } = controlledTick();
    const poller = createPoller({ intervalMs: INTERVAL, tick, onError: () => undefined });
    poller.start();
    poller.kick();
    await settle();
    finish(true);
    await settle();
    expect(state.calls).toBe(2);
    finish(false);
    await settle();
    expect(state.calls).toBe(2);
    await poller.stop();
  });

  it("stops: waits for the tick in progress, and no tick runs after", async () => {
    const { tick, finish, state } = controlledTick();
    const poller = createPoller({ intervalMs: INTERVAL, tick, onError: () => undefined });
    poller.start();
    poller.kick();
    await settle();
    expect(state.calls).toBe(1);
    poller.kick(); // would have meant one more tick

    let stopped = false;
    const stopping = poller.stop().then(() => {
      stopped = true;
    });
    await settle();
    expect(stopped).toBe(false);
    finish(true); // even a tick saying more is waiting gets no successor
    await stopping;
    expect(stopped).toBe(true);
    expect(state.active).toBe(0);

    poller.kick();
    await vi.advanceTimersByTimeAsync(INTERVAL * 5);
    expect(state.calls).toBe(1);
  });

  it("stops a kick already on its way, and can start again", async () => {
    const { tick, finish, state } = controlledTick();
    const poller = createPoller({ intervalMs: INTERVAL, tick, onError: () => undefined });
    poller.start();
    poller.kick();
    await poller.stop(); // nothing in progress: resolves at once
    await vi.advanceTimersByTimeAsync(INTERVAL * 3);
    expect(state.calls).toBe(0);

    poller.start();
    poller.kick();
    await settle();
    expect(state.calls).toBe(1);
    finish();
    await poller.stop();
  });

  it("reports a failing tick and carries on", async () => {
    const onError = vi.fn();
    let calls = 0;
    const poller = createPoller({
      intervalMs: INTERVAL,
      tick: () => {
        calls++;
        return Promise.reject(new Error("database away"));
      },
      onError,
    });
    poller.start();
    poller.kick();
    await settle();
    expect(onError).toHaveBeenCalledTimes(1);
    expect((onError.mock.calls[0][0] as Error).message).toBe("database away");
    await vi.advanceTimersByTimeAsync(INTERVAL);
    expect(calls).toBe(2);
    expect(onError).toHaveBeenCalledTimes(2);
    await poller.stop();
  });
});
