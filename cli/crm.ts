// `cem crm …`: import customers and events from CSV (progress on a terminal), recompute tiers, print
// the expected columns.
import fs from "node:fs";
import { columnsOf } from "~/cem/crm-columns";
import type { CrmKind } from "~/cem/crm-records";
import { importCsvFile, type ImportProgress, type ImportReport } from "~/data/crm-import.server";
import { recomputeTiers } from "~/data/segmentation.server";
import type { CliArgs } from "./cem";
import { CliError, requireWorkspace } from "./workspace";

const KINDS: readonly CrmKind[] = ["customers", "events"];

/**
 * --mapping "field=Header,field=Header" (or a JSON object); an empty header ("notes=") leaves the
 * field out. Headers containing commas need the JSON form.
 */
export function parseMapping(text: string | undefined): Record<string, string | null> | undefined {
  if (text === undefined) return undefined;
  const trimmed = text.trim();
  if (trimmed.startsWith("{")) {
    try {
      const parsed = JSON.parse(trimmed) as unknown;
      if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error();
      return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, typeof v === "string" && v !== "" ? v : null]));
    } catch {
      throw new CliError('--mapping: not a JSON object, e.g. {"customer_external_id": "Cliente"}.');
    }
  }
  const mapping: Record<string, string | null> = {};
  for (const pair of trimmed.split(",")) {
    const eq = pair.indexOf("=");
    if (eq <= 0) throw new CliError(`--mapping: "${pair}" is not field=Header (e.g. --mapping "customer_external_id=Cliente,occurred_at=Fecha").`);
    const header = pair.slice(eq + 1).trim();
    mapping[pair.slice(0, eq).trim()] = header === "" ? null : header;
  }
  return mapping;
}

const n = (x: number) => x.toLocaleString("en");

/** A one-line progress meter redrawn in place; silent when stderr is not a terminal (logs, pipes). */
function terminalProgress() {
  const tty = process.stderr.isTTY;
  const started = Date.now();
  let last = 0;
  return {
    update(p: ImportProgress) {
      if (!tty) return;
      const now = Date.now();
      if (now - last < 200) return;
      last = now;
      const seconds = Math.max(0.001, (now - started) / 1000);
      const text =
        p.phase === "validating"
          ? `validating ${Math.floor((100 * p.bytesRead) / Math.max(1, p.totalBytes))}% · ${n(p.rows)} rows · ${n(Math.round(p.rows / seconds))} rows/s · ${n(p.rejected)} bad`
          : `writing ${n(p.rows)} / ${n(p.rowsToWrite)} rows`;
      process.stderr.write(`\r\x1b[2K${text}`);
    },
    done() {
      if (tty) process.stderr.write("\r\x1b[2K");
    },
  };
}

function printReport(file: string, report: ImportReport, seconds: number) {
  const out = process.stdout;
  const verdict = report.imported
    ? `Imported ${file}`
    : report.headerProblem
      ? `Nothing imported from ${file}: its header cannot be used (see below; --mapping field=Header names a column).`
      : `Nothing imported from ${file}: ${n(report.rejected)} bad row(s). Fix them, or pass --skip-bad-rows to import the good rows.`;
  out.write(`${verdict}\n`);
  out.write(
    `  rows ${n(report.rows)} · added ${n(report.added)} · updated ${n(report.updated)} · unchanged ${n(report.unchanged)} · rejected ${n(report.rejected)}\n`,
  );
  if (report.kind === "events") out.write(`  customers created from events ${n(report.customersCreated)} · invitations ${n(report.invitations)}\n`);
  out.write(`  ${seconds.toFixed(1)} s (validate ${(report.validateMs / 1000).toFixed(1)} s, write ${(report.writeMs / 1000).toFixed(1)} s) · ${n(Math.round(report.rows / Math.max(seconds, 0.001)))} rows/s\n`);
  if (report.badRows.length > 0) {
    out.write(`Bad rows${report.rejected > report.badRows.length ? ` (first ${n(report.badRows.length)} of ${n(report.rejected)})` : ""}:\n`);
    for (const row of report.badRows) out.write(`  line ${row.line}: ${row.errors.join("; ")}\n`);
  }
}

export async function runCrm(args: CliArgs): Promise<number> {
  const [command, kindArg, file] = args.positionals;
  try {
    switch (command) {
      case "import": {
        const ws = await requireWorkspace(args.workspace);
        if (!KINDS.includes(kindArg as CrmKind)) throw new CliError("Say what the file holds: crm import customers|events FILE --workspace SLUG.");
        if (!file) throw new CliError(`Name the file: crm import ${kindArg} FILE --workspace SLUG.`);
        if (!fs.existsSync(file) || !fs.statSync(file).isFile()) throw new CliError(`No such file: ${file}`);
        const progress = terminalProgress();
        const started = Date.now();
        const report = await importCsvFile(file, {
          workspaceId: ws.id,
          kind: kindArg as CrmKind,
          mapping: parseMapping(args.mapping),
          skipBadRows: args.skipBadRows,
          onProgress: (p) => progress.update(p),
        });
        progress.done();
        printReport(file, report, (Date.now() - started) / 1000);
        return report.imported ? 0 : 1;
      }
      case "segment": {
        const ws = await requireWorkspace(args.workspace);
        const result = await recomputeTiers(ws.id);
        process.stdout.write(`Tiers recomputed for ${n(result.customers)} customers of "${ws.slug}" in ${(result.durationMs / 1000).toFixed(1)} s; ${n(result.changedTiers)} changed tier.\n`);
        for (const tier of result.tiers) {
          process.stdout.write(`  ${tier.tier.padEnd(8)} ${n(tier.customers).padStart(10)} customers  ${(tier.revenueShare * 100).toFixed(1).padStart(5)}% of revenue\n`);
        }
        return 0;
      }
      case "columns": {
        if (!KINDS.includes(kindArg as CrmKind)) throw new CliError("crm columns customers|events");
        for (const c of columnsOf(kindArg as CrmKind)) {
          process.stdout.write(`${c.field}${c.required ? " (required)" : ""}: ${c.description}. Example: ${c.example}. Also: ${c.aliases.join(", ")}\n`);
        }
        return 0;
      }
      default:
        throw new CliError(`Unknown command "crm ${command ?? ""}". Use import, segment or columns.`);
    }
  } catch (error) {
    if (error instanceof CliError) {
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
    throw error;
  }
}
