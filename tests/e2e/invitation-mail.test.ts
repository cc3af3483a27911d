// An invitation e-mail from the mail server to the answered survey, in Chromium on a phone: the test
// reads the message the local SMTP catcher caught, follows the link in it, answers the whole survey
// with JavaScript off and (for another invitation) on, and finds the response and its measurements
// stored exactly once. An English customer's e-mail and page carry the English names only; the
// survey's titles are the ones its designer set afterwards on the survey page. axe (WCAG 2.2 AA).
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { count, eq } from "drizzle-orm";
import { simpleParser, type ParsedMail } from "mailparser";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "#db/client";
import { customers, measurements, responses, workspaces } from "#db/schema/index";
import { DEFAULT_DEPLOYMENT_MAIL, saveDeploymentMail } from "~/data/deployment-mail.server";
import { createInvitationsForCustomers } from "~/data/invitations.server";
import { startMailCatcher, type MailCatcher } from "~/data/mail-catcher.server";
import { saveMailSettings } from "~/data/mail-settings.server";
import { PHONE, fitsWidth, launchBrowser } from "../support/browser";
import { freshDatabasePath, removeDatabase } from "../support/database";
import { PASSWORD, importSample, makeUser, makeWorkspace } from "../support/fixtures";
import { HttpClient } from "../support/http-client";
import { startServer, type RunningServer } from "../support/server";
import { makeSurveyFixture, type SurveyFixture } from "../support/survey-fixtures";

const require = createRequire(import.meta.url);
const dbFile = freshDatabasePath("e2e-invitation-mail");
const mailDir = path.resolve("tests/.tmp", `e2e-mailbox-${process.pid}-${Date.now()}`);
const TOUCHPOINT_ES = "Visita del técnico instalador";
const TOUCHPOINT_EN = "Installer's visit";
let server: RunningServer;
let catcher: MailCatcher;
let browser: Browser;
let ws: number;
let f: SurveyFixture;

beforeAll(async () => {
  catcher = await startMailCatcher({ dir: mailDir });
  const owner = await makeUser("owner@fibra-mail.test");
  ws = (await makeWorkspace("fibra-mail", owner.id)).id;
  await getDb().update(workspaces).set({ brandName: "Fibra Sol" }).where(eq(workspaces.id, ws));
  await importSample(ws, "telecom-installation-and-repair.json");
  f = await makeSurveyFixture(ws, { touchpointKey: "telco-technician-visit", build: { nps: true, csat: true, comment: true } });
  await saveDeploymentMail(ws, f.deploymentId, { ...DEFAULT_DEPLOYMENT_MAIL, reminders: 0, window: { start: 0, end: 24 * 60 } });
  for (const [externalId, email, language, name] of [
    ["C-ROSA", "rosa@cliente.test", "es", "Rosa"],
    ["C-PABLO", "pablo@cliente.test", "es-ES", "Pablo"],
    ["C-JANE", "jane@client.test", "en", "Jane"],
  ]) {
    await getDb().insert(customers).values({ workspaceId: ws, externalId, email, language, name });
  }
  server = await startServer(dbFile, { JOB_POLL_MS: "100", VIVENCIA_MAIL_CATCHER_DIR: mailDir });
  await saveMailSettings(
    ws,
    { host: "127.0.0.1", port: catcher.port, tlsMode: "none", username: "", password: "", passwordEnv: "", fromName: "Fibra Sol", fromAddress: "encuestas@fibrasol.test", linkOrigin: server.url, ratePerMinute: 600, timeZone: "Europe/Madrid" },
    owner.id,
  );
  // The designer names the survey in both languages after creating it, on the survey's page.
  const designer = new HttpClient(server.url);
  await designer.signIn("owner@fibra-mail.test", PASSWORD);
  const renamed = await designer.post(`/w/fibra-mail/surveys/${f.surveyId}`, { intent: "rename", title: "Su visita técnica", titleEn: "Your technician visit" });
  expect(renamed.status).toBe(200);
  browser = await launchBrowser();
  fs.mkdirSync(path.resolve("tests/.tmp"), { recursive: true });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await catcher?.close();
  fs.rmSync(mailDir, { recursive: true, force: true });
  removeDatabase(dbFile);
});

/** Invites the customer and returns the e-mail the catcher received for them, parsed. */
async function invitationMail(externalId: string, address: string): Promise<{ invitationId: number; mail: ParsedMail }> {
  const before = catcher.messages().length;
  const created = await createInvitationsForCustomers(ws, { deployment: f.deploymentId, customers: [externalId], expiresInHours: 72 }, new Date());
  if (!created?.ok) throw new Error("invitation not created");
  await catcher.waitFor(before + 1);
  const caught = catcher.messages().find((m) => m.to.includes(address));
  if (!caught) throw new Error(`no message to ${address}`);
  return { invitationId: created.invitations[0].id, mail: await simpleParser(caught.raw) };
}

/** The survey link in the message's text. */
function surveyLinkIn(mail: ParsedMail): string {
  const link = mail.text?.match(/https?:\/\/\S+\/s\/[A-Za-z0-9_-]+\?lang=(es|en)/)?.[0];
  if (!link) throw new Error(`no survey link in:\n${mail.text}`);
  return link;
}

async function wcag22Violations(page: Page): Promise<string[]> {
  await page.evaluate(fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8"));
  const result = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe;
    return axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] },
      rules: { "color-contrast": { enabled: true } },
      resultTypes: ["violations"],
    });
  });
  return result.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`);
}

/** Answers every scale on the page at this position. */
async function answerScales(page: Page, position: number) {
  const scales = page.locator("fieldset.q-rating");
  for (let i = 0; i < (await scales.count()); i++) await scales.nth(i).locator(".option").nth(position).click();
}

async function choose(page: Page, question: string, label: string) {
  await page.locator("fieldset.q", { has: page.locator("legend", { hasText: question }) }).locator(".option", { hasText: new RegExp(`^${label}$`) }).click();
}

/** Goes to the next page: a full navigation without JavaScript, the new page's heading with it. */
async function next(page: Page, button: string, javaScript: boolean, heading?: string) {
  if (javaScript) await page.getByRole("button", { name: button }).click();
  else await Promise.all([page.waitForNavigation(), page.getByRole("button", { name: button }).click()]);
  if (heading) await page.locator(".survey-page-title", { hasText: heading }).waitFor();
}

/** The Spanish survey from the first page to the thanks. */
async function answerInSpanish(page: Page, javaScript: boolean, comment: string) {
  await answerScales(page, 4);
  await next(page, "Siguiente", javaScript, "Lo que recibió");
  await answerScales(page, 3);
  await next(page, "Siguiente", javaScript, "Valoración general");
  await choose(page, "recomiende", "8");
  await choose(page, "satisfecho", "4");
  await next(page, "Siguiente", javaScript);
  await page.getByLabel("¿Quiere contarnos algo más").fill(comment);
  await next(page, "Completar", javaScript);
  await page.getByRole("heading", { name: "¡Gracias por su opinión!" }).waitFor();
}

/** The invitation's stored response: exactly one, with one measurement per attribute and gap side plus NPS and CSAT. */
async function expectStoredOnce(invitationId: number, comment: string) {
  const stored = await getDb().select().from(responses).where(eq(responses.invitationId, invitationId));
  expect(stored).toHaveLength(1);
  expect(JSON.parse(stored[0].data)).toMatchObject({ nps: 8, csat: 4, comment });
  expect(stored[0].lang).toBe("es");
  const [{ n }] = await getDb().select({ n: count() }).from(measurements).where(eq(measurements.responseId, stored[0].id));
  expect(n).toBe(f.touchpoint.attributes.length * 2 + 2);
}

describe("a Spanish customer's invitation e-mail", () => {
  it("with JavaScript off: the link in the caught e-mail opens the survey, answered to the end and stored once", async () => {
    const { invitationId, mail } = await invitationMail("C-ROSA", "rosa@cliente.test");
    expect(mail.subject).toBe(`Fibra Sol: ¿qué tal su experiencia en ${TOUCHPOINT_ES}?`);
    const link = surveyLinkIn(mail);
    expect(link).toMatch(/\?lang=es$/);
    // A browser that prefers English: the link still opens the survey in the e-mail's language.
    const context = await browser.newContext({ viewport: PHONE, locale: "en-GB", javaScriptEnabled: false });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(link);
    expect(await page.locator(".respondent-title").textContent()).toBe("Su visita técnica");
    expect(await page.locator(".respondent-brand").textContent()).toContain("Fibra Sol");
    expect(await fitsWidth(page)).toBe(true);
    await answerInSpanish(page, false, "Sin JavaScript, desde el correo.");
    await expectStoredOnce(invitationId, "Sin JavaScript, desde el correo.");
    await context.close();
  });

  it("with JavaScript on: the same, axe clean (WCAG 2.2 AA) on the page", async () => {
    const { invitationId, mail } = await invitationMail("C-PABLO", "pablo@cliente.test");
    const context = await browser.newContext({ viewport: PHONE, locale: "es-ES", hasTouch: true, isMobile: true });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(surveyLinkIn(mail));
    await page.waitForFunction(() => document.documentElement.dataset.enhanced === "true");
    expect(await wcag22Violations(page)).toEqual([]);
    await answerInSpanish(page, true, "Con JavaScript, desde el correo.");
    expect(await wcag22Violations(page)).toEqual([]);
    await expectStoredOnce(invitationId, "Con JavaScript, desde el correo.");
    await context.close();
  });
});

describe("an English customer's invitation e-mail", () => {
  it("names the touchpoint, the survey and the page in English only, whatever the browser's language", async () => {
    const { mail } = await invitationMail("C-JANE", "jane@client.test");
    expect(mail.subject).toBe(`Fibra Sol: how was your experience at ${TOUCHPOINT_EN}?`);
    for (const part of [mail.subject ?? "", mail.text ?? "", String(mail.html)]) expect(part).not.toContain(TOUCHPOINT_ES);
    const link = surveyLinkIn(mail);
    expect(link).toMatch(/\?lang=en$/);
    // A browser that prefers Spanish; JavaScript on, for axe to run in the page.
    const context = await browser.newContext({ viewport: PHONE, locale: "es-ES" });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(link);
    await page.waitForFunction(() => document.documentElement.dataset.enhanced === "true");
    expect(await page.locator("html").getAttribute("lang")).toBe("en");
    expect(await page.locator(".respondent-title").textContent()).toBe("Your technician visit");
    expect(await page.content()).not.toContain(TOUCHPOINT_ES);
    expect(await wcag22Violations(page)).toEqual([]);
    await context.close();
  });
});
