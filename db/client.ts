// The database client: one better-sqlite3 connection per process (WAL, foreign keys, busy timeout),
// migrated on first use so that starting the app is enough to get a working database.
import Database from "better-sqlite3";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import fs from "node:fs";
import path from "node:path";
import * as schema from "./schema/index";

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

export function databasePath(): string {
  return process.env.DATABASE_PATH ?? path.resolve("data", "vivencia.db");
}

export function migrationsFolder(): string {
  return process.env.MIGRATIONS_PATH ?? path.resolve("db", "migrations");
}

/** Opens (creating when missing) and migrates a database file. */
export function openDatabase(file: string = databasePath()): Db {
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
  const db = drizzle(sqlite, { schema }) as Db;
  // Transactions take the write lock when they begin (IMMEDIATE), not at their first write. Most
  // read, then write; a deferred one that read while another connection committed cannot upgrade
  // and fails at once with SQLITE_BUSY, busy_timeout or not. Another connection always may: the
  // server's writer thread folds every 500 ms (ADR 013). A caller can still ask for "deferred".
  const transaction = db.transaction.bind(db);
  db.transaction = ((run, config) => transaction(run, { behavior: "immediate", ...config })) as Db["transaction"];
  migrate(db, { migrationsFolder: migrationsFolder() });
  return db;
}

let shared: Db | undefined;

/** The process-wide connection (the app and the CLI share one file; SQLite serialises writers). */
export function getDb(): Db {
  shared ??= openDatabase();
  return shared;
}
