// Survey design over real HTTP against the built server: create from a template, validation on the
// server before anything is saved, publishing and versions, roles, and workspace scoping.
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "#db/client";
import { responses, surveys, surveyVersions } from "#db/schema/index";
import { findTouchpointByKey } from "~/data/journeys.server";
import { createDeployment } from "~/data/deployments.server";
import { publishDraft } from "~/data/surveys.server";
import { freshDatabasePath, removeDatabase } from "../support/database";
import { PASSWORD, addMember, importSample, makeUser, makeWorkspace } from "../support/fixtures";
import { HttpClient } from "../support/http-client";
import { startServer, type RunningServer } from "../support/server";

const dbFile = freshDatabasePath("surveys-design");
let server: RunningServer;
let aId: number;
let bId: number;
let tpA: number;
let tpB: number;

beforeAll(async () => {
  const alice = await makeUser("alice@a.test");
  const bob = await makeUser("bob@b.test");
  const dora = await makeUser("dora@a.test");
  const max = await makeUser("max@a.test");
  aId = (await makeWorkspace("brand-a", alice.id)).id;
  bId = (await makeWorkspace("brand-b", bob.id)).id;
  await addMember("brand-a", dora.id, "designer");
  await addMember("brand-a", max.id, "manager");
  await importSample(aId);
  await importSample(bId);
  tpA = (await findTouchpointByKey(aId, "bank-branch-welcome"))!.id;
  tpB = (await findTouchpointByKey(bId, "bank-branch-welcome"))!.id;
  server = await startServer(dbFile);
});

afterAll(async () => {
  await server?.stop();
  removeDatabase(dbFile);
});

async function as(email: string) {
  const client = new HttpClient(server.url);
  await client.signIn(email, PASSWORD);
  return client;
}

async function versionsOf(surveyId: number) {
  return getDb().select().from(surveyVersions).where(eq(surveyVersions.surveyId, surveyId)).orderBy(surveyVersions.version);
}

/** Creates a survey through the form and returns its id. */
async function createThroughForm(client: HttpClient, workspace: string, touchpointId: number, extra: Record<string, string> = {}) {
  const res = await client.post(`/w/${workspace}/surveys`, { touchpointId: String(touchpointId), template: "gap_pair", nps: "on", comment: "on", ...extra });
  expect(res.status).toBe(302);
  const location = res.headers.get("Location") ?? "";
  const match = new RegExp(`^/w/${workspace}/surveys/(\\d+)\\?created=1$`).exec(location);
  expect(match, location).not.toBeNull();
  return Number(match![1]);
}

type Json = { [k: string]: unknown };
type Page = { name: string; elements: Json[] };

describe("a designer designs a survey", () => {
  let surveyId: number;

  it("creates a gap-pair survey from a touchpoint's attributes (draft v1)", async () => {
    const dora = await as("dora@a.test");
    surveyId = await createThroughForm(dora, "brand-a", tpA);
    const [survey] = await getDb().select().from(surveys).where(eq(surveys.id, surveyId)).limit(1);
    expect(survey).toMatchObject({ workspaceId: aId, touchpointId: tpA, template: "gap_pair" });
    const [v1, ...rest] = await versionsOf(surveyId);
    expect(rest).toEqual([]);
    expect(v1).toMatchObject({ version: 1, status: "draft", publishedAt: null });
    const json = JSON.parse(v1.definition) as { pages: Page[] };
    const names = json.pages.flatMap((p) => p.elements.map((e) => e.name));
    for (const attr of ["waiting_time", "staff_courtesy", "branch_comfort"]) {
      expect(names).toContain(`${attr}__expectation`);
      expect(names).toContain(`${attr}__perception`);
    }
    expect(names).toContain("nps");
    expect(names).toContain("comment");
    expect(names).not.toContain("csat");

    const page = await dora.get(`/w/brand-a/surveys/${surveyId}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("waiting_time__perception");
    expect(html).toContain('data-testid="survey-preview"');
  });

  it("refuses an invalid definition with survey-core's and Vivencia's errors, saving nothing", async () => {
    const dora = await as("dora@a.test");
    const before = await versionsOf(surveyId);
    const json = JSON.parse(before[0].definition) as { pages: Page[] };
    const [expectations, perceptions] = json.pages;
    // survey-core: a property SurveyJS does not know.
    (expectations.elements[0] as Json).rateMaxx = 9;
    // Ours: an expectation removed (its perception is left alone), an unknown attribute, a duplicate name.
    expectations.elements.splice(1, 1);
    perceptions.elements.push({ type: "rating", name: "speed__perception", rateMin: 1, rateMax: 7, vivMeasure: "perception", vivAttribute: "speed" });
    perceptions.elements.push({ type: "comment", name: "comment" });
    const res = await dora.post(`/w/brand-a/surveys/${surveyId}`, { intent: "save", definition: JSON.stringify(json, null, 2) });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('data-source="surveyjs"');
    expect(html).toContain("rateMaxx");
    expect(html).toMatch(/Unknown attribute &quot;speed&quot;/);
    expect(html).toMatch(/The perception of &quot;staff_courtesy&quot; has no expectation/);
    expect(html).toMatch(/Duplicate question name &quot;comment&quot;/);
    expect(await versionsOf(surveyId)).toEqual(before);

    const notJson = await dora.post(`/w/brand-a/surveys/${surveyId}`, { intent: "publish", definition: "{ nope" });
    expect(notJson.status).toBe(400);
    expect(await notJson.text()).toContain("not valid JSON");
    const empty = await dora.post(`/w/brand-a/surveys/${surveyId}`, { intent: "save", definition: "  " });
    expect(empty.status).toBe(400);
    expect(await versionsOf(surveyId)).toEqual(before);
  });

  it("saves the draft in place, publishes it frozen, and edits after that as a new version", async () => {
    const dora = await as("dora@a.test");
    const v1 = (await versionsOf(surveyId))[0];
    const edited = JSON.parse(v1.definition) as Json;
    edited.title = { default: "Branch welcome", es: "Bienvenida en la sucursal" };
    const save = await dora.post(`/w/brand-a/surveys/${surveyId}`, { intent: "save", definition: JSON.stringify(edited) });
    expect(save.status).toBe(200);
    expect(await versionsOf(surveyId)).toHaveLength(1);
    expect(JSON.parse((await versionsOf(surveyId))[0].definition).title.es).toBe("Bienvenida en la sucursal");

    const publish = await dora.post(`/w/brand-a/surveys/${surveyId}`, { intent: "publish", definition: JSON.stringify(edited) });
    expect(publish.status).toBe(200);
    const [published] = await versionsOf(surveyId);
    expect(published).toMatchObject({ version: 1, status: "published" });
    expect(published.publishedAt).toBeInstanceOf(Date);

    // Publishing the same definition again publishes nothing.
    const again = await dora.post(`/w/brand-a/surveys/${surveyId}`, { intent: "publish", definition: JSON.stringify(edited) });
    expect(again.status).toBe(400);
    expect(await again.text()).toContain("Nothing to publish");
    expect(await versionsOf(surveyId)).toHaveLength(1);

    // A response answers v1; editing now writes draft v2 and leaves v1 exactly as it was.
    await getDb()
      .insert(responses)
      .values({ workspaceId: aId, surveyVersionId: published.id, touchpointId: tpA, lang: "es", source: "link", data: "{}", completedAt: new Date() });
    edited.title = { default: "Welcome", es: "Bienvenida" };
    const edit = await dora.post(`/w/brand-a/surveys/${surveyId}`, { intent: "save", definition: JSON.stringify(edited) });
    expect(edit.status).toBe(200);
    expect(await edit.text()).toContain("v2");
    const [p1, d2] = await versionsOf(surveyId);
    expect(p1).toEqual(published);
    expect(d2).toMatchObject({ version: 2, status: "draft", publishedAt: null });

    const publish2 = await dora.post(`/w/brand-a/surveys/${surveyId}`, { intent: "publish", definition: JSON.stringify(edited) });
    expect(publish2.status).toBe(200);
    expect((await versionsOf(surveyId)).map((v) => [v.version, v.status])).toEqual([
      [1, "published"],
      [2, "published"],
    ]);
    const [response] = await getDb().select().from(responses).where(eq(responses.workspaceId, aId)).limit(1);
    expect(response.surveyVersionId).toBe(published.id);

    // The editor now lists both versions, and v1's response count.
    const page = await (await dora.get(`/w/brand-a/surveys/${surveyId}`)).text();
    expect(page).toContain('data-version="2"');
    expect(page).toContain('data-version="1"');
  });

  it("generates every template, and refuses a touchpoint of another workspace", async () => {
    const dora = await as("dora@a.test");
    for (const template of ["zone_of_tolerance", "servqual", "brand_experience"]) {
      const id = await createThroughForm(dora, "brand-a", tpA, { template, csat: "on", ces: "on", importance: "on" });
      expect((await versionsOf(id))[0].status).toBe("draft");
      const [created] = await getDb().select().from(surveys).where(eq(surveys.id, id)).limit(1);
      expect(created.template).toBe(template);
      // The saved draft can also be published as it is (the demo seed does).
      expect(await publishDraft(aId, id)).toEqual({ ok: true, version: 1 });
      expect(await publishDraft(aId, id)).toMatchObject({ ok: false, errors: [{ message: expect.stringMatching(/no draft/) }] });
      expect(await publishDraft(bId, id)).toBeNull();
    }
    const res = await dora.post("/w/brand-a/surveys", { touchpointId: String(tpB), template: "gap_pair" });
    expect(res.status).toBe(400);
    const bad = await dora.post("/w/brand-a/surveys", { touchpointId: "", template: "nonsense" });
    expect(bad.status).toBe(400);
    const body = await bad.text();
    expect(body).toContain("Elija un punto de contacto.");
    expect(body).toContain("Elija una de las opciones.");
    expect(await getDb().select().from(surveys).where(and(eq(surveys.workspaceId, aId), eq(surveys.touchpointId, tpB)))).toEqual([]);
  });

  it("a designer sets the survey's titles in both languages after creating it; an empty Spanish title is refused", async () => {
    const dora = await as("dora@a.test");
    await dora.post("/lang", { lang: "en", redirectTo: "/workspaces" });
    const empty = await dora.post(`/w/brand-a/surveys/${surveyId}`, { intent: "rename", title: "  ", titleEn: "Welcome" });
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain("This field is required.");
    const renamed = await dora.post(`/w/brand-a/surveys/${surveyId}`, { intent: "rename", title: "Bienvenida en la oficina", titleEn: "Branch welcome" });
    expect(renamed.status).toBe(200);
    expect(await renamed.text()).toContain("Titles saved.");
    const [row] = await getDb().select({ title: surveys.title, titleEn: surveys.titleEn }).from(surveys).where(eq(surveys.id, surveyId));
    expect(row).toEqual({ title: "Bienvenida en la oficina", titleEn: "Branch welcome" });
    // The page names it in the reader's language.
    expect(await (await dora.get(`/w/brand-a/surveys/${surveyId}`)).text()).toContain("<title>Branch welcome · Vivencia</title>");
  });

  it("a manager reads surveys but cannot create, edit or deploy them", async () => {
    const max = await as("max@a.test");
    expect((await max.get("/w/brand-a/surveys")).status).toBe(200);
    expect((await max.get(`/w/brand-a/surveys/${surveyId}`)).status).toBe(200);
    const before = await versionsOf(surveyId);
    expect((await max.post(`/w/brand-a/surveys/${surveyId}`, { intent: "save", definition: before[1].definition })).status).toBe(403);
    expect((await max.post(`/w/brand-a/surveys/${surveyId}`, { intent: "publish", definition: before[1].definition })).status).toBe(403);
    expect((await max.post("/w/brand-a/surveys", { touchpointId: String(tpA), template: "gap_pair" })).status).toBe(403);
    expect((await max.post(`/w/brand-a/surveys/${surveyId}`, { intent: "rename", title: "x", titleEn: "x" })).status).toBe(403);
    expect((await max.post(`/w/brand-a/surveys/${surveyId}/deploy`, { intent: "createDeployment", name: "x" })).status).toBe(403);
    expect(await versionsOf(surveyId)).toEqual(before);
  });

  it("another workspace's survey, deployment and QR answer 404", async () => {
    const deployment = await createDeployment(aId, surveyId, "Counter");
    expect(deployment?.ok).toBe(true);
    const depId = deployment && deployment.ok ? deployment.deployment.id : 0;
    const bob = await as("bob@b.test");
    const urls = [
      `/w/brand-b/surveys/${surveyId}`,
      `/w/brand-b/surveys/${surveyId}/deploy`,
      `/w/brand-b/surveys/${surveyId}/preview`,
      `/w/brand-b/deployments/${depId}/qr.svg`,
      `/w/brand-a/surveys/${surveyId}`,
      `/w/brand-a/surveys`,
    ];
    for (const url of urls) expect((await bob.get(url)).status, url).toBe(404);
    const before = await versionsOf(surveyId);
    expect((await bob.post(`/w/brand-b/surveys/${surveyId}`, { intent: "save", definition: before[1].definition })).status).toBe(404);
    expect((await bob.post(`/w/brand-b/surveys/${surveyId}/deploy`, { intent: "createDeployment", name: "x" })).status).toBe(404);
    expect((await bob.post("/w/brand-b/surveys", { touchpointId: String(tpA), template: "gap_pair" })).status).toBe(400);
    expect(await versionsOf(surveyId)).toEqual(before);
    // A's designer sees it.
    const dora = await as("dora@a.test");
    const qr = await dora.get(`/w/brand-a/deployments/${depId}/qr.svg`);
    expect(qr.status).toBe(200);
    expect(qr.headers.get("Content-Type")).toContain("image/svg+xml");
    expect(await qr.text()).toMatch(/^<svg[^>]*viewBox/);
  });
});
