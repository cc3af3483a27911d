// A manager in a real Chromium searches the response inbox for a word, opens a response from the
// list and reads it: the answers under their questions, the comment, the customer and the tier they
// had; then goes back to the list with the filters kept. Every page passes axe.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { freshDatabasePath, removeDatabase } from "../support/database";
import { PASSWORD, addMember, importSample, makeUser, makeWorkspace } from "../support/fixtures";
import { launchBrowser, seriousA11yViolations, signInThroughForm } from "../support/browser";
import { makeCustomer, makeSurveyFixture, ratingAnswers, recordFixtureAnswers } from "../support/survey-fixtures";
import { startServer, type RunningServer } from "../support/server";

const dbFile = freshDatabasePath("e2e-response-inbox");
let server: RunningServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  const owner = await makeUser("ana@brand.test");
  const manager = await makeUser("marta@brand.test", "Marta Gil");
  const ws = await makeWorkspace("banco-demo", owner.id);
  await addMember("banco-demo", manager.id, "manager");
  await importSample(ws.id);
  const fixture = await makeSurveyFixture(ws.id, { touchpointKey: "bank-branch-welcome", build: { template: "gap_pair", nps: true, comment: true } });
  await makeCustomer(ws.id, "C-7", "premium", "Lucía Romero");
  await makeCustomer(ws.id, "C-8", "generic", "Pablo Gil");
  const answer = (nps: number, comment: string) =>
    ratingAnswers(fixture.json, (min, max, name) => (name === "nps" ? nps : name.endsWith("__perception") ? min + 1 : max - 1), comment);
  const now = Date.now();
  for (const [customer, nps, comment, ago] of [
    ["C-7", 2, "Nadie me avisó del retraso de la tarjeta", 3],
    ["C-8", 9, "Todo muy rápido", 2],
  ] as const) {
    const answers = answer(nps, comment);
    const result = await recordFixtureAnswers(fixture, answers, { customerExternalId: customer, answers, completedAt: new Date(now - ago * 86_400_000) });
    if (result.status !== "recorded") throw new Error("fixture response not recorded");
  }
  server = await startServer(dbFile);
  browser = await launchBrowser();
  page = await (await browser.newContext({ locale: "es-ES", viewport: { width: 1366, height: 900 } })).newPage();
  page.setDefaultTimeout(15_000);
  await signInThroughForm(page, server.url, "marta@brand.test", PASSWORD);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  removeDatabase(dbFile);
});

describe("a manager reads a response", () => {
  it("searches the comments, opens the response and reads it", async () => {
    await page.goto(`${server.url}/w/banco-demo/insights/responses`);
    await page.fill("input[name=q]", "retraso");
    await Promise.all([page.waitForURL("**/insights/responses?**q=retraso**"), page.press("input[name=q]", "Enter")]);
    const rows = page.locator("[data-testid=responses-table] tbody tr");
    // The filter form navigates on the client: wait for the list to follow the URL.
    await expect.poll(() => rows.count()).toBe(1);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await Promise.all([page.waitForURL("**/insights/responses/*"), rows.first().locator("td a").first().click()]);
    const article = page.locator("[data-testid=response-page]");
    await article.waitFor();
    expect(await page.locator("[data-testid=response-comment]").textContent()).toContain("Nadie me avisó del retraso");
    expect(await page.locator("[data-testid=response-customer]").textContent()).toContain("Lucía Romero");
    expect(await page.locator("[data-testid=response-tier]").textContent()).toBe("Premium");
    // The NPS answer under its Spanish question title.
    const nps = page.locator("[data-testid=response-answers] tr[data-question=nps]");
    expect(await nps.locator("th").textContent()).toContain("recomiende");
    expect(await nps.locator("td").textContent()).toBe("2");
    expect(await seriousA11yViolations(page)).toEqual([]);
    // Back to the list, the search kept.
    await Promise.all([page.waitForURL("**/insights/responses?**q=retraso**"), page.click("[data-testid=response-page] a[href*='/insights/responses?']")]);
    await expect.poll(() => page.locator("[data-testid=responses-table] tbody tr").count()).toBe(1);
    expect(await page.locator("input[name=q]").inputValue()).toBe("retraso");
  });
});
