// `cem db …`: database chores. copy-to-postgres moves a SQLite installation's data to PostgreSQL
// (db/copy-to-postgres.ts): every table in one transaction, then the row counts compared.
import { copySqliteToPostgres, CopyError, redactUrl, type TableCount } from "#db/copy-to-postgres";
import { isPostgresUrl } from "#db/engine";
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

export async function runDb(args: CliArgs): Promise<number> {
  const [command] = args.positionals;
  try {
    switch (command) {
      case "copy-to-postgres":
        return await copyToPostgres(args);
      default:
        throw new CliError(`Unknown command "db ${command ?? ""}". Use copy-to-postgres.`);
    }
  } catch (error) {
    if (error instanceof CliError) {
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
    throw error;
  }
}
