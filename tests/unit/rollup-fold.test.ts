// Rollups folded in after the commit (ADR 012): the mark says which responses the sums hold; a fold
// moves it and adds their sums in one transaction; readers fold first, so they never see the sums
// behind the rows; any connection may fold, a computed fold that went stale is refused, and a fold
// that fails leaves both the mark and the sums as they were.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getDb, openDatabase } from "#db/client";
import { querySums } from "~/data/insights.server";
import { applyFold, computeFold, foldRollups, foldRollupsOn, pendingRollups } from "~/data/rollup-fold.server";
import { databaseMigratedBefore, freshDatabasePath, migrateToLatest, removeDatabase } from "../support/database";
import { importSample, makeUser, makeWorkspace } from "../support/fixtures";
import { makeSurveyFixture, ratingAnswers, recordFixtureAnswers, type SurveyFixture } from "../support/survey-fixtures";

const dbFile = freshDatabasePath("rollup-fold");
let workspaceId = 0;
let survey: SurveyFixture;
const DAY = "2025-06-02";

beforeAll(async () => {
  const owner = await makeUser("owner@fold.test");
  workspaceId = (await makeWorkspace("fold", owner.id)).id;
  await importSample(workspaceId, "telecom-installation-and-repair.json");
  survey = await makeSurveyFixture(workspaceId, { touchpointKey: "telco-technician-visit", build: { nps: true } });
});
afterAll(() => removeDatabase(dbFile));

const sqlite = () => getDb().$client;
const mark = () => sqlite().prepare("SELECT folded_through FROM rollup_state").pluck().get() as number;
const lastResponse = () => (sqlite().prepare("SELECT max(id) FROM responses").pluck().get() as number | null) ?? 0;
const npsInRollups = (table = "rollups") =>
  sqlite().prepare(`SELECT coalesce(sum(n), 0) FROM ${table} WHERE kind = 'nps' AND workspace_id = ?`).pluck().get(workspaceId) as number;

const record = (nps: number) =>
  recordFixtureAnswers(survey, { ...ratingAnswers(survey.json, (min) => min + 2), nps }, { completedAt: new Date(`${DAY}T10:00:00Z`) });

const npsQuery = () => ({
  workspaceId,
  touchpointIds: [survey.touchpoint.id],
  attributeKeys: [""],
  kinds: ["nps" as const],
  from: DAY,
  to: DAY,
  tiers: null,
  lang: null,
});

describe("folding recorded responses into the rollups", () => {
  it("starts with the mark at the last response and nothing pending", () => {
    expect(mark()).toBe(lastResponse());
    expect(pendingRollups()).toBe(0);
  });

  it("commits a response before its sums, and a reader folds it in before reading", async () => {
    // The timer that folds after a commit waits until this test has looked.
    vi.useFakeTimers({ toFake: ["setTimeout"] });
    const before = npsInRollups();
    const results = await Promise.all([record(10), record(3), record(8)]);
    expect(results.every((r) => r.status === "recorded")).toBe(true);
    // Committed and answered; the timer has not folded them yet.
    expect(pendingRollups()).toBe(3);
    expect(npsInRollups()).toBe(before);
    const [row] = await querySums(npsQuery());
    expect(row).toMatchObject({ n: before + 3 });
    expect(pendingRollups()).toBe(0);
    expect(mark()).toBe(lastResponse());
    expect(npsInRollups("rollups_weekly")).toBe(npsInRollups());
    vi.runOnlyPendingTimers(); // the fold timer, finding nothing left
    vi.useRealTimers();
  });

  it("folds on its own shortly after a commit, without any reader", async () => {
    await record(9);
    expect(pendingRollups()).toBe(1);
    await vi.waitFor(() => expect(pendingRollups()).toBe(0), { timeout: 2_000, interval: 20 });
    expect(npsInRollups()).toBe((await querySums(npsQuery()))[0].n);
  });

  it("adds nothing when folded again, and refuses a computed fold once the mark has moved", async () => {
    await record(7);
    const fold = computeFold(sqlite())!;
    expect(fold).toMatchObject({ from: mark(), through: lastResponse() });
    // Another connection (another thread or process) folds first.
    const other = openDatabase(dbFile);
    try {
      expect(foldRollupsOn(other.$client)).toBe(1);
    } finally {
      other.$client.close();
    }
    const sums = npsInRollups();
    expect(sqlite().transaction(() => applyFold(sqlite(), fold)).immediate()).toBe(false);
    expect(await foldRollups()).toBe(0);
    expect(npsInRollups()).toBe(sums);
  });

  it("leaves the mark and the sums as they were when a fold fails, and folds once the cause is gone", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout"] });
    await record(6);
    await record(5);
    const id = lastResponse();
    const sums = npsInRollups();
    const at = mark();
    // A completion time no Date can hold: the day of the rollup row cannot be computed.
    sqlite().prepare("UPDATE responses SET completed_at = ? WHERE id = ?").run(8.65e15, id);
    await expect(foldRollups()).rejects.toThrow(RangeError);
    expect(mark()).toBe(at);
    expect(npsInRollups()).toBe(sums);
    sqlite().prepare("UPDATE responses SET completed_at = ? WHERE id = ?").run(Date.parse(`${DAY}T11:00:00Z`), id);
    expect(await foldRollups()).toBe(2);
    expect(npsInRollups()).toBe(sums + 2);
    vi.runOnlyPendingTimers();
    vi.useRealTimers();
  });
});

describe("migration 0005 on a database that already has rollups", () => {
  it("sets the mark at its last response, so nothing already summed is summed again", () => {
    const { db, cleanup } = databaseMigratedBefore("0005_", "fold-migration");
    try {
      const s = db.$client;
      // Copy this test's workspace rows over: responses with their measurements, and their sums.
      s.pragma("foreign_keys = OFF");
      s.exec(`ATTACH DATABASE '${dbFile}' AS src`);
      s.exec(`INSERT INTO responses SELECT * FROM src.responses`);
      s.exec(`INSERT INTO measurements (id, workspace_id, response_id, touchpoint_id, attribute_key, kind, value)
              SELECT id, workspace_id, response_id, touchpoint_id, attribute_key, kind, value FROM src.measurements`);
      s.exec(`INSERT INTO rollups SELECT * FROM src.rollups`);
      s.exec(`DETACH DATABASE src`);
      const n = () => s.prepare("SELECT sum(n) FROM rollups WHERE kind = 'nps'").pluck().get() as number;
      const sums = n();
      expect(sums).toBeGreaterThan(0);
      migrateToLatest(db);
      expect(s.prepare("SELECT folded_through FROM rollup_state").pluck().get()).toBe(s.prepare("SELECT max(id) FROM responses").pluck().get());
      expect(foldRollupsOn(s)).toBe(0);
      expect(n()).toBe(sums);
    } finally {
      cleanup();
    }
  });
});
