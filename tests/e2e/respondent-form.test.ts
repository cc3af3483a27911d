// The server-drawn survey form in Chromium on a phone: answered from start to finish with
// JavaScript switched off, and again with it on (validation in the page, no full reload between
// pages); the NPS 0–10 scale on one row at 320 px with every target at least 24×24 px; axe clean
// with the WCAG 2.2 AA rules and colour contrast on.
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { count, eq } from "drizzle-orm";
import { getDb } from "#db/client";
import { measurements, responses } from "#db/schema/index";
import { freshDatabasePath, removeDatabase } from "../support/database";
import { PHONE, fitsWidth, launchBrowser } from "../support/browser";
import { importSample, makeUser, makeWorkspace } from "../support/fixtures";
import { startServer, type RunningServer } from "../support/server";
import { makeCustomer, makeInvitation, makeSurveyFixture, type SurveyFixture } from "../support/survey-fixtures";

const require = createRequire(import.meta.url);
const dbFile = freshDatabasePath("e2e-respondent-form");
let server: RunningServer;
let browser: Browser;
let f: SurveyFixture;
let customerId: number;

beforeAll(async () => {
  const owner = await makeUser("owner@phone.test");
  const ws = (await makeWorkspace("fibra-phone", owner.id)).id;
  await importSample(ws, "telecom-installation-and-repair.json");
  f = await makeSurveyFixture(ws, { touchpointKey: "telco-technician-visit", build: { nps: true, csat: true, comment: true } });
  customerId = await makeCustomer(ws, "C-1", "premium", "Rosa");
  server = await startServer(dbFile);
  browser = await launchBrowser();
  fs.mkdirSync(path.resolve("tests/.tmp"), { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  removeDatabase(dbFile);
});

/** axe-core with the WCAG 2.2 AA rule set (colour contrast and target size among them): every violation, any impact. */
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

/** Taps the point of a scale (or choice) with this label, in the question titled so. */
async function choose(page: Page, question: string, label: string) {
  await page.locator("fieldset.q", { has: page.locator("legend", { hasText: question }) }).locator(".option", { hasText: new RegExp(`^${label}$`) }).click();
}

/** Answers every scale on the page with its point at this position from the end (the middle when undefined). */
async function answerScales(page: Page, pick: (points: number) => number) {
  const scales = page.locator("fieldset.q-rating");
  for (let i = 0; i < (await scales.count()); i++) {
    const options = scales.nth(i).locator(".option");
    await options.nth(pick(await options.count())).click();
  }
}

async function pageTitle(page: Page) {
  return (await page.locator(".survey-page-title").textContent())?.trim();
}

describe("JavaScript off", () => {
  it("answers the whole survey with plain forms, errors shown, and records it", async () => {
    const inv = await makeInvitation(f, customerId);
    const context = await browser.newContext({ viewport: PHONE, locale: "es-ES", javaScriptEnabled: false });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${server.url}/s/${inv.token}`);
    expect(await pageTitle(page)).toBe("Lo que esperaba");
    expect(await fitsWidth(page)).toBe(true);
    expect(await page.getByText("Cargando").count()).toBe(0);

    // Next with nothing answered: the server says what is missing, beside each question and on top.
    await Promise.all([page.waitForNavigation(), page.getByRole("button", { name: "Siguiente" }).click()]);
    await page.screenshot({ path: path.resolve("tests/.tmp/respondent-form-nojs-errors.png"), fullPage: true });
    fs.writeFileSync(path.resolve("tests/.tmp/respondent-form-nojs.html"), await page.content());
    expect(await page.locator("#survey-alert").textContent()).toContain("Revise las preguntas marcadas");
    expect(await page.locator(".q-error", { hasText: "Por favor conteste la pregunta." }).count()).toBe(f.touchpoint.attributes.length);

    await answerScales(page, () => 4);
    await Promise.all([page.waitForNavigation(), page.getByRole("button", { name: "Siguiente" }).click()]);
    expect(await pageTitle(page)).toBe("Lo que recibió");
    await answerScales(page, () => 5);
    await Promise.all([page.waitForNavigation(), page.getByRole("button", { name: "Siguiente" }).click()]);
    expect(await pageTitle(page)).toBe("Valoración general");
    await choose(page, "recomiende", "9");
    await choose(page, "satisfecho", "4");
    await Promise.all([page.waitForNavigation(), page.getByRole("button", { name: "Siguiente" }).click()]);
    await page.getByLabel("¿Quiere contarnos algo más").fill("Sin JavaScript, todo bien.");
    await Promise.all([page.waitForNavigation(), page.getByRole("button", { name: "Completar" }).click()]);
    await page.getByRole("heading", { name: "¡Gracias por su opinión!" }).waitFor();

    const [row] = await getDb().select().from(responses).where(eq(responses.invitationId, inv.id));
    expect(JSON.parse(row.data)).toMatchObject({ nps: 9, csat: 4, comment: "Sin JavaScript, todo bien." });
    expect((await getDb().select({ n: count() }).from(measurements).where(eq(measurements.responseId, row.id)))[0].n).toBe(f.touchpoint.attributes.length * 2 + 2);
    await context.close();
  });
});

describe("JavaScript on", () => {
  it("validates in the page and moves between pages without a full reload", async () => {
    const inv = await makeInvitation(f, customerId);
    const context = await browser.newContext({ viewport: PHONE, locale: "en-GB", hasTouch: true, isMobile: true });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const posts: string[] = [];
    page.on("request", (r) => {
      if (r.method() === "POST") posts.push(r.url());
    });
    await page.goto(`${server.url}/s/${inv.token}`);
    await page.waitForFunction(() => document.documentElement.dataset.enhanced === "true");
    // A marker on the window survives only if the document is never reloaded.
    await page.evaluate(() => Object.assign(window, { sameDocument: true }));

    // Nothing answered: flagged in the page, no request, focus on the first question left empty.
    await page.getByRole("button", { name: "Next" }).click();
    await page.locator(".q-error", { hasText: "Response required." }).first().waitFor();
    expect(posts).toEqual([]);
    expect(await page.evaluate(() => document.activeElement?.getAttribute("name"))).toBe("q0");
    expect(await page.getByRole("alert").textContent()).toContain("Something is missing on this page");
    // Answering clears the flag at once.
    await page.locator("fieldset.q-rating").first().locator(".option").nth(4).click();
    expect(await page.locator("fieldset.q-rating").first().getAttribute("data-invalid")).toBeNull();

    await answerScales(page, () => 4);
    await page.getByRole("button", { name: "Next" }).click();
    await page.locator(".survey-page-title", { hasText: "What you received" }).waitFor();
    // Focus moves to the new page's heading, for a screen reader to start from.
    expect(await page.evaluate(() => document.activeElement?.className)).toBe("survey-page-title");
    await answerScales(page, () => 5);
    await page.getByRole("button", { name: "Next" }).click();
    await page.locator(".survey-page-title", { hasText: "Overall" }).waitFor();
    await choose(page, "recommend", "10");
    await choose(page, "satisfied", "5");
    await page.getByRole("button", { name: "Next" }).click();
    await page.getByLabel("Is there anything else").fill("With JavaScript.");
    await page.getByRole("button", { name: "Complete" }).click();
    await page.getByRole("heading", { name: "Thank you for your feedback!" }).waitFor();
    expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
    expect(posts).toHaveLength(4);

    const [row] = await getDb().select().from(responses).where(eq(responses.invitationId, inv.id));
    expect(JSON.parse(row.data)).toMatchObject({ nps: 10, csat: 5, comment: "With JavaScript." });
    expect(row.lang).toBe("en");
    await context.close();
  });
});

describe("on a 320 px phone", () => {
  it("keeps NPS 0–10 on one row with targets of at least 24×24 px, and passes axe (WCAG 2.2 AA, contrast)", async () => {
    const inv = await makeInvitation(f, customerId);
    const context = await browser.newContext({ viewport: { width: 320, height: 640 }, locale: "es-ES" });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${server.url}/s/${inv.token}`);
    await page.waitForFunction(() => document.documentElement.dataset.enhanced === "true");
    expect(await wcag22Violations(page)).toEqual([]);
    await answerScales(page, () => 3);
    await page.getByRole("button", { name: "Siguiente" }).click();
    await page.locator(".survey-page-title", { hasText: "Lo que recibió" }).waitFor();
    await answerScales(page, () => 3);
    await page.getByRole("button", { name: "Siguiente" }).click();
    await page.locator(".survey-page-title", { hasText: "Valoración general" }).waitFor();

    const nps = page.locator("fieldset.q", { has: page.locator("legend", { hasText: "recomiende" }) }).locator(".option");
    expect(await nps.count()).toBe(11);
    const boxes = await nps.evaluateAll((labels) => labels.map((l) => l.getBoundingClientRect()).map((r) => ({ top: r.top, width: r.width, height: r.height, right: r.right })));
    expect(new Set(boxes.map((b) => Math.round(b.top))).size).toBe(1);
    for (const box of boxes) {
      expect(box.width).toBeGreaterThanOrEqual(24);
      expect(box.height).toBeGreaterThanOrEqual(24);
      expect(box.right).toBeLessThanOrEqual(320);
    }
    expect(await fitsWidth(page)).toBe(true);
    await page.screenshot({ path: path.resolve("tests/.tmp/respondent-form-320-nps.png"), fullPage: true });

    // The errors of a page, and the focus ring, pass too.
    await page.getByRole("button", { name: "Siguiente" }).click();
    await page.locator(".q-error", { hasText: "Por favor conteste la pregunta." }).first().waitFor();
    await page.keyboard.press("ArrowRight");
    expect(await wcag22Violations(page)).toEqual([]);
    await context.close();
  });
});
