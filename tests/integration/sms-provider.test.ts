// SMS through a provider-neutral HTTP transport, against a fake provider this test starts (an HTTP
// server on a free port that records what it receives): the settings page saves the provider with a
// sealed auth header, the test send reports acceptance and every kind of failure in words (never a
// 500), sendSms sorts answers into accepted / temporary / permanent, and no page shows the secret.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execute, rows } from "#db/client";
import { sendSms } from "~/data/sms.server";
import { freshDatabasePath, removeDatabase } from "../support/database";
import { PASSWORD, addMember, makeUser, makeWorkspace } from "../support/fixtures";
import { HttpClient } from "../support/http-client";
import { startServer, type RunningServer } from "../support/server";

const dbFile = freshDatabasePath("sms-provider");
// The server and this process (which calls sendSms directly) seal and unseal with the same key.
process.env.VIVENCIA_SECRET_KEY = "sms-provider-test-key-0123456789-abcdefghijklmnop";
const SECRET = "live_sk_9f8e7d6c5b4a3210";
const BODY = '{"destination": "{{to}}", "message": "{{text}}", "originator": "{{sender}}"}';

type Received = { path: string; headers: http.IncomingHttpHeaders; body: string };
const received: Received[] = [];
let provider: http.Server;
let providerUrl: string;
let closedPort: number;
let server: RunningServer;
let admin: HttpClient;
let ws: number;

/** The fake provider: /ok accepts, /invalid refuses (422), /busy fails for now (503). */
function startProvider(): Promise<http.Server> {
  const fake = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += String(chunk)));
    req.on("end", () => {
      received.push({ path: req.url ?? "", headers: req.headers, body });
      if (req.url === "/ok") {
        res.writeHead(201, { "content-type": "application/json" }).end('{"id": "msg-1", "status": "queued"}');
      } else if (req.url === "/invalid") {
        res.writeHead(422, { "content-type": "application/json" }).end('{"error": "destination is not a mobile number"}');
      } else {
        res.writeHead(503, { "content-type": "text/plain" }).end("Service temporarily unavailable, try later");
      }
    });
  });
  return new Promise((resolve) => fake.listen(0, "127.0.0.1", () => resolve(fake)));
}

/** A port nothing listens on: a server opened and closed again. */
async function unusedPort(): Promise<number> {
  const probe = http.createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const port = (probe.address() as AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

const settingsForm = (url: string, extra: Record<string, string> = {}) => ({
  intent: "settings",
  url,
  authHeaderName: "X-Api-Key",
  authHeaderValue: "",
  authHeaderEnv: "",
  bodyTemplate: BODY,
  senderId: "BancoSol",
  ...extra,
});

beforeAll(async () => {
  provider = await startProvider();
  providerUrl = `http://127.0.0.1:${(provider.address() as AddressInfo).port}`;
  closedPort = await unusedPort();
  const ana = await makeUser("ana@sms.test", "Ana");
  const marta = await makeUser("marta@sms.test", "Marta");
  ws = (await makeWorkspace("sms-ws", ana.id)).id;
  await addMember("sms-ws", marta.id, "manager");
  server = await startServer(dbFile, { VIVENCIA_SECRET_KEY: process.env.VIVENCIA_SECRET_KEY! });
  admin = new HttpClient(server.url);
  await admin.signIn("ana@sms.test", PASSWORD);
  // The admin reads the interface in English (the texts asserted below).
  await admin.post("/lang", { lang: "en", redirectTo: "/workspaces" });
}, 120_000);

afterAll(async () => {
  await server?.stop();
  await new Promise<void>((resolve) => (provider ? provider.close(() => resolve()) : resolve()));
  removeDatabase(dbFile);
});

describe("the SMS settings page", () => {
  it("is for admins only", async () => {
    const manager = new HttpClient(server.url);
    await manager.signIn("marta@sms.test", PASSWORD);
    expect((await manager.get("/w/sms-ws/sms")).status).toBe(403);
  });

  it("refuses a body with an unknown placeholder by name and one that is not JSON, with 400 and nothing saved", async () => {
    const unknown = await admin.post("/w/sms-ws/sms", settingsForm(`${providerUrl}/ok`, { bodyTemplate: '{"to": "{{to}}", "text": "{{text}}", "k": "{{apiKey}}"}' }));
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain("{{apiKey}}");
    const notJson = await admin.post("/w/sms-ws/sms", settingsForm(`${providerUrl}/ok`, { bodyTemplate: '{"to": {{to}}, "text": "{{text}}"}' }));
    expect(notJson.status).toBe(400);
    expect(await notJson.text()).toMatch(/JSON/);
    const bad = await admin.post("/w/sms-ws/sms", settingsForm("ftp://example.com/sms"));
    expect(bad.status).toBe(400);
    expect(await rows(sql`SELECT workspace_id FROM sms_settings`)).toEqual([]);
  });

  it("saves the provider with the auth value sealed, and no page shows the value", async () => {
    const saved = await admin.post("/w/sms-ws/sms", settingsForm(`${providerUrl}/ok`, { authHeaderValue: SECRET }));
    expect(saved.status).toBe(200);
    expect(await saved.text()).not.toContain(SECRET);
    const [stored] = await rows<{ sealed: string }>(sql`SELECT auth_header_sealed AS sealed FROM sms_settings WHERE workspace_id = ${ws}`);
    expect(stored.sealed).toMatch(/^v1\./);
    expect(stored.sealed).not.toContain(SECRET);
    for (const page of ["/w/sms-ws/sms", "/w/sms-ws/settings", "/w/sms-ws/audit"]) {
      const res = await admin.get(page);
      expect(res.status, page).toBe(200);
      expect(await res.text(), page).not.toContain(SECRET);
    }
  });

  it("a test send reaches the provider with the auth header, the JSON body and the text with the link", async () => {
    // The brand from the workspace settings names the sender in the text.
    expect((await admin.post("/w/sms-ws/settings", { intent: "brand", brandName: "Banco Sol" })).status).toBe(200);
    received.length = 0;
    const res = await admin.post("/w/sms-ws/sms", { intent: "test", to: "+34 600 111 222", lang: "en" });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("The provider accepted the message (HTTP 201)");
    expect(html).not.toContain(SECRET);
    expect(received).toHaveLength(1);
    expect(received[0].headers["x-api-key"]).toBe(SECRET);
    expect(received[0].headers["content-type"]).toBe("application/json");
    const body = JSON.parse(received[0].body) as { destination: string; message: string; originator: string };
    expect(body.destination).toBe("+34600111222");
    expect(body.originator).toBe("BancoSol");
    // The English default with the brand and a link.
    expect(body.message).toMatch(/^Banco Sol: how did it go\? Tell us in 1 minute: https?:\/\/\S+\/s\/\S+$/);
  });

  it("a provider's 4xx is a permanent failure with its body excerpt, a 5xx a temporary one, a closed port a connection failure — never a 500", async () => {
    const cases = [
      { url: `${providerUrl}/invalid`, words: ["Permanent failure", "HTTP 422", "destination is not a mobile number"] },
      { url: `${providerUrl}/busy`, words: ["Temporary failure", "HTTP 503", "Service temporarily unavailable"] },
      { url: `http://127.0.0.1:${closedPort}/sms`, words: ["Temporary failure", "Could not connect", "ECONNREFUSED"] },
    ];
    for (const { url, words } of cases) {
      expect((await admin.post("/w/sms-ws/sms", settingsForm(url))).status).toBe(200);
      const res = await admin.post("/w/sms-ws/sms", { intent: "test", to: "+34600111222", lang: "es" });
      expect(res.status, url).toBe(200);
      const html = await res.text();
      for (const word of words) expect(html, url).toContain(word);
      expect(html).not.toContain(SECRET);
    }
  });
});

describe("sendSms", () => {
  it("sorts the provider's answers: accepted, 4xx permanent, 5xx temporary, refused connection temporary", async () => {
    const use = (url: string) => execute(sql`UPDATE sms_settings SET url = ${url} WHERE workspace_id = ${ws}`);
    await use(`${providerUrl}/ok`);
    received.length = 0;
    const accepted = await sendSms(ws, { to: "+34600999888", text: 'Hola "Ana"\n¿qué tal?' });
    expect(accepted).toMatchObject({ outcome: "accepted", status: 201 });
    // The sealed value was kept through the later saves (an empty field keeps it) and is sent.
    expect(received[0].headers["x-api-key"]).toBe(SECRET);
    expect(JSON.parse(received[0].body)).toMatchObject({ message: 'Hola "Ana"\n¿qué tal?' });

    await use(`${providerUrl}/invalid`);
    expect(await sendSms(ws, { to: "+34600999888", text: "x" })).toMatchObject({ outcome: "permanent", reason: "rejected", status: 422 });
    await use(`${providerUrl}/busy`);
    expect(await sendSms(ws, { to: "+34600999888", text: "x" })).toMatchObject({ outcome: "temporary", reason: "provider_error", status: 503 });
    await use(`http://127.0.0.1:${closedPort}/sms`);
    expect(await sendSms(ws, { to: "+34600999888", text: "x" })).toMatchObject({ outcome: "temporary", reason: "connection", status: null });
    // Nothing to send to, or nowhere to send from: permanent, and nothing reaches a provider.
    expect(await sendSms(ws, { to: "call me", text: "x" })).toMatchObject({ outcome: "permanent", reason: "bad_number" });
    expect(await sendSms(ws + 1000, { to: "+34600999888", text: "x" })).toMatchObject({ outcome: "permanent", reason: "not_configured" });
  });

  it("reads the auth value from the named environment variable when one is given; unset, it does not send", async () => {
    await execute(sql`UPDATE sms_settings SET url = ${`${providerUrl}/ok`}, auth_header_env = 'SMS_TEST_PROVIDER_KEY' WHERE workspace_id = ${ws}`);
    delete process.env.SMS_TEST_PROVIDER_KEY;
    received.length = 0;
    expect(await sendSms(ws, { to: "+34600999888", text: "x" })).toMatchObject({ outcome: "temporary", reason: "not_configured" });
    expect(received).toHaveLength(0);
    process.env.SMS_TEST_PROVIDER_KEY = "from-the-environment";
    expect(await sendSms(ws, { to: "+34600999888", text: "x" })).toMatchObject({ outcome: "accepted" });
    expect(received[0].headers["x-api-key"]).toBe("from-the-environment");
  });
});
