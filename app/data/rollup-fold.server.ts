// Folding recorded responses into the rollups (ADR 012). A response commits with its raw data, its
// measurement rows and its follow-up case; its rollup increments are summed from those rows soon
// after, many responses to a transaction, so that keys shared by the responses of that stretch
// (same touchpoint, attribute, kind, day, tier and language) are upserted once instead of once per
// response. Upserting them inside every response's commit cost ~40 % of the ingest throughput
// (bench:ingest).
//
// The rows are the log, the mark is the cursor: `rollup_state.folded_through` says which responses
// are in the rollups (ids up to it) and which are not (ids after it: AUTOINCREMENT ids only grow).
// A fold reads the responses after the mark with their measurement rows, adds their increments to
// both rollup levels and moves the mark, in one transaction: a crash before the commit folds the
// same responses again on the next try, never twice. Any process may fold (the server, the seed,
// a test), since the fold reads only the database.
//
// Nobody reads stale sums: every reader of the rollups calls foldRollups() first, which folds what
// is pending (usually nothing: two indexed lookups) before the read. Writers fold soon after each
// commit anyway, so readers seldom find anything to do: the production server's writer thread every
// 500 ms, from running sums of what it committed (RollupAccumulator, applyAccumulated; it folds from
// the rows when anyone else folded or wrote meanwhile: writer-thread.worker.ts, ADR 013),
// anywhere else a timer 50 ms after a commit (foldSoon).
import type Database from "better-sqlite3";
import { getDb, withConnection, type Db } from "#db/client";
import type { MeasuredKind, Measurement } from "~/cem/measurement";
import { ROLLUP_COLUMNS, rollupDeltas } from "~/cem/rollup";
import type { ServqualDimension } from "~/survey/types";
import { upsertRollups, weeklyRollupRows, type RollupRow, type SummedRollups } from "./rollup-writes.server";

/** Responses per fold transaction: bounds how long a fold holds the write lock (a few ms). */
export const FOLD_CHUNK = 1_000;
/** How long after a commit the recording process folds: long enough to gather a few commits. */
export const FOLD_DELAY_MS = 50;

/** The increments of responses (from, through], added up per key, ready to apply. */
export type Fold = { from: number; through: number; sums: SummedRollups };

type FoldRow = [
  responseId: number,
  workspaceId: number,
  touchpointId: number,
  tier: string,
  lang: string,
  completedAt: number,
  attributeKey: string,
  kind: string,
  value: number,
  dimension: string | null,
];

function prepare(sqlite: Database.Database) {
  const mark = sqlite.prepare<[], number>(`SELECT folded_through FROM rollup_state WHERE id = 1`).pluck();
  const last = sqlite.prepare<[], number | null>(`SELECT max(id) FROM responses`).pluck();
  // Each response's measurement rows in the order they were written (extraction order: the first
  // row of an attribute and kind wins in rollupDeltas, as it did when the response was planned).
  const rows = sqlite
    .prepare<[number, number], FoldRow>(
      `SELECT r.id, r.workspace_id, r.touchpoint_id, r.tier, r.lang, r.completed_at,
              m.attribute_key, m.kind, m.value, m.dimension
         FROM responses r JOIN measurements m ON m.response_id = r.id
        WHERE r.id > ? AND r.id <= ?
        ORDER BY r.id, m.id`,
    )
    .raw();
  const setMark = sqlite.prepare<[number]>(`UPDATE rollup_state SET folded_through = ? WHERE id = 1`);
  const countRange = sqlite.prepare<[number, number], number>(`SELECT count(*) FROM responses WHERE id > ? AND id <= ?`).pluck();
  const currentMark = () => {
    const from = mark.get();
    if (from === undefined) throw new Error("rollup_state has no row: the database was not migrated (db/migrations/0005).");
    return from;
  };
  /** The increments of the next chunk of pending responses, added up; reads only. */
  const compute = (limit: number): Fold | null => {
    const from = currentMark();
    const through = Math.min(last.get() ?? 0, from + limit);
    if (through <= from) return null;
    return { from, through, sums: foldSums(rows.all(from, through)) };
  };
  /** Applies a computed fold in the caller's transaction, unless the mark moved since (then false). */
  const apply = (fold: Fold): boolean => {
    if (currentMark() !== fold.from) return false;
    upsertRollups(sqlite, fold.sums);
    setMark.run(fold.through);
    return true;
  };
  const foldChunk = sqlite.transaction((): number => {
    const fold = compute(FOLD_CHUNK);
    return fold && apply(fold) ? fold.through - fold.from : 0;
  });
  return { mark, last, countRange, compute, apply, foldChunk };
}

const statementsByDb = new WeakMap<Database.Database, ReturnType<typeof prepare>>();
function statements(sqlite: Database.Database) {
  let s = statementsByDb.get(sqlite);
  if (!s) statementsByDb.set(sqlite, (s = prepare(sqlite)));
  return s;
}

const DAY_MS = 86_400_000;

/**
 * Rollup increments added up per key at both levels, one response at a time. Each response's deltas
 * go straight into the sums of its key (touchpoint, day, tier and language are the response's own,
 * so only attribute and kind vary within it): no row per delta, no key of seven parts. The fold
 * feeds it stored rows (foldSums); the writer thread feeds it the responses it has just committed
 * (writer-thread.worker.ts), the same measurements in the same order, so the sums are the same.
 */
export class RollupAccumulator {
  /** context (workspace, touchpoint, day, tier, language) → attribute → kind → row: no key built per delta. */
  private contexts = new Map<string, Map<string, Map<string, RollupRow>>>();
  private days = new Map<number, string>();
  /** Responses added so far. */
  count = 0;

  add(workspaceId: number, touchpointId: number, tier: string, lang: string, completedAt: number, measurements: readonly Measurement[]): void {
    const dayNumber = Math.floor(completedAt / DAY_MS);
    let day = this.days.get(dayNumber);
    if (day === undefined) this.days.set(dayNumber, (day = new Date(completedAt).toISOString().slice(0, 10)));
    const context = `${workspaceId}\u0000${touchpointId}\u0000${day}\u0000${tier}\u0000${lang}`;
    let attributes = this.contexts.get(context);
    if (!attributes) this.contexts.set(context, (attributes = new Map()));
    for (const delta of rollupDeltas(measurements, { day, tier })) {
      let kinds = attributes.get(delta.attributeKey);
      if (!kinds) attributes.set(delta.attributeKey, (kinds = new Map()));
      const row = kinds.get(delta.kind);
      if (!row) {
        kinds.set(delta.kind, [workspaceId, touchpointId, delta.attributeKey, delta.kind, day, delta.tier, lang, ...ROLLUP_COLUMNS.map((c) => delta[c])]);
      } else {
        for (let c = 0; c < ROLLUP_COLUMNS.length; c++) (row[7 + c] as number) += delta[ROLLUP_COLUMNS[c]];
      }
    }
    this.count++;
  }

  /** The sums so far, daily and weekly, ready to upsert. */
  sums(): SummedRollups {
    const daily: RollupRow[] = [];
    for (const attributes of this.contexts.values()) for (const kinds of attributes.values()) for (const row of kinds.values()) daily.push(row);
    return { daily, weekly: weeklyRollupRows(daily) };
  }
}

/** The rollup increments of consecutive responses' stored rows, added up per key at both levels. */
export function foldSums(rows: readonly FoldRow[]): SummedRollups {
  const sums = new RollupAccumulator();
  let i = 0;
  while (i < rows.length) {
    const [responseId, workspaceId, touchpointId, tier, lang, completedAt] = rows[i];
    const measurements: Measurement[] = [];
    for (; i < rows.length && rows[i][0] === responseId; i++) {
      const [, , , , , , attributeKey, kind, value, dimension] = rows[i];
      measurements.push({
        // Stored as "" at touchpoint level (NPS, CSAT, CES), null in a Measurement.
        attributeKey: attributeKey === "" ? null : attributeKey,
        kind: kind as MeasuredKind,
        value,
        dimension: dimension as ServqualDimension | null,
      });
    }
    sums.add(workspaceId, touchpointId, tier, lang, completedAt, measurements);
  }
  return sums.sums();
}

/** The rollup mark: the last response id the rollups hold. */
export function foldedThrough(sqlite: Database.Database = getDb().$client): number {
  return statements(sqlite).mark.get() ?? 0;
}

/** How many responses are recorded but not yet in the rollups. */
export function pendingRollups(sqlite: Database.Database = getDb().$client): number {
  const s = statements(sqlite);
  return Math.max(0, (s.last.get() ?? 0) - (s.mark.get() ?? 0));
}

/**
 * Folds every pending response into the rollups (in transactions of FOLD_CHUNK responses) and
 * returns how many it folded. Call before reading the rollups; cheap when nothing is pending.
 */
export function foldRollups(db: Db = getDb()): Promise<number> {
  return withConnection(foldRollupsOn, db);
}

/** foldRollups on a connection of the caller's (the writer thread's, a test's or a bench's). */
export function foldRollupsOn(sqlite: Database.Database): number {
  if (pendingRollups(sqlite) === 0) return 0;
  const { foldChunk } = statements(sqlite);
  let folded = 0;
  for (let n = foldChunk.immediate(); n > 0; n = foldChunk.immediate()) folded += n;
  return folded;
}

/**
 * Folds the next FOLD_CHUNK pending responses inside the caller's write transaction (nested: a
 * failure rolls back the fold alone); how many it folded.
 */
export function foldNextChunk(sqlite: Database.Database): number {
  return statements(sqlite).foldChunk();
}

/**
 * The next chunk of pending responses, computed without taking the write lock, to apply later with
 * applyFold (refused if the mark moved meanwhile).
 */
export function computeFold(sqlite: Database.Database, limit = FOLD_CHUNK): Fold | null {
  return statements(sqlite).compute(limit);
}

/** Applies a computed fold inside the caller's write transaction; false if it is stale (nothing done). */
export function applyFold(sqlite: Database.Database, fold: Fold): boolean {
  return statements(sqlite).apply(fold);
}

/**
 * Applies sums accumulated from `count` responses as they were committed (the writer thread's,
 * RollupAccumulator), as the fold of responses (from, through], inside the caller's write
 * transaction: only if the mark is still at `from` and those are all the responses in the range.
 * False (nothing done) otherwise: someone else folded meanwhile, or wrote responses the sums lack;
 * the caller then folds from the rows.
 */
export function applyAccumulated(sqlite: Database.Database, fold: Fold, count: number): boolean {
  const s = statements(sqlite);
  if (s.countRange.get(fold.from, fold.through) !== count) return false;
  return s.apply(fold);
}

let timer: NodeJS.Timeout | null = null;

/**
 * Folds FOLD_DELAY_MS from now (once, however many commits ask meanwhile), a chunk per turn of the
 * event loop so requests keep flowing. A failed fold (the database busy elsewhere) is retried; the
 * responses wait after the mark meanwhile, and readers fold them anyway.
 */
export function foldSoon(db: Db = getDb(), delay = FOLD_DELAY_MS): void {
  if (timer) return;
  timer = setTimeout(() => {
    timer = null;
    withConnection((sqlite) => statements(sqlite).foldChunk.immediate() > 0 && pendingRollups(sqlite) > 0, db).then(
      (more) => {
        if (more) foldSoon(db, 0);
      },
      (error: unknown) => {
        console.error("Folding responses into the rollups failed; retrying in 1 s.", error);
        foldSoon(db, 1_000);
      },
    );
  }, delay);
  timer.unref();
}
