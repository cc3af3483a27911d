// Follow-up cases of a workspace: opening one for a response (inside the response's transaction), the
// inbox with its filters and SLA report, and one case with its response and history. The steps a
// manager takes on a case are in case-steps.server.ts.
import type Database from "better-sqlite3";
import { and, asc, count, desc, eq, gte, inArray, isNull, lt, ne, notInArray, type SQL } from "drizzle-orm";
import { getDb } from "#db/client";
import { attributes, cases, customers, measurements, memberships, processes, responses, touchpoints, users } from "#db/schema/index";
import { can } from "~/auth/permissions";
import { allowedTransitions, caseStatuses, type CaseStatus } from "~/cem/case-flow";
import { attributeGaps, type CaseReason } from "~/cem/case-rules";
import type { CaseFilter } from "~/cem/case-inbox";
import { dueAt, isOverdue, slaReport, tierOf, type SlaSettings } from "~/cem/sla";
import { loadActSettings } from "./case-rules.server";

export { caseStatuses, type CaseStatus };

const DAY_MS = 86_400_000;

// ---- Opening (the ingest path: prepared statements on the caller's connection) ---------------------

type OpenStatements = {
  insertCase: Database.Statement<[number, number, number | null, number, string, string, number, number, number], { id: number }>;
  insertEvent: Database.Statement<[number, number, string, number]>;
  payload: Database.Statement<[number], CasePayloadRow>;
};
const openByDb = new WeakMap<Database.Database, OpenStatements>();

type CasePayloadRow = {
  id: number;
  status: string;
  tier: string;
  reasons: string;
  openedAt: number;
  dueAt: number;
  firstActionAt: number | null;
  resolvedAt: number | null;
  closedAt: number | null;
  responseId: number | null;
  touchpoint: string | null;
  customer: string | null;
  assignee: string | null;
};

function openStatements(sqlite: Database.Database): OpenStatements {
  let s = openByDb.get(sqlite);
  if (!s) {
    s = {
      // ON CONFLICT: a response opens one case at most, even if the hook ran twice.
      insertCase: sqlite.prepare(
        `INSERT INTO cases (workspace_id, response_id, customer_id, touchpoint_id, tier, reasons, status, opened_at, due_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, 'open', ?, ?, ?)
         ON CONFLICT (response_id) DO NOTHING RETURNING id`,
      ),
      insertEvent: sqlite.prepare(
        `INSERT INTO case_events (workspace_id, case_id, kind, to_status, note, at) VALUES (?, ?, 'opened', 'open', ?, ?)`,
      ),
      payload: sqlite.prepare(
        `SELECT c.id, c.status, c.tier, c.reasons, c.opened_at AS openedAt, c.due_at AS dueAt, c.first_action_at AS firstActionAt,
                c.resolved_at AS resolvedAt, c.closed_at AS closedAt, c.response_id AS responseId,
                t.key AS touchpoint, cu.external_id AS customer, u.email AS assignee
           FROM cases c
           LEFT JOIN touchpoints t ON t.id = c.touchpoint_id
           LEFT JOIN customers cu ON cu.id = c.customer_id
           LEFT JOIN users u ON u.id = c.assignee_id
          WHERE c.id = ?`,
      ),
    };
    openByDb.set(sqlite, s);
  }
  return s;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** The case as webhook receivers see it (keys and external ids, never internal row ids of other tables). */
export function casePayload(sqlite: Database.Database, caseId: number): Record<string, unknown> | null {
  const row = openStatements(sqlite).payload.get(caseId);
  if (!row) return null;
  let reasons: unknown = [];
  try {
    reasons = JSON.parse(row.reasons);
  } catch {
    reasons = [];
  }
  return {
    id: row.id,
    status: row.status,
    tier: tierOf(row.tier),
    reasons,
    responseId: row.responseId,
    touchpoint: row.touchpoint,
    customer: row.customer,
    assignee: row.assignee,
    openedAt: iso(row.openedAt),
    dueAt: iso(row.dueAt),
    firstActionAt: iso(row.firstActionAt),
    resolvedAt: iso(row.resolvedAt),
    closedAt: iso(row.closedAt),
  };
}

export type OpenCaseInput = {
  workspaceId: number;
  responseId: number;
  customerId: number | null;
  touchpointId: number;
  tier: string;
  reasons: CaseReason[];
};

/**
 * Opens the case of a response on the caller's connection (inside the response's transaction, so the
 * two commit or fail together). The SLA clock starts when the response is received, not when it was
 * completed: an answer pushed days late is still owed a full service level.
 */
export function openCaseForResponse(sqlite: Database.Database, input: OpenCaseInput, sla: SlaSettings, now: Date): number | null {
  const s = openStatements(sqlite);
  const at = now.getTime();
  const row = s.insertCase.get(
    input.workspaceId,
    input.responseId,
    input.customerId,
    input.touchpointId,
    input.tier,
    JSON.stringify(input.reasons),
    at,
    dueAt(now, input.tier, sla).getTime(),
    at,
  );
  if (!row) return null;
  s.insertEvent.run(input.workspaceId, row.id, input.reasons.map((r) => r.detail).join("\n"), at);
  return row.id;
}

// ---- The inbox ------------------------------------------------------------------------------------

export const CASES_PAGE_SIZE = 50;

function scopeConditions(workspaceId: number, filter: Omit<CaseFilter, "page">, userId: number): (SQL | undefined)[] {
  return [
    eq(cases.workspaceId, workspaceId),
    filter.tier === "generic"
      ? notInArray(cases.tier, ["premium", "regular"])
      : filter.tier
        ? eq(cases.tier, filter.tier)
        : undefined,
    filter.touchpoint ? eq(cases.touchpointId, filter.touchpoint) : undefined,
    filter.process ? eq(touchpoints.processId, filter.process) : undefined,
    filter.assignee === "me"
      ? eq(cases.assigneeId, userId)
      : filter.assignee === "none"
        ? isNull(cases.assigneeId)
        : typeof filter.assignee === "number"
          ? eq(cases.assigneeId, filter.assignee)
          : undefined,
  ];
}

function statusConditions(filter: CaseFilter, now: Date): (SQL | undefined)[] {
  const conditions: (SQL | undefined)[] = [];
  if (filter.status === "active") conditions.push(ne(cases.status, "closed"));
  else if (filter.status !== "all") conditions.push(eq(cases.status, filter.status));
  if (filter.overdue) {
    // isOverdue: unresolved past its due time.
    conditions.push(inArray(cases.status, ["open", "in_progress"]), lt(cases.dueAt, now));
  }
  return conditions;
}

const listColumns = {
  id: cases.id,
  status: cases.status,
  tier: cases.tier,
  reasons: cases.reasons,
  openedAt: cases.openedAt,
  dueAt: cases.dueAt,
  resolvedAt: cases.resolvedAt,
  customerId: cases.customerId,
  customerName: customers.name,
  customerExternalId: customers.externalId,
  touchpointId: cases.touchpointId,
  touchpointName: touchpoints.name,
  processName: processes.name,
  assigneeId: cases.assigneeId,
  assigneeName: users.name,
};

function casesQuery<T extends Record<string, unknown>>(columns: T) {
  return getDb()
    .select(columns as never)
    .from(cases)
    .leftJoin(touchpoints, eq(touchpoints.id, cases.touchpointId))
    .leftJoin(processes, eq(processes.id, touchpoints.processId))
    .leftJoin(customers, eq(customers.id, cases.customerId))
    .leftJoin(users, eq(users.id, cases.assigneeId));
}

export type CaseListItem = {
  id: number;
  status: CaseStatus;
  tier: string;
  reasons: CaseReason[];
  openedAt: Date;
  dueAt: Date;
  resolvedAt: Date | null;
  overdue: boolean;
  customerId: number | null;
  customerName: string | null;
  customerExternalId: string | null;
  touchpointId: number | null;
  touchpointName: string | null;
  processName: string | null;
  assigneeId: number | null;
  assigneeName: string | null;
};

/** One page of the inbox: due soonest first while work is pending, newest first otherwise. */
export function listCases(workspaceId: number, filter: CaseFilter, userId: number, now = new Date()) {
  const where = and(...scopeConditions(workspaceId, filter, userId), ...statusConditions(filter, now));
  const pending = filter.status === "active" || filter.status === "open" || filter.status === "in_progress";
  const rows = casesQuery(listColumns)
    .where(where)
    .orderBy(...(pending ? [asc(cases.dueAt), asc(cases.id)] : [desc(cases.openedAt), desc(cases.id)]))
    .limit(CASES_PAGE_SIZE)
    .offset((filter.page - 1) * CASES_PAGE_SIZE)
    .all() as unknown as Omit<CaseListItem, "overdue">[];
  const total = (casesQuery({ n: count() }).where(where).get() as unknown as { n: number }).n;
  const items: CaseListItem[] = rows.map((r) => ({ ...r, overdue: isOverdue(r, now) }));
  return { items, total, pages: Math.max(1, Math.ceil(total / CASES_PAGE_SIZE)) };
}

/** Open and in-progress cases past due, for the inbox's headline. */
export function overdueCount(workspaceId: number, now = new Date()): number {
  const row = getDb()
    .select({ n: count() })
    .from(cases)
    .where(and(eq(cases.workspaceId, workspaceId), inArray(cases.status, ["open", "in_progress"]), lt(cases.dueAt, now)))
    .get();
  return row?.n ?? 0;
}

/**
 * Time to first action and to resolution per process and per tier (app/cem/sla.ts) over the cases
 * opened in the period that match the tier, touchpoint, process and assignee filters. Status filters do
 * not apply: the report is about how the whole flow performs.
 */
export function caseSlaReport(workspaceId: number, filter: CaseFilter, userId: number, now = new Date()) {
  const since = filter.period === "all" ? undefined : new Date(now.getTime() - Number(filter.period) * DAY_MS);
  const rows = casesQuery({
    tier: cases.tier,
    process: processes.name,
    openedAt: cases.openedAt,
    firstActionAt: cases.firstActionAt,
    resolvedAt: cases.resolvedAt,
    dueAt: cases.dueAt,
  })
    .where(and(...scopeConditions(workspaceId, filter, userId), since ? gte(cases.openedAt, since) : undefined))
    .all() as unknown as { tier: string; process: string | null; openedAt: Date; firstActionAt: Date | null; resolvedAt: Date | null; dueAt: Date }[];
  const { sla } = loadActSettings(workspaceId);
  return slaReport(rows, { now, businessHours: sla.businessHours });
}

/** Touchpoints and processes to filter by (this workspace's only). */
export function caseFilterOptions(workspaceId: number) {
  const db = getDb();
  return {
    touchpoints: db
      .select({ id: touchpoints.id, name: touchpoints.name, key: touchpoints.key })
      .from(touchpoints)
      .where(eq(touchpoints.workspaceId, workspaceId))
      .orderBy(asc(touchpoints.name))
      .all(),
    processes: db
      .select({ id: processes.id, name: processes.name })
      .from(processes)
      .where(eq(processes.workspaceId, workspaceId))
      .orderBy(asc(processes.name))
      .all(),
  };
}

/** Members a case can be handed to: those whose role works cases. */
export function assignableMembers(workspaceId: number) {
  return getDb()
    .select({ id: users.id, name: users.name, email: users.email, role: memberships.role })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.workspaceId, workspaceId))
    .orderBy(asc(users.name))
    .all()
    .filter((m) => can(m.role, "cases:work"))
    .map(({ id, name, email }) => ({ id, name, email }));
}

// ---- One case --------------------------------------------------------------------------------------

export function caseRow(workspaceId: number, caseId: number) {
  if (!Number.isSafeInteger(caseId) || caseId <= 0) return undefined;
  return getDb()
    .select()
    .from(cases)
    .where(and(eq(cases.workspaceId, workspaceId), eq(cases.id, caseId)))
    .get();
}

export type CaseHistoryItem = {
  id: number;
  kind: "opened" | "status" | "assigned" | "note";
  fromStatus: CaseStatus | null;
  toStatus: CaseStatus | null;
  fromUser: string | null;
  toUser: string | null;
  note: string | null;
  by: string | null;
  at: Date;
};

/** A case with everything its page shows; null for an id of no case in this workspace. */
export function getCase(workspaceId: number, caseId: number, now = new Date()) {
  const row = caseRow(workspaceId, caseId);
  if (!row) return null;
  const db = getDb();
  const touchpoint = row.touchpointId
    ? db
        .select({ id: touchpoints.id, key: touchpoints.key, name: touchpoints.name, processName: processes.name })
        .from(touchpoints)
        .leftJoin(processes, eq(processes.id, touchpoints.processId))
        .where(and(eq(touchpoints.workspaceId, workspaceId), eq(touchpoints.id, row.touchpointId)))
        .get()
    : undefined;
  const customer = row.customerId
    ? db
        .select({ id: customers.id, name: customers.name, externalId: customers.externalId, email: customers.email, phone: customers.phone, tier: customers.tier })
        .from(customers)
        .where(and(eq(customers.workspaceId, workspaceId), eq(customers.id, row.customerId)))
        .get()
    : undefined;
  const response = row.responseId
    ? db
        .select({ id: responses.id, completedAt: responses.completedAt, comment: responses.comment, lang: responses.lang, source: responses.source })
        .from(responses)
        .where(and(eq(responses.workspaceId, workspaceId), eq(responses.id, row.responseId)))
        .get()
    : undefined;
  const measured = response
    ? db
        .select({ attributeKey: measurements.attributeKey, kind: measurements.kind, value: measurements.value })
        .from(measurements)
        .where(and(eq(measurements.workspaceId, workspaceId), eq(measurements.responseId, response.id)))
        .all()
    : [];
  const labels = row.touchpointId
    ? db
        .select({ key: attributes.key, es: attributes.labelEs, en: attributes.labelEn })
        .from(attributes)
        .where(and(eq(attributes.workspaceId, workspaceId), eq(attributes.touchpointId, row.touchpointId)))
        .orderBy(asc(attributes.position))
        .all()
    : [];
  const gaps = attributeGaps(measured.map((m) => ({ ...m, attributeKey: m.attributeKey || null })));
  const overall = measured.filter((m) => m.attributeKey === "" && ["nps", "csat", "ces"].includes(m.kind));
  const assignee = row.assigneeId ? db.select({ id: users.id, name: users.name }).from(users).where(eq(users.id, row.assigneeId)).get() : undefined;
  return {
    id: row.id,
    status: row.status,
    tier: row.tier,
    reasons: row.reasons as CaseReason[],
    openedAt: row.openedAt,
    dueAt: row.dueAt,
    firstActionAt: row.firstActionAt,
    resolvedAt: row.resolvedAt,
    closedAt: row.closedAt,
    overdue: isOverdue(row, now),
    next: allowedTransitions(row.status),
    assignee: assignee ?? null,
    touchpoint: touchpoint ?? null,
    customer: customer ?? null,
    response: response ? { ...response, gaps, overall, labels } : null,
    history: caseHistory(workspaceId, row.id),
  };
}

function caseHistory(workspaceId: number, caseId: number): CaseHistoryItem[] {
  const sqlite = getDb().$client;
  return (
    sqlite
      .prepare(
        `SELECT e.id, e.kind, e.from_status AS fromStatus, e.to_status AS toStatus, fu.name AS fromUser, tu.name AS toUser,
                e.note, bu.name AS "by", e.at
           FROM case_events e
           LEFT JOIN users fu ON fu.id = e.from_user_id
           LEFT JOIN users tu ON tu.id = e.to_user_id
           LEFT JOIN users bu ON bu.id = e.by_user_id
          WHERE e.workspace_id = ? AND e.case_id = ?
          ORDER BY e.at, e.id`,
      )
      .all(workspaceId, caseId) as (Omit<CaseHistoryItem, "at"> & { at: number })[]
  ).map((e) => ({ ...e, at: new Date(e.at) }));
}

// ---- Elsewhere in the app --------------------------------------------------------------------------

/** A customer's cases, newest first (the customer page's "Cases" section). */
export function casesForCustomer(workspaceId: number, customerId: number, now = new Date()) {
  return getDb()
    .select({
      id: cases.id,
      status: cases.status,
      tier: cases.tier,
      reasons: cases.reasons,
      openedAt: cases.openedAt,
      dueAt: cases.dueAt,
      resolvedAt: cases.resolvedAt,
      touchpointName: touchpoints.name,
    })
    .from(cases)
    .leftJoin(touchpoints, eq(touchpoints.id, cases.touchpointId))
    .where(and(eq(cases.workspaceId, workspaceId), eq(cases.customerId, customerId)))
    .orderBy(desc(cases.openedAt), desc(cases.id))
    .limit(100)
    .all()
    .map((c) => ({ ...c, reasons: c.reasons as CaseReason[], overdue: isOverdue(c, now) }));
}

/** Cases for the API: the newest first, optionally by status and those updated since an instant. */
export function casesForApi(workspaceId: number, options: { status?: CaseStatus; updatedSince?: Date; limit: number }) {
  const sqlite = getDb().$client;
  const ids = getDb()
    .select({ id: cases.id })
    .from(cases)
    .where(
      and(
        eq(cases.workspaceId, workspaceId),
        options.status ? eq(cases.status, options.status) : undefined,
        options.updatedSince ? gte(cases.updatedAt, options.updatedSince) : undefined,
      ),
    )
    .orderBy(desc(cases.updatedAt), desc(cases.id))
    .limit(options.limit)
    .all();
  return ids.map(({ id }) => casePayload(sqlite, id)).filter((c): c is Record<string, unknown> => c !== null);
}
