// Writing rollups: the increments of a batch of responses, added up per key in memory, in the
// transaction that stores the responses (ADR 014).
// - SQLite upserts them once per key into the daily rows and the weekly rows (rollups_weekly, ADR 010).
// - PostgreSQL records the batch's daily increments as one row of rollup_pending (one array per
//   column), which the fold adds to both levels in the background (rollup-fold.server.ts, ADR 033);
//   readers add what is pending (the rollups_read views). Upserting ~500 rollup rows in every batch
//   transaction cost a third of the database's time and serialised batches on the rows' locks.
// Either way a response and its increments commit together, so what readers see equals a
// recomputation from the measurement rows after any interleaving of writers and folds.
import { isPostgres } from "#db/client";
import { runText, valuesText } from "#db/statement-text";
import { ROLLUP_COLUMNS } from "~/cem/rollup";
import { RollupAccumulator, type RollupRow } from "~/cem/rollup-sums";
import { weekOf } from "~/cem/rollup-weeks";

export { RollupAccumulator, type RollupRow };

// Rows per statement: 19 values a row stays far below either engine's limit on parameters.
const ROWS_PER_STATEMENT = 200;
const SQL_COLUMNS: Record<(typeof ROLLUP_COLUMNS)[number], string> = {
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
};
/** The sums' columns, in ROLLUP_COLUMNS order. */
export const VALUE_COLUMNS = ROLLUP_COLUMNS.map((c) => SQL_COLUMNS[c]);

/** A level's key columns: the day (rollups) or the week's Monday (rollups_weekly) among them. */
export function keyColumns(table: "rollups" | "rollups_weekly"): string[] {
  return ["workspace_id", "touchpoint_id", "attribute_key", "kind", table === "rollups" ? "day" : "week", "tier", "lang"];
}

/** Adding rows into a level: a key already there gets the new sums added (this upsert and the fold's). */
export function addedOnConflict(table: "rollups" | "rollups_weekly"): string {
  return `ON CONFLICT (${keyColumns(table).join(", ")}) DO UPDATE SET ${VALUE_COLUMNS.map((c) => `${c} = ${table}.${c} + excluded.${c}`).join(", ")}`;
}

const upsertTexts = new Map<string, string>();

/** The upsert of `rows` rows (texts kept: a batch uses a few row counts again and again). */
function upsertText(table: "rollups" | "rollups_weekly", rows: number): string {
  const key = `${table}:${rows}`;
  let text = upsertTexts.get(key);
  if (text === undefined) upsertTexts.set(key, (text = buildUpsertText(table, rows)));
  return text;
}

function buildUpsertText(table: "rollups" | "rollups_weekly", rows: number): string {
  const keys = keyColumns(table);
  return `INSERT INTO ${table} (${[...keys, ...VALUE_COLUMNS].join(", ")}) ${valuesText(rows, keys.length + VALUE_COLUMNS.length)}
    ${addedOnConflict(table)}`;
}

/**
 * PostgreSQL: the batch's daily increments as one pending row, each column an array (a statement of
 * fixed text, parsed and planned once per connection, no value spliced into it).
 */
const INTEGER_COLUMNS = new Set(["n", "promoters", "passives", "detractors", "top2"]);
/** A pending row's columns: the daily key with the week beside the day, then the sums (the fold unnests them in this order). */
export const PENDING_COLUMNS = [...keyColumns("rollups").slice(0, 5), "week", "tier", "lang", ...VALUE_COLUMNS];
const PENDING_TYPES = ["int", "int", "text", "text", "text", "text", "text", "text", ...VALUE_COLUMNS.map((c) => (INTEGER_COLUMNS.has(c) ? "int" : "float8"))];
/**
 * The pending row of pendingArrays' values, none when they are empty: a statement of its own here,
 * and part of the ingest writer's one statement for a batch (response-set-writer.server.ts).
 */
export const PG_INSERT_PENDING = `INSERT INTO rollup_pending (${PENDING_COLUMNS.join(", ")})
    SELECT * FROM (SELECT ${PENDING_TYPES.map((t) => `?::${t}[]`).join(", ")}) AS p(${PENDING_COLUMNS.join(", ")})
    WHERE cardinality(p.workspace_id) > 0`;

/** The daily rows as the pending row's arrays: each day's week (its Monday) beside it, for both levels' readers and the fold. */
export function pendingArrays(rows: readonly RollupRow[]): (string | number)[][] {
  const columns: (string | number)[][] = Array.from({ length: PENDING_COLUMNS.length }, () => []);
  // A batch spans a few days: each day's Monday worked out once.
  const mondays = new Map<string, string>();
  for (const r of rows) {
    let monday = mondays.get(r.day);
    if (monday === undefined) mondays.set(r.day, (monday = weekOf(r.day)));
    [r.workspaceId, r.touchpointId, r.attributeKey, r.kind, r.day, monday, r.tier, r.lang, ...ROLLUP_COLUMNS.map((c) => r[c])].forEach((v, c) => columns[c].push(v));
  }
  return columns;
}

async function upsert(table: "rollups" | "rollups_weekly", rows: readonly RollupRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
    const chunk = rows.slice(i, i + ROWS_PER_STATEMENT);
    const values: (string | number)[] = [];
    for (const r of chunk) values.push(r.workspaceId, r.touchpointId, r.attributeKey, r.kind, r.day, r.tier, r.lang, ...ROLLUP_COLUMNS.map((c) => r[c]));
    await runText(upsertText(table, chunk.length), values);
  }
}

/**
 * Adds the sums in the caller's transaction (so they commit with the responses): to both levels on
 * SQLite, as pending increments for the fold on PostgreSQL.
 */
export async function addRollups(sums: RollupAccumulator): Promise<void> {
  if (isPostgres()) {
    const daily = sums.daily();
    if (daily.length > 0) await runText(PG_INSERT_PENDING, pendingArrays(daily));
    return;
  }
  const { daily, weekly } = sums.sums();
  await upsert("rollups", daily);
  await upsert("rollups_weekly", weekly);
}
