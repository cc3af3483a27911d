// The effect of an innovation, against a hand computation: responses recorded through the app's own
// write path on days before, on and after the change (and elsewhere), then the equal-window gap and
// NPS from the rollups compared with means, Welch's standard error and degrees of freedom, and NPS
// counts worked out here from the raw answers. Plus the pages, markers and workspace scoping.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { normalCritical, studentTCritical } from "~/cem/distributions";
import { createInnovation, innovationEffect, innovationMarkers } from "~/data/innovations.server";
import { freshDatabasePath, removeDatabase } from "../support/database";
import { PASSWORD, importSample, makeUser, makeWorkspace } from "../support/fixtures";
import { HttpClient } from "../support/http-client";
import { startServer, type RunningServer } from "../support/server";
import { makeSurveyFixture, ratingAnswers, recordFixtureAnswers, type SurveyFixture } from "../support/survey-fixtures";

const dbFile = freshDatabasePath("act-innovation");
let server: RunningServer;
let wsA: number;
let wsB: number;
let f: SurveyFixture;
let other: SurveyFixture;
let innovationId: number;
let otherWorkspaceInnovation: number;

const DAY = 86_400_000;
const today = new Date().toISOString().slice(0, 10);
const dayOffset = (n: number) => new Date(Date.parse(`${today}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);
const changedOn = dayOffset(-10);
const ATTRS = ["waiting_time", "staff_courtesy", "branch_comfort"];

/** A small deterministic generator, so the data are varied but the test is repeatable. */
function lcg(seed: number) {
  let s = seed;
  return (min: number, max: number) => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    // The high bits: an LCG's low bits cycle quickly.
    return min + Math.floor((s / 2 ** 31) * (max - min + 1));
  };
}

type Made = { answers: Record<string, number>; day: string };
const recorded: { before: Made[]; after: Made[] } = { before: [], after: [] };

async function answer(fixture: SurveyFixture, day: string, values: Record<string, number>) {
  const answers = ratingAnswers(fixture.json, (min, max, name) => Math.min(max, Math.max(min, values[name] ?? max))) as Record<string, number>;
  const result = await recordFixtureAnswers(fixture, answers, { completedAt: new Date(`${day}T12:00:00Z`) });
  expect(result.status).toBe("recorded");
  return answers;
}

function valuesFrom(rand: (min: number, max: number) => number, shift: number): Record<string, number> {
  const v: Record<string, number> = { nps: Math.min(10, rand(3, 10) + shift), csat: rand(3, 5) };
  for (const key of ATTRS) {
    v[`${key}__expectation`] = rand(4, 7);
    v[`${key}__perception`] = Math.min(7, rand(2, 6) + shift);
  }
  return v;
}

beforeAll(async () => {
  const alice = await makeUser("alice@a.test");
  const bob = await makeUser("bob@b.test");
  wsA = (await makeWorkspace("brand-a", alice.id)).id;
  wsB = (await makeWorkspace("brand-b", bob.id)).id;
  await importSample(wsA);
  await importSample(wsB);
  f = await makeSurveyFixture(wsA, { touchpointKey: "bank-branch-welcome" });
  other = await makeSurveyFixture(wsA, { touchpointKey: "bank-contact-center-call" });
  const rand = lcg(42);
  // Before: days −9 … −1 relative to the change; after: +1 … +9 (the last complete day is yesterday).
  for (let i = 0; i < 12; i++) {
    const day = dayOffset(-10 - 1 - (i % 9));
    recorded.before.push({ day, answers: await answer(f, day, valuesFrom(rand, 0)) });
  }
  for (let i = 0; i < 14; i++) {
    const day = dayOffset(-10 + 1 + (i % 9));
    recorded.after.push({ day, answers: await answer(f, day, valuesFrom(rand, 1)) });
  }
  // Left out: the change day itself, a day before the before window, and another touchpoint.
  await answer(f, changedOn, valuesFrom(rand, -3));
  await answer(f, dayOffset(-10 - 12), valuesFrom(rand, -3));
  await answer(other, dayOffset(-5), { nps: 0 });

  const saved = await createInnovation(
    wsA,
    {
      title: "Turnos por SMS",
      changedAt: changedOn,
      touchpointKeys: ["bank-branch-welcome"],
      whatChanged: "Los clientes reciben su turno por SMS y esperan fuera",
      hypothesis: "La brecha de tiempo de espera se acorta",
      owner: "Gerencia de sucursales",
      windowDays: 28,
    },
    alice.id,
  );
  if (!saved.ok) throw new Error(JSON.stringify(saved.errors));
  innovationId = saved.id;
  const theirs = await createInnovation(
    wsB,
    { title: "Secreto de B", changedAt: changedOn, touchpointKeys: ["bank-branch-welcome"], whatChanged: "x", hypothesis: "y", owner: "z", windowDays: 28 },
    bob.id,
  );
  if (!theirs.ok) throw new Error("B innovation");
  otherWorkspaceInnovation = theirs.id;
  server = await startServer(dbFile);
});

afterAll(async () => {
  await server?.stop();
  removeDatabase(dbFile);
});

/** The response's gap: the mean over its attributes of perception − expectation. */
const responseGap = (a: Record<string, number>) => ATTRS.reduce((s, k) => s + (a[`${k}__perception`] - a[`${k}__expectation`]), 0) / ATTRS.length;

function describeByHand(values: number[]) {
  const n = values.length;
  const mean = values.reduce((s, v) => s + v, 0) / n;
  const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1);
  return { n, mean, variance };
}

function npsByHand(scores: number[]) {
  const n = scores.length;
  const pP = scores.filter((s) => s >= 9).length / n;
  const pD = scores.filter((s) => s <= 6).length / n;
  return { n, score: 100 * (pP - pD), se: 100 * Math.sqrt((pP + pD - (pP - pD) ** 2) / n) };
}

describe("the effect of an innovation", () => {
  it("matches a hand computation over equal windows either side of the change", async () => {
    const effect = await innovationEffect(wsA, { changedOn, windowDays: 28, touchpointIds: [f.touchpoint.id] }, 10, today);
    if (effect.status !== "ok") throw new Error("expected an effect");
    expect(effect.windows).toEqual({ before: { from: dayOffset(-19), to: dayOffset(-11) }, after: { from: dayOffset(-9), to: dayOffset(-1) }, days: 9 });

    const before = describeByHand(recorded.before.map((r) => responseGap(r.answers)));
    const after = describeByHand(recorded.after.map((r) => responseGap(r.answers)));
    const { gapDifference: gap } = effect.overall;
    expect(effect.overall.before.gap.n).toBe(12);
    expect(effect.overall.after.gap.n).toBe(14);
    expect(effect.overall.before.gap.mean).toBeCloseTo(before.mean, 10);
    expect(effect.overall.after.gap.mean).toBeCloseTo(after.mean, 10);
    const vA = after.variance / after.n;
    const vB = before.variance / before.n;
    const se = Math.sqrt(vA + vB);
    const df = (vA + vB) ** 2 / (vA ** 2 / (after.n - 1) + vB ** 2 / (before.n - 1));
    expect(gap).not.toBeNull();
    expect(gap!.difference).toBeCloseTo(after.mean - before.mean, 10);
    expect(gap!.se).toBeCloseTo(se, 10);
    expect(gap!.df).toBeCloseTo(df, 8);
    const t = studentTCritical(0.95, df);
    expect(gap!.lo).toBeCloseTo(after.mean - before.mean - t * se, 8);
    expect(gap!.hi).toBeCloseTo(after.mean - before.mean + t * se, 8);

    const nb = npsByHand(recorded.before.map((r) => r.answers.nps));
    const na = npsByHand(recorded.after.map((r) => r.answers.nps));
    expect(effect.overall.before.nps.score).toBeCloseTo(nb.score, 10);
    expect(effect.overall.after.nps.score).toBeCloseTo(na.score, 10);
    const npsDiff = effect.overall.npsDifference!;
    const npsSe = Math.sqrt(na.se ** 2 + nb.se ** 2);
    expect(npsDiff.difference).toBeCloseTo(na.score - nb.score, 10);
    expect(npsDiff.se).toBeCloseTo(npsSe, 10);
    const z = normalCritical(0.95);
    expect(npsDiff.lo).toBeCloseTo(Math.max(-200, na.score - nb.score - z * npsSe), 8);

    // Weekly points add up to the windows.
    const weekN = effect.weeks.reduce((s, w) => s + w.gap.n, 0);
    expect(weekN).toBe(26);
  });

  it("withholds the difference below the workspace's minimum n, and waits for a full day after the change", async () => {
    const thin = await innovationEffect(wsA, { changedOn, windowDays: 28, touchpointIds: [f.touchpoint.id] }, 20, today);
    if (thin.status !== "ok") throw new Error("expected an effect");
    expect(thin.overall.gapDifference).toBeNull();
    expect(thin.overall.before.gap.n).toBe(12);
    expect((await innovationEffect(wsA, { changedOn: today, windowDays: 28, touchpointIds: [f.touchpoint.id] }, 10, today)).status).toBe("too_early");
  });

  it("gives trend charts their markers, per touchpoint and workspace", async () => {
    expect(await innovationMarkers(wsA, [f.touchpoint.id, other.touchpoint.id])).toEqual([{ id: innovationId, date: changedOn, title: "Turnos por SMS" }]);
    expect(await innovationMarkers(wsA, [other.touchpoint.id])).toEqual([]);
    expect(await innovationMarkers(wsA, [])).toEqual([]);
  });

  it("marks the innovation on the insights trend charts", async () => {
    const alice = new HttpClient(server.url);
    await alice.signIn("alice@a.test", PASSWORD);
    const html = await (await alice.get(`/w/brand-a/insights/trends?from=${dayOffset(-60)}&to=${today}`)).text();
    expect(html).toContain("trend-marker");
    expect(html).toContain("Turnos por SMS");
    const before = await (await alice.get(`/w/brand-a/insights/trends?from=${dayOffset(-60)}&to=${dayOffset(-20)}`)).text();
    expect(before).not.toContain("trend-marker");
  });

  it("shows the effect on the innovation's page; another workspace's innovation is a 404", async () => {
    const alice = new HttpClient(server.url);
    await alice.signIn("alice@a.test", PASSWORD);
    const res = await alice.get(`/w/brand-a/innovations/${innovationId}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("Turnos por SMS");
    expect(html).toContain("n=12");
    expect(html).toContain("n=14");
    expect(html).toContain("Diferencia (después − antes)");
    expect((await alice.get(`/w/brand-a/innovations/${otherWorkspaceInnovation}`)).status).toBe(404);
    expect((await alice.post(`/w/brand-a/innovations/${otherWorkspaceInnovation}`, { intent: "delete" })).status).toBe(404);
    const list = await (await alice.get("/w/brand-a/innovations")).text();
    expect(list).toContain("Turnos por SMS");
    expect(list).not.toContain("Secreto de B");
  });

  it("logs a change from the form, with messages for what is missing", async () => {
    const alice = new HttpClient(server.url);
    await alice.signIn("alice@a.test", PASSWORD);
    const empty = await alice.post("/w/brand-a/innovations", { title: "", changedAt: "mañana", whatChanged: "", hypothesis: "", owner: "" });
    expect(empty.status).toBe(400);
    const text = await empty.text();
    expect(text).toContain("Este campo es obligatorio.");
    expect(text).toContain("Escriba una fecha (aaaa-mm-dd).");
    expect(text).toContain("Elija al menos un punto de contacto al que afectó el cambio.");
    expect(text).toContain('value="mañana"');
    const form = new FormData();
    for (const [k, v] of Object.entries({ title: "Nuevo guion de bienvenida", changedAt: dayOffset(-3), whatChanged: "Guion", hypothesis: "Mejor cortesía", owner: "Formación", windowDays: "14" })) form.set(k, v);
    form.append("touchpoints", "bank-branch-welcome");
    form.append("touchpoints", "bank-contact-center-call");
    const created = await alice.post("/w/brand-a/innovations", form);
    expect(created.status).toBe(302);
    expect(created.headers.get("Location")).toMatch(/^\/w\/brand-a\/innovations\/\d+$/);
    const bogus = new FormData();
    for (const [k, v] of Object.entries({ title: "x", changedAt: dayOffset(-3), whatChanged: "x", hypothesis: "x", owner: "x" })) bogus.set(k, v);
    bogus.append("touchpoints", "not-a-touchpoint");
    const refused = await alice.post("/w/brand-a/innovations", bogus);
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain("Unknown touchpoint");
  });
});
