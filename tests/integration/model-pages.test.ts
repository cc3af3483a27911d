// The model pages read as summaries (platform, processes with their latest gaps, a touchpoint with its
// survey, deployments and gap) and edit through forms that keep what was typed after a failed submit,
// with the messages in the interface language; the map's move action is validated and scoped.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dayOf, parseInsightFilter } from "~/cem/insights-filters";
import { formatNumber } from "~/i18n/format";
import { gapTable } from "~/data/insights-tables.server";
import { insightScope } from "~/data/insights.server";
import { loadJourney } from "~/data/journeys.server";
import { savePlatform } from "~/data/platform.server";
import { PLATFORM_FIELDS, type PlatformValues } from "~/cem/platform";
import { freshDatabasePath, removeDatabase } from "../support/database";
import { PASSWORD, importSample, makeUser, makeWorkspace } from "../support/fixtures";
import { HttpClient } from "../support/http-client";
import { BANK_JOURNEY, seedInsights } from "../support/insights-fixtures";
import { startServer, type RunningServer } from "../support/server";

const dbFile = freshDatabasePath("model-pages");
let server: RunningServer;
let workspaceId: number;
const SPARSE = "bank-chat-assistant";

beforeAll(async () => {
  const ana = await makeUser("ana@a.test");
  const bob = await makeUser("bob@b.test");
  const a = await makeWorkspace("brand-a", ana.id);
  const b = await makeWorkspace("brand-b", bob.id);
  workspaceId = a.id;
  await seedInsights(a.id, { seed: 3, endDay: dayOf(Date.now()), days: 60, perTouchpoint: 14, sparse: [SPARSE], sparseCount: 3, customers: 12 });
  await importSample(b.id);
  const values = Object.fromEntries(PLATFORM_FIELDS.map((f) => [f, ""])) as PlatformValues;
  await savePlatform(a.id, { ...values, positioning: "El banco que explica sus comisiones", valuePromise: "Sin letra pequeña" }, ana.id);
  server = await startServer(dbFile);
}, 120_000);

afterAll(async () => {
  await server?.stop();
  removeDatabase(dbFile);
});

async function as(email: string, lang?: "es" | "en") {
  const client = new HttpClient(server.url);
  await client.signIn(email, PASSWORD);
  if (lang) await client.post("/lang", { lang, redirectTo: "/workspaces" });
  return client;
}

async function html(client: HttpClient, path: string, status = 200) {
  const res = await client.get(path);
  expect(res.status, path).toBe(status);
  return res.text();
}

/** The gap tables the pages must agree with, computed through the insights data functions. */
async function expectedGaps(by: "process" | "touchpoint") {
  const parsed = parseInsightFilter(new URLSearchParams(), dayOf(Date.now()));
  if (!parsed.ok) throw new Error("filter");
  const scope = await insightScope(workspaceId);
  return (await gapTable({ workspaceId, minN: 10, lang: "es" }, scope, parsed.filter, by)).rows;
}

describe("summaries", () => {
  it("the platform opens as a summary led by positioning and value promise; the form is behind Edit", async () => {
    const ana = await as("ana@a.test");
    const page = await html(ana, "/w/brand-a/platform");
    expect(page).toContain("El banco que explica sus comisiones");
    expect(page).toContain("El corazón de la plataforma");
    expect(page).not.toContain("<textarea");
    const edit = await html(ana, "/w/brand-a/platform?edit=1");
    expect(edit).toMatch(/<textarea[^>]*name="positioning"/);
    expect(edit).toMatch(/<textarea[^>]*name="analysis.customer"/);
  });

  it("processes show their touchpoints and latest gap with interval and n, as the insights tables compute it", async () => {
    const ana = await as("ana@a.test");
    const page = await html(ana, "/w/brand-a/processes");
    expect(page).not.toContain('name="intent"');
    const rows = await expectedGaps("process");
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      if (row.gap?.status !== "ok") continue;
      expect(page).toContain(`${formatNumber(row.gap.value.meanGap, "gap", "es")} [${formatNumber(row.gap.value.lo, "gap", "es")}; ${formatNumber(row.gap.value.hi, "gap", "es")}] · n = ${row.gap.n}`);
    }
    const edit = await html(ana, "/w/brand-a/processes?edit=1");
    expect(edit).toContain('value="create"');
  });

  it("a touchpoint shows its survey, deployment and gap; below the minimum n it says so instead of a mean", async () => {
    const ana = await as("ana@a.test");
    const journey = (await loadJourney(workspaceId, BANK_JOURNEY))!;
    const tps = await expectedGaps("touchpoint");
    const full = tps.find((r) => r.key !== SPARSE && r.gap?.status === "ok")!;
    const page = await html(ana, `/w/brand-a/journeys/${BANK_JOURNEY}/touchpoints/${full.key}`);
    expect(page).toContain(`n = ${full.gap!.n}`);
    if (full.gap?.status === "ok") expect(page).toContain(formatNumber(full.gap.value.meanGap, "gap", "es"));
    expect(page).toContain("Despliegues");
    expect(page).toContain("/deploy");
    const sparse = await html(ana, `/w/brand-a/journeys/${BANK_JOURNEY}/touchpoints/${SPARSE}`);
    expect(sparse).toContain("n = 3, menos que el mínimo de 10");
    expect(journey.stages.length).toBeGreaterThan(0);
  });
});

describe("forms", () => {
  it("a failed submit keeps the typed values and answers in Spanish on a Spanish session", async () => {
    const ana = await as("ana@a.test", "es");
    const res = await ana.post("/w/brand-a/processes?edit=1", { intent: "create", key: "Quejas Graves", name: "", owner: "Atención al cliente", description: "Lo que escribí" });
    expect(res.status).toBe(400);
    const page = await res.text();
    expect(page).toContain("Use minúsculas, cifras y guiones simples");
    expect(page).toContain("Este campo es obligatorio.");
    expect(page).toContain('value="Quejas Graves"');
    expect(page).toContain('value="Atención al cliente"');
    expect(page).toContain("Lo que escribí");
  });

  it("the same failure is worded in English on an English session", async () => {
    const ana = await as("ana@a.test", "en");
    const res = await ana.post("/w/brand-a/processes?edit=1", { intent: "create", key: "x", name: "Complaints" });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("Enter at least 2 characters.");
  });

  it("a touchpoint form refused keeps its fields and says why in Spanish", async () => {
    const ana = await as("ana@a.test", "es");
    const res = await ana.post(`/w/brand-a/journeys/${BANK_JOURNEY}/touchpoints/new`, {
      key: "nuevo-punto",
      name: "Nuevo punto",
      stage: "no-such-stage-typed",
      channel: "store",
      interaction: "person-to-person",
      side: "frontstage",
      mot: "on",
      motReason: "",
      targetDurationMinutes: "-3",
      "attr[0].key": "tiempo_espera",
      "attr[0].es": "Tiempo de espera",
    });
    expect(res.status).toBe(400);
    const page = await res.text();
    expect(page).toContain("Diga por qué es un momento de la verdad.");
    expect(page).toContain("Debe ser mayor que 0.");
    expect(page).toContain("Escriba la etiqueta en español y en inglés.");
    expect(page).toContain('value="Nuevo punto"');
    expect(page).toContain('value="tiempo_espera"');
  });

  it("a valid process is created and shows in the summary", async () => {
    const ana = await as("ana@a.test");
    const res = await ana.post("/w/brand-a/processes?edit=1", { intent: "create", key: "quejas", name: "Gestión de quejas", owner: "Servicio" });
    expect(res.status).toBe(200);
    expect(await html(ana, "/w/brand-a/processes")).toContain("Gestión de quejas");
  });
});

describe("moves on the map", () => {
  const path = `/w/brand-a/journeys/${BANK_JOURNEY}`;
  const place = (fields: Record<string, string>) => ({ intent: "place", laneBy: "process", ...fields });

  it("places a touchpoint in another stage and lane, saved through the journey", async () => {
    const ana = await as("ana@a.test");
    const res = await ana.post(path, place({ tp: "bank-chat-assistant", stage: "discover", lane: "acquisition", index: "0" }));
    expect(res.status).toBe(200);
    const journey = (await loadJourney(workspaceId, BANK_JOURNEY))!;
    const discover = journey.stages.find((s) => s.key === "discover")!;
    expect(discover.touchpoints[0].key).toBe("bank-chat-assistant");
    expect(discover.touchpoints[0].process).toBe("acquisition");
  });

  it("refuses bad input with 400 and a message, writing nothing", async () => {
    const ana = await as("ana@a.test", "es");
    const before = JSON.stringify(await loadJourney(workspaceId, BANK_JOURNEY));
    for (const fields of <Record<string, string>[]>[
      place({ tp: "bank-chat-assistant", stage: "no-such-stage", lane: "acquisition", index: "0" }),
      place({ tp: "no-such-touchpoint", stage: "discover", lane: "acquisition", index: "0" }),
      place({ tp: "bank-chat-assistant", stage: "discover", lane: "not-a-process", index: "0" }),
      place({ tp: "bank-chat-assistant", stage: "discover", lane: "acquisition", index: "-1" }),
      { intent: "place", laneBy: "colour", tp: "bank-chat-assistant", stage: "discover", lane: "web", index: "0" },
      { intent: "addAt", laneBy: "channel", stage: "discover", lane: "web", name: "" },
    ]) {
      const res = await ana.post(path, fields);
      expect(res.status, JSON.stringify(fields)).toBe(400);
    }
    expect(JSON.stringify(await loadJourney(workspaceId, BANK_JOURNEY))).toBe(before);
  });

  it("answers 404 for a journey of another workspace; its own members move theirs", async () => {
    const bob = await as("bob@b.test");
    const res = await bob.post(`/w/brand-a/journeys/${BANK_JOURNEY}`, place({ tp: "bank-chat-assistant", stage: "discover", lane: "acquisition", index: "0" }));
    expect(res.status).toBe(404);
    const own = await bob.post(`/w/brand-b/journeys/${BANK_JOURNEY}`, { intent: "place", laneBy: "channel", tp: "bank-chat-assistant", stage: "discover", lane: "chat", index: "0" });
    expect(own.status).toBe(200);
  });
});
