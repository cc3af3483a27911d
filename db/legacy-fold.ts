// Upgrading a SQLite database written by a release that folded responses into the rollups after
// their commit (a `rollup_state` mark; ADR 012): whatever that fold had left pending is added to the
// rollups once, here, before the migration that drops the mark runs. Since ADR 014 every response
// commits with its rollup sums, so nothing is ever pending again.
import type Database from "better-sqlite3";
import { ROLLUP_COLUMNS } from "../app/cem/rollup";
import { sumsOfStoredRows, type RollupRow, type StoredMeasurementRow } from "../app/cem/rollup-sums";
const SQL_COLUMNS = ["n", "sum", "sum_sq", "sum_p", "sum_e", "sum_y", "sum_y_sq", "sum_xy", "promoters", "passives", "detractors", "top2"];

/** Folds the responses after the old mark (if the mark still exists) and moves it; how many. */
export function foldLegacyPending(sqlite: Database.Database): number {
  const hasMark = sqlite.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'rollup_state'`).get();
  if (!hasMark) return 0;
  return sqlite.transaction(() => {
    const mark = (sqlite.prepare(`SELECT folded_through FROM rollup_state WHERE id = 1`).pluck().get() as number | undefined) ?? 0;
    const rows = sqlite
      .prepare(
        `SELECT r.id, r.workspace_id, r.touchpoint_id, r.tier, r.lang, r.completed_at, m.attribute_key, m.kind, m.value, m.dimension
           FROM responses r JOIN measurements m ON m.response_id = r.id
          WHERE r.id > ? ORDER BY r.id, m.id`,
      )
      .raw()
      .all(mark) as StoredMeasurementRow[];
    const { sums, responses } = sumsOfStoredRows(rows);
    const { daily, weekly } = sums.sums();
    upsert(sqlite, "rollups", "day", daily);
    upsert(sqlite, "rollups_weekly", "week", weekly);
    sqlite.prepare(`UPDATE rollup_state SET folded_through = (SELECT coalesce(max(id), 0) FROM responses) WHERE id = 1`).run();
    return responses;
  }).immediate();
}

function upsert(sqlite: Database.Database, table: string, period: string, rows: readonly RollupRow[]): void {
  const statement = sqlite.prepare(
    `INSERT INTO ${table} (workspace_id, touchpoint_id, attribute_key, kind, ${period}, tier, lang, ${SQL_COLUMNS.join(", ")})
     VALUES (${Array.from({ length: 7 + SQL_COLUMNS.length }, () => "?").join(", ")})
     ON CONFLICT (workspace_id, touchpoint_id, attribute_key, kind, ${period}, tier, lang) DO UPDATE SET
     ${SQL_COLUMNS.map((c) => `${c} = ${c} + excluded.${c}`).join(", ")}`,
  );
  for (const r of rows) statement.run(r.workspaceId, r.touchpointId, r.attributeKey, r.kind, r.day, r.tier, r.lang, ...ROLLUP_COLUMNS.map((c) => r[c]));
}
