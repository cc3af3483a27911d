// The CRM data layer on a real SQLite file: CSV import all-or-nothing and idempotent, events deduplicated
// and creating bare customers, a failure mid-write rolling everything back, the list, the export, scoping.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDatabasePath, removeDatabase } from "../support/database";
import { getDb } from "#db/client";
import { crmEvents, customers, workspaces } from "#db/schema/index";
import { and, count, eq } from "drizzle-orm";
import { importCsvFile } from "~/data/crm-import.server";
import { behaviourAfter } from "~/data/crm-events.server";
import { customerIdByExternalId, getCustomer, listCustomers } from "~/data/customers.server";
import { parseBatchBody } from "~/api/batch-body.server";
import { upsertCustomerItems, upsertEventItems } from "~/api/crm-items.server";
import { customersCsvStream } from "~/web/customers-csv.server";

const dbFile = freshDatabasePath("crm-data-import");
const dir = path.resolve("tests/.tmp", `crm-import-${process.pid}`);
let a: number;
let b: number;

function file(name: string, text: string) {
  fs.mkdirSync(dir, { recursive: true });
  const p = path.join(dir, name);
  fs.writeFileSync(p, text);
  return p;
}

const countOf = async (table: typeof customers | typeof crmEvents, workspaceId: number) =>
  (await getDb().select({ n: count() }).from(table).where(eq(table.workspaceId, workspaceId)))[0].n;

beforeAll(async () => {
  [{ id: a }] = await getDb().insert(workspaces).values({ slug: "crm-a", name: "A" }).returning();
  [{ id: b }] = await getDb().insert(workspaces).values({ slug: "crm-b", name: "B" }).returning();
});

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
  removeDatabase(dbFile);
});

const CUSTOMERS =
  "Código;Nombre;Correo;Fecha alta;Idioma\n" +
  "C-1;Ana Pérez;ana@example.com;2020-01-02;es-CO\n" +
  "C-2;Bob;not-an-email;2021-05-01;en\n" +
  "C-3;Carla;carla@example.com;;\n";

describe("importCsvFile (customers)", () => {
  it("imports nothing from a file with a bad row, and lists it with its line and reason", async () => {
    const report = await importCsvFile(file("c.csv", CUSTOMERS), { workspaceId: a, kind: "customers" });
    expect(report).toMatchObject({ imported: false, rows: 3, valid: 2, rejected: 1, added: 0 });
    expect(report.badRows).toEqual([{ line: 3, errors: ['email: "not-an-email" is not an e-mail address'], problems: [{ code: "invalid", field: "email", value: "not-an-email" }] }]);
    expect(await countOf(customers, a)).toBe(0);
  });

  it("imports the good rows when told to skip the bad ones, still listing them; again, nothing changes", async () => {
    const first = await importCsvFile(file("c.csv", CUSTOMERS), { workspaceId: a, kind: "customers", skipBadRows: true });
    expect(first).toMatchObject({ imported: true, added: 2, updated: 0, unchanged: 0, rejected: 1 });
    expect(first.badRows.map((r) => r.line)).toEqual([3]);
    const ana = (await getCustomer(a, (await customerIdByExternalId(a, "C-1"))!))!;
    expect(ana).toMatchObject({ name: "Ana Pérez", email: "ana@example.com", language: "es" });
    expect(ana.customerSince?.toISOString()).toBe("2020-01-02T00:00:00.000Z");
    const updatedAt = ana.updatedAt.getTime();

    const again = await importCsvFile(file("c.csv", CUSTOMERS), { workspaceId: a, kind: "customers", skipBadRows: true });
    expect(again).toMatchObject({ imported: true, added: 0, updated: 0, unchanged: 2 });
    expect((await getCustomer(a, ana.id))!.updatedAt.getTime()).toBe(updatedAt);
  });

  it("updates by external id and never erases a value with a blank cell or a missing column", async () => {
    const report = await importCsvFile(file("c2.csv", "external_id,name\nC-1,Ana P. Gómez\nC-3,\n"), { workspaceId: a, kind: "customers" });
    expect(report).toMatchObject({ imported: true, added: 0, updated: 1, unchanged: 1 });
    const ana = (await getCustomer(a, (await customerIdByExternalId(a, "C-1"))!))!;
    expect(ana).toMatchObject({ name: "Ana P. Gómez", email: "ana@example.com" });
    expect((await getCustomer(a, (await customerIdByExternalId(a, "C-3"))!))!.name).toBe("Carla");
  });

  it("refuses a file whose header lacks a required column, even when skipping bad rows", async () => {
    const report = await importCsvFile(file("c3.csv", "Persona,Nombre\nC-9,Zoe\n"), { workspaceId: a, kind: "customers", skipBadRows: true });
    expect(report).toMatchObject({ imported: false, headerProblem: true });
    expect(report.badRows[0].errors[0]).toMatch(/missing required column external_id/);
    expect(await customerIdByExternalId(a, "C-9")).toBeNull();
    const mapped = await importCsvFile(file("c3.csv", "Persona,Nombre\nC-9,Zoe\n"), {
      workspaceId: a,
      kind: "customers",
      mapping: { external_id: "Persona" },
    });
    expect(mapped).toMatchObject({ imported: true, added: 1 });
  });
});

const EVENTS = [
  "external_id,customer_external_id,type,occurred_at,amount,currency,channel,touchpoint_key",
  "E-1,C-1,purchase,2026-01-10T10:00:00Z,100.50,EUR,store,checkout",
  ",C-1,visit,2026-01-11,,,web,",
  ",C-1,visit,2026-01-11,,,web,", // the same event twice in the file: deduplicated by content
  "E-2,C-NEW,compra,2026-02-01,\"12,50\",eur,web,",
].join("\n");

describe("importCsvFile (events)", () => {
  it("deduplicates by id and by content, creates unknown customers bare, and re-imports as unchanged", async () => {
    const report = await importCsvFile(file("e.csv", EVENTS), { workspaceId: a, kind: "events" });
    expect(report).toMatchObject({ imported: true, rows: 4, added: 3, unchanged: 1, customersCreated: 1, invitations: 0 });
    const bare = (await getCustomer(a, (await customerIdByExternalId(a, "C-NEW"))!))!;
    expect(bare).toMatchObject({ externalId: "C-NEW", name: "", email: null });
    const again = await importCsvFile(file("e.csv", EVENTS), { workspaceId: a, kind: "events" });
    expect(again).toMatchObject({ added: 0, updated: 0, unchanged: 4, customersCreated: 0 });
    expect(await countOf(crmEvents, a)).toBe(3);
  });

  it("updates an event whose sender corrects it under the same id", async () => {
    const fixed = EVENTS.replace("100.50", "90");
    const report = await importCsvFile(file("e2.csv", fixed), { workspaceId: a, kind: "events" });
    expect(report).toMatchObject({ added: 0, updated: 1, unchanged: 3 });
    const [row] = await getDb()
      .select()
      .from(crmEvents)
      .where(and(eq(crmEvents.workspaceId, a), eq(crmEvents.externalId, "E-1")))
      .limit(1);
    expect(row.amount).toBe(90);
  });

  it("leaves nothing behind when the write fails halfway", async () => {
    const client = getDb().$client;
    client.exec(`create temp trigger crm_boom before insert on crm_events when new.external_id = 'BOOM'
                 begin select raise(abort, 'simulated failure'); end`);
    try {
      const text = "external_id,customer_external_id,type,occurred_at\nX-1,C-FRESH,visit,2026-03-01\nBOOM,C-1,visit,2026-03-02\n";
      await expect(importCsvFile(file("e3.csv", text), { workspaceId: a, kind: "events" })).rejects.toThrow(/simulated failure/);
      expect(await customerIdByExternalId(a, "C-FRESH")).toBeNull();
      expect(await getDb().select().from(crmEvents).where(eq(crmEvents.externalId, "X-1"))).toEqual([]);
    } finally {
      client.exec("drop trigger temp.crm_boom");
    }
  });

  it("keeps workspaces apart: the same external ids in B are B's own rows", async () => {
    const report = await importCsvFile(file("e.csv", EVENTS), { workspaceId: b, kind: "events" });
    expect(report).toMatchObject({ added: 3, customersCreated: 2 });
    const aC1 = (await customerIdByExternalId(a, "C-1"))!;
    expect(await getCustomer(b, aC1)).toBeNull();
    expect(await customerIdByExternalId(b, "C-1")).not.toBe(aC1);
  });
});

describe("batches (the API's data functions)", () => {
  it("writes the valid items, reports the invalid ones by index, and is idempotent", async () => {
    const items = [
      { external_id: "API-1", name: "Uno", email: "uno@example.com" },
      { external_id: "API-2", email: "nope" },
      "not an object",
      { name: "no id" },
    ];
    const first = await upsertCustomerItems(a, items);
    expect(first).toMatchObject({ created: 1, updated: 0, unchanged: 0, rejected: 3 });
    expect(first.errors).toEqual([
      { index: 1, externalId: "API-2", errors: ['email: "nope" is not an e-mail address'] },
      { index: 2, errors: [expect.stringMatching(/JSON object/)] },
      { index: 3, errors: ["external_id is required"] },
    ]);
    expect(await upsertCustomerItems(a, items)).toMatchObject({ created: 0, unchanged: 1, rejected: 3 });
    const events = [{ external_id: "AE-1", customer_external_id: "API-1", type: "purchase", occurred_at: "2026-05-01", amount: 10 }];
    expect(await upsertEventItems(a, events)).toMatchObject({ created: 1, rejected: 0, invitations: 0 });
    expect(await upsertEventItems(a, events)).toMatchObject({ created: 0, unchanged: 1 });
  });

  it("parses a batch body: JSON, an array, at most 1,000 items", () => {
    expect(parseBatchBody("{", "events")).toMatchObject({ ok: false, error: "invalid_json" });
    expect(parseBatchBody('{"external_id":"x"}', "customers")).toMatchObject({ ok: false, error: "not_an_array" });
    expect(parseBatchBody(JSON.stringify(Array.from({ length: 1001 }, () => ({}))), "events")).toMatchObject({ ok: false, error: "batch_too_large" });
    expect(parseBatchBody("[]", "events")).toEqual({ ok: true, items: [] });
  });
});

describe("reads", () => {
  it("lists with search, filter, sort and paging, scoped to the workspace", async () => {
    const all = await listCustomers(a, {}, "name", 1, 2);
    expect(all.total).toBe(await countOf(customers, a));
    expect(all.rows).toHaveLength(2);
    expect(all.pages).toBe(Math.ceil(all.total / 2));
    expect((await listCustomers(a, { q: "ana@" })).rows.map((r) => r.externalId)).toEqual(["C-1"]);
    expect((await listCustomers(a, { q: "%" })).total).toBe(0);
    expect((await listCustomers(a, { tier: "none" })).total).toBe(all.total);
    const last = await listCustomers(a, {}, "value", 999);
    expect(last.page).toBe(last.pages);
  });

  it("exports CSV in chunks, quoting and defusing formulas", async () => {
    await upsertCustomerItems(a, [{ external_id: "F-1", name: "=HYPERLINK(\"x\")", phone: "+57 300 123 4567" }]);
    const text = await new Response(customersCsvStream(a, { q: "F-1" })).text();
    const lines = text.replace(/^\uFEFF/, "").trim().split("\r\n");
    expect(lines[0]).toMatch(/^external_id,name,email,phone,language,created_at,tier/);
    expect(lines[1]).toMatch(/^F-1,"'=HYPERLINK\(""x""\)",,\+57 300 123 4567,/);
  });

  it("measures behaviour in a window after a date, per item", async () => {
    const c1 = (await customerIdByExternalId(a, "C-1"))!;
    const [after, none] = await behaviourAfter(
      a,
      [
        { customerId: c1, from: new Date("2026-01-01") },
        { customerId: c1, from: new Date("2026-01-11") },
      ],
      30,
    );
    expect(after).toEqual({ events: 2, purchases: 1, spend: 90, repurchased: true });
    expect(none).toEqual({ events: 0, purchases: 0, spend: 0, repurchased: false });
    expect((await behaviourAfter(b, [{ customerId: c1, from: new Date("2026-01-01") }], 30))[0].events).toBe(0);
  });
});
