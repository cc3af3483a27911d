// Follow-up cases of a workspace: opening one for a response (inside the response's transaction), the
// inbox with its filters and SLA report, and one case with its response and history. The steps a
// manager takes on a case are in case-steps.server.ts.
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

// ---- Opening (the ingest path) and the payload webhook receivers see -----------------------------

type CasePayloadRow = {
  id: number;
  status: string;
  tier: string;
  reasons: string;
  openedAt: number | Date;
  dueAt: number | Date;
  firstActionAt: number | Date | null;
  resolvedAt: number | Date | null;
  closedAt: number | Date | null;
  responseId: number | null;
  touchpoint: string | null;
  customer: string | null;
  assignee: string | null;
};

const iso = (at: number | Date | null) => (at === null ? null : new Date(at).toISOString());

// The columns of casePayload's statement, for the async readers (reasons as stored: toCasePayload parses).
const payloadColumns = {
  id: cases.id,
  status: cases.status,
  tier: cases.tier,
  reasons: jsonText(cases.reasons),
  openedAt: cases.openedAt,
  dueAt: cases.dueAt,
  firstActionAt: cases.firstActionAt,
  resolvedAt: cases.resolvedAt,
  closedAt: cases.closedAt,
  responseId: cases.responseId,
  touchpoint: touchpoints.key,
  customer: customers.externalId,
  assignee: users.email,
};

function payloadQuery() {
  return getDb()
    .select(payloadColumns)
    .from(cases)
    .leftJoin(touchpoints, eq(touchpoints.id, cases.touchpointId))
    .leftJoin(customers, eq(customers.id, cases.customerId))
    .leftJoin(users, eq(users.id, cases.assigneeId));
}

/** The case as webhook receivers see it (keys and external ids, never internal row ids of other tables). */
export async function casePayload(caseId: number): Promise<Record<string, unknown> | null> {
  const [row] = await payloadQuery().where(eq(cases.id, caseId)).limit(1);
  return row ? toCasePayload(row) : null;
}

function toCasePayload(row: CasePayloadRow): Record<string, unknown> {
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

const INSERT_CASE = `INSERT INTO cases (workspace_id, response_id, customer_id, touchpoint_id, tier, reasons, status, opened_at, due_at, updated_at)
  VALUES (?, ?, ?, ?, ?, ?, 'open', ?, ?, ?) ON CONFLICT (response_id) DO NOTHING RETURNING id`;
const INSERT_OPENED_EVENT = `INSERT INTO case_events (workspace_id, case_id, kind, to_status, note, at) VALUES (?, ?, 'opened', 'open', ?, ?)`;
// PostgreSQL: a batch's cases and their "opened" events in one statement (response-writer.server.ts).
const INSERT_CASES = `WITH opened AS (
    INSERT INTO cases (workspace_id, response_id, customer_id, touchpoint_id, tier, reasons, status, opened_at, due_at, updated_at)
    SELECT c.workspace, c.response, c.customer, c.touchpoint, c.tier, c.reasons::jsonb, 'open', ?::timestamptz, c.due, ?::timestamptz
    FROM unnest(?::int[], ?::int[], ?::int[], ?::int[], ?::text[], ?::text[], ?::timestamptz[]) AS c(workspace, response, customer, touchpoint, tier, reasons, due)
    ORDER BY c.response
    ON CONFLICT (response_id) DO NOTHING RETURNING id, response_id, workspace_id),
  events AS (
    INSERT INTO case_events (workspace_id, case_id, kind, to_status, note, at)
    SELECT opened.workspace_id, opened.id, 'opened', 'open', n.note, ?::timestamptz
    FROM opened JOIN unnest(?::int[], ?::text[]) AS n(response, note) ON n.response = opened.response_id)
  SELECT id, response_id FROM opened`;

const openedNote = (input: OpenCaseInput) => input.reasons.map((r) => r.detail).join("\n");

/**
 * Opens the cases of responses on the caller's connection (inside the responses' transaction, so
 * they commit or fail together): the id of each response's case, in order (null where the response
 * had one already). The SLA clock starts when the response is received, not when it was completed:
 * an answer pushed days late is still owed a full service level.
 */
export async function openCasesForResponses(inputs: readonly OpenCaseInput[], sla: SlaSettings, now: Date): Promise<(number | null)[]> {
  if (inputs.length === 0) return [];
  const at = instantValue(now.getTime());
  const due = (input: OpenCaseInput) => instantValue(dueAt(now, input.tier, sla).getTime());
  if (isPostgres()) {
    const opened = await queryText<{ id: number; response_id: number }>(INSERT_CASES, [
      at,
      at,
      inputs.map((i) => i.workspaceId),
      inputs.map((i) => i.responseId),
      inputs.map((i) => i.customerId),
      inputs.map((i) => i.touchpointId),
      inputs.map((i) => i.tier),
      inputs.map((i) => JSON.stringify(i.reasons)),
      inputs.map(due),
      at,
      inputs.map((i) => i.responseId),
      inputs.map(openedNote),
    ]);
    const caseOf = new Map(opened.map((r) => [r.response_id, r.id]));
    return inputs.map((i) => caseOf.get(i.responseId) ?? null);
  }
  const ids: (number | null)[] = [];
  for (const input of inputs) {
    // ON CONFLICT: a response opens one case at most, even if the hook ran twice.
    const [row] = await queryText<{ id: number }>(INSERT_CASE, [
      input.workspaceId,
      input.responseId,
      input.customerId,
      input.touchpointId,
      input.tier,
      JSON.stringify(input.reasons),
      at,
      due(input),
      at,
    ]);
    if (row) await runText(INSERT_OPENED_EVENT, [input.workspaceId, row.id, openedNote(input), at]);
    ids.push(row?.id ?? null);
  }
  return ids;
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
      .select({ id: touchpoints.id, name: touchpoints.name, key: touchpoints.key })
      .from(touchpoints)
      .where(eq(touchpoints.workspaceId, workspaceId))
      .orderBy(asc(touchpoints.name)),
    processes: await db
      .select({ id: processes.id, name: processes.name })
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
        .select({ id: touchpoints.id, key: touchpoints.key, name: touchpoints.name, processName: processes.name })
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
    })
    .from(cases)
    .leftJoin(touchpoints, eq(touchpoints.id, cases.touchpointId))
    .where(and(eq(cases.workspaceId, workspaceId), eq(cases.customerId, customerId)))
    .orderBy(desc(cases.openedAt), desc(cases.id))
    .limit(100);
  return rows.map((c) => ({ ...c, reasons: c.reasons as CaseReason[], overdue: isOverdue(c, now) }));
}

/** Cases for the API: the newest first, optionally by status and those updated since an instant. */
export async function casesForApi(workspaceId: number, options: { status?: CaseStatus; updatedSince?: Date; limit: number }) {
  const rows = await payloadQuery()
    .where(
      and(
        eq(cases.workspaceId, workspaceId),
        options.status ? eq(cases.status, options.status) : undefined,
        options.updatedSince ? gte(cases.updatedAt, options.updatedSince) : undefined,
      ),
    )
    .orderBy(desc(cases.updatedAt), desc(cases.id))
    .limit(options.limit);
  return rows.map(toCasePayload);
}
