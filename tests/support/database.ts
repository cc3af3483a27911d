// A real database per test file. On SQLite (the default): a file of its own, in DATABASE_PATH, set
// before anything opens the database (and a DATABASE_URL inherited from the shell, which would select
// PostgreSQL, dropped: db/engine.ts). On the PostgreSQL run (tests/support/postgres-run.ts): the
// database tests/postgres-setup.ts made for this file, as a postgres://… URL in DATABASE_URL.
// Either way the result is what startServer() and databaseEnv() (tests/support/server.ts) take.
import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { openDatabase, type Db } from "#db/client";
import { isPostgresUrl } from "#db/engine";
import { TEST_DATABASE_URL } from "./postgres-run";

export { POSTGRES_RUN } from "./postgres-run";

const TMP = path.resolve("tests/.tmp");
/** Every migration, as the app runs them. */
export const MIGRATIONS = path.resolve("db", "migrations");

/** The test file's database: a new SQLite file, or on the PostgreSQL run the file's own PostgreSQL database. */
export function freshDatabasePath(name: string): string {
  const postgresUrl = process.env[TEST_DATABASE_URL];
  if (postgresUrl) {
    process.env.DATABASE_URL = postgresUrl;
    delete process.env.DATABASE_PATH;
    return postgresUrl;
  }
  return freshSqlitePath(name);
}

/** A new SQLite file, whatever the run: for tests about SQLite itself. */
export function freshSqlitePath(name: string): string {
  fs.mkdirSync(TMP, { recursive: true });
  const file = path.join(TMP, `${name}-${process.pid}-${randomBytes(4).toString("hex")}.db`);
  process.env.DATABASE_PATH = file;
  delete process.env.DATABASE_URL;
  return file;
}

/** Removes a SQLite file and its WAL files. A PostgreSQL URL is left alone: its cluster goes at the end of the run. */
export function removeDatabase(file: string) {
  if (isPostgresUrl(file)) return;
  for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(file + suffix, { force: true });
}

/**
 * A database migrated only up to the migration before `tag` (e.g. "0005_"), as an existing
 * installation was before that migration; `migrate(db, { migrationsFolder: MIGRATIONS })` then
 * brings it up to date. `cleanup` removes the file and the partial migrations folder.
 */
export function databaseMigratedBefore(tag: string, name: string): { db: Db; file: string; cleanup: () => void } {
  const before = path.join(TMP, `migrations-before-${tag}-${process.pid}`);
  fs.rmSync(before, { recursive: true, force: true });
  fs.mkdirSync(path.join(before, "meta"), { recursive: true });
  const journal = JSON.parse(fs.readFileSync(path.join(MIGRATIONS, "meta", "_journal.json"), "utf8")) as { entries: { tag: string }[] };
  const upTo = journal.entries.findIndex((e) => e.tag.startsWith(tag));
  if (upTo <= 0) throw new Error(`no migration ${tag} after the first`);
  journal.entries = journal.entries.slice(0, upTo);
  fs.writeFileSync(path.join(before, "meta", "_journal.json"), JSON.stringify(journal));
  for (const e of journal.entries) fs.copyFileSync(path.join(MIGRATIONS, `${e.tag}.sql`), path.join(before, `${e.tag}.sql`));

  const file = path.join(TMP, `${name}-${process.pid}.db`);
  removeDatabase(file);
  const saved = process.env.MIGRATIONS_PATH;
  process.env.MIGRATIONS_PATH = before;
  let db: Db;
  try {
    db = openDatabase(file);
  } finally {
    if (saved === undefined) delete process.env.MIGRATIONS_PATH;
    else process.env.MIGRATIONS_PATH = saved;
  }
  return {
    db,
    file,
    cleanup: () => {
      db.$client.close();
      removeDatabase(file);
      fs.rmSync(before, { recursive: true, force: true });
    },
  };
}

/** Brings a database opened by databaseMigratedBefore up to date, as the app does on start. */
export function migrateToLatest(db: Db): void {
  migrate(drizzle(db.$client), { migrationsFolder: MIGRATIONS });
}
