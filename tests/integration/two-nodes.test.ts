// Two app servers on one PostgreSQL, as behind a load balancer: the built server.js started twice
// against one throwaway cluster, every request sent to one or the other. A person signed in through
// one is signed in on the other; responses posted to both are each counted once, a retry sent to the
// other node replays the first answer, the rollups equal a recomputation from the measurement rows,
// and both nodes give the same insights; each webhook delivery goes out once; a CSV import started
// through one node shows its progress and its report on pages served by the other.
// Skipped when the machine has no PostgreSQL binaries (CI installs them: .ci/run), and on the
// PostgreSQL run of the suite (it starts a cluster of its own whatever the run).
import http from "node:http";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HttpClient } from "../support/http-client";
import { pgBinDir, startPgCluster, type PgCluster } from "../support/pg-cluster";
import { POSTGRES_RUN } from "../support/postgres-run";
import { startServer, type RunningServer } from "../support/server";

const bin = pgBinDir();
const title = POSTGRES_RUN
  ? "two nodes on one PostgreSQL: SKIPPED on the PostgreSQL run (it runs on a cluster of its own in the SQLite run)"
  : bin
    ? "two nodes on one PostgreSQL"
    : "two nodes on one PostgreSQL: SKIPPED, no PostgreSQL binaries (apt-get install postgresql, or set PG_BIN)";

const SLUG = "dos-nodos";
const RESPONSES = 120;

/** A webhook receiver that records every delivery's message id. */
function receiver() {
  const received: string[] = [];
  const server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      received.push(String(req.headers["webhook-id"]));
      res.writeHead(200).end("ok");
    });
  });
  return {
    received,
    listen: () =>
      new Promise<number>((resolve) => {
        server.listen(0, "127.0.0.1", () => resolve((server.address() as net.AddressInfo).port));
      }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.skipIf(!bin || POSTGRES_RUN)(title, () => {
  let cluster: PgCluster | undefined;
  let nodes: RunningServer[] = [];
  const hooks = receiver();
  let token = "";
  let deploymentId = 0;
  let answers: (i: number) => Record<string, unknown>;
  let workspaceId = 0;
  let password = "";

  beforeAll(async () => {
    cluster = await startPgCluster();
    // This process sets the workspace up and inspects the database: the same cluster.
    process.env.DATABASE_URL = cluster.url;
    const { makeUser, makeWorkspace, importSample, PASSWORD: fixturePassword } = await import("../support/fixtures");
    const { makeSurveyFixture, ratingAnswers } = await import("../support/survey-fixtures");
    const { createApiToken } = await import("~/data/api-tokens.server");
    const { createEndpoint } = await import("~/data/webhooks.server");
    const owner = await makeUser("ana@dos.test");
    password = fixturePassword;
    workspaceId = (await makeWorkspace(SLUG, owner.id)).id;
    await importSample(workspaceId);
    const survey = await makeSurveyFixture(workspaceId, { touchpointKey: "bank-branch-welcome" });
    deploymentId = survey.deploymentId;
    answers = (i) => ratingAnswers(survey.json, (min, max, name) => (name === "nps" ? i % 11 : min + (i % (max - min + 1))));
    token = await createApiToken(workspaceId, "kiosk", owner.id);
    const port = await hooks.listen();
    const created = await createEndpoint(workspaceId, { url: `http://127.0.0.1:${port}/hook`, description: "", events: ["response.completed"] }, owner.id);
    expect(created.ok).toBe(true);
    const env = { VIVENCIA_WEBHOOKS_ALLOW_LOCAL: "1", JOB_POLL_MS: "250" };
    nodes = await Promise.all([startServer(cluster.url, env), startServer(cluster.url, env)]);
  });

  afterAll(async () => {
    await Promise.all(nodes.map((n) => n.stop()));
    await hooks.close();
    if (process.env.DATABASE_URL === cluster?.url) {
      const { closeDb } = await import("#db/client");
      await closeDb();
      delete process.env.DATABASE_URL;
    }
    await cluster?.stop();
  });

  const api = (node: RunningServer, path: string, init: RequestInit = {}) =>
    fetch(node.url + path, { ...init, headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json", ...(init.headers ?? {}) } });

  it("keeps a person signed in through one node signed in on the other", async () => {
    const onA = new HttpClient(nodes[0].url);
    await onA.signIn("ana@dos.test", password);
    const onB = onA.at(nodes[1].url);
    const page = await onB.get(`/w/${SLUG}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(SLUG);
    // Signing out on B ends the session on A too.
    expect((await onB.post("/logout", {})).status).toBe(302);
    const after = await new HttpClient(nodes[0].url).get(`/w/${SLUG}`);
    expect(after.status).toBe(302);
  });

  it("counts each response posted to either node once, replays a retry sent to the other node, and keeps the rollups exact", async () => {
    const { rows } = await import("#db/client");
    const { sql } = await import("drizzle-orm");
    const { rollupsAndRecomputationInDb } = await import("../support/rollup-check");
    const post = (i: number, node: RunningServer) =>
      api(node, "/api/v1/responses", {
        method: "POST",
        headers: { "Idempotency-Key": `two-nodes:${i}` },
        body: JSON.stringify({ deployment: deploymentId, answers: answers(i) }),
      });
    // Sixteen at a time, alternating nodes.
    const ids = new Map<number, number>();
    for (let start = 0; start < RESPONSES; start += 16) {
      const batch = Array.from({ length: Math.min(16, RESPONSES - start) }, (_, k) => start + k);
      const replies = await Promise.all(batch.map((i) => post(i, nodes[i % 2])));
      for (const [k, res] of replies.entries()) {
        expect(res.status).toBe(201);
        ids.set(batch[k], ((await res.json()) as { id: number }).id);
      }
    }
    // Every retry goes to the node that did NOT take the first attempt, some of them at once.
    const retries = await Promise.all(Array.from({ length: 30 }, (_, i) => post(i, nodes[(i + 1) % 2])));
    for (const [i, res] of retries.entries()) {
      expect(res.status).toBe(201);
      expect(res.headers.get("Idempotent-Replayed")).toBe("true");
      expect(await res.json()).toEqual({ id: ids.get(i) });
    }
    const [{ n }] = await rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM responses WHERE workspace_id = ${workspaceId}`);
    expect(n).toBe(RESPONSES);
    expect(new Set(ids.values()).size).toBe(RESPONSES);
    const checked = await rollupsAndRecomputationInDb();
    expect(checked.daily.stored).toEqual(checked.daily.recomputed);
    expect(checked.weekly.stored).toEqual(checked.weekly.recomputed);
    expect(checked.daily.stored.length).toBeGreaterThan(0);
  });

  it("gives the same insights through both nodes", async () => {
    const today = new Date().toISOString().slice(0, 10);
    for (const path of [
      `/api/v1/insights/nps?by=touchpoint&to=${today}`,
      `/api/v1/insights/gaps?by=process&to=${today}`,
      `/api/v1/insights/csat?by=touchpoint&to=${today}`,
      `/api/v1/insights/trends?to=${today}`,
    ]) {
      const [a, b] = await Promise.all(nodes.map(async (node) => {
        const res = await api(node, path);
        expect(res.status, path).toBe(200);
        return res.json();
      }));
      expect(b, path).toEqual(a);
    }
    const nps = (await (await api(nodes[1], `/api/v1/insights/nps?by=touchpoint&to=${today}`)).json()) as { total: { n: number } | null };
    expect(nps.total?.n).toBe(RESPONSES);
  });

  it("sends each webhook delivery once, whichever node sends it", async () => {
    const { rows } = await import("#db/client");
    const { sql } = await import("drizzle-orm");
    await until("every delivery delivered", async () => {
      const [{ waiting }] = await rows<{ waiting: number }>(
        sql`SELECT count(*)::int AS waiting FROM webhook_deliveries WHERE workspace_id = ${workspaceId} AND status <> 'delivered'`,
      );
      return waiting === 0 && hooks.received.length >= RESPONSES;
    });
    // A moment more, for a duplicate to show up if one were on its way.
    await new Promise((r) => setTimeout(r, 1500));
    expect(hooks.received.length).toBe(RESPONSES);
    expect(new Set(hooks.received).size).toBe(RESPONSES);
  });

  it("shows an import started through one node, its progress and its report, on pages served by the other", async () => {
    const { rows } = await import("#db/client");
    const { sql } = await import("drizzle-orm");
    const ROWS = 60_000;
    const lines = ["codigo,nombre"];
    for (let i = 0; i < ROWS; i++) lines.push(`N-${i},Cliente ${i}`);
    const onA = new HttpClient(nodes[0].url);
    await onA.signIn("ana@dos.test", password);
    const form = new FormData();
    form.set("kind", "customers");
    form.set("file", new Blob([lines.join("\n")], { type: "text/csv" }), "clientes.csv");
    const uploaded = await onA.post(`/w/${SLUG}/crm/import`, form);
    expect(uploaded.status).toBe(302);
    const jobId = new URL(uploaded.headers.get("location")!, nodes[0].url).searchParams.get("job")!;
    const started = await onA.post(`/w/${SLUG}/crm/import`, { intent: "start", job: jobId, "map.external_id": "codigo", "map.name": "nombre" });
    expect(started.status).toBe(302);

    // Whichever node runs it, the other serves the page.
    const holder = await until("the job to be claimed", async () => {
      const [row] = await rows<{ status: string; locked_by: string | null }>(sql`SELECT status, locked_by FROM jobs WHERE public_id = ${jobId}`);
      expect(row.status).not.toBe("done");
      return row.status === "running" ? row.locked_by : null;
    });
    const other = nodes.find((n) => holder.split(":")[1] !== String(n.pid))!;
    expect(other).toBeDefined();
    const onOther = onA.at(other.url);
    const jobPage = `/w/${SLUG}/crm/import?job=${encodeURIComponent(jobId)}`;
    let sawProgress = false;
    const report = await until(
      "the report",
      async () => {
        const text = await (await onOther.get(jobPage)).text();
        // The running node's progress, as the other node reads it from the database.
        if (text.includes('id="progress-title"') && text.includes("bytesRead")) sawProgress = true;
        return text.includes('data-testid="import-outcome"') ? text : null;
      },
      120_000,
    );
    expect(sawProgress).toBe(true);
    expect(report).toMatch(/data-testid="count-added">60[.,\s]?000</);
    const [{ n }] = await rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM customers WHERE workspace_id = ${workspaceId}`);
    expect(n).toBe(ROWS);
  }, 180_000);

  it("stores a key sent to both nodes at the same moment once, and answers both with its id", async () => {
    const { rows } = await import("#db/client");
    const { sql } = await import("drizzle-orm");
    const { rollupsAndRecomputationInDb } = await import("../support/rollup-check");
    const [{ before }] = await rows<{ before: number }>(sql`SELECT count(*)::int AS before FROM responses WHERE workspace_id = ${workspaceId}`);
    // Each key on both nodes in the same burst: the batches that lose the race to the unique index
    // are written again one response at a time, and the loser of each key replays the winner's answer.
    const KEYS = 24;
    const replies = await Promise.all(
      Array.from({ length: KEYS * 2 }, (_, j) =>
        api(nodes[j % 2], "/api/v1/responses", {
          method: "POST",
          headers: { "Idempotency-Key": `both-nodes:${j >> 1}` },
          body: JSON.stringify({ deployment: deploymentId, answers: answers(j >> 1) }),
        }),
      ),
    );
    const answered = await Promise.all(replies.map(async (res) => ({ status: res.status, replayed: res.headers.get("Idempotent-Replayed"), id: ((await res.json()) as { id: number }).id })));
    for (let k = 0; k < KEYS; k++) {
      const pair = [answered[2 * k], answered[2 * k + 1]];
      expect(pair.map((a) => a.status)).toEqual([201, 201]);
      expect(pair[0].id).toBe(pair[1].id);
      expect(pair.filter((a) => a.replayed === "true").length).toBeLessThanOrEqual(1);
    }
    const [{ n }] = await rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM responses WHERE workspace_id = ${workspaceId}`);
    expect(n).toBe(before + KEYS);
    const checked = await rollupsAndRecomputationInDb();
    expect(checked.daily.stored).toEqual(checked.daily.recomputed);
    expect(checked.weekly.stored).toEqual(checked.weekly.recomputed);
  });
});
