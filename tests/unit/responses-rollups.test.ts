// After many submissions through recordResponse (several templates, tiers, languages, days,
// concurrent batches sharing a commit, duplicates and refusals), the rollups table must equal a
// recomputation from the stored measurement rows: through the pure rollup arithmetic, and for the
// raw kinds and attribute gaps through plain SQL over measurements. The statistics of DESIGN.md
// read from the rollups must equal those computed from the raw rows.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "#db/client";
import { measurementPlan } from "~/survey/plan";
import { SERVQUAL_ITEMS } from "~/survey/servqual";
import { SERVQUAL_DIMENSIONS, type SurveyJson } from "~/survey/types";
import { ROLLUP_COLUMNS, rollupDeltas, type RollupColumns } from "~/cem/rollup";
import type { MeasuredKind, Measurement } from "~/cem/measurement";
import { nps, pairedGap } from "~/cem/statistics";
import { recordResponse, type RecordResult, type ResponseInput } from "~/data/responses.server";
import { freshDatabasePath, removeDatabase } from "../support/database";
import { importSample, makeUser, makeWorkspace } from "../support/fixtures";
import { makeCustomer, makeInvitation, makeSurveyFixture, ratingAnswers, type SurveyFixture } from "../support/survey-fixtures";

const dbFile = freshDatabasePath("responses-rollups");

/** Mulberry32: seeded, so a failure replays. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let workspaceId = 0;
const fixtures: SurveyFixture[] = [];
const results: RecordResult[] = [];
let attempted = 0;

function answersFor(f: SurveyFixture, rand: () => number): Record<string, unknown> {
  // Skewed towards the top so that gaps of both signs and every NPS bucket occur.
  const answers = ratingAnswers(f.json, (min, max) => Math.min(max, min + Math.floor(rand() * rand() * 2.2 * (max - min + 1))), "Un comentario");
  if (JSON.stringify(f.json).includes("importance_points")) {
    const cuts = SERVQUAL_DIMENSIONS.slice(1).map(() => Math.floor(rand() * 101)).sort((x, y) => x - y);
    const bounds = [0, ...cuts, 100];
    answers.importance_points = Object.fromEntries(SERVQUAL_DIMENSIONS.map((d, i) => [d, bounds[i + 1] - bounds[i]]));
  }
  return answers;
}

beforeAll(async () => {
  const owner = await makeUser("owner@rollups.test");
  workspaceId = (await makeWorkspace("rollups", owner.id)).id;
  await importSample(workspaceId, "telecom-installation-and-repair.json");
  fixtures.push(
    await makeSurveyFixture(workspaceId, { touchpointKey: "telco-technician-visit", build: { nps: true, csat: true, ces: true, importance: true, comment: true } }),
    await makeSurveyFixture(workspaceId, { touchpointKey: "telco-repair-visit", build: { template: "zone_of_tolerance", nps: true } }),
    await makeSurveyFixture(workspaceId, { touchpointKey: "telco-welcome-app", build: { template: "brand_experience", csat: true } }),
    await makeSurveyFixture(workspaceId, { touchpointKey: "telco-sales-call", build: { template: "servqual", nps: true } }),
  );
  const tiers = ["premium", "regular", "generic", null];
  const customers: { external: string; id: number }[] = [];
  for (let i = 0; i < 40; i++) customers.push({ external: `K${i}`, id: await makeCustomer(workspaceId, `K${i}`, tiers[i % 4]) });

  const rand = random(5_150);
  const inputs: ResponseInput[] = [];
  for (let i = 0; i < 700; i++) {
    // SERVQUAL takes SurveyJS's full validation (~10 ms each): fewer of those.
    const f = fixtures[i % 10 === 9 ? 3 : i % 3];
    // Around midnight UTC on five days, in the submitter's offset: the UTC day decides the row.
    const completedAt = new Date(Date.UTC(2025, 4, 10 + (i % 5), 23, 0) + Math.floor(rand() * 2 * 3600_000));
    const base = { workspaceId, versionId: f.versionId, touchpointId: f.touchpoint.id, deploymentId: f.deploymentId, completedAt };
    const answers = answersFor(f, rand);
    const lang = rand() < 0.3 ? "en" : "es";
    const roll = rand();
    if (roll < 0.1) {
      const customer = customers[Math.floor(rand() * customers.length)];
      const invitation = await makeInvitation(f, customer.id);
      const input = { ...base, invitationId: invitation.id, lang, source: "invitation", data: JSON.stringify(answers) } as const;
      inputs.push(input);
      if (rand() < 0.3) inputs.push({ ...input }); // the same invitation again: one response
    } else {
      const external = roll < 0.7 ? customers[Math.floor(rand() * customers.length)].external : roll < 0.8 ? `NEW${i}` : null;
      const key = rand() < 0.5 ? `key-${i}` : null;
      const input: ResponseInput = { ...base, customerExternalId: external, lang, source: "api", data: JSON.stringify(answers), answers, idempotencyKey: key };
      inputs.push(input);
      if (key && rand() < 0.1) inputs.push({ ...input }); // a retry with the same key: one response
    }
    if (rand() < 0.05) inputs.push({ ...base, lang, source: "api", data: JSON.stringify({ ...answers, nps: 42 }) }); // refused
  }
  attempted = inputs.length;
  // Submitted in concurrent bursts, so that batches share commits.
  for (let start = 0; start < inputs.length; start += 25) {
    results.push(...(await Promise.all(inputs.slice(start, start + 25).map((input) => recordResponse(input)))));
  }
}, 120_000);

afterAll(() => removeDatabase(dbFile));

type ResponseRow = { id: number; touchpointId: number; versionId: number; completedAt: number; tier: string; lang: string };
type MeasurementRow = { responseId: number; attributeKey: string; kind: string; value: number };
type RollupRow = { touchpointId: number; attributeKey: string; kind: string; day: string; tier: string; lang: string } & RollupColumns;

/** The stored rows, the rollups as a reader sees them: the pending responses folded in first (ADR 012). */
function rows() {
  const sqlite = getDb().$client;
  const responses = sqlite
    .prepare(`SELECT id, touchpoint_id AS touchpointId, survey_version_id AS versionId, completed_at AS completedAt, tier, lang FROM responses ORDER BY id`)
    .all() as ResponseRow[];
  const measurements = sqlite
    .prepare(`SELECT response_id AS responseId, attribute_key AS attributeKey, kind, value FROM measurements ORDER BY id`)
    .all() as MeasurementRow[];
  const rollups = sqlite
    .prepare(
      `SELECT touchpoint_id AS touchpointId, attribute_key AS attributeKey, kind, day, tier, lang, n, sum, sum_sq AS sumSq,
              sum_p AS sumP, sum_e AS sumE, sum_y AS sumY, sum_y_sq AS sumYSq, sum_xy AS sumXY, promoters, passives, detractors, top2
         FROM rollups WHERE workspace_id = ?`,
    )
    .all(workspaceId) as RollupRow[];
  return { responses, measurements, rollups };
}

const keyOf = (r: { touchpointId: number; attributeKey: string; kind: string; day: string; tier: string; lang: string }) =>
  [r.touchpointId, r.attributeKey, r.kind, r.day, r.tier, r.lang].join("|");

function expectSameRollups(actual: RollupRow[], expected: Map<string, RollupColumns>, columns: readonly (keyof RollupColumns)[]) {
  expect(new Set(actual.map(keyOf))).toEqual(new Set(expected.keys()));
  const mismatches: string[] = [];
  for (const row of actual) {
    const want = expected.get(keyOf(row))!;
    for (const column of columns) {
      if (Math.abs(row[column] - want[column]) > 1e-9 * Math.max(1, Math.abs(want[column]))) {
        mismatches.push(`${keyOf(row)} ${column}: stored ${row[column]}, recomputed ${want[column]}`);
      }
    }
  }
  expect(mismatches).toEqual([]);
}

describe("rollups in the database after many submissions", () => {
  it("stored what was accepted, once per invitation and per idempotency key", () => {
    const { responses } = rows();
    const recorded = results.filter((r) => r.status === "recorded");
    expect(recorded.length).toBe(responses.length);
    expect(results.filter((r) => r.status === "invalid").length).toBeGreaterThan(10);
    expect(results.filter((r) => r.status === "already_received").length).toBeGreaterThan(0);
    expect(results.filter((r) => r.status === "replayed").length).toBeGreaterThan(0);
    expect(results.length).toBe(attempted);
    // A replay answers with the id of the response it repeats.
    const ids = new Set(responses.map((r) => r.id));
    for (const r of results) if (r.status === "replayed") expect(ids.has(r.id)).toBe(true);
  });

  it("equal the rollup arithmetic applied to the stored measurement rows, response by response", () => {
    const { responses, measurements, rollups } = rows();
    const byResponse = new Map<number, MeasurementRow[]>();
    for (const m of measurements) {
      const list = byResponse.get(m.responseId);
      if (list) list.push(m);
      else byResponse.set(m.responseId, [m]);
    }
    // The SERVQUAL dimension of an attribute, as the survey version declares it.
    const dimensions = new Map<number, Map<string, string>>();
    for (const f of fixtures) {
      const map = new Map<string, string>(SERVQUAL_ITEMS.map((item) => [item.key, item.dimension]));
      for (const item of measurementPlan(f.json as SurveyJson).items) if (item.attributeKey && item.dimension) map.set(item.attributeKey, item.dimension);
      dimensions.set(f.versionId, map);
    }
    const expected = new Map<string, RollupColumns>();
    for (const r of responses) {
      const dims = dimensions.get(r.versionId)!;
      const ms: Measurement[] = (byResponse.get(r.id) ?? []).map((m) => ({
        attributeKey: m.attributeKey === "" ? null : m.attributeKey,
        kind: m.kind as MeasuredKind,
        value: m.value,
        dimension: (m.kind === "importance_points" ? null : ((dims.get(m.attributeKey) ?? null) as Measurement["dimension"])),
      }));
      const day = new Date(r.completedAt).toISOString().slice(0, 10);
      for (const delta of rollupDeltas(ms, { day, tier: r.tier })) {
        const key = keyOf({ ...delta, touchpointId: r.touchpointId, lang: r.lang });
        const current = expected.get(key);
        if (!current) expected.set(key, Object.fromEntries(ROLLUP_COLUMNS.map((c) => [c, delta[c]])) as RollupColumns);
        else for (const c of ROLLUP_COLUMNS) current[c] += delta[c];
      }
    }
    expect(rollups.length).toBeGreaterThan(500);
    expectSameRollups(rollups, expected, ROLLUP_COLUMNS);
  });

  it("equal plain SQL over the measurement rows for the raw kinds and the attribute gaps", () => {
    const sqlite = getDb().$client;
    const day = `strftime('%Y-%m-%d', r.completed_at / 1000, 'unixepoch')`;
    const raw = sqlite
      .prepare(
        `SELECT m.touchpoint_id AS touchpointId, m.attribute_key AS attributeKey, m.kind, ${day} AS day, r.tier, r.lang,
                count(*) AS n, sum(m.value) AS sum, sum(m.value * m.value) AS sumSq,
                sum(m.kind = 'nps' AND m.value >= 9) AS promoters, sum(m.kind = 'nps' AND m.value BETWEEN 7 AND 8) AS passives,
                sum(m.kind = 'nps' AND m.value <= 6) AS detractors, sum(m.kind = 'csat' AND m.value >= 4) AS top2
           FROM measurements m JOIN responses r ON r.id = m.response_id
          GROUP BY 1, 2, 3, 4, 5, 6`,
      )
      .all() as RollupRow[];
    const gaps = sqlite
      .prepare(
        `SELECT p.touchpoint_id AS touchpointId, p.attribute_key AS attributeKey, 'gap' AS kind, ${day} AS day, r.tier, r.lang,
                count(*) AS n, sum(p.value - e.value) AS sum, sum((p.value - e.value) * (p.value - e.value)) AS sumSq,
                sum(p.value) AS sumP, sum(e.value) AS sumE
           FROM measurements p
           JOIN measurements e ON e.response_id = p.response_id AND e.attribute_key = p.attribute_key AND e.kind = 'expectation'
           JOIN responses r ON r.id = p.response_id
          WHERE p.kind = 'perception'
          GROUP BY 1, 2, 3, 4, 5, 6`,
      )
      .all() as RollupRow[];
    const { rollups } = rows();
    const rawKinds = new Set(raw.map((r) => r.kind));
    const asMap = (list: RollupRow[]) => new Map(list.map((r) => [keyOf(r), r as RollupColumns]));
    // Brand-experience rows at touchpoint level ("") hold each response's mean over the items, not answers.
    const answerRows = rollups.filter((r) => rawKinds.has(r.kind) && !(r.attributeKey === "" && r.kind.startsWith("bx_")));
    expectSameRollups(answerRows, asMap(raw), ["n", "sum", "sumSq", "promoters", "passives", "detractors", "top2"]);
    expectSameRollups(rollups.filter((r) => r.kind === "gap" && r.attributeKey !== ""), asMap(gaps), ["n", "sum", "sumSq", "sumP", "sumE"]);
    expect(gaps.length).toBeGreaterThan(50);
  });

  it("give the same NPS and touchpoint gap (with its interval) as the raw rows", () => {
    const { responses, measurements, rollups } = rows();
    const tp = fixtures[0].touchpoint.id;
    const inTp = new Set(responses.filter((r) => r.touchpointId === tp).map((r) => r.id));
    const add = (kind: string, attributeKey = "") =>
      rollups
        .filter((r) => r.touchpointId === tp && r.kind === kind && r.attributeKey === attributeKey)
        .reduce((acc, r) => ({ n: acc.n + r.n, promoters: acc.promoters + r.promoters, detractors: acc.detractors + r.detractors, sum: acc.sum + r.sum, sumSq: acc.sumSq + r.sumSq, sumP: acc.sumP + r.sumP, sumE: acc.sumE + r.sumE }), { n: 0, promoters: 0, detractors: 0, sum: 0, sumSq: 0, sumP: 0, sumE: 0 });

    const npsValues = measurements.filter((m) => inTp.has(m.responseId) && m.kind === "nps").map((m) => m.value);
    const fromRaw = nps({ n: npsValues.length, promoters: npsValues.filter((v) => v >= 9).length, detractors: npsValues.filter((v) => v <= 6).length });
    const n = add("nps");
    expect(nps({ n: n.n, promoters: n.promoters, detractors: n.detractors })).toEqual(fromRaw);

    // The response is the unit: its gap is the mean of its attribute gaps; SD and t interval from there.
    const perResponse = new Map<number, { p: number[]; e: number[] }>();
    for (const m of measurements) {
      if (!inTp.has(m.responseId) || (m.kind !== "perception" && m.kind !== "expectation")) continue;
      const entry = perResponse.get(m.responseId) ?? { p: [], e: [] };
      (m.kind === "perception" ? entry.p : entry.e).push(m.value);
      perResponse.set(m.responseId, entry);
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const d = [...perResponse.values()].map((x) => mean(x.p) - mean(x.e));
    const meanD = mean(d);
    const sdD = Math.sqrt(d.reduce((acc, x) => acc + (x - meanD) ** 2, 0) / (d.length - 1));
    const g = add("gap");
    const gap = pairedGap({ n: g.n, sumP: g.sumP, sumE: g.sumE, sumD: g.sum, sumD2: g.sumSq });
    expect(gap.n).toBe(d.length);
    expect(gap.meanGap).toBeCloseTo(meanD, 10);
    expect(gap.sdGap).toBeCloseTo(sdD, 10);
    expect(gap.meanP).toBeCloseTo(mean([...perResponse.values()].map((x) => mean(x.p))), 10);
  });
});
