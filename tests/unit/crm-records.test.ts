// CRM row schemas: value formats, the dedup key of events without an id, and header resolution.
import { describe, expect, it } from "vitest";
import { CUSTOMER_COLUMNS, EVENT_COLUMNS, mapColumns } from "~/cem/crm-columns";
import { customerRecordSchema, eventContentHash, eventDedupKey, eventRecordSchema, normaliseName } from "~/cem/crm-records";

const event = (more: Record<string, unknown>) =>
  eventRecordSchema.parse({ customer_external_id: "C-1", type: "purchase", occurred_at: "2024-03-01T10:00:00Z", ...more });

describe("event rows", () => {
  it.each([
    ["129.90", 129.9],
    ["129,90", 129.9],
    ["1.234,56", 1234.56],
    ["1,234.56", 1234.56],
    ["1.234.567", 1234567],
    ["-3,5", -3.5],
    [" 12 ", 12],
    [42, 42],
  ])("reads the amount %j as %d", (raw, amount) => {
    expect(event({ amount: raw }).amount).toBe(amount);
  });

  it.each(["12,3,4", "1.23.4", "abc", "1e5", "--2"])("rejects the amount %j", (raw) => {
    expect(eventRecordSchema.safeParse({ customer_external_id: "C", type: "visit", occurred_at: "2024-01-01", amount: raw }).success).toBe(false);
  });

  it("normalises dates to UTC instants and refuses impossible ones", () => {
    expect(event({ occurred_at: "2024-03-01" }).occurred_at).toBe("2024-03-01T00:00:00.000Z");
    expect(event({ occurred_at: "2024-03-01 07:30" }).occurred_at).toBe("2024-03-01T07:30:00.000Z");
    expect(event({ occurred_at: "2024-03-01T07:30:15.5-0300" }).occurred_at).toBe("2024-03-01T10:30:15.500Z");
    for (const bad of ["2023-02-29", "01/03/2024", "2024-03-01T25:00", "2024-3-1"]) {
      expect(eventRecordSchema.safeParse({ customer_external_id: "C", type: "visit", occurred_at: bad }).success).toBe(false);
    }
  });

  it("lower-cases types, channels and currencies, and reads the Spanish type names", () => {
    const e = event({ type: "Cancelación", channel: "Call Center", currency: "cop", touchpoint_key: "Pago-En-Linea" });
    expect(e).toMatchObject({ type: "cancellation", channel: "call_center", currency: "COP", touchpoint_key: "pago-en-linea" });
    expect(event({ type: "loyalty_points_redeemed" }).type).toBe("loyalty_points_redeemed");
    expect(eventRecordSchema.safeParse({ customer_external_id: "C", type: "visit", occurred_at: "2024-01-01", currency: "EURO" }).success).toBe(false);
  });
});

describe("event dedup key", () => {
  it("hashes the same event alike however it is written", () => {
    const a = event({ occurred_at: "2024-03-01T05:00:00-05:00", amount: "1.234,50", type: "compra", currency: "eur" });
    const b = event({ occurred_at: "2024-03-01T10:00:00Z", amount: 1234.5, type: "purchase", currency: "EUR" });
    expect(eventContentHash(a)).toBe(eventContentHash(b));
    expect(eventContentHash(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(eventDedupKey(a)).toBe(`sha256:${eventContentHash(b)}`);
  });

  it("tells apart events that differ in any canonical field, and prefers the sender's id", () => {
    const base = event({ amount: "10" });
    for (const other of [event({ amount: "10.01" }), event({ amount: "10", channel: "web" }), event({ amount: "10", type: "payment" })]) {
      expect(eventContentHash(other)).not.toBe(eventContentHash(base));
    }
    // No amount and an amount of 0 are different facts.
    expect(eventContentHash(event({}))).not.toBe(eventContentHash(event({ amount: 0 })));
    expect(eventDedupKey(event({ external_id: "ORD-1" }))).toBe("id:ORD-1");
  });
});

describe("customer rows", () => {
  it("requires only the external id and treats blank cells as absent", () => {
    expect(customerRecordSchema.parse({ external_id: " C-7 ", name: "", email: " ana@example.com " })).toEqual({
      external_id: "C-7",
      name: undefined,
      email: "ana@example.com",
      phone: undefined,
      segment: undefined,
      notes: undefined,
      created_at: undefined,
      language: undefined,
    });
    const missing = customerRecordSchema.safeParse({ external_id: "  " });
    expect(missing.error?.issues.map((i) => i.message)).toEqual(["external_id is required"]);
    expect(customerRecordSchema.safeParse({ external_id: "C", phone: "call me" }).success).toBe(false);
  });
});

describe("mapColumns", () => {
  it("matches headers case-, space- and accent-insensitively, with Spanish aliases", () => {
    expect(normaliseName("  Fecha de  Compra ")).toBe("fecha_de_compra");
    const r = mapColumns("events", ["CLIENTE", " Fécha ", "tipo", "Importe", "Canal", "Punto de contacto", "Tier"]);
    expect(r).toEqual({
      fieldIndex: { customer_external_id: 0, occurred_at: 1, type: 2, amount: 3, channel: 4, touchpoint_key: 5 },
      missing: [],
      unmapped: ["Tier"],
      duplicates: [],
      unknownHeaders: [],
      ok: true,
    });
  });

  it("reports missing required fields and keeps the first of two headers for one field", () => {
    const r = mapColumns("events", ["fecha", "date", "importe"]);
    expect(r.missing).toEqual(["customer_external_id", "type"]);
    expect(r.duplicates).toEqual([{ field: "occurred_at", header: "date" }]);
    expect(r.fieldIndex).toEqual({ occurred_at: 0, amount: 2 });
    expect(r.ok).toBe(false);
  });

  it("lets an explicit mapping choose, or drop, a column", () => {
    const r = mapColumns("customers", ["Código", "Nombre", "Correo", "Teléfono"], { external_id: "Código", email: null, phone: "telefono" });
    expect(r.fieldIndex).toEqual({ external_id: 0, name: 1, phone: 3 });
    expect(r.unmapped).toEqual(["Correo"]);
    expect(r.ok).toBe(true);
  });

  it("documents every field once, in schema order, and marks the required ones", () => {
    expect(CUSTOMER_COLUMNS.map((c) => c.field)).toEqual(Object.keys(customerRecordSchema.shape));
    expect(EVENT_COLUMNS.map((c) => c.field)).toEqual(Object.keys(eventRecordSchema.shape));
    expect(EVENT_COLUMNS.filter((c) => c.required).map((c) => c.field)).toEqual(["customer_external_id", "type", "occurred_at"]);
  });
});
