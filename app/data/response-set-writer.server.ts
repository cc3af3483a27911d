// PostgreSQL: a workspace's share of a batch of responses written set-based (ADR 034, ADR 035).
// response-writer.server.ts splits a batch into such shares and writes everything else row by row.
//
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
import { getDb } from "#db/client";
import { queryText } from "#db/statement-text";
import { actSettingsFrom } from "~/data/case-rules.server";
import { OPEN_CASES_CTES, openCasesValues } from "~/data/case-opening.server";
import { casesToOpen, enqueueFollowUps, type WorkspaceActing } from "~/data/response-recorded.server";
import { MEASUREMENT_COLUMNS, recordedEvent, storedValues, type RecordResult, type WritePlan } from "~/data/response-rows.server";
import { PG_INSERT_PENDING, pendingArrays, RollupAccumulator } from "~/data/rollup-writes.server";

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
export async function writeSetBased(ws: number, plans: readonly WritePlan[]): Promise<RecordResult[]> {
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
