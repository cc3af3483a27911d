// The respondent page answered with no JavaScript at all, by plain form POSTs over real HTTP: the
// first page of questions is in the server's HTML, an unanswered page comes back with SurveyJS's
// error texts, the answers so far ride from page to page (and are kept on the invitation), the last
// page records the response and its measurements once, and a replayed last POST records nothing new.
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { count, eq } from "drizzle-orm";
import { getDb } from "#db/client";
import { clientingPulses, clientingResponses, invitations, measurements, responses } from "#db/schema/index";
import { createPulse } from "~/data/clienting.server";
import { freshDatabasePath, removeDatabase } from "../support/database";
import { HttpClient } from "../support/http-client";
import { importSample, makeUser, makeWorkspace } from "../support/fixtures";
import { answerPage, formStateField, pageInputs, pageTitle } from "../support/respondent-form";
import { startServer, type RunningServer } from "../support/server";
import { makeCustomer, makeInvitation, makeSurveyFixture, type SurveyFixture } from "../support/survey-fixtures";

const dbFile = freshDatabasePath("respondent-form");
let server: RunningServer;
let f: SurveyFixture;
let customerId: number;
let workspaceId: number;

beforeAll(async () => {
  const owner = await makeUser("owner@form.test");
  const ws = await makeWorkspace("fibra-form", owner.id);
  await importSample(ws.id, "telecom-installation-and-repair.json");
  f = await makeSurveyFixture(ws.id, { touchpointKey: "telco-technician-visit", build: { nps: true, csat: true, comment: true } });
  customerId = await makeCustomer(ws.id, "CUST-1", "premium", "Rosa");
  workspaceId = ws.id;
  server = await startServer(dbFile);
});

afterAll(async () => {
  await server?.stop();
  removeDatabase(dbFile);
});

const attributeCount = () => f.touchpoint.attributes.length;
const responsesOf = async (source: "invitation" | "link") => (await getDb().select({ n: count() }).from(responses).where(eq(responses.source, source)))[0].n;
const invitationRow = async (id: number) => (await getDb().select().from(invitations).where(eq(invitations.id, id)).limit(1))[0];
/** The middle of every scale, as a respondent might answer. */
const middle = (offered: string[]) => offered[Math.floor(offered.length / 2)];

describe("a personal link without JavaScript", () => {
  it("has the first page of questions in the HTML, and no React on the page", async () => {
    const inv = await makeInvitation(f, customerId);
    const res = await new HttpClient(server.url).get(`/s/${inv.token}`, { "Accept-Language": "es-ES" });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(pageTitle(html)).toBe("Lo que esperaba");
    const radios = pageInputs(html).filter((i) => i.type === "radio");
    expect(radios).toHaveLength(attributeCount() * 7);
    expect(html).toContain("<legend");
    expect(html).toMatch(/<button type="submit" name="intent" value="next"[^>]*>Siguiente<\/button>/);
    expect(html).not.toContain("Cargando la encuesta");
    expect(html).not.toContain("active JavaScript");
    // One small module enhances the form; Remix's hydration scripts are not loaded.
    expect(html).toMatch(/<script type="module" src="\/assets\/respondent-enhance-[^"]+\.js"/);
    expect(html).not.toContain("entry.client");
    expect(html).not.toContain("window.__remixContext");
    expect((await invitationRow(inv.id)).state).toBe("opened");
  });

  it("loads at most 60 KB of JavaScript and CSS, gzipped, for its first page", async () => {
    const inv = await makeInvitation(f, customerId);
    const html = await (await new HttpClient(server.url).get(`/s/${inv.token}`)).text();
    const assets = [
      ...[...html.matchAll(/<link[^>]+rel="(?:stylesheet|modulepreload)"[^>]*href="([^"]+)"/g)].map((m) => m[1]),
      ...[...html.matchAll(/<script[^>]+src="([^"]+)"/g)].map((m) => m[1]),
    ];
    expect(assets.some((a) => a.endsWith(".css"))).toBe(true);
    expect(assets.some((a) => a.endsWith(".js"))).toBe(true);
    let total = 0;
    for (const asset of assets) {
      const res = await fetch(`${server.url}${asset}`);
      expect(res.status).toBe(200);
      total += gzipSync(Buffer.from(await res.arrayBuffer())).length;
    }
    expect(total).toBeLessThan(60 * 1024);
  });

  it("refuses an unanswered page with errors announced, keeps progress, and records once at the end", async () => {
    const inv = await makeInvitation(f, customerId);
    const client = new HttpClient(server.url);
    const url = `/s/${inv.token}?lang=es`;
    let html = await (await client.get(url)).text();

    // Nothing answered: the same page, 400, each required question told so, an alert on top.
    const empty = await client.post(url, { state: formStateField(html), intent: "next" });
    expect(empty.status).toBe(400);
    const refused = await empty.text();
    expect(pageTitle(refused)).toBe("Lo que esperaba");
    expect(refused).toContain('role="alert"');
    expect(refused.match(/Por favor conteste la pregunta\./g)?.length).toBeGreaterThanOrEqual(attributeCount());
    expect(refused).toMatch(/aria-invalid="true"[^>]*aria-describedby="[^"]*q0-err"/);

    // Answered: the next page, and the answers so far kept on the invitation.
    const first = await client.post(url, answerPage(refused, () => "5"));
    expect(first.status).toBe(200);
    html = await first.text();
    expect(pageTitle(html)).toBe("Lo que recibió");
    const saved = JSON.parse((await invitationRow(inv.id)).progress!);
    expect(saved).toMatchObject({ page: 1, pageName: "perceptions" });
    expect(Object.values(saved.data)).toEqual(Array(attributeCount()).fill(5));

    // A reload (or another device) continues on that page.
    expect(pageTitle(await (await client.get(url)).text())).toBe("Lo que recibió");

    // Back keeps what was answered on both pages.
    const back = await client.post(url, { ...answerPage(html, () => "6"), intent: "back" });
    expect(pageTitle(await back.text())).toBe("Lo que esperaba");

    // The rest, by the page the server sends each time.
    html = await (await client.get(url)).text();
    for (let guard = 0; guard < 6 && pageTitle(html) !== null; guard++) {
      const step = await client.post(url, answerPage(html, (offered) => (offered.length === 11 ? "9" : offered.length === 5 ? "4" : "6"), pageTitle(html) === "Comentarios" ? "Muy puntual." : ""));
      expect(step.status).toBe(200);
      html = await step.text();
    }
    expect(html).toContain("¡Gracias por su opinión!");

    const [row] = await getDb().select().from(responses).where(eq(responses.invitationId, inv.id));
    expect(row).toMatchObject({ source: "invitation", lang: "es", tier: "premium", comment: "Muy puntual." });
    const data = JSON.parse(row.data) as Record<string, unknown>;
    expect(data).toMatchObject({ nps: 9, csat: 4, comment: "Muy puntual." });
    for (const a of f.touchpoint.attributes) expect(data).toMatchObject({ [`${a.key}__perception`]: 6 });
    const rows = await getDb().select().from(measurements).where(eq(measurements.responseId, row.id));
    expect(rows).toHaveLength(attributeCount() * 2 + 2);
    expect(row.startedAt).not.toBeNull();
    expect((await invitationRow(inv.id)).state).toBe("completed");
  });

  it("records nothing twice when the last page is posted again", async () => {
    const inv = await makeInvitation(f, customerId);
    const client = new HttpClient(server.url);
    const url = `/s/${inv.token}?lang=en`;
    let html = await (await client.get(url)).text();
    let last: Record<string, string> = {};
    while (pageTitle(html) !== null) {
      last = answerPage(html, middle);
      html = await (await client.post(url, last)).text();
    }
    expect(html).toContain("Thank you for your feedback!");
    const before = await responsesOf("invitation");
    const again = await client.post(url, last);
    expect(again.status).toBe(409);
    expect(await again.text()).toContain("We already have your answers");
    expect(await responsesOf("invitation")).toBe(before);
    expect((await getDb().select({ n: count() }).from(responses).where(eq(responses.invitationId, inv.id)))[0].n).toBe(1);
  });
});

describe("a public link without JavaScript", () => {
  it("carries the answers in the form, and a replayed last page records one response", async () => {
    const client = new HttpClient(server.url);
    const url = `/s/${f.publicToken}?lang=es`;
    let html = await (await client.get(url)).text();
    let last: Record<string, string> = {};
    while (pageTitle(html) !== null) {
      last = answerPage(html, () => "3");
      const res = await client.post(url, last);
      expect(res.status).toBe(200);
      html = await res.text();
    }
    expect(html).toContain("¡Gracias por su opinión!");
    const before = await responsesOf("link");
    expect(before).toBe(1);
    // The same last POST again (a double tap, a retry): the same submission id, nothing new stored.
    const replay = await client.post(url, last);
    expect(replay.status).toBe(200);
    expect(await replay.text()).toContain("¡Gracias por su opinión!");
    expect(await responsesOf("link")).toBe(before);
    const [row] = await getDb().select().from(responses).where(eq(responses.source, "link"));
    expect(row).toMatchObject({ customerId: null, invitationId: null, lang: "es" });
    expect(JSON.parse(row.data)).toMatchObject({ nps: 3, csat: 3 });
  });

  it("starts again, saying so, when the posted state cannot be read", async () => {
    const client = new HttpClient(server.url);
    for (const state of ["not json", JSON.stringify({ version: 1, data: {}, pageName: "x", page: 0, startedAt: 0, submission: "short" }), JSON.stringify({ version: 999999, data: {}, pageName: "overall", page: 2, startedAt: 0, submission: "a".repeat(22) })]) {
      const res = await client.post(`/s/${f.publicToken}?lang=en`, { state, intent: "next" });
      expect(res.status).toBe(400);
      const html = await res.text();
      expect(html).toContain("We could not read your earlier answers. Please start again.");
      expect(pageTitle(html)).toBe("What you expected");
    }
  });

  it("still offers the SurveyJS page with ?renderer=surveyjs", async () => {
    const html = await (await new HttpClient(server.url).get(`/s/${f.publicToken}?renderer=surveyjs&lang=en`)).text();
    expect(html).toContain("Loading the survey…");
    expect(html).toContain("window.__remixContext");
    expect(html).not.toContain('name="state"');
  });
});

describe("a Clienting pulse without JavaScript", () => {
  it("is answered by plain forms too, and a replayed last page counts once", async () => {
    const today = new Date().toISOString().slice(0, 10);
    await createPulse(workspaceId, { title: "Pulso sin JavaScript", opensOn: today, closesOn: null }, null);
    const [pulse] = await getDb().select().from(clientingPulses).where(eq(clientingPulses.workspaceId, workspaceId));
    const client = new HttpClient(server.url);
    const url = `/p/${pulse.publicToken}?lang=es`;
    let html = await (await client.get(url)).text();
    expect(html).toContain('name="state"');
    expect(html).not.toContain("window.__remixContext");
    let last: Record<string, string> = {};
    for (let guard = 0; guard < 8 && html.includes('name="state"'); guard++) {
      // A supplier: no department to choose; the middle of every scale.
      last = answerPage(html, (offered) => (offered.includes("supplier") ? "supplier" : middle(offered)));
      const res = await client.post(url, last);
      html = await res.text();
      expect(res.status, html.slice(0, 300)).toBe(200);
    }
    expect(html).toContain("¡Gracias!");
    const counted = async () => (await getDb().select({ n: count() }).from(clientingResponses).where(eq(clientingResponses.pulseId, pulse.id)))[0].n;
    expect(await counted()).toBe(1);
    expect((await client.post(url, last)).status).toBe(200);
    expect(await counted()).toBe(1);
  });
});
