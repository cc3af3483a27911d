// The CRM over real HTTP: POST /api/v1/customers and /api/v1/events with workspace tokens (auth, batch
// limit, per-item errors, idempotency, workspaces kept apart), and the customer pages' scoping and roles.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, count, eq } from "drizzle-orm";
import { freshDatabasePath, removeDatabase } from "../support/database";
import { startServer, type RunningServer } from "../support/server";
import { HttpClient } from "../support/http-client";
import { PASSWORD, addMember, makeUser, makeWorkspace } from "../support/fixtures";
import { getDb } from "#db/client";
import { crmEvents, customers } from "#db/schema/index";
import { createApiToken, revokeApiToken, listApiTokens } from "~/data/api-tokens.server";
import { customerIdByExternalId } from "~/data/customers.server";

const dbFile = freshDatabasePath("crm-api");
let server: RunningServer;
let a: number;
let b: number;
let tokenA: string;
let tokenB: string;
let revoked: string;

beforeAll(async () => {
  const alice = await makeUser("alice@crm-a.test");
  const bob = await makeUser("bob@crm-b.test");
  const max = await makeUser("max@crm-a.test");
  a = (await makeWorkspace("crm-a", alice.id)).id;
  b = (await makeWorkspace("crm-b", bob.id)).id;
  await addMember("crm-a", max.id, "manager");
  tokenA = await createApiToken(a, "CRM sync", alice.id);
  tokenB = await createApiToken(b, "CRM sync", bob.id);
  revoked = await createApiToken(a, "old", alice.id);
  await revokeApiToken(a, (await listApiTokens(a)).find((t) => t.name === "old")!.id);
  server = await startServer(dbFile);
});

afterAll(async () => {
  await server?.stop();
  removeDatabase(dbFile);
});

function post(path: string, body: unknown, token: string | null = tokenA) {
  return fetch(server.url + path, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

async function as(email: string) {
  const client = new HttpClient(server.url);
  await client.signIn(email, PASSWORD);
  return client;
}

const eventCount = async (workspaceId: number) =>
  (await getDb().select({ n: count() }).from(crmEvents).where(eq(crmEvents.workspaceId, workspaceId)))[0].n;

describe("token authentication", () => {
  it("answers 401 without a token, with an unknown one and with a revoked one", async () => {
    for (const path of ["/api/v1/customers", "/api/v1/events"]) {
      for (const token of [null, "viv_not-a-token", revoked]) {
        const res = await post(path, [], token);
        expect(res.status, `${path} ${token}`).toBe(401);
        expect(await res.json()).toMatchObject({ error: "unauthorized" });
      }
    }
  });
});

describe("POST /api/v1/customers", () => {
  const batch = [
    { external_id: "C-1", name: "Ana Pérez", email: "ana@example.com", language: "es-CO" },
    { external_id: "C-2", name: "Bob", email: "bob@" },
    { name: "no id" },
    42,
    { external_id: "C-3", created_at: "2019-05-14" },
  ];

  it("upserts the valid items and lists each invalid one by index, external id and reason", async () => {
    const res = await post("/api/v1/customers", batch);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      created: 2,
      updated: 0,
      unchanged: 0,
      rejected: 3,
      errors: [
        { index: 1, externalId: "C-2", errors: ['email: "bob@" is not an e-mail address'] },
        { index: 2, errors: ["external_id is required"] },
        { index: 3, errors: [expect.stringMatching(/JSON object/)] },
      ],
    });
  });

  it("is idempotent, and updates only what changed", async () => {
    expect(await (await post("/api/v1/customers", batch)).json()).toMatchObject({ created: 0, updated: 0, unchanged: 2, rejected: 3 });
    const res = await post("/api/v1/customers", [{ external_id: "C-1", phone: "+57 300 123 4567" }]);
    expect(await res.json()).toMatchObject({ created: 0, updated: 1 });
    const [ana] = await getDb()
      .select()
      .from(customers)
      .where(and(eq(customers.workspaceId, a), eq(customers.externalId, "C-1")))
      .limit(1);
    expect(ana).toMatchObject({ name: "Ana Pérez", email: "ana@example.com", phone: "+57 300 123 4567", language: "es" });
  });

  it("refuses a body that is not a JSON array, and a batch over 1,000, with a message saying what to send", async () => {
    const notArray = await post("/api/v1/customers", { external_id: "C-9" });
    expect(notArray.status).toBe(400);
    expect(await notArray.json()).toMatchObject({ error: "not_an_array", message: expect.stringMatching(/JSON array/) });
    const notJson = await post("/api/v1/customers", "{ external_id: ");
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toMatchObject({ error: "invalid_json" });
    const tooMany = await post("/api/v1/customers", Array.from({ length: 1001 }, (_, i) => ({ external_id: `X-${i}` })));
    expect(tooMany.status).toBe(400);
    expect(await tooMany.json()).toMatchObject({ error: "batch_too_large", message: expect.stringMatching(/at most 1000/) });
    expect(await customerIdByExternalId(a, "X-0")).toBeNull();
    const thousand = await post("/api/v1/customers", Array.from({ length: 1000 }, (_, i) => ({ external_id: `K-${i}` })));
    expect(await thousand.json()).toMatchObject({ created: 1000, rejected: 0 });
  });

  it("answers GET with 405", async () => {
    const res = await fetch(`${server.url}/api/v1/customers`, { headers: { Authorization: `Bearer ${tokenA}` } });
    expect(res.status).toBe(405);
  });
});

describe("POST /api/v1/events", () => {
  const events = [
    { external_id: "E-1", customer_external_id: "C-1", type: "purchase", occurred_at: "2026-01-10T10:00:00Z", amount: 120.5, currency: "EUR", channel: "store" },
    { customer_external_id: "C-1", type: "visit", occurred_at: "2026-01-11", channel: "web" },
    { external_id: "E-3", customer_external_id: "C-NEW", type: "Compra", occurred_at: "2026-02-01", amount: "12,50" },
    { external_id: "E-4", customer_external_id: "C-1", type: "purchase", occurred_at: "2026-02-30" },
    { external_id: "E-5", type: "purchase", occurred_at: "2026-02-01", currency: "euros" },
  ];

  it("records the valid events, creates unknown customers bare, and reports the invalid ones", async () => {
    const res = await post("/api/v1/events", events);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ created: 3, updated: 0, unchanged: 0, rejected: 2, customersCreated: 1, invitations: 0 });
    expect(body.errors).toEqual([
      { index: 3, externalId: "E-4", errors: [expect.stringMatching(/^occurred_at: "2026-02-30" is not an ISO 8601 date/)] },
      { index: 4, externalId: "E-5", errors: ["customer_external_id is required", expect.stringMatching(/^currency: "EUROS" is not an ISO 4217 code/)] },
    ]);
    expect(await eventCount(a)).toBe(3);
  });

  it("is idempotent: the same batch again creates nothing (with or without event ids)", async () => {
    expect(await (await post("/api/v1/events", events)).json()).toMatchObject({ created: 0, unchanged: 3, rejected: 2, customersCreated: 0 });
    expect(await eventCount(a)).toBe(3);
  });

  it("keeps workspaces apart: B's token writes B's customers and events, never A's", async () => {
    const res = await post("/api/v1/events", events.slice(0, 3), tokenB);
    expect(await res.json()).toMatchObject({ created: 3, customersCreated: 2 });
    expect(await eventCount(a)).toBe(3);
    expect(await eventCount(b)).toBe(3);
    expect(await customerIdByExternalId(b, "C-1")).not.toBe(await customerIdByExternalId(a, "C-1"));
  });

  it("refuses a batch over 1,000 and a non-array body", async () => {
    expect((await post("/api/v1/events", Array.from({ length: 1001 }, () => ({})))).status).toBe(400);
    expect((await post("/api/v1/events", { events: [] })).status).toBe(400);
  });
});

describe("customer pages", () => {
  it("shows the list, a customer's page with its timeline, and the export", async () => {
    const alice = await as("alice@crm-a.test");
    const list = await alice.get("/w/crm-a/customers?q=ana");
    expect(list.status).toBe(200);
    expect(await list.text()).toContain("Ana Pérez");
    const id = (await customerIdByExternalId(a, "C-1"))!;
    const page = await alice.get(`/w/crm-a/customers/${id}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("Ana Pérez");
    expect(html).toContain("purchase");
    expect(html).toContain("visit");
    const csv = await alice.get("/w/crm-a/customers/export.csv?q=C-1");
    expect(csv.status).toBe(200);
    expect(csv.headers.get("Content-Type")).toMatch(/text\/csv/);
    expect(await csv.text()).toMatch(/\r\nC-1,Ana Pérez,ana@example\.com,/);
  });

  it("answers 404 for another workspace's customer, in either workspace's URLs", async () => {
    const alice = await as("alice@crm-a.test");
    const bobsCustomer = (await customerIdByExternalId(b, "C-1"))!;
    expect((await alice.get(`/w/crm-a/customers/${bobsCustomer}`)).status).toBe(404);
    expect((await alice.get(`/w/crm-b/customers/${bobsCustomer}`)).status).toBe(404);
    expect((await alice.get("/w/crm-b/customers")).status).toBe(404);
    expect((await alice.get("/w/crm-b/customers/export.csv")).status).toBe(404);
    expect((await alice.get("/w/crm-a/customers/not-a-number")).status).toBe(404);
  });

  it("lets a manager read customers and segmentation, but not import, save or recompute", async () => {
    const max = await as("max@crm-a.test");
    expect((await max.get("/w/crm-a/customers")).status).toBe(200);
    expect((await max.get("/w/crm-a/segmentation")).status).toBe(200);
    expect((await max.get("/w/crm-a/crm/import")).status).toBe(403);
    expect((await max.post("/w/crm-a/segmentation", { intent: "recompute" })).status).toBe(403);
    const preview = await max.post("/w/crm-a/segmentation", {
      intent: "preview",
      windowDays: "365",
      "w.monetary": "0.4",
      "w.frequency": "0.3",
      "w.recency": "0.2",
      "w.tenure": "0.1",
      "w.averageTicket": "0",
      method: "score_percentile",
      premiumShare: "10",
      regularShare: "30",
      premiumRevenueShare: "50",
      regularRevenueShare: "30",
    });
    expect(preview.status).toBe(200);
  });

  it("lets an admin recompute tiers; bad settings answer 400 with the reason", async () => {
    const alice = await as("alice@crm-a.test");
    expect((await alice.post("/w/crm-a/segmentation", { intent: "recompute" })).status).toBe(200);
    const [ana] = await getDb()
      .select()
      .from(customers)
      .where(eq(customers.id, (await customerIdByExternalId(a, "C-1"))!))
      .limit(1);
    expect(ana.tier).not.toBeNull();
    const bad = await alice.post("/w/crm-a/segmentation", {
      intent: "save",
      windowDays: "0",
      "w.monetary": "0",
      "w.frequency": "0",
      "w.recency": "0",
      "w.tenure": "0",
      "w.averageTicket": "0",
      method: "score_percentile",
      premiumShare: "80",
      regularShare: "30",
      premiumRevenueShare: "50",
      regularRevenueShare: "30",
    });
    expect(bad.status).toBe(400);
    // In the interface language (these sessions are Spanish), what was typed kept.
    const refused = await bad.text();
    expect(refused).toContain("Debe ser 1 o más.");
    expect(refused).toMatch(/name="premiumShare"[^>]*value="80"|value="80"[^>]*name="premiumShare"/);
    const weightless = await alice.post("/w/crm-a/segmentation", {
      intent: "preview",
      windowDays: "365",
      "w.monetary": "0",
      "w.frequency": "0",
      "w.recency": "0",
      "w.tenure": "0",
      "w.averageTicket": "0",
      method: "score_percentile",
      premiumShare: "80",
      regularShare: "30",
      premiumRevenueShare: "50",
      regularRevenueShare: "30",
    });
    expect(weightless.status).toBe(400);
    expect(await weightless.text()).toContain("Dé a alguna variable un peso mayor que 0.");
  });
});
