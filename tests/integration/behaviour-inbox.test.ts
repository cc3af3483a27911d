// The behaviour link that controls for the customer, and the response inbox, over real HTTP against
// the built server (and on PostgreSQL in that pass). Planted data: Premium customers buy more and are
// mostly the disappointed ones; a disappointment costs Premium 100 and Generic 20 of spend in the 30
// days after, so the naive after-only view says "the disappointed spend more" while the difference in
// differences recovers the drop. The inbox: a response's own page, every filter, the comment search.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { getDb, rows } from "#db/client";
import { cases, crmEvents } from "#db/schema/index";
import { behaviourChange } from "~/cem/behaviour-change";
import { behaviourLink } from "~/cem/insights-behaviour";
import { behaviourWindows } from "~/data/behaviour-change.server";
import { updateWorkspaceLocale, updateWorkspaceSettings } from "~/data/workspaces.server";
import { formatDateTime } from "~/i18n/format";
import { freshDatabasePath, removeDatabase } from "../support/database";
import { PASSWORD, addMember, importSample, makeUser, makeWorkspace } from "../support/fixtures";
import { HttpClient } from "../support/http-client";
import { startServer, type RunningServer } from "../support/server";
import { makeCustomer, makeInvitation, makeSurveyFixture, ratingAnswers, recordFixtureAnswers, type SurveyFixture } from "../support/survey-fixtures";

const dbFile = freshDatabasePath("behaviour-inbox");
const DAY = 86_400_000;
const TOUCHPOINT = "bank-branch-welcome";
const now = Date.now();
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
// Noon UTC, so the minutes between planted responses never cross into another day.
const noon = (daysAgo: number) => Date.parse(`${dayOf(now - daysAgo * DAY)}T12:00:00Z`);
const PREMIUM_AT = noon(120);
const GENERIC_AT = noon(110);
const FROM = dayOf(now - 200 * DAY);
const TO = dayOf(now);

let server: RunningServer;
let wsA: number;
let fixture: SurveyFixture;
const ids = { premiumBelow: [] as number[], invited: 0, otherWorkspace: 0 };

type Planted = { tier: "premium" | "generic"; below: boolean; nps: number; comment?: string; lang: "es" | "en" };

/** Purchases (occurredAt offset in days from the response, amount) planted around each response. */
function purchases(p: Planted, i: number): [number, number][] {
  // Far outside the 30-day windows: must not count on either side.
  const outside: [number, number][] = [[-45, 1000], [45, 1000]];
  if (p.tier === "premium") {
    const before: [number, number][] = [[-25, 100], [-18, 100], [-10, 100], [-3, 100]];
    const after: [number, number][] = p.below ? [[5, 100], [12, 100], [20, i % 2 ? 80 : 120]] : [[5, 100], [12, 100], [20, 100], [27, i % 2 ? 90 : 110]];
    return [...outside, ...before, ...after];
  }
  const before: [number, number][] = [[-10, 20]];
  const after: [number, number][] = p.below ? [] : [[15, i % 2 ? 10 : 30]];
  return [...outside, ...before, ...after];
}

async function record(ws: number, survey: SurveyFixture, customer: string | null, p: Planted, at: number, invitationId?: number) {
  const answers = ratingAnswers(
    survey.json,
    (min, max, name) => (name === "nps" ? p.nps : name.endsWith("__expectation") ? 6 : name.endsWith("__perception") ? (p.below ? 3 : 6) : Math.round((min + max) / 2)),
    p.comment,
  );
  const result = await recordFixtureAnswers(survey, answers, {
    customerExternalId: invitationId ? null : customer,
    invitationId: invitationId ?? null,
    lang: p.lang,
    completedAt: new Date(at),
    answers,
  });
  if (result.status !== "recorded") throw new Error(`not recorded: ${JSON.stringify(result)}`);
  return result.id;
}

beforeAll(async () => {
  const alice = await makeUser("alice@a.test");
  const marta = await makeUser("marta@a.test");
  const bob = await makeUser("bob@b.test");
  const a = await makeWorkspace("brand-a", alice.id);
  const b = await makeWorkspace("brand-b", bob.id);
  wsA = a.id;
  await addMember("brand-a", marta.id, "manager");
  await updateWorkspaceSettings(a.id, { minN: 4 });
  await importSample(a.id);
  await importSample(b.id);
  fixture = await makeSurveyFixture(a.id, { touchpointKey: TOUCHPOINT, build: { template: "gap_pair", nps: true, csat: true, comment: true } });
  const events: (typeof crmEvents.$inferInsert)[] = [];
  const plan: (Planted & { n: number })[] = [
    { tier: "premium", below: true, nps: 3, comment: "La entrega llegó tarde", lang: "es", n: 12 },
    { tier: "premium", below: false, nps: 9, comment: "Personal muy amable", lang: "en", n: 6 },
    { tier: "generic", below: true, nps: 7, comment: "Nobody told me about the delay", lang: "en", n: 4 },
    { tier: "generic", below: false, nps: 10, lang: "es", n: 12 },
  ];
  let k = 0;
  for (const group of plan) {
    for (let i = 0; i < group.n; i++, k++) {
      const external = `${group.tier}-${group.below ? "below" : "above"}-${i}`;
      const customerId = await makeCustomer(a.id, external, group.tier, `Cliente ${external}`);
      const at = (group.tier === "premium" ? PREMIUM_AT : GENERIC_AT) + k * 60_000;
      // Half the disappointed Premium comments mention the delivery; the rest say nothing.
      const planted = { ...group, comment: group.tier === "premium" && group.below && i % 2 ? undefined : group.comment };
      const id = await record(a.id, fixture, external, planted, at);
      if (group.tier === "premium" && group.below) ids.premiumBelow.push(id);
      purchases(group, i).forEach(([offset, amount], j) =>
        events.push({ workspaceId: a.id, customerId, dedupeKey: `p:${external}:${j}`, type: "purchase", occurredAt: new Date(at + offset * DAY), amount, currency: "EUR" }),
      );
    }
  }
  // One answer through a personal invitation, recent (its window is still open: not in the behaviour).
  const invitee = await makeCustomer(a.id, "invitee", "regular", "Irene Invitada");
  const invitation = await makeInvitation(fixture, invitee);
  ids.invited = await record(a.id, fixture, null, { tier: "generic", below: true, nps: 2, comment: "Otra entrega tarde", lang: "es" }, now - DAY, invitation.id);
  await getDb().insert(crmEvents).values(events);
  // Another workspace with the same word in a comment: never found from brand-a.
  const other = await makeSurveyFixture(b.id, { touchpointKey: TOUCHPOINT, build: { template: "gap_pair", nps: true, comment: true } });
  await makeCustomer(b.id, "b-1", "premium");
  ids.otherWorkspace = await record(b.id, other, "b-1", { tier: "premium", below: true, nps: 1, comment: "entrega perdida", lang: "es" }, now - 5 * DAY);
  server = await startServer(dbFile);
}, 180_000);

afterAll(async () => {
  await server?.stop();
  removeDatabase(dbFile);
});

// One session per person: sign-in is rate limited.
const sessions = new Map<string, HttpClient>();
async function signedIn(email: string) {
  const known = sessions.get(email);
  if (known) return known;
  const client = new HttpClient(server.url);
  await client.signIn(email, PASSWORD);
  sessions.set(email, client);
  return client;
}

const filterQuery = `from=${FROM}&to=${TO}`;
const responseIds = (html: string) => [...html.matchAll(/data-response="(\d+)"/g)].map((m) => Number(m[1]));

describe("behaviour link on planted data", () => {
  it("recovers the drop after a disappointment within each tier and overall; the naive view is biased", async () => {
    const filter = { from: FROM, to: TO, journey: null, tier: null, channel: null, lang: null };
    const read = await behaviourWindows(wsA, fixture.touchpoint.id, filter, 30);
    // 34 planted responses; the invitation's is too recent for a closed 30-day window.
    expect(read.rows).toHaveLength(34);
    const change = behaviourChange(read.rows, ["premium", "regular", "generic", ""], 4);
    const premium = change.byTier.find((t) => t.tier === "premium")!;
    const generic = change.byTier.find((t) => t.tier === "generic")!;
    expect(premium.spend.did.status === "ok" && premium.spend.did.value.difference).toBeCloseTo(-100, 9);
    expect(premium.spend.below.meanBefore).toBeCloseTo(400, 9);
    expect(premium.spend.below.meanAfter).toBeCloseTo(300, 9);
    expect(generic.spend.did.status === "ok" && generic.spend.did.value.difference).toBeCloseTo(-20, 9);
    expect(premium.purchases.did.status === "ok" && premium.purchases.did.value.difference).toBeCloseTo(-1, 9);
    // Tier shares 18/34 and 16/34: (18·(−100) + 16·(−20)) / 34.
    const overall = change.overall.spend;
    expect(overall.status === "ok" && overall.value.estimate).toBeCloseTo((18 * -100 + 16 * -20) / 34, 9);
    expect(overall.status === "ok" && overall.value.hi).toBeLessThan(0);
    // After-only: below (12·300 + 4·0)/16 = 225, at/above (6·400 + 12·20)/18 = 146.67: "they spend more".
    const naive = behaviourLink(read.rows.map((r) => ({ gap: r.gap, purchases: r.purchasesAfter, spend: r.spendAfter, tier: r.tier })), 4);
    expect(naive.spendDifference.status === "ok" && naive.spendDifference.value.difference).toBeCloseTo(225 - 2640 / 18, 9);
  });

  it("shows both on the page, the naive one labelled as such, in both languages", async () => {
    const marta = await signedIn("marta@a.test");
    const en = await marta.get(`/w/brand-a/insights/behaviour?touchpoint=${TOUCHPOINT}&window=30&${filterQuery}&lang=en`);
    expect(en.status).toBe(200);
    const html = await en.text();
    expect(html).toContain("Naive comparison — mixes who the customer is with what they experienced");
    expect(html).toContain("Change in behaviour (difference in differences)");
    const spendTable = html.slice(html.indexOf('data-testid="did-spend"'));
    expect(/data-stratum="overall".*?<\/tr>/s.exec(spendTable)?.[0] ?? "").toMatch(/[-−]62\.35/);
    // Purchases: one fewer in both tiers, without spread in this planted data.
    const purchasesTable = html.slice(html.indexOf('data-testid="did-purchases"'));
    expect(/data-stratum="overall".*?<\/tr>/s.exec(purchasesTable)?.[0] ?? "").toMatch(/[-−]1\.00/);
    const es = await marta.get(`/w/brand-a/insights/behaviour?touchpoint=${TOUCHPOINT}&window=30&${filterQuery}&lang=es`);
    expect(await es.text()).toContain("Comparación ingenua — mezcla quién es el cliente con lo que vivió");
  });

  it("withholds below the minimum n and says so", async () => {
    await updateWorkspaceSettings(wsA, { minN: 20 });
    try {
      const marta = await signedIn("marta@a.test");
      const html = await (await marta.get(`/w/brand-a/insights/behaviour?touchpoint=${TOUCHPOINT}&window=30&${filterQuery}&lang=en`)).text();
      const overallRow = /data-stratum="overall".*?<\/tr>/s.exec(html)?.[0] ?? "";
      expect(overallRow).toContain("n&lt;20");
      expect(overallRow).not.toMatch(/62\.35/);
    } finally {
      await updateWorkspaceSettings(wsA, { minN: 4 });
    }
  });
});

describe("a response on its own page", () => {
  it("shows the answers with their titles, the comment, the customer, the tier at the time, the case", async () => {
    const id = ids.premiumBelow[0];
    const existing = await rows<{ id: number }>(sql`select id from cases where response_id = ${id}`);
    const caseId =
      existing[0]?.id ??
      (
        await getDb()
          .insert(cases)
          .values({ workspaceId: wsA, responseId: id, tier: "premium", reasons: [{ rule: "detractor", detail: "NPS 3" }], openedAt: new Date(), dueAt: new Date(now + DAY), updatedAt: new Date() })
          .returning({ id: cases.id })
      )[0].id;
    const marta = await signedIn("marta@a.test");
    const res = await marta.get(`/w/brand-a/insights/responses/${id}?lang=en`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("La entrega llegó tarde");
    expect(html).toContain("Cliente premium-below-0");
    expect(/data-testid="response-tier"[^>]*>Premium</.test(html)).toBe(true);
    expect(html).toContain(`/w/brand-a/cases/${caseId}`);
    // The NPS question's English title, and its answer.
    const npsRow = /data-question="nps".*?<\/tr>/s.exec(html)?.[0] ?? "";
    expect(npsRow).toMatch(/recommend/i);
    expect(npsRow).toContain(">3<");
    const es = await (await marta.get(`/w/brand-a/insights/responses/${id}?lang=es`)).text();
    expect(/data-question="nps".*?<\/tr>/s.exec(es)?.[0] ?? "").toMatch(/recomiende/i);
  });

  it("writes its date in the workspace's time zone, named, the same in the list", async () => {
    const id = ids.premiumBelow[0];
    const [{ completedAt }] = await rows<{ completedAt: number | string | Date }>(sql`select completed_at as "completedAt" from responses where id = ${id}`);
    const at = completedAt instanceof Date ? completedAt : new Date(typeof completedAt === "string" && /^\d+$/.test(completedAt) ? Number(completedAt) : completedAt);
    await updateWorkspaceLocale(wsA, { timeZone: "America/Lima", currency: "PEN" });
    try {
      const marta = await signedIn("marta@a.test");
      const html = await (await marta.get(`/w/brand-a/insights/responses/${id}?lang=es`)).text();
      expect(html).toContain(formatDateTime(at, { lang: "es", timeZone: "America/Lima" }));
      expect(html).toContain("(America/Lima)");
      expect(html).not.toContain(formatDateTime(at, { lang: "es", timeZone: "UTC" }));
    } finally {
      await updateWorkspaceLocale(wsA, { timeZone: "UTC", currency: "EUR" });
    }
  });

  it("shows the invitation a response came from", async () => {
    const alice = await signedIn("alice@a.test");
    const html = await (await alice.get(`/w/brand-a/insights/responses/${ids.invited}?lang=en`)).text();
    const invitation = /data-testid="response-invitation".*?<\/dd>/s.exec(html)?.[0] ?? "";
    expect(invitation).toContain("Completed");
    expect(invitation).toContain("/w/brand-a/outbox");
    expect(html).toContain("Irene Invitada");
  });

  it("answers 404 for another workspace's response and for a malformed id", async () => {
    const marta = await signedIn("marta@a.test");
    expect((await marta.get(`/w/brand-a/insights/responses/${ids.otherWorkspace}`)).status).toBe(404);
    expect((await marta.get(`/w/brand-a/insights/responses/abc`)).status).toBe(404);
  });
});

describe("the inbox's filters", () => {
  const list = async (query: string) => {
    const marta = await signedIn("marta@a.test");
    const res = await marta.get(`/w/brand-a/insights/responses?touchpoint=${TOUCHPOINT}&${filterQuery}&${query}`);
    return { status: res.status, html: await res.text() };
  };

  it("each filter narrows to exactly the planted responses", async () => {
    expect(responseIds((await list("")).html)).toHaveLength(35);
    expect(responseIds((await list("nps=detractor")).html)).toHaveLength(13);
    expect(responseIds((await list("nps=passive")).html)).toHaveLength(4);
    expect(responseIds((await list("nps=promoter")).html)).toHaveLength(18);
    expect(responseIds((await list("below=1")).html)).toHaveLength(17);
    expect(responseIds((await list("comment=1")).html)).toHaveLength(6 + 6 + 4 + 1);
    expect(responseIds((await list("tier=generic")).html)).toHaveLength(16);
    expect(responseIds((await list("surveyLang=en")).html)).toHaveLength(10);
    const day = dayOf(GENERIC_AT);
    const marta = await signedIn("marta@a.test");
    const byDay = await marta.get(`/w/brand-a/insights/responses?touchpoint=${TOUCHPOINT}&from=${day}&to=${day}`);
    expect(responseIds(await byDay.text())).toHaveLength(16);
    // Combined: disappointed Premium who commented.
    expect(responseIds((await list("tier=premium&below=1&comment=1")).html)).toHaveLength(6);
  });

  it("links every row to its own page, and the filters survive in the link back", async () => {
    const { html } = await list("nps=detractor");
    const link = /href="(\/w\/brand-a\/insights\/responses\/\d+\?back=[^"]+)"/.exec(html)?.[1];
    expect(link).toBeDefined();
    expect(decodeURIComponent(link!.replaceAll("&amp;", "&"))).toContain("nps=detractor");
  });

  it("refuses a bad filter value with a message, not a 500", async () => {
    const bad = await list("nps=angry");
    expect(bad.status).toBe(400);
    const noWord = await list(`q=${encodeURIComponent("!!!")}`);
    expect(noWord.status).toBe(400);
    expect(noWord.html).toContain("at least one word");
  });
});

describe("comment search", () => {
  const search = async (email: string, ws: string, q: string, extra = "") => {
    const client = await signedIn(email);
    const res = await client.get(`/w/${ws}/insights/responses?${filterQuery}&q=${encodeURIComponent(q)}${extra}`);
    expect(res.status).toBe(200);
    return responseIds(await res.text());
  };

  it("finds a word, by prefix and in any case, within the workspace only", async () => {
    const found = await search("marta@a.test", "brand-a", "entrega");
    // Six Premium comments and the invitation's ("Otra entrega tarde"); never brand-b's.
    expect(found).toHaveLength(7);
    expect(found).not.toContain(ids.otherWorkspace);
    expect(await search("marta@a.test", "brand-a", "ENTREG")).toHaveLength(7);
    expect(await search("marta@a.test", "brand-a", "entrega tarde")).toHaveLength(7);
    expect(await search("marta@a.test", "brand-a", "delay")).toHaveLength(4);
    expect(await search("marta@a.test", "brand-a", "inexistente")).toHaveLength(0);
    expect(await search("bob@b.test", "brand-b", "entrega")).toEqual([ids.otherWorkspace]);
    // Search and filters together.
    expect(await search("marta@a.test", "brand-a", "entrega", "&nps=detractor&tier=premium")).toHaveLength(6);
  });
});
