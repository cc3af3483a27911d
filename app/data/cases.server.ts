// Follow-up cases of a workspace: the inbox with its filters and SLA report, and one case with its
// response and history. Opening a case for a response (and its webhook payload) is in
// case-opening.server.ts; the steps a manager takes on a case, in case-steps.server.ts.
import { and, asc, count, desc, eq, gte, inArray, isNull, lt, ne, notInArray, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import { getDb, isPostgres, jsonText } from "#db/client";
import { instantValue, queryText, runText } from "#db/statement-text";
import { attributes, caseEvents, cases, customers, measurements, memberships, processes, responses, touchpoints, users } from "#db/schema/index";
import { can } from "~/auth/permissions";
import { allowedTransitions, caseStatuses, type CaseStatus } from "~/cem/case-flow";
import { attributeGaps, type CaseReason } from "~/cem/case-rules";
import type { CaseFilter } from "~/cem/case-inbox";
import { dueAt, isOverdue, slaReport, tierOf, type SlaSettings } from "~/cem/sla";
import { loadActSettings } from "./case-rules.server";

export { caseStatuses, type CaseStatus };

const DAY_MS = 86_400_000;

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
  touchpointNameEn: touchpoints.nameEn,
  processName: processes.name,
  processNameEn: processes.nameEn,
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
  touchpointNameEn: string | null;
  processName: string | null;
  processNameEn: string | null;
  assigneeId: number | null;
  assigneeName: string | null;
};

/** One page of the inbox: due soonest first while work is pending, newest first otherwise. */
export async function listCases(workspaceId: number, filter: CaseFilter, userId: number, now = new Date()) {
  const where = and(...scopeConditions(workspaceId, filter, userId), ...statusConditions(filter, now));
  const pending = filter.status === "active" || filter.status === "open" || filter.status === "in_progress";
  const rows = (await casesQuery(listColumns)
    .where(where)
    .orderBy(...(pending ? [asc(cases.dueAt), asc(cases.id)] : [desc(cases.openedAt), desc(cases.id)]))
    .limit(CASES_PAGE_SIZE)
    .offset((filter.page - 1) * CASES_PAGE_SIZE)) as unknown as Omit<CaseListItem, "overdue">[];
  const [counted] = (await casesQuery({ n: count() }).where(where).limit(1)) as unknown as { n: number }[];
  const total = counted.n;
  const items: CaseListItem[] = rows.map((r) => ({ ...r, overdue: isOverdue(r, now) }));
  return { items, total, pages: Math.max(1, Math.ceil(total / CASES_PAGE_SIZE)) };
}

/** Open and in-progress cases past due, for the inbox's headline. */
export async function overdueCount(workspaceId: number, now = new Date()): Promise<number> {
  const [row] = await getDb()
    .select({ n: count() })
    .from(cases)
    .where(and(eq(cases.workspaceId, workspaceId), inArray(cases.status, ["open", "in_progress"]), lt(cases.dueAt, now)))
    .limit(1);
  return row?.n ?? 0;
}

/**
 * Time to first action and to resolution per process and per tier (app/cem/sla.ts) over the cases
 * opened in the period that match the tier, touchpoint, process and assignee filters. Status filters do
 * not apply: the report is about how the whole flow performs.
 */
export async function caseSlaReport(workspaceId: number, filter: CaseFilter, userId: number, now = new Date()) {
  const since = filter.period === "all" ? undefined : new Date(now.getTime() - Number(filter.period) * DAY_MS);
  const rows = (await casesQuery({
    tier: cases.tier,
    process: processes.name,
    openedAt: cases.openedAt,
    firstActionAt: cases.firstActionAt,
    resolvedAt: cases.resolvedAt,
    dueAt: cases.dueAt,
  })
    .where(and(...scopeConditions(workspaceId, filter, userId), since ? gte(cases.openedAt, since) : undefined))) as unknown as {
    tier: string;
    process: string | null;
    openedAt: Date;
    firstActionAt: Date | null;
    resolvedAt: Date | null;
    dueAt: Date;
  }[];
  const { sla } = await loadActSettings(workspaceId);
  return slaReport(rows, { now, businessHours: sla.businessHours });
}

/** Touchpoints and processes to filter by (this workspace's only). */
export async function caseFilterOptions(workspaceId: number) {
  const db = getDb();
  return {
    touchpoints: await db
      .select({ id: touchpoints.id, name: touchpoints.name, nameEn: touchpoints.nameEn, key: touchpoints.key })
      .from(touchpoints)
      .where(eq(touchpoints.workspaceId, workspaceId))
      .orderBy(asc(touchpoints.name)),
    processes: await db
      .select({ id: processes.id, name: processes.name, nameEn: processes.nameEn })
      .from(processes)
      .where(eq(processes.workspaceId, workspaceId))
      .orderBy(asc(processes.name)),
  };
}

/** Members a case can be handed to: those whose role works cases. */
export async function assignableMembers(workspaceId: number) {
  const members = await getDb()
    .select({ id: users.id, name: users.name, email: users.email, role: memberships.role })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.workspaceId, workspaceId))
    .orderBy(asc(users.name));
  return members
    .filter((m) => can(m.role, "cases:work"))
    .map(({ id, name, email }) => ({ id, name, email }));
}

// ---- One case --------------------------------------------------------------------------------------

export async function caseRow(workspaceId: number, caseId: number) {
  if (!Number.isSafeInteger(caseId) || caseId <= 0) return undefined;
  const [row] = await getDb()
    .select()
    .from(cases)
    .where(and(eq(cases.workspaceId, workspaceId), eq(cases.id, caseId)))
    .limit(1);
  return row;
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
export async function getCase(workspaceId: number, caseId: number, now = new Date()) {
  const row = await caseRow(workspaceId, caseId);
  if (!row) return null;
  const db = getDb();
  const [touchpoint] = row.touchpointId
    ? await db
        .select({ id: touchpoints.id, key: touchpoints.key, name: touchpoints.name, nameEn: touchpoints.nameEn, processName: processes.name, processNameEn: processes.nameEn })
        .from(touchpoints)
        .leftJoin(processes, eq(processes.id, touchpoints.processId))
        .where(and(eq(touchpoints.workspaceId, workspaceId), eq(touchpoints.id, row.touchpointId)))
        .limit(1)
    : [];
  const [customer] = row.customerId
    ? await db
        .select({ id: customers.id, name: customers.name, externalId: customers.externalId, email: customers.email, phone: customers.phone, tier: customers.tier })
        .from(customers)
        .where(and(eq(customers.workspaceId, workspaceId), eq(customers.id, row.customerId)))
        .limit(1)
    : [];
  const [response] = row.responseId
    ? await db
        .select({ id: responses.id, completedAt: responses.completedAt, comment: responses.comment, lang: responses.lang, source: responses.source })
        .from(responses)
        .where(and(eq(responses.workspaceId, workspaceId), eq(responses.id, row.responseId)))
        .limit(1)
    : [];
  const measured = response
    ? await db
        .select({ attributeKey: measurements.attributeKey, kind: measurements.kind, value: measurements.value })
        .from(measurements)
        .where(and(eq(measurements.workspaceId, workspaceId), eq(measurements.responseId, response.id)))
    : [];
  const labels = row.touchpointId
    ? await db
        .select({ key: attributes.key, es: attributes.labelEs, en: attributes.labelEn })
        .from(attributes)
        .where(and(eq(attributes.workspaceId, workspaceId), eq(attributes.touchpointId, row.touchpointId)))
        .orderBy(asc(attributes.position))
    : [];
  const gaps = attributeGaps(measured.map((m) => ({ ...m, attributeKey: m.attributeKey || null })));
  const overall = measured.filter((m) => m.attributeKey === "" && ["nps", "csat", "ces"].includes(m.kind));
  const [assignee] = row.assigneeId ? await db.select({ id: users.id, name: users.name }).from(users).where(eq(users.id, row.assigneeId)).limit(1) : [];
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
    history: await caseHistory(workspaceId, row.id),
  };
}

const fromUsers = alias(users, "fu");
const toUsers = alias(users, "tu");
const byUsers = alias(users, "bu");

async function caseHistory(workspaceId: number, caseId: number): Promise<CaseHistoryItem[]> {
  return getDb()
    .select({
      id: caseEvents.id,
      kind: caseEvents.kind,
      fromStatus: caseEvents.fromStatus,
      toStatus: caseEvents.toStatus,
      fromUser: fromUsers.name,
      toUser: toUsers.name,
      note: caseEvents.note,
      by: byUsers.name,
      at: caseEvents.at,
    })
    .from(caseEvents)
    .leftJoin(fromUsers, eq(fromUsers.id, caseEvents.fromUserId))
    .leftJoin(toUsers, eq(toUsers.id, caseEvents.toUserId))
    .leftJoin(byUsers, eq(byUsers.id, caseEvents.byUserId))
    .where(and(eq(caseEvents.workspaceId, workspaceId), eq(caseEvents.caseId, caseId)))
    .orderBy(asc(caseEvents.at), asc(caseEvents.id));
}

// ---- Elsewhere in the app --------------------------------------------------------------------------

/** A customer's cases, newest first (the customer page's "Cases" section). */
export async function casesForCustomer(workspaceId: number, customerId: number, now = new Date()) {
  const rows = await getDb()
    .select({
      id: cases.id,
      status: cases.status,
      tier: cases.tier,
      reasons: cases.reasons,
      openedAt: cases.openedAt,
      dueAt: cases.dueAt,
      resolvedAt: cases.resolvedAt,
      touchpointName: touchpoints.name,
      touchpointNameEn: touchpoints.nameEn,
    })
    .from(cases)
    .leftJoin(touchpoints, eq(touchpoints.id, cases.touchpointId))
    .where(and(eq(cases.workspaceId, workspaceId), eq(cases.customerId, customerId)))
    .orderBy(desc(cases.openedAt), desc(cases.id))
    .limit(100);
  return rows.map((c) => ({ ...c, reasons: c.reasons as CaseReason[], overdue: isOverdue(c, now) }));
}
