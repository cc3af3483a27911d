// Streams a customer or event CSV file into validated records, one row at a time, with the file's own
// line numbers on every verdict so a person can fix the file. csv-parse does the quoting; we do the rest.
import { parse, type Info } from "csv-parse";
import { Readable } from "node:stream";
import {
  columnsOf,
  mapColumns,
  recordSchemaOf,
  type ColumnMappingInput,
  type CrmKind,
  type FieldOf,
  type RecordOf,
} from "./crm-records";

export type CsvRow<R> = { line: number; ok: true; record: R } | { line: number; ok: false; errors: string[] };

export type CsvReadOptions<K extends CrmKind> = { mapping?: ColumnMappingInput<FieldOf<K>> };

export type CsvSource = NodeJS.ReadableStream | AsyncIterable<Buffer | string>;

const CANDIDATE_DELIMITERS = [",", ";", "\t"] as const;
// Enough to hold any sane header line; past it we decide from what we have rather than buffer on.
const HEADER_PEEK_BYTES = 64 * 1024;
// A record this large is an unclosed quote swallowing the file; stop there instead of holding it in memory.
const MAX_RECORD_CHARS = 1_000_000;
const LF = 0x0a;
const CR = 0x0d;

/**
 * The delimiter used most often outside quotes in the header line; a tie (including none at all,
 * a one-column file) goes to the comma, the CSV default.
 */
export function detectDelimiter(headerLine: string): "," | ";" | "\t" {
  const counts = new Map<string, number>();
  let quoted = false;
  for (const ch of headerLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (CANDIDATE_DELIMITERS as readonly string[]).includes(ch)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  }
  let best: "," | ";" | "\t" = ",";
  for (const d of CANDIDATE_DELIMITERS) if ((counts.get(d) ?? 0) > (counts.get(best) ?? 0)) best = d;
  return best;
}

/**
 * Counts line breaks ("\n", "\r\n" or a lone "\r") in the bytes handed to the parser, up to a byte
 * offset. csv-parse's own line count drifts on CRLF inside quoted fields and only tells where a record
 * ends, so we count ourselves; chunks behind the parser are dropped, so memory stays at a chunk or two.
 */
class LineBreaks {
  private chunks: { start: number; bytes: Buffer }[] = [];
  private total = 0;
  private countedTo = 0;
  private breaks = 0;
  private previousWasCR = false;

  push(bytes: Buffer): void {
    this.chunks.push({ start: this.total, bytes });
    this.total += bytes.length;
  }

  /** Line breaks in bytes [0, offset). */
  before(offset: number): number {
    for (const { start, bytes } of this.chunks) {
      if (start >= offset) break;
      const from = Math.max(this.countedTo, start) - start;
      const to = Math.min(offset, start + bytes.length) - start;
      for (let i = from; i < to; i++) {
        const b = bytes[i];
        if (b === LF) {
          if (!this.previousWasCR) this.breaks++;
          this.previousWasCR = false;
        } else if (b === CR) {
          this.breaks++;
          this.previousWasCR = true;
        } else this.previousWasCR = false;
      }
    }
    this.countedTo = Math.max(this.countedTo, offset);
    // Keep the chunk holding byte countedTo − 1: byteAt looks one byte back from the next record's end.
    while (this.chunks.length > 1 && this.chunks[0].start + this.chunks[0].bytes.length < this.countedTo) this.chunks.shift();
    return this.breaks;
  }

  /** The byte at `offset`, if still held. */
  byteAt(offset: number): number | undefined {
    const chunk = this.chunks.find(({ start, bytes }) => offset >= start && offset < start + bytes.length);
    return chunk ? chunk.bytes[offset - chunk.start] : undefined;
  }
}

const breaksIn = (fields: readonly string[]) =>
  fields.reduce((n, f) => n + (f.match(/\r\n|\n|\r/g)?.length ?? 0), 0);

async function* asBuffers(source: CsvSource): AsyncGenerator<Buffer> {
  for await (const chunk of source as AsyncIterable<Buffer | string>) {
    yield typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk;
  }
}

/** Reads until the first line break (or the peek limit) so the delimiter can be chosen before parsing. */
async function peekHeader(chunks: AsyncGenerator<Buffer>): Promise<{ head: Buffer[]; headerLine: string }> {
  const head: Buffer[] = [];
  let size = 0;
  while (size < HEADER_PEEK_BYTES) {
    const next = await chunks.next();
    if (next.done) break;
    head.push(next.value);
    size += next.value.length;
    if (next.value.includes(LF) || next.value.includes(CR)) break;
  }
  const text = Buffer.concat(head).toString("utf8").replace(/^\uFEFF/, "");
  return { head, headerLine: text.split(/\r\n|\n|\r/)[0] };
}

/** "fecha, date, …": the spellings a person can give a column so that it is recognised. */
function headerNamesFor(kind: CrmKind, field: string): string {
  const column = columnsOf(kind).find((c) => c.field === field);
  return ["a header named " + field, ...(column?.aliases ?? [])].join(", ") + ", or map one";
}

function formatIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string[] {
  return issues.map((issue) => {
    const field = issue.path.map(String).join(".");
    // Our messages usually start with the field already; do not say it twice.
    return field && !issue.message.startsWith(field) ? `${field}: ${issue.message}` : issue.message;
  });
}

/**
 * Yields one verdict per data row, in file order. A missing required column or an unknown explicit
 * mapping is reported once, on line 1, and nothing else is read. Rows whose every cell is blank
 * (Excel's trailing ";;;;") are skipped silently. A quoting error the parser cannot recover from is
 * reported on the line where the broken record starts, and reading stops there.
 */
export async function* readCsvRows<K extends CrmKind>(
  source: CsvSource,
  kind: K,
  options: CsvReadOptions<K> = {},
): AsyncGenerator<CsvRow<RecordOf<K>>> {
  const chunks = asBuffers(source);
  const { head, headerLine } = await peekHeader(chunks);
  const lineBreaks = new LineBreaks();
  async function* fed(): AsyncGenerator<Buffer> {
    for (const chunk of head) {
      lineBreaks.push(chunk);
      yield chunk;
    }
    for await (const chunk of chunks) {
      lineBreaks.push(chunk);
      yield chunk;
    }
  }

  const parser = parse({
    delimiter: detectDelimiter(headerLine),
    bom: true,
    info: true,
    record_delimiter: ["\r\n", "\n", "\r"],
    relax_column_count: true, // a short or long row is one bad row, reported by us, not the end of the file
    relax_quotes: true, // a stray quote inside an unquoted cell (5" screen) is text, not an error
    max_record_size: MAX_RECORD_CHARS,
  });
  const input = Readable.from(fed());
  input.on("error", (error) => parser.destroy(error));
  input.pipe(parser);

  const schema = recordSchemaOf(kind);
  let header: string[] | null = null;
  let fieldIndex: Partial<Record<string, number>> = {};
  let nextLine = 1; // the first line after the previous record

  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: Info }>) {
      const end = info.bytes;
      const endsWithBreak = lineBreaks.byteAt(end - 1) === LF || lineBreaks.byteAt(end - 1) === CR;
      const lastLine = 1 + lineBreaks.before(end) - (endsWithBreak ? 1 : 0);
      const line = lastLine - breaksIn(record);
      nextLine = lastLine + 1;
      if (record.every((cell) => cell.trim() === "")) continue;

      if (header === null) {
        header = record;
        const resolution = mapColumns(kind, header, options.mapping);
        if (!resolution.ok) {
          yield {
            line,
            ok: false,
            errors: [
              ...resolution.missing.map((f) => `missing required column ${f} (${headerNamesFor(kind, f)})`),
              ...resolution.unknownHeaders.map((u) => `${u.field} is mapped to "${u.header}", which is not a column of this file`),
            ],
          };
          return;
        }
        fieldIndex = resolution.fieldIndex;
        continue;
      }

      if (record.length !== header.length) {
        yield {
          line,
          ok: false,
          errors: [
            `expected ${header.length} fields as in the header, found ${record.length}` +
              " (an unquoted delimiter inside a value, such as a decimal comma, splits it in two)",
          ],
        };
        continue;
      }
      const raw: Record<string, string> = {};
      for (const [field, index] of Object.entries(fieldIndex)) if (index !== undefined) raw[field] = record[index];
      const parsed = schema.safeParse(raw);
      if (parsed.success) yield { line, ok: true, record: parsed.data as RecordOf<K> };
      else yield { line, ok: false, errors: formatIssues(parsed.error.issues) };
    }
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    yield { line: nextLine, ok: false, errors: [`malformed CSV from this line on, the rest of the file was not read: ${reason}`] };
  } finally {
    input.destroy();
    parser.destroy();
  }
  if (header === null) yield { line: 1, ok: false, errors: ["the file is empty: expected a header line"] };
}
