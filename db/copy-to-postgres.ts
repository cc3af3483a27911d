// Moves an existing SQLite installation's data to PostgreSQL (`npm run cem -- db copy-to-postgres`,
// cli/db.ts). The SQLite file is opened read-only, straight through better-sqlite3 with the SQLite
// drizzle schema (never the app's getDb(), which would migrate and write); the target through
// openPgDatabase, which migrates it to the current schema.
//
// Every table the two schemas export (db/schema/sqlite.ts, db/schema-pg, matched by table name) is
// copied, parents before children (the order comes from the foreign keys, tableCopyOrder), in
// chunks read by primary key, all in ONE PostgreSQL transaction: a failure leaves the target as it
// was. Rows go through drizzle's column mappings on both sides (selected with the SQLite database,
// inserted with the PostgreSQL one), so instants, booleans and JSON arrive as PostgreSQL keeps them.
// Ids stay as they are; then every identity sequence moves past the highest id (or past SQLite's
// AUTOINCREMENT counter when that is higher: ids are never reused), so new rows do not collide.
// Not copied: drizzle's migration bookkeeping (not in the schema), and lookup_generation, whose one
// row is the target's own (its triggers move it as the copy writes).
//
// The target must hold no row in any app table (rollup_pending included), unless `replace` (then
// every table is emptied first, in the same transaction). After the commit the row counts of both
// sides are compared table by table.
import Database from "better-sqlite3";
import { getTableColumns, getTableName, gt, is, sql, type Column, type SQL } from "drizzle-orm";
import { drizzle as drizzleSqlite } from "drizzle-orm/better-sqlite3";
import { readMigrationFiles } from "drizzle-orm/migrator";
import { getTableConfig as pgTableConfig, PgTable } from "drizzle-orm/pg-core";
import { getTableConfig as sqliteTableConfig, SQLiteTable, type SQLiteColumn } from "drizzle-orm/sqlite-core";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import { migrationsFolder } from "./client";
import { openPgDatabase, type PgDb } from "./client-pg";
import * as pgSchema from "./schema-pg/index";
// Rollup increments waiting for the fold (ADR 033): rows of the target's own, part of what "empty" means.
import { PG_ONLY_TABLES } from "./schema-pg/rollup-reads";
import * as sqliteSchema from "./schema/sqlite";

/** Rows read and inserted per statement (fewer for wide tables: PostgreSQL takes at most 65,535 parameters). */
export const DEFAULT_CHUNK_SIZE = 1000;
const MAX_PG_PARAMETERS = 65_535;
/** Rows per statement for tables with blobs (job_files: up to a megabyte each). */
const BLOB_CHUNK_SIZE = 4;

/** Tables whose rows are not copied: the target keeps its own (lookup_generation: its one row, ADR 013). */
const KEPT_BY_TARGET = new Set(["lookup_generation"]);

/** A table of the app, on both engines. */
export type TablePair = { name: string; sqlite: SQLiteTable; pg: PgTable };

export type TableCount = { table: string; sqlite: number; postgres: number };

export type CopyOptions = {
  /** The SQLite database file. */
  from: string;
  /** postgres://… */
  to: string;
  /** Empty every app table of the target first (else a target holding any row is refused). */
  replace?: boolean;
  chunkSize?: number;
  /** Progress lines. */
  log?: (line: string) => void;
};

export type CopyResult =
  | { status: "refused"; occupied: { table: string; rows: number }[] }
  | { status: "copied"; counts: TableCount[]; verified: boolean; sequences: number };

/** A failure to report as it is (no stack): a missing file, an unreachable server, a failed copy. */
export class CopyError extends Error {}

/** The URL without its password, for messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url.trim());
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "the PostgreSQL URL";
  }
}

/** The driver's own message under drizzle's wrapping (which quotes the whole statement and every parameter). */
function rootMessage(error: unknown): string {
  let e = error;
  while (e instanceof Error && e.cause instanceof Error) e = e.cause;
  return e instanceof Error ? e.message : String(e);
}

const quoted = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** The tables to copy, matched by table name across the two schemas (drizzle's bookkeeping and lookup_generation left out). */
export function tablePairs(): TablePair[] {
  const pgByName = new Map<string, PgTable>();
  for (const value of Object.values(pgSchema)) if (is(value, PgTable)) pgByName.set(getTableName(value), value);
  const pairs: TablePair[] = [];
  const seen = new Set<string>();
  for (const value of Object.values(sqliteSchema)) {
    if (!is(value, SQLiteTable)) continue;
    const name = getTableName(value);
    if (seen.has(name) || KEPT_BY_TARGET.has(name) || name.startsWith("__drizzle")) continue;
    seen.add(name);
    const pg = pgByName.get(name);
    if (!pg) throw new CopyError(`Table ${name} is in the SQLite schema but not in the PostgreSQL one (db/schema-pg).`);
    // Rows pass from one side to the other by property name: both must name the same columns alike.
    const columns = (table: SQLiteTable | PgTable) =>
      Object.entries(getTableColumns(table))
        .map(([key, column]) => `${key}=${column.name}`)
        .sort()
        .join(", ");
    if (columns(value) !== columns(pg)) throw new CopyError(`Table ${name} has other columns in db/schema-pg than in db/schema: ${columns(pg)} / ${columns(value)}.`);
    pairs.push({ name, sqlite: value, pg });
  }
  return pairs;
}

/**
 * The tables in an order that inserts every row after the rows it references: each table after the
 * tables its foreign keys name (getTableConfig), ties by name. A self-reference does not constrain
 * the order (rows are copied in primary-key order); a cycle between tables is refused.
 */
export function tableCopyOrder(pairs: TablePair[] = tablePairs()): TablePair[] {
  const byName = new Map(pairs.map((p) => [p.name, p]));
  const parents = new Map<string, Set<string>>();
  for (const pair of pairs) {
    const names = new Set<string>();
    for (const fk of pgTableConfig(pair.pg).foreignKeys) {
      const parent = getTableName(fk.reference().foreignTable);
      // A parent outside the copied set (lookup_generation) is already there.
      if (parent !== pair.name && byName.has(parent)) names.add(parent);
    }
    parents.set(pair.name, names);
  }
  const ordered: TablePair[] = [];
  const placed = new Set<string>();
  const waiting = [...byName.keys()].sort();
  while (waiting.length > 0) {
    const ready = waiting.filter((name) => [...parents.get(name)!].every((p) => placed.has(p)));
    if (ready.length === 0) {
      throw new CopyError(`The foreign keys of these tables form a cycle, so no insert order exists: ${waiting.join(", ")}.`);
    }
    for (const name of ready) {
      ordered.push(byName.get(name)!);
      placed.add(name);
      waiting.splice(waiting.indexOf(name), 1);
    }
  }
  return ordered;
}

/** The primary key's columns with their property names in the row objects drizzle returns. */
function primaryKeyOf(table: SQLiteTable): { key: string; column: SQLiteColumn }[] {
  const config = sqliteTableConfig(table);
  const columns = config.primaryKeys[0]?.columns ?? config.columns.filter((c) => c.primary);
  const keyOf = new Map<Column, string>(Object.entries(getTableColumns(table)).map(([key, column]) => [column, key]));
  return columns.map((column) => ({ key: keyOf.get(column)!, column }));
}

/** Rows after `last` in primary-key order (row values for a composite key), as drizzle maps them. */
function keysetAfter(pk: { key: string; column: SQLiteColumn }[], last: Record<string, unknown>): SQL {
  if (pk.length === 1) return gt(pk[0].column, last[pk[0].key])!;
  const columns = sql.join(
    pk.map((p) => p.column),
    sql`, `,
  );
  const values = sql.join(
    pk.map((p) => sql.param(last[p.key], p.column)),
    sql`, `,
  );
  return sql`(${columns}) > (${values})`;
}

/** Opens the SQLite file read-only and checks it is a Vivencia database migrated to this version's schema. */
function openSource(file: string): Database.Database {
  if (!fs.existsSync(file)) throw new CopyError(`No such file: ${file}`);
  let sqlite: Database.Database;
  try {
    sqlite = new Database(file, { readonly: true, fileMustExist: true });
    sqlite.pragma("busy_timeout = 5000");
  } catch (error) {
    throw new CopyError(`Cannot open ${file} as a SQLite database: ${rootMessage(error)}`);
  }
  try {
    const bookkeeping = sqlite.prepare("select 1 from sqlite_master where type = 'table' and name = '__drizzle_migrations'").get();
    if (!bookkeeping) throw new CopyError(`${file} is not a Vivencia database (it has no migration history).`);
    const applied = sqlite.prepare("select max(created_at) as at from __drizzle_migrations").get() as { at: number | null };
    const migrations = readMigrationFiles({ migrationsFolder: migrationsFolder() });
    const latest = Math.max(...migrations.map((m) => m.folderMillis));
    if ((applied.at ?? 0) < latest) {
      throw new CopyError(
        `${file} is not migrated to this version's schema. Start this version of the app on it once ` +
          `(DATABASE_PATH=${file} npm start, or any \`npm run cem\` command with that DATABASE_PATH), then copy it.`,
      );
    }
  } catch (error) {
    sqlite.close();
    if (error instanceof CopyError) throw error;
    throw new CopyError(`Cannot read ${file}: ${rootMessage(error)}`);
  }
  return sqlite;
}

type PgTx = Parameters<Parameters<PgDb["transaction"]>[0]>[0];

/**
 * The insert of `n` rows into `table`, built by drizzle once per table and row count and prepared
 * on the connection (PostgreSQL parses and plans it once). Every value is a placeholder encoded by
 * its column's own mapping (Date to timestamptz, boolean, JSON to jsonb text), as drizzle encodes
 * values given in place; NULL stays NULL (a placeholder's encoder would turn it into JSON null).
 * Building the statement text of a thousand rows for every chunk costs more than inserting them.
 */
function preparedInserts(tx: PgTx, table: PgTable, name: string) {
  const columns = Object.entries(getTableColumns(table));
  const overriding = columns.some(([, c]) => c.generatedIdentity?.type === "always");
  const encoders = columns.map(([, column]) => ({
    mapToDriverValue: (value: unknown) => (value === null || value === undefined ? null : column.mapToDriverValue(value)),
  }));
  const prepared = new Map<number, { execute: (values: Record<string, unknown>) => Promise<unknown> }>();
  const statement = (n: number) => {
    let found = prepared.get(n);
    if (!found) {
      const rows = Array.from({ length: n }, (_, i) =>
        Object.fromEntries(columns.map(([key], j) => [key, sql`${sql.param(sql.placeholder(`${i}_${j}`), encoders[j])}`])),
      );
      const insert = tx.insert(table);
      found = (overriding ? insert.overridingSystemValue() : insert).values(rows as never).prepare(`${name}_${n}`);
      prepared.set(n, found);
    }
    return found;
  };
  const keys = columns.map(([key]) => key);
  const names: string[][] = [];
  /** The placeholder values of a chunk of rows (as drizzle selected them from SQLite: keyed by property). */
  statement.values = (rows: Record<string, unknown>[]) => {
    const values: Record<string, unknown> = {};
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i];
      const rowNames = (names[i] ??= keys.map((_, j) => `${i}_${j}`));
      for (let j = 0; j < keys.length; j++) values[rowNames[j]] = row[keys[j]];
    }
    return values;
  };
  return statement;
}

class Refused extends Error {
  constructor(readonly occupied: { table: string; rows: number }[]) {
    super("the target holds rows");
  }
}

async function pgCount(db: Pick<PgDb, "execute">, table: string): Promise<number> {
  const result = await db.execute<{ n: string | number }>(sql.raw(`select count(*) as n from ${quoted(table)}`));
  return Number(result.rows[0].n);
}

/** Copies the SQLite file's data into the PostgreSQL database, then compares row counts. */
export async function copySqliteToPostgres(options: CopyOptions): Promise<CopyResult> {
  const log = options.log ?? (() => undefined);
  const target = redactUrl(options.to);
  const order = tableCopyOrder();
  const sqlite = openSource(options.from);
  // Names this run's prepared statements apart from any other on the same connection.
  const run = randomBytes(4).toString("hex");
  try {
    const source = drizzleSqlite({ client: sqlite });
    // One read transaction: every table (and its count) as of the same moment, even should the app
    // still be writing to the file.
    sqlite.exec("BEGIN");
    const sourceCounts = new Map<string, number>();
    for (const { name } of order) {
      sourceCounts.set(name, (sqlite.prepare(`select count(*) as n from ${quoted(name)}`).get() as { n: number }).n);
    }
    const hasSequenceTable = !!sqlite.prepare("select 1 from sqlite_master where type = 'table' and name = 'sqlite_sequence'").get();
    const autoincrement = new Map<string, number>(
      hasSequenceTable ? (sqlite.prepare("select name, seq from sqlite_sequence").all() as { name: string; seq: number }[]).map((r) => [r.name, r.seq]) : [],
    );

    let db: PgDb;
    try {
      db = await openPgDatabase(options.to);
    } catch (error) {
      throw new CopyError(`Cannot open ${target}: ${rootMessage(error)}`);
    }
    try {
      let sequences = 0;
      let current = "";
      try {
        await db.transaction(async (tx) => {
          const occupied: { table: string; rows: number }[] = [];
          const names = [...order.map((p) => p.name), ...PG_ONLY_TABLES];
          for (const name of names) {
            const found = await tx.execute(sql.raw(`select 1 from ${quoted(name)} limit 1`));
            if (found.rows.length > 0) occupied.push({ table: name, rows: await pgCount(tx, name) });
          }
          if (occupied.length > 0) {
            if (!options.replace) throw new Refused(occupied);
            log(`Emptying ${occupied.length} table(s) of ${target} (--replace)…`);
            // Every app table in one statement (so no foreign key stands in the way); identities restart.
            await tx.execute(sql.raw(`truncate table ${names.map(quoted).join(", ")} restart identity`));
          }

          for (const pair of order) {
            current = pair.name;
            const total = sourceCounts.get(pair.name)!;
            const columnCount = Object.keys(getTableColumns(pair.sqlite)).length;
            // Blob rows (a job's file, a megabyte a chunk) a few at a time, so memory stays small.
            const holdsBlobs = sqliteTableConfig(pair.sqlite).columns.some((c) => c.columnType === "SQLiteBlobBuffer");
            const chunk = holdsBlobs
              ? BLOB_CHUNK_SIZE
              : Math.max(1, Math.min(options.chunkSize ?? DEFAULT_CHUNK_SIZE, Math.floor(MAX_PG_PARAMETERS / columnCount)));
            const pk = primaryKeyOf(pair.sqlite);
            const inserter = preparedInserts(tx, pair.pg, `copy_${run}_${order.indexOf(pair)}`);
            let copied = 0;
            let last: Record<string, unknown> | undefined;
            let inFlight: Promise<unknown> | undefined;
            for (;;) {
              let rows: Record<string, unknown>[];
              if (pk.length > 0) {
                const query = source.select().from(pair.sqlite).$dynamic();
                if (last) query.where(keysetAfter(pk, last));
                rows = (await query.orderBy(...pk.map((p) => p.column)).limit(chunk)) as Record<string, unknown>[];
              } else {
                // No primary key: a stable order over every column, by offset (none of the app's tables).
                rows = (await source
                  .select()
                  .from(pair.sqlite)
                  .orderBy(...sqliteTableConfig(pair.sqlite).columns)
                  .limit(chunk)
                  .offset(copied)) as Record<string, unknown>[];
              }
              if (rows.length === 0) break;
              // Sent at once; awaited after the next chunk is read, so PostgreSQL inserts one chunk
              // while this process reads the next.
              const sent = inserter(rows.length).execute(inserter.values(rows));
              // Its failure is reported by the await below (or by the previous chunk's, which aborts the transaction).
              sent.catch(() => undefined);
              await inFlight;
              inFlight = sent;
              copied += rows.length;
              last = rows[rows.length - 1];
              if (rows.length < chunk) break;
            }
            await inFlight;
            log(`  ${pair.name}: ${copied.toLocaleString("en")} of ${total.toLocaleString("en")} row(s)`);

            // Identity columns: the next id after the highest copied (or after SQLite's AUTOINCREMENT
            // counter, which remembers ids of rows since deleted).
            for (const column of pgTableConfig(pair.pg).columns) {
              if (!column.generatedIdentity && column.columnType !== "PgSerial") continue;
              const [{ max }] = (
                await tx.execute<{ max: number | string | null }>(sql.raw(`select max(${quoted(column.name)}) as max from ${quoted(pair.name)}`))
              ).rows;
              const next = Math.max(Number(max ?? 0), autoincrement.get(pair.name) ?? 0);
              if (next < 1) continue;
              const schema = pgTableConfig(pair.pg).schema;
              const qualified = schema ? `${quoted(schema)}.${quoted(pair.name)}` : quoted(pair.name);
              await tx.execute(sql`select setval(pg_get_serial_sequence(${qualified}, ${column.name}), ${next})`);
              sequences++;
            }
          }
          current = "";
        });
      } catch (error) {
        if (error instanceof Refused) return { status: "refused", occupied: error.occupied };
        const where = current ? ` while copying ${current}` : "";
        throw new CopyError(`The copy failed${where} and was rolled back; ${target} is as it was. ${rootMessage(error)}`);
      }

      // After the commit, on a fresh read: the target's counts against the source's.
      const counts: TableCount[] = [];
      for (const { name } of order) counts.push({ table: name, sqlite: sourceCounts.get(name)!, postgres: await pgCount(db, name) });
      return { status: "copied", counts, verified: counts.every((c) => c.sqlite === c.postgres), sequences };
    } finally {
      await db.$client.end();
    }
  } finally {
    if (sqlite.inTransaction) sqlite.exec("ROLLBACK");
    sqlite.close();
  }
}
