// CSV import of customers and events, all or nothing. Pass 1 streams the file through the validating
// reader (app/cem/crm-csv.ts), collecting bad rows and staging the good ones, normalised, in a temp
// file; pass 2 — only with no bad rows, or when the person chose to skip them — writes the staged rows
// in ONE transaction, in chunks of multi-row statements, so a failure leaves nothing half-written. The
// web import runs it as a job (crm-import-jobs.server.ts).
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parse as parseCsvSync } from "csv-parse/sync";
import { DrizzleQueryError, sql } from "drizzle-orm";
import { execute, getDb, isPostgres, rows, type Tx } from "#db/client";
import { detectDelimiter, readCsvBatches } from "~/cem/crm-csv";
import { mapColumns, type ColumnMappingInput } from "~/cem/crm-columns";
import type { CrmKind, CustomerRecord, EventRecord } from "~/cem/crm-records";
import type { RowProblem } from "~/cem/crm-row-problems";
import { eventRowOf, prepareEventWriter, type EventRow } from "./crm-events.server";
import { WRITE_CHUNK } from "./chunked-writes.server";
import { customerRowOf, prepareCustomerWriter, type CustomerRow } from "./customers.server";

/** A rejected row: English sentences (CLI, API) and the same reasons as codes (the import page words them). */
export type BadRow = { line: number; errors: string[]; problems?: RowProblem[] };

export type ImportProgress = {
  phase: "validating" | "writing";
  bytesRead: number;
  totalBytes: number;
  /** Data rows read (validating) or written (writing). */
  rows: number;
  /** Rows that will be written: known once validation is over. */
  rowsToWrite: number;
  rejected: number;
};

export type ImportReport = {
  kind: CrmKind;
  /** False when bad rows stopped the import: then nothing at all was written. */
  imported: boolean;
  /** The header itself is unusable (a required column missing, an empty file): skipping rows cannot help. */
  headerProblem: boolean;
  rows: number;
  valid: number;
  added: number;
  updated: number;
  unchanged: number;
  rejected: number;
  /** The first MAX_LISTED_BAD_ROWS bad rows, in file order; `rejected` counts them all. */
  badRows: BadRow[];
  /** Customers created bare (external id only) because an event named them before any customer file did. */
  customersCreated: number;
  invitations: number;
  validateMs: number;
  writeMs: number;
};

export type ImportOptions = {
  workspaceId: number;
  kind: CrmKind;
  mapping?: ColumnMappingInput<string>;
  skipBadRows?: boolean;
  /** Processing time for the invitation engine (default: when the write starts). */
  now?: Date;
  onProgress?: (progress: ImportProgress) => void;
};

export const MAX_LISTED_BAD_ROWS = 1000;
const PROGRESS_EVERY_ROWS = 5000;
const STAGE_FLUSH_CHARS = 1 << 20;
const READ_CHUNK = 1 << 20;

export const scratchDir = () => {
  const dir = path.join(os.tmpdir(), "vivencia-crm-import");
  fs.mkdirSync(dir, { recursive: true });
  return dir;
};

// Staged rows are JSON arrays, one a line: compact, and read back a chunk at a time inside the transaction.
const stageCustomer = (r: CustomerRow) => [r.externalId, r.name, r.email, r.phone, r.language, r.notes, r.customerSince];
const unstageCustomer = (a: any[]): CustomerRow => ({
  externalId: a[0],
  name: a[1],
  email: a[2],
  phone: a[3],
  language: a[4],
  notes: a[5],
  customerSince: a[6],
});
const stageEvent = (r: EventRow) => [
  r.dedupeKey,
  r.externalId,
  r.customerExternalId,
  r.type,
  r.occurredAt,
  r.amount,
  r.currency,
  r.channel,
  r.touchpointKey,
];
const unstageEvent = (a: any[]): EventRow => ({
  dedupeKey: a[0],
  externalId: a[1],
  customerExternalId: a[2],
  type: a[3],
  occurredAt: a[4],
  amount: a[5],
  currency: a[6],
  channel: a[7],
  touchpointKey: a[8],
});

// SQLite's page cache during a bulk write. The events' three indexes take random keys (customer, time,
// dedupe key), so at a million rows a 16 MB cache spills and re-reads pages on almost every insert;
// 256 MB holds them (the bench halved its write time with it). Given back when the write ends.
// PostgreSQL's server manages its own buffers: nothing to set there.
const BULK_CACHE_KIB = 256 * 1024;

export async function withBulkCache<T>(write: () => Promise<T>): Promise<T> {
  if (isPostgres()) return write();
  const [{ cache_size: previous }] = await rows<{ cache_size: number }>(sql`pragma cache_size`);
  await execute(sql.raw(`pragma cache_size = -${BULK_CACHE_KIB}`));
  try {
    return await write();
  } finally {
    await execute(sql.raw(`pragma cache_size = ${Number(previous)}`));
  }
}

/** The "\n"-terminated lines of a file, `size` at a time, read synchronously a megabyte at a time. */
function* linesInBatches(file: string, size: number): Generator<string[]> {
  const fd = fs.openSync(file, "r");
  try {
    const buffer = Buffer.allocUnsafe(READ_CHUNK);
    let rest = Buffer.alloc(0);
    let batch: string[] = [];
    for (;;) {
      const n = fs.readSync(fd, buffer, 0, buffer.length, null);
      if (n === 0) break;
      const chunk = rest.length ? Buffer.concat([rest, buffer.subarray(0, n)]) : buffer.subarray(0, n);
      let start = 0;
      for (let nl = chunk.indexOf(10, start); nl !== -1; nl = chunk.indexOf(10, start)) {
        batch.push(chunk.toString("utf8", start, nl));
        start = nl + 1;
        if (batch.length === size) {
          yield batch;
          batch = [];
        }
      }
      rest = Buffer.from(chunk.subarray(start));
    }
    if (batch.length > 0) yield batch;
  } finally {
    fs.closeSync(fd);
  }
}

/** drizzle wraps a failed statement's error in one that quotes the whole statement: report the database's own. */
function databaseCause(error: unknown): unknown {
  return error instanceof DrizzleQueryError && error.cause instanceof Error ? error.cause : error;
}

/**
 * Imports one CSV file. Customers are upserted by external id; events are deduplicated by external id,
 * or by content hash without one; events naming an unknown customer create it bare. Importing the same
 * file again changes nothing. With bad rows and without `skipBadRows` nothing is written and the report
 * lists them; with it the good rows are written and the report still lists the bad ones.
 */
export async function importCsvFile(file: string, options: ImportOptions): Promise<ImportReport> {
  const { workspaceId, kind, skipBadRows = false, onProgress } = options;
  const totalBytes = fs.statSync(file).size;
  const report: ImportReport = {
    kind,
    imported: false,
    headerProblem: false,
    rows: 0,
    valid: 0,
    added: 0,
    updated: 0,
    unchanged: 0,
    rejected: 0,
    badRows: [],
    customersCreated: 0,
    invitations: 0,
    validateMs: 0,
    writeMs: 0,
  };
  // The reader reports a bad header as a bad line 1; this tells it apart from bad data rows.
  const { headers } = peekCsv(file);
  report.headerProblem = headers.length === 0 || !mapColumns(kind, headers, options.mapping as never).ok;
  let bytesRead = 0;
  const progress = (phase: ImportProgress["phase"], rows: number) =>
    onProgress?.({ phase, bytesRead, totalBytes, rows, rowsToWrite: report.valid, rejected: report.rejected });

  async function* counted(): AsyncGenerator<Buffer> {
    for await (const chunk of fs.createReadStream(file, { highWaterMark: 256 * 1024 })) {
      bytesRead += (chunk as Buffer).length;
      yield chunk as Buffer;
    }
  }

  const stage = path.join(scratchDir(), `${randomBytes(8).toString("hex")}.ndjson`);
  const out = fs.createWriteStream(stage);
  const outDone = new Promise<void>((resolve, reject) => {
    out.on("finish", resolve);
    out.on("error", reject);
  });
  outDone.catch(() => undefined); // awaited below; an early disk error must not go unhandled meanwhile
  try {
    const started = performance.now();
    let pending = "";
    const flush = async () => {
      if (!out.write(pending)) await new Promise<void>((resolve) => out.once("drain", resolve));
      pending = "";
    };
    progress("validating", 0);
    let reported = 0;
    for await (const batch of readCsvBatches(counted(), kind, { mapping: options.mapping as never })) {
      for (const row of batch) {
        report.rows++;
        if (row.ok) {
          report.valid++;
          const staged =
            kind === "customers"
              ? stageCustomer(customerRowOf(row.record as CustomerRecord))
              : stageEvent(eventRowOf(row.record as EventRecord));
          pending += JSON.stringify(staged) + "\n";
        } else {
          report.rejected++;
          if (report.badRows.length < MAX_LISTED_BAD_ROWS) report.badRows.push({ line: row.line, errors: row.errors, problems: row.problems });
        }
      }
      if (pending.length >= STAGE_FLUSH_CHARS) await flush();
      if (report.rows - reported >= PROGRESS_EVERY_ROWS) {
        reported = report.rows;
        progress("validating", report.rows);
      }
    }
    if (pending) await flush();
    out.end();
    await outDone;
    report.validateMs = Math.round(performance.now() - started);
    progress("validating", report.rows);

    if (report.headerProblem || (report.rejected > 0 && !skipBadRows)) return report;

    progress("writing", 0);
    // Let a progress poll see "writing" before the write begins.
    await new Promise((resolve) => setImmediate(resolve));
    const writeStarted = performance.now();
    const now = options.now ?? new Date();
    const counts = { created: 0, updated: 0, unchanged: 0 };
    let written = 0;
    const writeAll = async (tx: Tx) => {
      if (kind === "customers") {
        const write = prepareCustomerWriter(tx, workspaceId);
        for (const lines of linesInBatches(stage, WRITE_CHUNK)) {
          for (const status of await write(lines.map((line) => unstageCustomer(JSON.parse(line))))) {
            counts[status]++;
            if (++written % 50_000 === 0) progress("writing", written);
          }
        }
        return;
      }
      const write = await prepareEventWriter(tx, workspaceId, now);
      for (const lines of linesInBatches(stage, WRITE_CHUNK)) {
        for (const outcome of await write(lines.map((line) => unstageEvent(JSON.parse(line))))) {
          counts[outcome.status]++;
          if (outcome.customerCreated) report.customersCreated++;
          report.invitations += outcome.invitations;
          if (++written % 50_000 === 0) progress("writing", written);
        }
      }
    };
    try {
      await withBulkCache(() => getDb().transaction(writeAll));
    } catch (error) {
      throw databaseCause(error);
    }
    report.added = counts.created;
    report.updated = counts.updated;
    report.unchanged = counts.unchanged;
    report.imported = true;
    report.writeMs = Math.round(performance.now() - writeStarted);
    progress("writing", written);
    return report;
  } finally {
    out.destroy();
    fs.rmSync(stage, { force: true });
  }
}

// ---- File headers (for the mapping step) ---------------------------------------------------------

const PEEK_BYTES = 64 * 1024;

/** The header cells and a few sample rows of a file, read from its first 64 KB. */
export function peekCsv(file: string, sampleRows = 3): { headers: string[]; samples: string[][] } {
  const fd = fs.openSync(file, "r");
  let text: string;
  try {
    const buffer = Buffer.alloc(PEEK_BYTES);
    const n = fs.readSync(fd, buffer, 0, PEEK_BYTES, 0);
    text = buffer.subarray(0, n).toString("utf8").replace(/^\uFEFF/, "");
    if (n === PEEK_BYTES) text = text.slice(0, Math.max(text.lastIndexOf("\n"), 0));
  } finally {
    fs.closeSync(fd);
  }
  const lines = text.split(/\r\n|\n|\r/).filter((l) => l.trim() !== "");
  if (lines.length === 0) return { headers: [], samples: [] };
  try {
    const records = parseCsvSync(lines.slice(0, sampleRows + 1).join("\n"), {
      delimiter: detectDelimiter(lines[0]),
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
    }) as string[][];
    return { headers: (records[0] ?? []).map((h) => h.trim()), samples: records.slice(1) };
  } catch {
    return { headers: [], samples: [] };
  }
}
