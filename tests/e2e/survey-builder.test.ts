// A designer in a real Chromium builds a gap-pair survey in the builder — never opening the JSON
// tab: removes an attribute's pair (the builder refusing to orphan a perception first), adds NPS and
// a follow-up question with texts in Spanish and English and a skip condition, a page of its own
// shown only to promoters, inserts a placeholder, undoes and redoes; publishes it, deploys it, and
// answers it on the respondent page, where the follow-up appears only for a detractor and the
// promoters' page only for a promoter. The builder passes axe.
import { eq } from "drizzle-orm";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "#db/client";
import { responses, surveyAutosaves } from "#db/schema/index";
import { findTouchpointByKey } from "~/data/journeys.server";
import { PHONE, launchBrowser, seriousA11yViolations, signInThroughForm } from "../support/browser";
import { freshDatabasePath, removeDatabase } from "../support/database";
import { PASSWORD, addMember, importSample, makeUser, makeWorkspace } from "../support/fixtures";
import { startServer, type RunningServer } from "../support/server";

const dbFile = freshDatabasePath("e2e-survey-builder");
let server: RunningServer;
let browser: Browser;
let page: Page;
let touchpointId: number;
const pageErrors: string[] = [];

beforeAll(async () => {
  const alice = await makeUser("alice@b.test");
  const dora = await makeUser("dora@b.test", "Dora");
  const ws = await makeWorkspace("brand-b", alice.id);
  await addMember("brand-b", dora.id, "designer");
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

const question = (name: string) => page.locator(`.structure-question[data-question="${name}"]`);

describe("the survey builder in the browser", () => {
  it("builds a gap-pair survey with a skip condition in both languages, publishes it and answers it", async () => {
    await signInThroughForm(page, server.url, "dora@b.test", PASSWORD);
    await page.goto(`${server.url}/w/brand-b/surveys`);
    await page.selectOption("#touchpointId", String(touchpointId));
    // The gap pair alone: the rest is built below.
    for (const block of ["nps", "csat", "ces", "importance", "comment"]) await page.uncheck(`input[type=checkbox][name=${block}]`);
    await Promise.all([page.waitForURL(/\/w\/brand-b\/surveys\/\d+\?created=1$/), page.click("main form[method=post] button[type=submit]")]);
    const surveyId = Number(/surveys\/(\d+)/.exec(page.url())![1]);
    await question("staff_courtesy__expectation").waitFor();
    expect(await page.getByRole("tab", { name: "Constructor" }).getAttribute("aria-selected")).toBe("true");
    await page.locator("[data-testid=survey-preview] .sd-root-modern").waitFor({ timeout: 15_000 });
    expect(await seriousA11yViolations(page)).toEqual([]);

    // The expectation of a perceived attribute cannot go first; the perception can, then the expectation.
    await page.getByRole("button", { name: "Quitar «staff_courtesy__expectation»" }).click();
    await page.getByTestId("builder-refusal").getByText("se quedaría sin la expectativa").waitFor();
    await page.getByRole("button", { name: "Quitar «staff_courtesy__perception»" }).click();
    await page.getByRole("button", { name: "Quitar «staff_courtesy__expectation»" }).click();
    await expect.poll(() => page.locator(".structure-question").count()).toBe(4);

    // NPS and a follow-up question on page 2, from the palette.
    await page.selectOption("#palette-page", "1");
    await page.locator(".palette").getByRole("button", { name: "NPS", exact: true }).click();
    await question("nps").waitFor();
    await page.locator(".palette").getByRole("button", { name: "Texto largo" }).click();
    await question("question1").waitFor();
    const editor = page.getByTestId("question-editor");
    await page.fill("#text-title-en", "");
    await editor.getByText("Falta en inglés").waitFor();
    await page.fill("#text-title-es", "¿Qué deberíamos mejorar?");
    await page.fill("#text-title-en", "What should we improve?");
    await expect.poll(() => editor.getByText("Falta en inglés").count()).toBe(0);
    await page.getByLabel("Obligatoria").check();

    // Show it only to detractors: NPS ≤ 6, picked from NPS's own 0–10 values.
    await editor.getByRole("button", { name: "Añadir condición" }).click();
    await page.selectOption("#clause-0-question", "nps");
    await page.selectOption("#clause-0-operator", "<=");
    await page.selectOption("#clause-0-value", "6");
    await question("question1").getByText("Condicional").waitFor();
    // A condition on a later question is not offered; moving the follow-up above NPS is refused.
    expect(await page.locator("#clause-0-question option").allTextContents()).not.toContain("question1");
    await page.getByRole("button", { name: "Subir «question1»" }).click();
    await page.getByTestId("builder-refusal").getByText("que se pregunta después").waitFor();

    // A third page for promoters only: a yes/no question, and the page's own condition NPS ≥ 9.
    await page.getByRole("button", { name: "Añadir página" }).click();
    await page.locator(".palette").getByRole("button", { name: "Sí / No" }).click();
    await question("question2").waitFor();
    await page.fill("#text-title-es", "¿Nos recomendaría a un amigo hoy mismo?");
    await page.fill("#text-title-en", "Would you recommend us to a friend today?");
    await page.getByRole("button", { name: "Editar la página 3" }).click();
    const pageEditor = page.getByTestId("condition-editor");
    await pageEditor.getByText("se salta la página entera").waitFor();
    await pageEditor.getByRole("button", { name: "Añadir condición" }).click();
    // Only questions of earlier pages are offered: not the page's own question.
    const offered = await page.locator("#clause-0-question option").allTextContents();
    expect(offered).toContain("¿Qué deberíamos mejorar?");
    expect(offered).not.toContain("¿Nos recomendaría a un amigo hoy mismo?");
    await page.selectOption("#clause-0-question", "nps");
    await page.selectOption("#clause-0-operator", ">=");
    await page.selectOption("#clause-0-value", "9");
    const page3 = page.locator('.structure-page[data-page="2"]');
    await page3.locator(".structure-page-head").getByText("Condicional").waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    // Moving the page above the one with NPS would make it depend on a later answer: refused, and said why.
    await page.getByRole("button", { name: "Subir la página 3" }).click();
    await page.getByTestId("builder-refusal").getByText("una página solo puede depender de preguntas de páginas anteriores").waitFor();
    // Undo takes the condition back, redo restores it.
    const pageCondition = () =>
      page.evaluate(() => {
        const value = (id: string) => (document.getElementById(id) as HTMLSelectElement | null)?.value ?? "";
        return `${value("clause-0-question")} ${value("clause-0-operator")} ${value("clause-0-value")}`;
      });
    await page.locator("#structure-title").click();
    await page.keyboard.press("Control+z");
    await expect.poll(pageCondition).not.toBe("nps >= 9");
    await page.keyboard.press("Control+Shift+z");
    await expect.poll(pageCondition).toBe("nps >= 9");

    // A placeholder in the survey's title, previewed with its sample value.
    await page.getByRole("button", { name: "Editar el título de la encuesta" }).click();
    await page.click("#text-title-es");
    await page.keyboard.press("End");
    await page.getByRole("button", { name: "Insertar {brand}" }).click();
    await expect.poll(() => page.inputValue("#text-title-es")).toMatch(/\{brand\}$/);
    const preview = page.locator("[data-testid=survey-preview]");
    await preview.getByText("Su marca").first().waitFor();

    // Undo and redo from the keyboard, outside the text fields.
    await page.locator("#structure-title").click();
    await page.keyboard.press("Control+z");
    await expect.poll(() => page.inputValue("#text-title-es")).not.toMatch(/\{brand\}$/);
    await page.keyboard.press("Control+Shift+z");
    await expect.poll(() => page.inputValue("#text-title-es")).toMatch(/\{brand\}$/);

    // Both languages in the preview, at phone and desktop width.
    await page.selectOption("#preview-language", "en");
    await preview.getByText("Waiting time until being served").first().waitFor();
    expect(await preview.evaluate((el) => el.getBoundingClientRect().width)).toBeLessThanOrEqual(392);
    await page.selectOption("#preview-width", "desktop");
    await expect.poll(() => preview.evaluate((el) => el.getBoundingClientRect().width)).toBeGreaterThan(800);
    await page.locator("#definition-checks").getByText("Sin errores").waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);

    // The work in progress reached the server before any save.
    await page.getByTestId("autosave-status").getByText("Trabajo en curso guardado").waitFor();
    const [autosaved] = await getDb().select().from(surveyAutosaves).where(eq(surveyAutosaves.surveyId, surveyId));
    expect(autosaved.definition).toContain("{brand}");
    // The JSON is the builder's model: the page carries the condition as SurveyJS reads it.
    const saved = JSON.parse(autosaved.definition) as { pages: { visibleIf?: string; elements: { name: string }[] }[] };
    expect(saved.pages[2]).toMatchObject({ visibleIf: "{nps} >= 9", elements: [{ name: "question2" }] });
    expect(await page.getByRole("tab", { name: "JSON (avanzado)" }).getAttribute("aria-selected")).toBe("false");

    await page.getByRole("button", { name: "Guardar y publicar" }).click();
    await page.getByRole("status").getByText("v1 publicada").waitFor();
    expect(await getDb().select().from(surveyAutosaves).where(eq(surveyAutosaves.surveyId, surveyId))).toEqual([]);

    await Promise.all([page.waitForURL(/\/deploy$/), page.getByRole("link", { name: "Desplegar" }).click()]);
    await page.fill("#new-deployment-name", "QR");
    await page.getByRole("button", { name: "Crear despliegue" }).click();
    const link = (await page.locator("[data-testid=public-link]").textContent()) ?? "";

    // A customer answers on a phone; the follow-up shows for a detractor only.
    const phone = await browser.newPage({ viewport: PHONE, locale: "es-ES" });
    phone.on("pageerror", (error) => pageErrors.push(error.message));
    const rate = (name: string, value: number) =>
      phone.locator(`[data-name="${name}"] label.sd-rating__item`).getByText(String(value), { exact: true }).click();
    // SurveyJS in the browser (the server-drawn page has tests of its own): the detractor's follow-up
    // appears on the same page as the score.
    await phone.goto(`${link}?renderer=surveyjs`);
    await phone.locator('[data-name="waiting_time__expectation"]').waitFor();
    // The placeholder in the title is filled with the brand (the workspace's name).
    expect(await phone.locator(".respondent-title").textContent()).toBe("Bienvenida en sucursal BRAND-B");
    await rate("waiting_time__expectation", 5);
    await rate("branch_comfort__expectation", 5);
    await phone.getByRole("button", { name: "Siguiente" }).click();
    await phone.locator('[data-name="waiting_time__perception"]').waitFor();
    await rate("waiting_time__perception", 4);
    await rate("branch_comfort__perception", 6);
    await rate("nps", 9);
    expect(await phone.locator('[data-name="question1"]').count()).toBe(0);
    // A promoter goes on to the promoters' page…
    await phone.getByRole("button", { name: "Siguiente" }).click();
    await phone.getByText("¿Nos recomendaría a un amigo hoy mismo?").waitFor();
    await phone.getByRole("button", { name: "Anterior" }).click();
    // …a detractor skips it: the survey ends on page 2.
    await rate("nps", 3);
    await expect.poll(() => phone.getByRole("button", { name: "Siguiente" }).count()).toBe(0);
    await phone.locator('[data-name="question1"] textarea').fill("Menos espera");
    await phone.getByText("¿Qué deberíamos mejorar?").waitFor();
    await phone.getByRole("button", { name: "Completar" }).click();
    await phone.getByRole("heading", { name: "¡Gracias por su opinión!" }).waitFor();
    await phone.close();

    await expect.poll(async () => (await getDb().select().from(responses)).length).toBe(1);
    const [row] = await getDb().select().from(responses);
    expect(JSON.parse(row.data)).toMatchObject({ nps: 3, question1: "Menos espera", waiting_time__perception: 4 });
    expect(JSON.parse(row.data)).not.toHaveProperty("question2");
    expect(pageErrors).toEqual([]);
  }, 180_000);

  it("edits a panel pasted in the JSON tab: the panel's title and the questions inside it, in both languages", async () => {
    await page.goto(`${server.url}/w/brand-b/surveys`);
    await page.selectOption("#touchpointId", String(touchpointId));
    for (const block of ["nps", "csat", "ces", "importance", "comment"]) await page.uncheck(`input[type=checkbox][name=${block}]`);
    await Promise.all([page.waitForURL(/\/w\/brand-b\/surveys\/\d+\?created=1$/), page.click("main form[method=post] button[type=submit]")]);
    await question("staff_courtesy__expectation").waitFor();

    await page.getByRole("tab", { name: "JSON (avanzado)" }).click();
    const pasted = JSON.parse(await page.inputValue("#definition")) as { pages: { elements: unknown[] }[] };
    pasted.pages[1].elements.push({
      type: "panel",
      name: "more",
      title: { default: "More", es: "Más" },
      elements: [{ type: "comment", name: "why", title: { default: "Why?", es: "¿Por qué?" } }],
    });
    await page.fill("#definition", JSON.stringify(pasted, null, 2));
    await page.getByRole("tab", { name: "Constructor" }).click();

    // The panel's question is listed inside it, and stays there (no moving it from the builder).
    const inside = page.locator('.structure-question[data-question="more"] .structure-question[data-question="why"]');
    await inside.waitFor();
    expect(await page.getByRole("button", { name: "Subir «why»" }).count()).toBe(0);

    // Edited like any other question: both languages, required, a condition on an earlier answer.
    await inside.getByRole("button", { name: "¿Por qué?" }).click();
    await page.getByTestId("question-editor").waitFor();
    await page.fill("#text-title-en", "Why that score?");
    await page.getByLabel("Obligatoria").check();
    await page.getByTestId("condition-editor").getByRole("button", { name: "Añadir condición" }).click();
    await page.selectOption("#clause-0-question", "waiting_time__perception");
    await page.selectOption("#clause-0-operator", "<=");
    await page.selectOption("#clause-0-value", "2");
    await inside.getByText("Condicional").waitFor();

    // The panel's own title, in both languages.
    await page.locator('.structure-question[data-question="more"] > .question-title').click();
    await page.getByTestId("panel-editor").waitFor();
    await page.fill("#text-title-es", "Más detalles");
    await page.fill("#text-title-en", "More details");
    await page.locator("#definition-checks").getByText("Sin errores").waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);

    await page.getByRole("tab", { name: "JSON (avanzado)" }).click();
    const edited = JSON.parse(await page.inputValue("#definition")) as { pages: { elements: Record<string, unknown>[] }[] };
    expect(edited.pages[1].elements.at(-1)).toEqual({
      type: "panel",
      name: "more",
      title: { default: "More details", es: "Más detalles" },
      elements: [{ type: "comment", name: "why", title: { default: "Why that score?", es: "¿Por qué?" }, isRequired: true, visibleIf: "{waiting_time__perception} <= 2" }],
    });
    expect(pageErrors).toEqual([]);
  }, 120_000);
});
