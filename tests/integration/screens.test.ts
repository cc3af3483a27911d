// Screens that read the same everywhere, over real HTTP: the 403 page names the missing permission
// in the reader's language, the workspace's time zone and currency are settings, the survey
// versions table counts each version's own responses, and a customer file with a `cliente` header imports.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDatabasePath, removeDatabase } from "../support/database";
import { startServer, type RunningServer } from "../support/server";
import { HttpClient } from "../support/http-client";
import { PASSWORD, addMember, importSample, makeUser, makeWorkspace } from "../support/fixtures";
import { makeSurveyFixture, publishVersion, ratingAnswers, recordFixtureAnswers } from "../support/survey-fixtures";
import { listVersions } from "~/data/surveys.server";
import { importCsvFile } from "~/data/crm-import.server";
import { customerIdByExternalId } from "~/data/customers.server";
import { findMemberWorkspace } from "~/data/workspaces.server";

const dbFile = freshDatabasePath("screens");
const dir = path.resolve("tests/.tmp", `screens-${process.pid}`);
let server: RunningServer;
let workspaceId: number;
let adminId: number;
let surveyId: number;

beforeAll(async () => {
  const admin = await makeUser("ada@screens.test");
  adminId = admin.id;
  const manager = await makeUser("mia@screens.test");
  const designer = await makeUser("dan@screens.test");
  const ws = await makeWorkspace("screens", admin.id);
  workspaceId = ws.id;
  await addMember("screens", manager.id, "manager");
  await addMember("screens", designer.id, "designer");
  await importSample(ws.id);

  // A survey answered 3 times on version 1 and twice on version 2.
  const fixture = await makeSurveyFixture(ws.id, { touchpointKey: "bank-branch-welcome" });
  surveyId = fixture.surveyId;
  const answers = ratingAnswers(fixture.json, (min, max) => Math.round((min + max) / 2));
  for (let i = 0; i < 3; i++) expect((await recordFixtureAnswers(fixture, answers)).status).toBe("recorded");
  const v2 = await publishVersion(ws.id, fixture.surveyId, fixture.json, 2);
  for (let i = 0; i < 2; i++) expect((await recordFixtureAnswers({ ...fixture, versionId: v2 }, answers)).status).toBe("recorded");

  server = await startServer(dbFile);
});

afterAll(async () => {
  await server?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
  removeDatabase(dbFile);
});

async function as(email: string, lang: "es" | "en") {
  const client = new HttpClient(server.url);
  await client.signIn(email, PASSWORD);
  expect((await client.post("/lang", { lang, redirectTo: "/" })).status).toBe(302);
  return client;
}

describe("the page for something missing", () => {
  it("says so in the interface language", async () => {
    for (const [lang, text] of [["es", "Lo que busca no existe en este espacio de trabajo"], ["en", "What you are looking for does not exist in this workspace"]] as const) {
      const res = await (await as("ada@screens.test", lang)).get("/w/screens/customers/999999");
      expect(res.status).toBe(404);
      expect(await res.text()).toContain(text);
    }
  });
});

describe("the page for a missing permission", () => {
  it("tells a manager in English which permission Settings needs and which role has it", async () => {
    const mia = await as("mia@screens.test", "en");
    const res = await mia.get("/w/screens/settings");
    expect(res.status).toBe(403);
    const html = await res.text();
    expect(html).toContain("No permission");
    expect(html).toContain("You need the permission “change the settings” (role Admin has it).");
  });

  it("says the same in Spanish", async () => {
    const dan = await as("dan@screens.test", "es");
    const settings = await (await dan.get("/w/screens/settings")).text();
    expect(settings).toContain("Necesita el permiso «cambiar los ajustes» (lo tiene el rol Administración).");
    expect(settings).toContain("Pida a una persona con rol Administración del espacio que le cambie el rol.");
    const tokens = await dan.get("/w/screens/audit");
    expect(tokens.status).toBe(403);
    expect(await tokens.text()).toContain("Necesita el permiso «leer el registro de auditoría»");
  });

  it("still answers 404, not 403, for a workspace the person is not in", async () => {
    const outsider = await makeUser("out@screens.test");
    expect(outsider.id).toBeGreaterThan(0);
    const client = await as("out@screens.test", "en");
    const res = await client.get("/w/screens/settings");
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain("permission");
  });
});

describe("the workspace's time zone and currency", () => {
  it("refuses an unknown zone or currency with a message, and keeps what was typed", async () => {
    const ada = await as("ada@screens.test", "en");
    const res = await ada.post("/w/screens/settings", { intent: "locale", timeZone: "Mars/Olympus", currency: "EUR" });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain("Unknown time zone");
    expect(html).toContain('value="Mars/Olympus"');
    const bad = await ada.post("/w/screens/settings", { intent: "locale", timeZone: "UTC", currency: "EURO" });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("Unknown currency");
    expect((await findMemberWorkspace("screens", adminId))?.timeZone).toBe("UTC");
  });

  it("saves a valid zone and currency", async () => {
    const ada = await as("ada@screens.test", "en");
    const res = await ada.post("/w/screens/settings", { intent: "locale", timeZone: "America/Bogota", currency: "cop" });
    expect(res.status).toBe(200);
    const ws = await findMemberWorkspace("screens", adminId);
    expect([ws?.timeZone, ws?.currency]).toEqual(["America/Bogota", "COP"]);
  });

  it("lets a person choose their own zone on My account, and refuses an unknown one", async () => {
    const ada = await as("ada@screens.test", "en");
    const bad = await ada.post("/account", { intent: "timeZone", timeZone: "Nowhere/Else" });
    expect(bad.status).toBe(400);
    const refused = await bad.text();
    expect(refused).toContain("Unknown time zone");
    expect(refused).toContain('value="Nowhere/Else"');
    const es = await as("ada@screens.test", "es");
    const badEs = await es.post("/account", { intent: "timeZone", timeZone: "Nowhere/Else" });
    expect(await badEs.text()).toContain("Zona horaria desconocida: use un nombre IANA");
    const good = await ada.post("/account", { intent: "timeZone", timeZone: "Europe/Madrid" });
    expect(good.status).toBe(200);
    expect(await (await ada.get("/account")).text()).toContain('value="Europe/Madrid"');
  });

  it("signs out another session of mine from My account, then every other one, never the current", async () => {
    const here = await as("ada@screens.test", "en");
    const phone = await as("ada@screens.test", "en");
    const laptop = await as("ada@screens.test", "en");
    const page = await (await here.get("/account")).text();
    const prefixes = [...page.matchAll(/name="session" value="([^"]+)"/g)].map((m) => m[1]);
    expect(prefixes.length).toBeGreaterThanOrEqual(2);
    // Revoking one other session (the last one listed): exactly one of the other two is signed out.
    expect((await here.post("/account", { intent: "revoke", session: prefixes[prefixes.length - 1] })).status).toBe(200);
    const signedIn = async (c: HttpClient) => (await c.get("/account")).status === 200;
    expect(await signedIn(here)).toBe(true);
    expect(await here.post("/account", { intent: "revoke", session: "short" }).then((r) => r.status)).toBe(400);
    expect((await here.post("/account", { intent: "others" })).status).toBe(200);
    expect([await signedIn(here), await signedIn(phone), await signedIn(laptop)]).toEqual([true, false, false]);
  });
});

describe("the survey versions table", () => {
  it("counts each version's own responses", async () => {
    const versions = await listVersions(workspaceId, surveyId);
    expect(versions.map((v) => [v.version, v.responses])).toEqual([
      [2, 2],
      [1, 3],
    ]);
    const ada = await as("ada@screens.test", "en");
    const html = await (await ada.get(`/w/screens/surveys/${surveyId}`)).text();
    const cell = (version: number) => new RegExp(`data-version="${version}".*?<td class="num">(\\d+)</td>`, "s").exec(html)?.[1];
    expect([cell(2), cell(1)]).toEqual(["2", "3"]);
  });
});

describe("a customer file with Spanish headers", () => {
  it("recognises `cliente` as the customer's id, as the README says", async () => {
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, "clientes.csv");
    fs.writeFileSync(file, "cliente;nombre;correo\nC-77;Lucía Gómez;lucia@example.test\nC-78;Pablo Ruiz;\n");
    const report = await importCsvFile(file, { workspaceId, kind: "customers" });
    expect(report.added).toBe(2);
    expect(await customerIdByExternalId(workspaceId, "C-77")).toBeTypeOf("number");
    expect(await customerIdByExternalId(workspaceId, "C-78")).toBeTypeOf("number");
  });
});
