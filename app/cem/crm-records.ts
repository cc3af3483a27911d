// CRM rows as they arrive from a CSV file or the API: one customer, one behaviour event. Their zod
// schemas, how single values are read, and the key that deduplicates events. The documented columns
// and header → field resolution are in crm-columns.ts.
import { createHash } from "node:crypto";
import { z } from "zod";
import type { ImplausibleParams } from "./crm-row-problems";
import { instantProblem } from "./instant-bounds";

export type CrmKind = "customers" | "events";

/** Event types the analysis knows by name; any other lower-case word is accepted and kept as sent. */
export const KNOWN_EVENT_TYPES = [
  "purchase",
  "visit",
  "ticket_opened",
  "ticket_closed",
  "delivery",
  "payment",
  "cancellation",
] as const;

// Spanish exports often name the type in Spanish; these few map onto the known types so that, say,
// "compra" counts as a purchase in segmentation instead of becoming a type of its own.
const EVENT_TYPE_ALIASES: Record<string, string> = {
  compra: "purchase",
  visita: "visit",
  ticket_abierto: "ticket_opened",
  ticket_cerrado: "ticket_closed",
  entrega: "delivery",
  pago: "payment",
  cancelacion: "cancellation",
};

const WORD = /^[a-z0-9_]+$/;
// Same shape as journey touchpoint keys (journey-schema.ts), so an event can name the touchpoint it happened at.
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const ISO_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

/** Lower-case, accent-free, words joined by "_": how headers and word-like values are compared. */
export function normaliseName(text: string): string {
  return text
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
}

// CSV cells are strings and an empty cell means "not given"; JSON may send null for the same thing.
const blankToUndefined = (value: unknown) =>
  value === null || (typeof value === "string" && value.trim() === "") ? undefined : value;

const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blankToUndefined, schema.optional());
// A blank required cell reaches the schema as undefined; each base schema's type error then says "required".
const required = <T extends z.ZodType>(schema: T) => z.preprocess(blankToUndefined, schema);
const mustBe = (field: string, what: string) => (iss: { input?: unknown }) =>
  iss.input === undefined ? `${field} is required` : `${field} must be ${what}`;

const text = (field: string, max: number) =>
  z
    .string({ error: mustBe(field, "text") })
    .trim()
    .max(max, { error: `${field} must be at most ${max} characters` });

const quoted = (value: unknown) => JSON.stringify(String(value));

/**
 * An ISO 8601 date (`2024-03-01`, read as midnight UTC) or date-time (`2024-03-01T14:30:00+02:00`;
 * a space may replace the T). A date-time without an offset is read as UTC: CRM exports rarely say,
 * and a fixed reading keeps the same file giving the same instants on every server.
 * Output: the instant as `toISOString()`, so equal instants written differently hash alike; null when
 * the text is not such a date (or names a calendar day that does not exist).
 */
export function isoInstantOf(value: string): string | null {
  return canonicalInstant(value) ?? isoInstantByPattern(value);
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The number written by the digits value[from, to), or -1 if any is not a digit. */
function digitsAt(value: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const d = value.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/**
 * Fast path for the two commonest spellings, a date (`2024-03-01`) and toISOString's own form
 * (`2024-03-01T14:30:00.000Z`): checked digit by digit, no Date needed. Null for anything else,
 * including years 0000–0099, which the pattern reading refuses (Date.UTC takes them for 1900–1999).
 */
function canonicalInstant(value: string): string | null {
  const n = value.length;
  if ((n !== 10 && n !== 24) || value.charCodeAt(4) !== 45 || value.charCodeAt(7) !== 45) return null;
  const y = digitsAt(value, 0, 4);
  const mo = digitsAt(value, 5, 7);
  const d = digitsAt(value, 8, 10);
  if (y < 100 || mo < 1 || mo > 12 || d < 1) return null;
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  if (d > (mo === 2 && leap ? 29 : DAYS_IN_MONTH[mo - 1])) return null;
  if (n === 10) return `${value}T00:00:00.000Z`;
  if (value[10] !== "T" || value[13] !== ":" || value[16] !== ":" || value[19] !== "." || value[23] !== "Z") return null;
  const h = digitsAt(value, 11, 13);
  const mi = digitsAt(value, 14, 16);
  const sec = digitsAt(value, 17, 19);
  if (h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 59 || digitsAt(value, 20, 23) < 0) return null;
  return value;
}

/** isoInstantOf without its fast path: the reference reading (a test holds the two equal). */
export function isoInstantByPattern(value: string): string | null {
  const m = ISO_INSTANT.exec(value);
  if (!m) return null;
  const [, y, mo, d, h = "00", mi = "00", s = "00", frac = "", zone = "Z"] = m;
  const ms = Number(frac.padEnd(3, "0").slice(0, 3));
  const local = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  const check = new Date(local);
  // Date.UTC rolls 2024-02-30 over into March; a calendar date that does not exist is a typo, not a date.
  if (
    check.getUTCFullYear() !== Number(y) ||
    check.getUTCMonth() !== Number(mo) - 1 ||
    check.getUTCDate() !== Number(d) ||
    Number(h) > 23 ||
    Number(mi) > 59 ||
    Number(s) > 59
  )
    return null;
  let offsetMinutes = 0;
  if (zone.toUpperCase() !== "Z") {
    const sign = zone.startsWith("-") ? -1 : 1;
    const digits = zone.slice(1).replace(":", "");
    offsetMinutes = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || "0"));
    if (Math.abs(offsetMinutes) > 14 * 60) return null;
  }
  return new Date(local - offsetMinutes * 60_000).toISOString();
}

const isoInstant = (field: string) =>
  z.string({ error: mustBe(field, "an ISO 8601 date") }).transform((raw, ctx) => {
    const value = raw.trim();
    const instant = isoInstantOf(value);
    if (instant !== null) return instant;
    ctx.addIssue({
      code: "custom",
      message: `${field}: ${quoted(value)} is not an ISO 8601 date (use YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS][Z|±HH:MM])`,
    });
    return z.NEVER;
  });

// When something happened: a real date, and a plausible one (not before 1970, not in the future
// beyond a few minutes of clock skew): a typo'd year would otherwise land in segmentation and the
// timeline.
const plausibleInstant = (field: string) =>
  isoInstant(field).superRefine((instant, ctx) => {
    const ms = Date.parse(instant);
    const problem = instantProblem(field, ms, { now: Date.now() });
    // The params tell the import page which of the two it was (crm-row-problems.ts).
    const params: ImplausibleParams = { implausible: ms < 0 ? "before_1970" : "future" };
    if (problem) ctx.addIssue({ code: "custom", message: problem, params });
  });

/**
 * A decimal amount. Either separator is accepted as the decimal mark because Spanish-locale exports
 * write `12,50`: with one kind of separator it is the decimal mark; with both (`1.234,56`, `1,234.56`)
 * the last one is, and the other groups thousands. Negative amounts are allowed: a refund or credit
 * note is a negative amount (segmentation nets it out of spend and does not count it as a purchase).
 * Null when the value is not such a number.
 */
export function decimalOf(raw: number | string): number | null {
  if (typeof raw === "number") return Number.isFinite(raw) ? raw : null;
  // Fast path: plain digits with an optional point, which every reading below takes as the decimal mark.
  if (/^-?\d+(?:\.\d+)?$/.test(raw)) return Number(raw);
  const value = raw.trim().replace(/\s/g, "");
  if (!/^[+-]?[\d.,]*\d[\d.,]*$/.test(value)) return null;
  const lastDot = value.lastIndexOf(".");
  const lastComma = value.lastIndexOf(",");
  const decimalMark = lastDot > lastComma ? "." : ",";
  const grouping = decimalMark === "." ? "," : ".";
  const parts = value.split(decimalMark);
  // The same mark twice is thousands grouping ("1.234.567") when the groups have three digits; else mangled.
  if (parts.length > 2) {
    const [head, ...groups] = parts;
    const grouped = /^[+-]?\d{1,3}$/.test(head) && groups.every((g) => /^\d{3}$/.test(g)) && !value.includes(grouping);
    return grouped ? Number(head + groups.join("")) : null;
  }
  const [whole, fraction] = parts;
  const digits = whole.split(grouping).join("") + (fraction !== undefined ? "." + fraction : "");
  const n = Number(digits);
  return Number.isFinite(n) ? n : null;
}

const decimalAmount = z.union([z.number(), z.string()], { error: mustBe("amount", "a number") }).transform((raw, ctx) => {
  const n = decimalOf(raw);
  if (n !== null) return n;
  ctx.addIssue({ code: "custom", message: `amount: ${quoted(raw)} is not a number (e.g. 1234.50 or 1234,50)` });
  return z.NEVER;
});

/** A word-like value (channel, event type) as stored: normalised, letters, digits and _; null if not one. */
export function wordOf(raw: string): string | null {
  const value = normaliseName(raw);
  return WORD.test(value) && value.length <= 64 ? value : null;
}

/** An event type as stored: a word, with the Spanish names of the known types read as those types. */
export function eventTypeOf(raw: string): string | null {
  const value = wordOf(raw);
  return value === null ? null : (EVENT_TYPE_ALIASES[value] ?? value);
}

const word = (field: string) =>
  z.string({ error: mustBe(field, "text") }).transform((raw, ctx) => {
    const value = wordOf(raw);
    if (value !== null) return value;
    ctx.addIssue({ code: "custom", message: `${field}: ${quoted(raw)} is not a word (letters, digits, _)` });
    return z.NEVER;
  });

const eventType = word("type").transform((t) => EVENT_TYPE_ALIASES[t] ?? t);

const currency = z
  .string({ error: "currency must be text" })
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]{3}$/, { error: (iss) => `currency: ${quoted(iss.input)} is not an ISO 4217 code (3 letters, e.g. EUR)` });

const touchpointKey = z
  .string({ error: "touchpoint_key must be text" })
  .trim()
  .toLowerCase()
  .max(64, { error: "touchpoint_key must be at most 64 characters" })
  .regex(SLUG, {
    error: (iss) => `touchpoint_key: ${quoted(iss.input)} is not a slug (lower-case words joined by hyphens)`,
  });

const language = z
  .string({ error: "language must be text" })
  .trim()
  .toLowerCase()
  // "es-CO" and "en_GB" carry the language we need in their first subtag.
  .transform((v) => v.split(/[-_]/)[0])
  .pipe(z.enum(["es", "en"], { error: (iss) => `language: ${quoted(iss.input)} is not supported (es or en)` }));

const email = z
  .string({ error: "email must be text" })
  .trim()
  .pipe(z.email({ error: (iss) => `email: ${quoted(iss.input)} is not an e-mail address` }));

const PHONE = /^\+?[\d\s().-]{6,30}$/;
const phone = z
  .string({ error: "phone must be text" })
  .trim()
  .regex(PHONE, { error: (iss) => `phone: ${quoted(iss.input)} is not a phone number` });

export const customerRecordSchema = z.object({
  external_id: required(text("external_id", 200)),
  name: optional(text("name", 200)),
  email: optional(email),
  phone: optional(phone),
  segment: optional(text("segment", 100)),
  notes: optional(text("notes", 2000)),
  created_at: optional(plausibleInstant("created_at")),
  language: optional(language),
});
// No `tier` field: the tier is computed from behaviour (segmentation.ts), never imported.

export const eventRecordSchema = z.object({
  external_id: optional(text("external_id", 200)),
  customer_external_id: required(text("customer_external_id", 200)),
  type: required(eventType),
  occurred_at: required(plausibleInstant("occurred_at")),
  amount: optional(decimalAmount),
  currency: optional(currency),
  channel: optional(word("channel")),
  touchpoint_key: optional(touchpointKey),
});

export type CustomerRecord = z.output<typeof customerRecordSchema>;
export type EventRecord = z.output<typeof eventRecordSchema>;
export type CustomerField = keyof CustomerRecord;
export type EventField = keyof EventRecord;
export type RecordOf<K extends CrmKind> = K extends "customers" ? CustomerRecord : EventRecord;
export type FieldOf<K extends CrmKind> = K extends "customers" ? CustomerField : EventField;

export type RecordParseResult<R> = { success: true; data: R } | { success: false; error: z.ZodError };

/** A pure function memoised for columns whose values repeat (type, channel): bounded, cleared when full. */
function memo<T>(fn: (raw: string) => T, limit = 10_000): (raw: string) => T {
  const cache = new Map<string, T>();
  return (raw) => {
    const hit = cache.get(raw);
    if (hit !== undefined || cache.has(raw)) return hit as T;
    const value = fn(raw);
    if (cache.size >= limit) cache.clear();
    cache.set(raw, value);
    return value;
  };
}

const memoEventType = memo(eventTypeOf);
const memoWord = memo(wordOf);
const trimmedText = (max: number) => (v: string) => {
  const t = v.trim();
  return t.length > max ? null : t;
};
// The fast path's plausibleInstant: an implausible instant goes to zod, which says why.
const plausibleInstantOf = (field: string, v: string) => {
  const instant = isoInstantOf(v.trim());
  return instant !== null && instantProblem(field, Date.parse(instant), { now: Date.now() }) === null ? instant : null;
};
// Per event field, the value its zod schema produces for a non-blank string, or null where zod would
// report an issue; each calls the same function as the schema's transform.
const EVENT_FIELD_VALUES: Record<EventField, (v: string) => unknown> = {
  external_id: trimmedText(200),
  customer_external_id: trimmedText(200),
  type: memoEventType,
  occurred_at: (v) => plausibleInstantOf("occurred_at", v),
  amount: decimalOf,
  currency: (v) => {
    const c = v.trim().toUpperCase();
    return /^[A-Z]{3}$/.test(c) ? c : null;
  },
  channel: memoWord,
  touchpoint_key: (v) => {
    const t = v.trim().toLowerCase();
    return t.length <= 64 && SLUG.test(t) ? t : null;
  },
};
const CUSTOMER_FIELD_VALUES: Record<CustomerField, (v: string) => unknown> = {
  external_id: trimmedText(200),
  name: trimmedText(200),
  email: (v) => {
    const t = v.trim();
    return z.regexes.email.test(t) ? t : null;
  },
  phone: (v) => {
    const t = v.trim();
    return PHONE.test(t) ? t : null;
  },
  segment: trimmedText(100),
  notes: trimmedText(2000),
  created_at: (v) => plausibleInstantOf("created_at", v),
  language: memo((v) => {
    const l = v.trim().toLowerCase().split(/[-_]/)[0];
    return l === "es" || l === "en" ? l : null;
  }),
};

/**
 * A schema's safeParse, several times faster on the rows of a million-row file: a row whose every
 * value is a string the field accepts is built directly (same values, same keys, in the schema's
 * order); any other row goes to zod, so every error message is zod's. A unit test holds the two equal.
 */
function fastParser<R>(
  schema: z.ZodType<R>,
  values: Record<string, (v: string) => unknown>,
  required: readonly string[],
): (raw: Record<string, unknown>) => RecordParseResult<R> {
  const fields = Object.keys(values);
  const mandatory = new Set(required);
  return (raw) => {
    const data: Record<string, unknown> = {};
    for (const field of fields) {
      if (!(field in raw)) {
        if (mandatory.has(field)) return schema.safeParse(raw);
        continue;
      }
      const v = raw[field];
      if (typeof v !== "string") return schema.safeParse(raw);
      if (v.trim() === "") {
        if (mandatory.has(field)) return schema.safeParse(raw);
        data[field] = undefined;
        continue;
      }
      const value = values[field](v);
      if (value === null) return schema.safeParse(raw);
      data[field] = value;
    }
    return { success: true, data: data as R };
  };
}

export const parseEventRecord = fastParser(eventRecordSchema, EVENT_FIELD_VALUES, ["customer_external_id", "type", "occurred_at"]);
export const parseCustomerRecord = fastParser(customerRecordSchema, CUSTOMER_FIELD_VALUES, ["external_id"]);

/** The row validator of a kind (same answers as its zod schema, faster). */
export function recordParserOf<K extends CrmKind>(kind: K): (raw: Record<string, unknown>) => RecordParseResult<RecordOf<K>> {
  return (kind === "events" ? parseEventRecord : parseCustomerRecord) as (raw: Record<string, unknown>) => RecordParseResult<RecordOf<K>>;
}

/** sha256 of the fields that make an event what it is; two deliveries of the same event hash alike. */
export function eventContentHash(event: EventRecord): string {
  const canonical = [
    event.customer_external_id,
    event.type,
    event.occurred_at,
    event.amount === undefined ? "" : String(event.amount),
    event.currency ?? "",
    event.channel ?? "",
    event.touchpoint_key ?? "",
  ];
  return createHash("sha256").update(JSON.stringify(canonical)).digest("hex");
}

/**
 * What makes two event rows the same event: the sender's id when it has one, otherwise the content hash
 * (so re-importing a file without ids does not double purchases). The prefixes keep the two spaces apart.
 */
export function eventDedupKey(event: EventRecord): string {
  return event.external_id !== undefined ? `id:${event.external_id}` : `sha256:${eventContentHash(event)}`;
}

export function recordSchemaOf(kind: CrmKind): typeof customerRecordSchema | typeof eventRecordSchema {
  return kind === "customers" ? customerRecordSchema : eventRecordSchema;
}
