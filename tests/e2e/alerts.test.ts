// A manager's alert in a real Chromium: she sets a target the data breaches (card delivery's gap
// below 0), creates a "target breached" rule on that process and follows it; saving the rule runs
// the evaluation job on the server, the unread count appears in the navigation, and opening the
// notification lands on its evidence (the process table, card delivery below the target). She asks
// for a weekly digest on her own settings page. Every alerts page passes axe.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { freshDatabasePath, removeDatabase } from "../support/database";
import { PASSWORD, addMember, makeUser, makeWorkspace } from "../support/fixtures";
import { launchBrowser, seriousA11yViolations, signInThroughForm } from "../support/browser";
import { STORY_PROCESS, plantPremiumStory } from "../support/home-fixtures";
import { seedInsights } from "../support/insights-fixtures";
import { startServer, type RunningServer } from "../support/server";

const dbFile = freshDatabasePath("e2e-alerts");
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

describe("a manager is alerted when a target is breached", () => {
  it("sets a target the data breaches", async () => {
    await page.goto(`${server.url}/w/banco-demo/insights/targets`);
    await page.selectOption("#target-for", `process:${STORY_PROCESS}`);
    await page.selectOption("#target-metric", "gap");
    await page.fill("#target-value", "0");
    await Promise.all([page.waitForURL("**/insights/targets?saved=1"), page.click("button[name=intent][value=create]")]);
  });

  it("creates a rule on card delivery and follows it; the evaluation brings an unread notification", async () => {
    await page.goto(`${server.url}/w/banco-demo/notifications`);
    expect(await page.locator("[data-testid=unread-count]").count()).toBe(0);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await Promise.all([page.waitForURL("**/alerts"), page.click("a[href='/w/banco-demo/alerts']")]);
    await page.fill("#rule-name", "Entrega de tarjetas bajo objetivo");
    await page.selectOption("#rule-kind", "target");
    await page.selectOption("#rule-for", `process:${STORY_PROCESS}`);
    expect(await page.isChecked("#rule-subscribe")).toBe(true);
    await Promise.all([page.waitForURL("**/alerts?saved=1"), page.click("button[name=intent][value=create]")]);
    const rule = page.locator("[data-testid=alert-rules] tbody tr");
    await rule.first().waitFor();
    expect(await rule.count()).toBe(1);
    expect(await rule.first().textContent()).toContain("La sigue");
    expect(await seriousA11yViolations(page)).toEqual([]);

    // The job runs on the server as soon as the rule is saved; the count shows on the next page drawn.
    const count = page.locator("[data-testid=unread-count]");
    const deadline = Date.now() + 60_000;
    do {
      if (Date.now() > deadline) throw new Error("no unread notification appeared");
      await Promise.all([page.waitForURL("**/notifications"), page.click("nav.sidenav a[href='/w/banco-demo/notifications']")]);
    } while ((await count.count()) === 0);
    expect(await count.textContent()).toBe("1");
  });

  it("opens the notification and lands on its evidence", async () => {
    const item = page.locator("[data-testid=notifications] li[data-unread]").first();
    await item.waitFor();
    expect(await item.textContent()).toContain("no alcanza el objetivo");
    expect(await seriousA11yViolations(page)).toEqual([]);
    await Promise.all([page.waitForURL("**/insights?**by=process**"), item.locator("a", { hasText: "Ver la evidencia" }).click()]);
    const target = page.locator(`[data-testid=gap-table-process] tr[data-unit=${STORY_PROCESS}] [data-target-metric=gap]`);
    await target.waitFor();
    expect(await target.getAttribute("data-target-status")).toBe("below");
    // Read now: the count is gone.
    expect(await page.locator("[data-testid=unread-count]").count()).toBe(0);
  });

  it("asks for a weekly digest of one journey on her own settings page", async () => {
    await page.goto(`${server.url}/w/banco-demo/notifications/settings`);
    await page.locator("input[name=frequency][value=weekly]").waitFor();
    await page.check("input[name=frequency][value=weekly]");
    await page.locator("input[name=journey]").first().check();
    await Promise.all([page.waitForURL("**/notifications/settings?saved=1"), page.click("form.card button[type=submit]")]);
    expect(await page.locator("[data-testid=digest-next]").textContent()).toMatch(/^Próximo envío: .*\d/);
    expect(await page.isChecked("input[name=frequency][value=weekly]")).toBe(true);
    expect(await seriousA11yViolations(page)).toEqual([]);
  });
});
