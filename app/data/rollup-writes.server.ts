// Writing rollups: the increments of a batch of responses, added up per key in memory, then upserted
// once per key into the daily rows and once into the weekly rows (rollups_weekly, ADR 010), in the
// transaction that stores the responses (ADR 014). A response and its sums commit together, so the
// rollups equal a recomputation from the measurement rows after any interleaving of writers, on
// either engine, and no reader ever has anything to fold.
import { isPostgres } from "#db/client";
import { runText, valuesText } from "#db/statement-text";
import { ROLLUP_COLUMNS } from "~/cem/rollup";
import type { RollupRow } from "~/cem/rollup-sums";

export { RollupAccumulator, type RollupRow } from "~/cem/rollup-sums";

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
const VALUE_COLUMNS = ROLLUP_COLUMNS.map((c) => SQL_COLUMNS[c]);

const upsertTexts = new Map<string, string>();

/** The upsert of `rows` rows (texts kept: a batch uses a few row counts again and again). */
function upsertText(table: "rollups" | "rollups_weekly", rows: number): string {
  const key = `${table}:${rows}`;
  let text = upsertTexts.get(key);
  if (text === undefined) upsertTexts.set(key, (text = buildUpsertText(table, rows)));
  return text;
}

function buildUpsertText(table: "rollups" | "rollups_weekly", rows: number): string {
  const period = table === "rollups" ? "day" : "week";
  const keys = ["workspace_id", "touchpoint_id", "attribute_key", "kind", period, "tier", "lang"];
  return `INSERT INTO ${table} (${[...keys, ...VALUE_COLUMNS].join(", ")}) ${valuesText(rows, keys.length + VALUE_COLUMNS.length)}
    ON CONFLICT (${keys.join(", ")}) DO UPDATE SET ${VALUE_COLUMNS.map((c) => `${c} = ${table}.${c} + excluded.${c}`).join(", ")}`;
}

/**
 * PostgreSQL: both levels in one statement of fixed text, each column an array (parsed and planned
 * once per connection, and no value spliced into it).
 */
const INTEGER_COLUMNS = new Set(["n", "promoters", "passives", "detractors", "top2"]);
function unnestUpsert(table: "rollups" | "rollups_weekly"): string {
  const period = table === "rollups" ? "day" : "week";
  const keys = ["workspace_id", "touchpoint_id", "attribute_key", "kind", period, "tier", "lang"];
  const keyTypes = ["int", "int", "text", "text", "text", "text", "text"];
  const valueTypes = VALUE_COLUMNS.map((c) => (INTEGER_COLUMNS.has(c) ? "int" : "float8"));
  return `INSERT INTO ${table} (${[...keys, ...VALUE_COLUMNS].join(", ")})
    SELECT * FROM unnest(${[...keyTypes, ...valueTypes].map((t) => `?::${t}[]`).join(", ")})
    ON CONFLICT (${keys.join(", ")}) DO UPDATE SET ${VALUE_COLUMNS.map((c) => `${c} = ${table}.${c} + excluded.${c}`).join(", ")}`;
}
const PG_UPSERT_BOTH = `WITH daily AS (${unnestUpsert("rollups")}) ${unnestUpsert("rollups_weekly")}`;

/** The rows as one array per column, in the order the upsert names them. */
function columnArrays(rows: readonly RollupRow[]): (string | number)[][] {
  const columns: (string | number)[][] = Array.from({ length: 7 + ROLLUP_COLUMNS.length }, () => []);
  for (const r of rows) {
    [r.workspaceId, r.touchpointId, r.attributeKey, r.kind, r.day, r.tier, r.lang, ...ROLLUP_COLUMNS.map((c) => r[c])].forEach((v, c) => columns[c].push(v));
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

/** Adds the sums to both levels, in the caller's transaction (so they commit with the responses). */
export async function addRollups(sums: { daily: RollupRow[]; weekly: RollupRow[] }): Promise<void> {
  if (isPostgres()) {
    if (sums.daily.length > 0) await runText(PG_UPSERT_BOTH, [...columnArrays(sums.daily), ...columnArrays(sums.weekly)]);
    return;
  }
  await upsert("rollups", sums.daily);
  await upsert("rollups_weekly", sums.weekly);
}
