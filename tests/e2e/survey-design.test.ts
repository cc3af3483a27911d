// A designer in a real Chromium: creates a gap-pair survey for a touchpoint, sees survey-react-ui
// render it live beside the builder, edits its JSON in the advanced tab, publishes it, deploys it
// and sees the QR code and public link.
// Every survey page passes axe without serious or critical violations.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findTouchpointByKey } from "~/data/journeys.server";
import { launchBrowser, seriousA11yViolations, signInThroughForm } from "../support/browser";
import { freshDatabasePath, removeDatabase } from "../support/database";
import { PASSWORD, addMember, importSample, makeUser, makeWorkspace } from "../support/fixtures";
import { startServer, type RunningServer } from "../support/server";

const dbFile = freshDatabasePath("e2e-survey-design");
let server: RunningServer;
let browser: Browser;
let page: Page;
let touchpointId: number;
const pageErrors: string[] = [];

beforeAll(async () => {
  const alice = await makeUser("alice@a.test");
  const dora = await makeUser("dora@a.test", "Dora");
  const ws = await makeWorkspace("brand-a", alice.id);
  await addMember("brand-a", dora.id, "designer");
  await importSample(ws.id);
  touchpointId = (await findTouchpointByKey(ws.id, "bank-branch-welcome"))!.id;
  server = await startServer(dbFile);
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1366, height: 900 }, locale: "es-ES" });
  page.setDefaultTimeout(15_000);
  page.on("pageerror", (error) => pageErrors.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error") pageErrors.push(message.text());
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  removeDatabase(dbFile);
});

describe("survey design in the browser", () => {
  it("creates, previews, publishes and deploys a gap-pair survey", async () => {
    await signInThroughForm(page, server.url, "dora@a.test", PASSWORD);

    await page.goto(`${server.url}/w/brand-a/surveys`);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.selectOption("#touchpointId", String(touchpointId));
    expect(await page.isChecked("input[name=template][value=gap_pair]")).toBe(true);
    await Promise.all([page.waitForURL(/\/w\/brand-a\/surveys\/\d+\?created=1$/), page.click("main form[method=post] button[type=submit]")]);

    // survey-react-ui renders the definition in the browser: the first page asks expectations.
    const preview = page.locator("[data-testid=survey-preview]");
    await preview.locator(".sd-root-modern").waitFor({ timeout: 15_000 });
    await expect.poll(() => preview.getByText("Tiempo de espera").count()).toBeGreaterThan(0);
    await expect.poll(() => preview.locator(".sd-question").count()).toBe(3);
    await page.locator("#definition-checks").getByText("Sin errores").waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);

    // The preview follows the language switch (SurveyJS localisation).
    await page.selectOption("#preview-language", "en");
    await preview.getByText("Waiting time").first().waitFor();

    // An edit in the JSON tab shows up in the preview and in the checks without saving.
    await page.getByRole("tab", { name: "JSON (avanzado)" }).click();
    const text = await page.inputValue("#definition");
    await page.fill("#definition", text.replace('"name": "waiting_time__expectation"', '"name": "staff_courtesy__expectation"'));
    await page.locator("#definition-checks").getByText("Duplicate question name").first().waitFor();
    await page.fill("#definition", text);
    await page.locator("#definition-checks").getByText("Sin errores").waitFor();

    await page.getByRole("button", { name: "Guardar y publicar" }).click();
    await page.getByRole("status").getByText("v1 publicada").waitFor();
    await page.locator("tr[data-version='1']").getByText("Publicada").waitFor();

    await Promise.all([page.waitForURL(/\/deploy$/), page.getByRole("link", { name: "Desplegar" }).click()]);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.fill("#new-deployment-name", "QR del mostrador");
    await page.getByRole("button", { name: "Crear despliegue" }).click();
    const qr = page.locator("img[data-testid=qr-image]");
    await qr.waitFor();
    await expect.poll(() => qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    const link = (await page.locator("[data-testid=public-link]").textContent()) ?? "";
    expect(link).toMatch(new RegExp(`^${server.url}/s/[A-Za-z0-9_-]{32}$`));
    const svg = await page.evaluate(async (src) => (await fetch(src)).text(), (await qr.getAttribute("src")) ?? "");
    expect(svg).toMatch(/^<svg/);
    expect(await seriousA11yViolations(page)).toEqual([]);

    // The full-page preview of the published version, in English by ?lang=.
    await page.goto(`${server.url}${new URL(page.url()).pathname.replace(/\/deploy$/, "")}/preview?version=1&lang=en`);
    await page.locator("[data-testid=survey-preview] .sd-root-modern").waitFor({ timeout: 15_000 });
    await page.getByText("Waiting time").first().waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);

    expect(pageErrors).toEqual([]);
  }, 120_000);
});
