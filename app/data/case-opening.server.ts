// Opening a response's follow-up case, inside the response's transaction (the ingest path: a batch's
// cases in one statement on PostgreSQL), and the case as webhook receivers and the API see it. The inbox and one
// case's page are in cases.server.ts; the steps a manager takes, in case-steps.server.ts.
import { and, desc, eq, gte } from "drizzle-orm";
import { getDb, isPostgres, jsonText } from "#db/client";
import { instantValue, queryText, runText } from "#db/statement-text";
import { cases, customers, touchpoints, users } from "#db/schema/index";
import type { CaseStatus } from "~/cem/case-flow";
import type { CaseReason } from "~/cem/case-rules";
import { dueAt, tierOf, type SlaSettings } from "~/cem/sla";

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
// PostgreSQL: a batch's cases and their "opened" events as two CTEs, `opened` (id, response_id,
// workspace_id of each case opened) and `events`: their own statement here, and part of the ingest
// writer's one statement for a batch (response-set-writer.server.ts). Parameters: openCasesValues.
export const OPEN_CASES_CTES = `opened AS (
    INSERT INTO cases (workspace_id, response_id, customer_id, touchpoint_id, tier, reasons, status, opened_at, due_at, updated_at)
    SELECT c.workspace, c.response, c.customer, c.touchpoint, c.tier, c.reasons::jsonb, 'open', ?::timestamptz, c.due, ?::timestamptz
    FROM unnest(?::int[], ?::int[], ?::int[], ?::int[], ?::text[], ?::text[], ?::timestamptz[]) AS c(workspace, response, customer, touchpoint, tier, reasons, due)
    ORDER BY c.response
    ON CONFLICT (response_id) DO NOTHING RETURNING id, response_id, workspace_id),
  events AS (
    INSERT INTO case_events (workspace_id, case_id, kind, to_status, note, at)
    SELECT opened.workspace_id, opened.id, 'opened', 'open', n.note, ?::timestamptz
    FROM opened JOIN unnest(?::int[], ?::text[]) AS n(response, note) ON n.response = opened.response_id)`;
const INSERT_CASES = `WITH ${OPEN_CASES_CTES}
  SELECT id, response_id FROM opened`;

const openedNote = (input: OpenCaseInput) => input.reasons.map((r) => r.detail).join("\n");

/** OPEN_CASES_CTES' parameters, in order: the cases of `inputs`, opened `now` with their SLA's due times. */
export function openCasesValues(inputs: readonly OpenCaseInput[], sla: SlaSettings, now: Date): unknown[] {
  const at = instantValue(now.getTime());
  return [
    at,
    at,
    inputs.map((i) => i.workspaceId),
    inputs.map((i) => i.responseId),
    inputs.map((i) => i.customerId),
    inputs.map((i) => i.touchpointId),
    inputs.map((i) => i.tier),
    inputs.map((i) => JSON.stringify(i.reasons)),
    inputs.map((i) => instantValue(dueAt(now, i.tier, sla).getTime())),
    at,
    inputs.map((i) => i.responseId),
    inputs.map(openedNote),
  ];
}

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
    const opened = await queryText<{ id: number; response_id: number }>(INSERT_CASES, openCasesValues(inputs, sla, now));
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
