// Alerts and digests against the built server and a local SMTP catcher. A manager creates a
// "target breached" rule on card delivery (where the planted story misses a gap target of 0): the
// server's evaluation job finds it once, notifies both followers in the app and by e-mail in each
// one's language; evaluating again, on this process and the server at the same time, adds nothing.
// Rules are checked (400 in the interface language, 403 for a designer, 404 across workspaces).
// A weekly digest carries the home's findings for the chosen journey and goes out once per period.
import fs from "node:fs";
import path from "node:path";
import { simpleParser } from "mailparser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import { getDb, rows } from "#db/client";
import { alertOccurrences, alertRules, digestSends, digestSubscriptions, jobs, notifications } from "#db/schema/index";
import { digestPeriodAt } from "~/cem/digest-schedule";
import { evaluateAlerts, saveRule } from "~/data/alerts.server";
import { sendDueDigests } from "~/data/digests.server";
import { insightScope } from "~/data/insights.server";
import { startMailCatcher, type CaughtMessage, type MailCatcher } from "~/data/mail-catcher.server";
import { saveMailSettings } from "~/data/mail-settings.server";
import { saveTarget } from "~/data/targets.server";
import { freshDatabasePath, removeDatabase } from "../support/database";
import { PASSWORD, addMember, makeUser, makeWorkspace } from "../support/fixtures";
import { STORY_PROCESS, plantPremiumStory } from "../support/home-fixtures";
import { HttpClient } from "../support/http-client";
import { seedInsights } from "../support/insights-fixtures";
import { startServer, type RunningServer } from "../support/server";

const dbFile = freshDatabasePath("alerts");
const mailDir = path.resolve("tests/.tmp", `alerts-mail-${process.pid}-${Date.now()}`);
let server: RunningServer;
let catcher: MailCatcher;
let wsA: number;
let maxId: number;
let aliceId: number;
const today = new Date().toISOString().slice(0, 10);

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function as(email: string) {
  const client = new HttpClient(server.url);
  await client.signIn(email, PASSWORD);
  return client;
}

const mailTo = (address: string) => catcher.messages().filter((m) => m.to.includes(address));
/** Subject and text of a caught message, decoded (quoted-printable lines are folded). */
const body = async (m: CaughtMessage) => {
  const mail = await simpleParser(m.raw);
  return `${mail.subject ?? ""}\n${mail.text ?? ""}`;
};

beforeAll(async () => {
  catcher = await startMailCatcher({ dir: mailDir });
  const alice = await makeUser("alice@a.test", "Alice Admin");
  const bob = await makeUser("bob@b.test");
  const max = await makeUser("max@a.test", "Max Gestor");
  const dani = await makeUser("dani@a.test");
  aliceId = alice.id;
  maxId = max.id;
  const a = await makeWorkspace("brand-a", alice.id);
  await makeWorkspace("brand-b", bob.id);
  wsA = a.id;
  await addMember("brand-a", max.id, "manager");
  await addMember("brand-a", dani.id, "designer");
  const fixture = await seedInsights(a.id, { seed: 5, endDay: today, days: 60, perTouchpoint: 30, customers: 45 });
  await plantPremiumStory(fixture, { count: 30, days: 50 });
  // The story misses this target beyond doubt (its interval lies wholly below 0).
  await saveTarget(wsA, alice.id, { unit: "process", unitKey: STORY_PROCESS, metric: "gap", value: 0 });
  server = await startServer(dbFile);
  await saveMailSettings(
    wsA,
    { host: "127.0.0.1", port: catcher.port, tlsMode: "none", username: "", password: "", passwordEnv: "", fromName: "Brand A", fromAddress: "cx@brand-a.test", linkOrigin: server.url, ratePerMinute: 600, timeZone: "Europe/Madrid" },
    alice.id,
  );
}, 240_000);

afterAll(async () => {
  await server?.stop();
  await catcher?.close();
  fs.rmSync(mailDir, { recursive: true, force: true });
  removeDatabase(dbFile);
});

const occurrencesOf = (ruleId: number) => getDb().select().from(alertOccurrences).where(eq(alertOccurrences.ruleId, ruleId));
const notificationsOf = (ruleId: number) =>
  rows<{ userId: number; mailState: string }>(
    sql`select n.user_id as "userId", n.mail_state as "mailState" from notifications n join alert_occurrences o on o.id = n.occurrence_id where o.rule_id = ${ruleId} order by n.user_id`,
  );

describe("alert rules", () => {
  it("refuses a rule without a name or with an unknown place, in the interface language", async () => {
    const max = await as("max@a.test");
    const empty = await max.post("/w/brand-a/alerts?lang=en", { intent: "create", name: "", kind: "target", for: "" });
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain("Enter a name of 1 to 120 characters.");
    const unknown = await max.post("/w/brand-a/alerts", { intent: "create", name: "x", kind: "target", for: "process:no-such-process" });
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain("Este espacio de trabajo no tiene ese viaje, proceso o punto de contacto.");
  });

  it("lets a designer follow rules but not make them, and hides other workspaces' rules", async () => {
    const dani = await as("dani@a.test");
    expect((await dani.post("/w/brand-a/alerts", { intent: "create", name: "x", kind: "drop", for: "" })).status).toBe(403);
    const bob = await as("bob@b.test");
    expect((await bob.get("/w/brand-a/alerts")).status).toBe(404);
  });
});

describe("a target breached", () => {
  let ruleId: number;

  it("is found by the server's job once and notifies its follower in the app and by e-mail, in Spanish when no language was chosen", async () => {
    const max = await as("max@a.test");
    const created = await max.post("/w/brand-a/alerts", { intent: "create", name: "Entrega de tarjetas bajo objetivo", kind: "target", for: `process:${STORY_PROCESS}`, subscribe: "on" });
    expect(created.status).toBe(302);
    [{ id: ruleId }] = await getDb().select({ id: alertRules.id }).from(alertRules).where(eq(alertRules.workspaceId, wsA));
    const found = await until("the occurrence", async () => ((await occurrencesOf(ruleId)).length > 0 ? occurrencesOf(ruleId) : null));
    expect(found).toHaveLength(1);
    expect(found[0].occurrenceKey).toMatch(new RegExp(`^r${ruleId}:process:${STORY_PROCESS}:gap:\\d{4}-\\d{2}-\\d{2}$`));
    expect((await notificationsOf(ruleId)).map((n) => n.userId)).toEqual([maxId]);

    const maxMail = await until("Max's e-mail", async () => mailTo("max@a.test").length > 0 && mailTo("max@a.test"));
    expect(maxMail).toHaveLength(1);
    expect(await body(maxMail[0])).toContain("Aviso de Vivencia");
    expect(await body(maxMail[0])).toContain("no alcanza el objetivo");
    expect(await body(maxMail[0])).toContain(`${server.url}/w/brand-a/insights?`);
  });

  it("is notified once when evaluated twice at once, here and on the server, in the follower's language", async () => {
    const before = (await notificationsOf(ruleId)).length;
    // Alice switches the interface to English (Max never chose: Spanish); her account remembers it.
    const alice = await as("alice@a.test");
    expect((await alice.post("/lang", { lang: "en", redirectTo: "/workspaces" })).status).toBe(302);
    const [{ lang }] = await rows<{ lang: string }>(sql`select lang from users where id = ${aliceId}`);
    expect(lang).toBe("en");
    // A second rule, Alice's: the server's job (queued by the save) and two evaluations in this
    // process race on its first occurrence.
    const saved = await saveRule(wsA, aliceId, { name: "Second watch", kind: "target", for: { scope: null, scopeKey: null }, subscribe: "on" });
    if (!saved.ok) throw new Error("rule not saved");
    const [a, b] = await Promise.all([evaluateAlerts(wsA), evaluateAlerts(wsA)]);
    const second = await until("the second rule's occurrence", async () => ((await occurrencesOf(saved.id)).length > 0 ? occurrencesOf(saved.id) : null));
    expect(second).toHaveLength(1);
    expect(a.occurrences + b.occurrences).toBeLessThanOrEqual(1);
    // Saving it again through the app runs the server's evaluation once more (and mails what is pending).
    const update = { intent: "update", id: String(saved.id), name: "Second watch", kind: "target", for: "", subscribe: "on" };
    expect((await alice.post("/w/brand-a/alerts", update)).status).toBe(302);
    const aliceMail = await until("Alice's e-mail", async () => mailTo("alice@a.test").length > 0 && mailTo("alice@a.test"));
    expect(aliceMail).toHaveLength(1);
    expect(await body(aliceMail[0])).toContain("Vivencia alert: Second watch");
    expect(await body(aliceMail[0])).toContain("misses its target");
    await evaluateAlerts(wsA);
    expect(await occurrencesOf(saved.id)).toHaveLength(1);
    expect((await notificationsOf(saved.id)).map((n) => n.userId)).toEqual([aliceId]);
    expect(await occurrencesOf(ruleId)).toHaveLength(1);
    expect(await notificationsOf(ruleId)).toHaveLength(before);
    expect(mailTo("max@a.test")).toHaveLength(1);
  });

  it("shows the unread count in the navigation; opening a notification reads it and leads to its evidence", async () => {
    const max = await as("max@a.test");
    const page = await (await max.get("/w/brand-a/notifications")).text();
    expect(page).toContain('data-testid="unread-count"');
    const id = Number(/data-notification="(\d+)"/.exec(page)![1]);
    const opened = await max.get(`/w/brand-a/notifications/${id}`);
    expect(opened.status).toBe(302);
    expect(opened.headers.get("Location")).toMatch(/^\/w\/brand-a\/insights\?from=\d{4}-\d{2}-\d{2}&to=\d{4}-\d{2}-\d{2}&by=process$/);
    const [row] = await getDb().select({ readAt: notifications.readAt }).from(notifications).where(eq(notifications.id, id));
    expect(row.readAt).not.toBeNull();
    // Another member's notification is nobody else's to open.
    const dani = await as("dani@a.test");
    expect((await dani.get(`/w/brand-a/notifications/${id}`)).status).toBe(404);
    // Marking all read empties the count.
    expect((await max.post("/w/brand-a/notifications", {})).status).toBe(302);
    expect(await (await max.get("/w/brand-a/notifications")).text()).not.toContain('data-testid="unread-count"');
  });
});

describe("digests", () => {
  it("a weekly digest carries the home's findings for the chosen journey, links to that view, and goes out once a period", async () => {
    const scope = await insightScope(wsA);
    const journey = scope.touchpoints.find((t) => t.processKey === STORY_PROCESS)!.journeyKey;
    const max = await as("max@a.test");
    const bad = await max.post("/w/brand-a/notifications/settings", { frequency: "hourly" });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("Elija semanal, mensual o no enviar.");
    // What was ticked stays ticked after a refusal.
    const typed = new FormData();
    typed.set("frequency", "hourly");
    typed.append("journey", journey);
    const kept = await (await max.post("/w/brand-a/notifications/settings", typed)).text();
    const box = kept.match(new RegExp(`<input[^>]*value="${journey}"[^>]*>`))?.[0];
    expect(box).toContain("checked");
    const form = new FormData();
    form.set("frequency", "weekly");
    form.append("journey", journey);
    expect((await max.post("/w/brand-a/notifications/settings", form)).status).toBe(302);
    // The server queued the next Monday's run.
    const [queued] = await getDb().select({ runAt: jobs.runAt }).from(jobs).where(and(eq(jobs.workspaceId, wsA), eq(jobs.kind, "digest-send"), eq(jobs.status, "queued")));
    expect(queued.runAt.getTime()).toBeGreaterThan(Date.now());

    // Subscribed a week ago: this period's digest is owed. Two sends racing give one e-mail.
    await getDb().update(digestSubscriptions).set({ since: new Date(Date.now() - 8 * 86_400_000) }).where(eq(digestSubscriptions.userId, maxId));
    const before = mailTo("max@a.test").length;
    const [r1, r2] = await Promise.all([sendDueDigests(wsA), sendDueDigests(wsA)]);
    expect(r1.sent + r2.sent).toBe(1);
    expect((await sendDueDigests(wsA)).sent).toBe(0);
    const digest = (await until("the digest", async () => mailTo("max@a.test").length > before && mailTo("max@a.test")))[before];
    const text = await body(digest);
    expect(text).toContain("Resumen semanal de BRAND-A");
    expect(text).toContain(`${server.url}/w/brand-a?journey=${journey}`);
    // The planted story leads the findings: card delivery's gap and its missed target.
    expect(text).toContain("no alcanza el objetivo");
    const sends = await getDb().select().from(digestSends).where(eq(digestSends.userId, maxId));
    expect(sends.map((s) => s.period)).toEqual([digestPeriodAt(new Date(), "weekly", "UTC").period]);
    // The link opens the home with the journey chosen.
    const home = await max.get(`/w/brand-a?journey=${journey}`);
    expect(home.status).toBe(200);
    expect(await home.text()).toContain(`<option value="${journey}" selected=""`);
    expect((await max.get("/w/brand-a?journey=no-such-journey")).status).toBe(400);
  });
});
