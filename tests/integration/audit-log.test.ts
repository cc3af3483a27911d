// The audit log over real HTTP: sign-ins (succeeded, failed, for an e-mail nobody has), sign-outs,
// member invitations, joins, role changes and removals, API tokens created and revoked, settings
// changed — each one line with its actor, target and client address — and the admins' page that
// reads them: newest first, filtered by action, paged, for admins only, the workspace's own events
// and its members' sign-ins and nothing of another workspace.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { rows } from "#db/client";
import { listAudit } from "~/data/audit.server";
import { freshDatabasePath, removeDatabase } from "../support/database";
import { PASSWORD, addMember, makeUser, makeWorkspace } from "../support/fixtures";
import { HttpClient } from "../support/http-client";
import { startServer, type RunningServer } from "../support/server";

const dbFile = freshDatabasePath("audit-log");
let server: RunningServer;
let ws: number;
let adminId: number;
let managerId: number;
let outsiderId: number;
let admin: HttpClient;

type Event = { action: string; actorUserId: number | null; workspaceId: number | null; target: string | null; detail: string | null; ip: string | null };

/** Every stored line, oldest first. */
const events = () =>
  rows<Event>(sql`SELECT action, actor_user_id AS "actorUserId", workspace_id AS "workspaceId", target, detail, ip FROM audit_events ORDER BY id`);

/** The actions of the page's rows, in the order shown. */
function shownActions(html: string): string[] {
  return [...html.matchAll(/<tr data-action="([^"]+)"/g)].map((m) => m[1]);
}

function postFrom(client: HttpClient, path: string, form: Record<string, string>, address: string) {
  return client.request(path, { method: "POST", body: new URLSearchParams(form), headers: { "X-Forwarded-For": address } });
}

beforeAll(async () => {
  const ana = await makeUser("ana@audit.test", "Ana");
  const marta = await makeUser("marta@audit.test", "Marta");
  const outsider = await makeUser("out@audit.test", "Otto");
  adminId = ana.id;
  managerId = marta.id;
  outsiderId = outsider.id;
  ws = (await makeWorkspace("audited", ana.id)).id;
  await makeWorkspace("elsewhere", outsider.id);
  await addMember("audited", marta.id, "manager");
  server = await startServer(dbFile, { TRUST_PROXY: "1" });
  admin = new HttpClient(server.url);
}, 120_000);

afterAll(async () => {
  await server?.stop();
  removeDatabase(dbFile);
});

describe("what is recorded", () => {
  it("records sign-ins, successful or not, with the client's address; an unknown e-mail is not kept", async () => {
    expect((await postFrom(admin, "/login", { email: "ana@audit.test", password: PASSWORD }, "203.0.113.7")).status).toBe(302);
    const stranger = new HttpClient(server.url);
    expect((await postFrom(stranger, "/login", { email: "marta@audit.test", password: "not-her-password" }, "198.51.100.1")).status).toBe(400);
    expect((await postFrom(stranger, "/login", { email: "ghost@audit.test", password: "whatever" }, "198.51.100.2")).status).toBe(400);
    await new HttpClient(server.url).signIn("out@audit.test", PASSWORD);

    const lines = await events();
    expect(lines).toContainEqual(expect.objectContaining({ action: "auth.sign_in", actorUserId: adminId, workspaceId: null, target: "ana@audit.test", ip: "203.0.113.7" }));
    expect(lines).toContainEqual(expect.objectContaining({ action: "auth.sign_in_failed", actorUserId: managerId, target: "marta@audit.test", ip: "198.51.100.1" }));
    expect(lines).toContainEqual(expect.objectContaining({ action: "auth.sign_in_failed", actorUserId: null, target: null, ip: "198.51.100.2" }));
    expect(lines).toContainEqual(expect.objectContaining({ action: "auth.sign_in", actorUserId: outsiderId }));
    expect(JSON.stringify(lines)).not.toContain("ghost@audit.test");
  });

  it("records membership changes: invited, added, joined, role changed, removed, invitation withdrawn", async () => {
    expect((await admin.post("/w/audited/members", { intent: "invite", email: "newbie@audit.test", role: "designer" })).status).toBe(200);
    expect((await admin.post("/w/audited/members", { intent: "invite", email: "out@audit.test", role: "manager" })).status).toBe(200);
    // Newbie signs up with the invited e-mail and joins.
    const newbie = new HttpClient(server.url);
    expect((await newbie.post("/signup", { name: "Newbie", email: "newbie@audit.test", password: "a-long-password-1" })).status).toBe(302);
    const [{ id: newbieId }] = await rows<{ id: number }>(sql`SELECT id FROM users WHERE email = 'newbie@audit.test'`);
    expect((await admin.post("/w/audited/members", { intent: "role", userId: String(newbieId), role: "manager" })).status).toBe(200);
    expect((await admin.post("/w/audited/members", { intent: "remove", userId: String(outsiderId) })).status).toBe(200);
    // Removing someone who is no member records nothing (and never names them).
    expect((await admin.post("/w/audited/members", { intent: "remove", userId: String(outsiderId) })).status).toBe(200);
    expect((await admin.post("/w/audited/members", { intent: "invite", email: "later@audit.test", role: "designer" })).status).toBe(200);
    const [{ id: inviteId }] = await rows<{ id: number }>(sql`SELECT id FROM member_invites WHERE email = 'later@audit.test'`);
    expect((await admin.post("/w/audited/members", { intent: "revokeInvite", inviteId: String(inviteId) })).status).toBe(200);

    const lines = (await events()).filter((e) => e.workspaceId === ws && e.action.startsWith("member."));
    expect(lines.map((e) => [e.action, e.target, e.actorUserId])).toEqual([
      ["member.invited", "newbie@audit.test", adminId],
      ["member.added", "out@audit.test", adminId],
      ["member.joined", "newbie@audit.test", newbieId],
      ["member.role_changed", "newbie@audit.test", adminId],
      ["member.removed", "out@audit.test", adminId],
      ["member.invited", "later@audit.test", adminId],
      ["member.invite_revoked", "later@audit.test", adminId],
    ]);
    expect(JSON.parse(lines[3].detail!)).toEqual({ role: "manager" });
  });

  it("records API tokens created and revoked, by name, never the secret", async () => {
    const created = await admin.post("/w/audited/tokens", { intent: "create", name: "CRM sync" });
    expect(created.status).toBe(200);
    const [token] = await rows<{ id: number; prefix: string }>(sql`SELECT id, prefix FROM api_tokens WHERE name = 'CRM sync'`);
    expect((await admin.post("/w/audited/tokens", { intent: "revoke", id: String(token.id) })).status).toBe(200);
    const lines = (await events()).filter((e) => e.action.startsWith("token."));
    expect(lines.map((e) => [e.action, e.target])).toEqual([
      ["token.created", `CRM sync (${token.prefix}…)`],
      ["token.revoked", `CRM sync (${token.prefix}…)`],
    ]);
    const [{ hash }] = await rows<{ hash: string }>(sql`SELECT token_hash AS hash FROM api_tokens WHERE id = ${token.id}`);
    expect(JSON.stringify(lines)).not.toContain(hash);
  });

  it("records settings changed, with what was submitted, and nothing for a refused change", async () => {
    expect((await admin.post("/w/audited/settings", { intent: "minN", minN: "12" })).status).toBe(200);
    expect((await admin.post("/w/audited/settings", { intent: "minN", minN: "1" })).status).toBe(400);
    const form = new URLSearchParams({ intent: "endpoint-create", url: "https://example.com/hooks/vivencia", description: "BI" });
    form.append("events", "case.opened");
    form.append("events", "case.updated");
    expect((await admin.request("/w/audited/settings", { method: "POST", body: form })).status).toBe(200);
    const lines = (await events()).filter((e) => e.action === "settings.changed");
    expect(lines.map((e) => [e.target, JSON.parse(e.detail!)])).toEqual([
      ["minN", { minN: "12" }],
      ["endpoint-create", { url: "https://example.com/hooks/vivencia", description: "BI", events: ["case.opened", "case.updated"] }],
    ]);
  });

  it("records sign-outs", async () => {
    const marta = new HttpClient(server.url);
    await marta.signIn("marta@audit.test", PASSWORD);
    expect((await marta.post("/logout", {})).status).toBe(302);
    expect((await events()).at(-1)).toMatchObject({ action: "auth.sign_out", actorUserId: managerId });
  });
});

describe("the audit page", () => {
  it("shows the workspace's events and its members' sign-ins, newest first, to admins only", async () => {
    const res = await admin.get("/w/audited/audit");
    expect(res.status).toBe(200);
    const shown = shownActions(await res.text());
    // What the database holds for this workspace and its current members, newest first.
    const members = new Set([adminId, managerId]);
    const expected = (await events())
      .filter((e) => e.workspaceId === ws || (e.workspaceId === null && e.actorUserId !== null && members.has(e.actorUserId) && e.action.startsWith("auth.")))
      .map((e) => e.action)
      .reverse();
    expect(shown.length).toBeGreaterThan(10);
    expect(shown).toEqual(expected.slice(0, 50));
    // The outsider's sign-in (not a member now) and the unknown e-mail's failure are not shown.
    expect(shown.filter((a) => a === "auth.sign_in")).toHaveLength(2);
    expect(shown.filter((a) => a === "auth.sign_in_failed")).toHaveLength(1);

    const manager = new HttpClient(server.url);
    await manager.signIn("marta@audit.test", PASSWORD);
    expect((await manager.get("/w/audited/audit")).status).toBe(403);
  });

  it("filters by action and pages with a cursor", async () => {
    const filtered = shownActions(await (await admin.get("/w/audited/audit?action=member.invited")).text());
    expect(filtered).toEqual(["member.invited", "member.invited"]);
    // An action that is not one falls back to every action, never an error.
    expect((await admin.get("/w/audited/audit?action=drop%20table")).status).toBe(200);

    const first = await listAudit(ws, { limit: 3 });
    expect(first.rows).toHaveLength(3);
    const second = await listAudit(ws, { limit: 3, before: first.nextBefore! });
    expect(second.rows.every((r) => r.id < first.rows[2].id)).toBe(true);
    const all = await listAudit(ws, { limit: 1000 });
    expect([...first.rows, ...second.rows].map((r) => r.id)).toEqual(all.rows.slice(0, 6).map((r) => r.id));
    const older = shownActions(await (await admin.get(`/w/audited/audit?before=${first.rows[2].id}`)).text());
    expect(older).toEqual(all.rows.slice(3, 53).map((r) => r.action));
  });

  it("shows another workspace nothing of this one", async () => {
    const otto = new HttpClient(server.url);
    await otto.signIn("out@audit.test", PASSWORD);
    const shown = shownActions(await (await otto.get("/w/elsewhere/audit")).text());
    expect(shown.every((a) => a.startsWith("auth."))).toBe(true);
    expect((await otto.get("/w/audited/audit")).status).toBe(404);
  });
});
