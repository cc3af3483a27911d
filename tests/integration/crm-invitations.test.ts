// CRM event → survey invitation over real HTTP: a new event whose type a deployment rule listens to
// invites its customer (recording the event), a second one inside the quiet period does not, a
// re-sent event invites no one twice, and a CSV import triggers the same rules.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { freshDatabasePath, removeDatabase } from "../support/database";
import { startServer, type RunningServer } from "../support/server";
import { importSample, makeUser, makeWorkspace } from "../support/fixtures";
import { getDb } from "#db/client";
import { crmEvents, deploymentRules, deployments, invitations, surveys, surveyVersions, touchpoints } from "#db/schema/index";
import { createApiToken } from "~/data/api-tokens.server";
import { importCsvFile } from "~/data/crm-import.server";
import { customerIdByExternalId } from "~/data/customers.server";

const dbFile = freshDatabasePath("crm-invitations");
let server: RunningServer;
let ws: number;
let token: string;
let ruleId: number;
let deploymentId: number;

beforeAll(async () => {
  const alice = await makeUser("alice@crm-inv.test");
  ws = (await makeWorkspace("crm-inv", alice.id)).id;
  await importSample(ws);
  const db = getDb();
  const [tp] = await db.select().from(touchpoints).where(eq(touchpoints.workspaceId, ws)).limit(1);
  const [survey] = await db
    .insert(surveys)
    .values({ workspaceId: ws, touchpointId: tp.id, title: "Delivery survey", template: "custom" })
    .returning();
  await db.insert(surveyVersions).values({
    workspaceId: ws,
    surveyId: survey.id,
    version: 1,
    definition: JSON.stringify({ pages: [{ name: "p1", elements: [{ type: "comment", name: "c" }] }] }),
    status: "published",
    publishedAt: new Date(),
  });
  [{ id: deploymentId }] = await db
    .insert(deployments)
    .values({ workspaceId: ws, surveyId: survey.id, touchpointId: tp.id, name: "After delivery", publicToken: "crm-inv-test-public-token-0123456789" })
    .returning();
  [{ id: ruleId }] = await db
    .insert(deploymentRules)
    .values({ workspaceId: ws, deploymentId, eventType: "delivery", delayMinutes: 60, samplingRate: 1, quietPeriodDays: 30, expiryHours: 168 })
    .returning();
  token = await createApiToken(ws, "CRM", alice.id);
  server = await startServer(dbFile);
});

afterAll(async () => {
  await server?.stop();
  removeDatabase(dbFile);
});

async function postEvents(items: unknown[]) {
  const res = await fetch(`${server.url}/api/v1/events`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
    body: JSON.stringify(items),
  });
  expect(res.status).toBe(200);
  return res.json();
}

const invitationsOf = async (externalId: string) =>
  getDb()
    .select()
    .from(invitations)
    .where(and(eq(invitations.workspaceId, ws), eq(invitations.customerId, (await customerIdByExternalId(ws, externalId)) ?? -1)));

const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();

describe("event → invitation", () => {
  it("invites the customer of a new delivery event, and the invitation records the event", async () => {
    const body = await postEvents([{ external_id: "D-1", customer_external_id: "C-1", type: "delivery", occurred_at: hoursAgo(0.25), channel: "courier" }]);
    expect(body).toMatchObject({ created: 1, invitations: 1, customersCreated: 1 });
    const [invitation] = await invitationsOf("C-1");
    const [event] = await getDb()
      .select()
      .from(crmEvents)
      .where(and(eq(crmEvents.workspaceId, ws), eq(crmEvents.externalId, "D-1")))
      .limit(1);
    expect(invitation).toMatchObject({ eventId: event.id, ruleId, deploymentId, state: "pending" });
    // Sent an hour after the delivery (the rule's delay; never in the past), expiring 168 hours later.
    expect(invitation.sendAt.getTime()).toBe(event.occurredAt.getTime() + 60 * 60_000);
    expect(invitation.expiresAt.getTime() - invitation.sendAt.getTime()).toBe(168 * 3_600_000);
  });

  it("does not invite the same customer again inside the quiet period", async () => {
    const body = await postEvents([{ external_id: "D-2", customer_external_id: "C-1", type: "delivery", occurred_at: hoursAgo(1) }]);
    expect(body).toMatchObject({ created: 1, invitations: 0 });
    expect(await invitationsOf("C-1")).toHaveLength(1);
  });

  it("invites another customer, ignores types no rule listens to, and never invites twice for a re-sent event", async () => {
    const batch = [
      { external_id: "D-3", customer_external_id: "C-2", type: "delivery", occurred_at: hoursAgo(1) },
      { external_id: "P-1", customer_external_id: "C-3", type: "purchase", occurred_at: hoursAgo(1), amount: 20 },
    ];
    expect(await postEvents(batch)).toMatchObject({ created: 2, invitations: 1 });
    expect(await postEvents(batch)).toMatchObject({ created: 0, unchanged: 2, invitations: 0 });
    expect(await invitationsOf("C-2")).toHaveLength(1);
    expect(await invitationsOf("C-3")).toHaveLength(0);
  });

  it("asks nothing about an event so old that an invitation would already have expired", async () => {
    expect(await postEvents([{ external_id: "D-OLD", customer_external_id: "C-4", type: "delivery", occurred_at: "2020-01-01" }])).toMatchObject({
      created: 1,
      invitations: 0,
    });
  });

  it("triggers the same rules from a CSV import, with the quiet period across sources", async () => {
    const dir = path.resolve("tests/.tmp");
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `crm-inv-${process.pid}.csv`);
    fs.writeFileSync(
      file,
      ["external_id,customer_external_id,type,occurred_at", `D-10,C-5,delivery,${hoursAgo(3)}`, `D-11,C-1,delivery,${hoursAgo(3)}`, `D-12,C-5,delivery,${hoursAgo(2)}`].join("\n"),
    );
    try {
      const report = await importCsvFile(file, { workspaceId: ws, kind: "events" });
      expect(report).toMatchObject({ imported: true, added: 3, invitations: 1 });
      expect(await invitationsOf("C-5")).toHaveLength(1);
      expect(await invitationsOf("C-1")).toHaveLength(1);
      expect((await importCsvFile(file, { workspaceId: ws, kind: "events" })).invitations).toBe(0);
    } finally {
      fs.rmSync(file, { force: true });
    }
  });

  it("pays nothing for the engine when no rule is active", async () => {
    await getDb().update(deploymentRules).set({ active: false }).where(eq(deploymentRules.id, ruleId));
    expect(await postEvents([{ external_id: "D-20", customer_external_id: "C-6", type: "delivery", occurred_at: hoursAgo(1) }])).toMatchObject({
      created: 1,
      invitations: 0,
    });
  });
});
