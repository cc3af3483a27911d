// Outgoing webhooks over real HTTP: an admin registers an endpoint (the secret shown once), a detractor
// response is delivered to a receiver started here whose handler checks the signature with its own
// reference implementation of Standard Webhooks, a case step sends case.updated, and a failing receiver
// (500, or nobody listening) is retried and logged while the response still commits.
import { createHmac, timingSafeEqual } from "node:crypto";
import http from "node:http";
import net from "node:net";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "#db/client";
import { cases, webhookDeliveries, webhookEndpoints } from "#db/schema/index";
import { createApiToken } from "~/data/api-tokens.server";
import { freshDatabasePath, removeDatabase } from "../support/database";
import { PASSWORD, addMember, importSample, makeUser, makeWorkspace } from "../support/fixtures";
import { HttpClient } from "../support/http-client";
import { startServer, type RunningServer } from "../support/server";
import { makeSurveyFixture, type SurveyFixture } from "../support/survey-fixtures";
import { answersWith, postResponse, waitFor } from "./act-fixtures";

/**
 * The receiver's side of Standard Webhooks (standardwebhooks.com), written here from the spec rather
 * than taken from the app: key = base64 decode of the secret after "whsec_"; signed content =
 * "<webhook-id>.<webhook-timestamp>.<raw body>"; signature = base64(HMAC-SHA256(key, content)); the
 * header lists space-separated "v1,<signature>" entries; the timestamp must be within five minutes.
 */
function referenceVerify(secret: string, headers: http.IncomingHttpHeaders, rawBody: string): boolean {
  const id = headers["webhook-id"];
  const timestamp = headers["webhook-timestamp"];
  const signatures = headers["webhook-signature"];
  if (typeof id !== "string" || typeof timestamp !== "string" || typeof signatures !== "string") return false;
  if (Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) return false;
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  const expected = createHmac("sha256", key).update(`${id}.${timestamp}.${rawBody}`).digest();
  return signatures.split(" ").some((entry) => {
    const [version, value] = entry.split(",");
    if (version !== "v1" || !value) return false;
    const given = Buffer.from(value, "base64");
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

type Received = { headers: http.IncomingHttpHeaders; body: string; verified: boolean; payload: { type: string; data: Record<string, any> } };

function receiver(status: () => number, secret: () => string | null) {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      const s = secret();
      const verified = s !== null && referenceVerify(s, req.headers, body);
      received.push({ headers: req.headers, body, verified, payload: JSON.parse(body) });
      res.statusCode = verified ? status() : 401;
      res.end(res.statusCode >= 400 ? "receiver says no" : "ok");
    });
  });
  return {
    received,
    listen: () => new Promise<number>((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as net.AddressInfo).port))),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

const dbFile = freshDatabasePath("act-webhooks");
let server: RunningServer;
let a: SurveyFixture;
let c: SurveyFixture;
let tokenA: string;
let tokenC: string;
let secretA: string | null = null;
let secretC: string | null = null;
const good = receiver(() => 200, () => secretA);
const failing = receiver(() => 500, () => secretC);
let goodPort: number;
let failingPort: number;

beforeAll(async () => {
  const alice = await makeUser("alice@a.test");
  const max = await makeUser("max@a.test");
  const carol = await makeUser("carol@c.test");
  const wsA = (await makeWorkspace("brand-a", alice.id)).id;
  const wsC = (await makeWorkspace("brand-c", carol.id)).id;
  await addMember("brand-a", max.id, "manager");
  await importSample(wsA);
  await importSample(wsC);
  a = await makeSurveyFixture(wsA, { touchpointKey: "bank-branch-welcome" });
  c = await makeSurveyFixture(wsC, { touchpointKey: "bank-branch-welcome" });
  tokenA = await createApiToken(wsA, "kiosk", alice.id);
  tokenC = await createApiToken(wsC, "kiosk", carol.id);
  goodPort = await good.listen();
  failingPort = await failing.listen();
  // Plain http to 127.0.0.1 is allowed only by this flag (the server runs with NODE_ENV=production).
  server = await startServer(dbFile, { VIVENCIA_WEBHOOKS_ALLOW_LOCAL: "1" });
});

afterAll(async () => {
  await server?.stop();
  await good.close();
  await failing.close();
  removeDatabase(dbFile);
});

async function as(email: string) {
  const client = new HttpClient(server.url);
  await client.signIn(email, PASSWORD);
  return client;
}

function endpointForm(url: string, events = ["response.completed", "case.opened", "case.updated"]) {
  const form = new FormData();
  form.set("intent", "endpoint-create");
  form.set("url", url);
  for (const e of events) form.append("events", e);
  return form;
}

async function register(client: HttpClient, slug: string, url: string): Promise<string> {
  const res = await client.post(`/w/${slug}/settings`, endpointForm(url));
  expect(res.status).toBe(200);
  const secret = /whsec_[A-Za-z0-9+/=]+/.exec(await res.text())?.[0];
  expect(secret).toBeTruthy();
  return secret!;
}

describe("registering endpoints", () => {
  it("accepts HTTPS (and local http only under the test flag), refuses the rest with a message", async () => {
    const alice = await as("alice@a.test");
    const plain = await alice.post("/w/brand-a/settings", endpointForm("http://example.com/hook"));
    expect(plain.status).toBe(400);
    expect(await plain.text()).toContain("Los endpoints deben usar https://.");
    const noEvents = await alice.post("/w/brand-a/settings", endpointForm("https://example.com/hook", []));
    expect(noEvents.status).toBe(400);
    expect(await noEvents.text()).toContain("Elija al menos un evento que enviar.");
    const garbage = await alice.post("/w/brand-a/settings", endpointForm("not a url"));
    expect(garbage.status).toBe(400);
    const max = await as("max@a.test");
    expect((await max.post("/w/brand-a/settings", endpointForm("https://example.com/hook"))).status).toBe(403);
  });

  it("shows the secret once and never again", async () => {
    const alice = await as("alice@a.test");
    secretA = await register(alice, "brand-a", `http://127.0.0.1:${goodPort}/hooks/vivencia`);
    const stored = await getDb().select().from(webhookEndpoints);
    expect(stored.map((e) => e.secret)).toContain(secretA);
    const page = await (await alice.get("/w/brand-a/settings")).text();
    expect(page).toContain(`127.0.0.1:${goodPort}/hooks/vivencia`);
    expect(page).not.toContain(secretA!);
    expect(page).not.toContain("whsec_");
  });
});

describe("deliveries", () => {
  it("delivers response.completed and case.opened, signed so the reference verifier accepts them", async () => {
    const res = await postResponse(server.url, tokenA, { deployment: a.deploymentId, customer: "C-77", answers: answersWith(a.json, { nps: 4, comment: "Mal" }) });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: number };
    await waitFor(() => good.received.length >= 2, 10_000, "two deliveries");
    expect(good.received.every((r) => r.verified)).toBe(true);
    const byType = new Map(good.received.map((r) => [r.payload.type, r]));
    const completed = byType.get("response.completed")!;
    expect(completed.payload.data.response).toMatchObject({ id, touchpoint: "bank-branch-welcome", customer: "C-77", comment: "Mal" });
    const opened = byType.get("case.opened")!;
    const [caseRow] = await getDb().select().from(cases).where(eq(cases.responseId, id)).limit(1);
    expect(opened.payload.data.case).toMatchObject({ id: caseRow.id, status: "open", responseId: id, customer: "C-77" });
    expect(completed.headers["content-type"]).toBe("application/json");

    // The log matches what arrived: one attempt each, 200, the same message ids.
    const rows = await waitFor(async () => {
      const all = await getDb().select().from(webhookDeliveries);
      return all.length >= 2 && all.every((d) => d.status === "delivered") ? all : null;
    }, 5_000, "delivered rows");
    expect(rows.map((d) => d.msgId).sort()).toEqual(good.received.map((r) => r.headers["webhook-id"]).sort());
    expect(rows.every((d) => d.attempts === 1 && d.responseCode === 200 && d.deliveredAt !== null)).toBe(true);
  });

  it("sends case.updated when a manager takes a step", async () => {
    const [caseRow] = await getDb().select().from(cases).limit(1);
    const max = await as("max@a.test");
    const before = good.received.length;
    expect((await max.post(`/w/brand-a/cases/${caseRow.id}`, { intent: "status", to: "in_progress", note: "Llamando" })).status).toBe(200);
    await waitFor(() => good.received.length > before, 10_000, "case.updated");
    const update = good.received[good.received.length - 1];
    expect(update.verified).toBe(true);
    expect(update.payload.type).toBe("case.updated");
    expect(update.payload.data.case).toMatchObject({ id: caseRow.id, status: "in_progress", assignee: "max@a.test" });
  });

  it("a failing endpoint is retried and logged while the response still commits", async () => {
    const carol = await as("carol@c.test");
    secretC = await register(carol, "brand-c", `http://127.0.0.1:${failingPort}/down`);
    const closed = await closedPort();
    await register(carol, "brand-c", `http://127.0.0.1:${closed}/nobody-home`);

    const started = Date.now();
    const res = await postResponse(server.url, tokenC, { deployment: c.deploymentId, answers: answersWith(c.json, { nps: 0 }) });
    expect(res.status).toBe(201);
    // The response did not wait for either receiver.
    expect(Date.now() - started).toBeLessThan(2_000);
    const { id } = (await res.json()) as { id: number };
    expect(await getDb().select().from(cases).where(eq(cases.responseId, id))).toHaveLength(1);

    const endpoints = (await getDb().select().from(webhookEndpoints)).filter((e) => e.url.includes(`:${failingPort}/`) || e.url.includes(`:${closed}/`));
    const deliveriesOf = (endpointId: number) => getDb().select().from(webhookDeliveries).where(eq(webhookDeliveries.endpointId, endpointId));
    for (const endpoint of endpoints) {
      const rows = await waitFor(async () => {
        const all = await deliveriesOf(endpoint.id);
        return all.length === 2 && all.every((d) => d.attempts === 1) ? all : null;
      }, 10_000, `first attempts to ${endpoint.url}`);
      for (const d of rows) {
        expect(d.status).toBe("pending");
        // Retried after 5 s ± 20 %.
        const wait = d.nextAttemptAt!.getTime() - d.lastAttemptAt!.getTime();
        expect(wait).toBeGreaterThanOrEqual(4_000);
        expect(wait).toBeLessThanOrEqual(6_000);
        if (endpoint.url.includes("/down")) {
          expect(d.responseCode).toBe(500);
          expect(d.error).toContain("HTTP 500");
        } else {
          expect(d.responseCode).toBeNull();
          expect(d.error).toContain("ECONNREFUSED");
        }
      }
    }
    // The receiver that answers 500 did check a valid signature first.
    expect(failing.received.length).toBeGreaterThanOrEqual(2);
    expect(failing.received.every((r) => r.verified)).toBe(true);

    const log = await (await carol.get("/w/brand-c/settings")).text();
    expect(log).toContain("HTTP 500");
    expect(log).toContain("ECONNREFUSED");
    expect(log).toContain("En espera");

    // The retry comes on schedule, with the same message id.
    const downId = endpoints.find((e) => e.url.includes("/down"))!.id;
    const retried = await waitFor(async () => {
      const all = await deliveriesOf(downId);
      return all.every((d) => d.attempts >= 2) ? all : null;
    }, 12_000, "second attempts");
    expect(retried.every((d) => d.status === "pending" && d.error?.includes("HTTP 500"))).toBe(true);
    const ids = failing.received.map((r) => r.headers["webhook-id"]);
    expect(new Set(ids).size).toBe(2);
  }, 30_000);
});
