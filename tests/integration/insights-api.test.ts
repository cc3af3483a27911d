// Insights over real HTTP against the built server. The proof that rollups are right: the process
// and touchpoint tables the API reads from rollups equal a recomputation from the raw measurement
// rows. Also: values under the workspace's minimum n are withheld, tokens and URLs of another
// workspace get 401/404, every filter narrows like the raw rows do, CSV and drill-down agree.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { rows } from "#db/client";
import { meanInterval, nps as npsOf, csat as csatOf, wilson } from "~/cem/statistics";
import { createApiToken } from "~/data/api-tokens.server";
import { updateWorkspaceSettings } from "~/data/workspaces.server";
import { freshDatabasePath, removeDatabase } from "../support/database";
import { PASSWORD, addMember, importSample, makeUser, makeWorkspace } from "../support/fixtures";
import { HttpClient } from "../support/http-client";
import { BANK_JOURNEY, seedInsights } from "../support/insights-fixtures";
import { startServer, type RunningServer } from "../support/server";

const dbFile = freshDatabasePath("insights-api");
let server: RunningServer;
let tokenA: string;
let tokenB: string;
let wsA: number;
const today = new Date().toISOString().slice(0, 10);
const day = (offset: number) => new Date(Date.parse(`${today}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);
const SPARSE = "bank-chat-assistant";

beforeAll(async () => {
  const alice = await makeUser("alice@a.test");
  const bob = await makeUser("bob@b.test");
  const max = await makeUser("max@a.test");
  const a = await makeWorkspace("brand-a", alice.id);
  const b = await makeWorkspace("brand-b", bob.id);
  wsA = a.id;
  await addMember("brand-a", max.id, "manager");
  await seedInsights(a.id, { seed: 7, endDay: today, days: 60, perTouchpoint: 26, sparse: [SPARSE], sparseCount: 4, customers: 45 });
  await importSample(a.id, "telecom-installation-and-repair.json");
  await seedInsights(b.id, { seed: 8, endDay: today, days: 60, perTouchpoint: 3, customers: 6 });
  tokenA = await createApiToken(a.id, "bi", alice.id);
  tokenB = await createApiToken(b.id, "bi", bob.id);
  server = await startServer(dbFile);
}, 180_000);

afterAll(async () => {
  await server?.stop();
  removeDatabase(dbFile);
});

async function api(path: string, token: string | null = tokenA) {
  const res = await fetch(`${server.url}/api/v1/insights/${path}`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  return { status: res.status, body: (await res.json()) as any, headers: res.headers };
}

type Raw = { responseId: number; tp: string; process: string | null; channel: string; tier: string; lang: string; day: string; kind: string; attribute: string; value: number };

/** Every measurement of workspace A with its response's keys, straight from the rows. */
async function rawRows(): Promise<Raw[]> {
  // The day is taken from the instant here (UTC), the same on both engines: completed_at comes back
  // from rows() as epoch milliseconds on either.
  const found = await rows<Omit<Raw, "day"> & { completedAt: number }>(
    sql`select m.response_id as "responseId", t.key as tp, p.key as process, t.channel, r.tier, r.lang,
               r.completed_at as "completedAt", m.kind, m.attribute_key as attribute, m.value
          from measurements m join responses r on r.id = m.response_id join touchpoints t on t.id = r.touchpoint_id
          left join processes p on p.id = t.process_id where r.workspace_id = ${wsA}`,
  );
  return found.map(({ completedAt, ...row }) => ({ ...row, day: new Date(completedAt).toISOString().slice(0, 10) }));
}

/** The touchpoint-level numbers of a set of raw rows, computed without any rollup or app helper for sums. */
function recompute(rows: Raw[]) {
  const byResponse = new Map<number, Raw[]>();
  for (const r of rows) byResponse.set(r.responseId, [...(byResponse.get(r.responseId) ?? []), r]);
  const gaps: { p: number; e: number; d: number }[] = [];
  let promoters = 0, detractors = 0, npsN = 0, top2 = 0, csatN = 0;
  const cesValues: number[] = [];
  for (const ms of byResponse.values()) {
    const pairs = ms
      .filter((m) => m.kind === "perception" && m.attribute !== "")
      .flatMap((p) => {
        const e = ms.find((m) => m.kind === "expectation" && m.attribute === p.attribute);
        return e ? [{ p: p.value, e: e.value }] : [];
      });
    if (pairs.length) {
      const p = pairs.reduce((a, x) => a + x.p, 0) / pairs.length;
      const e = pairs.reduce((a, x) => a + x.e, 0) / pairs.length;
      gaps.push({ p, e, d: p - e });
    }
    for (const m of ms.filter((x) => x.attribute === "")) {
      if (m.kind === "nps") {
        npsN++;
        if (m.value >= 9) promoters++;
        else if (m.value <= 6) detractors++;
      }
      if (m.kind === "csat") {
        csatN++;
        if (m.value >= 4) top2++;
      }
      if (m.kind === "ces") cesValues.push(m.value);
    }
  }
  const n = gaps.length;
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const d = gaps.map((g) => g.d);
  const sd = n > 1 ? Math.sqrt(d.reduce((a, x) => a + (x - mean(d)) ** 2, 0) / (n - 1)) : null;
  const ci = meanInterval({ n, sum: d.reduce((a, b) => a + b, 0), sumSq: d.reduce((a, b) => a + b * b, 0) });
  return {
    n,
    meanP: n ? mean(gaps.map((g) => g.p)) : null,
    meanE: n ? mean(gaps.map((g) => g.e)) : null,
    meanGap: n ? mean(d) : null,
    sd,
    lo: ci.lo,
    hi: ci.hi,
    below: wilson(gaps.filter((g) => g.p < g.e).length, n),
    nps: npsOf({ n: npsN, promoters, detractors }),
    csat: csatOf({ n: csatN, top2 }),
    ces: cesValues.length ? meanInterval({ n: cesValues.length, sum: cesValues.reduce((a, b) => a + b, 0), sumSq: cesValues.reduce((a, b) => a + b * b, 0) }) : null,
  };
}

function expectRowMatches(row: any, expected: ReturnType<typeof recompute>, label: string) {
  expect(row.n, label).toBe(expected.n);
  expect(row.gap.status, label).toBe("ok");
  const g = row.gap.value;
  for (const [key, want] of [["meanP", expected.meanP], ["meanE", expected.meanE], ["meanGap", expected.meanGap], ["sdGap", expected.sd], ["lo", expected.lo], ["hi", expected.hi]] as const) {
    expect(g[key], `${label} ${key}`).toBeCloseTo(want as number, 9);
  }
  expect(row.below.value.p, `${label} below`).toBeCloseTo(expected.below.p as number, 12);
  expect(row.below.value.lo, `${label} below lo`).toBeCloseTo(expected.below.lo as number, 12);
  expect(row.nps.value.score, `${label} nps`).toBeCloseTo(expected.nps.score as number, 9);
  expect(row.nps.value.lo, `${label} nps lo`).toBeCloseTo(expected.nps.lo as number, 9);
  expect(row.nps.n, `${label} nps n`).toBe(expected.nps.n);
  if (expected.csat.n >= 10) expect(row.csat.value.share, `${label} csat`).toBeCloseTo(expected.csat.share as number, 12);
  else if (expected.csat.n > 0) expect(row.csat, `${label} csat`).toEqual({ status: "withheld", n: expected.csat.n, minN: 10 });
  else expect(row.csat, `${label} csat`).toBeNull();
  if (expected.ces && expected.ces.n >= 10) expect(row.ces.value.mean, `${label} ces`).toBeCloseTo(expected.ces.mean as number, 9);
  else if (expected.ces) expect(row.ces.status, `${label} ces`).toBe("withheld");
  else expect(row.ces, `${label} ces`).toBeNull();
}

describe("the tables read from rollups equal the raw measurement rows", () => {
  it("per process, over the whole window", async () => {
    const { status, body } = await api(`gaps?by=process&from=${day(-59)}&to=${today}`);
    expect(status).toBe(200);
    expect(body.workspace).toBe("brand-a");
    const raw = await rawRows();
    const processes = [...new Set(raw.map((r) => r.process))];
    expect(body.rows.map((r: any) => r.key).sort()).toEqual(processes.map((p) => p ?? "_none").sort());
    for (const row of body.rows) expectRowMatches(row, recompute(raw.filter((r) => (r.process ?? "_none") === row.key)), row.key);
    expectRowMatches(body.total, recompute(raw), "total");
    // Worst first.
    const gaps = body.rows.map((r: any) => r.gap.value.meanGap);
    expect(gaps).toEqual([...gaps].sort((x: number, y: number) => x - y));
  });

  it("per touchpoint, under a date window, tier, language and channel", async () => {
    const raw = await rawRows();
    const cases: [string, (r: Raw) => boolean][] = [
      [`from=${day(-29)}&to=${day(-5)}`, (r) => r.day >= day(-29) && r.day <= day(-5)],
      [`from=${day(-59)}&to=${today}&tier=premium`, (r) => r.tier === "premium"],
      [`from=${day(-59)}&to=${today}&tier=unknown&lang=es`, (r) => r.tier === "" && r.lang === "es"],
      [`from=${day(-59)}&to=${today}&channel=app`, (r) => r.channel === "app"],
      [`from=${day(-59)}&to=${today}&journey=${BANK_JOURNEY}&lang=en`, (r) => r.lang === "en"],
    ];
    for (const [query, keep] of cases) {
      const { status, body } = await api(`gaps?by=touchpoint&${query}`);
      expect(status, query).toBe(200);
      const rows = raw.filter(keep);
      for (const row of body.rows.filter((r: any) => r.gap?.status === "ok")) {
        expectRowMatches(row, recompute(rows.filter((r) => r.tp === row.key)), `${query} ${row.key}`);
      }
      expect(body.total.n, query).toBe(recompute(rows).n);
    }
  });

  it("answers a trends window at the far ends of the calendar with 400 at once, and keeps serving", async () => {
    for (const query of ["to=9999-12-31", "from=0000-01-01&to=0000-02-01", "from=9999-12-01&bucket=month"]) {
      const res = await api(`trends?${query}`);
      expect(res.status, query).toBe(400);
      expect(JSON.stringify(res.body)).toMatch(/1970-01-01/);
    }
    const max = new HttpClient(server.url);
    await max.signIn("max@a.test", PASSWORD);
    const page = await max.get("/w/brand-a/insights/trends?from=0000-01-01&to=0000-02-01");
    expect(page.status).toBe(400);
    expect(await page.text()).toContain("1970-01-01");
    expect((await api("trends")).status).toBe(200);
  });

  it("nps, csat, ces and trends carry the same numbers", async () => {
    const window = `from=${day(-59)}&to=${today}`;
    const raw = await rawRows();
    const nps = await api(`nps?by=touchpoint&${window}`);
    const branch = nps.body.rows.find((r: any) => r.key === "bank-branch-welcome");
    expect(branch.nps.value.score).toBeCloseTo(recompute(raw.filter((r) => r.tp === "bank-branch-welcome")).nps.score as number, 9);
    expect(Object.keys(branch).sort()).toEqual(["change", "detail", "key", "n", "name", "nps"]);
    const csat = await api(`csat?by=process&${window}`);
    expect(csat.status).toBe(200);
    expect(csat.body.rows.every((r: any) => "csat" in r && !("gap" in r))).toBe(true);
    expect((await api(`ces?by=attribute&${window}`)).status).toBe(400);

    const trends = await api(`trends?by=process&bucket=week&${window}`);
    expect(trends.status).toBe(200);
    const weeks = trends.body.overall.points;
    expect(weeks.map((p: any) => p.bucket)).toEqual(trends.body.buckets);
    const fromBuckets = weeks.reduce((a: number, p: any) => a + (p.gap?.n ?? 0), 0);
    expect(fromBuckets).toBe(recompute(raw).n);
    const months = await api(`trends?by=touchpoint&bucket=month&${window}`);
    expect(months.body.buckets.every((b: string) => /^\d{4}-\d{2}$/.test(b))).toBe(true);
    expect(months.body.series.length).toBeGreaterThan(5);
  });
});

describe("minimum n", () => {
  it("withholds a touchpoint's values below the workspace's min_n and shows them when min_n allows", async () => {
    const query = `gaps?by=touchpoint&from=${day(-59)}&to=${today}`;
    const sparse = (await api(query)).body.rows.find((r: any) => r.key === SPARSE);
    expect(sparse.n).toBe(4);
    expect(sparse.gap).toEqual({ status: "withheld", n: 4, minN: 10 });
    expect(sparse.nps).toEqual({ status: "withheld", n: 4, minN: 10 });
    await updateWorkspaceSettings(wsA, { minN: 3 });
    try {
      const shown = (await api(query)).body.rows.find((r: any) => r.key === SPARSE);
      expect(shown.gap.status).toBe("ok");
      expect(shown.gap.value.meanGap).toBeCloseTo(recompute((await rawRows()).filter((r) => r.tp === SPARSE)).meanGap as number, 9);
    } finally {
      await updateWorkspaceSettings(wsA, { minN: 10 });
    }
  });
});

describe("workspace scoping", () => {
  it("refuses a missing or unknown token with 401", async () => {
    expect((await api("gaps", null)).status).toBe(401);
    expect((await api("gaps", "viv_not-a-token")).status).toBe(401);
  });

  it("answers each token with its own workspace only; another workspace's journey is a 404", async () => {
    const a = await api(`gaps?by=process&from=${day(-59)}&to=${today}`, tokenA);
    const b = await api(`gaps?by=process&from=${day(-59)}&to=${today}`, tokenB);
    expect(b.body.workspace).toBe("brand-b");
    expect(b.body.total.n).toBeLessThan(a.body.total.n);
    // Three responses at each of B's twelve touchpoints that ask a gap (one asks the zone of tolerance).
    expect(b.body.total.n).toBe(12 * 3);
    const foreign = await api("gaps?journey=telecom-installation-and-repair", tokenB);
    expect(foreign.status).toBe(404);
    expect(foreign.body.error).toBe("not_found");
  });

  it("gives a member of A 404 on every insights page and export of B", async () => {
    const alice = new HttpClient(server.url);
    await alice.signIn("alice@a.test", PASSWORD);
    for (const url of [
      "/w/brand-b/insights",
      "/w/brand-b/insights/journeys",
      `/w/brand-b/insights/journeys/${BANK_JOURNEY}`,
      "/w/brand-b/insights/trends",
      "/w/brand-b/insights/ipa",
      "/w/brand-b/insights/behaviour?touchpoint=bank-branch-welcome",
      "/w/brand-b/insights/responses?touchpoint=bank-branch-welcome",
      "/w/brand-b/insights/export?table=process",
      "/w/brand-b/insights/export?table=responses",
    ]) {
      const res = await alice.get(url);
      expect(res.status, url).toBe(404);
      expect(await res.text(), url).not.toContain("BRAND-B");
    }
    expect((await alice.get("/w/brand-a/insights/journeys/no-such-journey")).status).toBe(404);
    expect((await alice.get("/w/brand-a/insights/responses?process=no-such-process")).status).toBe(404);
  });
});

describe("API input", () => {
  it("answers malformed filters with 400 and says which", async () => {
    const bad = await api("gaps?from=2025-02-30&tier=gold");
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe("invalid_query");
    expect(Object.keys(bad.body.errors).sort()).toEqual(["from", "tier"]);
    expect((await api("gaps?by=region")).status).toBe(400);
    expect((await api(`gaps?from=${today}&to=${day(-3)}`)).status).toBe(400);
    expect((await api("loyalty")).status).toBe(404);
  });

  it("compares two tiers with differences and intervals", async () => {
    const { status, body } = await api(`gaps?by=process&from=${day(-59)}&to=${today}&compareA=premium&compareB=generic`);
    expect(status).toBe(200);
    expect(body.tiers.a).toBe("premium");
    const row = body.tiers.rows.find((r: any) => r.gap?.status === "ok");
    expect(row.gap.value.difference).toBeCloseTo(row.a.gap.value.meanGap - row.b.gap.value.meanGap, 12);
    expect(row.gap.value.lo).toBeLessThan(row.gap.value.difference);
  });
});

describe("pages, drill-down and CSV", () => {
  it("a manager reads the tables, drills into the responses behind a number and pages through them", async () => {
    const max = new HttpClient(server.url);
    await max.signIn("max@a.test", PASSWORD);
    const tables = await max.get(`/w/brand-a/insights?by=process&from=${day(-59)}&to=${today}`);
    expect(tables.status).toBe(200);
    const html = await tables.text();
    expect(html).toContain('data-testid="gap-table-process"');
    const href = html.match(/href="(\/w\/brand-a\/insights\/responses\?[^"]*process=onboarding[^"]*)"/)?.[1].replace(/&amp;/g, "&");
    expect(href).toBeTruthy();
    const drill = await max.get(href!);
    expect(drill.status).toBe(200);
    const page1 = await drill.text();
    const ids = [...page1.matchAll(/data-response="(\d+)"/g)].map((m) => Number(m[1]));
    expect(ids.length).toBe(50);
    const next = page1.match(/href="([^"]*after=[^"]*)" rel="next"/)?.[1].replace(/&amp;/g, "&");
    const page2 = await (await max.get(next!)).text();
    const more = [...page2.matchAll(/data-response="(\d+)"/g)].map((m) => Number(m[1]));
    expect(more.length).toBeGreaterThan(0);
    expect(more.some((id) => ids.includes(id))).toBe(false);
  });

  it("exports a table and the raw responses with their measurements as CSV", async () => {
    const alice = new HttpClient(server.url);
    await alice.signIn("alice@a.test", PASSWORD);
    const window = `from=${day(-59)}&to=${today}`;
    const table = await alice.get(`/w/brand-a/insights/export?table=touchpoint&${window}`);
    expect(table.status).toBe(200);
    expect(table.headers.get("content-type")).toContain("text/csv");
    const lines = (await table.text()).trim().split("\r\n");
    expect(lines[0].startsWith("key,name,detail,gap_status,gap_n")).toBe(true);
    expect(lines.find((l) => l.startsWith(`${SPARSE},`))).toContain("withheld");

    const raw = await alice.get(`/w/brand-a/insights/export?table=responses&touchpoint=bank-branch-welcome&${window}`);
    const rawLines = (await raw.text()).trim().split("\r\n");
    const expected = (await rawRows()).filter((r) => r.tp === "bank-branch-welcome").length;
    expect(rawLines.length - 1).toBe(expected);
    for (const name of ["attribute", "dimension", "tiers&compareA=premium&compareB=regular", "trends", "ipa", "behaviour&touchpoint=bank-branch-welcome"]) {
      expect((await alice.get(`/w/brand-a/insights/export?table=${name}&${window}`)).status, name).toBe(200);
    }
  });
});
