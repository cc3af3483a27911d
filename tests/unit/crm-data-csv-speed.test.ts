// The two fast paths of the bulk import hold to what they replace: the CSV tokenizer reads every text
// the way csv-parse does with the reader's options (cells, errors, start lines), and parseEventRecord
// gives exactly eventRecordSchema.safeParse's answer.
import { parse as parseSync } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { CsvSyntaxError, CsvTokenizer, type CsvRecord } from "~/cem/crm-csv";
import { customerRecordSchema, eventRecordSchema, isoInstantByPattern, isoInstantOf, parseCustomerRecord, parseEventRecord } from "~/cem/crm-records";

function seeded(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Outcome = { records: string[][]; lines?: number[]; error: boolean };

/** csv-parse with the options the reader used before the tokenizer, and its line arithmetic. */
function csvParse(text: string, delimiter: string): Outcome {
  try {
    const out = parseSync(text, {
      delimiter,
      bom: true,
      info: true,
      record_delimiter: ["\r\n", "\n", "\r"],
      relax_column_count: true,
      relax_quotes: true,
    }) as unknown as { record: string[]; info: { bytes: number } }[];
    // info.bytes counts UTF-8 bytes of the input, the BOM included.
    const bytes = Buffer.from(text, "utf8");
    const lines = out.map(({ record, info }) => {
      const consumed = bytes.subarray(0, info.bytes).toString("utf8");
      const before = consumed.match(/\r\n|\n|\r/g)?.length ?? 0;
      const endsWithBreak = /[\r\n]$/.test(consumed);
      const inRecord = record.reduce((n, f) => n + (f.match(/\r\n|\n|\r/g)?.length ?? 0), 0);
      return 1 + before - (endsWithBreak ? 1 : 0) - inRecord;
    });
    return { records: out.map((o) => o.record), lines, error: false };
  } catch {
    return { records: [], error: true };
  }
}

function tokenize(text: string, delimiter: string, pieces: number[]): Outcome {
  const tokenizer = new CsvTokenizer(delimiter.charCodeAt(0));
  const out: CsvRecord[] = [];
  let body = text.replace(/^\uFEFF/, "");
  try {
    for (const size of pieces) {
      tokenizer.push(body.slice(0, size), out);
      body = body.slice(size);
    }
    tokenizer.push(body, out);
    tokenizer.end(out);
    return { records: out.map((r) => r.cells), lines: out.map((r) => r.line), error: false };
  } catch (error) {
    if (!(error instanceof CsvSyntaxError)) throw error;
    return { records: [], error: true };
  }
}

describe("CsvTokenizer", () => {
  it("reads random texts exactly as csv-parse does, however the text is cut", () => {
    const random = seeded(7);
    const alphabet = ["a", "b", "1", " ", ",", ";", '"', '"', "\n", "\r", "\r\n", "é"];
    for (let run = 0; run < 6000; run++) {
      const length = Math.floor(random() * 30);
      let text = random() < 0.1 ? "\uFEFF" : "";
      for (let i = 0; i < length; i++) text += alphabet[Math.floor(random() * alphabet.length)];
      const delimiter = random() < 0.5 ? "," : ";";
      const expected = csvParse(text, delimiter);
      const pieces = Array.from({ length: Math.floor(random() * 4) }, () => Math.floor(random() * 6));
      const actual = tokenize(text, delimiter, pieces);
      expect({ text, ...actual }).toEqual({ text, ...expected });
    }
  });

  it("keeps CRLF inside quoted cells and counts it as one line", () => {
    expect(tokenize('a,"x\r\ny"\r\nb,c', ",", [4, 1])).toEqual({ records: [["a", "x\r\ny"], ["b", "c"]], lines: [1, 3], error: false });
  });

  it("stops a record that grows past the size limit", () => {
    const tokenizer = new CsvTokenizer(44, 10);
    expect(() => tokenizer.push('a,"' + "x".repeat(20), [])).toThrow(/Max Record Size/);
  });
});

describe("parseEventRecord", () => {
  const values: Record<string, readonly unknown[]> = {
    external_id: ["E-1", " E-2 ", "", "   ", "x".repeat(201), 12, null],
    customer_external_id: ["C-1", " C-2", "", "x".repeat(200), "x".repeat(201)],
    type: ["purchase", "Compra", " visit ", "ticket opened", "Ticket_Cerrado", "!!", "", "x".repeat(70), "Cancelación"],
    occurred_at: ["2024-03-01", "2024-03-01T14:30:00+02:00", "2024-02-30", "2024-03-01 10:00", "2024-03-01T10:00:00.1234Z", "yesterday", "", " 2024-01-01 ", "2024-03-01T10:00+15:00", "2024-03-01T14:30:00.000Z", "2024-02-30T00:00:00.000Z", "2024-03-01T24:00:00.000Z", "2024-13-01", "0000-01-01", "+02024-03-01", "2024-03-01T14:30:00.000+0000"],
    amount: ["12.50", "12,50", "1.234,56", "1,234.56", "-3.5", "abc", "", "1.234.567", "1.23.4", 7, Number.NaN, "-0", "007", "1.234", "12.", ".5", " 12.5 ", "1e3", "-1,5"],
    currency: ["EUR", "eur", " usd ", "EURO", "", "€"],
    channel: ["store", "Tienda Física", "", "web!", "-"],
    touchpoint_key: ["checkout", "Check-Out", "check out", "", "a".repeat(65), "-x"],
  };
  const fields = Object.keys(values);

  it("answers as zod does for every combination tried (values, blanks, missing fields)", () => {
    const random = seeded(11);
    for (let run = 0; run < 5000; run++) {
      const raw: Record<string, unknown> = {};
      for (const field of fields) {
        if (random() < 0.1) continue; // the column is not mapped
        const options = values[field];
        raw[field] = options[Math.floor(random() * options.length)];
      }
      if (random() < 0.05) raw.extra = "ignored";
      const fast = parseEventRecord(raw);
      const zod = eventRecordSchema.safeParse(raw);
      expect(fast.success, JSON.stringify(raw)).toBe(zod.success);
      if (fast.success && zod.success) expect(fast.data).toStrictEqual(zod.data);
      if (!fast.success && !zod.success) expect(fast.error.issues).toEqual(zod.error.issues);
    }
  });
});

describe("parseCustomerRecord", () => {
  const values: Record<string, readonly unknown[]> = {
    external_id: ["C-1", " C-2 ", "", "x".repeat(201), 5],
    name: ["Ana Pérez", "", "  ", "x".repeat(201)],
    email: ["ana@example.com", " ANA@Example.COM ", "ana@", "ana@example", "a b@example.com", "o'brien+x@example.co.uk", ""],
    phone: ["+57 300 123 4567", "(601) 555-0101", "12345", "+1-800-FLOWERS", ""],
    segment: ["retail", "", "x".repeat(101)],
    notes: ["prefers phone", "", "x".repeat(2001)],
    created_at: ["2019-05-14", "2019-05-14T10:00:00Z", "2019-02-29", "", "14/05/2019"],
    language: ["es", "ES-co", "en_GB", "fr", " en ", ""],
  };
  const fields = Object.keys(values);

  it("answers as zod does for every combination tried", () => {
    const random = seeded(13);
    for (let run = 0; run < 4000; run++) {
      const raw: Record<string, unknown> = {};
      for (const field of fields) {
        if (random() < 0.1) continue;
        const options = values[field];
        raw[field] = options[Math.floor(random() * options.length)];
      }
      const fast = parseCustomerRecord(raw);
      const zod = customerRecordSchema.safeParse(raw);
      expect(fast.success, JSON.stringify(raw)).toBe(zod.success);
      if (fast.success && zod.success) expect(fast.data).toStrictEqual(zod.data);
    }
  });
});

describe("isoInstantOf's fast path", () => {
  it("reads every date and toISOString-shaped instant as the pattern does", () => {
    const random = seeded(5);
    const pad = (n: number, w: number) => String(n).padStart(w, "0");
    for (let run = 0; run < 5000; run++) {
      const y = pad(Math.floor(random() * 10000), 4);
      const mo = pad(Math.floor(random() * 14), 2);
      const d = pad(Math.floor(random() * 33), 2);
      const date = `${y}-${mo}-${d}`;
      const time = `${pad(Math.floor(random() * 26), 2)}:${pad(Math.floor(random() * 62), 2)}:${pad(Math.floor(random() * 62), 2)}.${pad(Math.floor(random() * 1000), 3)}`;
      for (const value of [date, `${date}T${time}Z`, `${date}T${time}z`, `${date} ${time}Z`]) {
        expect(isoInstantOf(value), value).toBe(isoInstantByPattern(value));
      }
    }
  });
});
