// The builder's autosave over real HTTP against the built server: work in progress kept as sent
// (even when it does not pass the measurement rules yet), offered again when the page opens,
// dropped by a save; refused when it is not a JSON object, for a manager and across workspaces.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "#db/client";
import { surveyAutosaves, surveyVersions } from "#db/schema/index";
import { findTouchpointByKey } from "~/data/journeys.server";
import { createSurveyFromTemplate } from "~/data/surveys.server";
import { freshDatabasePath, removeDatabase } from "../support/database";
import { PASSWORD, addMember, importSample, makeUser, makeWorkspace } from "../support/fixtures";
import { HttpClient } from "../support/http-client";
import { startServer, type RunningServer } from "../support/server";

const dbFile = freshDatabasePath("survey-autosave");
let server: RunningServer;
let surveyId: number;

beforeAll(async () => {
  const alice = await makeUser("alice@a.test");
  const bob = await makeUser("bob@b.test");
  const dora = await makeUser("dora@a.test");
  const max = await makeUser("max@a.test");
  const a = await makeWorkspace("brand-a", alice.id);
  await makeWorkspace("brand-b", bob.id);
  await addMember("brand-a", dora.id, "designer");
  await addMember("brand-a", max.id, "manager");
  await importSample(a.id);
  const tp = (await findTouchpointByKey(a.id, "bank-branch-welcome"))!.id;
  const created = await createSurveyFromTemplate(a.id, alice.id, { touchpointId: tp, template: "gap_pair", blocks: { nps: true } });
  surveyId = created && created.ok ? created.surveyId : 0;
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

const autosaves = () => getDb().select().from(surveyAutosaves).where(eq(surveyAutosaves.surveyId, surveyId));

describe("autosave of the builder's work in progress", () => {
  it("keeps unfinished work, offers it again, and a save replaces it", async () => {
    const dora = await as("dora@a.test");
    const [v1] = await getDb().select().from(surveyVersions).where(eq(surveyVersions.surveyId, surveyId));
    // A perception without its expectation: not savable as a version, but worth keeping.
    const json = JSON.parse(v1.definition) as { pages: { elements: unknown[] }[] };
    json.pages[0].elements = [];
    const unfinished = JSON.stringify(json, null, 2);
    const res = await dora.post(`/w/brand-a/surveys/${surveyId}`, { intent: "autosave", definition: unfinished });
    expect(res.status).toBe(200);
    expect(await autosaves()).toMatchObject([{ definition: unfinished }]);
    const again = { ...json, title: { default: "Later", es: "Después" } };
    expect((await dora.post(`/w/brand-a/surveys/${surveyId}`, { intent: "autosave", definition: JSON.stringify(again) })).status).toBe(200);
    expect(await autosaves()).toMatchObject([{ definition: JSON.stringify(again) }]);

    const page = await (await dora.get(`/w/brand-a/surveys/${surveyId}`)).text();
    expect(page).toContain("Se ha recuperado el trabajo sin guardar");
    // The draft version itself is untouched until a save.
    const [still] = await getDb().select().from(surveyVersions).where(eq(surveyVersions.surveyId, surveyId));
    expect(still.definition).toBe(v1.definition);

    const saved = await dora.post(`/w/brand-a/surveys/${surveyId}`, { intent: "save", definition: v1.definition });
    expect(saved.status).toBe(200);
    expect(await autosaves()).toEqual([]);
    expect(await (await dora.get(`/w/brand-a/surveys/${surveyId}`)).text()).not.toContain("Se ha recuperado el trabajo sin guardar");
  });

  it("refuses what is not a JSON object, a manager, and another workspace", async () => {
    const dora = await as("dora@a.test");
    for (const definition of ["{ nope", "[1, 2]", ""]) {
      const res = await dora.post(`/w/brand-a/surveys/${surveyId}`, { intent: "autosave", definition });
      expect(res.status, definition).toBe(400);
    }
    const max = await as("max@a.test");
    expect((await max.post(`/w/brand-a/surveys/${surveyId}`, { intent: "autosave", definition: "{}" })).status).toBe(403);
    const bob = await as("bob@b.test");
    expect((await bob.post(`/w/brand-b/surveys/${surveyId}`, { intent: "autosave", definition: "{}" })).status).toBe(404);
    expect(await autosaves()).toEqual([]);
  });
});
