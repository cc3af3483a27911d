// The Content-Security-Policy in a real Chromium: the sign-in page, a workspace overview, the insights
// pages with their d3 charts, the survey editor's live preview and the respondent page (the
// server-drawn form with its script, and the SurveyJS fallback, each answered and submitted) all
// load, hydrate and work with zero violations. Every violation is caught twice: the page's
// securitypolicyviolation events and Chromium's console messages. A last check injects a script
// without the nonce, to show the watch does see a violation when one happens.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { freshDatabasePath, removeDatabase } from "../support/database";
import { PASSWORD, importSample, makeUser, makeWorkspace } from "../support/fixtures";
import { PHONE, launchBrowser, seriousA11yViolations, signInThroughForm } from "../support/browser";
import { BANK_JOURNEY, seedInsights } from "../support/insights-fixtures";
import { startServer, type RunningServer } from "../support/server";
import { makeCustomer, makeInvitation, makeSurveyFixture, type InvitationFixture, type SurveyFixture } from "../support/survey-fixtures";

const dbFile = freshDatabasePath("e2e-csp");
let server: RunningServer;
let browser: Browser;
let staff: Page;
let survey: SurveyFixture;
let invitation: InvitationFixture;
// Responses up to yesterday: all of them in the past (a completion in the future is refused).
const yesterday = new Date(Date.now() - 24 * 3600_000).toISOString().slice(0, 10);

/** What a page reported about its policy: violation events, console messages, uncaught errors. */
type Watch = { consoleMessages: string[]; pageErrors: string[] };
const watches = new Map<Page, Watch>();

/** A context whose pages record every CSP violation (the listener is installed before any script of the page runs). */
async function watchedContext(options: Parameters<Browser["newContext"]>[0]): Promise<BrowserContext> {
  const context = await browser.newContext(options);
  await context.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __cspViolations: string[] }).__cspViolations = seen;
    document.addEventListener("securitypolicyviolation", (event) => {
      seen.push(`${event.effectiveDirective} blocked ${event.blockedURI || "inline"} at ${event.sourceFile}:${event.lineNumber}`);
    });
  });
  return context;
}

async function watchedPage(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  const watch: Watch = { consoleMessages: [], pageErrors: [] };
  page.on("console", (message) => {
    // The policies' own complaints too (an unknown Permissions-Policy feature, say).
    if (/content.security.policy|permissions.policy|refused to (execute|load|apply|connect|frame)/i.test(message.text())) watch.consoleMessages.push(message.text());
  });
  page.on("pageerror", (error) => watch.pageErrors.push(error.message));
  watches.set(page, watch);
  return page;
}

/** Everything the page reported so far (the violation events of the current document, the messages of all). */
async function violations(page: Page) {
  const events = await page.evaluate(() => (window as unknown as { __cspViolations?: string[] }).__cspViolations ?? ["no watch installed"]);
  const watch = watches.get(page)!;
  return { events, console: watch.consoleMessages, errors: watch.pageErrors };
}

const NONE = { events: [], console: [], errors: [] };

/** Remix has hydrated the document: its scripts, nonce and all, ran. */
async function hydrated(page: Page) {
  await page.waitForFunction(() => "__remixRouter" in window);
}

beforeAll(async () => {
  const owner = await makeUser("ana@csp.test", "Ana");
  const ws = await makeWorkspace("banco-csp", owner.id);
  await seedInsights(ws.id, { seed: 5, endDay: yesterday, days: 60, perTouchpoint: 14, customers: 18 });
  const other = await makeWorkspace("fibra-csp", owner.id);
  await importSample(other.id, "telecom-installation-and-repair.json");
  survey = await makeSurveyFixture(other.id, { touchpointKey: "telco-technician-visit", build: { nps: true } });
  invitation = await makeInvitation(survey, await makeCustomer(other.id, "C-9", "premium", "Rosa"));
  server = await startServer(dbFile);
  browser = await launchBrowser();
  staff = await watchedPage(await watchedContext({ locale: "es-ES", viewport: { width: 1366, height: 900 } }));
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  removeDatabase(dbFile);
});

describe("pages under the Content-Security-Policy", () => {
  it("the sign-in page hydrates and signs in without a violation", async () => {
    await staff.goto(`${server.url}/login`);
    await hydrated(staff);
    expect(await violations(staff)).toEqual(NONE);
    await signInThroughForm(staff, server.url, "ana@csp.test", PASSWORD);
    await hydrated(staff);
    expect(await violations(staff)).toEqual(NONE);
  });

  it("a workspace overview, and client-side navigation from it", async () => {
    await staff.goto(`${server.url}/w/banco-csp`);
    await hydrated(staff);
    // A click handled by Remix's router: a single-fetch request, no document load.
    await Promise.all([staff.waitForURL("**/insights**"), staff.click("nav.sidenav a[href$='/insights']")]);
    await staff.locator("svg.gap-bars").first().waitFor();
    expect(await violations(staff)).toEqual(NONE);
  });

  it("insights pages with their d3 charts: gap bars, trends, the journey scorecard map", async () => {
    for (const [path, chart] of [
      ["/w/banco-csp/insights?by=process", "svg.gap-bars"],
      ["/w/banco-csp/insights/trends?bucket=month", "svg.trend-chart"],
      [`/w/banco-csp/insights/journeys/${BANK_JOURNEY}`, "[data-testid=scorecard-map] svg.jm"],
    ]) {
      await staff.goto(`${server.url}${path}`);
      await staff.locator(chart).first().waitFor();
      await hydrated(staff);
      expect(await violations(staff), path).toEqual(NONE);
    }
  });

  it("the settings page, whose embedding section saves the sites allowed to frame the survey pages", async () => {
    await staff.goto(`${server.url}/w/fibra-csp/settings`);
    await hydrated(staff);
    await staff.fill("#embed-origins", "https://www.fibra.example");
    await staff.getByRole("button", { name: "Guardar sitios" }).click();
    await staff.locator("form[aria-labelledby=embedding]").getByRole("status").getByText("Guardado.").waitFor();
    expect(await staff.locator("#embed-origins").inputValue()).toBe("https://www.fibra.example");
    // The webhook form checks its schema in the browser, in the page's language, before anything is posted.
    const posted: string[] = [];
    const onRequest = (request: { method(): string; url(): string }) => void (request.method() === "POST" && posted.push(request.url()));
    staff.on("request", onRequest);
    await staff.fill("#wh-url", "http://crm.fibra.example/hooks");
    await staff.getByRole("button", { name: "Añadir endpoint" }).click();
    await staff.locator("#wh-url-error").getByText("Los endpoints deben usar https://.").waitFor();
    staff.off("request", onRequest);
    expect(posted).toEqual([]);
    expect(await staff.locator("#wh-url").getAttribute("aria-invalid")).toBe("true");
    expect(await staff.locator("#wh-url").inputValue()).toBe("http://crm.fibra.example/hooks");
    expect(await seriousA11yViolations(staff)).toEqual([]);
    expect(await violations(staff)).toEqual(NONE);
  });

  it("the survey editor's live SurveyJS preview", async () => {
    await staff.goto(`${server.url}/w/fibra-csp/surveys/${survey.surveyId}`);
    await staff.locator("[data-testid=survey-preview] .sd-root-modern").waitFor();
    expect(await violations(staff)).toEqual(NONE);
  });

  it("the respondent page: the server-drawn form, enhanced by its script, is answered and submitted", async () => {
    const phone = await watchedPage(await watchedContext({ viewport: PHONE, locale: "es-ES", hasTouch: true, isMobile: true }));
    await phone.goto(`${server.url}/s/${survey.publicToken}`);
    await phone.waitForFunction(() => document.documentElement.dataset.enhanced === "true");
    for (let page = 0; page < 6; page++) {
      const scales = phone.locator("fieldset.q-rating");
      for (let i = 0; i < (await scales.count()); i++) await scales.nth(i).locator(".option").nth(2).click();
      const next = phone.locator("button.survey-next");
      const last = (await next.textContent()) === "Completar";
      await next.click();
      if (last) break;
      await phone.locator(".survey-progress", { hasText: `Página ${page + 2} ` }).waitFor();
    }
    await phone.getByRole("heading", { name: "¡Gracias por su opinión!" }).waitFor();
    expect(await violations(phone)).toEqual(NONE);
  });

  it("the respondent page: SurveyJS (the fallback) renders, is answered and submitted", async () => {
    const phone = await watchedPage(await watchedContext({ viewport: PHONE, locale: "es-ES", hasTouch: true, isMobile: true }));
    const attributes = survey.touchpoint.attributes.map((a) => a.key);
    const rate = (question: string, value: number) =>
      phone.locator(`[data-name="${question}"] label.sd-rating__item`).getByText(String(value), { exact: true }).click();

    await phone.goto(`${server.url}/s/${invitation.token}?renderer=surveyjs`);
    await phone.locator(`[data-name="${attributes[0]}__expectation"]`).waitFor();
    for (const key of attributes) await rate(`${key}__expectation`, 5);
    await phone.getByRole("button", { name: "Siguiente" }).click();
    await phone.locator(`[data-name="${attributes[0]}__perception"]`).waitFor();
    for (const key of attributes) await rate(`${key}__perception`, 6);
    await phone.getByRole("button", { name: "Siguiente" }).click();
    await rate("nps", 9);
    const submitted = phone.waitForResponse((r) => r.request().method() === "POST" && r.url().includes(`/s/${invitation.token}`));
    await phone.getByRole("button", { name: "Completar" }).click();
    expect((await submitted).status()).toBe(200);
    await phone.getByRole("heading", { name: "¡Gracias por su opinión!" }).waitFor();
    expect(await violations(phone)).toEqual(NONE);
  });

  it("and the watch does see a violation: a script without the nonce is refused and reported", async () => {
    await staff.goto(`${server.url}/w/banco-csp`);
    await hydrated(staff);
    await staff.evaluate(() => {
      const script = document.createElement("script");
      script.textContent = "window.__injected = true";
      document.body.append(script);
    });
    await staff.waitForFunction(() => (window as unknown as { __cspViolations: string[] }).__cspViolations.length > 0);
    const seen = await violations(staff);
    expect(seen.events[0]).toMatch(/^script-src(-elem)? blocked inline/);
    expect(await staff.evaluate(() => "__injected" in window)).toBe(false);
    await expect.poll(() => watches.get(staff)!.consoleMessages.length).toBeGreaterThan(0);
  });
});
