// Deployments and invitations over real HTTP: the API with a workspace token, the admin form, the
// outbox and its CSV, deployment rules through the deploy page, and invitationsForEvent.
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "#db/client";
import { crmEvents, customers, deploymentRules, invitations } from "#db/schema/index";
import { createApiToken } from "~/data/api-tokens.server";
import { createDeployment, createRule, setDeploymentActive, RuleInputSchema } from "~/data/deployments.server";
import { invitationsForEvent } from "~/data/invitations.server";
import { findTouchpointByKey } from "~/data/journeys.server";
import { createSurveyFromTemplate, editableVersion, saveAndPublish } from "~/data/surveys.server";
import { freshDatabasePath, removeDatabase } from "../support/database";
import { PASSWORD, addMember, importSample, makeUser, makeWorkspace } from "../support/fixtures";
import { HttpClient } from "../support/http-client";
import { startServer, type RunningServer } from "../support/server";

const dbFile = freshDatabasePath("surveys-invitations");
let server: RunningServer;
let aId: number;
let bId: number;
let surveyA: number;
let unpublishedA: number;
let depA: number;
let depB: number;
let tokenA: string;
let tokenB: string;

async function publishedSurvey(workspaceId: number, touchpointKey: string, userId: number, publish = true) {
  const tp = (await findTouchpointByKey(workspaceId, touchpointKey))!;
  const created = await createSurveyFromTemplate(workspaceId, userId, { touchpointId: tp.id, template: "gap_pair", blocks: { nps: true } });
  if (!created?.ok) throw new Error("survey not created");
  if (publish) {
    const draft = (await editableVersion(workspaceId, created.surveyId))!;
    const published = await saveAndPublish(workspaceId, created.surveyId, userId, draft.definition);
    if (!published?.ok) throw new Error("survey not published");
  }
  return created.surveyId;
}

async function deploymentOf(workspaceId: number, surveyId: number, name: string) {
  const d = await createDeployment(workspaceId, surveyId, name);
  if (!d?.ok) throw new Error("deployment not created");
  return d.deployment.id;
}

beforeAll(async () => {
  const alice = await makeUser("alice@a.test");
  const bob = await makeUser("bob@b.test");
  const dora = await makeUser("dora@a.test");
  aId = (await makeWorkspace("brand-a", alice.id)).id;
  bId = (await makeWorkspace("brand-b", bob.id)).id;
  await addMember("brand-a", dora.id, "designer");
  await importSample(aId);
  await importSample(bId);
  surveyA = await publishedSurvey(aId, "bank-branch-welcome", alice.id);
  unpublishedA = await publishedSurvey(aId, "bank-contact-center-call", alice.id, false);
  depA = await deploymentOf(aId, surveyA, "Counter QR");
  depB = await deploymentOf(bId, await publishedSurvey(bId, "bank-branch-welcome", bob.id), "B counter");
  tokenA = await createApiToken(aId, "crm", alice.id);
  tokenB = await createApiToken(bId, "crm", bob.id);
  server = await startServer(dbFile);
});

afterAll(async () => {
  await server?.stop();
  removeDatabase(dbFile);
});

/** The page as a person reads it: without the scripts, whose data also carries the action's messages. */
const shown = async (res: Response) => (await res.text()).replace(/<script[\s\S]*?<\/script>/g, "");

async function as(email: string) {
  const client = new HttpClient(server.url);
  await client.signIn(email, PASSWORD);
  return client;
}

function api(body: unknown, token: string | null = tokenA, raw = false) {
  const headers: Record<string, string> = { "Content-Type": "application/json" };
  if (token) headers.Authorization = `Bearer ${token}`;
  return fetch(`${server.url}/api/v1/invitations`, { method: "POST", headers, body: raw ? (body as string) : JSON.stringify(body) });
}

type ApiInvitation = { id: number; customer: string; customerCreated: boolean; state: string; link: string; sendAt: string; expiresAt: string };

describe("POST /api/v1/invitations", () => {
  it("creates single-use links for a list of customers, creating unknown customers", async () => {
    await getDb().insert(customers).values({ workspaceId: aId, externalId: "C-1", name: "Ana Pérez", email: "ana@example.test" });
    const before = Date.now();
    const res = await api({ deployment: depA, customers: ["C-1", "C-2", "C-1", " C-3 "], expiresInHours: 48 });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { invitations: ApiInvitation[] };
    expect(body.invitations.map((i) => [i.customer, i.customerCreated])).toEqual([
      ["C-1", false],
      ["C-2", true],
      ["C-3", true],
    ]);
    const tokens = new Set<string>();
    for (const inv of body.invitations) {
      const match = new RegExp(`^${server.url}/s/([A-Za-z0-9_-]+)$`).exec(inv.link);
      expect(match, inv.link).not.toBeNull();
      // ≥ 128 random bits: 24 bytes of base64url are 32 characters.
      expect(match![1].length).toBeGreaterThanOrEqual(32);
      tokens.add(match![1]);
      expect(inv.state).toBe("pending");
      const hours = (Date.parse(inv.expiresAt) - Date.parse(inv.sendAt)) / 3_600_000;
      expect(hours).toBe(48);
      expect(Date.parse(inv.sendAt)).toBeGreaterThanOrEqual(before - 1000);
    }
    expect(tokens.size).toBe(3);
    const [created] = await getDb().select().from(customers).where(and(eq(customers.workspaceId, aId), eq(customers.externalId, "C-2"))).limit(1);
    expect(created).toMatchObject({ name: "", email: null });
    const rows = await getDb().select().from(invitations).where(eq(invitations.deploymentId, depA));
    expect(rows).toHaveLength(3);
    expect(rows.every((r) => r.workspaceId === aId && r.ruleId === null)).toBe(true);
  });

  it("refuses a missing token, another workspace's token and another workspace's deployment", async () => {
    const count = async () => (await getDb().select().from(invitations)).length;
    const before = await count();
    expect((await api({ deployment: depA, customers: ["X"] }, null)).status).toBe(401);
    expect((await api({ deployment: depA, customers: ["X"] }, "viv_not-a-token")).status).toBe(401);
    const crossToken = await api({ deployment: depA, customers: ["X"] }, tokenB);
    expect(crossToken.status).toBe(404);
    expect(await crossToken.json()).toMatchObject({ error: "not_found", errors: { deployment: expect.any(String) } });
    expect((await api({ deployment: depB, customers: ["X"] }, tokenA)).status).toBe(404);
    expect(await count()).toBe(before);
    expect(await getDb().select().from(customers).where(eq(customers.externalId, "X"))).toEqual([]);
  });

  it("answers 400 with field errors for an invalid body, and writes nothing", async () => {
    const before = (await getDb().select().from(invitations)).length;
    const res = await api({ deployment: "twelve", customers: [], expiresInHours: 0 });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: string; message: string; errors: Record<string, string> };
    expect(body.error).toBe("invalid_request");
    expect(Object.keys(body.errors).sort()).toEqual(["customers", "deployment", "expiresInHours"]);
    expect(body.errors.customers).toMatch(/at least one/);
    const item = await api({ deployment: depA, customers: ["ok", "", 7] });
    expect(item.status).toBe(400);
    expect(Object.keys(((await item.json()) as { errors: object }).errors)).toEqual(["customers.1", "customers.2"]);
    const notJson = await api("{ deployment: 1", tokenA, true);
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toMatchObject({ error: "invalid_json" });
    expect((await getDb().select().from(invitations)).length).toBe(before);
  });

  it("refuses a paused deployment with a conflict the caller can act on", async () => {
    await setDeploymentActive(aId, depA, false);
    const res = await api({ deployment: depA, customers: ["C-9"] });
    await setDeploymentActive(aId, depA, true);
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({
      error: "conflict",
      message: "This deployment is paused; resume it before inviting customers.",
      errors: { deployment: "This deployment is paused; resume it before inviting customers." },
    });
  });

  it("the deploy page words a paused deployment's refusal in the interface language", async () => {
    const alice = await as("alice@a.test");
    await setDeploymentActive(aId, depA, false);
    try {
      await alice.post("/lang", { lang: "es", redirectTo: "/workspaces" });
      const es = await alice.post(`/w/brand-a/surveys/${surveyA}/deploy`, { intent: "invite", deploymentId: String(depA), customers: "C-20" });
      expect(es.status).toBe(400);
      const esPage = await shown(es);
      expect(esPage).toContain("Este despliegue está en pausa; reanúdelo antes de invitar a clientes.");
      expect(esPage).toContain("C-20");
      await alice.post("/lang", { lang: "en", redirectTo: "/workspaces" });
      const en = await alice.post(`/w/brand-a/surveys/${surveyA}/deploy`, { intent: "invite", deploymentId: String(depA), customers: "C-20" });
      expect(en.status).toBe(400);
      expect(await shown(en)).toContain("This deployment is paused; resume it before inviting customers.");
    } finally {
      await setDeploymentActive(aId, depA, true);
    }
    expect(await getDb().select().from(customers).where(eq(customers.externalId, "C-20"))).toEqual([]);
  });
});

describe("the outbox", () => {
  it("lists invitations with links and states for admins only, filtered and exported as CSV", async () => {
    // One invitation expired, one completed.
    const rows = await getDb().select().from(invitations).where(eq(invitations.deploymentId, depA));
    await getDb().update(invitations).set({ expiresAt: new Date(Date.now() - 60_000) }).where(eq(invitations.id, rows[1].id));
    await getDb().update(invitations).set({ state: "completed", completedAt: new Date() }).where(eq(invitations.id, rows[2].id));

    const alice = await as("alice@a.test");
    const page = await alice.get("/w/brand-a/outbox");
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(`/s/${rows[0].token}`);
    expect(html).toContain("Ana Pérez");

    const expired = await (await alice.get("/w/brand-a/outbox?state=expired")).text();
    expect(expired).toContain(`/s/${rows[1].token}`);
    expect(expired).not.toContain(`/s/${rows[0].token}`);

    const csv = await alice.get(`/w/brand-a/outbox.csv?deployment=${depA}`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get("Content-Type")).toContain("text/csv");
    expect(csv.headers.get("Content-Disposition")).toMatch(/attachment; filename="invitations-brand-a-\d{4}-\d{2}-\d{2}\.csv"/);
    const lines = (await csv.text()).trim().split("\r\n");
    expect(lines[0]).toBe("customer_external_id,name,email,link,state,expires_at,send_at,deployment");
    expect(lines).toHaveLength(4);
    const byCustomer = new Map(lines.slice(1).map((l) => [l.split(",")[0], l.split(",")]));
    expect(byCustomer.get("C-1")!.slice(0, 5)).toEqual(["C-1", "Ana Pérez", "ana@example.test", `${server.url}/s/${rows[0].token}`, "pending"]);
    expect(byCustomer.get("C-2")![4]).toBe("expired");
    expect(byCustomer.get("C-3")![4]).toBe("completed");
    // The expiry is persisted too once the outbox has been looked at.
    const [persisted] = await getDb().select().from(invitations).where(eq(invitations.id, rows[1].id)).limit(1);
    expect(persisted.state).toBe("expired");

    const onlyCompleted = (await (await alice.get("/w/brand-a/outbox.csv?state=completed")).text()).trim().split("\r\n");
    expect(onlyCompleted).toHaveLength(2);

    const dora = await as("dora@a.test");
    expect((await dora.get("/w/brand-a/outbox")).status).toBe(403);
    expect((await dora.get("/w/brand-a/outbox.csv")).status).toBe(403);
    const bob = await as("bob@b.test");
    const other = await (await bob.get(`/w/brand-b/outbox.csv?deployment=${depA}`)).text();
    expect(other.trim().split("\r\n")).toHaveLength(1);
    expect(other).not.toContain("C-1");
  });

  it("an admin invites a list of customers from the deploy page; a designer cannot", async () => {
    const alice = await as("alice@a.test");
    const res = await alice.post(`/w/brand-a/surveys/${surveyA}/deploy`, { intent: "invite", deploymentId: String(depA), customers: "C-10\nC-11, C-12", expiresInHours: "24" });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toMatch(/3 invitaciones creadas/);
    const [invited] = await getDb().select().from(customers).where(and(eq(customers.workspaceId, aId), eq(customers.externalId, "C-12"))).limit(1);
    expect(invited).toBeTruthy();
    const empty = await alice.post(`/w/brand-a/surveys/${surveyA}/deploy`, { intent: "invite", deploymentId: String(depA), customers: " ", expiresInHours: "24" });
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain("Este campo es obligatorio.");
    expect((await alice.post(`/w/brand-a/surveys/${surveyA}/deploy`, { intent: "invite", deploymentId: String(depB), customers: "C-1" })).status).toBe(404);
    const dora = await as("dora@a.test");
    expect((await dora.post(`/w/brand-a/surveys/${surveyA}/deploy`, { intent: "invite", deploymentId: String(depA), customers: "C-13" })).status).toBe(403);
    expect(await getDb().select().from(customers).where(eq(customers.externalId, "C-13"))).toEqual([]);
  });
});

describe("deployments and rules", () => {
  it("a designer deploys a published survey, not an unpublished one, and manages rules", async () => {
    const dora = await as("dora@a.test");
    const refused = await dora.post(`/w/brand-a/surveys/${unpublishedA}/deploy`, { intent: "createDeployment", name: "Too soon" });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain("Publique una versión antes de desplegar");

    const page = await dora.get(`/w/brand-a/surveys/${surveyA}/deploy`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toMatch(new RegExp(`${server.url}/s/[A-Za-z0-9_-]{32}`));
    expect(html).toContain(`/w/brand-a/deployments/${depA}/qr.svg`);

    const rule = { deploymentId: String(depA), eventType: "purchase", touchpointKey: "bank-branch-welcome", delayMinutes: "30", samplingPercent: "50", quietPeriodDays: "14", expiryHours: "72", capMax: "", capPeriodDays: "", active: "on" };
    const bad = await dora.post(`/w/brand-a/surveys/${surveyA}/deploy`, { intent: "addRule", ...rule, eventType: "Big Purchase", samplingPercent: "150", capMax: "10" });
    expect(bad.status).toBe(400);
    const badHtml = await bad.text();
    expect(badHtml).toContain("solo minúsculas, cifras y _");
    expect(badHtml).toContain("Debe ser 100 o menos.");
    expect(badHtml).toContain("Un límite necesita un número de invitaciones");
    const unknownTp = await dora.post(`/w/brand-a/surveys/${surveyA}/deploy`, { intent: "addRule", ...rule, touchpointKey: "nowhere" });
    expect(unknownTp.status).toBe(400);
    expect(await getDb().select().from(deploymentRules)).toEqual([]);

    const ok = await dora.post(`/w/brand-a/surveys/${surveyA}/deploy`, { intent: "addRule", ...rule });
    expect(ok.status).toBe(200);
    const [saved] = await getDb().select().from(deploymentRules);
    expect(saved).toMatchObject({ workspaceId: aId, deploymentId: depA, eventType: "purchase", delayMinutes: 30, samplingRate: 0.5, quietPeriodDays: 14, capMax: null, active: true });

    const update = await dora.post(`/w/brand-a/surveys/${surveyA}/deploy`, { intent: "updateRule", ruleId: String(saved.id), ...rule, samplingPercent: "100", capMax: "5", capPeriodDays: "7" });
    expect(update.status).toBe(200);
    const [updated] = await getDb().select().from(deploymentRules).where(eq(deploymentRules.id, saved.id)).limit(1);
    expect(updated).toMatchObject({ samplingRate: 1, capMax: 5, capPeriodDays: 7 });

    // Another workspace's admin cannot touch it through their own survey page either.
    const bob = await as("bob@b.test");
    expect((await bob.post(`/w/brand-b/surveys/${surveyA}/deploy`, { intent: "deleteRule", ruleId: String(saved.id) })).status).toBe(404);
    const del = await dora.post(`/w/brand-a/surveys/${surveyA}/deploy`, { intent: "deleteRule", ruleId: String(saved.id) });
    expect(del.status).toBe(200);
    expect(await getDb().select().from(deploymentRules)).toEqual([]);
  });

  it("invitationsForEvent applies the active rules inside the caller's transaction", async () => {
    const db = getDb();
    const input = RuleInputSchema.parse({ eventType: "visit", touchpointKey: "bank-branch-welcome", delayMinutes: "60", samplingPercent: "100", quietPeriodDays: "30", expiryHours: "72", active: "on" });
    const created = await createRule(aId, depA, input);
    expect(created?.ok).toBe(true);
    const ruleId = created && created.ok ? created.rule.id : 0;
    const [customer] = await db.insert(customers).values({ workspaceId: aId, externalId: "EV-1" }).returning();
    const occurredAt = new Date(Date.now() - 10 * 60_000);
    const event = async (dedupeKey: string, type = "visit") =>
      (await db.insert(crmEvents).values({ workspaceId: aId, customerId: customer.id, dedupeKey, type, occurredAt, touchpointKey: "bank-branch-welcome" }).returning())[0];
    const e1 = await event("e1");
    const now = new Date();
    const first = await db.transaction((tx) =>
      invitationsForEvent(tx, aId, { id: e1.id, customerId: customer.id, type: "visit", occurredAt, touchpointKey: "bank-branch-welcome" }, now),
    );
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({ workspaceId: aId, deploymentId: depA, customerId: customer.id, ruleId, eventId: e1.id, state: "pending" });
    expect(first[0].sendAt.getTime()).toBe(occurredAt.getTime() + 60 * 60_000);
    expect(first[0].expiresAt.getTime() - first[0].sendAt.getTime()).toBe(72 * 3_600_000);
    expect(first[0].token.length).toBeGreaterThanOrEqual(32);

    // The same event again, and a second visit within the quiet period: nobody is asked twice.
    const again = await db.transaction((tx) => invitationsForEvent(tx, aId, { id: e1.id, customerId: customer.id, type: "visit", occurredAt, touchpointKey: "bank-branch-welcome" }, now));
    expect(again).toEqual([]);
    const e2 = await event("e2");
    expect(await db.transaction((tx) => invitationsForEvent(tx, aId, { id: e2.id, customerId: customer.id, type: "visit", occurredAt, touchpointKey: "bank-branch-welcome" }, now))).toEqual([]);
    // Other event types, other touchpoints and other workspaces trigger nothing.
    const e3 = await event("e3", "purchase");
    expect(await db.transaction((tx) => invitationsForEvent(tx, aId, { id: e3.id, customerId: customer.id, type: "purchase", occurredAt, touchpointKey: null }, now))).toEqual([]);
    expect(await db.transaction((tx) => invitationsForEvent(tx, bId, { id: e2.id, customerId: customer.id, type: "visit", occurredAt, touchpointKey: "bank-branch-welcome" }, now))).toEqual([]);

    // A paused deployment's rules are not applied; a rolled-back transaction leaves nothing.
    const [other] = await db.insert(customers).values({ workspaceId: aId, externalId: "EV-2" }).returning();
    const [e4] = await db.insert(crmEvents).values({ workspaceId: aId, customerId: other.id, dedupeKey: "e4", type: "visit", occurredAt }).returning();
    const ev4 = { id: e4.id, customerId: other.id, type: "visit", occurredAt, touchpointKey: "bank-branch-welcome" };
    await setDeploymentActive(aId, depA, false);
    expect(await db.transaction((tx) => invitationsForEvent(tx, aId, ev4, now))).toEqual([]);
    await setDeploymentActive(aId, depA, true);
    await expect(
      db.transaction(async (tx) => {
        expect(await invitationsForEvent(tx, aId, ev4, now)).toHaveLength(1);
        throw new Error("rollback");
      }),
    ).rejects.toThrow("rollback");
    expect(await db.select().from(invitations).where(eq(invitations.customerId, other.id))).toEqual([]);
    expect(await db.transaction((tx) => invitationsForEvent(tx, aId, ev4, now))).toHaveLength(1);
  });
});
