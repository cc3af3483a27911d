// Editing the journey on its map in a real Chromium: a touchpoint dragged to another stage, another
// moved with the keyboard (picked up, moved, dropped, each step announced), a touchpoint added where
// the map is clicked; Spanish forms (processes, members) speak Spanish in the browser; the editor passes axe.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { loadJourney } from "~/data/journeys.server";
import { findTouchpoint } from "~/cem/journey-edit";
import { freshDatabasePath, removeDatabase } from "../support/database";
import { startServer, type RunningServer } from "../support/server";
import { PASSWORD, importSample, makeUser, makeWorkspace } from "../support/fixtures";
import { launchBrowser, seriousA11yViolations, signInThroughForm } from "../support/browser";

const dbFile = freshDatabasePath("e2e-journey-map-edit");
const JOURNEY = "retail-bank-account-opening";
let server: RunningServer;
let browser: Browser;
let page: Page;
let workspaceId: number;

beforeAll(async () => {
  const user = await makeUser("lucia@brand.test");
  workspaceId = (await makeWorkspace("banco", user.id)).id;
  await importSample(workspaceId);
  server = await startServer(dbFile);
  browser = await launchBrowser();
  const context = await browser.newContext({ locale: "es-ES", viewport: { width: 1600, height: 1000 } });
  page = await context.newPage();
  page.setDefaultTimeout(10_000);
  await signInThroughForm(page, server.url, "lucia@brand.test", PASSWORD);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  removeDatabase(dbFile);
});

const handle = (key: string) => page.locator(`[data-touchpoint-handle="${key}"]`);

async function openMap() {
  await page.goto(`${server.url}/w/banco/journeys/${JOURNEY}`);
  await page.waitForLoadState("networkidle");
}

async function stageOf(key: string) {
  const journey = await loadJourney(workspaceId, JOURNEY);
  const found = journey && findTouchpoint(journey, key);
  return found ? { stage: found.stage.key, order: found.stage.touchpoints.map((t) => t.key) } : null;
}

describe("the journey map editor", () => {
  it("moves a touchpoint to another stage by dragging it", async () => {
    await openMap();
    const from = await handle("bank-account-comparison-web").boundingBox();
    const onto = await handle("bank-online-application").boundingBox();
    if (!from || !onto) throw new Error("handles not drawn");
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await page.mouse.down();
    await page.mouse.move(onto.x + onto.width * 0.5, onto.y + onto.height / 2, { steps: 8 });
    await page.mouse.move(onto.x + onto.width * 0.8, onto.y + onto.height / 2, { steps: 4 });
    await page.mouse.up();
    await page.locator('[data-touchpoint-handle="bank-account-comparison-web"][data-stage="apply"]').waitFor();
    expect(await stageOf("bank-account-comparison-web")).toEqual({
      stage: "apply",
      order: ["bank-branch-welcome", "bank-online-application", "bank-account-comparison-web", "bank-contract-signature"],
    });
  });

  it("moves a touchpoint with the keyboard, announcing each step", async () => {
    await openMap();
    const announcer = page.getByTestId("map-announcer");
    await handle("bank-contact-center-call").focus();
    await page.keyboard.press("Space");
    await expect.poll(() => announcer.textContent()).toContain("Tomado");
    await page.keyboard.press("ArrowLeft");
    await expect.poll(() => announcer.textContent()).toContain("Etapa");
    await page.keyboard.press("Space");
    await page.locator('[data-touchpoint-handle="bank-contact-center-call"][data-stage="activate"]').waitFor();
    await expect.poll(() => announcer.textContent()).toContain("Soltado");
    expect((await stageOf("bank-contact-center-call"))?.stage).toBe("activate");
    // Escape puts it back: nothing is saved.
    await handle("bank-chat-assistant").focus();
    await page.keyboard.press("Enter");
    await page.keyboard.press("ArrowLeft");
    await page.keyboard.press("Escape");
    await expect.poll(() => announcer.textContent()).toContain("cancelado");
    expect((await stageOf("bank-chat-assistant"))?.stage).toBe("support");
  });

  it("adds a touchpoint where the map is clicked", async () => {
    await openMap();
    const welcome = await handle("bank-branch-welcome").boundingBox();
    if (!welcome) throw new Error("handle not drawn");
    // Below the card, still inside the store lane of the apply stage.
    await page.mouse.click(welcome.x + welcome.width / 2, welcome.y - 6);
    await page.fill("#jm-add-name", "Café de bienvenida");
    await page.click("form.jm-add button[type=submit]");
    await page.locator('[data-touchpoint-handle="cafe-de-bienvenida"]').waitFor();
    const added = await stageOf("cafe-de-bienvenida");
    expect(added?.stage).toBe("apply");
  });

  it("passes axe on the map editor", async () => {
    await openMap();
    await handle("bank-branch-welcome").focus();
    await page.keyboard.press("Space");
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.keyboard.press("Escape");
  });

  it("a Spanish form shows Spanish validation messages in the browser", async () => {
    await page.goto(`${server.url}/w/banco/processes?edit=1`);
    await page.waitForLoadState("networkidle");
    const create = "form#process-new";
    await page.fill(`${create} input[name=key]`, "Mala Clave");
    await page.fill(`${create} input[name=name]`, "");
    await page.click(`${create} button[type=submit]`);
    await page.locator(`${create} .field-error`, { hasText: "Use minúsculas, cifras y guiones simples" }).waitFor();
    await page.locator(`${create} .field-error`, { hasText: "Este campo es obligatorio." }).waitFor();
    // Validated in the browser: nothing was posted, the page did not reload.
    expect(await page.inputValue(`${create} input[name=key]`)).toBe("Mala Clave");
  });

  it("the members' invitation form checks the address in Spanish before posting it", async () => {
    await page.goto(`${server.url}/w/banco/members`);
    await page.waitForLoadState("networkidle");
    const invite = "form#invite";
    const posts: string[] = [];
    page.on("request", (r) => {
      if (r.method() === "POST") posts.push(r.url());
    });
    await page.fill(`${invite} input[name=email]`, "ana arroba empresa");
    await page.click(`${invite} button[type=submit]`);
    await page.locator(`${invite} .field-error`, { hasText: "Escriba una dirección de correo válida" }).waitFor();
    expect(await page.getAttribute(`${invite} input[name=email]`, "aria-invalid")).toBe("true");
    // Correcting it clears the message as the person types (it re-checks on input once it has spoken).
    await page.fill(`${invite} input[name=email]`, "ana@empresa.com");
    await page.locator(`${invite} .field-error`).waitFor({ state: "detached" });
    expect(posts).toEqual([]);
    expect(await seriousA11yViolations(page)).toEqual([]);
  });
});
