// The SurveyJS page (the fallback of the server-drawn form, ?renderer=surveyjs): a customer answers a
// real survey-react-ui survey on a phone, through a personal link: taps the
// rating items, reloads halfway and continues where they were, switches to English, completes and
// is thanked; the response, its measurements and rollups are in the SQLite file; the link then
// says the answers were already received and a second submit stores nothing. A public link keeps
// its progress on the device. The pages pass axe.
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { and, count, eq } from "drizzle-orm";
import { getDb } from "#db/client";
import { invitations, measurements, responses, rollups } from "#db/schema/index";
import { freshDatabasePath, removeDatabase } from "../support/database";
import { PHONE, fitsWidth, launchBrowser, seriousA11yViolations } from "../support/browser";
import { importSample, makeUser, makeWorkspace } from "../support/fixtures";
import { startServer, type RunningServer } from "../support/server";
import { makeCustomer, makeInvitation, makeSurveyFixture, type InvitationFixture, type SurveyFixture } from "../support/survey-fixtures";

const dbFile = freshDatabasePath("e2e-respond");
let server: RunningServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let f: SurveyFixture;
let invitation: InvitationFixture;

beforeAll(async () => {
  const owner = await makeUser("owner@fibra.test");
  const ws = (await makeWorkspace("fibra-sur", owner.id)).id;
  await importSample(ws, "telecom-installation-and-repair.json");
  f = await makeSurveyFixture(ws, { touchpointKey: "telco-technician-visit", build: { nps: true, csat: true, comment: true } });
  invitation = await makeInvitation(f, await makeCustomer(ws, "C-77", "premium", "Rosa"));
  server = await startServer(dbFile);
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: PHONE, locale: "es-ES", hasTouch: true, isMobile: true });
  page = await context.newPage();
  page.setDefaultTimeout(15_000);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  removeDatabase(dbFile);
});

const attributes = () => f.touchpoint.attributes.map((a) => a.key);

/** Taps the rating item with this value, as a customer would. */
async function rate(question: string, value: number) {
  await page.locator(`[data-name="${question}"] label.sd-rating__item`).getByText(String(value), { exact: true }).click();
}

function isPost(token: string) {
  return (r: { request(): { method(): string }; url(): string }) => r.request().method() === "POST" && r.url().includes(`/s/${token}`);
}

describe("a personal link on a phone", () => {
  it("shows the brand and a real SurveyJS survey, accessible and fitting the screen", async () => {
    await page.goto(`${server.url}/s/${invitation.token}?renderer=surveyjs`);
    await page.locator(".respondent-brand", { hasText: "FIBRA-SUR" }).waitFor();
    await page.locator(`[data-name="${attributes()[0]}__expectation"]`).waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    expect(await fitsWidth(page)).toBe(true);
  });

  it("keeps the answers across a reload and a language switch, then records them", async () => {
    for (const key of attributes()) await rate(`${key}__expectation`, 5);
    await Promise.all([page.waitForResponse(isPost(invitation.token)), page.getByRole("button", { name: "Siguiente" }).click()]);
    await page.locator(`[data-name="${attributes()[0]}__perception"]`).waitFor();
    const [saved] = await getDb().select().from(invitations).where(eq(invitations.id, invitation.id)).limit(1);
    expect(saved.state).toBe("opened");
    expect(JSON.parse(saved.progress!)).toMatchObject({ page: 1, data: { [`${attributes()[0]}__expectation`]: 5 } });

    // A reload continues on the second page.
    await page.reload();
    await page.locator(`[data-name="${attributes()[0]}__perception"]`).waitFor();
    await page.getByText("Lo que recibió").first().waitFor();

    // English, without losing anything.
    await page.getByRole("link", { name: "English" }).click();
    await page.getByText("What you received").first().waitFor();
    expect(await page.locator("html").getAttribute("lang")).toBe("en");

    for (const key of attributes()) await rate(`${key}__perception`, 6);
    await page.getByRole("button", { name: "Next" }).click();
    await rate("csat", 4);
    await rate("nps", 9);
    await page.getByRole("button", { name: "Next" }).click();
    await page.locator('[data-name="comment"] textarea').fill("Muy puntual, dejó todo limpio.");
    await Promise.all([page.waitForResponse(isPost(invitation.token)), page.getByRole("button", { name: "Complete" }).click()]);
    await page.getByRole("heading", { name: "Thank you for your feedback!" }).waitFor();
    await page.screenshot({ path: path.resolve("tests/.tmp/respondent-phone-thanks.png"), fullPage: true });

    const db = getDb();
    const [row] = await db.select().from(responses).where(eq(responses.invitationId, invitation.id)).limit(1);
    expect(row).toMatchObject({ source: "invitation", lang: "en", tier: "premium", deploymentId: f.deploymentId, comment: "Muy puntual, dejó todo limpio." });
    const expected: Record<string, unknown> = { csat: 4, nps: 9, comment: "Muy puntual, dejó todo limpio." };
    for (const key of attributes()) Object.assign(expected, { [`${key}__expectation`]: 5, [`${key}__perception`]: 6 });
    expect(JSON.parse(row.data)).toEqual(expected);
    const rows = await db.select().from(measurements).where(eq(measurements.responseId, row.id));
    expect(rows).toHaveLength(attributes().length * 2 + 2);
    expect(rows.filter((m) => m.kind === "perception").every((m) => m.value === 6)).toBe(true);
    const day = row.completedAt.toISOString().slice(0, 10);
    // The rollups committed with the response (ADR 014).
    const [nps] = await db.select().from(rollups).where(and(eq(rollups.kind, "nps"), eq(rollups.day, day))).limit(1);
    expect(nps).toMatchObject({ touchpointId: f.touchpoint.id, tier: "premium", lang: "en", n: 1, sum: 9, promoters: 1 });
    const [gap] = await db.select().from(rollups).where(and(eq(rollups.kind, "gap"), eq(rollups.attributeKey, ""))).limit(1);
    expect(gap).toMatchObject({ n: 1, sum: 1, sumP: 6, sumE: 5 });
    const [completed] = await db.select().from(invitations).where(eq(invitations.id, invitation.id)).limit(1);
    expect(completed.state).toBe("completed");
  });

  it("then says the answers were already received, and a second submit stores nothing", async () => {
    await page.reload();
    await page.getByRole("heading", { name: "We already have your answers" }).waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    const status = await page.evaluate(async () => {
      const form = new FormData();
      form.set("intent", "submit");
      form.set("data", JSON.stringify({ nps: 10 }));
      form.set("version", "1");
      form.set("lang", "es");
      return (await fetch(window.location.pathname, { method: "POST", body: form })).status;
    });
    expect(status).toBe(409);
    const [counted] = await getDb().select({ n: count() }).from(responses);
    expect(counted.n).toBe(1);
  });
});

describe("a public link", () => {
  it("keeps progress on the device and records an anonymous response", async () => {
    const kiosk = await context.browser()!.newContext({ viewport: PHONE, locale: "es-ES" });
    const tab = await kiosk.newPage();
    tab.setDefaultTimeout(15_000);
    await tab.goto(`${server.url}/s/${f.publicToken}?renderer=surveyjs`);
    const first = attributes()[0];
    await tab.locator(`[data-name="${first}__expectation"]`).waitFor();
    for (const key of attributes()) await tab.locator(`[data-name="${key}__expectation"] label.sd-rating__item`).getByText("3", { exact: true }).click();
    await tab.getByRole("button", { name: "Siguiente" }).click();
    await tab.locator(`[data-name="${first}__perception"]`).waitFor();
    await tab.reload();
    await tab.locator(`[data-name="${first}__perception"]`).waitFor();
    for (const key of attributes()) await tab.locator(`[data-name="${key}__perception"] label.sd-rating__item`).getByText("2", { exact: true }).click();
    await tab.getByRole("button", { name: "Siguiente" }).click();
    await tab.locator('[data-name="csat"] label.sd-rating__item').getByText("2", { exact: true }).click();
    await tab.locator('[data-name="nps"] label.sd-rating__item').getByText("3", { exact: true }).click();
    await tab.getByRole("button", { name: "Siguiente" }).click();
    await Promise.all([tab.waitForResponse(isPost(f.publicToken)), tab.getByRole("button", { name: "Completar" }).click()]);
    await tab.getByRole("heading", { name: "¡Gracias por su opinión!" }).waitFor();

    const [row] = await getDb().select().from(responses).where(eq(responses.source, "link")).limit(1);
    expect(row).toMatchObject({ customerId: null, invitationId: null, tier: "", lang: "es" });
    expect(JSON.parse(row.data)).toMatchObject({ [`${first}__expectation`]: 3, [`${first}__perception`]: 2, nps: 3 });
    // Answered: the next person on this device starts afresh.
    await tab.reload();
    await tab.locator(`[data-name="${first}__expectation"]`).waitFor();
    await kiosk.close();
  });
});
