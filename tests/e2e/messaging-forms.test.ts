// The e-mail, SMS and deployment e-mail forms in a real Chromium, in Spanish: checked in the browser
// before posting, a refusal from the server keeps what was typed but never a secret, and the pages
// pass axe.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { createDeployment } from "~/data/deployments.server";
import { deploymentMailConfig } from "~/data/deployment-mail.server";
import { findTouchpointByKey } from "~/data/journeys.server";
import { getMailSettingsRow } from "~/data/mail-settings.server";
import { createSurveyFromTemplate, editableVersion, saveAndPublish } from "~/data/surveys.server";
import { freshDatabasePath, removeDatabase } from "../support/database";
import { startServer, type RunningServer } from "../support/server";
import { PASSWORD, importSample, makeUser, makeWorkspace } from "../support/fixtures";
import { launchBrowser, seriousA11yViolations, signInThroughForm } from "../support/browser";

const dbFile = freshDatabasePath("e2e-messaging-forms");
let server: RunningServer;
let browser: Browser;
let page: Page;
let workspaceId: number;
let deploymentId: number;
const posts: string[] = [];

beforeAll(async () => {
  const user = await makeUser("lucia@mensajes.test");
  workspaceId = (await makeWorkspace("mensajes", user.id)).id;
  await importSample(workspaceId);
  const tp = (await findTouchpointByKey(workspaceId, "bank-branch-welcome"))!;
  const created = await createSurveyFromTemplate(workspaceId, user.id, { touchpointId: tp.id, template: "gap_pair", blocks: { nps: true } });
  if (!created?.ok) throw new Error("survey not created");
  const published = await saveAndPublish(workspaceId, created.surveyId, user.id, (await editableVersion(workspaceId, created.surveyId))!.definition);
  if (!published?.ok) throw new Error("survey not published");
  const deployment = await createDeployment(workspaceId, created.surveyId, "Mostrador");
  if (!deployment?.ok) throw new Error("deployment not created");
  deploymentId = deployment.deployment.id;
  server = await startServer(dbFile);
  browser = await launchBrowser();
  const context = await browser.newContext({ locale: "es-ES" });
  page = await context.newPage();
  page.setDefaultTimeout(10_000);
  page.on("request", (r) => {
    // Remix posts a route action to its single-fetch address (path.data).
    if (r.method() === "POST") posts.push(new URL(r.url()).pathname.replace(/\.data$/, ""));
  });
  await signInThroughForm(page, server.url, "lucia@mensajes.test", PASSWORD);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  removeDatabase(dbFile);
});

async function open(path: string) {
  await page.goto(`${server.url}${path}`);
  await page.waitForLoadState("networkidle");
  posts.length = 0;
}

describe("the e-mail settings form", () => {
  it("checks the fields in Spanish before posting, then saves without ever showing the password", async () => {
    await open("/w/mensajes/mail");
    const form = "form#mail-settings";
    await page.fill(`${form} input[name=host]`, "smtp mal");
    await page.fill(`${form} input[name=port]`, "99999");
    await page.fill(`${form} input[name=password]`, "Typed-S3cret-pw");
    await page.fill(`${form} input[name=fromName]`, "Banco Sol");
    await page.fill(`${form} input[name=fromAddress]`, "encuestas@mensajes.test");
    await page.click(`${form} button[type=submit]`);
    await page.locator(`${form} .field-error`, { hasText: "Escriba un puerto entre 1 y 65535." }).waitFor();
    await page.locator(`${form} .field-error`, { hasText: "Escriba un nombre de servidor o una dirección IP" }).waitFor();
    expect(await page.getAttribute(`${form} input[name=port]`, "aria-invalid")).toBe("true");
    expect(posts).toEqual([]);
    expect(await seriousA11yViolations(page)).toEqual([]);

    await page.fill(`${form} input[name=host]`, "smtp.mensajes.test");
    await page.fill(`${form} input[name=port]`, "587");
    await page.click(`${form} button[type=submit]`);
    await page.locator(`${form} [role=status]`, { hasText: "Ajustes guardados." }).waitFor();
    expect(posts).toEqual(["/w/mensajes/mail"]);
    expect(await page.content()).not.toContain("Typed-S3cret-pw");
    expect(await page.inputValue(`${form} input[name=host]`)).toBe("smtp.mensajes.test");
    const stored = await getMailSettingsRow(workspaceId);
    expect(stored).toMatchObject({ host: "smtp.mensajes.test", port: 587, fromName: "Banco Sol" });
    expect(stored?.passwordSealed).toMatch(/^v1\./);
  });
});

describe("the SMS provider form", () => {
  it("shows the server's refusal of the body in Spanish, keeping the body but not the auth value", async () => {
    await open("/w/mensajes/sms");
    const form = "form#sms-provider";
    await page.fill(`${form} input[name=url]`, "https://sms.mensajes.test/send");
    await page.fill(`${form} input[name=authHeaderValue]`, "Typed-Auth-Value");
    const body = '{"to": "{{to}}", "text": "{{text}}", "k": "{{apiKey}}"}';
    await page.fill(`${form} textarea[name=bodyTemplate]`, body);
    await page.click(`${form} button[type=submit]`);
    await page.locator(`${form} .field-error`, { hasText: "Marcador desconocido: {{apiKey}}" }).waitFor();
    expect(posts).toEqual(["/w/mensajes/sms"]);
    expect(await page.inputValue(`${form} textarea[name=bodyTemplate]`)).toBe(body);
    expect(await page.inputValue(`${form} input[name=url]`)).toBe("https://sms.mensajes.test/send");
    expect(await page.content()).not.toContain("Typed-Auth-Value");
    expect(await seriousA11yViolations(page)).toEqual([]);
  });
});

describe("a deployment's e-mail form", () => {
  it("refuses an unknown placeholder and a window closing before it opens in Spanish before posting, then saves", async () => {
    await open(`/w/mensajes/deployments/${deploymentId}/mail`);
    const form = "form#deployment-mail";
    await page.fill(`${form} input[name=windowStart]`, "21:00");
    await page.fill(`${form} input[name="es.subject"]`, "Hola {{nombre}}");
    await page.click(`${form} button[type=submit]`);
    await page.locator(`${form} .field-error`, { hasText: "Marcador desconocido: {{nombre}}" }).waitFor();
    await page.fill(`${form} input[name="es.subject"]`, "Hola {{customer_name}}");
    await page.click(`${form} button[type=submit]`);
    await page.locator(`${form} .field-error`, { hasText: "La ventana debe cerrar después de abrir" }).waitFor();
    expect(await page.locator(`${form} .field-error`).allTextContents()).toHaveLength(1);
    expect(posts).toEqual([]);
    expect(await seriousA11yViolations(page)).toEqual([]);

    await page.fill(`${form} input[name=windowStart]`, "08:30");
    await page.click(`${form} button[type=submit]`);
    await page.locator(`${form} [role=status]`, { hasText: "Correo guardado." }).waitFor();
    expect(await deploymentMailConfig(workspaceId, deploymentId)).toMatchObject({ window: { start: 8 * 60 + 30 }, templates: { es: { subject: "Hola {{customer_name}}" } } });
  });
});
