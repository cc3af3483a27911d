// The rollup tables against a recomputation from every stored measurement row: what the writers,
// however they interleaved, must have added.
import type Database from "better-sqlite3";
import { sql } from "drizzle-orm";
import { execute, getDb, isPostgres, rows } from "#db/client";
import { ROLLUP_COLUMNS } from "~/cem/rollup";
import { sumsOfStoredRows, type RollupRow, type StoredMeasurementRow } from "~/cem/rollup-sums";

/** Every response's increments from its stored rows, added up per key at both levels. */
function recompute(rows: readonly StoredMeasurementRow[]) {
  const { sums } = sumsOfStoredRows(rows);
  const asRows = (level: readonly RollupRow[]) =>
    level.map((r) => [r.workspaceId, r.touchpointId, r.attributeKey, r.kind, r.day, r.tier, r.lang, ...ROLLUP_COLUMNS.map((c) => r[c])]);
  const { daily, weekly } = sums.sums();
  return { daily: asRows(daily), weekly: asRows(weekly) };
}

type Table = Map<string, number[]>;

/** Rows keyed by their seven key columns; values rounded (sums of reals are added in another order). */
function keyed(rows: readonly (string | number)[][]): Table {
  const table: Table = new Map();
  for (const row of rows) {
    const values = row.slice(7).map((v) => Math.round(Number(v) * 1e9) / 1e9);
    // A key whose every value is 0 adds nothing: the tables may hold one, a recomputation has none.
    if (values.some((v) => v !== 0)) table.set(row.slice(0, 7).join("\u0000"), values);
  }
  return table;
}

const MEASUREMENT_ROWS = `SELECT r.id, r.workspace_id, r.touchpoint_id, r.tier, r.lang, r.completed_at,
        m.attribute_key, m.kind, m.value, m.dimension
   FROM responses r JOIN measurements m ON m.response_id = r.id
  ORDER BY r.id, m.id`;
const KEY_COLUMNS = ["workspace_id", "touchpoint_id", "attribute_key", "kind", "period", "tier", "lang"];
const SUM_COLUMNS = ["n", "sum", "sum_sq", "sum_p", "sum_e", "sum_y", "sum_y_sq", "sum_xy", "promoters", "passives", "detractors", "top2"];
/** A rollup table's rows, keys then sums, its period column (`day`, `week`) read as `period`. */
const storedRows = (table: string, period: string) => `SELECT ${[...KEY_COLUMNS.map((c) => (c === "period" ? `${period} AS period` : c)), ...SUM_COLUMNS].join(", ")} FROM ${table}`;

/**
 * A level as readers see it on PostgreSQL: the folded rows plus the increments still pending (the
 * rollups_read views, ADR 033), summed per key.
 */
const readRows = (view: string, period: string) =>
  `SELECT ${KEY_COLUMNS.map((c) => (c === "period" ? `${period} AS period` : c)).join(", ")}, ${SUM_COLUMNS.map((c) => `sum(${c}) AS ${c}`).join(", ")}
     FROM ${view} GROUP BY ${KEY_COLUMNS.map((c) => (c === "period" ? period : c)).join(", ")}`;

/** The stored levels beside their recomputation from the measurement rows, each sorted by key. */
function compared(measurementRows: readonly StoredMeasurementRow[], daily: (string | number)[][], weekly: (string | number)[][]) {
  const recomputed = recompute(measurementRows);
  const sorted = (t: Table) => [...t.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    daily: { stored: sorted(keyed(daily)), recomputed: sorted(keyed(recomputed.daily)) },
    weekly: { stored: sorted(keyed(weekly)), recomputed: sorted(keyed(recomputed.weekly)) },
  };
}

/** Both levels as stored and as recomputed from the rows, on a raw SQLite connection; equal when the rollups are exact. */
export function rollupsAndRecomputation(sqlite: Database.Database) {
  const all = (text: string) => sqlite.prepare(text).raw().all() as (string | number)[][];
  return compared(all(MEASUREMENT_ROWS) as StoredMeasurementRow[], all(storedRows("rollups", "day")), all(storedRows("rollups_weekly", "week")));
}

/**
 * The same through the data layer, on either engine, in one transaction: a consistent snapshot while
 * other processes write and fold (on PostgreSQL at REPEATABLE READ, so that its three reads see the
 * same commits; a SQLite transaction reads one snapshot anyway). On PostgreSQL the levels are read as
 * readers see them: folded plus pending.
 */
export async function rollupsAndRecomputationInDb() {
  return getDb().transaction(async () => {
    if (isPostgres()) await execute(sql`SET TRANSACTION ISOLATION LEVEL REPEATABLE READ`);
    // rows() gives objects (instants as epoch milliseconds on both engines): back into column order.
    const all = async (text: string, columns: string[]) =>
      (await rows<Record<string, string | number>>(sql.raw(text))).map((row) => columns.map((c) => row[c]));
    const measurementColumns = ["id", "workspace_id", "touchpoint_id", "tier", "lang", "completed_at", "attribute_key", "kind", "value", "dimension"];
    const rollupColumns = [...KEY_COLUMNS, ...SUM_COLUMNS];
    return compared(
      (await all(MEASUREMENT_ROWS, measurementColumns)) as unknown as StoredMeasurementRow[],
      await all(isPostgres() ? readRows("rollups_read", "day") : storedRows("rollups", "day"), rollupColumns),
      await all(isPostgres() ? readRows("rollups_weekly_read", "week") : storedRows("rollups_weekly", "week"), rollupColumns),
    );
  });
}
