// Statements of the ingest hot path given as SQL text with `?` placeholders and a flat list of
// values: a response's measurement rows and a batch's rollup upserts carry thousands of values, and
// drizzle's query builder spent ~25 % of the recording CPU building them value by value
// (docs/benchmarks.md, "Ingest"). The text is standard SQL that both engines accept; only the
// placeholders differ, and values are what the driver stores (numbers, text, null).
import type Database from "better-sqlite3";
import { getDb, isPostgres, pgClient } from "./client";

const STATEMENT_CACHE = 200;
const prepared = new WeakMap<Database.Database, Map<string, Database.Statement>>();

function preparedOn(sqlite: Database.Database, text: string): Database.Statement {
  let byText = prepared.get(sqlite);
  if (!byText) prepared.set(sqlite, (byText = new Map()));
  let statement = byText.get(text);
  if (!statement) {
    statement = sqlite.prepare(text);
    if (byText.size >= STATEMENT_CACHE) byText.delete(byText.keys().next().value!);
    byText.set(text, statement);
  }
  return statement;
}

/**
 * PostgreSQL's form of a text: `$1`, `$2`… for its `?` placeholders, and a name, so that each
 * connection parses and plans it once (a prepared statement) instead of on every call. Names are
 * never reused for another text.
 */
type PgStatement = { name: string; text: string; placeholders: number };
const pgStatements = new Map<string, PgStatement>();
let statementsNamed = 0;
function pgStatement(text: string): PgStatement {
  let statement = pgStatements.get(text);
  if (statement === undefined) {
    let n = 0;
    const numbered = text.replace(/\?/g, () => `$${++n}`);
    statement = { name: `vivencia_${++statementsNamed}`, text: numbered, placeholders: n };
    if (pgStatements.size >= STATEMENT_CACHE) pgStatements.delete(pgStatements.keys().next().value!);
    pgStatements.set(text, statement);
  }
  return statement;
}

/**
 * Sends the text straight to the pg connection of the caller's transaction (else to the pool):
 * binding thousands of values one by one through drizzle's SQL builder cost more CPU than the
 * database spent storing them (docs/benchmarks.md, "PostgreSQL: what limits ingest").
 */
async function pgQuery<T>(text: string, values: readonly unknown[]): Promise<T[]> {
  const { name, text: numbered, placeholders } = pgStatement(text);
  if (placeholders !== values.length) throw new Error(`statement has ${placeholders} placeholders for ${values.length} values`);
  const result = await pgClient(getDb()).query({ name, text: numbered, values: values.map((v) => (Array.isArray(v) ? pgArrayLiteral(v) : v)) });
  return result.rows as T[];
}

/**
 * An array parameter as PostgreSQL's array literal (`{1,2}`, `{"a","b\\"c"}`, NULL for null), cast
 * in the text (`?::int[]`). pg's own conversion walks the array element by element in JavaScript:
 * for a batch's rollup columns that was 5 ms of the server's one thread; joined natively it is a
 * fraction of that.
 */
export function pgArrayLiteral(values: readonly unknown[]): string {
  let out = "{";
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (i > 0) out += ",";
    if (v === null || v === undefined) out += "NULL";
    else if (typeof v === "number") {
      if (!Number.isFinite(v)) throw new RangeError(`not a finite number in an array parameter: ${v}`);
      out += String(v);
    } else if (typeof v === "string") out += `"${v.replace(/["\\]/g, "\\$&")}"`;
    else throw new TypeError(`unsupported value in an array parameter: ${typeof v}`);
  }
  return out + "}";
}

/** Runs a statement (inside the caller's transaction when one is open). */
export async function runText(text: string, values: readonly unknown[]): Promise<void> {
  if (isPostgres()) {
    await pgQuery(text, values);
    return;
  }
  const db = getDb();
  await db.$gate.statement(() => preparedOn(db.$client, text).run(...values));
}

/** The rows a statement returns (a SELECT, or RETURNING), keyed by the names the text gives them. */
export async function queryText<T>(text: string, values: readonly unknown[]): Promise<T[]> {
  if (isPostgres()) return pgQuery<T>(text, values);
  const db = getDb();
  return db.$gate.statement(() => preparedOn(db.$client, text).all(...values) as T[]);
}

/** A time as each engine's column stores it: epoch milliseconds (SQLite), an ISO instant (PostgreSQL timestamptz). */
export function instantValue(ms: number): number | string {
  return isPostgres() ? new Date(ms).toISOString() : ms;
}

/** `VALUES (?, …), (?, …)` for `rows` rows of `columns` values. */
export function valuesText(rows: number, columns: number): string {
  const row = `(${Array.from({ length: columns }, () => "?").join(", ")})`;
  return `VALUES ${Array.from({ length: rows }, () => row).join(", ")}`;
}
