// Invitation e-mail end to end against the built server and a local SMTP catcher: each customer gets
// the message in their language with the one-click unsubscribe headers; a 5xx refusal marks a bounce;
// an RFC 8058 POST stops the reminders that were queued; and killing the sending server mid-batch
// loses nothing and sends nothing twice once it is restarted.
import fs from "node:fs";
import path from "node:path";
import { and, eq, inArray } from "drizzle-orm";
import { simpleParser, type ParsedMail } from "mailparser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "#db/client";
import { auditEvents, customers, invitationEvents, invitationSends, invitations, mailBounces, mailSettings, workspaces } from "#db/schema/index";
import { saveDeploymentMail, DEFAULT_DEPLOYMENT_MAIL } from "~/data/deployment-mail.server";
import { scheduleMailJob } from "~/data/invitation-delivery.server";
import { createInvitationsForCustomers } from "~/data/invitations.server";
import { refuseBounceDomain, startMailCatcher, type MailCatcher } from "~/data/mail-catcher.server";
import { saveMailSettings } from "~/data/mail-settings.server";
import { freshDatabasePath, removeDatabase } from "../support/database";
import { PASSWORD, importSample, makeUser, makeWorkspace } from "../support/fixtures";
import { HttpClient } from "../support/http-client";
import { makeSurveyFixture } from "../support/survey-fixtures";
import { startServer, type RunningServer } from "../support/server";

const dbFile = freshDatabasePath("mail-invitations");
const mailDir = path.resolve("tests/.tmp", `mailbox-${process.pid}-${Date.now()}`);
const serverEnv = { JOB_POLL_MS: "100", JOB_LEASE_MS: "1500", MAIL_CLAIM_MS: "2000", VIVENCIA_MAIL_CATCHER_DIR: mailDir };
let server: RunningServer;
let catcher: MailCatcher;
let ws: number;
let deployment: number;
/** Set by the crash test: runs when a message has arrived, before the catcher accepts it. */
let beforeAccept: ((raw: Buffer, sessionId: string) => Promise<void>) | null = null;

async function waitUntil<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function customer(externalId: string, email: string, language: string | null, name = "") {
  await getDb().insert(customers).values({ workspaceId: ws, externalId, email, language, name });
}

async function invite(externalIds: string[]) {
  const result = await createInvitationsForCustomers(ws, { deployment, customers: externalIds, expiresInHours: 72 }, new Date());
  if (!result?.ok) throw new Error("invitations not created");
  return result.invitations;
}

/** Caught messages to an address, parsed. */
async function mailTo(address: string): Promise<ParsedMail[]> {
  const mine = catcher.messages().filter((m) => m.to.includes(address));
  return Promise.all(mine.map((m) => simpleParser(m.raw)));
}

/** A header as it was written (mailparser turns List-Unsubscribe into an object). */
function header(mail: ParsedMail, name: string): string {
  const line = mail.headerLines.find((h) => h.key === name.toLowerCase())?.line ?? "";
  return line.slice(line.indexOf(":") + 1).trim();
}

const sendsOf = (invitationIds: number[]) => getDb().select().from(invitationSends).where(inArray(invitationSends.invitationId, invitationIds));

beforeAll(async () => {
  catcher = await startMailCatcher({
    dir: mailDir,
    refuseRecipient: refuseBounceDomain,
    beforeAccept: async (raw, session) => {
      if (beforeAccept) await beforeAccept(raw, session.id);
    },
  });
  const owner = await makeUser("owner@mail.test");
  ws = (await makeWorkspace("mail-brand", owner.id)).id;
  await getDb().update(workspaces).set({ brandName: "Banco Sol" }).where(eq(workspaces.id, ws));
  await importSample(ws);
  const fixture = await makeSurveyFixture(ws, { touchpointKey: "bank-branch-welcome" });
  deployment = fixture.deploymentId;
  // A window open all day, so the test runs at any hour; one day between the reminders.
  await saveDeploymentMail(ws, deployment, { ...DEFAULT_DEPLOYMENT_MAIL, reminders: 2, reminderDays: 1, window: { start: 0, end: 24 * 60 } });
  server = await startServer(dbFile, serverEnv);
  await saveMailSettings(
    ws,
    { host: "127.0.0.1", port: catcher.port, tlsMode: "none", username: "", password: "", passwordEnv: "", fromName: "Banco Sol", fromAddress: "encuestas@bancosol.test", linkOrigin: server.url, ratePerMinute: 600, timeZone: "Europe/Madrid" },
    owner.id,
  );
}, 60_000);

afterAll(async () => {
  await server?.stop();
  await catcher?.close();
  fs.rmSync(mailDir, { recursive: true, force: true });
  removeDatabase(dbFile);
});

describe("invitation e-mail", () => {
  it("sends each customer the invitation in their language with one-click unsubscribe headers", async () => {
    await customer("C-ES", "lucia@cliente.test", "es", "Lucía");
    await customer("C-EN", "john@client.test", "en-GB", "John");
    const [es, en] = await invite(["C-ES", "C-EN"]);
    await catcher.waitFor(2);
    const [toLucia] = await mailTo("lucia@cliente.test");
    const [toJohn] = await mailTo("john@client.test");
    expect(toLucia.subject).toMatch(/^Banco Sol: ¿qué tal su experiencia en /);
    expect(toLucia.text).toContain("Hola Lucía:");
    expect(toLucia.text).toContain(`${server.url}/s/${es.token}?lang=es`);
    expect(toLucia.html).toContain(`href="${server.url}/s/${es.token}?lang=es"`);
    expect(toJohn.subject).toMatch(/^Banco Sol: how was your experience at /);
    expect(toJohn.text).toContain("Hello John,");
    expect(toJohn.text).toContain(`${server.url}/s/${en.token}?lang=en`);
    for (const mail of [toLucia, toJohn]) {
      const unsubscribe = header(mail, "List-Unsubscribe");
      expect(unsubscribe).toMatch(new RegExp(`^<${server.url}/u/u1\\.${ws}\\.\\d+\\.[A-Za-z0-9_-]{43}>$`));
      expect(header(mail, "List-Unsubscribe-Post")).toBe("List-Unsubscribe=One-Click");
      expect(mail.text).toContain(unsubscribe.slice(1, -1));
      expect(mail.from?.text).toBe('"Banco Sol" <encuestas@bancosol.test>');
    }
    const sends = await waitUntil("both sends recorded", async () => {
      const s = await sendsOf([es.id, en.id]);
      return s.filter((r) => r.seq === 0).every((r) => r.state === "sent") && s;
    });
    expect(sends.filter((r) => r.seq === 0).map((r) => r.response)).toEqual([expect.stringMatching(/^250/), expect.stringMatching(/^250/)]);
    // Two reminders each were planned once the invitation went out.
    expect(sends.filter((r) => r.seq > 0 && r.state === "queued")).toHaveLength(4);
    const life = await getDb().select({ kind: invitationEvents.kind }).from(invitationEvents).where(eq(invitationEvents.invitationId, es.id));
    expect(life.map((e) => e.kind).sort()).toEqual(["queued", "sent"]);

    // Opening the link records "opened" (in the data layer the respondent page calls).
    const page = await fetch(`${server.url}/s/${es.token}`);
    expect(page.status).toBe(200);
    await waitUntil("opened recorded", async () => {
      const rows = await getDb().select().from(invitationEvents).where(and(eq(invitationEvents.invitationId, es.id), eq(invitationEvents.kind, "opened")));
      return rows.length === 1;
    });
  });

  it("marks a permanent 5xx refusal as a bounce and sends nothing more to that address", async () => {
    await customer("C-BOUNCE", "nobody@bounce.invalid", "es");
    const [first] = await invite(["C-BOUNCE"]);
    const [bounced] = await waitUntil("the bounce", async () => {
      const s = await sendsOf([first.id]);
      return s[0]?.state === "bounced" && s;
    });
    expect(bounced.response).toMatch(/^recipient: 550/);
    const marks = await getDb().select().from(mailBounces).where(eq(mailBounces.workspaceId, ws));
    expect(marks.map((m) => m.address)).toEqual(["nobody@bounce.invalid"]);
    expect(await mailTo("nobody@bounce.invalid")).toEqual([]);
    const [again] = await invite(["C-BOUNCE"]);
    const [skipped] = await waitUntil("the second invitation skipped", async () => {
      const s = await sendsOf([again.id]);
      return s[0]?.state === "skipped" && s;
    });
    expect(skipped.response).toBe("the address bounced before");
  });

  it("stops a customer's reminders after the RFC 8058 one-click POST, and reminds the others", async () => {
    await customer("C-STOP", "stop@cliente.test", "es");
    await customer("C-GO", "go@cliente.test", "es");
    const [stop, go] = await invite(["C-STOP", "C-GO"]);
    await waitUntil("both invitations sent", async () => (await mailTo("stop@cliente.test")).length === 1 && (await mailTo("go@cliente.test")).length === 1);
    const [mail] = await mailTo("stop@cliente.test");
    const url = header(mail, "List-Unsubscribe").slice(1, -1);
    // What a mail provider sends: a POST with no cookies, the one-click body.
    const res = await fetch(url, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "List-Unsubscribe=One-Click", redirect: "manual" });
    expect(res.status).toBeLessThan(400);
    const stopSends = await waitUntil("reminders planned", async () => {
      const s = await sendsOf([stop.id]);
      return s.length === 3 && s;
    });
    expect(stopSends.filter((s) => s.seq > 0).map((s) => s.state)).toEqual(["skipped", "skipped"]);
    // Bring the first reminders forward to now and run the job: only C-GO is reminded.
    await getDb()
      .update(invitationSends)
      .set({ dueAt: new Date() })
      .where(and(inArray(invitationSends.invitationId, [stop.id, go.id]), eq(invitationSends.seq, 1)));
    await scheduleMailJob(ws, new Date());
    await waitUntil("C-GO's reminder", async () => (await mailTo("go@cliente.test")).length === 2);
    const reminder = (await mailTo("go@cliente.test")).find((m) => m.subject?.startsWith("Recordatorio: "));
    expect(reminder?.text).toContain(`/s/${go.token}`);
    expect(await mailTo("stop@cliente.test")).toHaveLength(1);
    const page = await (await fetch(url)).text();
    expect(page).toContain("no recibirá más encuestas");
  });

  it("survives a kill mid-batch: after a restart each invitation was caught exactly once", async () => {
    const ids = Array.from({ length: 8 }, (_, i) => `C-BATCH-${i}`);
    for (const id of ids) await customer(id, `${id.toLowerCase()}@batch.test`, "es");
    const before = catcher.messages().length;
    let killed = false;
    const third = new Promise<void>((resolve) => {
      beforeAccept = async (_raw, sessionId) => {
        if (killed || catcher.messages().length < before + 2) return;
        killed = true;
        // The server dies with this message in flight, before the catcher answered 250.
        process.kill(server.pid, "SIGKILL");
        await server.exited;
        await catcher.clientGone(sessionId);
        resolve();
      };
    });
    const batch = await invite(ids);
    await third;
    beforeAccept = null;
    server = await startServer(dbFile, serverEnv);
    await waitUntil(
      "every batch invitation sent",
      async () => (await sendsOf(batch.map((b) => b.id))).filter((s) => s.seq === 0).every((s) => s.state === "sent"),
      30_000,
    );
    for (const b of batch) {
      const caught = catcher.messages().filter((m) => m.raw.toString("utf8").includes(`/s/${b.token}`));
      expect(caught, b.customer).toHaveLength(1);
    }
    const retried = (await sendsOf(batch.map((b) => b.id))).filter((s) => s.seq === 0 && s.attempts > 1);
    expect(retried.length).toBeGreaterThanOrEqual(1);
    const states = await getDb().select({ state: invitations.state }).from(invitations).where(inArray(invitations.id, batch.map((b) => b.id)));
    expect(states.every((s) => s.state === "pending")).toBe(true);
  }, 60_000);

  it("lets an admin set the server, keeps the password out of the page, and explains a failed test send", async () => {
    const admin = new HttpClient(server.url);
    await admin.signIn("owner@mail.test", PASSWORD);
    const form = {
      intent: "save",
      host: "127.0.0.1",
      port: String(catcher.port),
      tlsMode: "none",
      username: "",
      password: "s3cret-Passw0rd",
      passwordEnv: "",
      fromName: "Banco Sol",
      fromAddress: "encuestas@bancosol.test",
      linkOrigin: server.url,
      ratePerMinute: "600",
      timeZone: "Europe/Madrid",
    };
    expect((await admin.post("/w/mail-brand/mail", form)).status).toBe(200);
    const [stored] = await getDb().select().from(mailSettings).where(eq(mailSettings.workspaceId, ws));
    expect(stored.passwordSealed).toMatch(/^v1\./);
    expect(stored.passwordSealed).not.toContain("s3cret");
    const page = await (await admin.get("/w/mail-brand/mail")).text();
    expect(page).toContain("encuestas@bancosol.test");
    expect(page).not.toContain("s3cret-Passw0rd");
    expect(page).not.toContain(stored.passwordSealed!);
    const audit = await getDb().select().from(auditEvents).where(and(eq(auditEvents.workspaceId, ws), eq(auditEvents.target, "email")));
    expect(audit.length).toBeGreaterThanOrEqual(1);
    expect(JSON.stringify(audit)).not.toContain("s3cret");

    // A test send through the catcher (no login needed there: a password is simply not asked for).
    const sent = await admin.post("/w/mail-brand/mail", { intent: "test", to: "admin@bancosol.test" });
    expect(sent.status).toBe(200);
    await waitUntil("the test message", async () => (await mailTo("admin@bancosol.test")).length === 1);

    // A bad field is a 400 naming it; a port nobody listens on is a clear "could not connect", not a 500.
    const bad = await admin.post("/w/mail-brand/mail", { ...form, port: "99999", timeZone: "Mars/Olympus" });
    expect(bad.status).toBe(400);
    const badPage = await bad.text();
    // The page is in Spanish (no language chosen): so are its messages; the typed password is not sent back.
    expect(badPage).toContain("Escriba un puerto entre 1 y 65535.");
    expect(badPage).toContain("Escriba una zona horaria IANA");
    expect(badPage).not.toContain("s3cret-Passw0rd");
    const closed = await startMailCatcher({ dir: path.join(mailDir, "closed") });
    const closedPort = closed.port;
    await closed.close();
    expect((await admin.post("/w/mail-brand/mail", { ...form, password: "", port: String(closedPort) })).status).toBe(200);
    const failed = await admin.post("/w/mail-brand/mail", { intent: "test", to: "admin@bancosol.test" });
    expect(failed.status).toBe(200);
    const failure = await failed.text();
    expect(failure).toMatch(/could not connect to the server|no se pudo conectar con el servidor/);
    expect(failure).toContain("ECONNREFUSED");
    // The empty password field kept the stored one.
    const [after] = await getDb().select().from(mailSettings).where(eq(mailSettings.workspaceId, ws));
    expect(after.passwordSealed).toBe(stored.passwordSealed);
  });

  it("refuses a deployment template with an unknown placeholder, naming it", async () => {
    const designer = new HttpClient(server.url);
    await designer.signIn("owner@mail.test", PASSWORD);
    const res = await designer.post(`/w/mail-brand/deployments/${deployment}/mail`, {
      intent: "save",
      "es.subject": "Hola {{nombre}}",
      "es.text": "Texto",
      "es.button": "Responder",
      "en.subject": "Hi",
      "en.text": "Text",
      "en.button": "Answer",
      reminders: "2",
      reminderDays: "3",
      windowStart: "09:00",
      windowEnd: "20:00",
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("Marcador desconocido: {{nombre}}");
    const preview = await (await designer.get(`/w/mail-brand/deployments/${deployment}/mail`)).text();
    expect(preview).toContain("Banco Sol: ¿qué tal su experiencia en");
    expect(preview).toContain("Banco Sol: how was your experience at");
    expect(preview).toContain('data-testid="funnel"');
  });
});
