// The `cem` command line: journeys as code (and, as they land, CRM imports and segmentation).
// Usage: npm run cem -- <area> <command> [args] --workspace SLUG
import { parseArgs } from "node:util";
import { runCrm } from "./crm";
import { runDb } from "./db";
import { runJourneys } from "./journeys";

const HELP = `Vivencia command line

  npm run cem -- journeys import FILE --workspace SLUG [--replace]
  npm run cem -- journeys export KEY --workspace SLUG        (writes the file to stdout)
  npm run cem -- journeys schema                              (the JSON Schema of journey files)
  npm run cem -- crm import customers FILE --workspace SLUG [--skip-bad-rows] [--mapping field=Header,…]
  npm run cem -- crm import events FILE --workspace SLUG [--skip-bad-rows] [--mapping field=Header,…]
  npm run cem -- crm segment --workspace SLUG                 (recompute tiers and RFM scores)
  npm run cem -- crm columns customers|events                 (the expected CSV headers)
  npm run cem -- db copy-to-postgres --from FILE [--to postgres://…] [--replace]
                                      (a SQLite installation's data into an empty PostgreSQL
                                       database; --to defaults to DATABASE_URL)
  npm run cem -- db backup FILE [--force]      (an online, consistent copy: SQLite's VACUUM INTO,
                                       or pg_dump --format=custom on PostgreSQL)
  npm run cem -- db restore FILE [--force]     (checks the backup, then replaces the database;
                                       stop the server first; docs/operations.md)

The database is DATABASE_URL when it is a postgres:// URL (PostgreSQL), else the SQLite file
DATABASE_PATH (default data/vivencia.db).`;

export type CliArgs = {
  positionals: string[];
  workspace?: string;
  replace: boolean;
  skipBadRows: boolean;
  mapping?: string;
  from?: string;
  to?: string;
  /** db backup / restore: replace an existing file or database. */
  force?: boolean;
};

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      workspace: { type: "string", short: "w" },
      replace: { type: "boolean", default: false },
      "skip-bad-rows": { type: "boolean", default: false },
      mapping: { type: "string" },
      from: { type: "string" },
      to: { type: "string" },
      force: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  const [area, ...rest] = positionals;
  if (values.help || !area) {
    console.log(HELP);
    return values.help ? 0 : 2;
  }
  const args: CliArgs = {
    positionals: rest,
    workspace: values.workspace,
    replace: values.replace ?? false,
    skipBadRows: values["skip-bad-rows"] ?? false,
    mapping: values.mapping,
    from: values.from,
    to: values.to,
    force: values.force ?? false,
  };
  switch (area) {
    case "journeys":
      return runJourneys(args);
    case "crm":
      return runCrm(args);
    case "db":
      return runDb(args);
    default:
      process.stderr.write(`Unknown area "${area}".\n\n${HELP}\n`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
