// One connection, many requests: who may run a statement on it now. A holder (a transaction, or
// synchronous work that must not interleave) has the connection to itself from start to end; its
// own statements, and anything it awaits, pass through; everyone else's wait in arrival order. A
// statement outside any holder runs at once when the gate is free. The holder is recognised by its
// async context, so nested calls need no handle passed down.
import { AsyncLocalStorage } from "node:async_hooks";

type Hold = { tx: unknown };
type Waiter = { exclusive: boolean; start: () => void };

export class ConnectionGate {
  private readonly context = new AsyncLocalStorage<Hold>();
  private holder: Hold | null = null;
  private readonly waiting: Waiter[] = [];

  private holds(): boolean {
    return this.holder !== null && this.context.getStore() === this.holder;
  }

  /** The open transaction of the caller's context, if the caller holds the gate. */
  current<T>(): T | undefined {
    return this.holds() ? (this.holder!.tx as T | undefined) : undefined;
  }

  /** Runs one statement: at once for the holder or when free, else after the holders before it. */
  statement<T>(run: () => T): Promise<T> {
    if (this.holder === null || this.holds()) {
      try {
        return Promise.resolve(run());
      } catch (error) {
        return Promise.reject(error);
      }
    }
    return new Promise<T>((resolve, reject) => {
      this.waiting.push({
        exclusive: false,
        start: () => {
          try {
            resolve(run());
          } catch (error) {
            reject(error as Error);
          }
        },
      });
    });
  }

  /**
   * Holds the gate for the whole of `work`. `enter(tx, fn)` records the transaction `work` opened,
   * so that a nested transaction joins it. Re-entrant: a holder calling it again just runs `work`.
   */
  async exclusive<T>(work: (enter: <R>(tx: unknown, fn: () => R) => R) => T | Promise<T>): Promise<T> {
    const enter = <R>(tx: unknown, fn: () => R): R => {
      const hold = this.context.getStore();
      if (hold) hold.tx = tx;
      return fn();
    };
    if (this.holds()) return work(enter);
    const hold: Hold = { tx: undefined };
    if (this.holder !== null) {
      await new Promise<void>((resolve) => this.waiting.push({ exclusive: true, start: () => ((this.holder = hold), resolve()) }));
    } else {
      this.holder = hold;
    }
    try {
      return await this.context.run(hold, () => work(enter));
    } finally {
      this.release();
    }
  }

  private release(): void {
    this.holder = null;
    // Statements that waited run now, in order, until the next holder's turn.
    while (this.waiting.length) {
      const next = this.waiting.shift()!;
      next.start();
      if (next.exclusive) return;
    }
  }
}
