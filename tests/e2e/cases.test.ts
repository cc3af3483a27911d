// A manager works a follow-up case in a real Chromium: from the inbox to the case, open → in progress →
// resolved → closed with a note at each step; the history shows every step; the pages pass axe.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { createApiToken } from "~/data/api-tokens.server";
import { freshDatabasePath, removeDatabase } from "../support/database";
import { PASSWORD, addMember, importSample, makeUser, makeWorkspace } from "../support/fixtures";
import { launchBrowser, seriousA11yViolations, signInThroughForm } from "../support/browser";
import { startServer, type RunningServer } from "../support/server";
import { makeCustomer, makeSurveyFixture } from "../support/survey-fixtures";
import { answersWith, postResponse } from "../integration/act-fixtures";

const dbFile = freshDatabasePath("e2e-cases");
let server: RunningServer;
let browser: Browser;
let page: Page;
let caseUrl: string;
const INBOX_ROWS = 'main table[aria-label="Casos"] tbody tr';

beforeAll(async () => {
  const alice = await makeUser("alice@a.test");
  const max = await makeUser("max@a.test", "Max Manager");
  const ws = (await makeWorkspace("brand-a", alice.id)).id;
  await addMember("brand-a", max.id, "manager");
  await importSample(ws);
  const f = await makeSurveyFixture(ws, { touchpointKey: "bank-branch-welcome" });
  await makeCustomer(ws, "C-9", "premium", "Paula Premium");
  const token = await createApiToken(ws, "kiosk", alice.id);
  server = await startServer(dbFile);
  const res = await postResponse(server.url, token, {
    deployment: f.deploymentId,
    customer: "C-9",
    answers: answersWith(f.json, { nps: 3, expectation: 6, perception: 3, comment: "Esperé 40 minutos y nadie me atendió" }),
  });
  if (res.status !== 201) throw new Error(`response not recorded: ${res.status}`);
  browser = await launchBrowser();
  const context = await browser.newContext({ locale: "es-ES" });
  page = await context.newPage();
  page.setDefaultTimeout(10_000);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  removeDatabase(dbFile);
});

async function takeStep(button: string, note: string) {
  await page.fill("#step-note", note);
  await Promise.all([
    page.waitForResponse((r) => r.request().method() === "POST" && r.url().includes("/cases/")),
    page.getByRole("button", { name: button }).click(),
  ]);
  await page.locator(".case-history li", { hasText: note }).waitFor();
}

describe("a manager works a case", () => {
  it("finds it in the inbox", async () => {
    await signInThroughForm(page, server.url, "max@a.test", PASSWORD);
    await page.goto(`${server.url}/w/brand-a/cases`);
    await page.locator("h1", { hasText: "Casos" }).waitFor();
    expect(await page.locator(INBOX_ROWS).count()).toBe(1);
    expect(await page.locator(INBOX_ROWS).first().textContent()).toContain("Paula Premium");
    expect(await seriousA11yViolations(page)).toEqual([]);
    await Promise.all([page.waitForURL(/\/cases\/\d+$/), page.locator(`${INBOX_ROWS} a`).first().click()]);
    caseUrl = page.url();
    await page.locator("h1", { hasText: "Caso #" }).waitFor();
    expect(await page.locator("blockquote").textContent()).toContain("Esperé 40 minutos");
    expect(await page.locator("h1 .status").textContent()).toBe("Abierto");
    expect(await seriousA11yViolations(page)).toEqual([]);
  });

  it("moves it open → in progress → resolved → closed, a note at each step, and the history shows each", async () => {
    // Without a note the step is refused (the browser's own check, then the server's).
    await page.fill("#step-note", "");
    await page.getByRole("button", { name: "Empezar a trabajarlo" }).click();
    expect(await page.locator("h1 .status").textContent()).toBe("Abierto");

    await takeStep("Empezar a trabajarlo", "Llamé a Paula: le ofrezco cita preferente");
    expect(await page.locator("h1 .status").textContent()).toBe("En curso");
    await takeStep("Marcar como resuelto", "Cita preferente dada para el jueves");
    expect(await page.locator("h1 .status").textContent()).toBe("Resuelto");
    await takeStep("Cerrar el caso", "Paula confirma que quedó satisfecha");
    expect(await page.locator("h1 .status").textContent()).toBe("Cerrado");
    // A closed case offers no more steps.
    expect(await page.locator("#step-note").count()).toBe(0);

    const history = await page.locator(".case-history li").allTextContents();
    expect(history).toHaveLength(5);
    expect(history[0]).toContain("Abierto por una regla");
    expect(history[1]).toContain("Abierto → En curso");
    expect(history[1]).toContain("Llamé a Paula: le ofrezco cita preferente");
    expect(history[2]).toContain("Asignado a Max Manager");
    expect(history[3]).toContain("En curso → Resuelto");
    expect(history[3]).toContain("Cita preferente dada para el jueves");
    expect(history[4]).toContain("Resuelto → Cerrado");
    expect(history[4]).toContain("Paula confirma que quedó satisfecha");
    expect(history.slice(1).every((h) => h.includes("Max Manager"))).toBe(true);
    expect(await seriousA11yViolations(page)).toEqual([]);

    // The inbox now finds it among the closed ones.
    await page.goto(`${server.url}/w/brand-a/cases?status=closed`);
    expect(await page.locator(INBOX_ROWS).count()).toBe(1);
    expect(caseUrl).toMatch(/\/w\/brand-a\/cases\/\d+$/);
  });
});
