// The database client. The data layer sees one async drizzle database, `getDb()`, on the engine the
// environment selects (db/engine.ts): DATABASE_URL=postgres://… runs on PostgreSQL (a pg pool,
// db/client-pg.ts), anything else on SQLite at DATABASE_PATH. Either is migrated on first use, so
// starting the app is enough to get a working database. Code is written once for both: drizzle
// builders, or raw SQL through `rows` / `execute` (with a PostgreSQL twin where SQLite's dialect
// differs, chosen by `isPostgres()`).
//
// SQLite: one better-sqlite3 connection per process (WAL, foreign keys, busy timeout). It is
// synchronous and has one transaction at a time, so an async transaction would otherwise take in
// every statement another request runs while it awaits. The gate (db/connection-gate.ts) lets a
// transaction's own statements through and makes the rest wait until it ends; a statement outside
// any transaction runs at once.
//
// PostgreSQL: a pool of connections; a transaction holds one of them from BEGIN to COMMIT. The open
// transaction is kept in the async context (AsyncLocalStorage): inside it, `getDb()` returns it and
// `getDb().transaction(fn)` joins it, so a data function called inside a transaction runs on the
// transaction's connection (it sees the uncommitted rows, and cannot deadlock waiting for them), as
// on SQLite. The same holds for a database handle taken before the transaction began.
import Database from "better-sqlite3";
import { drizzle as drizzleSync } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { drizzle, type SqliteRemoteDatabase } from "drizzle-orm/sqlite-proxy";
import { sql, type SQL } from "drizzle-orm";
import { SQLiteSyncDialect } from "drizzle-orm/sqlite-core";
import { AsyncLocalStorage } from "node:async_hooks";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { backupBeforeMigrating } from "./backup";
import { pgDatabase, type PgDb } from "./client-pg";
import { ConnectionGate } from "./connection-gate";
import { foldLegacyPending } from "./legacy-fold";
import { engine, isPostgres } from "./engine";
import * as schema from "./schema/sqlite";

export { engine, isPostgres, type Engine } from "./engine";

/**
 * The database, typed as drizzle's SQLite database whichever engine runs (the PostgreSQL tables are
 * typed as the SQLite ones too: db/schema/index.ts). On PostgreSQL it is drizzle's node-postgres
 * database: the query builders the data layer uses are the same; `$client` is then the pg.Pool
 * and `$gate` is missing (both SQLite-only: the ingest path through `withConnection`, and tests).
 */
export type Db = SqliteRemoteDatabase<typeof schema> & {
  /** The raw connection, for the synchronous ingest path (through `withConnection`) and tests. SQLite only. */
  $client: Database.Database;
  /** SQLite only. */
  $gate: ConnectionGate;
};
/** A transaction handle: every data function accepts it wherever it accepts the database. */
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
/** The database or a transaction open on it. */
export type Executor = Db | Tx;

export function databasePath(): string {
  return process.env.DATABASE_PATH ?? path.resolve("data", "vivencia.db");
}

/** What the process's database is, for messages: the PostgreSQL URL without its password, or the SQLite file. */
export function databaseDescription(): string {
  if (!isPostgres()) return databasePath();
  try {
    const url = new URL(process.env.DATABASE_URL!.trim());
    if (url.password) url.password = "***";
    return url.toString();
  } catch {
    return "DATABASE_URL";
  }
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

/** Opens (creating when missing) and migrates a SQLite database file. */
export function openDatabase(file: string = databasePath()): Db {
  const sqlite = openConnection(file);
  // An existing database with migrations to apply is copied first (data/backups/…-before-<tag>.db,
  // said in the log): a migration that goes wrong can be undone with `cem db restore`.
  if (file !== ":memory:") backupBeforeMigrating(sqlite, file, migrationsFolder());
  // Before the migration that drops the old fold mark: what it had left pending (ADR 014).
  foldLegacyPending(sqlite);
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
        // A COMMIT that fails on I/O (a full disk, a read-only file) has already rolled the
        // transaction back; the ROLLBACK drizzle sends then would fail and hide the real error.
        if (text === "rollback" && !sqlite.inTransaction) return { rows: [] };
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

// ---- PostgreSQL ------------------------------------------------------------------------------------

/** The transaction open in an async flow: `live` until it commits or rolls back. */
type OpenPgTransaction = { tx: Tx; handle: Db; live: boolean };
const pgTransactions = new AsyncLocalStorage<OpenPgTransaction>();

/** The transaction open in the caller's async flow, if any (flows it started that outlive it see none). */
function openPgTransaction(): OpenPgTransaction | undefined {
  const open = pgTransactions.getStore();
  return open?.live ? open : undefined;
}

/** PostgreSQL's transaction settings from the caller's (SQLite's `behavior` has no meaning there). */
function pgTransactionConfig(config: unknown): Record<string, unknown> | undefined {
  if (!config || typeof config !== "object") return undefined;
  const { isolationLevel, accessMode, deferrable } = config as Record<string, unknown>;
  const picked = Object.fromEntries(Object.entries({ isolationLevel, accessMode, deferrable }).filter(([, v]) => v !== undefined));
  return Object.keys(picked).length ? picked : undefined;
}

/**
 * The PostgreSQL database on `url` as a `Db`. Its `transaction(fn)` joins the transaction open in the
 * caller's async flow, else opens one (on a connection of its own) and keeps it in the async context
 * until it ends. The database object itself answers for the open transaction inside one (a Proxy),
 * so a handle taken earlier (`const db = getDb()` before `db.transaction(…)`) still runs its
 * statements in the transaction, as SQLite's gate lets them through.
 */
export function openPgAppDatabase(url: string): Db {
  const db = pgDatabase(url);
  const begin = db.transaction.bind(db) as (run: (tx: unknown) => Promise<unknown>, config?: unknown) => Promise<unknown>;
  const transaction = (async (run: (tx: Tx) => Promise<unknown>, config?: unknown) => {
    const open = openPgTransaction();
    if (open) return run(open.tx);
    return begin(async (tx) => {
      // getDb() inside: the transaction, whose transaction() joins it (a savepoint only when asked
      // for on the transaction handle itself, tx.transaction(), as on SQLite).
      const handle = Object.create(tx as object, {
        transaction: { value: transaction },
        $client: { value: db.$client },
      }) as Db;
      const opened: OpenPgTransaction = { tx: tx as Tx, handle, live: true };
      try {
        return await pgTransactions.run(opened, () => run(tx as Tx));
      } finally {
        opened.live = false;
      }
    }, pgTransactionConfig(config));
  }) as unknown as Db["transaction"];
  return new Proxy(db as unknown as Db, {
    get(target, property) {
      if (property === "transaction") return transaction;
      const open = openPgTransaction();
      const source = open && property !== "$client" ? (open.handle as object) : target;
      const value: unknown = Reflect.get(source, property, source);
      // Methods run on the object they came from (the constructor stays itself: drizzle's is() reads it).
      return typeof value === "function" && property !== "constructor" ? (value as (...args: unknown[]) => unknown).bind(source) : value;
    },
  });
}

/** What runs a statement on PostgreSQL: the pg pool, or the connection a transaction holds. */
export type PgQueryable = Pick<pg.Pool, "query">;

/**
 * The pg connection of the transaction open in the caller's async flow, else the pool, for the few
 * statements sent as text (db/statement-text.ts). drizzle's node-postgres session keeps it as
 * `client` (the PoolClient inside a transaction); the PostgreSQL integration suite runs through it.
 */
export function pgClient(db: Db): PgQueryable {
  const client = (db as unknown as { session?: { client?: PgQueryable } }).session?.client;
  if (!client) throw new Error("pgClient: not a PostgreSQL database");
  return client;
}

// ---- The process's database --------------------------------------------------------------------------

let shared: Db | undefined;

/**
 * The process-wide database: SQLite at DATABASE_PATH (the app and the CLI share one file; SQLite
 * serialises writers), or the PostgreSQL pool on DATABASE_URL. On PostgreSQL, inside a transaction
 * (in its async flow), the open transaction.
 */
export function getDb(): Db {
  if (engine() === "postgres") {
    const open = openPgTransaction();
    if (open) return open.handle;
    shared ??= openPgAppDatabase(process.env.DATABASE_URL!.trim());
    return shared;
  }
  shared ??= openDatabase();
  return shared;
}

/**
 * Closes the process's database (the SQLite connection, or the PostgreSQL pool) so a test or a
 * command can end cleanly; the next getDb() opens it again.
 */
export async function closeDb(): Promise<void> {
  const db = shared;
  shared = undefined;
  if (!db) return;
  if (isPostgres()) await (db.$client as unknown as pg.Pool).end();
  else db.$client.close();
}

/**
 * Runs synchronous work on the raw connection once no other transaction holds it (inside one, at
 * once): for the ingest path, whose statements are prepared once and run in a tight loop. SQLite only.
 */
export function withConnection<T>(work: (sqlite: Database.Database) => T, db: Db = getDb()): Promise<T> {
  if (isPostgres()) return Promise.reject(new Error("withConnection works on SQLite only (DATABASE_URL selects PostgreSQL)."));
  return db.$gate.exclusive(() => work(db.$client));
}

// ---- Raw SQL on either engine ------------------------------------------------------------------------

const dialect = new SQLiteSyncDialect();

type PgExecutor = { execute: (query: SQL) => Promise<pg.QueryResult<Record<string, unknown>>> };

// PostgreSQL's types that come back as text from drizzle's raw queries, turned into what SQLite
// gives for the same column or expression, so raw rows look the same on both engines.
const INT8 = 20;
const NUMERIC = 1700;
const TIMESTAMP = 1114;
const TIMESTAMPTZ = 1184;
const BOOL = 16;
const JSON_TYPE = 114;
const JSONB = 3802;
const parseTimestamptz = pg.types.getTypeParser(TIMESTAMPTZ, "text") as (text: string) => Date;
const parseTimestamp = pg.types.getTypeParser(TIMESTAMP, "text") as (text: string) => Date;

function sqliteLike(typeId: number): ((value: unknown) => unknown) | null {
  switch (typeId) {
    case INT8:
    case NUMERIC:
      return (v) => Number(v);
    case TIMESTAMPTZ:
      return (v) => (typeof v === "string" ? parseTimestamptz(v).getTime() : v instanceof Date ? v.getTime() : v);
    case TIMESTAMP:
      return (v) => (typeof v === "string" ? parseTimestamp(v).getTime() : v instanceof Date ? v.getTime() : v);
    case BOOL:
      return (v) => (v === true ? 1 : v === false ? 0 : v);
    case JSON_TYPE:
    case JSONB:
      return (v) => (typeof v === "string" ? v : JSON.stringify(v));
    default:
      return null;
  }
}

/** A PostgreSQL result's rows with the values converted as SQLite would give them. */
function pgRows<T>(result: pg.QueryResult<Record<string, unknown>>): T[] {
  const converters = (result.fields ?? [])
    .map((field) => ({ name: field.name, convert: sqliteLike(field.dataTypeID) }))
    .filter((c): c is { name: string; convert: (value: unknown) => unknown } => c.convert !== null);
  if (converters.length === 0) return result.rows as T[];
  for (const row of result.rows) {
    for (const { name, convert } of converters) if (row[name] !== null && row[name] !== undefined) row[name] = convert(row[name]);
  }
  return result.rows as T[];
}

/**
 * Rows of a raw SQL query, as objects keyed by the column names the query gives. The same values on
 * both engines: on PostgreSQL counts and sums (bigint, numeric) come back as numbers, instants
 * (timestamptz) as epoch milliseconds, booleans as 1/0 and JSON as its text, as SQLite gives them.
 * Column aliases in camelCase must be double-quoted (`as "minN"`): PostgreSQL folds unquoted names
 * to lower case; SQLite accepts the quotes.
 */
export async function rows<T>(query: SQL, db: Db = getDb()): Promise<T[]> {
  if (isPostgres()) return pgRows<T>(await (db as unknown as PgExecutor).execute(query));
  const { sql: text, params } = dialect.sqlToQuery(query);
  return db.$gate.statement(() => db.$client.prepare(text).all(...params) as T[]);
}

/** Runs a raw SQL statement; how many rows it changed. */
export async function execute(query: SQL, db: Db = getDb()): Promise<number> {
  if (isPostgres()) return (await (db as unknown as PgExecutor).execute(query)).rowCount ?? 0;
  const { sql: text, params } = dialect.sqlToQuery(query);
  return db.$gate.statement(() => db.$client.prepare(text).run(...params).changes);
}

// ---- Engine-neutral SQL fragments ---------------------------------------------------------------------

/**
 * An instant as a raw SQL parameter, comparable with an instant column in raw SQL on either engine:
 * epoch milliseconds on SQLite (how it stores them), a timestamptz on PostgreSQL. (Builders map
 * Dates through the column themselves: `lt(t.at, date)`.)
 */
export function instantParam(at: Date | number): SQL {
  const ms = typeof at === "number" ? at : at.getTime();
  return isPostgres() ? sql`cast(${new Date(ms).toISOString()} as timestamptz)` : sql`${ms}`;
}

/** An instant column as epoch milliseconds (a number, no Date made), for a select list or raw SQL. */
export function epochMs(column: SQL | SQL.Aliased | { getSQL(): SQL }): SQL<number> {
  return isPostgres()
    ? sql<number>`(extract(epoch from ${column}) * 1000)::float8`.mapWith(Number)
    : sql<number>`${column}`.mapWith(Number);
}

/** A JSON column as its text (SQLite stores the text; PostgreSQL's jsonb would come back parsed). */
export function jsonText(column: SQL | SQL.Aliased | { getSQL(): SQL }): SQL<string> {
  return isPostgres() ? sql<string>`${column}::text` : sql<string>`${column}`;
}
