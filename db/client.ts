// The database client. The data layer sees one async drizzle database; on the embedded engine it
// sits on one better-sqlite3 connection per process (WAL, foreign keys, busy timeout), migrated on
// first use so that starting the app is enough to get a working database.
//
// better-sqlite3 is synchronous and a connection has one transaction at a time, so an async
// transaction would otherwise take in every statement another request runs while it awaits. The
// gate (db/connection-gate.ts) lets a transaction's own statements through and makes the rest wait
// until it ends; a statement outside any transaction runs at once.
import Database from "better-sqlite3";
import { drizzle as drizzleSync } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { drizzle, type SqliteRemoteDatabase } from "drizzle-orm/sqlite-proxy";
import type { SQL } from "drizzle-orm";
import { SQLiteSyncDialect } from "drizzle-orm/sqlite-core";
import fs from "node:fs";
import path from "node:path";
import { ConnectionGate } from "./connection-gate";
import * as schema from "./schema/index";

export type Db = SqliteRemoteDatabase<typeof schema> & {
  /** The raw connection, for the synchronous ingest path (through `withConnection`) and tests. */
  $client: Database.Database;
  $gate: ConnectionGate;
};
/** A transaction handle: every data function accepts it wherever it accepts the database. */
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
/** The database or a transaction open on it. */
export type Executor = Db | Tx;

export function databasePath(): string {
  return process.env.DATABASE_PATH ?? path.resolve("data", "vivencia.db");
}

export function migrationsFolder(): string {
  return process.env.MIGRATIONS_PATH ?? path.resolve("db", "migrations");
}

/** Opens the file (creating it when missing) with the pragmas every connection needs. */
export function openConnection(file: string = databasePath()): Database.Database {
  if (file !== ":memory:") fs.mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new Database(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  // NORMAL is durable across application crashes in WAL mode; only an OS crash can lose the last commits.
  sqlite.pragma("synchronous = NORMAL");
  // 64 MiB of page cache (the default is 2 MiB): the interior pages of the indexes every response
  // writes into stay in memory as the tables grow (bench:ingest).
  sqlite.pragma("cache_size = -65536");
  return sqlite;
}

/** Applies the committed migrations to a connection (synchronously: nothing else runs yet). */
export function migrateConnection(sqlite: Database.Database): void {
  migrate(drizzleSync(sqlite, { schema }), { migrationsFolder: migrationsFolder() });
}

// Statements by text: drizzle builds the same text for the same query shape, and preparing costs
// more than running. Bounded so that ad hoc texts (IN lists of every length) cannot grow it forever.
const STATEMENT_CACHE = 500;

/** Opens (creating when missing) and migrates a database file. */
export function openDatabase(file: string = databasePath()): Db {
  const sqlite = openConnection(file);
  migrateConnection(sqlite);
  const gate = new ConnectionGate();
  const statements = new Map<string, Database.Statement>();
  const prepare = (text: string) => {
    let statement = statements.get(text);
    if (!statement) {
      statement = sqlite.prepare(text);
      if (statements.size >= STATEMENT_CACHE) statements.delete(statements.keys().next().value!);
      statements.set(text, statement);
    }
    return statement;
  };
  const db = drizzle(
    (text, params, method) =>
      gate.statement(() => {
        const statement = prepare(text);
        if (method === "run" || !statement.reader) {
          const result = statement.run(...params);
          return { rows: [], changes: result.changes, lastInsertRowid: result.lastInsertRowid } as { rows: unknown[] };
        }
        if (method === "get") return { rows: statement.raw(true).get(...params) as unknown[] };
        return { rows: statement.raw(true).all(...params) as unknown[] };
      }),
    { schema },
  ) as Db;
  db.$client = sqlite;
  db.$gate = gate;
  // A transaction holds the gate from BEGIN to COMMIT, and takes the write lock when it begins
  // (IMMEDIATE): most read, then write, and a deferred one that read while another connection (the
  // writer thread, another process) committed cannot upgrade and fails at once with SQLITE_BUSY.
  // Called inside a transaction, it joins it: data functions compose without knowing who called.
  const transaction = db.transaction.bind(db);
  db.transaction = (async (run, config) => {
    const open = gate.current<Tx>();
    if (open) return run(open);
    return gate.exclusive((enter) => transaction((tx) => enter(tx, () => run(tx)), { behavior: "immediate", ...config }));
  }) as Db["transaction"];
  return db;
}

let shared: Db | undefined;

/** The process-wide database (the app and the CLI share one file; SQLite serialises writers). */
export function getDb(): Db {
  shared ??= openDatabase();
  return shared;
}

/**
 * Runs synchronous work on the raw connection once no other transaction holds it (inside one, at
 * once): for the ingest path, whose statements are prepared once and run in a tight loop.
 */
export function withConnection<T>(work: (sqlite: Database.Database) => T, db: Db = getDb()): Promise<T> {
  return db.$gate.exclusive(() => work(db.$client));
}

const dialect = new SQLiteSyncDialect();

/** Rows of a raw SQL query, as objects keyed by the column names the query gives. */
export async function rows<T>(query: SQL, db: Db = getDb()): Promise<T[]> {
  const { sql: text, params } = dialect.sqlToQuery(query);
  return db.$gate.statement(() => db.$client.prepare(text).all(...params) as T[]);
}

/** Runs a raw SQL statement; how many rows it changed. */
export async function execute(query: SQL, db: Db = getDb()): Promise<number> {
  const { sql: text, params } = dialect.sqlToQuery(query);
  return db.$gate.statement(() => db.$client.prepare(text).run(...params).changes);
}
