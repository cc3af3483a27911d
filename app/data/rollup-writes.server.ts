// Writing rollups: the increments of a commit batch, added up per key in memory and upserted once
// per key. The recording path (responses.server.ts) is the only caller: every response's rollup
// rows go through here, inside the response's transaction, so the sums never drift from the rows.
import type Database from "better-sqlite3";
import { ROLLUP_COLUMNS } from "~/cem/rollup";

/** workspace, touchpoint, attribute, kind, day, tier, lang, then the ROLLUP_COLUMNS values. */
export type RollupRow = (string | number)[];

const ROLLUP_SQL_COLUMNS = {
  n: "n",
  sum: "sum",
  sumSq: "sum_sq",
  sumP: "sum_p",
  sumE: "sum_e",
  sumY: "sum_y",
  sumYSq: "sum_y_sq",
  sumXY: "sum_xy",
  promoters: "promoters",
  passives: "passives",
  detractors: "detractors",
  top2: "top2",
} as const satisfies Record<(typeof ROLLUP_COLUMNS)[number], string>;
const KEY_COLUMNS = ["workspace_id", "touchpoint_id", "attribute_key", "kind", "day", "tier", "lang"];
const VALUE_COLUMNS = ROLLUP_COLUMNS.map((c) => ROLLUP_SQL_COLUMNS[c]);
const ROW_WIDTH = KEY_COLUMNS.length + VALUE_COLUMNS.length;
// Rows per multi-row statement.
const MAX_ROWS_PER_STATEMENT = 64;

type Upsert = (rows: readonly RollupRow[]) => void;
const upsertByDb = new WeakMap<Database.Database, Upsert>();

function prepareUpsert(sqlite: Database.Database): Upsert {
  const byCount = new Map<number, Database.Statement<unknown[]>>();
  const row = `(${Array.from({ length: ROW_WIDTH }, () => "?").join(", ")})`;
  const statement = (count: number) => {
    let prepared = byCount.get(count);
    if (!prepared) {
      prepared = sqlite.prepare(
        `INSERT INTO rollups (${[...KEY_COLUMNS, ...VALUE_COLUMNS].join(", ")})
         VALUES ${Array.from({ length: count }, () => row).join(", ")}
         ON CONFLICT (${KEY_COLUMNS.join(", ")}) DO UPDATE SET
         ${VALUE_COLUMNS.map((c) => `${c} = ${c} + excluded.${c}`).join(", ")}`,
      );
      byCount.set(count, prepared);
    }
    return prepared;
  };
  return (rows) => {
    for (let start = 0; start < rows.length; start += MAX_ROWS_PER_STATEMENT) {
      const chunk = rows.slice(start, start + MAX_ROWS_PER_STATEMENT);
      statement(chunk.length).run(chunk.flat());
    }
  };
}

/** Adds up rows with the same key (the first KEY_COLUMNS values), so each key is upserted once. */
export function sumRollupRows(rows: readonly RollupRow[]): RollupRow[] {
  const merged = new Map<string, RollupRow>();
  const keys = KEY_COLUMNS.length;
  for (const row of rows) {
    const key = `${row[0]}\u0000${row[1]}\u0000${row[2]}\u0000${row[3]}\u0000${row[4]}\u0000${row[5]}\u0000${row[6]}`;
    const current = merged.get(key);
    if (!current) merged.set(key, row.slice());
    else for (let i = keys; i < row.length; i++) (current[i] as number) += row[i] as number;
  }
  return [...merged.values()];
}

/** Adds a batch's rollup increments to the stored sums (call inside the batch's transaction). */
export function addRollups(sqlite: Database.Database, rows: readonly RollupRow[]): void {
  if (rows.length === 0) return;
  let upsert = upsertByDb.get(sqlite);
  if (!upsert) {
    upsert = prepareUpsert(sqlite);
    upsertByDb.set(sqlite, upsert);
  }
  upsert(sumRollupRows(rows));
}
