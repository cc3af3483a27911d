// The PostgreSQL writer's batch lookup (response-writer.server.ts) finds a batch's idempotency keys
// and customers through their unique indexes whatever the table statistics say. Its plan is cached
// per connection, and a generic plan made while a workspace looked small once found the keys by
// reading every response of the workspace and filtering: a lookup that grew with the workspace.
// Here the statistics are taken while the workspace has few responses, its responses then grow, and
// the lookup's generic plan must still read only the rows it returns.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { sql } from "drizzle-orm";
import { execute } from "#db/client";
import { BATCH_LOOKUP } from "~/data/response-set-writer.server";
import { recordResponse } from "~/data/responses.server";
import { freshDatabasePath, removeDatabase } from "../support/database";
import { importSample, makeUser, makeWorkspace } from "../support/fixtures";
import { POSTGRES_RUN } from "../support/postgres-run";
import { makeCustomer, makeSurveyFixture, ratingAnswers, type SurveyFixture } from "../support/survey-fixtures";

const dbFile = freshDatabasePath("batch-lookup");
let fixture: SurveyFixture;

async function record(from: number, to: number) {
  const outcomes = await Promise.all(
    Array.from({ length: to - from }, (_, i) =>
      recordResponse({
        workspaceId: fixture.workspaceId,
        versionId: fixture.versionId,
        touchpointId: fixture.touchpoint.id,
        deploymentId: fixture.deploymentId,
        customerExternalId: `c-${from + i}`,
        lang: "es",
        source: "api",
        data: JSON.stringify(ratingAnswers(fixture.json, (min, max) => Math.round((min + max) / 2))),
        idempotencyKey: `k-${from + i}`,
        requestHash: `h-${from + i}`,
      }),
    ),
  );
  expect(outcomes.every((o) => o.status === "recorded")).toBe(true);
}

type PlanNode = { "Relation Name"?: string; "Index Cond"?: string; "Rows Removed by Filter"?: number; Plans?: PlanNode[] };
function scansOf(node: PlanNode, relation: string): PlanNode[] {
  const own = node["Relation Name"] === relation ? [node] : [];
  return [...own, ...(node.Plans ?? []).flatMap((child) => scansOf(child, relation))];
}

beforeAll(async () => {
  if (!POSTGRES_RUN) return;
  const owner = await makeUser("owner@lookup.test");
  const ws = await makeWorkspace("lookup", owner.id);
  await importSample(ws.id, "telecom-installation-and-repair.json");
  fixture = await makeSurveyFixture(ws.id, { touchpointKey: "telco-technician-visit" });
});

afterAll(() => removeDatabase(dbFile));

describe.skipIf(!POSTGRES_RUN)("the batch lookup on PostgreSQL", () => {
  it("reads a batch's keys and customers through their unique indexes, however the workspace grew since the statistics", async () => {
    // Statistics taken while the workspace holds its 400 customers but only five responses…
    for (let i = 0; i < 400; i++) await makeCustomer(fixture.workspaceId, `c-${i}`);
    await record(0, 5);
    await execute(sql`ANALYZE responses`);
    await execute(sql`ANALYZE customers`);
    // …then its responses grow.
    await record(5, 400);

    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    try {
      let n = 0;
      await client.query("SET plan_cache_mode = force_generic_plan");
      await client.query(`PREPARE lookup AS ${BATCH_LOOKUP.replace(/\?/g, () => `$${++n}`)}`);
      const ws = fixture.workspaceId;
      const args = `3, '{k-10,k-390,k-none}', ${ws}, '{c-10,c-390,c-none}', ${ws}, ${ws}, ${ws}`;
      const { rows } = await client.query<{ what: string; name: string | null; detail: string | null }>(`EXECUTE lookup(${args})`);
      expect(rows.filter((r) => r.what === "id")).toHaveLength(3);
      expect(rows.filter((r) => r.what === "key").map((r) => [r.name, r.detail])).toEqual(
        expect.arrayContaining([
          ["k-10", "h-10"],
          ["k-390", "h-390"],
        ]),
      );
      expect(rows.filter((r) => r.what === "key")).toHaveLength(2);
      expect(rows.filter((r) => r.what === "customer").map((r) => r.name).sort()).toEqual(["c-10", "c-390"]);

      const { rows: explained } = await client.query<{ "QUERY PLAN": [{ Plan: PlanNode }] }>(`EXPLAIN (ANALYZE, FORMAT JSON) EXECUTE lookup(${args})`);
      const plan = explained[0]["QUERY PLAN"][0].Plan;
      for (const [relation, column] of [
        ["responses", "idempotency_key"],
        ["customers", "external_id"],
      ]) {
        const scans = scansOf(plan, relation);
        expect(scans.length).toBeGreaterThan(0);
        for (const scan of scans) {
          expect(scan["Index Cond"], `${relation} scanned without ${column} in its index condition`).toContain(column);
          expect(scan["Rows Removed by Filter"] ?? 0).toBe(0);
        }
      }
    } finally {
      await client.end();
    }
  });
});
