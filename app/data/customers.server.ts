// Customers of a workspace in the database: upserts by external id (the CSV import and the API share one
// writer), the list with search, filters, sorting and paging, the export's rows in chunks, and one
// customer with its tier history. Parsing requests and writing CSV live at the boundary (app/api,
// app/web); this module takes and returns plain values.
import { and, asc, count, desc, eq, gt, inArray, isNull, or, sql, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import { asIs, chunkStatement, WRITE_CHUNK, type Cells } from "./chunked-writes.server";
import { getDb, isPostgres, type Tx } from "#db/client";
import { customers, customerTiers } from "#db/schema/index";
import type { CustomerRecord } from "~/cem/crm-records";
import { RFM_SEGMENTS, type RfmSegment } from "~/cem/rfm";
import { TIERS, type Tier } from "~/cem/segmentation";

export type WriteStatus = "created" | "updated" | "unchanged";

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

/**
 * Writes the rows in one transaction (all of them or none) and answers each row's status in input
 * order. Sending the same rows again answers "unchanged" for every one.
 */
export async function upsertCustomerRows(workspaceId: number, rows: readonly CustomerRow[]): Promise<WriteStatus[]> {
  return await getDb().transaction(async (tx) => await prepareCustomerWriter(tx, workspaceId)(rows));
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

// ---- The export's rows ---------------------------------------------------------------------------

const EXPORT_CHUNK = 2000;

/** One chunk of the export: up to EXPORT_CHUNK customers after `afterId`, in id order. */
function exportChunkAfter(workspaceId: number, filter: CustomerFilter, afterId: number) {
  return getDb()
    .select({ ...listColumns, phone: customers.phone, language: customers.language, customerSince: customers.customerSince })
    .from(customers)
    .where(and(customerWhere(workspaceId, filter), gt(customers.id, afterId)))
    .orderBy(asc(customers.id))
    .limit(EXPORT_CHUNK);
}

/** A customer as the export reads it: the list's columns plus phone, language and customer since. */
export type CustomerExportRow = Awaited<ReturnType<typeof exportChunkAfter>>[number];

/**
 * Every customer matching the filter, in id order, a few thousand rows at a time (keyset paging), so
 * a workspace of a million customers never sits in memory. Each chunk is read when it is asked for.
 */
export async function* customerExportChunks(workspaceId: number, filter: CustomerFilter): AsyncGenerator<CustomerExportRow[]> {
  let afterId = 0;
  for (;;) {
    const rows = await exportChunkAfter(workspaceId, filter, afterId);
    if (rows.length === 0) return;
    afterId = rows[rows.length - 1].id;
    yield rows;
  }
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
