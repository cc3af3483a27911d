// CSV import of customers and events: delimiters, BOM, quoting, aliases and line-numbered verdicts.
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { detectDelimiter, readCsvRows, type CsvRow } from "~/cem/crm-csv";
import type { CrmKind, RecordOf } from "~/cem/crm-records";

async function collect<K extends CrmKind>(
  chunks: Array<string | Buffer>,
  kind: K,
  mapping?: Parameters<typeof readCsvRows<K>>[2],
): Promise<CsvRow<RecordOf<K>>[]> {
  const rows: CsvRow<RecordOf<K>>[] = [];
  for await (const row of readCsvRows(Readable.from(chunks), kind, mapping)) rows.push(row);
  return rows;
}

/** Splits text into one-byte chunks: every boundary case (BOM, CRLF, UTF-8 sequences) at once. */
const byteByByte = (text: string) => [...Buffer.from(text, "utf8")].map((b) => Buffer.from([b]));

describe("detectDelimiter", () => {
  it("picks the delimiter used most outside quotes, comma on a tie", () => {
    expect(detectDelimiter("id;nombre;fecha")).toBe(";");
    expect(detectDelimiter('id,"nombre; apellido",fecha')).toBe(",");
    expect(detectDelimiter("id\tname")).toBe("\t");
    expect(detectDelimiter("id")).toBe(",");
  });
});

describe("readCsvRows", () => {
  it("reads a Spanish Excel export: BOM, semicolons, CRLF, decimal comma, header aliases", async () => {
    const file =
      "\uFEFFCliente;Fecha;Tipo;Importe;Moneda;Canal\r\n" +
      "C-1;2024-03-01;compra;1.234,50;eur;Tienda Física\r\n" +
      "C-2;2024-03-02T10:15:00-05:00;visita;;;web\r\n";
    for (const chunks of [[file], byteByByte(file)]) {
      const rows = await collect(chunks, "events");
      expect(rows).toEqual([
        {
          line: 2,
          ok: true,
          record: expect.objectContaining({
            customer_external_id: "C-1",
            occurred_at: "2024-03-01T00:00:00.000Z",
            type: "purchase",
            amount: 1234.5,
            currency: "EUR",
            channel: "tienda_fisica",
          }),
        },
        {
          line: 3,
          ok: true,
          record: expect.objectContaining({ type: "visit", occurred_at: "2024-03-02T15:15:00.000Z", amount: undefined }),
        },
      ]);
    }
  });

  it("keeps commas inside quoted fields and reads doubled quotes", async () => {
    const rows = await collect(
      ['external_id,name,notes\nC-1,"Pérez, Ana","said ""great"", then left"\n'],
      "customers",
    );
    expect(rows).toEqual([
      { line: 2, ok: true, record: expect.objectContaining({ name: "Pérez, Ana", notes: 'said "great", then left' }) },
    ]);
  });

  it("reports bad rows with the file's line numbers, field and reason, and carries on", async () => {
    const file = [
      "customer_id,type,occurred_at,amount", // 1
      "C-1,purchase,2024-01-05,10", // 2
      "", // 3  blank line, skipped
      ",purchase,2024-01-06,10", // 4  no customer
      'C-2,"ticket opened",2024-02-30,abc', // 5  impossible date, amount not a number
      "C-3,purchase,2024-01-07,12,50", // 6  decimal comma splits the row
      ",,,", // 7  Excel's blank row, skipped
      'C-4,purchase,2024-01-08,"5', // 8
      'multi-line amount"', // 9  (still inside the quoted cell of line 8)
      "C-5,Purchase,2024-01-09T08:00:00Z,-3.5", // 10 a refund
    ].join("\n");
    expect((await collect(byteByByte(file), "events")).map((r) => r.line)).toEqual([2, 4, 5, 6, 8, 10]);
    const rows = await collect([file], "events");
    expect(rows.map((r) => r.line)).toEqual([2, 4, 5, 6, 8, 10]);
    expect(rows[1]).toEqual({
      line: 4,
      ok: false,
      errors: ["customer_external_id is required"],
      problems: [{ code: "required", field: "customer_external_id" }],
    });
    expect(rows[2].ok).toBe(false);
    const errors5 = rows[2].ok ? [] : rows[2].errors;
    expect(errors5).toHaveLength(2);
    expect(errors5[0]).toMatch(/^occurred_at: "2024-02-30" is not an ISO 8601 date/);
    expect(errors5[1]).toMatch(/^amount: "abc" is not a number/);
    expect(rows[2]).toMatchObject({
      problems: [
        { code: "invalid", field: "occurred_at", value: "2024-02-30" },
        { code: "invalid", field: "amount", value: "abc" },
      ],
    });
    expect(rows[3]).toMatchObject({
      line: 6,
      ok: false,
      errors: [expect.stringMatching(/expected 4 fields .* found 5/)],
      problems: [{ code: "field_count", expected: 4, found: 5 }],
    });
    expect(rows[4]).toMatchObject({ line: 8, ok: false, errors: [expect.stringMatching(/^amount: /)] });
    expect(rows[5]).toMatchObject({ line: 10, ok: true, record: { type: "purchase", amount: -3.5 } });
  });

  it("refuses an instant in the future or before 1970, even on an otherwise good row", async () => {
    const rows = await collect(["customer_id,type,occurred_at\nC-1,purchase,2999-01-01\nC-2,purchase,1969-12-31\n"], "events");
    expect(rows).toMatchObject([
      { line: 2, ok: false, errors: [expect.stringMatching(/^occurred_at is in the future/)], problems: [{ code: "implausible", field: "occurred_at", when: "future" }] },
      { line: 3, ok: false, errors: [expect.stringMatching(/^occurred_at is before 1970/)], problems: [{ code: "implausible", field: "occurred_at", when: "before_1970" }] },
    ]);
  });

  it("counts lines right with CRLF inside quoted cells", async () => {
    const file = 'external_id;notes\r\nC-1;"first\r\nsecond\r\nthird"\r\nC-2;x\r\n;\r\nC-3;"bad email";\r\n';
    for (const chunks of [[file], byteByByte(file)]) {
      const rows = await collect(chunks, "customers");
      expect(rows.map((r) => [r.line, r.ok])).toEqual([
        [2, true],
        [5, true],
        [7, false],
      ]);
    }
  });

  it("stops at a quote that never closes and says where the broken record starts", async () => {
    const rows = await collect(['external_id,name\nC-1,Ana\n\nC-2,"Luis\nC-3,Eva\n'], "customers");
    expect(rows[0]).toMatchObject({ line: 2, ok: true });
    expect(rows[1]).toMatchObject({
      line: 4,
      ok: false,
      errors: [expect.stringMatching(/malformed CSV .*Quote Not Closed/)],
      problems: [{ code: "malformed", cause: "quote_not_closed" }],
    });
    expect(rows).toHaveLength(2);
  });

  it("reports missing required columns once, on line 1, naming accepted spellings", async () => {
    const rows = await collect(["Cliente;Importe\nC-1;10\n"], "events");
    expect(rows).toHaveLength(1);
    expect(rows[0].line).toBe(1);
    const errors = rows[0].ok ? [] : rows[0].errors;
    expect(errors).toEqual([
      expect.stringMatching(/^missing required column type \(.*tipo/),
      expect.stringMatching(/^missing required column occurred_at \(.*fecha/),
    ]);
    expect(rows[0]).toMatchObject({
      problems: [
        { code: "missing_column", field: "type", aliases: expect.arrayContaining(["tipo"]) },
        { code: "missing_column", field: "occurred_at", aliases: expect.arrayContaining(["fecha"]) },
      ],
    });
  });

  it("follows an explicit mapping over the aliases, and ignores a tier column", async () => {
    const rows = await collect(
      ["Código,Razón social,Alta,tier\nC-9,ACME S.A.,2019-05-14,premium\n"],
      "customers",
      { mapping: { name: "razon social", created_at: "Alta" } },
    );
    expect(rows).toEqual([
      {
        line: 2,
        ok: true,
        record: { external_id: "C-9", name: "ACME S.A.", created_at: "2019-05-14T00:00:00.000Z" },
      },
    ]);
    const unknown = await collect(["external_id\nC-1\n"], "customers", { mapping: { email: "Correo" } });
    expect(unknown).toEqual([
      {
        line: 1,
        ok: false,
        errors: ['email is mapped to "Correo", which is not a column of this file'],
        problems: [{ code: "unknown_header", field: "email", header: "Correo" }],
      },
    ]);
  });

  it("reads plain async iterables of strings and says when a file is empty", async () => {
    async function* lines() {
      yield "external_id,language\n";
      yield "C-1,es-CO\nC-2,fr\n";
    }
    const rows: CsvRow<RecordOf<"customers">>[] = [];
    for await (const row of readCsvRows(lines(), "customers")) rows.push(row);
    expect(rows).toEqual([
      { line: 2, ok: true, record: { external_id: "C-1", language: "es" } },
      { line: 3, ok: false, errors: ['language: "fr" is not supported (es or en)'], problems: [{ code: "invalid", field: "language", value: "fr" }] },
    ]);
    expect(await collect([""], "customers")).toEqual([
      { line: 1, ok: false, errors: ["the file is empty: expected a header line"], problems: [{ code: "empty_file" }] },
    ]);
  });
});
