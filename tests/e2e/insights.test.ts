// A manager's monthly review in a real Chromium: the journey scorecard (map coloured by gap, n on
// every card, moments of truth starred), the process table, a click on a number down to the
// responses behind it, the trend and importance–performance charts; every page passes axe.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { freshDatabasePath, removeDatabase } from "../support/database";
import { PASSWORD, addMember, makeUser, makeWorkspace } from "../support/fixtures";
import { launchBrowser, seriousA11yViolations, signInThroughForm } from "../support/browser";
import { BANK_JOURNEY, seedInsights } from "../support/insights-fixtures";
import { startServer, type RunningServer } from "../support/server";

const dbFile = freshDatabasePath("e2e-insights");
let server: RunningServer;
let browser: Browser;
let page: Page;
const today = new Date().toISOString().slice(0, 10);

beforeAll(async () => {
  const owner = await makeUser("ana@brand.test");
  const manager = await makeUser("marta@brand.test", "Marta Gil");
  const ws = await makeWorkspace("banco-demo", owner.id);
  await addMember("banco-demo", manager.id, "manager");
  await seedInsights(ws.id, { seed: 3, endDay: today, days: 80, perTouchpoint: 22, sparse: ["bank-chat-assistant"], sparseCount: 3, customers: 40 });
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

describe("a manager reviews the month", () => {
  it("opens the journey scorecard: coloured cards with n, grey where n is below the minimum, moments starred", async () => {
    await page.goto(`${server.url}/w/banco-demo`);
    await Promise.all([page.waitForURL("**/insights**"), page.click("nav.sidenav a[href$='/insights']")]);
    await Promise.all([page.waitForURL(`**/insights/journeys**`), page.click("nav.ins-nav a[href*='/insights/journeys']")]);
    await Promise.all([page.waitForURL(`**/insights/journeys/${BANK_JOURNEY}**`), page.click(`main a[href*='/insights/journeys/${BANK_JOURNEY}']`)]);
    const map = page.locator("[data-testid=scorecard-map] svg.jm");
    await map.waitFor();
    const branch = map.locator("[data-touchpoint=bank-branch-welcome]");
    expect(await branch.locator("text.jm-score").textContent()).toMatch(/n = \d+/);
    const fill = await branch.locator("rect.jm-card").evaluate((el) => getComputedStyle(el).fill);
    expect(fill).not.toBe("rgb(212, 212, 216)");
    const sparse = map.locator("[data-touchpoint=bank-chat-assistant]");
    expect(await sparse.locator("text.jm-score").textContent()).toContain("n = 3");
    expect(await sparse.locator("rect.jm-card").evaluate((el) => getComputedStyle(el).fill)).toBe("rgb(212, 212, 216)");
    expect(await map.locator("path.jm-star").count()).toBeGreaterThan(3);
    expect(await page.locator("[data-testid=journey-gap]").textContent()).toMatch(/[−-]?\d/);
    expect(await seriousA11yViolations(page)).toEqual([]);
  });

  it("clicks a touchpoint on the map and lands on its responses", async () => {
    await Promise.all([
      page.waitForURL("**/insights/responses?**touchpoint=bank-branch-welcome**"),
      page.click("[data-testid=scorecard-map] a:has([data-touchpoint=bank-branch-welcome])"),
    ]);
    const rows = page.locator("[data-testid=responses-table] tbody tr");
    expect(await rows.count()).toBeGreaterThan(5);
    expect(await rows.first().locator("td").nth(1).textContent()).toContain("Bienvenida");
  });

  it("reads the process table, worst gap first, and drills from a number into the responses behind it", async () => {
    await page.goto(`${server.url}/w/banco-demo/insights?by=process`);
    const table = page.locator("[data-testid=gap-table-process]");
    await table.waitFor();
    const gaps = await table.locator("tbody tr:not(.total) td:nth-child(5) a").allTextContents();
    const values = gaps.map((g) => Number(g.replace("−", "-").replace(",", ".")));
    expect(values.length).toBeGreaterThan(3);
    expect(values).toEqual([...values].sort((a, b) => a - b));
    expect(await page.locator("svg.gap-bars[role=img] title").first().textContent()).toContain("proceso");
    expect(await seriousA11yViolations(page)).toEqual([]);
    // On a 1366 px screen every column is in sight, without scrolling the table (intervals sit under
    // their figures): the gap, NPS, CSAT, CES and the change included.
    const fits = await table.evaluate((el) => el.parentElement!.scrollWidth <= el.parentElement!.clientWidth);
    expect(fits).toBe(true);

    const first = table.locator("tbody tr").first();
    const n = Number((await first.locator("td:nth-child(2) a").textContent())!.replace(/\D/g, ""));
    await Promise.all([page.waitForURL("**/insights/responses?**"), first.locator("td:nth-child(6) a").click()]);
    const shown = await page.locator("[data-testid=responses-table] tbody tr").count();
    expect(shown).toBeGreaterThan(0);
    expect(shown).toBeLessThanOrEqual(Math.min(n, 50));
    // The "below expectation" drill shows only responses whose own gap is negative.
    const ownGaps = await page.locator("[data-testid=responses-table] tbody tr td:nth-child(6)").allTextContents();
    expect(ownGaps.every((g) => g.trim().startsWith("-") || g.trim().startsWith("−"))).toBe(true);
    expect(await seriousA11yViolations(page)).toEqual([]);
  });

  it("compares two tiers side by side", async () => {
    await page.goto(`${server.url}/w/banco-demo/insights?by=touchpoint`);
    await page.selectOption("select[name=compareA]", "premium");
    await page.selectOption("select[name=compareB]", "generic");
    await Promise.all([page.waitForURL("**compareA=premium**"), page.click("form.ins-filters button[type=submit]")]);
    await page.locator("[data-testid=tier-table]").waitFor();
    expect(await page.locator("[data-testid=tier-table] tbody tr").count()).toBeGreaterThan(3);
    expect(await seriousA11yViolations(page)).toEqual([]);
  });

  it("shows trends with interval bands and the importance–performance grid, both accessible", async () => {
    await page.goto(`${server.url}/w/banco-demo/insights/trends?bucket=month`);
    await page.locator("svg.trend-chart[role=img]").first().waitFor();
    expect(await page.locator("[data-testid=trend-table] tbody tr").count()).toBeGreaterThanOrEqual(3);
    expect(await seriousA11yViolations(page)).toEqual([]);

    await page.goto(`${server.url}/w/banco-demo/insights/ipa?source=stated`);
    const grid = page.locator("svg.ipa-grid[role=img]");
    await grid.waitFor();
    for (const label of ["Concentrarse aquí", "Mantener el buen trabajo", "Baja prioridad", "Posible exceso"]) {
      expect(await grid.textContent()).toContain(label);
    }
    expect(await seriousA11yViolations(page)).toEqual([]);
  });
});

describe("at 1280 px, every table and map is usable without losing a column", () => {
  let narrow: Page;
  beforeAll(async () => {
    narrow = await (await browser.newContext({ locale: "es-ES", viewport: { width: 1280, height: 800 } })).newPage();
    narrow.setDefaultTimeout(15_000);
    await signInThroughForm(narrow, server.url, "marta@brand.test", PASSWORD);
  }, 60_000);

  /** Whether an element's box lies inside the visible part of its scroll box and of the window. */
  const inSight = (selector: string, box: string) =>
    narrow.evaluate(
      ([sel, boxSel]) => {
        const el = document.querySelector(sel)!.getBoundingClientRect();
        const clip = document.querySelector(boxSel)!.getBoundingClientRect();
        return el.left >= clip.left - 1 && el.right <= clip.right + 1 && el.left >= 0 && el.right <= window.innerWidth;
      },
      [selector, box] as const,
    );

  it("names the worst touchpoints above the scorecard's map and brings the worst card into sight", async () => {
    await narrow.goto(`${server.url}/w/banco-demo/insights/journeys/${BANK_JOURNEY}`);
    const worst = narrow.locator("[data-testid=worst-touchpoints] a[data-touchpoint]");
    await worst.first().waitFor();
    expect(await worst.count()).toBeGreaterThan(0);
    // The map is wider than the page here: the page says it scrolls sideways.
    const box = "[data-testid=scorecard-map] .jm-scroll";
    const overflows = await narrow.locator(box).evaluate((el) => el.scrollWidth > el.clientWidth);
    expect(overflows).toBe(true);
    expect(await narrow.locator("[data-testid=map-scroll-hint]").isVisible()).toBe(true);
    // Every worst link leads to its card, scrolled into sight inside the map's box.
    for (const key of await worst.evaluateAll((links) => links.map((a) => a.getAttribute("data-touchpoint")!))) {
      await narrow.locator(`[data-testid=worst-touchpoints] a[data-touchpoint="${key}"]`).click();
      const card = `[data-testid=scorecard-map] [data-touchpoint="${key}"]`;
      await narrow.waitForFunction(
        ([sel, boxSel]) => {
          const el = document.querySelector(sel)!.getBoundingClientRect();
          const clip = document.querySelector(boxSel)!.getBoundingClientRect();
          return el.left >= clip.left - 1 && el.right <= clip.right + 1;
        },
        [card, box] as const,
      );
      expect(await inSight(card, box)).toBe(true);
    }
    expect(await seriousA11yViolations(narrow)).toEqual([]);
  });

  it("keeps every column of the gap tables within reach: it fits, or it scrolls under a fixed first column with a hint", async () => {
    const check = async (by: string) => {
      const table = narrow.locator(`[data-testid=gap-table-${by}]`);
      await table.waitFor();
      const box = table.locator("xpath=..");
      if (await box.evaluate((el) => el.scrollWidth <= el.clientWidth)) {
        expect(await table.evaluate((el) => el.getBoundingClientRect().right <= window.innerWidth), by).toBe(true);
        return;
      }
      // Wider than the screen: the hint says so, the box stays inside the window, and scrolled to its
      // end it shows the last column with the first one still in place beside it.
      await narrow.locator(`[data-testid=gap-table-${by}-scroll-hint]`).waitFor();
      expect(await box.evaluate((el) => el.getBoundingClientRect().right <= window.innerWidth), by).toBe(true);
      await box.evaluate((el) => el.scrollTo({ left: el.scrollWidth }));
      const inView = await box.evaluate((el) => {
        const clip = el.getBoundingClientRect();
        const within = (cell: Element | null) => {
          const r = cell!.getBoundingClientRect();
          return r.left >= clip.left - 1 && r.right <= clip.right + 1;
        };
        const first = el.querySelector("tbody tr td:first-child");
        const last = el.querySelector("tbody tr td:last-child");
        return { first: within(first), last: within(last) };
      });
      expect(inView, by).toEqual({ first: true, last: true });
    };
    for (const by of ["process", "touchpoint", "attribute"]) {
      await narrow.goto(`${server.url}/w/banco-demo/insights?by=${by}`);
      await check(by);
    }
    await narrow.goto(`${server.url}/w/banco-demo/insights/journeys/${BANK_JOURNEY}`);
    await check("touchpoint");
    expect(await seriousA11yViolations(narrow)).toEqual([]);
  });

  it("opens the trends on 26 weeks, so a change three months ago sits inside the window", async () => {
    await narrow.goto(`${server.url}/w/banco-demo/insights/trends`);
    await narrow.locator("svg.trend-chart[role=img]").first().waitFor();
    const from = new Date(Date.parse(`${today}T00:00:00Z`) - 181 * 86_400_000).toISOString().slice(0, 10);
    expect(await narrow.locator("p.ins-meta").first().textContent()).toContain(`${from} – ${today}`);
    expect(await narrow.locator("[data-testid=trend-table] tbody tr").count()).toBeGreaterThanOrEqual(26);
  });

  it("says why a trend with too few responses has no line, with its n, instead of empty axes", async () => {
    await narrow.goto(`${server.url}/w/banco-demo/insights/trends?by=touchpoint&unit=bank-chat-assistant`);
    const empty = narrow.locator("svg.trend-chart text.trend-empty");
    await empty.first().waitFor();
    expect(await empty.count()).toBe(2);
    expect(await empty.first().textContent()).toMatch(/n = 3\b/);
  });
});

