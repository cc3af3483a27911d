// Workspace scoping and roles over real HTTP: another workspace's URLs answer 404, never data;
// roles are enforced on every mutation.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDatabasePath, removeDatabase } from "../support/database";
import { startServer, type RunningServer } from "../support/server";
import { HttpClient } from "../support/http-client";
import { PASSWORD, addMember, importSample, makeUser, makeWorkspace } from "../support/fixtures";
import { listProcesses } from "~/data/processes.server";

const dbFile = freshDatabasePath("scoping");
let server: RunningServer;
let bProcessId: number;
const journeyKey = "retail-bank-account-opening";
const tpKey = "bank-branch-welcome";

beforeAll(async () => {
  const alice = await makeUser("alice@a.test");
  const bob = await makeUser("bob@b.test");
  const dora = await makeUser("dora@a.test");
  const max = await makeUser("max@a.test");
  const a = await makeWorkspace("brand-a", alice.id);
  const b = await makeWorkspace("brand-b", bob.id);
  await addMember("brand-a", dora.id, "designer");
  await addMember("brand-a", max.id, "manager");
  await importSample(a.id, "telecom-installation-and-repair.json");
  await importSample(b.id);
  bProcessId = (await listProcesses(b.id))[0].id;
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

describe("a member of workspace A", () => {
  const bUrls = [
    "/w/brand-b",
    "/w/brand-b/platform",
    "/w/brand-b/processes",
    "/w/brand-b/journeys",
    `/w/brand-b/journeys/${journeyKey}`,
    `/w/brand-b/journeys/${journeyKey}/export`,
    `/w/brand-b/journeys/${journeyKey}/touchpoints/${tpKey}`,
    "/w/brand-b/members",
    "/w/brand-b/tokens",
  ];

  it("gets 404 on every page of workspace B, and the page leaks nothing of it", async () => {
    const alice = await as("alice@a.test");
    for (const url of bUrls) {
      const res = await alice.get(url);
      expect(res.status, url).toBe(404);
      const body = await res.text();
      expect(body, url).not.toContain("Apertura de cuenta");
      expect(body, url).not.toContain("BRAND-B");
    }
  });

  it("gets 404 on every mutation aimed at workspace B", async () => {
    const alice = await as("alice@a.test");
    const posts: [string, Record<string, string>][] = [
      ["/w/brand-b/platform", { positioning: "hijacked" }],
      ["/w/brand-b/processes", { intent: "create", key: "evil", name: "Evil" }],
      ["/w/brand-b/journeys", { intent: "create", key: "evil", name: "Evil" }],
      [`/w/brand-b/journeys/${journeyKey}`, { intent: "deleteJourney" }],
      ["/w/brand-b/tokens", { intent: "create", name: "steal" }],
      ["/w/brand-b/members", { intent: "invite", email: "alice@a.test", role: "admin" }],
    ];
    for (const [url, form] of posts) {
      const res = await alice.post(url, form);
      expect(res.status, url).toBe(404);
    }
    const bob = await as("bob@b.test");
    expect((await bob.get(`/w/brand-b/journeys/${journeyKey}`)).status).toBe(200);
  });

  it("cannot reach B's rows through A's URLs (ids and keys of B)", async () => {
    const alice = await as("alice@a.test");
    expect((await alice.get(`/w/brand-a/journeys/${journeyKey}`)).status).toBe(404);
    expect((await alice.get(`/w/brand-a/journeys/${journeyKey}/export`)).status).toBe(404);
    const res = await alice.post("/w/brand-a/processes", { intent: "update", id: String(bProcessId), name: "renamed", owner: "", description: "" });
    expect(res.status).toBe(404);
    const del = await alice.post("/w/brand-a/processes", { intent: "delete", id: String(bProcessId) });
    expect(del.status).toBe(404);
  });
});

describe("roles", () => {
  it("a manager reads but cannot edit platform, processes or journeys", async () => {
    const max = await as("max@a.test");
    expect((await max.get("/w/brand-a/platform")).status).toBe(200);
    expect((await max.post("/w/brand-a/platform", { positioning: "x" })).status).toBe(403);
    expect((await max.post("/w/brand-a/processes", { intent: "create", key: "p-x", name: "X" })).status).toBe(403);
    expect((await max.post("/w/brand-a/journeys", { intent: "create", key: "j-x", name: "X" })).status).toBe(403);
  });

  it("a designer edits the model but cannot manage members or tokens", async () => {
    const dora = await as("dora@a.test");
    expect((await dora.post("/w/brand-a/platform", { positioning: "Cerca de ti" })).status).toBe(200);
    expect((await dora.get("/w/brand-a/members")).status).toBe(403);
    expect((await dora.post("/w/brand-a/members", { intent: "invite", email: "x@y.test", role: "admin" })).status).toBe(403);
    expect((await dora.get("/w/brand-a/tokens")).status).toBe(403);
    expect((await dora.post("/w/brand-a/tokens", { intent: "create", name: "t" })).status).toBe(403);
  });

  it("an admin manages members and tokens", async () => {
    const alice = await as("alice@a.test");
    expect((await alice.get("/w/brand-a/members")).status).toBe(200);
    expect((await alice.get("/w/brand-a/tokens")).status).toBe(200);
  });
});

describe("sign-in", () => {
  it("says the same thing for an unknown email and a wrong password", async () => {
    const client = new HttpClient(server.url);
    const unknown = await client.post("/login", { email: "nobody@a.test", password: "whatever-123" });
    const wrong = await client.post("/login", { email: "alice@a.test", password: "not-the-password" });
    expect(unknown.status).toBe(400);
    expect(wrong.status).toBe(400);
    const a = (await unknown.text()).replace(/nobody@a\.test/g, "E");
    const b = (await wrong.text()).replace(/alice@a\.test/g, "E");
    expect(a).toContain("no son correctos");
    expect(a.length).toBe(b.length);
  });

  it("sets an httpOnly SameSite=Lax cookie, and signing out revokes the session server-side", async () => {
    const client = new HttpClient(server.url);
    const res = await client.post("/login", { email: "alice@a.test", password: PASSWORD });
    const cookie = res.headers.getSetCookie().join(";");
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Secure/i);
    const stolen = cookie.match(/vivencia_session=([^;]+)/)![1];
    expect((await client.get("/w/brand-a")).status).toBe(200);
    await client.post("/logout", {});
    const replay = await fetch(`${server.url}/w/brand-a`, { headers: { Cookie: `vivencia_session=${stolen}` }, redirect: "manual" });
    expect(replay.status).toBe(302);
    expect(replay.headers.get("Location")).toMatch(/^\/login/);
  });
});
