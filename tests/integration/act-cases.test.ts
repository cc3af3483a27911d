// Closed-loop cases over real HTTP and against the real database: a detractor response opens exactly
// one case, in the response's own transaction; an overdue case shows as overdue; a manager works a
// case through its flow with a note at each step; another workspace's case is a 404.
import { and, count, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execute, getDb, isPostgres } from "#db/client";
import { caseEvents, cases, customers, processes, responses, touchpoints, users } from "#db/schema/index";
import { createApiToken } from "~/data/api-tokens.server";
import { recordResponse } from "~/data/responses.server";
import { freshDatabasePath, removeDatabase } from "../support/database";
import { PASSWORD, addMember, importSample, makeUser, makeWorkspace } from "../support/fixtures";
import { HttpClient } from "../support/http-client";
import { startServer, type RunningServer } from "../support/server";
import { makeCustomer, makeSurveyFixture, type SurveyFixture } from "../support/survey-fixtures";
import { answersWith, postResponse } from "./act-fixtures";

const dbFile = freshDatabasePath("act-cases");
let server: RunningServer;
let a: SurveyFixture;
let b: SurveyFixture;
let tokenA: string;
let tokenB: string;
let wsA: number;
let maxId: number;

const HOUR = 3_600_000;

/** The page as a person reads it: without the scripts, whose data also carries the action's messages. */
const shown = async (res: Response) => (await res.text()).replace(/<script[\s\S]*?<\/script>/g, "");

beforeAll(async () => {
  const alice = await makeUser("alice@a.test");
  const bob = await makeUser("bob@b.test");
  const max = await makeUser("max@a.test", "Max Manager");
  const dora = await makeUser("dora@a.test");
  maxId = max.id;
  wsA = (await makeWorkspace("brand-a", alice.id)).id;
  const wsB = (await makeWorkspace("brand-b", bob.id)).id;
  await addMember("brand-a", max.id, "manager");
  await addMember("brand-a", dora.id, "designer");
  await importSample(wsA);
  await importSample(wsB);
  a = await makeSurveyFixture(wsA, { touchpointKey: "bank-branch-welcome" });
  b = await makeSurveyFixture(wsB, { touchpointKey: "bank-branch-welcome" });
  await makeCustomer(wsA, "C-PREMIUM", "premium", "Paula Premium");
  tokenA = await createApiToken(wsA, "kiosk", alice.id);
  tokenB = await createApiToken(wsB, "kiosk", bob.id);
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

/**
 * Makes every insert into `table` fail with `message` until the returned function is called. On
 * SQLite a temporary trigger, seen by this process's connection only; on PostgreSQL a trigger on the
 * table (the test file's own database; nothing else writes to that table meanwhile).
 */
async function failInserts(table: string, message: string): Promise<() => Promise<unknown>> {
  if (isPostgres()) {
    await execute(sql.raw(`CREATE FUNCTION act_fail() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '${message}'; END $$`));
    await execute(sql.raw(`CREATE TRIGGER act_fail BEFORE INSERT ON ${table} FOR EACH ROW EXECUTE FUNCTION act_fail()`));
    return async () => {
      await execute(sql.raw(`DROP TRIGGER act_fail ON ${table}`));
      await execute(sql.raw(`DROP FUNCTION act_fail()`));
    };
  }
  await execute(sql.raw(`CREATE TEMP TRIGGER act_fail BEFORE INSERT ON ${table} BEGIN SELECT RAISE(ABORT, '${message}'); END`));
  return () => execute(sql.raw(`DROP TRIGGER act_fail`));
}

const casesOf = (responseId: number) => getDb().select().from(cases).where(eq(cases.responseId, responseId));
const caseCount = async () => (await getDb().select({ n: count() }).from(cases))[0].n;
const responseCount = async () => (await getDb().select({ n: count() }).from(responses))[0].n;

async function detractor(f: SurveyFixture, token: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  const res = await postResponse(server.url, token, { deployment: f.deploymentId, answers: answersWith(f.json, { nps: 3, comment: "Esperé 40 minutos" }), ...extra }, headers);
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: number }).id;
}

describe("opening cases", () => {
  it("a detractor response opens exactly one case, carrying every reason, with the SLA of its tier", async () => {
    const before = Date.now();
    const res = await postResponse(server.url, tokenA, {
      deployment: a.deploymentId,
      customer: "C-PREMIUM",
      // Detractor, a gap of −3 on every attribute and a low CSAT: still one case.
      answers: answersWith(a.json, { nps: 2, expectation: 6, perception: 3, csat: 1, comment: "Nadie me atendió" }),
    });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: number };
    const opened = await casesOf(id);
    expect(opened).toHaveLength(1);
    const c = opened[0];
    expect(c).toMatchObject({ workspaceId: wsA, status: "open", tier: "premium", touchpointId: a.touchpoint.id, assigneeId: null });
    const rules = c.reasons.map((r) => r.rule).sort();
    expect(rules).toEqual(["detractor", "gap", "gap", "gap", "low_csat"]);
    // Premium: 24 hours, counted from when the response was received.
    expect(c.dueAt.getTime() - c.openedAt.getTime()).toBe(24 * HOUR);
    expect(c.openedAt.getTime()).toBeGreaterThanOrEqual(before - 1000);
    const events = await getDb().select().from(caseEvents).where(eq(caseEvents.caseId, c.id));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ kind: "opened", toStatus: "open", byUserId: null });
    expect(events[0].note).toContain("Likelihood to recommend 2 of 10");
  });

  it("a satisfied response opens none, and a replayed detractor response does not open a second", async () => {
    const happy = await postResponse(server.url, tokenA, { deployment: a.deploymentId, answers: answersWith(a.json, { nps: 10, expectation: 5, perception: 6 }) });
    expect(happy.status).toBe(201);
    expect(await casesOf(((await happy.json()) as { id: number }).id)).toHaveLength(0);

    const first = await detractor(a, tokenA, {}, { "Idempotency-Key": "kiosk-7-0042" });
    const again = await detractor(a, tokenA, {}, { "Idempotency-Key": "kiosk-7-0042" });
    expect(again).toBe(first);
    const opened = await casesOf(first);
    expect(opened).toHaveLength(1);
    // An anonymous respondent is served as Generic: 72 hours.
    expect(opened[0].tier).toBe("");
    expect(opened[0].dueAt.getTime() - opened[0].openedAt.getTime()).toBe(72 * HOUR);
  });

  it("the case commits or rolls back with its response", async () => {
    const input = { workspaceId: wsA, versionId: a.versionId, touchpointId: a.touchpoint.id, deploymentId: a.deploymentId, lang: "es" as const, source: "api" as const };
    const data = JSON.stringify(answersWith(a.json, { nps: 1 }));

    // The case's history row is written after the response and the case: if it fails, nothing stays.
    let allow = await failInserts("case_events", "history unavailable");
    const responsesBefore = await responseCount();
    const casesBefore = await caseCount();
    try {
      await expect(recordResponse({ ...input, data })).rejects.toThrow(/history unavailable/);
    } finally {
      await allow();
    }
    expect(await responseCount()).toBe(responsesBefore);
    expect(await caseCount()).toBe(casesBefore);

    // And a response that fails to insert leaves no case behind.
    allow = await failInserts("responses", "disk full");
    try {
      await expect(recordResponse({ ...input, data })).rejects.toThrow(/disk full/);
    } finally {
      await allow();
    }
    expect(await caseCount()).toBe(casesBefore);

    // With nothing in the way, the same call records the response and its one case.
    const ok = await recordResponse({ ...input, data });
    expect(ok.status).toBe("recorded");
    if (ok.status === "recorded") expect(await casesOf(ok.id)).toHaveLength(1);
  });
});

describe("the inbox", () => {
  it("shows an overdue case as overdue, in the overdue filter and on its page", async () => {
    const [late] = await casesOf(await detractor(a, tokenA));
    const [fresh] = await casesOf(await detractor(a, tokenA));
    // Opened four days ago for a Generic customer (72 h): a day past due.
    const openedAt = new Date(Date.now() - 96 * HOUR);
    await getDb()
      .update(cases)
      .set({ openedAt, dueAt: new Date(openedAt.getTime() + 72 * HOUR) })
      .where(eq(cases.id, late.id));

    const max = await as("max@a.test");
    const overdue = await (await max.get("/w/brand-a/cases?status=active&overdue=1")).text();
    expect(overdue).toContain(`>#${late.id}<`);
    expect(overdue).not.toContain(`>#${fresh.id}<`);
    expect(overdue).toContain("Vencido");

    const page = await max.get(`/w/brand-a/cases/${late.id}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("Vencido");
    expect(html).toContain("Esperé 40 minutos");

    const freshPage = await (await max.get(`/w/brand-a/cases/${fresh.id}`)).text();
    expect(freshPage).not.toContain("Vencido");
  });

  it("never answers a 500 to a filter that makes no sense", async () => {
    const max = await as("max@a.test");
    const res = await max.get("/w/brand-a/cases?status=bogus&tier=gold&touchpoint=abc&process=-1&assignee=x&page=0&period=9");
    expect(res.status).toBe(200);
  });

  it("reports time to first action and resolution per tier and process", async () => {
    const max = await as("max@a.test");
    const html = await (await max.get("/w/brand-a/cases?status=all")).text();
    expect(html).toContain("Cumplimiento de plazos");
    expect(html).toContain("Por nivel de cliente");
    const [{ processName }] = await getDb()
      .select({ processName: processes.name })
      .from(processes)
      .innerJoin(touchpoints, eq(touchpoints.processId, processes.id))
      .where(eq(touchpoints.id, a.touchpoint.id))
      .limit(1);
    expect(html).toContain(`<th scope="row">${processName}</th>`);
  });
});

describe("working a case", () => {
  it("moves open → in progress → resolved → closed with a note at each step, and refuses shortcuts", async () => {
    const [c] = await casesOf(await detractor(a, tokenA));
    const max = await as("max@a.test");
    const url = `/w/brand-a/cases/${c.id}`;

    const noNote = await max.post(url, { intent: "status", to: "in_progress", note: "  " });
    expect(noNote.status).toBe(400);
    expect(await noNote.text()).toContain("La nota es obligatoria: diga qué se hizo o qué se decidió.");

    expect((await max.post(url, { intent: "status", to: "in_progress", note: "Llamé a la clienta; vuelvo a llamar mañana" })).status).toBe(200);
    const skipped = await max.post(url, { intent: "status", to: "closed", note: "cerrar ya" });
    expect(skipped.status).toBe(400);
    expect(await shown(skipped)).toContain("Un caso en curso solo puede pasar a resuelto, no a cerrado.");
    await max.post("/lang", { lang: "en", redirectTo: "/workspaces" });
    const skippedEn = await max.post(url, { intent: "status", to: "open", note: "back to open" });
    expect(skippedEn.status).toBe(400);
    expect(await shown(skippedEn)).toContain("A case that is in progress can move to resolved, not to open.");
    await max.post("/lang", { lang: "es", redirectTo: "/workspaces" });
    expect((await max.post(url, { intent: "note", note: "Sin respuesta al segundo intento" })).status).toBe(200);
    expect((await max.post(url, { intent: "status", to: "resolved", note: "Se le ofreció cita preferente" })).status).toBe(200);
    expect((await max.post(url, { intent: "status", to: "closed", note: "La clienta confirma que quedó bien" })).status).toBe(200);
    const closedNote = await max.post(url, { intent: "note", note: "otra" });
    expect(closedNote.status).toBe(400);
    expect(await shown(closedNote)).toContain("Un caso cerrado es definitivo; abra un caso nuevo.");

    const [row] = await getDb().select().from(cases).where(eq(cases.id, c.id)).limit(1);
    expect(row.status).toBe("closed");
    // Taking an unassigned case assigns it to whoever took it.
    expect(row.assigneeId).toBe(maxId);
    expect(row.firstActionAt).not.toBeNull();
    expect(row.resolvedAt).not.toBeNull();
    expect(row.closedAt).not.toBeNull();
    const history = await getDb().select().from(caseEvents).where(eq(caseEvents.caseId, c.id)).orderBy(caseEvents.id);
    expect(history.map((e) => (e.kind === "status" ? `${e.fromStatus}>${e.toStatus}` : e.kind))).toEqual([
      "opened",
      "open>in_progress",
      "assigned",
      "note",
      "in_progress>resolved",
      "resolved>closed",
    ]);
    expect(history.filter((e) => e.kind === "status").every((e) => e.note && e.byUserId === maxId)).toBe(true);
  });

  it("assigns only to members who work cases, with a message for anything else", async () => {
    const [c] = await casesOf(await detractor(a, tokenA));
    const alice = await as("alice@a.test");
    const url = `/w/brand-a/cases/${c.id}`;
    const [{ id: bobId }] = await getDb().select({ id: users.id }).from(users).where(eq(users.email, "bob@b.test")).limit(1);
    const outsider = await alice.post(url, { intent: "assign", assignee: String(bobId) });
    expect(outsider.status).toBe(400);
    expect(await shown(outsider)).toContain("Elija un miembro de este espacio de trabajo cuyo rol trabaja casos (Administración o Gestión).");
    await alice.post("/lang", { lang: "en", redirectTo: "/workspaces" });
    const outsiderEn = await alice.post(url, { intent: "assign", assignee: String(bobId) });
    expect(outsiderEn.status).toBe(400);
    expect(await shown(outsiderEn)).toContain("Choose a member of this workspace whose role works cases (Admin or Manager).");
    await alice.post("/lang", { lang: "es", redirectTo: "/workspaces" });
    expect((await alice.post(url, { intent: "assign", assignee: String(maxId), note: "Tú conoces la sucursal" })).status).toBe(200);
    expect((await getDb().select().from(cases).where(eq(cases.id, c.id)).limit(1))[0].assigneeId).toBe(maxId);
    const again = await alice.post(url, { intent: "assign", assignee: String(maxId) });
    expect(again.status).toBe(400);
    expect(await shown(again)).toContain("El caso ya está asignado a esa persona.");
    expect((await alice.post(url, { intent: "bogus" })).status).toBe(400);
  });

  it("a refused step answers in the interface language and keeps what was typed", async () => {
    const [c] = await casesOf(await detractor(a, tokenA));
    const max = await as("max@a.test");
    const url = `/w/brand-a/cases/${c.id}`;
    await max.post("/lang", { lang: "es", redirectTo: "/workspaces" });
    const badStep = await max.post(url, { intent: "status", to: "archived", note: "Llamé dos veces sin respuesta" });
    expect(badStep.status).toBe(400);
    const page = await badStep.text();
    expect(page).toContain("Elija el paso que quiere dar.");
    expect(page).toContain("Llamé dos veces sin respuesta");
    const longNote = await max.post(url, { intent: "note", note: "n".repeat(4001) });
    expect(longNote.status).toBe(400);
    expect(await longNote.text()).toContain("Escriba como máximo 4000 caracteres.");
    await max.post("/lang", { lang: "en", redirectTo: "/workspaces" });
    const empty = await max.post(url, { intent: "note", note: "" });
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain("Write the note first.");
    expect((await getDb().select().from(caseEvents).where(eq(caseEvents.caseId, c.id))).map((e) => e.kind)).toEqual(["opened"]);
  });

  it("keeps designers to reading, and another workspace's case is a 404", async () => {
    const [mine] = await casesOf(await detractor(a, tokenA));
    const [theirs] = await casesOf(await detractor(b, tokenB));
    const dora = await as("dora@a.test");
    expect((await dora.get(`/w/brand-a/cases/${mine.id}`)).status).toBe(200);
    expect((await dora.post(`/w/brand-a/cases/${mine.id}`, { intent: "note", note: "x" })).status).toBe(403);

    const alice = await as("alice@a.test");
    const page = await alice.get(`/w/brand-a/cases/${theirs.id}`);
    expect(page.status).toBe(404);
    const notFoundPage = await page.text();
    expect(notFoundPage).not.toContain("Esperé 40 minutos");
    expect(notFoundPage).toContain("Este caso no existe en este espacio de trabajo.");
    expect((await alice.post(`/w/brand-a/cases/${theirs.id}`, { intent: "status", to: "in_progress", note: "hijack" })).status).toBe(404);
    expect((await alice.post(`/w/brand-a/cases/${theirs.id}`, { intent: "bogus" })).status).toBe(404);
    expect((await alice.get(`/w/brand-b/cases/${theirs.id}`)).status).toBe(404);
    expect((await alice.get(`/w/brand-a/cases/abc`)).status).toBe(404);
    expect((await getDb().select().from(cases).where(and(eq(cases.id, theirs.id))).limit(1))[0].status).toBe("open");

    const bob = await as("bob@b.test");
    expect((await bob.get(`/w/brand-b/cases/${theirs.id}`)).status).toBe(200);
  });
});

describe("the API and the customer page", () => {
  it("lists the workspace's cases for its token, and answers 400 to a bad query", async () => {
    const res = await fetch(`${server.url}/api/v1/cases?status=open&limit=5`, { headers: { Authorization: `Bearer ${tokenB}` } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { cases: { status: string; touchpoint: string }[] };
    expect(body.cases.length).toBeGreaterThan(0);
    expect(body.cases.every((c) => c.status === "open" && c.touchpoint === "bank-branch-welcome")).toBe(true);
    const bad = await fetch(`${server.url}/api/v1/cases?status=lost&limit=0`, { headers: { Authorization: `Bearer ${tokenB}` } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { errors: unknown[] }).errors).toHaveLength(2);
    expect((await fetch(`${server.url}/api/v1/cases`)).status).toBe(401);
  });

  it("shows a customer's cases on their page", async () => {
    const [{ id: customerId }] = await getDb().select({ id: customers.id }).from(customers).where(eq(customers.externalId, "C-PREMIUM")).limit(1);
    const [{ id: caseId }] = await getDb().select({ id: cases.id }).from(cases).where(eq(cases.customerId, customerId)).limit(1);
    const alice = await as("alice@a.test");
    const html = await (await alice.get(`/w/brand-a/customers/${customerId}`)).text();
    expect(html).toContain(`/w/brand-a/cases/${caseId}`);
  });
});
