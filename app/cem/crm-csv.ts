// Streams a customer or event CSV file into validated records, with the file's own line numbers on
// every verdict so a person can fix the file. A small RFC 4180 tokenizer (below) does the quoting — the
// dialect csv-parse reads with relax_quotes and relax_column_count, checked against csv-parse by a
// differential test — because at a million rows csv-parse's per-record overhead was most of the import.
import { StringDecoder } from "node:string_decoder";
import { columnsOf, mapColumns, type ColumnMappingInput } from "./crm-columns";
import { recordParserOf, type CrmKind, type FieldOf, type RecordOf } from "./crm-records";
import { issueMessages } from "./crm-batch";
import { rowProblemsOf, type RowProblem } from "./crm-row-problems";

/** A refused row has its reasons twice: English sentences (CLI, API) and problems the page words. */
export type CsvRow<R> = { line: number; ok: true; record: R } | { line: number; ok: false; errors: string[]; problems: RowProblem[] };

export type CsvReadOptions<K extends CrmKind> = { mapping?: ColumnMappingInput<FieldOf<K>> };

export type CsvSource = NodeJS.ReadableStream | AsyncIterable<Buffer | string>;

const CANDIDATE_DELIMITERS = [",", ";", "\t"] as const;
// Enough to hold any sane header line; past it we decide from what we have rather than buffer on.
const HEADER_PEEK_BYTES = 64 * 1024;
// A record this large is an unclosed quote swallowing the file; stop there instead of holding it in memory.
const MAX_RECORD_CHARS = 1_000_000;
const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;

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

export class CsvSyntaxError extends Error {
  constructor(
    message: string,
    /** The line where the broken record starts. */
    readonly line: number,
    readonly problem: "record_too_long" | "quote_not_closed",
  ) {
    super(message);
  }
}

export type CsvRecord = { cells: string[]; line: number };

const FIELD_START = 0;
const UNQUOTED = 1;
const QUOTED = 2;
const QUOTE_SEEN = 3; // a quote inside a quoted field: doubled, closing, or (relaxed) text

/**
 * Records from text pushed in pieces of any size, each with the line it starts on. Line breaks are
 * "\r\n", "\n" or a lone "\r", inside quoted cells too. A quote opens a cell only at the cell's start;
 * elsewhere (a 5" screen) it is text; a quoted cell followed by anything but a delimiter or a line
 * break is read as text from its opening quote (csv-parse's relax_quotes). Rows may have any length.
 */
export class CsvTokenizer {
  private state = FIELD_START;
  private cells: string[] = [];
  private field = "";
  private line = 1;
  private recordLine = 1;
  private afterCR = false;
  private consumed = 0;
  private recordStart = 0;

  constructor(
    private readonly delimiter: number,
    private readonly maxRecordChars = MAX_RECORD_CHARS,
  ) {}

  /** Tokenizes `text`, appending the records it completes to `out`. */
  push(text: string, out: CsvRecord[]): void {
    const n = text.length;
    const delimiter = this.delimiter;
    let state = this.state;
    let segStart = 0;
    let i = 0;
    const endRecord = (value: string, c: number) => {
      this.cells.push(value);
      out.push({ cells: this.cells, line: this.recordLine });
      this.cells = [];
      this.line++;
      this.recordLine = this.line;
      this.afterCR = c === CR;
      this.recordStart = this.consumed + i + 1;
      state = FIELD_START;
    };
    while (i < n) {
      const c = text.charCodeAt(i);
      if (this.afterCR) {
        this.afterCR = false;
        // The "\n" of a "\r\n": inside quotes it stays in the value; after a record it ends nothing more.
        if (c === LF) {
          if (state === FIELD_START) {
            segStart = i + 1;
            this.recordStart = this.consumed + i + 1;
          }
          i++;
          continue;
        }
      }
      switch (state) {
        case FIELD_START:
          if (c === QUOTE) {
            state = QUOTED;
            this.field = "";
            segStart = i + 1;
            i++;
            continue;
          }
          state = UNQUOTED;
          this.field = "";
          segStart = i;
          continue; // this character again, as unquoted text
        case UNQUOTED:
          if (c === delimiter) {
            this.cells.push(this.field + text.slice(segStart, i));
            state = FIELD_START;
          } else if (c === CR || c === LF) {
            endRecord(this.field + text.slice(segStart, i), c);
          }
          i++;
          continue;
        case QUOTED:
          if (c === QUOTE) {
            this.field += text.slice(segStart, i);
            state = QUOTE_SEEN;
          } else if (c === CR) {
            this.line++;
            this.afterCR = true;
          } else if (c === LF) {
            this.line++;
          }
          i++;
          continue;
        case QUOTE_SEEN:
          if (c === QUOTE) {
            this.field += '"';
            segStart = i + 1;
            state = QUOTED;
          } else if (c === delimiter) {
            this.cells.push(this.field);
            state = FIELD_START;
          } else if (c === CR || c === LF) {
            endRecord(this.field, c);
          } else {
            // Text after the closing quote: the cell is text, its quotes kept (as csv-parse reads it).
            this.field = `"${this.field}"`;
            segStart = i;
            state = UNQUOTED;
            continue;
          }
          i++;
          continue;
      }
    }
    if (state === UNQUOTED || state === QUOTED) this.field += text.slice(segStart);
    this.state = state;
    this.consumed += n;
    if (this.consumed - this.recordStart > this.maxRecordChars) {
      throw new CsvSyntaxError(`Max Record Size: a record is longer than ${this.maxRecordChars} characters (a quote that never closes?)`, this.recordLine, "record_too_long");
    }
  }

  /** Ends the input: the last record (without a final line break) is appended to `out`. */
  end(out: CsvRecord[]): void {
    if (this.state === QUOTED) {
      throw new CsvSyntaxError(`Quote Not Closed: the file ends inside a quoted cell that opens on line ${this.recordLine}`, this.recordLine, "quote_not_closed");
    }
    if (this.state !== FIELD_START || this.cells.length > 0) {
      this.cells.push(this.state === FIELD_START ? "" : this.field);
      out.push({ cells: this.cells, line: this.recordLine });
      this.cells = [];
      this.state = FIELD_START;
    }
  }
}

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

const aliasesOf = (kind: CrmKind, field: string): readonly string[] => columnsOf(kind).find((c) => c.field === field)?.aliases ?? [];

/** "fecha, date, …": the spellings a person can give a column so that it is recognised. */
function headerNamesFor(kind: CrmKind, field: string): string {
  return ["a header named " + field, ...aliasesOf(kind, field)].join(", ") + ", or map one";
}

const isBlank = (cells: readonly string[]) => {
  for (const cell of cells) if (cell.trim() !== "") return false;
  return true;
};

/**
 * Yields the verdicts of a file's data rows in file order, a chunk's worth at a time (the bulk import
 * reads these; readCsvRows below yields them one by one). A missing required column or an unknown
 * explicit mapping is reported once, on the header's line, and nothing else is read. Rows whose every
 * cell is blank (Excel's trailing ";;;;") are skipped silently. A quoting error the tokenizer cannot
 * recover from is reported on the line where the broken record starts, and reading stops there.
 */
export async function* readCsvBatches<K extends CrmKind>(
  source: CsvSource,
  kind: K,
  options: CsvReadOptions<K> = {},
): AsyncGenerator<CsvRow<RecordOf<K>>[]> {
  const chunks = asBuffers(source);
  const { head, headerLine } = await peekHeader(chunks);
  const tokenizer = new CsvTokenizer(detectDelimiter(headerLine).charCodeAt(0));
  const decoder = new StringDecoder("utf8");
  const parseRecord = recordParserOf(kind);
  let header: string[] | null = null;
  let fields: [string, number][] = [];
  let stopped = false;
  let bomChecked = false;
  const records: CsvRecord[] = [];

  const verdicts = (): CsvRow<RecordOf<K>>[] => {
    const rows: CsvRow<RecordOf<K>>[] = [];
    for (const { cells, line } of records) {
      if (stopped) break;
      if (isBlank(cells)) continue;
      if (header === null) {
        header = cells;
        const resolution = mapColumns(kind, header, options.mapping);
        if (!resolution.ok) {
          rows.push({
            line,
            ok: false,
            errors: [
              ...resolution.missing.map((f) => `missing required column ${f} (${headerNamesFor(kind, f)})`),
              ...resolution.unknownHeaders.map((u) => `${u.field} is mapped to "${u.header}", which is not a column of this file`),
            ],
            problems: [
              ...resolution.missing.map((f): RowProblem => ({ code: "missing_column", field: f, aliases: aliasesOf(kind, f) })),
              ...resolution.unknownHeaders.map((u): RowProblem => ({ code: "unknown_header", field: u.field, header: u.header })),
            ],
          });
          stopped = true;
          break;
        }
        fields = Object.entries(resolution.fieldIndex).filter((e): e is [string, number] => e[1] !== undefined);
        continue;
      }
      if (cells.length !== header.length) {
        rows.push({
          line,
          ok: false,
          errors: [
            `expected ${header.length} fields as in the header, found ${cells.length}` +
              " (an unquoted delimiter inside a value, such as a decimal comma, splits it in two)",
          ],
          problems: [{ code: "field_count", expected: header.length, found: cells.length }],
        });
        continue;
      }
      const raw: Record<string, string> = {};
      for (const [field, index] of fields) raw[field] = cells[index];
      const parsed = parseRecord(raw);
      if (parsed.success) rows.push({ line, ok: true, record: parsed.data });
      else rows.push({ line, ok: false, errors: issueMessages(parsed.error.issues), problems: rowProblemsOf(parsed.error.issues, raw) });
    }
    records.length = 0;
    return rows;
  };

  const feed = (text: string) => {
    if (!bomChecked && text.length > 0) {
      bomChecked = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    tokenizer.push(text, records);
  };

  async function* all(): AsyncGenerator<Buffer> {
    yield* head;
    yield* chunks;
  }

  try {
    for await (const chunk of all()) {
      feed(decoder.write(chunk));
      const rows = verdicts();
      if (rows.length > 0) yield rows;
      if (stopped) return;
    }
    feed(decoder.end());
    tokenizer.end(records);
    const rows = verdicts();
    if (rows.length > 0) yield rows;
    if (stopped) return;
  } catch (error) {
    // Rows completed before the error still count; the broken record's line says where reading stopped.
    const rows = verdicts();
    const line = error instanceof CsvSyntaxError ? error.line : (rows.at(-1)?.line ?? 0) + 1;
    const reason = error instanceof Error ? error.message : String(error);
    const cause = error instanceof CsvSyntaxError ? error.problem : null;
    rows.push({
      line,
      ok: false,
      errors: [`malformed CSV from this line on, the rest of the file was not read: ${reason}`],
      problems: [{ code: "malformed", cause, detail: reason }],
    });
    yield rows;
    return;
  } finally {
    await chunks.return(undefined);
  }
  if (header === null) yield [{ line: 1, ok: false, errors: ["the file is empty: expected a header line"], problems: [{ code: "empty_file" }] }];
}

/** The same verdicts as readCsvBatches, one row at a time. */
export async function* readCsvRows<K extends CrmKind>(
  source: CsvSource,
  kind: K,
  options: CsvReadOptions<K> = {},
): AsyncGenerator<CsvRow<RecordOf<K>>> {
  for await (const batch of readCsvBatches(source, kind, options)) yield* batch;
}
