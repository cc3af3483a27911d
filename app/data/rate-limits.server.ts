// Rate-limit counters kept in the database (table rate_limits), so that a limit holds across every
// app node: one fixed window per bucket ("<policy>:<what is counted>"), counted by one upsert that
// answers the window's hits and starts a new window once the stored one has passed. The policies
// (how many, how long, counted how) are in app/web/rate-limit.server.ts; ADR 017 says why.
//
// Two ways of counting, chosen per policy:
// - exact: every hit is an upsert, so every node sees every hit at once (sign-in and sign-up: low
//   volume, and a password guesser must not get one extra try per node);
// - batched: hits are counted in this process's memory and added to the shared row once a second
//   (one upsert per bucket per second per node, whatever the request rate), and a hit is judged
//   against the shared total as last read plus what this node has not added yet. The API's ingest
//   path takes thousands of requests a second: a write per request would cost as much as the
//   response it guards. Across nodes a limit can then be passed by what the other nodes took in
//   the last second; on one node it is exact.
// Either way a bucket refused in its current window is answered from memory until the window ends
// (a window cannot end early), so a flood of refused requests writes nothing.
import { sql } from "drizzle-orm";
import { execute, instantParam, rows } from "#db/client";

/** A bucket's current window as the database holds it. */
export type RateWindow = { windowStart: number; hits: number };

export type CountMode = "exact" | "batched";

export type RateDecision = {
  allowed: boolean;
  /** Until the window ends (milliseconds); meaningful when refused. */
  retryAfterMs: number;
  /** The first refusal of the bucket's window on this node: worth one audit line, not one per request. */
  firstRefusal: boolean;
};

/** No window may be longer (the configuration caps them): the sweep keeps rows this long. */
export const LONGEST_WINDOW_MS = 3_600_000;

// Rows per multi-row upsert when a flush carries many buckets of one window length.
const UPSERT_CHUNK = 200;

/**
 * Adds hits to buckets that share a window length — or starts a new window for a bucket whose
 * stored one has passed — and answers each bucket's window. One statement per chunk of buckets:
 * INSERT … ON CONFLICT … DO UPDATE … RETURNING, the same text on SQLite and PostgreSQL (in DO
 * UPDATE both read the old row in every SET expression, so the two CASEs agree).
 */
export async function addHits(entries: readonly { bucket: string; hits: number }[], windowMs: number, now = Date.now()): Promise<Map<string, RateWindow>> {
  const windows = new Map<string, RateWindow>();
  for (let i = 0; i < entries.length; i += UPSERT_CHUNK) {
    const chunk = entries.slice(i, i + UPSERT_CHUNK);
    const start = instantParam(now);
    const values = sql.join(
      chunk.map((e) => sql`(${e.bucket}, ${start}, ${e.hits})`),
      sql`, `,
    );
    const passed = instantParam(now - windowMs);
    const found = await rows<RateWindow & { bucket: string }>(sql`
      INSERT INTO rate_limits (bucket, window_start, hits) VALUES ${values}
      ON CONFLICT (bucket) DO UPDATE SET
        hits = CASE WHEN rate_limits.window_start <= ${passed} THEN excluded.hits ELSE rate_limits.hits + excluded.hits END,
        window_start = CASE WHEN rate_limits.window_start <= ${passed} THEN excluded.window_start ELSE rate_limits.window_start END
      RETURNING bucket, window_start AS "windowStart", hits`);
    for (const row of found) windows.set(row.bucket, { windowStart: Number(row.windowStart), hits: Number(row.hits) });
  }
  return windows;
}

/** One bucket's hit, counted at once; the window it now stands at. */
export async function addHit(bucket: string, windowMs: number, now = Date.now()): Promise<RateWindow> {
  return (await addHits([{ bucket, hits: 1 }], windowMs, now)).get(bucket)!;
}

/** Deletes the rows whose window has surely passed (every window is at most LONGEST_WINDOW_MS). */
export async function sweepRateLimits(now = Date.now()): Promise<number> {
  return execute(sql`DELETE FROM rate_limits WHERE window_start < ${instantParam(now - LONGEST_WINDOW_MS)}`);
}

/** What this process knows of a bucket's window. */
type Local = {
  windowStart: number;
  windowMs: number;
  /** The window's hits in the database when last read (including this node's flushed ones). */
  shared: number;
  /** Hits counted here and not yet added to the database (batched). */
  pending: number;
  /** Hits of a flush whose upsert has not answered yet: still this window's, not yet in `shared`. */
  inFlight: number;
  /** Refused at least once in this window (on this node). */
  refused: boolean;
};

const refusal = (local: Local, now: number, firstRefusal: boolean): RateDecision => ({
  allowed: false,
  retryAfterMs: Math.max(0, local.windowStart + local.windowMs - now),
  firstRefusal,
});
const ALLOWED: RateDecision = { allowed: true, retryAfterMs: 0, firstRefusal: false };

/** Buckets kept in memory at most; past it, batched counting falls back to exact for new buckets. */
const MAX_BUCKETS = 100_000;

/**
 * The counters of one process. `hit` judges and counts one request; `flush` adds the batched hits
 * to the database (run by a timer every `flushMs`; tests call it to play two nodes).
 */
/** The window's hits as this node knows them: read from the database, on their way there, and pending. */
const counted = (local: Local) => local.shared + local.inFlight + local.pending;

export class RateCounter {
  private readonly buckets = new Map<string, Local>();
  private readonly loading = new Map<string, Promise<unknown>>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private flushing: Promise<void> | null = null;

  constructor(private readonly flushMs: () => number = () => 1_000) {}

  async hit(bucket: string, limit: number, windowMs: number, mode: CountMode, now = Date.now()): Promise<RateDecision> {
    const local = this.buckets.get(bucket);
    if (local && now >= local.windowStart + local.windowMs) {
      // The window passed: a new one starts here, and the next upsert (a flush) starts it in the
      // database too. Hits still pending belong to the window that ended: they no longer count.
      if (mode === "exact") this.buckets.delete(bucket);
      else Object.assign(local, { windowStart: now, windowMs, shared: 0, pending: 0, inFlight: 0, refused: false });
    } else if (local && local.refused && counted(local) >= limit) {
      return refusal(local, now, false);
    }
    const current = this.buckets.get(bucket);
    if (mode === "exact" || (!current && this.buckets.size >= MAX_BUCKETS)) return this.hitExact(bucket, limit, windowMs, now);
    if (!current) return this.firstSight(bucket, limit, windowMs, now);
    if (counted(current) >= limit) {
      const first = !current.refused;
      current.refused = true;
      return refusal(current, now, first);
    }
    current.pending += 1;
    this.schedule();
    return ALLOWED;
  }

  /** Every hit an upsert; only a refused bucket is remembered (until its window ends). */
  private async hitExact(bucket: string, limit: number, windowMs: number, now: number): Promise<RateDecision> {
    const window = await addHit(bucket, windowMs, now);
    if (window.hits <= limit) return ALLOWED;
    const local: Local = { windowStart: window.windowStart, windowMs, shared: window.hits, pending: 0, inFlight: 0, refused: true };
    this.buckets.set(bucket, local);
    return refusal(local, now, window.hits === limit + 1);
  }

  /**
   * A batched bucket this node has not counted yet: its first hit is counted in the database at once,
   * which also tells the window the other nodes share. Requests that arrive meanwhile wait for it.
   */
  private async firstSight(bucket: string, limit: number, windowMs: number, now: number): Promise<RateDecision> {
    const loading = this.loading.get(bucket);
    if (loading) {
      await loading;
      return this.hit(bucket, limit, windowMs, "batched", Date.now());
    }
    const load = addHit(bucket, windowMs, now);
    this.loading.set(bucket, load);
    let window: RateWindow;
    try {
      window = await load;
    } finally {
      this.loading.delete(bucket);
    }
    const local: Local = { windowStart: window.windowStart, windowMs, shared: window.hits, pending: 0, inFlight: 0, refused: window.hits > limit };
    this.buckets.set(bucket, local);
    return window.hits <= limit ? ALLOWED : refusal(local, now, window.hits === limit + 1);
  }

  private schedule(): void {
    if (this.timer || this.flushing) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flush().catch((error) => console.warn("[rate-limits] flush failed:", error instanceof Error ? error.message : error));
    }, this.flushMs());
    this.timer.unref?.();
  }

  /** Adds the batched hits to the database and reads back each bucket's shared total. */
  async flush(now = Date.now()): Promise<void> {
    while (this.flushing) await this.flushing;
    this.flushing = this.flushOnce(now).finally(() => {
      this.flushing = null;
      if ([...this.buckets.values()].some((b) => b.pending > 0)) this.schedule();
    });
    return this.flushing;
  }

  private async flushOnce(now: number): Promise<void> {
    // Group by window length: one multi-row upsert per policy.
    const byWindow = new Map<number, { bucket: string; hits: number; local: Local }[]>();
    for (const [bucket, local] of this.buckets) {
      if (local.pending === 0) {
        if (now >= local.windowStart + local.windowMs) this.buckets.delete(bucket);
        continue;
      }
      const group = byWindow.get(local.windowMs) ?? [];
      group.push({ bucket, hits: local.pending, local });
      byWindow.set(local.windowMs, group);
      // Hits counted while the upsert runs stay pending for the next flush; the ones it carries still
      // count until its answer includes them in `shared` (a slow database must not open a gap).
      local.inFlight += local.pending;
      local.pending = 0;
    }
    for (const [windowMs, group] of byWindow) {
      let windows: Map<string, RateWindow>;
      try {
        windows = await addHits(group, windowMs, now);
      } catch (error) {
        for (const entry of group) {
          entry.local.inFlight = Math.max(0, entry.local.inFlight - entry.hits);
          entry.local.pending += entry.hits;
        }
        throw error;
      }
      for (const { bucket, hits, local } of group) {
        local.inFlight = Math.max(0, local.inFlight - hits);
        const window = windows.get(bucket);
        if (!window) continue;
        if (window.windowStart !== local.windowStart) local.refused = false;
        local.windowStart = window.windowStart;
        local.shared = window.hits;
      }
    }
  }

  /** Forgets every bucket (tests). Batched hits not flushed yet are dropped. */
  reset(): void {
    this.buckets.clear();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
