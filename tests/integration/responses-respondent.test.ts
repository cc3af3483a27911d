// The public survey page /s/<token> over real HTTP: friendly pages with the right status for
// unknown, expired, closed and used links; the first page server-rendered in the respondent's
// language without the survey code; progress kept on the invitation; one response per invitation.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { count, eq } from "drizzle-orm";
import { getDb } from "#db/client";
import { invitations, measurements, responses } from "#db/schema/index";
import { freshDatabasePath, removeDatabase } from "../support/database";
import { HttpClient } from "../support/http-client";
import { importSample, makeUser, makeWorkspace } from "../support/fixtures";
import { startServer, type RunningServer } from "../support/server";
import { makeCustomer, makeInvitation, makeSurveyFixture, newToken, ratingAnswers, type SurveyFixture } from "../support/survey-fixtures";

const dbFile = freshDatabasePath("responses-respondent");
let server: RunningServer;
let f: SurveyFixture;
let closed: SurveyFixture;
let customerId: number;

beforeAll(async () => {
  const owner = await makeUser("owner@resp.test");
  const ws = await makeWorkspace("fibra-sur", owner.id);
  await importSample(ws.id, "telecom-installation-and-repair.json");
  f = await makeSurveyFixture(ws.id, { touchpointKey: "telco-technician-visit" });
  closed = await makeSurveyFixture(ws.id, { touchpointKey: "telco-repair-visit", active: false });
  customerId = await makeCustomer(ws.id, "CUST-9", "premium", "Rosa Secreta");
  server = await startServer(dbFile);
});

afterAll(async () => {
  await server?.stop();
  removeDatabase(dbFile);
});

const client = () => new HttpClient(server.url);
const responseCount = async () => (await getDb().select({ n: count() }).from(responses))[0].n;
const invitation = async (id: number) => (await getDb().select().from(invitations).where(eq(invitations.id, id)).limit(1))[0];
const goodAnswers = () => ratingAnswers(f.json, (min, max) => Math.round((min + max) / 2), "Todo bien");

function submit(token: string, answers: unknown, extra: Record<string, string> = {}) {
  return client().post(`/s/${token}`, { intent: "submit", data: JSON.stringify(answers), version: String(f.versionId), lang: "es", ...extra });
}

describe("friendly pages", () => {
  it("answers an unknown or malformed token with 404 and a page a customer understands", async () => {
    for (const token of [newToken(), "x", "a".repeat(300)]) {
      const res = await client().get(`/s/${token}`);
      expect(res.status).toBe(404);
      const html = await res.text();
      expect(html).toContain("No encontramos esta encuesta");
      expect(html).not.toMatch(/Unexpected|stack|Error:/);
    }
  });

  it("answers an expired invitation with 410", async () => {
    const inv = await makeInvitation(f, customerId, { expiresAt: new Date(Date.now() - 60_000) });
    const res = await client().get(`/s/${inv.token}`);
    expect(res.status).toBe(410);
    expect(await res.text()).toContain("El plazo para responder terminó");
    expect((await invitation(inv.id)).state).toBe("pending");
    const post = await submit(inv.token, goodAnswers());
    expect(post.status).toBe(410);
    expect((await invitation(inv.id)).state).toBe("pending");
  });

  it("answers a switched-off deployment's link with 410", async () => {
    const res = await client().get(`/s/${closed.publicToken}`);
    expect(res.status).toBe(410);
    expect(await res.text()).toContain("Esta encuesta está cerrada");
  });
});

describe("an open personal link", () => {
  it("server-renders the brand and title, leaks nothing else, and marks the invitation opened", async () => {
    const inv = await makeInvitation(f, customerId);
    const res = await client().get(`/s/${inv.token}`, { "Accept-Language": "es-AR,es;q=0.9" });
    expect(res.status).toBe(200);
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    expect(res.headers.get("Referrer-Policy")).toBe("same-origin");
    const html = await res.text();
    expect(html).toContain("FIBRA-SUR"); // the brand (workspace name)
    expect(html).toContain(`<h1 class="respondent-title">${f.touchpoint.name}</h1>`);
    // The first page of questions is in the HTML (the server-drawn form), not a loading notice.
    expect(html).toContain('<h2 class="survey-page-title" tabindex="-1">Lo que esperaba</h2>');
    expect(html).not.toContain("Cargando la encuesta…");
    expect(html).not.toContain("fibra-sur"); // the slug
    expect(html).not.toContain("Rosa Secreta");
    expect(html).not.toContain("CUST-9");
    expect(html).not.toContain("owner@resp.test");
    // The survey code is not in the shell: no survey-core script or stylesheet until the browser asks.
    const loaded = [...html.matchAll(/<link[^>]+rel="(?:modulepreload|stylesheet)"[^>]*>/g)].map((m) => m[0]);
    expect(loaded.length).toBeGreaterThan(0);
    expect(loaded.filter((tag) => /respondent-survey|survey-core|survey-react|metadata-/.test(tag))).toEqual([]);
    const opened = await invitation(inv.id);
    expect(opened.state).toBe("opened");
    expect(opened.openedAt).not.toBeNull();
  });

  it("speaks English with ?lang=en or an English browser", async () => {
    const inv = await makeInvitation(f, customerId);
    const byQuery = await (await client().get(`/s/${inv.token}?lang=en`)).text();
    expect(byQuery).toContain('lang="en"');
    expect(byQuery).toContain("What you expected");
    const byHeader = await (await client().get(`/s/${inv.token}`, { "Accept-Language": "en-GB,en;q=0.8" })).text();
    expect(byHeader).toContain("What you expected");
  });

  it("keeps progress on the invitation, records once, and then says the answers were already received", async () => {
    const inv = await makeInvitation(f, customerId);
    const progress = JSON.stringify({ data: { nps: 9 }, page: 1, startedAt: Date.now() - 60_000 });
    const saved = await client().post(`/s/${inv.token}`, { intent: "progress", progress });
    expect(saved.status).toBe(200);
    expect((await invitation(inv.id)).progress).toBe(progress);
    expect((await client().post(`/s/${inv.token}`, { intent: "progress", progress: "[1]" })).status).toBe(400);

    const before = await responseCount();
    const invalid = await submit(inv.token, { ...goodAnswers(), nps: 12 });
    expect(invalid.status).toBe(400);
    expect(await responseCount()).toBe(before);

    const answers = goodAnswers();
    const ok = await submit(inv.token, answers, { lang: "en", startedAt: String(Date.now() - 120_000) });
    expect(ok.status).toBe(200);
    expect(await responseCount()).toBe(before + 1);
    const [row] = await getDb().select().from(responses).where(eq(responses.invitationId, inv.id)).limit(1);
    expect(row).toMatchObject({ source: "invitation", customerId, tier: "premium", lang: "en", deploymentId: f.deploymentId, comment: "Todo bien" });
    expect(row.data).toBe(JSON.stringify(answers));
    expect(row.startedAt).not.toBeNull();
    const [measured] = await getDb().select({ n: count() }).from(measurements).where(eq(measurements.responseId, row.id));
    expect(measured.n).toBeGreaterThan(4);
    const done = await invitation(inv.id);
    expect(done.state).toBe("completed");
    expect(done.progress).toBeNull();

    const again = await submit(inv.token, answers);
    expect(again.status).toBe(409);
    expect(await responseCount()).toBe(before + 1);
    const page = await client().get(`/s/${inv.token}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Ya recibimos sus respuestas");
    expect((await client().post(`/s/${inv.token}`, { intent: "progress", progress })).status).toBe(409);
  });

  it("records one response when the same invitation is submitted twice at once", async () => {
    const inv = await makeInvitation(f, customerId);
    const before = await responseCount();
    const statuses = (await Promise.all([submit(inv.token, goodAnswers()), submit(inv.token, goodAnswers()), submit(inv.token, goodAnswers())])).map((r) => r.status);
    expect(statuses.sort()).toEqual([200, 409, 409]);
    expect(await responseCount()).toBe(before + 1);
  });
});

describe("a public link", () => {
  it("takes one response per submission id, and any number of respondents", async () => {
    const before = await responseCount();
    const submission = "b6f2c1d0e9a84f7b8c3d2e1f0a9b8c7d";
    expect((await submit(f.publicToken, goodAnswers(), { submission })).status).toBe(200);
    expect((await submit(f.publicToken, goodAnswers(), { submission })).status).toBe(200); // a retry
    expect((await submit(f.publicToken, goodAnswers(), { submission: "0f9e8d7c6b5a49382716051423324150" })).status).toBe(200);
    expect(await responseCount()).toBe(before + 2);
    const rows = await getDb().select().from(responses).where(eq(responses.source, "link"));
    expect(rows.every((r) => r.customerId === null && r.invitationId === null && r.tier === "")).toBe(true);
  });

  it("refuses a version that is not this survey's", async () => {
    expect((await submit(f.publicToken, goodAnswers(), { version: String(closed.versionId) })).status).toBe(400);
  });
});
