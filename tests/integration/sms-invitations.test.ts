// Invitations by SMS against a fake provider this test starts (an HTTP server on a free port that
// records what it receives), in a workspace with an SMS provider and no mail server: a customer with
// only a phone gets the text in their language with their personal link, reminders keep the SMS
// channel, a deployment set to e-mail on its invitation page sends no SMS, and a customer no channel
// reaches is recorded as skipped with the reason.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { and, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "#db/client";
import { customers, deploymentMail, invitationEvents, invitationSends, workspaces } from "#db/schema/index";
import { DEFAULT_DEPLOYMENT_MAIL, saveDeploymentMail } from "~/data/deployment-mail.server";
import { createInvitationsForCustomers } from "~/data/invitations.server";
import { saveSmsSettings } from "~/data/sms-settings.server";
import { freshDatabasePath, removeDatabase } from "../support/database";
import { PASSWORD, importSample, makeUser, makeWorkspace } from "../support/fixtures";
import { HttpClient } from "../support/http-client";
import { makeSurveyFixture } from "../support/survey-fixtures";
import { startServer, type RunningServer } from "../support/server";

const dbFile = freshDatabasePath("sms-invitations");
process.env.VIVENCIA_SECRET_KEY = "sms-invitations-test-key-0123456789-abcdefghijk";
// No mail server: the link's origin comes from PUBLIC_URL.
const PUBLIC_URL = "https://encuestas.bancosol.test";

type Received = { to: string; text: string };
const received: Received[] = [];
let provider: http.Server;
let server: RunningServer;
let admin: HttpClient;
let ws: number;
let smsDeployment: number;
let mailDeployment: number;

function startProvider(): Promise<http.Server> {
  const fake = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += String(chunk)));
    req.on("end", () => {
      const message = JSON.parse(body) as { destination: string; message: string };
      received.push({ to: message.destination, text: message.message });
      res.writeHead(201, { "content-type": "application/json" }).end('{"status": "queued"}');
    });
  });
  return new Promise((resolve) => fake.listen(0, "127.0.0.1", () => resolve(fake)));
}

async function waitUntil<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function customer(externalId: string, contact: { email?: string; phone?: string; language: string }) {
  await getDb()
    .insert(customers)
    .values({ workspaceId: ws, externalId, email: contact.email ?? null, phone: contact.phone ?? null, language: contact.language, name: externalId });
}

async function invite(deployment: number, externalIds: string[]) {
  const result = await createInvitationsForCustomers(ws, { deployment, customers: externalIds, expiresInHours: 72 }, new Date());
  if (!result?.ok) throw new Error("invitations not created");
  return result.invitations;
}

const sendsOf = (invitationIds: number[]) => getDb().select().from(invitationSends).where(inArray(invitationSends.invitationId, invitationIds));

beforeAll(async () => {
  provider = await startProvider();
  const owner = await makeUser("owner@sms-inv.test");
  ws = (await makeWorkspace("sms-inv", owner.id)).id;
  await getDb().update(workspaces).set({ brandName: "Banco Sol" }).where(eq(workspaces.id, ws));
  await importSample(ws);
  smsDeployment = (await makeSurveyFixture(ws, { touchpointKey: "bank-branch-welcome" })).deploymentId;
  mailDeployment = (await makeSurveyFixture(ws, { touchpointKey: "bank-branch-welcome" })).deploymentId;
  const allDay = { ...DEFAULT_DEPLOYMENT_MAIL, reminders: 1, reminderDays: 1, window: { start: 0, end: 24 * 60 } };
  await saveDeploymentMail(ws, smsDeployment, allDay);
  await saveDeploymentMail(ws, mailDeployment, allDay);
  const port = (provider.address() as AddressInfo).port;
  const saved = await saveSmsSettings(
    ws,
    { url: `http://127.0.0.1:${port}/sms`, authHeaderName: "", authHeaderValue: "", authHeaderEnv: "", bodyTemplate: '{"destination": "{{to}}", "message": "{{text}}"}', senderId: "" },
    owner.id,
  );
  expect(saved.ok).toBe(true);
  server = await startServer(dbFile, { JOB_POLL_MS: "100", JOB_LEASE_MS: "1500", MAIL_CLAIM_MS: "2000", PUBLIC_URL, VIVENCIA_SECRET_KEY: process.env.VIVENCIA_SECRET_KEY! });
  admin = new HttpClient(server.url);
  await admin.signIn("owner@sms-inv.test", PASSWORD);
  await admin.post("/lang", { lang: "en", redirectTo: "/workspaces" });
}, 120_000);

afterAll(async () => {
  await server?.stop();
  await new Promise<void>((resolve) => (provider ? provider.close(() => resolve()) : resolve()));
  removeDatabase(dbFile);
});

describe("invitations by SMS", () => {
  it("sends a customer with only a phone the SMS in their language with their personal link, and plans the reminder by SMS", async () => {
    await customer("P-EN", { phone: "+44 7700 900123", language: "en-GB" });
    await customer("P-ES", { phone: "+34 600 111 222", language: "es" });
    // E-mail and phone, but no mail server in this workspace: the text reaches them.
    await customer("P-BOTH", { email: "both@cliente.test", phone: "+34 600 333 444", language: "es" });
    const [en, es, both] = await invite(smsDeployment, ["P-EN", "P-ES", "P-BOTH"]);
    await waitUntil("three texts", async () => received.length >= 3);
    const to = (phone: string) => received.filter((r) => r.to === phone).map((r) => r.text);
    expect(to("+447700900123")).toEqual([`Banco Sol: how did it go? Tell us in 1 minute: ${PUBLIC_URL}/s/${en.token}?lang=en`]);
    expect(to("+34600111222")).toEqual([`Banco Sol: ¿qué tal le fue? Cuéntenos en 1 minuto: ${PUBLIC_URL}/s/${es.token}?lang=es`]);
    expect(to("+34600333444")).toEqual([`Banco Sol: ¿qué tal le fue? Cuéntenos en 1 minuto: ${PUBLIC_URL}/s/${both.token}?lang=es`]);

    const sends = await waitUntil("the sends recorded with their reminders", async () => {
      const s = await sendsOf([en.id, es.id, both.id]);
      return s.filter((r) => r.seq === 0 && r.state === "sent").length === 3 && s.length === 6 && s;
    });
    expect(sends.every((r) => r.channel === "sms")).toBe(true);
    expect(sends.filter((r) => r.seq === 1).map((r) => r.state)).toEqual(["queued", "queued", "queued"]);
    expect(sends.find((r) => r.invitationId === en.id && r.seq === 0)?.recipient).toBe("+44 7700 900123");
    // The text went to the phone of a customer who also has an address: the row says so.
    expect(sends.find((r) => r.invitationId === both.id && r.seq === 0)?.recipient).toBe("+34 600 333 444");

    // The personal link opens the survey in the customer's language.
    const page = await fetch(`${server.url}/s/${en.token}?lang=en`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<html lang="en"');
  });

  it("an admin sets a deployment to e-mail on its invitation page; it then sends no SMS and records why", async () => {
    const bad = await admin.post(`/w/sms-inv/deployments/${mailDeployment}/mail`, { intent: "channel", channel: "pigeon" });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("Choose e-mail, SMS or e-mail with SMS.");
    const set = await admin.post(`/w/sms-inv/deployments/${mailDeployment}/mail`, { intent: "channel", channel: "email" });
    expect(set.status).toBe(200);
    expect(await set.text()).toContain("Channel saved.");
    const [stored] = await getDb().select({ channel: deploymentMail.channel }).from(deploymentMail).where(eq(deploymentMail.deploymentId, mailDeployment));
    expect(stored.channel).toBe("email");

    received.length = 0;
    await customer("M-PHONE", { phone: "+34 600 555 666", language: "es" });
    await customer("M-BOTH", { email: "m-both@cliente.test", phone: "+34 600 777 888", language: "en" });
    const [phoneOnly, withBoth] = await invite(mailDeployment, ["M-PHONE", "M-BOTH"]);
    const sends = await sendsOf([phoneOnly.id, withBoth.id]);
    expect(sends.map((s) => [s.invitationId, s.channel, s.state, s.response])).toEqual([
      [phoneOnly.id, "email", "skipped", "no e-mail address"],
      [withBoth.id, "email", "skipped", "no mail server set up"],
    ]);
    const skipped = await getDb()
      .select({ detail: invitationEvents.detail })
      .from(invitationEvents)
      .where(and(eq(invitationEvents.invitationId, phoneOnly.id), eq(invitationEvents.kind, "skipped")));
    expect(skipped).toEqual([{ detail: "no e-mail address" }]);

    // The SMS deployment still sends: a text queued after these arrives, and none for the e-mail deployment.
    await customer("P-LATER", { phone: "+34 600 999 000", language: "es" });
    const [later] = await invite(smsDeployment, ["P-LATER"]);
    await waitUntil("the later text", async () => received.some((r) => r.text.includes(later.token)));
    expect(received.map((r) => r.to)).toEqual(["+34600999000"]);

    // The outbox names the customer by their phone and says why nothing went.
    const outbox = await (await admin.get(`/w/sms-inv/outbox?deployment=${mailDeployment}`)).text();
    expect(outbox).toContain("+34 600 555 666");
    expect(outbox).toContain("<code>no e-mail address</code>");

    // The page shows the saved choice.
    const html = await (await admin.get(`/w/sms-inv/deployments/${mailDeployment}/mail`)).text();
    expect(html).toMatch(/<option value="email" selected=""/);
  });
});
