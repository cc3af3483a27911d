// An admin imports CRM data in a real Chromium: a customer file, then an event file with a bad row —
// refused whole and reported with its line, then imported skipping that row — and reads the report,
// the customer list and a customer's timeline; every page passes axe.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { count, eq } from "drizzle-orm";
import { freshDatabasePath, removeDatabase } from "../support/database";
import { startServer, type RunningServer } from "../support/server";
import { launchBrowser, seriousA11yViolations, signInThroughForm } from "../support/browser";
import { PASSWORD, makeUser, makeWorkspace } from "../support/fixtures";
import { getDb } from "#db/client";
import { crmEvents } from "#db/schema/index";

const dbFile = freshDatabasePath("e2e-crm-import");
const shots = path.resolve("tests/.tmp/screenshots");
let server: RunningServer;
let browser: Browser;
let page: Page;
let ws: number;

const CUSTOMERS = [
  "Código;Nombre;Correo;Fecha alta;Idioma",
  "C-1;Ana Pérez;ana@example.com;2019-05-14;es",
  "C-2;Bruno Díaz;bruno@example.com;2021-02-01;es",
  "C-3;Carla Gómez;carla@example.com;2023-09-30;en",
].join("\n");

const day = (offset: number) => new Date(Date.now() - offset * 86_400_000).toISOString().slice(0, 10);
const EVENTS = [
  "external_id,cliente,tipo,fecha,importe,moneda,canal",
  `E-1,C-1,compra,${day(40)},120.50,EUR,store`,
  `E-2,C-1,visita,${day(20)},,,web`,
  `E-3,C-2,compra,${day(10)},"35,00",EUR,web`,
  `E-4,C-3,compra,${day(400)}-99,10,EUR,web`, // line 5: not a date
  `E-5,C-1,compra,${day(5)},80,EUR,store`,
].join("\n");

beforeAll(async () => {
  const admin = await makeUser("admin@crm-e2e.test");
  ws = (await makeWorkspace("tienda", admin.id)).id;
  server = await startServer(dbFile);
  browser = await launchBrowser();
  const context = await browser.newContext({ locale: "en-US" });
  page = await context.newPage();
  page.setDefaultTimeout(30_000);
  fs.mkdirSync(shots, { recursive: true });
  await signInThroughForm(page, server.url, "admin@crm-e2e.test", PASSWORD);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  removeDatabase(dbFile);
});

/** Opens a page and waits until it is hydrated (no request in flight), so clicks go through the app. */
async function open(url: string) {
  await page.goto(server.url + url);
  await page.waitForLoadState("networkidle");
}

async function upload(kind: "customers" | "events", name: string, text: string) {
  await open("/w/tienda/crm/import");
  await page.check(`input[name=kind][value=${kind}]`);
  await page.setInputFiles("#file", { name, mimeType: "text/csv", buffer: Buffer.from(text, "utf8") });
  await Promise.all([page.waitForURL(/job=/), page.click("button:has-text('Upload and map columns')")]);
  await page.locator("h2", { hasText: "Column mapping" }).waitFor();
}

async function startImport(skip: boolean) {
  if (skip) await page.check("input[name=skip]");
  await page.click("button:has-text('Validate and import')");
  await page.locator("[data-testid=import-outcome]").waitFor();
}

const counter = (id: string) => page.locator(`[data-testid=count-${id}]`).innerText();
const events = async () => (await getDb().select({ n: count() }).from(crmEvents).where(eq(crmEvents.workspaceId, ws)))[0].n;

describe("CSV import in the browser", () => {
  it("uploads a customer file, maps its Spanish headers and reports three customers added", async () => {
    await upload("customers", "clientes.csv", CUSTOMERS);
    expect(await page.locator('[name="map.external_id"]').inputValue()).toBe("Código");
    expect(await page.locator('[name="map.email"]').inputValue()).toBe("Correo");
    expect(await seriousA11yViolations(page)).toEqual([]);
    await startImport(false);
    expect(await page.locator("[data-testid=import-outcome]").innerText()).toMatch(/Imported clientes\.csv/);
    expect(await counter("added")).toBe("3");
    expect(await counter("rejected")).toBe("0");
  });

  it("refuses an event file with a bad row, importing nothing and naming the line", async () => {
    await upload("events", "eventos.csv", EVENTS);
    expect(await page.locator('[name="map.customer_external_id"]').inputValue()).toBe("cliente");
    await startImport(false);
    expect(await page.locator("[data-testid=import-outcome]").innerText()).toMatch(/Nothing was imported: 1 rows have errors/);
    expect(await counter("added")).toBe("0");
    expect(await counter("rejected")).toBe("1");
    const bad = page.locator("[data-testid=bad-rows] tbody tr");
    expect(await bad.count()).toBe(1);
    expect(await bad.first().locator("td").first().innerText()).toBe("5");
    expect(await bad.first().innerText()).toMatch(/occurred_at: ".*-99" is not an ISO 8601 date/);
    expect(await events()).toBe(0);
    expect(await seriousA11yViolations(page)).toEqual([]);
  });

  it("imports the good rows when told to skip the bad one, still listing it", async () => {
    await page.click("button:has-text('Import skipping the bad rows')");
    await page.locator("[data-testid=import-outcome]", { hasText: /^Imported eventos\.csv/ }).waitFor();
    expect(await counter("added")).toBe("4");
    expect(await counter("rejected")).toBe("1");
    expect(await page.locator("[data-testid=bad-rows] tbody tr").count()).toBe(1);
    expect(await events()).toBe(4);
    await page.screenshot({ path: path.join(shots, "crm-import-report.png"), fullPage: true });
    expect(await seriousA11yViolations(page)).toEqual([]);
  });

  it("recomputes tiers, then shows the list (sorted by value) and a customer's timeline", async () => {
    await open("/w/tienda/segmentation");
    await Promise.all([page.waitForLoadState("networkidle"), page.click("button:has-text('Recompute tiers now')")]);
    await page.locator("[role=status]", { hasText: "Tiers recomputed for 3 customers" }).waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    // Settings with no weight are refused in the browser, before any request, in the page's language.
    for (const input of await page.locator("input[name^='w.']").all()) await input.fill("0");
    await page.click("button[name=intent][value=preview]");
    await page.locator(".field-error", { hasText: "Give at least one variable a weight above 0." }).waitFor();
    expect(await page.locator("[aria-live=polite] table").count()).toBe(0);
    await page.fill("input[name='w.monetary']", "1");
    await page.click("button[name=intent][value=preview]");
    await page.locator("[aria-live=polite] table").waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);

    await open("/w/tienda/customers");
    const names = await page.locator("main tbody tr td:first-child a").allInnerTexts();
    expect(names).toEqual(["Ana Pérez", "Bruno Díaz", "Carla Gómez"]);
    expect(await seriousA11yViolations(page)).toEqual([]);

    await page.fill("#q", "bruno");
    await Promise.all([page.waitForURL(/q=bruno/), page.click("main form[role=search] button[type=submit]")]);
    // The URL changes as the navigation starts; the filtered list renders when its data arrives.
    await page.waitForFunction(() => document.querySelectorAll("main tbody tr").length === 1, undefined, { timeout: 10_000 });
    expect(await page.locator("main tbody tr").innerText()).toMatch(/Bruno Díaz/);

    await open("/w/tienda/customers");
    await Promise.all([page.waitForURL(/\/customers\/\d+$/), page.click("main tbody a:has-text('Ana Pérez')")]);
    await page.locator("h1", { hasText: "Ana Pérez" }).waitFor();
    const timeline = page.locator("table[aria-labelledby=timeline] tbody tr");
    expect(await timeline.count()).toBe(3);
    expect(await timeline.first().innerText()).toMatch(/purchase/);
    expect(await page.locator("main").innerText()).toMatch(/Tier history/);
    await page.screenshot({ path: path.join(shots, "crm-customer-page.png"), fullPage: true });
    expect(await seriousA11yViolations(page)).toEqual([]);
  });
});
