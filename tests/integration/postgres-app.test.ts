// The app on PostgreSQL: the built server started with DATABASE_URL=postgres://… on a throwaway
// cluster, driven over HTTP as a person uses it (sign up, a workspace, a sample journey and its map,
// a survey from a template published and deployed with an invitation rule, CRM customers and events
// from CSV through the command line and the API, tiers recomputed, customers, members, tokens,
// settings, cases, clienting, insights). Every page answers 200 or the redirect a person expects,
// and nothing in the server's output says "error". Responses posted through the API are counted
// once each, a retry is replayed, and the rollups count them at once. The same build on
// DATABASE_PATH runs on SQLite: the rest of the suite.
// Skipped only when the machine has no PostgreSQL binaries (CI installs them: .ci/run).
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HttpClient } from "../support/http-client";
import { pgBinDir, startPgCluster, type PgCluster } from "../support/pg-cluster";
import { POSTGRES_RUN } from "../support/postgres-run";
import { startServer, type RunningServer } from "../support/server";

const run = promisify(execFile);
const bin = pgBinDir();
// Not on the PostgreSQL run (tests/support/postgres-run.ts): it starts a cluster of its own whatever the
// run, so the SQLite run already covers it; a second pass would test the same thing.
const title = POSTGRES_RUN
  ? "the app on PostgreSQL (DATABASE_URL): SKIPPED on the PostgreSQL run (it runs on a cluster of its own in the SQLite run)"
  : bin
  ? "the app on PostgreSQL (DATABASE_URL)"
  : "the app on PostgreSQL: SKIPPED, no PostgreSQL binaries (no /usr/lib/postgresql/*/bin/initdb; apt-get install postgresql, or set PG_BIN)";

const SLUG = "banco-pg";
const JOURNEY = "retail-bank-account-opening";
const TOUCHPOINT = "bank-branch-welcome";
const TOUCHPOINT_NAME = "Bienvenida en sucursal";
const PASSWORD = "a-strong-password";
const day = (offset: number) => new Date(Date.now() - offset * 86_400_000).toISOString().slice(0, 10);

const CUSTOMERS_CSV = [
  "external_id,name,email,phone,language,created_at",
  "C-1,Ana Pérez,ana@example.com,+57 300 123 4567,es,2019-05-14",
  "C-2,Bruno Díaz,bruno@example.com,,es,2021-02-01",
  "C-3,Carla Gómez,carla@example.com,,en,2023-09-30",
  "C-4,Diego Ruiz,diego@example.com,,es,",
].join("\n");

const EVENTS_CSV = [
  "external_id,customer_external_id,type,occurred_at,amount,currency,channel,touchpoint_key",
  `E-1,C-1,purchase,${day(40)},120.50,EUR,store,`,
  `E-2,C-1,visit,${day(20)},,,web,`,
  `E-3,C-2,purchase,${day(10)},35.00,EUR,web,`,
  `E-4,C-3,purchase,${day(3)},80,EUR,store,${TOUCHPOINT}`,
  `E-5,C-9,purchase,${day(2)},15,EUR,app,`,
].join("\n");

/** Data modules, loaded once DATABASE_URL is set (db/schema/index.ts binds the engine's tables as it loads). */
async function data() {
  const [tokens, surveys, customers] = await Promise.all([
    import("~/data/api-tokens.server"),
    import("~/data/surveys.server"),
    import("~/data/customers.server"),
  ]);
  return { ...tokens, ...surveys, ...customers };
}

describe.skipIf(!bin || POSTGRES_RUN)(title, () => {
  let cluster: PgCluster | undefined;
  let server: RunningServer | undefined;
  let web: HttpClient;
  let scratch: string;
  let started = 0;
  let surveyId = 0;
  let publicToken = "";
  let ownerId = 0;
  let workspaceId = 0;

  /** Runs the command line on the cluster's database, as `npm run cem -- …` does. */
  async function cem(...args: string[]) {
    const tsx = path.resolve("node_modules/.bin/tsx");
    const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: cluster!.url };
    delete env.DATABASE_PATH;
    return run(tsx, ["cli/cem.ts", ...args], { env, encoding: "utf8" });
  }

  /** A GET that must answer 200 with a page; its text. */
  async function page(url: string): Promise<string> {
    const res = await web.get(url);
    const body = await res.text();
    expect(res.status, `${url}: ${body.slice(0, 500)}`).toBe(200);
    return body;
  }

  async function post(url: string, form: Record<string, string> | FormData, status = 200): Promise<Response> {
    const res = await web.post(url, form);
    if (res.status !== status) expect(res.status, `POST ${url}: ${(await res.text()).slice(0, 800)}`).toBe(status);
    return res;
  }

  beforeAll(async () => {
    started = performance.now();
    cluster = await startPgCluster();
    // This process reads and writes the same database (the API token, ids the pages need).
    process.env.DATABASE_URL = cluster.url;
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), "vivencia-pg-app-"));
    // A DATABASE_PATH beside DATABASE_URL: PostgreSQL wins, and the file is never created.
    server = await startServer(cluster.url, { DATABASE_PATH: path.join(scratch, "unused.db") });
    web = new HttpClient(server.url);
  });

  afterAll(async () => {
    await server?.stop();
    if (process.env.DATABASE_URL === cluster?.url) {
      const { closeDb } = await import("#db/client");
      await closeDb();
      delete process.env.DATABASE_URL;
    }
    await cluster?.stop();
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
    console.log(`postgres-app: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  });

  it("answers /healthz from PostgreSQL and runs on it, not on a SQLite file", async () => {
    expect((await fetch(`${server!.url}/healthz`)).status).toBe(200);
    expect(fs.existsSync(path.join(scratch, "unused.db"))).toBe(false);
    const { isPostgres } = await import("#db/client");
    expect(isPostgres()).toBe(true);
  });

  it("signs a person up and creates a workspace", async () => {
    const signup = await post("/signup", { name: "Paula Postgres", email: "paula@pg.test", password: PASSWORD }, 302);
    expect(signup.headers.get("location")).toMatch(/\/workspaces$/);
    await page("/workspaces");
    const created = await post("/workspaces", { name: "Banco PG", slug: SLUG }, 302);
    expect(created.headers.get("location")).toBe(`/w/${SLUG}`);
    expect(await page(`/w/${SLUG}`)).toContain("Banco PG");
    const { findWorkspaceBySlug } = await import("~/data/workspaces.server");
    const { listMembers } = await import("~/data/members.server");
    const ws = await findWorkspaceBySlug(SLUG);
    expect(ws).toBeTruthy();
    workspaceId = ws!.id;
    const [owner] = await listMembers(workspaceId);
    expect(owner).toMatchObject({ email: "paula@pg.test", role: "admin" });
    ownerId = owner.userId;
  });

  it("imports a sample journey through the Journeys page and shows it, its map, platform and processes", async () => {
    const form = new FormData();
    form.set("intent", "import");
    form.set("file", new File([fs.readFileSync(path.resolve("journeys", `${JOURNEY}.json`))], `${JOURNEY}.json`, { type: "application/json" }));
    const res = await post(`/w/${SLUG}/journeys`, form, 302);
    expect(res.headers.get("location")).toBe(`/w/${SLUG}/journeys/${JOURNEY}?imported=1`);
    expect(await page(`/w/${SLUG}/journeys`)).toContain("Apertura de cuenta");
    const map = await page(`/w/${SLUG}/journeys/${JOURNEY}`);
    expect(map).toContain("<svg");
    await page(`/w/${SLUG}/journeys/${JOURNEY}/touchpoints/${TOUCHPOINT}`);
    expect((await web.get(`/w/${SLUG}/journeys/${JOURNEY}/export`)).status).toBe(200);
    // Importing it again asks before replacing; replacing keeps every id.
    const again = new FormData();
    again.set("intent", "import");
    again.set("file", new File([fs.readFileSync(path.resolve("journeys", `${JOURNEY}.json`))], `${JOURNEY}.json`));
    await post(`/w/${SLUG}/journeys`, again, 409);
    again.set("replace", "yes");
    await post(`/w/${SLUG}/journeys`, again, 302);

    await post(`/w/${SLUG}/platform`, { positioning: "El banco que explica sus comisiones", valuePromise: "Sin letra pequeña" }, 200);
    expect(await page(`/w/${SLUG}/platform`)).toContain("El banco que explica sus comisiones");
    await post(`/w/${SLUG}/processes`, { intent: "create", key: "complaints", name: "Gestión de quejas", owner: "Servicio", description: "" }, 200);
    expect(await page(`/w/${SLUG}/processes`)).toContain("Gestión de quejas");
  });

  it("creates a survey from a template, publishes it and deploys it with an invitation rule", async () => {
    const { surveyTouchpointChoices, editableVersion } = await data();
    const choices = await surveyTouchpointChoices(workspaceId);
    const tp = choices.find((c) => c.key === TOUCHPOINT)!;
    expect(tp.attributes).toBeGreaterThan(0);
    await page(`/w/${SLUG}/surveys`);
    const created = await post(`/w/${SLUG}/surveys`, { touchpointId: String(tp.id), template: "gap_pair", title: "Bienvenida en oficina", nps: "on", comment: "on" }, 302);
    const location = created.headers.get("location")!;
    surveyId = Number(/\/surveys\/(\d+)/.exec(location)![1]);
    await page(location);
    const draft = await editableVersion(workspaceId, surveyId);
    await post(`/w/${SLUG}/surveys/${surveyId}`, { intent: "publish", definition: draft!.definition });
    expect(await page(`/w/${SLUG}/surveys/${surveyId}`)).toMatch(/v1|versión 1|version 1/i);
    await page(`/w/${SLUG}/surveys/${surveyId}/preview`);

    await post(`/w/${SLUG}/surveys/${surveyId}/deploy`, { intent: "createDeployment", name: "QR en oficina" });
    const { listDeployments } = await import("~/data/deployments.server");
    const [deployment] = await listDeployments(workspaceId, { surveyId });
    publicToken = deployment.publicToken;
    await post(`/w/${SLUG}/surveys/${surveyId}/deploy`, {
      intent: "addRule",
      deploymentId: String(deployment.id),
      eventType: "purchase",
      touchpointKey: "",
      delayMinutes: "0",
      samplingPercent: "100",
      quietPeriodDays: "0",
      expiryHours: "168",
      capMax: "",
      capPeriodDays: "",
      active: "on",
    });
    const deploy = await page(`/w/${SLUG}/surveys/${surveyId}/deploy`);
    expect(deploy).toContain("QR en oficina");
    expect((await web.get(`/w/${SLUG}/deployments/${deployment.id}/qr.svg`)).status).toBe(200);
    // The public link opens the survey (answering it is the ingest path, not part of this test).
    const link = await fetch(`${server!.url}/s/${publicToken}`);
    expect(link.status).toBe(200);
    expect(await link.text()).toContain("Banco PG");
  });

  it("imports customers and events from CSV with the command line, invites on purchases, and takes more through the API", async () => {
    const customersFile = path.join(scratch, "customers.csv");
    const eventsFile = path.join(scratch, "events.csv");
    fs.writeFileSync(customersFile, CUSTOMERS_CSV);
    fs.writeFileSync(eventsFile, EVENTS_CSV);
    const customers = await cem("crm", "import", "customers", customersFile, "--workspace", SLUG);
    expect(customers.stdout).toContain(`Imported ${customersFile}`);
    expect(customers.stdout).toMatch(/added 4 · updated 0 · unchanged 0 · rejected 0/);
    const events = await cem("crm", "import", "events", eventsFile, "--workspace", SLUG);
    expect(events.stdout).toMatch(/added 5 · updated 0 · unchanged 0 · rejected 0/);
    // C-9 was unknown: created bare. The rule invites on the purchases an invitation can still be
    // answered for (sent now, expiring in 168 h): the last two, not those 10 and 40 days old.
    expect(events.stdout).toMatch(/customers created from events 1 · invitations 2/);
    // Again, with a corrected amount and a new e-mail: those rows are updated, the rest unchanged.
    fs.writeFileSync(eventsFile, EVENTS_CSV.replace(",35.00,", ",36.00,"));
    expect((await cem("crm", "import", "events", eventsFile, "--workspace", SLUG)).stdout).toMatch(/added 0 · updated 1 · unchanged 4/);
    fs.writeFileSync(customersFile, CUSTOMERS_CSV.replace("diego@example.com", "diego.ruiz@example.com"));
    expect((await cem("crm", "import", "customers", customersFile, "--workspace", SLUG)).stdout).toMatch(/added 0 · updated 1 · unchanged 3/);

    const { createApiToken } = await data();
    const token = await createApiToken(workspaceId, "CRM sync", ownerId);
    const api = (url: string, body: unknown) =>
      fetch(server!.url + url, { method: "POST", headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
    const apiCustomers = await api("/api/v1/customers", [{ external_id: "C-5", name: "Elena Soto", email: "elena@example.com", created_at: "2020-01-01" }]);
    expect(apiCustomers.status, await apiCustomers.clone().text()).toBe(200);
    expect(await apiCustomers.json()).toMatchObject({ created: 1, rejected: 0 });
    const apiEvents = await api("/api/v1/events", [{ external_id: "E-6", customer_external_id: "C-5", type: "purchase", occurred_at: `${day(1)}T10:00:00Z`, amount: 42 }]);
    expect(apiEvents.status, await apiEvents.clone().text()).toBe(200);
    expect(await apiEvents.json()).toMatchObject({ created: 1, invitations: 1 });
  });

  it("recomputes tiers and shows the customer list, a customer, the export and the outbox", async () => {
    await post(`/w/${SLUG}/segmentation`, { intent: "recompute" });
    await page(`/w/${SLUG}/segmentation`);
    const list = await page(`/w/${SLUG}/customers`);
    for (const name of ["Ana Pérez", "Bruno Díaz", "Carla Gómez", "Elena Soto"]) expect(list).toContain(name);
    for (const sort of ["value", "value_asc", "frequency", "recent", "name", "newest"]) await page(`/w/${SLUG}/customers?sort=${sort}`);
    // Search ignores case on both engines.
    const search = await page(`/w/${SLUG}/customers?q=ANA`);
    expect(search).toContain("Ana Pérez");
    expect(search).not.toContain("Bruno Díaz");
    await page(`/w/${SLUG}/customers?tier=none`);
    const { customerIdByExternalId, getCustomer } = await data();
    const ana = (await customerIdByExternalId(workspaceId, "C-1"))!;
    const stored = await getCustomer(workspaceId, ana);
    expect(stored?.frequency).toBe(1);
    expect(stored?.monetary).toBeCloseTo(120.5);
    expect(stored?.lastPurchaseAt?.toISOString().slice(0, 10)).toBe(day(40));
    expect(stored?.tier).not.toBeNull();
    expect(stored?.customerSince?.toISOString()).toBe("2019-05-14T00:00:00.000Z");
    expect((await getCustomer(workspaceId, (await customerIdByExternalId(workspaceId, "C-2"))!))?.monetary).toBeCloseTo(36);
    expect((await getCustomer(workspaceId, (await customerIdByExternalId(workspaceId, "C-4"))!))?.email).toBe("diego.ruiz@example.com");
    const customerPage = await page(`/w/${SLUG}/customers/${ana}`);
    expect(customerPage).toContain("Ana Pérez");
    await page(`/w/${SLUG}/customers/${(await customerIdByExternalId(workspaceId, "C-3"))!}`);
    const csv = await page(`/w/${SLUG}/customers/export.csv`);
    expect(csv).toContain("C-1,Ana Pérez");
    expect(await page(`/w/${SLUG}/outbox`)).toContain("QR en oficina");
    expect(await page(`/w/${SLUG}/outbox.csv`)).toContain("/s/");
    await page(`/w/${SLUG}/crm/import`);
  });

  it("shows members, tokens, settings, cases, clienting and innovations, and saves on them", async () => {
    expect(await page(`/w/${SLUG}/members`)).toContain("paula@pg.test");
    await post(`/w/${SLUG}/members`, { intent: "invite", email: "otro@pg.test", role: "manager" });
    await post(`/w/${SLUG}/tokens`, { intent: "create", name: "BI export" });
    const tokens = await page(`/w/${SLUG}/tokens`);
    expect(tokens).toContain("CRM sync");
    expect(tokens).toContain("BI export");
    await post(`/w/${SLUG}/settings`, { intent: "department-create", name: "Oficinas" });
    await post(`/w/${SLUG}/settings`, { intent: "department-create", name: "OFICINAS" }, 400);
    expect(await page(`/w/${SLUG}/settings`)).toContain("Oficinas");
    await page(`/w/${SLUG}/cases`);
    await page(`/w/${SLUG}/cases?status=all&period=all`);
    await post(`/w/${SLUG}/clienting`, { title: "Pulso PG", opensOn: day(1), closesOn: "" });
    expect(await page(`/w/${SLUG}/clienting`)).toContain("Pulso PG");
    await page(`/w/${SLUG}/innovations`);
    await page("/account");
  });

  it("shows every insights page on empty data", async () => {
    for (const url of [
      `/w/${SLUG}/insights`,
      `/w/${SLUG}/insights/trends`,
      `/w/${SLUG}/insights/ipa`,
      `/w/${SLUG}/insights/journeys`,
      `/w/${SLUG}/insights/journeys/${JOURNEY}`,
      `/w/${SLUG}/insights/behaviour`,
      `/w/${SLUG}/insights/responses`,
    ]) {
      await page(url);
    }
    for (const table of ["process", "touchpoint", "attribute", "dimension", "tiers", "trends", "ipa", "behaviour", "responses"]) {
      await page(`/w/${SLUG}/insights/export?table=${table}&touchpoint=${TOUCHPOINT}&compareA=premium&compareB=regular`);
    }
  });

  it("reads a response where the pages show one (written here as rows, with no rollups: the pages read the rows)", async () => {
    const { getDb } = await import("#db/client");
    const { measurements, responses, touchpoints } = await import("#db/schema/index");
    const { currentPublishedVersion, customerIdByExternalId } = await data();
    const { eq } = await import("drizzle-orm");
    const version = (await currentPublishedVersion(workspaceId, surveyId))!;
    const [tp] = await getDb().select({ id: touchpoints.id }).from(touchpoints).where(eq(touchpoints.key, TOUCHPOINT));
    const ana = (await customerIdByExternalId(workspaceId, "C-1"))!;
    // 100 days ago: Ana's purchase 40 days ago falls in the 90-day window after it.
    const completedAt = new Date(`${day(100)}T12:00:00Z`);
    const [response] = await getDb()
      .insert(responses)
      .values({ workspaceId, surveyVersionId: version.id, touchpointId: tp.id, customerId: ana, tier: "", lang: "es", source: "link", data: "{}", comment: "Mucha fila", completedAt })
      .returning({ id: responses.id });
    const row = (attributeKey: string, kind: string, value: number) => ({ workspaceId, responseId: response.id, touchpointId: tp.id, attributeKey, kind, value });
    await getDb()
      .insert(measurements)
      .values([row("waiting_time", "perception", 2), row("waiting_time", "expectation", 5), row("", "nps", 9)]);

    const customer = await page(`/w/${SLUG}/customers/${ana}`);
    expect(customer).toContain(TOUCHPOINT_NAME);
    const window = `from=${day(120)}&to=${day(80)}`;
    expect(await page(`/w/${SLUG}/insights/responses?touchpoint=${TOUCHPOINT}&${window}`)).toContain("Mucha fila");
    await page(`/w/${SLUG}/insights/responses?touchpoint=${TOUCHPOINT}&below=1&${window}`);
    await page(`/w/${SLUG}/insights/responses?attribute=waiting_time&touchpoint=${TOUCHPOINT}&${window}`);
    await page(`/w/${SLUG}/insights/behaviour?touchpoint=${TOUCHPOINT}&${window}`);
    const { behaviourObservations } = await import("~/data/insights-behaviour.server");
    const read = await behaviourObservations(workspaceId, tp.id, { from: day(120), to: day(80) } as never, 90);
    expect(read.rows).toEqual([{ gap: -3, purchases: 1, spend: 120.5, tier: "" }]);
    const raw = await page(`/w/${SLUG}/insights/export?table=responses&touchpoint=${TOUCHPOINT}&${window}`);
    expect(raw).toContain("Mucha fila");
  });

  it("records responses through the API: each once, a retry replayed, the rollups counting each at once", async () => {
    const { createApiToken, currentPublishedVersion } = await data();
    const { listDeployments } = await import("~/data/deployments.server");
    const { ratingAnswers } = await import("../support/survey-fixtures");
    const token = await createApiToken(workspaceId, "kiosk", ownerId);
    const version = (await currentPublishedVersion(workspaceId, surveyId))!;
    const [deployment] = await listDeployments(workspaceId, { surveyId });
    const json = JSON.parse(version.definition) as Parameters<typeof ratingAnswers>[0];
    const send = (i: number, key: string) =>
      fetch(`${server!.url}/api/v1/responses`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}`, "Idempotency-Key": key },
        // NPS 0–10 in turn: i % 11; every other rating at its top.
        body: JSON.stringify({ deployment: deployment.id, customer: `C-${1 + (i % 3)}`, answers: ratingAnswers(json, (min, max, name) => (name === "nps" ? i % 11 : max)) }),
      });
    // 24 at once, several per transaction; then a retry of one of them.
    const first = await Promise.all(Array.from({ length: 24 }, (_, i) => send(i, `pg-${i}`)));
    expect(first.map((r) => r.status)).toEqual(Array(24).fill(201));
    const ids = await Promise.all(first.map(async (r) => ((await r.json()) as { id: number }).id));
    expect(new Set(ids).size).toBe(24);
    const retry = await send(5, "pg-5");
    expect(retry.status).toBe(201);
    expect(retry.headers.get("Idempotent-Replayed")).toBe("true");
    expect(((await retry.json()) as { id: number }).id).toBe(ids[5]);
    // The NPS the API reads from the rollups, without waiting: 24 answers 0..10 in turn.
    const res = await fetch(`${server!.url}/api/v1/insights/nps?by=touchpoint&from=${day(1)}&to=${day(-1)}`, { headers: { Authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { rows: { key: string; nps: { status: string; value: { n: number; score: number } } }[] };
    const row = body.rows.find((r) => r.key === TOUCHPOINT)!;
    // 0..10, 0..10, 0, 1: promoters (9, 10) twice = 4, detractors (0–6) 7 + 7 + 2 = 16;
    // NPS = (4 − 16) / 24 = −50.
    expect(row.nps).toMatchObject({ status: "ok", value: { n: 24, score: -50 } });
  });

  it("said nothing about an error in the server's output, and never opened a SQLite file", () => {
    expect(fs.readdirSync(scratch).filter((f) => f.startsWith("unused.db"))).toEqual([]);
    expect(server!.output()).not.toMatch(/error/i);
  });
});
