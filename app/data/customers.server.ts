// Customers of a workspace: upserts by external id (CSV import and API share one writer), the list
// with search, filters, sorting and paging, the CSV export, and one customer with its tier history.
import { and, asc, count, desc, eq, gt, inArray, isNull, or, sql, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import { z } from "zod";
import { asIs, chunkStatement, WRITE_CHUNK, type Cells } from "./chunked-writes.server";
import { getDb, isPostgres, type Tx } from "#db/client";
import { customers, customerTiers } from "#db/schema/index";
import { customerRecordSchema, type CustomerRecord } from "~/cem/crm-records";
import { RFM_SEGMENTS, type RfmSegment } from "~/cem/rfm";
import { TIERS, type Tier } from "~/cem/segmentation";

export type WriteStatus = "created" | "updated" | "unchanged";

/** What a batch write answers (the API's body): counts, and one entry per rejected item. */
export type BatchResult = {
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  errors: { index: number; externalId?: string; errors: string[] }[];
};

export const MAX_BATCH_ITEMS = 1000;

/**
 * A customer as written: null means "not given", and a field not given keeps what is stored, so a
 * file that lacks the e-mail column (or leaves a cell blank) never erases an e-mail already known.
 */
export type CustomerRow = {
  externalId: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  language: string | null;
  notes: string | null;
  customerSince: number | null;
};

export function customerRowOf(record: CustomerRecord): CustomerRow {
  return {
    externalId: record.external_id,
    name: record.name ?? null,
    email: record.email ?? null,
    phone: record.phone ?? null,
    language: record.language ?? null,
    notes: record.notes ?? null,
    customerSince: record.created_at ? Date.parse(record.created_at) : null,
  };
}

const KEPT = ["name", "email", "phone", "language", "notes", "customerSince"] as const;

type StoredCustomer = Record<(typeof KEPT)[number], string | number | null> & { id?: number };
type NewCustomer = {
  workspaceId: number;
  externalId: string;
  name: string;
  email: string | null;
  phone: string | null;
  language: string | null;
  notes: string | null;
  /** Epoch milliseconds (bound as is). */
  customerSince: number | null;
};

/**
 * A writer bound to one workspace inside the caller's transaction `tx` (it does not open one, so a
 * whole file or batch commits or rolls back as one). It writes rows a chunk at a time (one read of
 * the chunk's customers, one multi-row insert of the new ones, an update per changed one) and
 * answers each row's status in input order, as if the rows had been written one by one: a customer
 * named twice is created by the first row and compared with what that row stored by the next.
 */
export function prepareCustomerWriter(tx: Tx, workspaceId: number): (rows: readonly CustomerRow[]) => Promise<WriteStatus[]> {
  const select = chunkStatement(["workspaceId", "externalId"], (keys: Cells<{ workspaceId: number; externalId: string }>[]) =>
    tx
      .select({
        id: customers.id,
        externalId: customers.externalId,
        name: customers.name,
        email: customers.email,
        phone: customers.phone,
        language: customers.language,
        notes: customers.notes,
        customerSince: customers.customerSince,
      })
      .from(customers)
      .where(
        and(
          eq(customers.workspaceId, keys[0].workspaceId),
          inArray(
            customers.externalId,
            keys.map((k) => k.externalId),
          ),
        ),
      ),
  );
  const insert = chunkStatement(
    ["workspaceId", "externalId", "name", "email", "phone", "language", "notes", "customerSince"],
    (values: Cells<NewCustomer>[]) =>
      tx
        .insert(customers)
        .values(values.map(asIs))
        .returning({ id: customers.id, externalId: customers.externalId }),
    { instants: ["customerSince"] },
  );
  let update:
    | { execute(values: { id: number; name: string; email: string | null; phone: string | null; language: string | null; notes: string | null; since: number | null; at: number }): Promise<unknown> }
    | undefined;
  const updateCustomer = (id: number, s: StoredCustomer) => {
    if (isPostgres()) {
      // A plain update: PostgreSQL's driver takes a Date for the timestamptz, not epoch milliseconds.
      return tx
        .update(customers)
        .set({
          name: s.name as string,
          email: s.email as string | null,
          phone: s.phone as string | null,
          language: s.language as string | null,
          notes: s.notes as string | null,
          customerSince: s.customerSince === null ? null : new Date(s.customerSince as number),
          updatedAt: new Date(),
        })
        .where(eq(customers.id, id));
    }
    const p = (name: string) => sql`${sql.placeholder(name)}`;
    update ??= tx
      .update(customers)
      .set({ name: p("name"), email: p("email"), phone: p("phone"), language: p("language"), notes: p("notes"), customerSince: p("since"), updatedAt: p("at") })
      .where(eq(customers.id, sql.placeholder("id")))
      .prepare();
    return update.execute({
      id,
      name: s.name as string,
      email: s.email as string | null,
      phone: s.phone as string | null,
      language: s.language as string | null,
      notes: s.notes as string | null,
      since: s.customerSince as number | null,
      at: Date.now(),
    });
  };

  const writeChunk = async (rows: readonly CustomerRow[]): Promise<WriteStatus[]> => {
    const externalIds = [...new Set(rows.map((row) => row.externalId))];
    const state = new Map<string, StoredCustomer>();
    for (const { externalId, customerSince, ...rest } of await select(externalIds.map((externalId) => ({ workspaceId, externalId })))) {
      state.set(externalId, { ...rest, customerSince: customerSince ? customerSince.getTime() : null });
    }
    const created: string[] = [];
    const changed = new Set<string>();
    const statuses = rows.map((row): WriteStatus => {
      const existing = state.get(row.externalId);
      if (!existing) {
        state.set(row.externalId, { name: row.name ?? "", email: row.email, phone: row.phone, language: row.language, notes: row.notes, customerSince: row.customerSince });
        created.push(row.externalId);
        return "created";
      }
      if (KEPT.every((field) => row[field] === null || row[field] === existing[field])) return "unchanged";
      for (const field of KEPT) if (row[field] !== null) existing[field] = row[field];
      changed.add(row.externalId);
      return "updated";
    });
    // New customers go in with what their last row leaves (the rows naming one again may change it).
    if (created.length > 0) {
      const inserted = await insert(
        created.map((externalId) => {
          const s = state.get(externalId)!;
          return {
            workspaceId,
            externalId,
            name: s.name as string,
            email: s.email as string | null,
            phone: s.phone as string | null,
            language: s.language as string | null,
            notes: s.notes as string | null,
            customerSince: s.customerSince as number | null,
          };
        }),
      );
      for (const c of inserted) state.get(c.externalId)!.id = c.id;
    }
    for (const externalId of changed) {
      const s = state.get(externalId)!;
      await updateCustomer(s.id!, s);
    }
    return statuses;
  };
  return async (rows) => {
    const statuses: WriteStatus[] = [];
    for (let i = 0; i < rows.length; i += WRITE_CHUNK) statuses.push(...(await writeChunk(rows.slice(i, i + WRITE_CHUNK))));
    return statuses;
  };
}

/** zod issues as the sentences the CSV report uses ("email: "x" is not an e-mail address"). */
export function issueMessages(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string[] {
  return issues.map((issue) => {
    const field = issue.path.map(String).join(".");
    return field && !issue.message.startsWith(field) ? `${field}: ${issue.message}` : issue.message;
  });
}

export const isJsonObject = (item: unknown): item is Record<string, unknown> =>
  typeof item === "object" && item !== null && !Array.isArray(item);

export const externalIdOf = (item: unknown) =>
  isJsonObject(item) && typeof item.external_id === "string" ? item.external_id : undefined;

export type BatchBody = { ok: true; items: unknown[] } | { ok: false; error: string; message: string };

/** The body of a batch POST: a JSON array of at most MAX_BATCH_ITEMS items. */
export function parseBatchBody(text: string, what: "customers" | "events"): BatchBody {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { ok: false, error: "invalid_json", message: `The body is not JSON. Send a JSON array of ${what}, e.g. [{"external_id": "C-1042"}].` };
  }
  if (!Array.isArray(body)) {
    return { ok: false, error: "not_an_array", message: `Send a JSON array of ${what} (at most ${MAX_BATCH_ITEMS} per request), not a single object.` };
  }
  if (body.length > MAX_BATCH_ITEMS) {
    return {
      ok: false,
      error: "batch_too_large",
      message: `${body.length} ${what} in one request; send at most ${MAX_BATCH_ITEMS} per request (split the batch).`,
    };
  }
  return { ok: true, items: body };
}

export function emptyBatchResult(): BatchResult {
  return { created: 0, updated: 0, unchanged: 0, rejected: 0, errors: [] };
}

/**
 * POST /api/v1/customers: each valid item is upserted, each invalid one reported by its index; the
 * valid ones commit together. Sending the same batch again answers "unchanged" for every item.
 */
export async function upsertCustomerItems(workspaceId: number, items: readonly unknown[]): Promise<BatchResult> {
  const result = emptyBatchResult();
  const valid: CustomerRow[] = [];
  items.forEach((item, index) => {
    if (!isJsonObject(item)) {
      result.errors.push({ index, errors: ["each item must be a JSON object with at least external_id"] });
      return;
    }
    const parsed = customerRecordSchema.safeParse(item);
    if (parsed.success) valid.push(customerRowOf(parsed.data));
    else result.errors.push({ index, externalId: externalIdOf(item), errors: issueMessages(parsed.error.issues) });
  });
  result.rejected = result.errors.length;
  await getDb().transaction(async (tx) => {
    const write = prepareCustomerWriter(tx, workspaceId);
    for (const status of await write(valid)) result[status]++;
  });
  return result;
}

// ---- The list ------------------------------------------------------------------------------------

export const CUSTOMER_SORTS = ["value", "value_asc", "frequency", "recent", "name", "newest"] as const;
export type CustomerSort = (typeof CUSTOMER_SORTS)[number];
export const TIER_FILTERS = [...TIERS, "none"] as const;

export type CustomerFilter = {
  q?: string;
  tier?: Tier | "none";
  segment?: RfmSegment;
};

export const CUSTOMERS_PAGE_SIZE = 50;

// A bad value in the URL falls back to "no filter" rather than failing: lists are bookmarked and shared.
const CustomerQuerySchema = z.object({
  q: z.string().trim().max(200).optional().catch(undefined),
  tier: z.enum(TIER_FILTERS).optional().catch(undefined),
  segment: z.enum(RFM_SEGMENTS).optional().catch(undefined),
  sort: z.enum(CUSTOMER_SORTS).default("value").catch("value"),
  page: z.coerce.number().int().min(1).default(1).catch(1),
});

/** Filter, sort and page of the list (and the export) from the query string. */
export function parseCustomerQuery(params: URLSearchParams): { filter: CustomerFilter; sort: CustomerSort; page: number } {
  const raw = Object.fromEntries([...params].filter(([, v]) => v !== ""));
  const { q, tier, segment, sort, page } = CustomerQuerySchema.parse(raw);
  return { filter: { q: q || undefined, tier, segment }, sort, page };
}

// LIKE treats % and _ as wildcards; a search for "50%" means the characters.
const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

// SQLite's LIKE ignores case (ASCII); PostgreSQL's does not, its ILIKE does.
const likeOperator = () => sql.raw(isPostgres() ? "ilike" : "like");

function customerWhere(workspaceId: number, filter: CustomerFilter): SQL | undefined {
  const q = filter.q?.trim();
  const pattern = q ? likePattern(q) : null;
  const like = likeOperator();
  return and(
    eq(customers.workspaceId, workspaceId),
    pattern
      ? or(
          sql`${customers.externalId} ${like} ${pattern} escape '\\'`,
          sql`${customers.name} ${like} ${pattern} escape '\\'`,
          sql`${customers.email} ${like} ${pattern} escape '\\'`,
        )
      : undefined,
    filter.tier === "none" ? isNull(customers.tier) : filter.tier ? eq(customers.tier, filter.tier) : undefined,
    filter.segment && (RFM_SEGMENTS as readonly string[]).includes(filter.segment) ? eq(customers.rfmSegment, filter.segment) : undefined,
  );
}

/** Descending with NULL last: customers never segmented sink (SQLite's default, not PostgreSQL's). */
const descNullsLast = (column: SQLiteColumn) => sql`${column} desc nulls last`;

function sortOrder(sort: CustomerSort): SQL[] {
  switch (sort) {
    case "value":
      return [descNullsLast(customers.monetary), asc(customers.id)];
    case "value_asc":
      return [sql`${customers.monetary} is null`, asc(customers.monetary), asc(customers.id)];
    case "frequency":
      return [descNullsLast(customers.frequency), descNullsLast(customers.monetary), asc(customers.id)];
    case "recent":
      return [descNullsLast(customers.lastPurchaseAt), asc(customers.id)];
    case "name":
      return [asc(sql`lower(${customers.name})`), asc(customers.externalId)];
    case "newest":
      return [desc(customers.createdAt), desc(customers.id)];
  }
}

const listColumns = {
  id: customers.id,
  externalId: customers.externalId,
  name: customers.name,
  email: customers.email,
  tier: customers.tier,
  tierScore: customers.tierScore,
  rfmR: customers.rfmR,
  rfmF: customers.rfmF,
  rfmM: customers.rfmM,
  rfmSegment: customers.rfmSegment,
  monetary: customers.monetary,
  frequency: customers.frequency,
  lastPurchaseAt: customers.lastPurchaseAt,
};

/** One page of customers matching the filter (the page is clamped into range). */
export async function listCustomers(
  workspaceId: number,
  filter: CustomerFilter,
  sort: CustomerSort = "value",
  page = 1,
  pageSize = CUSTOMERS_PAGE_SIZE,
) {
  const db = getDb();
  const where = customerWhere(workspaceId, filter);
  const [counted] = await db.select({ n: count() }).from(customers).where(where);
  const total = counted?.n ?? 0;
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const current = Math.min(Math.max(1, Math.floor(page) || 1), pages);
  const rows = await db
    .select(listColumns)
    .from(customers)
    .where(where)
    .orderBy(...sortOrder(sort))
    .limit(pageSize)
    .offset((current - 1) * pageSize);
  return { rows, total, page: current, pages, pageSize };
}

export async function customerCount(workspaceId: number): Promise<number> {
  const [row] = await getDb().select({ n: count() }).from(customers).where(eq(customers.workspaceId, workspaceId));
  return row?.n ?? 0;
}

// ---- CSV export ----------------------------------------------------------------------------------

/** The export's columns; the identity columns carry the import's header names, so an export re-imports. */
export const CUSTOMER_EXPORT_HEADER = [
  "external_id",
  "name",
  "email",
  "phone",
  "language",
  "created_at",
  "tier",
  "tier_score",
  "rfm_r",
  "rfm_f",
  "rfm_m",
  "rfm_segment",
  "frequency",
  "monetary",
  "last_purchase_at",
] as const;

/**
 * RFC 4180 quoting. Free text a spreadsheet would run as a formula (OWASP "CSV injection") gets a
 * leading apostrophe; only names and e-mails are free text here (a phone's "+" is not a formula).
 */
function csvCell(value: string | number | null | undefined, freeText = false): string {
  if (value === null || value === undefined) return "";
  let text = String(value);
  if (freeText && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

const EXPORT_CHUNK = 2000;

/**
 * Every customer matching the filter as CSV, streamed in id order a few thousand rows at a time
 * (keyset paging), so a workspace of a million customers never sits in memory.
 */
export function customersCsvStream(workspaceId: number, filter: CustomerFilter): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let afterId = 0;
  let headerSent = false;
  const iso = (d: Date | null) => (d ? d.toISOString() : "");
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!headerSent) {
        headerSent = true;
        controller.enqueue(encoder.encode("\uFEFF" + CUSTOMER_EXPORT_HEADER.join(",") + "\r\n"));
        return;
      }
      const rows = await getDb()
        .select({ ...listColumns, phone: customers.phone, language: customers.language, customerSince: customers.customerSince })
        .from(customers)
        .where(and(customerWhere(workspaceId, filter), gt(customers.id, afterId)))
        .orderBy(asc(customers.id))
        .limit(EXPORT_CHUNK);
      if (rows.length === 0) {
        controller.close();
        return;
      }
      afterId = rows[rows.length - 1].id;
      let text = "";
      for (const r of rows) {
        text +=
          [
            csvCell(r.externalId, true),
            csvCell(r.name, true),
            csvCell(r.email, true),
            csvCell(r.phone),
            csvCell(r.language),
            iso(r.customerSince),
            csvCell(r.tier),
            csvCell(r.tierScore === null ? null : Math.round(r.tierScore * 1e4) / 1e4),
            csvCell(r.rfmR),
            csvCell(r.rfmF),
            csvCell(r.rfmM),
            csvCell(r.rfmSegment),
            csvCell(r.frequency),
            csvCell(r.monetary === null ? null : Math.round(r.monetary * 100) / 100),
            iso(r.lastPurchaseAt),
          ].join(",") + "\r\n";
      }
      controller.enqueue(encoder.encode(text));
    },
  });
}

// ---- One customer --------------------------------------------------------------------------------

/** A customer of this workspace, or null (another workspace's id behaves like a missing one). */
export async function getCustomer(workspaceId: number, id: number) {
  if (!Number.isSafeInteger(id) || id <= 0) return null;
  const [row] = await getDb()
    .select()
    .from(customers)
    .where(and(eq(customers.workspaceId, workspaceId), eq(customers.id, id)))
    .limit(1);
  return row ?? null;
}

export async function customerIdByExternalId(workspaceId: number, externalId: string): Promise<number | null> {
  const [row] = await getDb()
    .select({ id: customers.id })
    .from(customers)
    .where(and(eq(customers.workspaceId, workspaceId), eq(customers.externalId, externalId)))
    .limit(1);
  return row?.id ?? null;
}

/** Tier changes, newest first (a row per first computation and per change). */
export async function customerTierHistory(workspaceId: number, customerId: number) {
  return await getDb()
    .select({ tier: customerTiers.tier, score: customerTiers.score, computedAt: customerTiers.computedAt })
    .from(customerTiers)
    .where(and(eq(customerTiers.workspaceId, workspaceId), eq(customerTiers.customerId, customerId)))
    .orderBy(desc(customerTiers.computedAt), desc(customerTiers.id));
}
