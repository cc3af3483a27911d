// The rollup fold (ADR 033). On PostgreSQL a batch's increments wait in rollup_pending until a fold
// adds them to both rollup levels: readers get the same sums before and after, the tables alone are
// exact once everything is folded, and under load the servers' folds keep the backlog bounded. On
// SQLite the batches upsert the rollups themselves: nothing is ever pending.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { execute, instantParam, rows } from "#db/client";
import { createApiToken } from "~/data/api-tokens.server";
import { querySums, type SumsQuery } from "~/data/insights.server";
import { recordResponse } from "~/data/responses.server";
import { foldAllPendingRollups, pendingRollupRows } from "~/data/rollup-fold.server";
import { freshDatabasePath, removeDatabase } from "../support/database";
import { PASSWORD, importSample, makeUser, makeWorkspace } from "../support/fixtures";
import { HttpClient } from "../support/http-client";
import { POSTGRES_RUN } from "../support/postgres-run";
import { rollupsAndRecomputationInDb } from "../support/rollup-check";
import { startServer, type RunningServer } from "../support/server";
import { makeSurveyFixture, ratingAnswers, type SurveyFixture } from "../support/survey-fixtures";

const dbFile = freshDatabasePath("rollup-fold");
let fixture: SurveyFixture;
let token: string;
let server: RunningServer | null = null;

beforeAll(async () => {
  const owner = await makeUser("owner@fold.test");
  const ws = await makeWorkspace("fold", owner.id);
  await importSample(ws.id, "telecom-installation-and-repair.json");
  fixture = await makeSurveyFixture(ws.id, { touchpointKey: "telco-technician-visit" });
  token = await createApiToken(ws.id, "kiosk", owner.id);
  await execute(sql`UPDATE workspaces SET created_at = ${instantParam(Date.parse("2020-01-01T00:00:00Z"))}`);
});

afterAll(async () => {
  await server?.stop();
  removeDatabase(dbFile);
});

const DAY = 86_400_000;
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const answersOf = (value: number) => ratingAnswers(fixture.json, (min, max) => Math.min(max, Math.max(min, value)));

/** Everything a dashboard could ask of this touchpoint over the last 40 days, by tier. */
function everything(): SumsQuery {
  return {
    workspaceId: fixture.workspaceId,
    touchpointIds: [fixture.touchpoint.id],
    attributeKeys: ["", ...fixture.touchpoint.attributes.map((a) => a.key)],
    kinds: ["gap", "nps", "csat"],
    from: dayOf(Date.now() - 40 * DAY),
    to: dayOf(Date.now()),
    tiers: null,
    lang: null,
    cross: true,
    byTier: true,
  };
}

describe("the rollup fold", () => {
  it("gives readers the same sums before and after folding, and leaves the tables alone exact", async () => {
    // In this process, with no server: nothing folds until asked. Several days (whole weeks and edge
    // days of the window), both languages, scores 0..10.
    const outcomes = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        recordResponse({
          workspaceId: fixture.workspaceId,
          versionId: fixture.versionId,
          touchpointId: fixture.touchpoint.id,
          deploymentId: fixture.deploymentId,
          lang: i % 2 ? "en" : "es",
          source: "api",
          data: JSON.stringify(answersOf(i % 11)),
          completedAt: new Date(Date.now() - (i % 20) * DAY),
        }),
      ),
    );
    expect(outcomes.every((o) => o.status === "recorded")).toBe(true);
    // Pending on PostgreSQL (no server here folds), never on SQLite.
    expect((await pendingRollupRows()) > 0).toBe(POSTGRES_RUN);
    const before = await querySums(everything());
    expect(before.find((r) => r.kind === "nps" && r.attributeKey === "")?.n).toBe(60);
    const unfolded = await rollupsAndRecomputationInDb();
    expect(unfolded.daily.stored).toEqual(unfolded.daily.recomputed);
    expect(unfolded.weekly.stored).toEqual(unfolded.weekly.recomputed);

    await foldAllPendingRollups();
    expect(await pendingRollupRows()).toBe(0);
    expect(await querySums(everything())).toEqual(before);
    // Nothing pending: the views read the tables alone, which now hold every sum.
    const folded = await rollupsAndRecomputationInDb();
    expect(folded.daily.stored).toEqual(folded.daily.recomputed);
    expect(folded.weekly.stored).toEqual(folded.weekly.recomputed);
  });

  it("stores a response with nothing to sum, and leaves nothing pending for it", async () => {
    // A survey of one open comment: no measurement rows, so no rollup increments.
    const commentOnly = await makeSurveyFixture(fixture.workspaceId, {
      touchpointKey: "telco-technician-visit",
      definition: { ...fixture.json, pages: (fixture.json.pages as { elements: { type: string }[] }[]).filter((p) => p.elements.every((e) => e.type === "comment")) },
    });
    await foldAllPendingRollups();
    const before = await querySums(everything());
    const outcome = await recordResponse({
      workspaceId: fixture.workspaceId,
      versionId: commentOnly.versionId,
      touchpointId: commentOnly.touchpoint.id,
      deploymentId: commentOnly.deploymentId,
      lang: "es",
      source: "api",
      data: JSON.stringify({ comment: "Nada que puntuar." }),
      completedAt: new Date(),
    });
    expect(outcome.status).toBe("recorded");
    const [{ comment }] = await rows<{ comment: string }>(sql`SELECT comment FROM responses WHERE id = ${(outcome as { id: number }).id}`);
    expect(comment).toBe("Nada que puntuar.");
    expect(await pendingRollupRows()).toBe(0);
    expect(await querySums(everything())).toEqual(before);
  });

  it.skipIf(!POSTGRES_RUN)("keeps the backlog bounded while a server records at full rate, and folds it all after", async () => {
    server = await startServer(dbFile);
    const url = server.url;
    // Batches written so far: the pending rows' id sequence (rows leave the table as they are folded).
    const batchesWritten = async () => (await rows<{ n: number }>(sql`SELECT last_value::int AS n FROM rollup_pending_id_seq`))[0].n;
    const start = await batchesWritten();
    let sending = true;
    let sent = 0;
    const client = async (c: number) => {
      for (let i = 0; sending; i++) {
        const res = await fetch(`${url}/api/v1/responses`, {
          method: "POST",
          headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
          body: JSON.stringify({ deployment: fixture.deploymentId, customer: `LOAD-${(c + i) % 9}`, answers: answersOf((c + i) % 11) }),
        });
        expect(res.status).toBe(201);
        await res.arrayBuffer();
        sent++;
      }
    };
    const samples: number[] = [];
    const sampler = (async () => {
      while (sending) {
        samples.push(await pendingRollupRows());
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    const clients = Array.from({ length: 16 }, (_, c) => client(c));
    // Load until the server has written a good number of batches (a condition, not a time).
    while ((await batchesWritten()) - start < 200 || samples.length < 10) await new Promise((resolve) => setTimeout(resolve, 50));
    sending = false;
    await Promise.all([...clients, sampler]);
    const batches = (await batchesWritten()) - start;
    // Without folds every batch would still be pending at the end; with them, a fold every quarter
    // second keeps the pending set to the last moments' batches.
    expect(Math.max(...samples)).toBeLessThan(batches / 4);
    // And the servers' folds drain it with no one asking; the admin's background-work page says so.
    while ((await pendingRollupRows()) > 0) await new Promise((resolve) => setTimeout(resolve, 50));
    const admin = new HttpClient(url);
    await admin.signIn("owner@fold.test", PASSWORD);
    const page = await (await admin.get("/w/fold/jobs?lang=en")).text();
    expect(page).toContain("Dashboard totals");
    expect(page).toMatch(/data-testid="fold-pending"[^>]*>0</);
    const { daily, weekly } = await rollupsAndRecomputationInDb();
    expect(daily.stored).toEqual(daily.recomputed);
    expect(weekly.stored).toEqual(weekly.recomputed);
    expect(sent).toBeGreaterThan(0);
    expect(server.output()).not.toMatch(/failed|error/i);
  });
});
