// A CX designer's first session, in a real Chromium: sign up, create a workspace, build a journey
// with two stages and three touchpoints, see it on the map, export it; every page passes axe and
// fits a phone's width.
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { freshDatabasePath, removeDatabase } from "../support/database";
import { startServer, type RunningServer } from "../support/server";
import { PHONE, fitsWidth, launchBrowser, seriousA11yViolations } from "../support/browser";
import { parseJourneyFile } from "~/cem/journey";

const dbFile = freshDatabasePath("e2e-foundation");
let server: RunningServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  server = await startServer(dbFile);
  browser = await launchBrowser();
  context = await browser.newContext({ locale: "es-ES", acceptDownloads: true });
  page = await context.newPage();
  page.setDefaultTimeout(10_000);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  removeDatabase(dbFile);
});

async function submit(button: string) {
  await Promise.all([page.waitForLoadState("networkidle"), page.click(button)]);
}

describe("a designer's first journey", () => {
  it("signs up and creates a workspace", async () => {
    await page.goto(`${server.url}/signup`);
    await page.fill("main input[name=name]", "Lucía Designer");
    await page.fill("main input[name=email]", "lucia@brand.test");
    await page.fill("main input[name=password]", "a-strong-password");
    await Promise.all([page.waitForURL("**/workspaces"), page.click("main button[type=submit]")]);
    await page.fill("main input[name=name]", "Café Aroma");
    await page.fill("main input[name=slug]", "cafe-aroma");
    await Promise.all([page.waitForURL("**/w/cafe-aroma"), page.click("main button[type=submit]")]);
    await page.locator("h1", { hasText: "Café Aroma" }).waitFor();
  });

  it("builds a journey with two stages and three touchpoints and sees it on the map", async () => {
    await page.goto(`${server.url}/w/cafe-aroma/processes?edit=1`);
    await page.fill("main form:has(input[name=intent][value=create]) input[name=key]", "service");
    await page.fill("main form:has(input[name=intent][value=create]) input[name=name]", "Servicio en tienda");
    await submit("main form:has(input[name=intent][value=create]) button[type=submit]");
    expect(await page.locator("main article input[name=name]").first().inputValue()).toBe("Servicio en tienda");

    await page.goto(`${server.url}/w/cafe-aroma/journeys`);
    const create = "main form:has(input[name=intent][value=create])";
    await page.fill(`${create} input[name=key]`, "morning-coffee");
    await page.fill(`${create} input[name=name]`, "Café de la mañana");
    await Promise.all([page.waitForURL("**/journeys/morning-coffee"), page.click(`${create} button[type=submit]`)]);

    for (const [key, name] of [["arrive", "Llegada"], ["order", "Pedido"]]) {
      await page.fill("input[name=stageKey]", key);
      await page.fill("input[name=stageName]", name);
      await submit("form:has(input[name=intent][value=addStage]) button[type=submit]");
      await page.locator(`[data-stage=${key}]`).waitFor();
    }

    const touchpoints = [
      { stage: "arrive", key: "door", name: "Puerta y escaparate", channel: "store", mot: false },
      { stage: "arrive", key: "queue", name: "Fila para pedir", channel: "store", mot: true },
      { stage: "order", key: "app-order", name: "Pedido en la app", channel: "app", mot: false },
    ];
    for (const tp of touchpoints) {
      await page.click(`[data-stage=${tp.stage}] a:has-text("+")`);
      await page.waitForURL((url) => url.pathname.endsWith("/touchpoints/new"));
      await page.fill("input[name=key]", tp.key);
      await page.fill("input[name=name]", tp.name);
      await page.selectOption("select[name=channel]", tp.channel);
      await page.selectOption("select[name=process]", "service");
      if (tp.mot) {
        await page.check("input[name=mot]");
        await page.fill("input[name=motReason]", "Aquí se decide si vuelven mañana");
      }
      await page.check("input[name=modules][value=feel]");
      await page.fill("input[name='attr[0].key']", "waiting_time");
      await page.fill("input[name='attr[0].es']", "Tiempo de espera");
      await page.fill("input[name='attr[0].en']", "Waiting time");
      await page.selectOption("select[name='attr[0].servqual']", "responsiveness");
      await Promise.all([page.waitForURL("**/journeys/morning-coffee"), page.click("main button[type=submit]:has-text('Guardar')")]);
    }

    const map = page.locator("svg.jm-root, main svg").first();
    for (const tp of touchpoints) expect(await map.textContent()).toContain(tp.name.slice(0, 12));
    const mapHtml = await map.innerHTML();
    expect(mapHtml).toMatch(/momento de la verdad|moment of truth/i);
  });

  it("exports the journey as a valid file with the stages and touchpoints just built", async () => {
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("[data-testid=export-link]")]);
    const text = fs.readFileSync((await download.path())!, "utf8");
    const parsed = parseJourneyFile(text);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.journey.stages.map((s) => s.key)).toEqual(["arrive", "order"]);
    expect(parsed.journey.stages.flatMap((s) => s.touchpoints.map((t) => t.key))).toEqual(["door", "queue", "app-order"]);
    expect(parsed.journey.stages[0].touchpoints[1].momentOfTruth?.reason).toContain("vuelven");
    expect(parsed.journey.processes.map((p) => p.key)).toEqual(["service"]);
  });

  it("switches the interface to English and remembers it", async () => {
    await page.goto(`${server.url}/w/cafe-aroma/journeys`);
    expect((await page.locator("h1").textContent())?.trim()).toBe("Viajes del cliente");
    await submit("header button:has-text('English')");
    expect((await page.locator("h1").textContent())?.trim()).toBe("Customer journeys");
    await page.goto(`${server.url}/w/cafe-aroma/platform`);
    expect((await page.locator("h1").textContent())?.trim()).toBe("Experiential platform");
  });

  it("every page passes axe without serious violations and fits a phone", async () => {
    const pages = [
      "/workspaces",
      "/w/cafe-aroma",
      "/w/cafe-aroma/platform",
      "/w/cafe-aroma/platform?edit=1",
      "/w/cafe-aroma/processes",
      "/w/cafe-aroma/processes?edit=1",
      "/w/cafe-aroma/journeys",
      "/w/cafe-aroma/journeys/morning-coffee",
      "/w/cafe-aroma/journeys/morning-coffee/touchpoints/queue",
      "/w/cafe-aroma/journeys/morning-coffee/touchpoints/queue?edit=1",
      "/w/cafe-aroma/journeys/morning-coffee/touchpoints/new?stage=order",
      "/w/cafe-aroma/members",
      "/w/cafe-aroma/tokens",
      "/account",
    ];
    const phone = await context.newPage();
    await phone.setViewportSize(PHONE);
    for (const path of pages) {
      await page.goto(server.url + path);
      expect(await seriousA11yViolations(page), `${path}`).toEqual([]);
      await phone.goto(server.url + path);
      expect(await fitsWidth(phone), `${path} at phone width`).toBe(true);
    }
    const anonymous = await browser.newPage();
    for (const path of ["/", "/login", "/signup"]) {
      await anonymous.goto(server.url + path);
      expect(await seriousA11yViolations(anonymous), path).toEqual([]);
    }
    await anonymous.close();
    await phone.close();
  }, 90_000);
});
