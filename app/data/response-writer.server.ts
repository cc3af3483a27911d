// Writing responses: one batch of planned responses (validated, measured: responses.server.ts) —
// the raw data, the customer when new, the measurement rows, the follow-up case with its webhook
// deliveries (response-recorded.server.ts) and the batch's rollup sums (rollup-writes.server.ts),
// all or nothing (ADR 014): in one transaction, or on PostgreSQL mostly in one statement (ADR 034).
import { and, eq, inArray, gt, sql } from "drizzle-orm";
import { getDb, isPostgres } from "#db/client";
import { customers, invitationEvents, invitations, responses } from "#db/schema/index";
import { instantValue, queryText, runText, valuesText } from "#db/statement-text";
import type { Measurement } from "~/cem/measurement";
import { actSettingsFrom } from "~/data/case-rules.server";
import { OPEN_CASES_CTES, openCasesValues } from "~/data/case-opening.server";
import { casesToOpen, enqueueFollowUps, onResponseRecorded, type RecordingContext, type ResponseRecorded, type WorkspaceActing } from "~/data/response-recorded.server";
import { addRollups, PG_INSERT_PENDING, pendingArrays, RollupAccumulator } from "~/data/rollup-writes.server";
import type { AnswerError } from "~/survey/answer-validation";
import type { SurveyLocale } from "~/survey/locales";

export type ResponseSource = "link" | "invitation" | "api";

export type ResponseInput = {
  workspaceId: number;
  versionId: number;
  touchpointId: number;
  deploymentId: number | null;
  /** A personal invitation: single use, completed in the same transaction; its customer answers. */
  invitationId?: number | null;
  /** Otherwise a customer known by external id (the API), created bare when new. */
  customerExternalId?: string | null;
  lang: SurveyLocale;
  source: ResponseSource;
  /** The SurveyJS data exactly as received; stored as is, never re-serialised. */
  data: string;
  /** `data` already parsed by the caller, to save parsing it twice. */
  answers?: unknown;
  startedAt?: Date | null;
  completedAt?: Date;
  idempotencyKey?: string | null;
  /**
   * With an idempotency key: a hash of the request that used it (the API's canonical body), stored
   * with the response so that a later request under the same key can be told apart from a retry.
   */
  requestHash?: string | null;
};

export type RecordResult =
  /**
   * From the writer only (callers are told the id): the tier the response was stored with, and the
   * webhook deliveries queued with it.
   */
  | { status: "recorded"; id: number; tier?: string; deliveries?: number }
  /** An earlier response with the same idempotency key: nothing new was stored. */
  | { status: "replayed"; id: number; requestHash?: string | null }
  | { status: "invalid"; errors: AnswerError[] }
  /** The invitation was used already: nothing new was stored. */
  | { status: "already_received" }
  | { status: "expired" };

/** A response ready to write: validated, its measurements extracted, times in epoch ms. */
export type WritePlan = {
  input: ResponseInput;
  completedAt: number;
  startedAt: number | null;
  comment: string | null;
  measurements: Measurement[];
};

// Rows per measurement statement: a SERVQUAL response has ~50; 7 values a row.
const MEASUREMENTS_PER_STATEMENT = 200;
const MEASUREMENT_COLUMNS = "workspace_id, response_id, touchpoint_id, attribute_key, kind, value, dimension";
const RESPONSE_BY_KEY = `SELECT id, request_hash FROM responses WHERE workspace_id = ? AND idempotency_key = ?`;
const CUSTOMER_BY_EXTERNAL_ID = `SELECT id, tier FROM customers WHERE workspace_id = ? AND external_id = ?`;
// Another transaction may be creating the same customer at once (PostgreSQL runs them side by side):
// the insert then waits for it and adds nothing, and the customer is read again once it is there.
const INSERT_CUSTOMER = `INSERT INTO customers (workspace_id, external_id) VALUES (?, ?)
    ON CONFLICT (workspace_id, external_id) DO NOTHING RETURNING id`;
const INSERT_RESPONSE = `INSERT INTO responses (workspace_id, survey_version_id, touchpoint_id, deployment_id, customer_id,
    tier, lang, source, data, comment, started_at, completed_at, idempotency_key, request_hash, invitation_id) ${valuesText(1, 15)} RETURNING id`;

/**
 * A response's stored values from survey_version_id to request_hash, in the column order both write
 * paths name (the row path adds the workspace before and the invitation after; the set-based one, the id before).
 */
function storedValues(plan: WritePlan, customerId: number | null, tier: string): unknown[] {
  const { input } = plan;
  return [
    input.versionId,
    input.touchpointId,
    input.deploymentId,
    customerId,
    tier,
    input.lang,
    input.source,
    input.data,
    plan.comment,
    plan.startedAt === null ? null : instantValue(plan.startedAt),
    instantValue(plan.completedAt),
    input.idempotencyKey ?? null,
    input.idempotencyKey ? (input.requestHash ?? null) : null,
  ];
}

/** What the follow-up (case, webhooks) needs to know of a stored response. */
function recordedEvent(plan: WritePlan, responseId: number, customerId: number | null, tier: string): ResponseRecorded {
  return {
    workspaceId: plan.input.workspaceId,
    responseId,
    customerId,
    touchpointId: plan.input.touchpointId,
    tier,
    measurements: plan.measurements,
    comment: plan.comment,
    completedAt: plan.completedAt,
  };
}

/** One response's rows; its rollup increments go into `sums`, written once for the batch. */
async function write(plan: WritePlan, sums: RollupAccumulator, context: RecordingContext): Promise<RecordResult> {
  const db = getDb();
  const { input } = plan;
  const ws = input.workspaceId;
  let customerId: number | null = null;
  let tier = "";

  // A retry: the key's response answers it, nothing new is stored (the same key twice in one
  // batch: the first is already visible to the second).
  if (input.idempotencyKey) {
    const [earlier] = await queryText<{ id: number; request_hash: string | null }>(RESPONSE_BY_KEY, [ws, input.idempotencyKey]);
    // The caller compares the hashes: a different request under a used key is refused there.
    if (earlier) return { status: "replayed", id: earlier.id, requestHash: earlier.request_hash };
  }

  if (input.invitationId != null) {
    // The state flip is the single-use guard; the invitation says who is answering.
    const now = new Date(plan.completedAt);
    const [invitation] = await db
      .update(invitations)
      .set({ state: "completed", completedAt: now, openedAt: sql`coalesce(${invitations.openedAt}, ${sql.param(now, invitations.openedAt)})`, progress: null })
      .where(
        and(
          eq(invitations.id, input.invitationId),
          eq(invitations.workspaceId, ws),
          inArray(invitations.state, ["pending", "opened"]),
          gt(invitations.expiresAt, now),
        ),
      )
      .returning({ customerId: invitations.customerId });
    if (!invitation) {
      const [row] = await db
        .select({ state: invitations.state })
        .from(invitations)
        .where(and(eq(invitations.id, input.invitationId), eq(invitations.workspaceId, ws)))
        .limit(1);
      return row?.state === "completed" ? { status: "already_received" } : { status: "expired" };
    }
    customerId = invitation.customerId;
    // The invitation's life: completed, with the response (and started, if no progress was ever saved).
    await db.insert(invitationEvents).values([
      { workspaceId: ws, invitationId: input.invitationId, kind: "started" as const, at: now },
      { workspaceId: ws, invitationId: input.invitationId, kind: "completed" as const, at: now },
    ]).onConflictDoNothing();
    const [customer] = await db
      .select({ tier: customers.tier })
      .from(customers)
      .where(and(eq(customers.id, customerId), eq(customers.workspaceId, ws)))
      .limit(1);
    tier = customer?.tier ?? "";
  } else if (input.customerExternalId) {
    const [customer] = await queryText<{ id: number; tier: string | null }>(CUSTOMER_BY_EXTERNAL_ID, [ws, input.customerExternalId]);
    if (customer) {
      customerId = customer.id;
      tier = customer.tier ?? "";
    } else {
      const [created] = await queryText<{ id: number }>(INSERT_CUSTOMER, [ws, input.customerExternalId]);
      // Not created: another transaction committed it meanwhile (a new statement sees it on either engine).
      const [found] = created ? [{ id: created.id, tier: null }] : await queryText<{ id: number; tier: string | null }>(CUSTOMER_BY_EXTERNAL_ID, [ws, input.customerExternalId]);
      customerId = found.id;
      tier = found.tier ?? "";
    }
  }

  const [response] = await queryText<{ id: number }>(INSERT_RESPONSE, [ws, ...storedValues(plan, customerId, tier), input.invitationId ?? null]);
  for (let i = 0; i < plan.measurements.length; i += MEASUREMENTS_PER_STATEMENT) {
    const chunk = plan.measurements.slice(i, i + MEASUREMENTS_PER_STATEMENT);
    const values: (string | number | null)[] = [];
    for (const m of chunk) values.push(ws, response.id, input.touchpointId, m.attributeKey ?? "", m.kind, m.value, m.dimension);
    await runText(`INSERT INTO measurements (${MEASUREMENT_COLUMNS}) ${valuesText(chunk.length, 7)}`, values);
  }
  sums.add(ws, input.touchpointId, tier, input.lang, plan.completedAt, plan.measurements);
  // Closed loop: the follow-up case and webhook deliveries commit (or roll back) with the response.
  const { deliveries } = await onResponseRecorded(recordedEvent(plan, response.id, customerId, tier), context);
  return { status: "recorded", id: response.id, tier, deliveries };
}

/** A unique index refused the row (SQLite's and PostgreSQL's codes), under drizzle's wrapping. */
function uniqueViolationOn(error: unknown, column: string): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    const code = (e as { code?: string }).code;
    if ((code === "SQLITE_CONSTRAINT_UNIQUE" || code === "23505") && `${e.message} ${(e as { detail?: string }).detail ?? ""}`.includes(column)) return true;
  }
  return false;
}

/**
 * The database's own error under drizzle's "Failed query: …" wrapping, whose message quotes every
 * parameter: the customer's answers have no place in a log line.
 */
function driverError(error: unknown): Error {
  let e: unknown = error;
  while (e instanceof Error && e.cause instanceof Error) e = e.cause;
  return e instanceof Error ? e : new Error(String(e));
}

// ---- PostgreSQL: a batch written set-based ------------------------------------------------------
// Row by row, a response costs about ten round trips, each a statement PostgreSQL parses and plans.
// Set-based, a workspace's share of the batch takes two whatever its size: one statement looks up
// what the batch needs (keys used before, customers known, response ids drawn from the sequence,
// the workspace's case rules and webhook endpoints), and one writes every response with its
// measurement rows, its case and the batch's rollup increments, committing on its own. New
// customers take one statement more, before it; webhook deliveries, a transaction. Every round
// trip waits on the server's busy thread and on the other process, so their number, more than
// their work, set the pace (docs/benchmarks.md, "PostgreSQL: what limits ingest"). SQLite has no
// arrays and needs none: its statements are in-process calls on cached prepared statements.
//
// The lookup finds keys and customers one by one through their unique index: a LATERAL subquery
// with LIMIT, which the planner never merges into a join. `column = ANY(array)` let a connection's
// cached generic plan, made while the statistics said the workspace was small, read every response
// of the workspace and filter it, a cost that grew with every response until the next ANALYZE
// (tests/integration/batch-lookup.test.ts; docs/benchmarks.md).
const BY_KEY = `SELECT k.x AS name, r.id, r.request_hash AS detail FROM unnest(?::text[]) AS k(x)
    CROSS JOIN LATERAL (SELECT id, request_hash FROM responses WHERE workspace_id = ? AND idempotency_key = k.x LIMIT 1) AS r`;
const BY_EXTERNAL_ID = `SELECT k.x AS name, c.id, c.tier AS detail FROM unnest(?::text[]) AS k(x)
    CROSS JOIN LATERAL (SELECT id, tier FROM customers WHERE workspace_id = ? AND external_id = k.x LIMIT 1) AS c`;
export const BATCH_LOOKUP = `SELECT 'id' AS what, nextval(pg_get_serial_sequence('responses', 'id'))::int AS id, NULL AS name, NULL AS detail
    FROM generate_series(1, ?::int)
  UNION ALL SELECT 'key', id, name, detail FROM (${BY_KEY}) AS used
  UNION ALL SELECT 'customer', id, name, detail FROM (${BY_EXTERNAL_ID}) AS known
  UNION ALL SELECT 'settings', NULL, case_rules, sla FROM act_settings WHERE workspace_id = ?
  UNION ALL SELECT 'endpoint', id, events::text, NULL FROM webhook_endpoints WHERE workspace_id = ? AND active`;
// Sorted ids: two transactions inserting overlapping customers take their locks in the same order.
const INSERT_CUSTOMERS = `INSERT INTO customers (workspace_id, external_id) SELECT ?, x FROM unnest(?::text[]) AS x ORDER BY x
    ON CONFLICT (workspace_id, external_id) DO NOTHING RETURNING id, external_id`;
// One statement, so all or nothing without a transaction. The foreign keys of the measurement rows
// and the cases are checked at its end, once the responses are in. Answers the cases opened.
const WRITE_RESPONSES = `WITH stored AS (
    INSERT INTO responses (id, workspace_id, survey_version_id, touchpoint_id, deployment_id, customer_id,
      tier, lang, source, data, comment, started_at, completed_at, idempotency_key, request_hash)
    SELECT r.id, ?, r.version, r.touchpoint, r.deployment, r.customer, r.tier, r.lang, r.source, r.data, r.comment, r.started, r.completed, r.key, r.hash
    FROM unnest(?::int[], ?::int[], ?::int[], ?::int[], ?::int[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
      ?::timestamptz[], ?::timestamptz[], ?::text[], ?::text[])
      AS r(id, version, touchpoint, deployment, customer, tier, lang, source, data, comment, started, completed, key, hash)),
  measured AS (
    INSERT INTO measurements (${MEASUREMENT_COLUMNS})
    SELECT ?, m.* FROM unnest(?::int[], ?::int[], ?::text[], ?::text[], ?::float8[], ?::text[]) AS m),
  pending AS (${PG_INSERT_PENDING}),
  ${OPEN_CASES_CTES}
  SELECT id, response_id FROM opened`;

type Customer = { id: number; tier: string };

/**
 * Response ids for `count` responses, the keys already used among `keys`, the customers known among
 * `externalIds`, and the workspace's case rules and webhook endpoints.
 */
async function lookUpBatch(ws: number, count: number, keys: string[], externalIds: string[]) {
  const ids: number[] = [];
  const used = new Map<string, RecordResult & { status: "replayed" }>();
  const customers = new Map<string, Customer>();
  const endpoints: WorkspaceActing["endpoints"] = [];
  let settings: WorkspaceActing["settings"] | null = null;
  type Row = { what: "id" | "key" | "customer" | "settings" | "endpoint"; id: number; name: string | null; detail: string | null };
  for (const r of await queryText<Row>(BATCH_LOOKUP, [count, keys, ws, externalIds, ws, ws, ws])) {
    if (r.what === "id") ids.push(r.id);
    else if (r.what === "key") used.set(r.name!, { status: "replayed", id: r.id, requestHash: r.detail });
    else if (r.what === "customer") customers.set(r.name!, { id: r.id, tier: r.detail ?? "" });
    else if (r.what === "settings") settings = actSettingsFrom(r.name, r.detail);
    else endpoints.push({ id: r.id, events: r.name! });
  }
  const acting: WorkspaceActing = { settings: settings ?? actSettingsFrom(null, null), endpoints };
  return { ids, used, customers, acting };
}

/** Creates bare the customers of `missing` (external ids not found), adding them to `customers`. */
async function createCustomers(ws: number, missing: string[], customers: Map<string, Customer>): Promise<void> {
  if (missing.length === 0) return;
  for (const r of await queryText<{ id: number; external_id: string }>(INSERT_CUSTOMERS, [ws, missing])) customers.set(r.external_id, { id: r.id, tier: "" });
  // Not created: another transaction committed them meanwhile (a new statement sees them).
  const raced = missing.filter((id) => !customers.has(id));
  if (raced.length === 0) return;
  for (const r of await queryText<{ name: string; id: number; detail: string | null }>(BY_EXTERNAL_ID, [raced, ws])) {
    customers.set(r.name, { id: r.id, tier: r.detail ?? "" });
  }
}

/**
 * One workspace's responses of a batch (none through an invitation), written together, all or
 * nothing: their outcomes in order.
 */
async function writeSetBased(ws: number, plans: readonly WritePlan[]): Promise<RecordResult[]> {
  const outcomes: RecordResult[] = new Array(plans.length);
  const keys = [...new Set(plans.map((plan) => plan.input.idempotencyKey).filter((k): k is string => !!k))];
  // Sorted: see INSERT_CUSTOMERS.
  const externalIds = [...new Set(plans.map((plan) => plan.input.customerExternalId).filter((id): id is string => !!id))].sort();
  // An id for every response: those a retry answers leave a gap in the sequence, as a rollback does.
  const { ids, used, customers, acting } = await lookUpBatch(ws, plans.length, keys, externalIds);

  // Retries: a key used before answers with its response; the same key twice in the batch, with the first.
  const fresh: { plan: WritePlan; at: number }[] = [];
  const firstWithKey = new Map<string, number>();
  const repeats: { key: string; at: number }[] = [];
  for (const [at, plan] of plans.entries()) {
    const key = plan.input.idempotencyKey;
    if (key && used.has(key)) outcomes[at] = used.get(key)!;
    else if (key && firstWithKey.has(key)) repeats.push({ key, at });
    else {
      if (key) firstWithKey.set(key, at);
      fresh.push({ plan, at });
    }
  }
  if (fresh.length === 0) return outcomes;
  const missing = externalIds.filter((id) => !customers.has(id) && fresh.some(({ plan }) => plan.input.customerExternalId === id));
  const now = new Date();

  const write = async () => {
    const columns = Array.from({ length: 14 }, () => [] as unknown[]);
    const measured = Array.from({ length: 6 }, () => [] as unknown[]);
    const sums = new RollupAccumulator();
    const recorded = fresh.map(({ plan }, i) => {
      const { input } = plan;
      const customer = input.customerExternalId ? customers.get(input.customerExternalId)! : null;
      const id = ids[i];
      const tier = customer?.tier ?? "";
      const row = [id, ...storedValues(plan, customer?.id ?? null, tier)];
      row.forEach((value, c) => columns[c].push(value));
      for (const m of plan.measurements) {
        [id, input.touchpointId, m.attributeKey ?? "", m.kind, m.value, m.dimension].forEach((value, c) => measured[c].push(value));
      }
      sums.add(ws, input.touchpointId, tier, input.lang, plan.completedAt, plan.measurements);
      return recordedEvent(plan, id, customer?.id ?? null, tier);
    });
    const toOpen = casesToOpen(recorded, acting.settings.caseRules);
    const opened = await queryText<{ id: number; response_id: number }>(WRITE_RESPONSES, [
      ws,
      ...columns,
      ws,
      ...measured,
      ...pendingArrays(sums.daily()),
      ...openCasesValues(
        toOpen.map((o) => o.input),
        acting.settings.sla,
        now,
      ),
    ]);
    const caseOf = new Map(opened.map((r) => [r.response_id, r.id]));
    const deliveries = await enqueueFollowUps(
      recorded,
      recorded.map((event) => caseOf.get(event.responseId) ?? null),
      acting.endpoints,
      now,
    );
    fresh.forEach(({ at }, i) => (outcomes[at] = { status: "recorded", id: ids[i], tier: recorded[i].tier, deliveries: deliveries[i] }));
  };
  // New customers first, committed on their own: a customer is created bare whether or not its
  // response is then stored (a retry, or the one-by-one fallback, finds it), which spares the batch
  // a transaction's BEGIN and COMMIT. The one statement commits on its own; webhook deliveries join
  // it in a transaction.
  await createCustomers(ws, missing, customers);
  if (acting.endpoints.length === 0) await write();
  else await getDb().transaction(write);

  for (const { key, at } of repeats) {
    const first = firstWithKey.get(key)!;
    const { id } = outcomes[first] as RecordResult & { status: "recorded" };
    outcomes[at] = { status: "replayed", id, requestHash: plans[first].input.requestHash ?? null };
  }
  return outcomes;
}

/**
 * Row by row in one transaction (everything on SQLite; on PostgreSQL the responses through an
 * invitation): every response's rows, then their rollup sums.
 */
async function writeRowByRow(plans: readonly WritePlan[]): Promise<RecordResult[]> {
  return getDb().transaction(async () => {
    const sums = new RollupAccumulator();
    const context: RecordingContext = new Map();
    const outcomes: RecordResult[] = [];
    for (const plan of plans) outcomes.push(await write(plan, sums, context));
    await addRollups(sums);
    return outcomes;
  });
}

/**
 * The batch in groups, each all or nothing: on PostgreSQL each workspace's responses not through an
 * invitation set-based, the rest row by row; on SQLite one group. A group's places in the batch.
 */
function groupsOf(plans: readonly WritePlan[]): { write: (plans: readonly WritePlan[]) => Promise<RecordResult[]>; places: number[] }[] {
  if (!isPostgres()) return [{ write: writeRowByRow, places: [...plans.keys()] }];
  const rowByRow: number[] = [];
  const byWorkspace = new Map<number, number[]>();
  for (const [at, plan] of plans.entries()) {
    if (plan.input.invitationId != null) rowByRow.push(at);
    else {
      const ws = plan.input.workspaceId;
      if (!byWorkspace.has(ws)) byWorkspace.set(ws, []);
      byWorkspace.get(ws)!.push(at);
    }
  }
  const groups = [...byWorkspace].map(([ws, places]) => ({ write: (group: readonly WritePlan[]) => writeSetBased(ws, group), places }));
  if (rowByRow.length > 0) groups.push({ write: writeRowByRow, places: rowByRow });
  return groups;
}

/** One response on its own, its failure reported alone. */
async function writeAlone(plan: WritePlan): Promise<RecordResult | Error> {
  const { input } = plan;
  try {
    const [{ write }] = groupsOf([plan]);
    return (await write([plan]))[0];
  } catch (error) {
    // The same key or invitation twice in one batch, or another process got there first.
    if (input.idempotencyKey && uniqueViolationOn(error, "idempotency_key")) {
      const [earlier] = await getDb()
        .select({ id: responses.id, requestHash: responses.requestHash })
        .from(responses)
        .where(and(eq(responses.workspaceId, input.workspaceId), eq(responses.idempotencyKey, input.idempotencyKey)))
        .limit(1);
      if (earlier) return { status: "replayed", id: earlier.id, requestHash: earlier.requestHash };
    }
    if (input.invitationId != null && uniqueViolationOn(error, "invitation_id")) return { status: "already_received" };
    return driverError(error);
  }
}

/**
 * Writes one batch: its outcomes in order (an Error for a response that failed alone). Optimistic:
 * each group of the batch (groupsOf) written together. Should a group fail (rare: the same
 * invitation twice in one batch, or another process got there first), nothing of it is stored and
 * each of its responses is written on its own, so the failing one is reported alone and the rest
 * are stored.
 */
export async function writeBatch(plans: WritePlan[]): Promise<(RecordResult | Error)[]> {
  const outcomes: (RecordResult | Error)[] = new Array(plans.length);
  for (const { write, places } of groupsOf(plans)) {
    const group = places.map((at) => plans[at]);
    try {
      const written = await write(group);
      places.forEach((at, i) => (outcomes[at] = written[i]));
    } catch {
      for (const at of places) outcomes[at] = await writeAlone(plans[at]);
    }
  }
  return outcomes;
}
