// Writing rollups: the increments of a batch of responses, added up per key in memory and upserted
// once per key into the daily rows and once per key into the weekly rows (rollups_weekly, ADR 010).
// The fold (rollup-fold.server.ts, ADR 012) is the only caller besides the insights bench's
// generator: every response's increments go through here, in the transaction that moves the fold
// mark past it, so neither level ever drifts from the rows.
import type Database from "better-sqlite3";
import { ROLLUP_COLUMNS } from "~/cem/rollup";
import { weekOf } from "~/cem/rollup-weeks";

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
/** Where the day sits in a row; the weekly level keeps the same key with the Monday there. */
const DAY_INDEX = KEY_COLUMNS.indexOf("day");
const VALUE_COLUMNS = ROLLUP_COLUMNS.map((c) => ROLLUP_SQL_COLUMNS[c]);
const ROW_WIDTH = KEY_COLUMNS.length + VALUE_COLUMNS.length;

type Upsert = (rows: readonly RollupRow[]) => void;
type Upserts = { daily: Upsert; weekly: Upsert };
const upsertsByDb = new WeakMap<Database.Database, Upserts>();

/**
 * One statement per key: SQLite's multi-row `VALUES …, … ON CONFLICT DO UPDATE` measured about
 * half as fast again per row (bench:ingest, ADR 011).
 */
function prepareUpsert(sqlite: Database.Database, table: "rollups" | "rollups_weekly"): Upsert {
  const keys = table === "rollups" ? KEY_COLUMNS : KEY_COLUMNS.map((c) => (c === "day" ? "week" : c));
  const statement = sqlite.prepare<unknown[]>(
    `INSERT INTO ${table} (${[...keys, ...VALUE_COLUMNS].join(", ")})
     VALUES (${Array.from({ length: ROW_WIDTH }, () => "?").join(", ")})
     ON CONFLICT (${keys.join(", ")}) DO UPDATE SET
     ${VALUE_COLUMNS.map((c) => `${c} = ${c} + excluded.${c}`).join(", ")}`,
  );
  return (rows) => {
    for (const row of rows) statement.run(row);
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

/** Daily rows (already added up per key) moved to the Monday of their week and added up again. */
export function weeklyRollupRows(daily: readonly RollupRow[]): RollupRow[] {
  const mondays = new Map<string, string>();
  return sumRollupRows(
    daily.map((row) => {
      const day = row[DAY_INDEX] as string;
      let monday = mondays.get(day);
      if (monday === undefined) mondays.set(day, (monday = weekOf(day)));
      const weekly = row.slice();
      weekly[DAY_INDEX] = monday;
      return weekly;
    }),
  );
}

/** A batch's increments added up per key, at both levels: what addRollups upserts. */
export type SummedRollups = { daily: RollupRow[]; weekly: RollupRow[] };

export function sumRollups(rows: readonly RollupRow[]): SummedRollups {
  const daily = sumRollupRows(rows);
  return { daily, weekly: weeklyRollupRows(daily) };
}

/** Upserts increments already added up per key (sumRollups), daily and weekly, in the caller's transaction. */
export function upsertRollups(sqlite: Database.Database, summed: SummedRollups): void {
  let upserts = upsertsByDb.get(sqlite);
  if (!upserts) {
    upserts = { daily: prepareUpsert(sqlite, "rollups"), weekly: prepareUpsert(sqlite, "rollups_weekly") };
    upsertsByDb.set(sqlite, upserts);
  }
  upserts.daily(summed.daily);
  upserts.weekly(summed.weekly);
}

/**
 * Adds a batch's rollup increments to the stored sums, daily and weekly (call inside the batch's
 * transaction, so both levels commit or roll back together).
 */
export function addRollups(sqlite: Database.Database, rows: readonly RollupRow[]): void {
  if (rows.length === 0) return;
  upsertRollups(sqlite, sumRollups(rows));
}
