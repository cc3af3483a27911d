// The rollup tables against a recomputation from every stored measurement row: what the writers,
// however they interleaved, must have added.
import type Database from "better-sqlite3";
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

/** Both levels as stored and as recomputed from the rows; equal when the rollups are exact. */
export function rollupsAndRecomputation(sqlite: Database.Database) {
  const rows = sqlite
    .prepare(
      `SELECT r.id, r.workspace_id, r.touchpoint_id, r.tier, r.lang, r.completed_at,
              m.attribute_key, m.kind, m.value, m.dimension
         FROM responses r JOIN measurements m ON m.response_id = r.id
        ORDER BY r.id, m.id`,
    )
    .raw()
    .all() as StoredMeasurementRow[];
  const recomputed = recompute(rows);
  const columns = `n, sum, sum_sq, sum_p, sum_e, sum_y, sum_y_sq, sum_xy, promoters, passives, detractors, top2`;
  const stored = (table: string, period: string) =>
    sqlite
      .prepare(`SELECT workspace_id, touchpoint_id, attribute_key, kind, ${period}, tier, lang, ${columns} FROM ${table}`)
      .raw()
      .all() as (string | number)[][];
  const sorted = (t: Table) => [...t.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    daily: { stored: sorted(keyed(stored("rollups", "day"))), recomputed: sorted(keyed(recomputed.daily)) },
    weekly: { stored: sorted(keyed(stored("rollups_weekly", "week"))), recomputed: sorted(keyed(recomputed.weekly)) },
  };
}
