// A manager's morning in a real Chromium: the workspace's first page leads with the planted story
// (Premium customers disappointed at card delivery) with its n and interval, one click opens the
// evidence, and a target set on the targets page shows on the gap table. Every page passes axe.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { freshDatabasePath, removeDatabase } from "../support/database";
import { PASSWORD, addMember, makeUser, makeWorkspace } from "../support/fixtures";
import { launchBrowser, seriousA11yViolations, signInThroughForm } from "../support/browser";
import { STORY_PROCESS, plantPremiumStory } from "../support/home-fixtures";
import { seedInsights } from "../support/insights-fixtures";
import { startServer, type RunningServer } from "../support/server";

const dbFile = freshDatabasePath("e2e-home");
let server: RunningServer;
let browser: Browser;
let page: Page;
const today = new Date().toISOString().slice(0, 10);

beforeAll(async () => {
  const owner = await makeUser("ana@brand.test");
  const manager = await makeUser("marta@brand.test", "Marta Gil");
  const ws = await makeWorkspace("banco-demo", owner.id);
  await addMember("banco-demo", manager.id, "manager");
  const fixture = await seedInsights(ws.id, { seed: 5, endDay: today, days: 60, perTouchpoint: 30, customers: 45 });
  await plantPremiumStory(fixture, { count: 30, days: 50 });
  server = await startServer(dbFile);
  browser = await launchBrowser();
  page = await (await browser.newContext({ locale: "es-ES", viewport: { width: 1366, height: 900 } })).newPage();
  page.setDefaultTimeout(15_000);
  await signInThroughForm(page, server.url, "marta@brand.test", PASSWORD);
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  removeDatabase(dbFile);
});

describe("a manager is told what matters", () => {
  it("finds the planted story first on the home page, with its n and interval", async () => {
    await page.goto(`${server.url}/w/banco-demo`);
    const first = page.locator("[data-testid=home-tiers] li[data-tier]").first();
    await first.waitFor();
    expect(await first.getAttribute("data-unit")).toBe(`process:${STORY_PROCESS}`);
    expect(await first.getAttribute("data-tier")).toBe("premium");
    const text = (await first.textContent()) ?? "";
    expect(text).toContain("Premium");
    expect(text).toMatch(/Brecha-\d,\d\d \[-\d,\d\d; -\d,\d\d\] n=\d+/);
    expect(await page.locator("[data-testid=home-fdr]").textContent()).toContain("Benjamini–Hochberg");
    expect(await seriousA11yViolations(page)).toEqual([]);
  });

  it("opens the evidence: the process table for Premium, card delivery below expectation", async () => {
    const first = page.locator("[data-testid=home-tiers] li[data-tier]").first();
    await Promise.all([page.waitForURL("**/insights?**tier=premium**"), first.locator("a", { hasText: "Ver la evidencia" }).click()]);
    const row = page.locator(`[data-testid=gap-table-process] tr[data-unit=${STORY_PROCESS}]`);
    await row.waitFor();
    expect(await row.locator("td.num").nth(3).textContent()).toMatch(/^-\d,\d\d/);
  });

  it("sets a target on the targets page and sees it on the table", async () => {
    await Promise.all([page.waitForURL("**/insights/targets**"), page.click("nav.ins-nav a[href*='/insights/targets']")]);
    await page.selectOption("#target-for", `process:${STORY_PROCESS}`);
    await page.selectOption("#target-metric", "gap");
    await page.fill("#target-value", "0");
    await Promise.all([page.waitForURL("**/insights/targets?saved=1"), page.click("button[name=intent][value=create]")]);
    const rows = page.locator("[data-testid=targets-table] tbody tr");
    await rows.first().waitFor();
    expect(await rows.count()).toBe(1);
    expect(await seriousA11yViolations(page)).toEqual([]);

    await Promise.all([page.waitForURL(/\/insights(\?|$)/), page.click("nav.ins-nav a[href*='/insights?'], nav.ins-nav a[href$='/insights']")]);
    const target = page.locator(`[data-testid=gap-table-process] tr[data-unit=${STORY_PROCESS}] [data-target-metric=gap]`);
    await target.waitFor();
    expect(await target.getAttribute("data-target-status")).toBe("below");
    expect(await target.textContent()).toContain("por debajo del objetivo");
  });
});
