// Backups and restores of the database (`npm run cem -- db backup|restore FILE`), and the automatic
// copy of a SQLite database taken before migrations change it.
//
// SQLite: VACUUM INTO writes a consistent copy from one read transaction, while the server keeps
// reading and writing (WAL: readers and the writer do not block each other); the copy is checked
// (PRAGMA integrity_check) before it takes its name. A restore checks the backup the same way,
// refuses while another connection has the target open, keeps the current file in data/backups/,
// and swaps the file in with a rename.
// PostgreSQL: pg_dump --format=custom and pg_restore, run as child processes (the password goes in
// their environment, never on a command line another user could read).
import Database from "better-sqlite3";
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";

export class BackupError extends Error {}

/** Pre-migration backups kept per database (the oldest beyond this are removed). */
export const KEEP_PRE_MIGRATION_BACKUPS = 5;

/** A moment as a file-name part, sortable: 20260107T091500Z. */
export function fileStamp(at = new Date()): string {
  return at.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
}

/** The folder beside a database file where its automatic backups go: data/backups for data/vivencia.db. */
export function backupsFolder(databaseFile: string): string {
  return path.join(path.dirname(path.resolve(databaseFile)), "backups");
}

/** A database file's name without its extension, for naming its backups. */
function baseName(databaseFile: string): string {
  return path.basename(databaseFile).replace(/\.(db|sqlite3?)$/i, "");
}

// ---- SQLite ---------------------------------------------------------------------------------------

/** PRAGMA integrity_check of a file, opened read-only: [] when it is sound, else SQLite's findings. */
export function integrityProblems(file: string): string[] {
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (error) {
    return [`cannot be opened as a SQLite database: ${error instanceof Error ? error.message : String(error)}`];
  }
  try {
    const found = db.pragma("integrity_check", { simple: false }) as { integrity_check: string }[];
    const problems = found.map((row) => row.integrity_check).filter((text) => text !== "ok");
    if (problems.length > 0) return problems;
    // Sound, but is it ours? A Vivencia database has its migrations table and its workspaces.
    const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('__drizzle_migrations', 'workspaces')`).pluck().all();
    return tables.length === 2 ? [] : ["is not a Vivencia database (no migrations table or no workspaces table)"];
  } catch (error) {
    return [error instanceof Error ? error.message : String(error)];
  } finally {
    db.close();
  }
}

/**
 * A consistent copy of an open SQLite connection's database at `target` (which must not exist),
 * checked before it takes its name: written beside it under a temporary name, then renamed.
 */
export function copySqlite(source: Database.Database, target: string): void {
  fs.mkdirSync(path.dirname(path.resolve(target)), { recursive: true });
  const partial = `${target}.partial-${process.pid}`;
  fs.rmSync(partial, { force: true });
  try {
    source.prepare("VACUUM INTO ?").run(partial);
    const problems = integrityProblems(partial);
    if (problems.length > 0) throw new BackupError(`The copy failed its integrity check: ${problems.slice(0, 5).join("; ")}`);
    fs.renameSync(partial, target);
  } finally {
    fs.rmSync(partial, { force: true });
  }
}

export type SqliteBackup = { file: string; bytes: number };

/** `db backup FILE` on SQLite: a consistent copy of the live database `from` (the server may be running). */
export function backupSqlite(from: string, to: string, options: { force?: boolean } = {}): SqliteBackup {
  if (!fs.existsSync(from)) throw new BackupError(`There is no database at ${from} (DATABASE_PATH).`);
  if (path.resolve(from) === path.resolve(to)) throw new BackupError("The backup cannot be the database itself; name another file.");
  if (fs.existsSync(to) && !options.force) throw new BackupError(`${to} exists; pass --force to replace it, or name another file.`);
  const source = new Database(from, { fileMustExist: true });
  try {
    source.pragma("busy_timeout = 5000");
    fs.rmSync(to, { force: true });
    copySqlite(source, to);
  } finally {
    source.close();
  }
  return { file: to, bytes: fs.statSync(to).size };
}

export type SqliteRestore = { previous: string | null; bytes: number };

/**
 * `db restore FILE` on SQLite: the backup checked (integrity_check), then put in place of `target`.
 * Refused while another connection (a running server, a command) has the target open; an existing
 * target is replaced only with `force`, and is first kept in data/backups/ (…-before-restore.db).
 */
export function restoreSqlite(backup: string, target: string, options: { force?: boolean } = {}): SqliteRestore {
  if (!fs.existsSync(backup)) throw new BackupError(`There is no backup at ${backup}.`);
  if (path.resolve(backup) === path.resolve(target)) throw new BackupError("The backup is the database itself; nothing to restore.");
  const problems = integrityProblems(backup);
  if (problems.length > 0) throw new BackupError(`${backup} failed its integrity check; nothing was changed: ${problems.slice(0, 5).join("; ")}`);

  let previous: string | null = null;
  if (fs.existsSync(target) && fs.statSync(target).size > 0) {
    if (!options.force) {
      throw new BackupError(`${target} exists; nothing was changed. Pass --force to replace it (the current file is kept in ${backupsFolder(target)} first).`);
    }
    const current = new Database(target, { fileMustExist: true });
    try {
      current.pragma("busy_timeout = 0");
      // Leaving WAL needs the only connection to the file: any other (a server) keeps it in WAL.
      let mode: unknown;
      try {
        mode = current.pragma("journal_mode = DELETE", { simple: true });
      } catch {
        mode = "busy";
      }
      if (String(mode).toLowerCase() === "wal" || mode === "busy") {
        throw new BackupError(`${target} is in use (a server or another command has it open); stop it first. Nothing was changed.`);
      }
      previous = path.join(backupsFolder(target), `${baseName(target)}-${fileStamp()}-before-restore.db`);
      copySqlite(current, previous);
    } finally {
      current.close();
    }
  }
  fs.mkdirSync(path.dirname(path.resolve(target)), { recursive: true });
  const incoming = `${target}.restoring-${process.pid}`;
  fs.copyFileSync(backup, incoming);
  // What a WAL-mode database left beside the file belongs to the old contents.
  for (const suffix of ["-wal", "-shm"]) fs.rmSync(target + suffix, { force: true });
  fs.renameSync(incoming, target);
  return { previous, bytes: fs.statSync(target).size };
}

/** The migrations of `migrationsFolder` not yet applied to an existing database (tags, in order); [] for a new one. */
export function pendingMigrations(sqlite: Database.Database, migrationsFolder: string): string[] {
  const hasTable = sqlite.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'`).get();
  if (!hasTable) return [];
  // drizzle's migrator applies the journal's entries newer than the last one applied (by their time).
  const last = (sqlite.prepare(`SELECT max(created_at) FROM __drizzle_migrations`).pluck().get() as number | null) ?? null;
  if (last === null) return [];
  const journalFile = path.join(migrationsFolder, "meta", "_journal.json");
  const journal = JSON.parse(fs.readFileSync(journalFile, "utf8")) as { entries: { tag: string; when: number }[] };
  return journal.entries.filter((entry) => entry.when > last).map((entry) => entry.tag);
}

/** Removes all but the newest `keep` pre-migration backups of a database. */
export function pruneBackups(databaseFile: string, keep = KEEP_PRE_MIGRATION_BACKUPS): string[] {
  const folder = backupsFolder(databaseFile);
  if (!fs.existsSync(folder)) return [];
  const pattern = new RegExp(`^${baseName(databaseFile).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}-\\d{8}T\\d{6}Z-before-(?!restore).+\\.db$`);
  const ours = fs
    .readdirSync(folder)
    .filter((name) => pattern.test(name))
    .sort();
  const removed = ours.slice(0, Math.max(0, ours.length - keep));
  for (const name of removed) fs.rmSync(path.join(folder, name), { force: true });
  return removed;
}

/**
 * Before migrations change an existing SQLite database: a copy in data/backups/
 * (<name>-<time>-before-<first pending migration>.db), said in the log, the last few kept. A copy
 * that cannot be made (a full disk) stops the start: migrating without a way back is refused.
 */
export function backupBeforeMigrating(sqlite: Database.Database, file: string, migrationsFolder: string): string | null {
  const pending = pendingMigrations(sqlite, migrationsFolder);
  if (pending.length === 0) return null;
  const target = path.join(backupsFolder(file), `${baseName(file)}-${fileStamp()}-before-${pending[0]}.db`);
  try {
    if (!fs.existsSync(target)) copySqlite(sqlite, target);
  } catch (error) {
    throw new BackupError(
      `Cannot back up ${file} before applying ${pending.length} migration(s) (${pending.join(", ")}); not migrating. ` +
        `Free space in ${path.dirname(target)} (or restore write access) and start again. ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  pruneBackups(file);
  console.warn(`[migrate] ${file} has ${pending.length} migration(s) to apply (${pending.join(", ")}); backed it up first to ${target}`);
  return target;
}

// ---- PostgreSQL -----------------------------------------------------------------------------------

/** A URL's password moved to PGPASSWORD, so that it never appears on a command line. */
function connectionFor(url: string): { dbname: string; env: NodeJS.ProcessEnv } {
  const parsed = new URL(url);
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (parsed.password) env.PGPASSWORD = decodeURIComponent(parsed.password);
  parsed.password = "";
  return { dbname: parsed.toString(), env };
}

/** Runs a PostgreSQL client program; its stderr is passed through. A missing program says how to get it. */
function runPgTool(program: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    // Their stdout (pg_restore --list prints the archive's table of contents) is not ours to print.
    const child = spawn(program, args, { env, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
      process.stderr.write(chunk);
    });
    child.on("error", (error: NodeJS.ErrnoException) => {
      reject(
        error.code === "ENOENT"
          ? new BackupError(`${program} is not installed (or not on PATH): install PostgreSQL's client programs, the same major version as the server or newer (Debian: apt-get install postgresql-client).`)
          : error,
      );
    });
    child.on("close", (code) => {
      if (code === 0) resolve();
      else reject(new BackupError(`${program} failed (exit ${code}): ${stderr.trim().split("\n").slice(-3).join(" ") || "see above"}`));
    });
  });
}

/** `db backup FILE` on PostgreSQL: pg_dump --format=custom, written under a temporary name and renamed when complete. */
export async function backupPostgres(url: string, to: string, options: { force?: boolean } = {}): Promise<{ file: string; bytes: number }> {
  if (fs.existsSync(to) && !options.force) throw new BackupError(`${to} exists; pass --force to replace it, or name another file.`);
  const { dbname, env } = connectionFor(url);
  fs.mkdirSync(path.dirname(path.resolve(to)), { recursive: true });
  const partial = `${to}.partial-${process.pid}`;
  try {
    await runPgTool("pg_dump", ["--format=custom", `--file=${partial}`, `--dbname=${dbname}`], env);
    fs.renameSync(partial, to);
  } finally {
    fs.rmSync(partial, { force: true });
  }
  return { file: to, bytes: fs.statSync(to).size };
}

/**
 * `db restore FILE` on PostgreSQL: the archive read through first (pg_restore --list), refused while
 * other sessions use the database, and over existing data only with `force`; then pg_restore
 * --clean --if-exists in one transaction (all or nothing).
 */
export async function restorePostgres(url: string, backup: string, options: { force?: boolean } = {}): Promise<void> {
  if (!fs.existsSync(backup)) throw new BackupError(`There is no backup at ${backup}.`);
  const { dbname, env } = connectionFor(url);
  await runPgTool("pg_restore", ["--list", backup], { ...env }).catch((error: unknown) => {
    throw error instanceof BackupError && /not installed/.test(error.message)
      ? error
      : new BackupError(`${backup} is not a readable pg_dump archive (--format=custom); nothing was changed.`);
  });
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const others = await client.query<{ n: string }>(
      `SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'`,
    );
    const sessions = Number(others.rows[0]?.n ?? 0);
    if (sessions > 0) throw new BackupError(`The database is in use (${sessions} other session(s): a server, a command); stop them first. Nothing was changed.`);
    const hasData = await client.query<{ n: string }>(`SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = 'public' AND table_name = 'workspaces'`);
    if (Number(hasData.rows[0]?.n ?? 0) > 0 && !options.force) {
      const rows = await client.query<{ n: string }>(`SELECT count(*) AS n FROM workspaces`);
      if (Number(rows.rows[0]?.n ?? 0) > 0) throw new BackupError("The database holds data; nothing was changed. Pass --force to replace it with the backup.");
    }
  } finally {
    await client.end();
  }
  await runPgTool("pg_restore", ["--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error", `--dbname=${dbname}`, backup], env);
}
