// Bulk writes of the CRM imports: a multi-row statement built once with placeholders and run for
// every chunk of a transaction (drizzle takes longer to build a 500-row statement than SQLite to run
// it), and the rows a chunk does not fill written in pieces of powers of two.
import { sql, type Placeholder, type SQL } from "drizzle-orm";
import { isPostgres } from "#db/client";

/** Rows per multi-row statement: ~10 parameters a row keeps a statement well under SQLite's limits. */
export const WRITE_CHUNK = 500;

/** A statement's cells: a placeholder for each field of each row. */
export type Cells<V> = { [K in keyof V]: Placeholder };

/**
 * A row of cells to insert, bound as the values are given (as the driver takes them: a time as epoch
 * milliseconds). drizzle would run each inserted placeholder's value through its column's encoder,
 * which costs three type checks a value in a bulk write and fails on a null time.
 *
 * On PostgreSQL the "cells" chunkStatement hands `build` are the values themselves (times as Dates),
 * which drizzle maps through the columns as usual: they are passed on unchanged.
 */
export function asIs<V>(cells: Cells<V>): { [K in keyof V]: SQL } {
  if (isPostgres()) return cells as unknown as { [K in keyof V]: SQL };
  return Object.fromEntries(Object.entries(cells).map(([field, cell]) => [field, sql`${cell}`])) as { [K in keyof V]: SQL };
}

type ResultOf<Q> = Q extends PromiseLike<infer R> ? R : never;
type Preparable = PromiseLike<unknown> & { prepare(): { execute(placeholderValues?: Record<string, unknown>): unknown } };

/**
 * A multi-row statement (an insert, a read by an `in` list) for any number of rows. drizzle takes
 * several times longer to build a 500-row statement than SQLite takes to run it, so the statement is
 * built once per size with placeholders and prepared in the transaction `build` uses; the rows run in
 * pieces of WRITE_CHUNK, then of powers of two, in order, so a bulk write builds a handful of
 * statements. Exact sizes, never padding: SQLite spends an AUTOINCREMENT id on every row an insert
 * tries, so the ids are those of the rows written one by one. Array results (reads, RETURNING) are
 * concatenated in order. An insert's cells go through `asIs`. `instants` names the fields that hold
 * a time (epoch milliseconds, as SQLite stores it).
 *
 * On PostgreSQL, whose driver takes no epoch milliseconds for a timestamptz, the statements are
 * plain drizzle multi-row statements over the values (the instants made Dates), WRITE_CHUNK rows at
 * a time: `build` gets the values where it would get placeholders.
 */
export function chunkStatement<V extends Record<string, unknown>, Q extends Preparable>(
  fields: readonly (keyof V & string)[],
  build: (rows: Cells<V>[]) => Q,
  options: { instants?: readonly (keyof V & string)[] } = {},
): (rows: readonly V[]) => Promise<ResultOf<Q> extends unknown[] ? ResultOf<Q> : void> {
  if (isPostgres()) return chunkedValues(fields, build, options.instants ?? []);
  const prepared = new Map<number, ReturnType<Q["prepare"]>>();
  const statement = (size: number) => {
    let query = prepared.get(size);
    if (!query) {
      // Placeholders are named by their position, so the values can be one flat array.
      const rows = Array.from(
        { length: size },
        (_, i) => Object.fromEntries(fields.map((field, k) => [field, sql.placeholder(String(i * fields.length + k))])) as Cells<V>,
      );
      query = build(rows).prepare() as ReturnType<Q["prepare"]>;
      prepared.set(size, query);
    }
    return query;
  };
  return async (rows) => {
    const results: unknown[] = [];
    for (let start = 0; start < rows.length; ) {
      const left = rows.length - start;
      const size = left >= WRITE_CHUNK ? WRITE_CHUNK : 2 ** Math.floor(Math.log2(left));
      const values: unknown[] = [];
      for (let i = start; i < start + size; i++) for (const field of fields) values.push(rows[i][field]);
      const result = await statement(size).execute(values as unknown as Record<string, unknown>);
      if (Array.isArray(result)) results.push(...(result as unknown[]));
      start += size;
    }
    return results as ResultOf<Q> extends unknown[] ? ResultOf<Q> : void;
  };
}

/** chunkStatement on PostgreSQL: the rows' values (instants as Dates) in statements of WRITE_CHUNK rows. */
function chunkedValues<V extends Record<string, unknown>, Q extends Preparable>(
  fields: readonly (keyof V & string)[],
  build: (rows: Cells<V>[]) => Q,
  instants: readonly (keyof V & string)[],
): (rows: readonly V[]) => Promise<ResultOf<Q> extends unknown[] ? ResultOf<Q> : void> {
  const valuesOf = (row: V) =>
    Object.fromEntries(
      fields.map((field) => {
        const value = row[field];
        return [field, instants.includes(field) && typeof value === "number" ? new Date(value) : value];
      }),
    ) as unknown as Cells<V>;
  return async (rows) => {
    const results: unknown[] = [];
    for (let start = 0; start < rows.length; start += WRITE_CHUNK) {
      const result = await build(rows.slice(start, start + WRITE_CHUNK).map(valuesOf));
      if (Array.isArray(result)) results.push(...(result as unknown[]));
    }
    return results as ResultOf<Q> extends unknown[] ? ResultOf<Q> : void;
  };
}

