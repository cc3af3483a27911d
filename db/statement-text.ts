// Statements of the ingest hot path given as SQL text with `?` placeholders and a flat list of
// values: a response's measurement rows and a batch's rollup upserts carry thousands of values, and
// drizzle's query builder spent ~25 % of the recording CPU building them value by value
// (docs/benchmarks.md, "Ingest"). The text is standard SQL that both engines accept; only the
// placeholders differ, and values are what the driver stores (numbers, text, null).
import { sql, type SQL } from "drizzle-orm";
import type Database from "better-sqlite3";
import { getDb, isPostgres } from "./client";

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

/** The text with each `?` bound to the next value, as drizzle SQL (PostgreSQL numbers them). */
function bound(text: string, values: readonly unknown[]): SQL {
  const parts = text.split("?");
  if (parts.length !== values.length + 1) throw new Error(`statement has ${parts.length - 1} placeholders for ${values.length} values`);
  const chunks: SQL[] = [sql.raw(parts[0])];
  values.forEach((value, i) => chunks.push(sql`${value}`, sql.raw(parts[i + 1])));
  return sql.join(chunks);
}

/** Runs a statement (inside the caller's transaction when one is open). */
export async function runText(text: string, values: readonly unknown[]): Promise<void> {
  const db = getDb();
  if (isPostgres()) {
    await (db as unknown as { execute(query: SQL): Promise<unknown> }).execute(bound(text, values));
    return;
  }
  await db.$gate.statement(() => preparedOn(db.$client, text).run(...values));
}

/** The rows a statement returns (a SELECT, or RETURNING), keyed by the names the text gives them. */
export async function queryText<T>(text: string, values: readonly unknown[]): Promise<T[]> {
  const db = getDb();
  if (isPostgres()) {
    const result = await (db as unknown as { execute(query: SQL): Promise<{ rows: T[] }> }).execute(bound(text, values));
    return result.rows;
  }
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
