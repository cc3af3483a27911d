// The experience home and targets over real HTTP against the built server. A planted story (Premium
// customers disappointed at the card courier) must lead the workspace's first page with no filter
// set, with the n and interval recomputed here from the raw measurement rows; targets are created,
// changed and deleted through the page's form, bad input gets a 400 with a message, another
// workspace's target a 404, and a target shows on the gap table and, when missed, on the home page.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { rows } from "#db/client";
import { DEFAULT_DAYS } from "~/cem/insights-filters";
import { meanInterval, momentsOf } from "~/cem/statistics";
import { formatInterval, formatNumber } from "~/i18n/format";
import { listTargets } from "~/data/targets.server";
import { freshDatabasePath, removeDatabase } from "../support/database";
import { PASSWORD, addMember, makeUser, makeWorkspace } from "../support/fixtures";
import { STORY_PROCESS, STORY_TOUCHPOINT, plantPremiumStory } from "../support/home-fixtures";
import { HttpClient } from "../support/http-client";
import { seedInsights } from "../support/insights-fixtures";
import { startServer, type RunningServer } from "../support/server";

const dbFile = freshDatabasePath("home");
let server: RunningServer;
let wsA: number;
let wsB: number;
const today = new Date().toISOString().slice(0, 10);

beforeAll(async () => {
  const alice = await makeUser("alice@a.test");
  const bob = await makeUser("bob@b.test");
  const max = await makeUser("max@a.test");
  const a = await makeWorkspace("brand-a", alice.id);
  const b = await makeWorkspace("brand-b", bob.id);
  wsA = a.id;
  wsB = b.id;
  await addMember("brand-a", max.id, "manager");
  const fixture = await seedInsights(a.id, { seed: 5, endDay: today, days: 60, perTouchpoint: 30, customers: 45 });
  await plantPremiumStory(fixture, { count: 30, days: 50 });
  await seedInsights(b.id, { seed: 6, endDay: today, days: 60, perTouchpoint: 3, customers: 6 });
  server = await startServer(dbFile);
}, 240_000);

afterAll(async () => {
  await server?.stop();
  removeDatabase(dbFile);
});

async function as(email: string) {
  const client = new HttpClient(server.url);
  await client.signIn(email, PASSWORD);
  return client;
}

/** The Premium mean gap at the story's touchpoint over the home's window, from the raw rows. */
async function premiumGapFromRawRows() {
  const from = Date.parse(`${today}T00:00:00Z`) - (DEFAULT_DAYS - 1) * 86_400_000;
  const found = await rows<{ responseId: number; kind: string; attribute: string; value: number }>(
    sql`select m.response_id as "responseId", m.kind, m.attribute_key as attribute, m.value
          from measurements m join responses r on r.id = m.response_id join touchpoints t on t.id = r.touchpoint_id
         where r.workspace_id = ${wsA} and t.key = ${STORY_TOUCHPOINT} and r.tier = 'premium'
           and m.kind in ('perception', 'expectation') and m.attribute_key <> ''`,
  );
  const recent = await rows<{ id: number; completedAt: number }>(
    sql`select r.id, r.completed_at as "completedAt" from responses r join touchpoints t on t.id = r.touchpoint_id
         where r.workspace_id = ${wsA} and t.key = ${STORY_TOUCHPOINT} and r.tier = 'premium'`,
  );
  const inWindow = new Set(recent.filter((r) => Number(r.completedAt) >= from).map((r) => r.id));
  const byResponse = new Map<number, Map<string, { p?: number; e?: number }>>();
  for (const m of found) {
    if (!inWindow.has(m.responseId)) continue;
    const attrs = byResponse.get(m.responseId) ?? new Map();
    byResponse.set(m.responseId, attrs);
    const pair = attrs.get(m.attribute) ?? {};
    if (m.kind === "perception") pair.p = Number(m.value);
    else pair.e = Number(m.value);
    attrs.set(m.attribute, pair);
  }
  // One value per response: the mean of its own paired gaps (the response is the unit of analysis).
  const gaps = [...byResponse.values()].flatMap((attrs) => {
    const d = [...attrs.values()].filter((x) => x.p !== undefined && x.e !== undefined).map((x) => x.p! - x.e!);
    return d.length ? [d.reduce((s, x) => s + x, 0) / d.length] : [];
  });
  return meanInterval(momentsOf(gaps));
}

describe("the experience home", () => {
  it("leads with the planted Premium card-delivery story, with no filter set, with its n and interval", async () => {
    const max = await as("max@a.test");
    const res = await max.get("/w/brand-a");
    expect(res.status).toBe(200);
    const html = await res.text();
    const tiers = html.slice(html.indexOf('data-testid="home-tiers"'), html.indexOf('data-testid="home-changes"'));
    // The first tier finding is Premium at the card-delivery process.
    const first = tiers.match(/data-unit="([^"]+)" data-tier="([^"]+)"/);
    expect(first?.slice(1)).toEqual([`process:${STORY_PROCESS}`, "premium"]);
    const expected = await premiumGapFromRawRows();
    expect(expected.n).toBeGreaterThanOrEqual(30);
    const shown = `${formatNumber(expected.mean, "gap", "es")} ${formatInterval(expected.lo, expected.hi, "gap", "es")} n=${expected.n}`;
    expect(tiers).toContain(shown);
    // One click to the evidence: the process table for Premium over the same window.
    expect(tiers).toMatch(new RegExp(`href="/w/brand-a/insights\\?from=\\d{4}-\\d\\d-\\d\\d&amp;to=${today}&amp;by=process&amp;tier=premium"`));
    // The page says, in plain words, that it controls the false discovery rate and over how many tests.
    expect(html).toMatch(/Benjamini–Hochberg, q = 0,05\) sobre las \d+ comparaciones/);
    expect(res.headers.get("Server-Timing")).toMatch(/home;dur=/);
  });

  it("shows the worst gaps and the overdue cases, and keeps the model's counters", async () => {
    const max = await as("max@a.test");
    const html = await (await max.get("/w/brand-a")).text();
    const worst = html.slice(html.indexOf('data-testid="home-worst-process"'), html.indexOf('data-testid="home-worst-touchpoint"'));
    expect(worst).toMatch(/n=\d+/);
    expect(html).toContain('data-testid="home-overdue"');
    expect(html).toContain("home-counters");
  });

  it("names processes and touchpoints in the reader's language, on the home and in the gap tables", async () => {
    const max = await as("max@a.test");
    const english = { "Accept-Language": "en" };
    const home = await (await max.get("/w/brand-a", english)).text();
    expect(home).toContain("Card delivery by courier");
    expect(home).not.toContain("Entrega de la tarjeta por mensajería");
    const table = await (await max.get("/w/brand-a/insights?by=touchpoint", english)).text();
    expect(table).toContain("Card delivery by courier");
    expect(table).not.toContain("Entrega de la tarjeta por mensajería");
    const spanish = await (await max.get("/w/brand-a/insights?by=process", { "Accept-Language": "es" })).text();
    expect(spanish).toContain("Entrega de tarjeta");
  });

  it("answers 404 for another workspace's home", async () => {
    const alice = await as("alice@a.test");
    expect((await alice.get("/w/brand-b")).status).toBe(404);
  });
});

describe("targets", () => {
  it("a manager sets one; the gap table shows it and, missed, the home page lists it", async () => {
    const max = await as("max@a.test");
    const created = await max.post("/w/brand-a/insights/targets", { intent: "create", for: `process:${STORY_PROCESS}`, metric: "gap", value: "0", fromDay: "" });
    expect(created.status).toBe(302);
    expect(created.headers.get("Location")).toBe("/w/brand-a/insights/targets?saved=1");
    const [target] = await listTargets(wsA);
    expect(target).toMatchObject({ unit: "process", unitKey: STORY_PROCESS, metric: "gap", value: 0, fromDay: null });

    const table = await (await max.get("/w/brand-a/insights?by=process")).text();
    const row = table.slice(table.indexOf(`data-unit="${STORY_PROCESS}"`));
    expect(row.slice(0, row.indexOf("</tr>"))).toContain('data-target-metric="gap" data-target-status="below"');

    const home = await (await max.get("/w/brand-a")).text();
    const missed = home.slice(home.indexOf('data-testid="home-targets"'));
    expect(missed.slice(0, missed.indexOf("</section>"))).toContain(`data-unit="process:${STORY_PROCESS}"`);
  });

  it("changes and deletes a target", async () => {
    const max = await as("max@a.test");
    const [target] = await listTargets(wsA);
    const changed = await max.post("/w/brand-a/insights/targets", { intent: "update", id: String(target.id), for: `touchpoint:${STORY_TOUCHPOINT}`, metric: "csat", value: "80", fromDay: "2026-01-01" });
    expect(changed.status).toBe(302);
    expect(await listTargets(wsA)).toMatchObject([{ id: target.id, unit: "touchpoint", unitKey: STORY_TOUCHPOINT, metric: "csat", value: 0.8, fromDay: "2026-01-01" }]);
    const deleted = await max.post("/w/brand-a/insights/targets", { intent: "delete", id: String(target.id) });
    expect(deleted.status).toBe(302);
    expect(await listTargets(wsA)).toEqual([]);
  });

  it("refuses bad input with 400 and a message a person can act on, writing nothing", async () => {
    const max = await as("max@a.test");
    const cases: [Record<string, string>, RegExp][] = [
      [{ for: `process:${STORY_PROCESS}`, metric: "nps", value: "150" }, /entre −100 y 100/],
      [{ for: `process:${STORY_PROCESS}`, metric: "gap", value: "a lot" }, /Escriba un número/],
      [{ for: "process:no-such-process", metric: "gap", value: "0" }, /no tiene un proceso con esa clave/],
      [{ for: `attribute:${STORY_TOUCHPOINT}/punctuality`, metric: "nps", value: "0" }, /solo llevan un objetivo de brecha/],
      [{ for: `process:${STORY_PROCESS}`, metric: "gap", value: "0", fromDay: "2026-13-01" }, /aaaa-mm-dd/],
      [{ for: "", metric: "gap", value: "0" }, /Elija para qué es el objetivo/],
    ];
    for (const [form, message] of cases) {
      const res = await max.post("/w/brand-a/insights/targets", { intent: "create", ...form });
      expect(res.status, JSON.stringify(form)).toBe(400);
      expect(await res.text()).toMatch(message);
    }
    expect(await listTargets(wsA)).toEqual([]);
  });

  it("keeps each workspace's targets to itself: another workspace's id is 404", async () => {
    const bob = await as("bob@b.test");
    const max = await as("max@a.test");
    await max.post("/w/brand-a/insights/targets", { intent: "create", for: `process:${STORY_PROCESS}`, metric: "nps", value: "10" });
    const [target] = await listTargets(wsA);
    const update = await bob.post("/w/brand-b/insights/targets", { intent: "update", id: String(target.id), for: `process:${STORY_PROCESS}`, metric: "nps", value: "-50" });
    expect(update.status).toBe(404);
    const remove = await bob.post("/w/brand-b/insights/targets", { intent: "delete", id: String(target.id) });
    expect(remove.status).toBe(404);
    // A member of A is not a member of B: B's page is 404 to them, and A's to bob.
    expect((await max.get("/w/brand-b/insights/targets")).status).toBe(404);
    expect((await bob.post("/w/brand-a/insights/targets", { intent: "delete", id: String(target.id) })).status).toBe(404);
    expect(await listTargets(wsA)).toMatchObject([{ id: target.id, value: 10 }]);
    expect(await listTargets(wsB)).toEqual([]);
  });
});
