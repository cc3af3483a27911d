// `cem db …`: database chores. copy-to-postgres moves a SQLite installation's data to PostgreSQL
// (db/copy-to-postgres.ts): every table in one transaction, then the row counts compared. backup
// and restore copy the database the environment selects to a file and back (db/backup.ts).
import { backupPostgres, backupSqlite, BackupError, restorePostgres, restoreSqlite } from "#db/backup";
import { databasePath } from "#db/client";
import { copySqliteToPostgres, CopyError, redactUrl, type TableCount } from "#db/copy-to-postgres";
import { engineOf, isPostgresUrl } from "#db/engine";
import type { CliArgs } from "./cem";
import { CliError } from "./workspace";

const n = (x: number) => x.toLocaleString("en");

/** The counts as a table: one line per table, a mark where the two sides differ. */
export function countsTable(counts: TableCount[]): string {
  const width = Math.max("table".length, ...counts.map((c) => c.table.length));
  const cell = (text: string) => text.padStart(12);
  const lines = [`${"table".padEnd(width)}${cell("sqlite")}${cell("postgresql")}`];
  for (const c of counts) lines.push(`${c.table.padEnd(width)}${cell(n(c.sqlite))}${cell(n(c.postgres))}${c.sqlite === c.postgres ? "" : "  ≠"}`);
  const total = (side: "sqlite" | "postgres") => counts.reduce((sum, c) => sum + c[side], 0);
  lines.push(`${"(all)".padEnd(width)}${cell(n(total("sqlite")))}${cell(n(total("postgres")))}`);
  return lines.join("\n") + "\n";
}

async function copyToPostgres(args: CliArgs): Promise<number> {
  const from = args.from;
  if (!from) throw new CliError("Name the SQLite file: db copy-to-postgres --from data/vivencia.db --to postgres://…");
  const to = args.to ?? (isPostgresUrl(process.env.DATABASE_URL) ? process.env.DATABASE_URL!.trim() : undefined);
  if (!to) throw new CliError("Name the PostgreSQL database: --to postgres://user@host/db (or set DATABASE_URL to it).");
  if (!isPostgresUrl(to)) throw new CliError(`--to must be a postgres:// or postgresql:// URL, not "${to}".`);

  const target = redactUrl(to);
  process.stderr.write(`Copying ${from} to ${target}…\n`);
  let result;
  try {
    result = await copySqliteToPostgres({ from, to, replace: args.replace, log: (line) => process.stderr.write(`${line}\n`) });
  } catch (error) {
    if (error instanceof CopyError) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    throw error;
  }
  if (result.status === "refused") {
    process.stderr.write(`Refused: ${target} already holds data; nothing was copied.\n`);
    for (const { table, rows } of result.occupied) process.stderr.write(`  ${table}: ${n(rows)} row(s)\n`);
    process.stderr.write("Pass --replace to empty every table of it first (in the same transaction as the copy).\n");
    return 1;
  }
  process.stdout.write(countsTable(result.counts));
  if (!result.verified) {
    process.stderr.write("Row counts differ after the copy:\n");
    for (const c of result.counts.filter((c) => c.sqlite !== c.postgres)) {
      process.stderr.write(`  ${c.table}: sqlite ${n(c.sqlite)}, postgresql ${n(c.postgres)}\n`);
    }
    return 1;
  }
  process.stdout.write(`verified: ${result.counts.length} tables, the same row counts on both sides; ${result.sequences} id sequence(s) moved past the copied ids\n`);
  return 0;
}

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** `db backup FILE`: an online, consistent copy of the database the environment selects. */
async function backup(args: CliArgs): Promise<number> {
  const [, file] = args.positionals;
  if (!file) throw new CliError("Name the backup file: db backup FILE [--force]");
  if (engineOf() === "postgres") {
    const url = process.env.DATABASE_URL!.trim();
    process.stderr.write(`Backing up ${redactUrl(url)} with pg_dump --format=custom…\n`);
    const done = await backupPostgres(url, file, { force: args.force });
    process.stdout.write(`backup written: ${done.file} (${megabytes(done.bytes)}, pg_dump custom format; restore with db restore ${done.file})\n`);
    return 0;
  }
  const from = databasePath();
  process.stderr.write(`Backing up ${from} (the server may keep running)…\n`);
  const done = backupSqlite(from, file, { force: args.force });
  process.stdout.write(`backup written: ${done.file} (${megabytes(done.bytes)}, integrity_check ok)\n`);
  return 0;
}

/** `db restore FILE`: the backup checked, then put in place of the database the environment selects. */
async function restore(args: CliArgs): Promise<number> {
  const [, file] = args.positionals;
  if (!file) throw new CliError("Name the backup to restore: db restore FILE [--force]");
  if (engineOf() === "postgres") {
    const url = process.env.DATABASE_URL!.trim();
    process.stderr.write(`Restoring ${file} into ${redactUrl(url)} with pg_restore…\n`);
    await restorePostgres(url, file, { force: args.force });
    process.stdout.write(`restored: ${file} into ${redactUrl(url)} (one transaction); start the servers again\n`);
    return 0;
  }
  const target = databasePath();
  const done = restoreSqlite(file, target, { force: args.force });
  if (done.previous) process.stderr.write(`The database it replaced is kept at ${done.previous}\n`);
  process.stdout.write(`restored: ${file} to ${target} (${megabytes(done.bytes)}, integrity_check ok); start the server again (it applies any newer migrations)\n`);
  return 0;
}

export async function runDb(args: CliArgs): Promise<number> {
  const [command] = args.positionals;
  try {
    switch (command) {
      case "copy-to-postgres":
        return await copyToPostgres(args);
      case "backup":
        return await backup(args);
      case "restore":
        return await restore(args);
      default:
        throw new CliError(`Unknown command "db ${command ?? ""}". Use copy-to-postgres, backup or restore.`);
    }
  } catch (error) {
    if (error instanceof CliError) {
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
    if (error instanceof BackupError) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
