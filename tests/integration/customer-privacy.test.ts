// A customer's data rights over real HTTP (GDPR articles 15 and 17), for admins only. "Export
// everything" downloads all the workspace holds about them; "Erase" (confirmed by typing their
// external id) removes their identity in one transaction: afterwards no table holds their external
// id, name, e-mail or phone, while every response and measurement stays, so the insights API gives
// exactly the same numbers as before.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { isPostgres, rows } from "#db/client";
import { rollupsRead } from "#db/schema/index";
import { createApiToken } from "~/data/api-tokens.server";
import { addCaseNote } from "~/data/case-steps.server";
import { createEndpoint } from "~/data/webhooks.server";
import { freshDatabasePath, removeDatabase } from "../support/database";
import { PASSWORD, addMember, makeUser, makeWorkspace } from "../support/fixtures";
import { HttpClient } from "../support/http-client";
import { seedInsights } from "../support/insights-fixtures";
import { startServer, type RunningServer } from "../support/server";
import { ratingAnswers, type SurveyFixture } from "../support/survey-fixtures";

const dbFile = freshDatabasePath("customer-privacy");
const EXTERNAL_ID = "BQ-77341";
const NAME = "Beatriz Quintana";
const EMAIL = "beatriz.quintana@example.test";
const PHONE = "600123456";
const IDENTITY = [EXTERNAL_ID, NAME, EMAIL, PHONE];

let server: RunningServer;
let ws: number;
let adminId: number;
let token: string;
let survey: SurveyFixture;
let admin: HttpClient;
let manager: HttpClient;
let customerId: number;
let responseIds: number[];
// Seeded answers end yesterday: none may lie in the future.
const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);

async function api(path: string, init: RequestInit = {}) {
  const res = await fetch(`${server.url}/api/v1/${path}`, {
    ...init,
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json", ...init.headers },
  });
  return { status: res.status, body: (await res.json()) as any };
}

/** Answers to the survey: every rating from `pick`, and a comment. */
const answers = (pick: number, comment: string) => ratingAnswers(survey.json, (min, max) => Math.min(max, Math.max(min, pick)), comment);

beforeAll(async () => {
  const ana = await makeUser("ana@privacy.test");
  const marta = await makeUser("marta@privacy.test");
  adminId = ana.id;
  ws = (await makeWorkspace("privacy", ana.id)).id;
  await addMember("privacy", marta.id, "manager");
  // Every message about responses and cases goes to a webhook: its log holds the customer too.
  await createEndpoint(ws, { url: "https://example.com/hooks/vivencia", description: "", events: ["response.completed", "case.opened"] }, ana.id);
  const seeded = await seedInsights(ws, { seed: 11, endDay: yesterday, days: 30, perTouchpoint: 12, customers: 18 });
  survey = [...seeded.surveys.values()].find((s) => JSON.stringify(s.json).includes('"comment"') && JSON.stringify(s.json).includes('"nps"'))!;
  token = await createApiToken(ws, "crm", ana.id);
  server = await startServer(dbFile);
  admin = new HttpClient(server.url);
  await admin.signIn("ana@privacy.test", PASSWORD);
  manager = new HttpClient(server.url);
  await manager.signIn("marta@privacy.test", PASSWORD);

  // The customer, their behaviour, two invitations (one answered in the browser, one half done),
  // two responses through the API (one a detractor, which opens a case) and a note on that case.
  const upsert = await api("customers", {
    method: "POST",
    body: JSON.stringify([{ external_id: EXTERNAL_ID, name: NAME, email: EMAIL, phone: PHONE, language: "es", notes: `Prefiere que la llamen, ${NAME}` }]),
  });
  expect(upsert.status).toBe(200);
  const events = await api("events", {
    method: "POST",
    body: JSON.stringify([{ external_id: "BQ-EV-1", customer_external_id: EXTERNAL_ID, type: "purchase", occurred_at: new Date().toISOString(), amount: 120 }]),
  });
  expect(events.status).toBe(200);
  const invited = [];
  for (let i = 0; i < 2; i++) {
    const res = await api("invitations", { method: "POST", body: JSON.stringify({ deployment: survey.deploymentId, customers: [EXTERNAL_ID] }) });
    expect(res.status).toBe(201);
    invited.push(String(res.body.invitations[0].link).split("/s/")[1]);
  }
  const answered = await admin.post(`/s/${invited[0]}`, {
    intent: "submit",
    data: JSON.stringify(answers(7, `Soy ${NAME}, todo bien`)),
    version: String(survey.versionId),
    lang: "es",
  });
  expect(answered.status).toBe(200);
  expect((await admin.get(`/s/${invited[1]}`)).status).toBe(200);
  const progress = await admin.post(`/s/${invited[1]}`, { intent: "progress", progress: JSON.stringify({ data: { comment: `Escribo yo, ${NAME}` }, page: 0 }) });
  expect(progress.status).toBe(200);
  for (const [i, pick] of [1, 7].entries()) {
    const res = await api("responses", {
      method: "POST",
      headers: { "Idempotency-Key": `${EXTERNAL_ID}-visit-${i}` },
      body: JSON.stringify({
        deployment: survey.deploymentId,
        customer: EXTERNAL_ID,
        answers: { ...answers(pick, `Llamadme al ${PHONE} o a ${EMAIL}`), nps: pick },
      }),
    });
    expect(res.status).toBe(201);
  }
  [{ id: customerId }] = await rows<{ id: number }>(sql`SELECT id FROM customers WHERE external_id = ${EXTERNAL_ID}`);
  responseIds = (await rows<{ id: number }>(sql`SELECT id FROM responses WHERE customer_id = ${customerId} ORDER BY id`)).map((r) => r.id);
  expect(responseIds).toHaveLength(3);
  const [theCase] = await rows<{ id: number }>(sql`SELECT id FROM cases WHERE customer_id = ${customerId}`);
  expect((await addCaseNote(ws, theCase.id, { note: `Llamé a ${NAME} al ${PHONE}; pide disculpas por escrito`, byUserId: adminId })).ok).toBe(true);
}, 240_000);

afterAll(async () => {
  await server?.stop();
  removeDatabase(dbFile);
});

/** Every table and text column of the database, as the engine lists them. */
async function textColumns(): Promise<{ table: string; column: string }[]> {
  if (isPostgres()) {
    return rows(sql`SELECT table_name AS "table", column_name AS "column" FROM information_schema.columns
      WHERE table_schema = current_schema() AND data_type IN ('text', 'character varying', 'json', 'jsonb')`);
  }
  return rows(sql`SELECT m.name AS "table", c.name AS "column" FROM sqlite_master m JOIN pragma_table_info(m.name) c
    WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND (c.type = '' OR upper(c.type) LIKE '%TEXT%')`);
}

/** "table.column" for every column holding any of the strings (case-insensitive). */
async function mentions(strings: string[]): Promise<string[]> {
  const found: string[] = [];
  for (const { table, column } of await textColumns()) {
    const col = sql`lower(cast(${sql.identifier(column)} as text))`;
    const any = sql.join(
      strings.map((s) => sql`${col} LIKE ${`%${s.toLowerCase()}%`}`),
      sql` OR `,
    );
    const [{ n }] = await rows<{ n: number }>(sql`SELECT count(*) AS n FROM ${sql.identifier(table)} WHERE ${any}`);
    if (Number(n) > 0) found.push(`${table}.${column}`);
  }
  return found.sort();
}

/** The numbers the insights API gives, and the stored rows behind them. */
async function numbers() {
  const read = async (path: string) => {
    const res = await fetch(`${server.url}/api/v1/insights/${path}`, { headers: { Authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    return res.json();
  };
  const [counts] = await rows<{ responses: number; measurements: number; total: number; rolled: number }>(sql`SELECT
    (SELECT count(*) FROM responses WHERE workspace_id = ${ws}) AS responses,
    (SELECT count(*) FROM measurements WHERE workspace_id = ${ws}) AS measurements,
    (SELECT sum(value) FROM measurements WHERE workspace_id = ${ws}) AS total,
    (SELECT sum(n) FROM ${rollupsRead} WHERE workspace_id = ${ws}) AS rolled`);
  return {
    gapsByTouchpoint: await read("gaps?by=touchpoint"),
    gapsByProcess: await read("gaps?by=process"),
    nps: await read("nps?by=touchpoint"),
    stored: { responses: Number(counts.responses), measurements: Number(counts.measurements), total: Number(counts.total), rolled: Number(counts.rolled) },
  };
}

describe("export everything (article 15)", () => {
  it("is for admins only", async () => {
    expect((await manager.post(`/w/privacy/customers/${customerId}/export.json`, {})).status).toBe(403);
    expect((await admin.get(`/w/privacy/customers/${customerId}/export.json`)).status).toBe(405);
  });

  it("downloads the customer, their tier history, events, invitations, responses with answers, and cases with their notes", async () => {
    const res = await admin.post(`/w/privacy/customers/${customerId}/export.json`, {});
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Disposition")).toBe(`attachment; filename="customer-${customerId}.json"`);
    const doc = (await res.json()) as any;
    expect(doc.customer).toMatchObject({ externalId: EXTERNAL_ID, name: NAME, email: EMAIL, phone: PHONE });
    expect(doc.tierHistory).toEqual([]);
    expect(doc.events).toEqual([expect.objectContaining({ externalId: "BQ-EV-1", type: "purchase", amount: 120 })]);
    expect(doc.invitations).toHaveLength(2);
    expect(doc.invitations.map((i: any) => i.state).sort()).toEqual(["completed", "opened"]);
    expect(JSON.stringify(doc.invitations)).not.toMatch(/"token"/);
    expect(doc.invitations.find((i: any) => i.state === "opened").progress).toEqual({ data: { comment: `Escribo yo, ${NAME}` }, page: 0 });
    expect(doc.responses).toHaveLength(3);
    expect(doc.responses[0].answers.comment).toBe(`Soy ${NAME}, todo bien`);
    expect(doc.responses[0].measurements.length).toBeGreaterThan(3);
    expect(doc.cases).toHaveLength(1);
    expect(doc.cases[0].history.map((h: any) => h.note)).toContain(`Llamé a ${NAME} al ${PHONE}; pide disculpas por escrito`);
    const [line] = await rows<{ target: string; actor: number }>(sql`SELECT target, actor_user_id AS actor FROM audit_events WHERE action = 'customer.exported'`);
    expect(line).toEqual({ target: `#${customerId}`, actor: adminId });
  });
});

describe("erase (article 17)", () => {
  it("is for admins only, and needs the external id typed to confirm", async () => {
    expect((await manager.post(`/w/privacy/customers/${customerId}`, { intent: "erase", confirm: EXTERNAL_ID })).status).toBe(403);
    await admin.post("/lang", { lang: "es", redirectTo: "/workspaces" });
    const wrong = await admin.post(`/w/privacy/customers/${customerId}`, { intent: "erase", confirm: "BQ-7734" });
    expect(wrong.status).toBe(400);
    // On a Spanish page the refusal is in Spanish and the form keeps what was typed.
    const refused = await wrong.text();
    expect(refused).toContain("El identificador no coincide; no se ha borrado nada.");
    expect(refused).toContain('value="BQ-7734"');
    const empty = await admin.post(`/w/privacy/customers/${customerId}`, { intent: "erase", confirm: "" });
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain("Este campo es obligatorio.");
    expect(await rows(sql`SELECT id FROM customers WHERE id = ${customerId}`)).toHaveLength(1);
  });

  it("removes their identity everywhere and leaves every number as it was", async () => {
    const before = await numbers();
    // Before: their identity is in the customer row, the responses, the case notes and the webhook log.
    expect(await mentions(IDENTITY)).toEqual(
      expect.arrayContaining(["case_events.note", "customers.email", "customers.external_id", "customers.name", "responses.comment", "responses.data", "responses.idempotency_key", "webhook_deliveries.payload"]),
    );
    const measuredBefore = await rows(sql`SELECT response_id, attribute_key, kind, value FROM measurements WHERE response_id IN (${sql.join(responseIds, sql`, `)}) ORDER BY id`);

    const res = await admin.post(`/w/privacy/customers/${customerId}`, { intent: "erase", confirm: ` ${EXTERNAL_ID} ` });
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/w/privacy/customers");

    expect(await mentions(IDENTITY)).toEqual([]);
    expect(await numbers()).toEqual(before);

    // The responses stay, measured as before, without the link or anything typed.
    const kept = await rows<{ id: number; customerId: number | null; invitationId: number | null; comment: string | null; data: string; key: string | null }>(
      sql`SELECT id, customer_id AS "customerId", invitation_id AS "invitationId", comment, data, idempotency_key AS key FROM responses WHERE id IN (${sql.join(responseIds, sql`, `)}) ORDER BY id`,
    );
    expect(kept.map((r) => r.id)).toEqual(responseIds);
    for (const r of kept) {
      expect(r).toMatchObject({ customerId: null, invitationId: null, comment: null, key: null });
      const data = JSON.parse(r.data) as Record<string, unknown>;
      expect(data.comment).toBeUndefined();
      expect(Object.values(data).every((v) => typeof v === "number")).toBe(true);
      expect(Object.keys(data).length).toBeGreaterThan(3);
    }
    expect(await rows(sql`SELECT response_id, attribute_key, kind, value FROM measurements WHERE response_id IN (${sql.join(responseIds, sql`, `)}) ORDER BY id`)).toEqual(measuredBefore);
    // The case stays, unlinked; the customer, their events and invitations are gone.
    expect(await rows(sql`SELECT customer_id AS "customerId" FROM cases WHERE response_id IN (${sql.join(responseIds, sql`, `)})`)).toEqual([{ customerId: null }]);
    const [gone] = await rows<{ customers: number; events: number; invitations: number }>(sql`SELECT
      (SELECT count(*) FROM customers WHERE id = ${customerId}) AS customers,
      (SELECT count(*) FROM crm_events WHERE customer_id = ${customerId}) AS events,
      (SELECT count(*) FROM invitations WHERE customer_id = ${customerId}) AS invitations`);
    expect([gone.customers, gone.events, gone.invitations].map(Number)).toEqual([0, 0, 0]);
    // Audited, by row id only.
    const [line] = await rows<{ target: string; detail: string }>(sql`SELECT target, detail FROM audit_events WHERE action = 'customer.erased'`);
    expect(line.target).toBe(`#${customerId}`);
    expect(JSON.parse(line.detail)).toEqual({ responses: 3, events: 1, invitations: 2, cases: 1, webhookMessages: expect.any(Number) });
    expect((await admin.get(`/w/privacy/customers/${customerId}`)).status).toBe(404);
  });
});
