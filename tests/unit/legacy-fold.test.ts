// Upgrading a database from the release that folded rollups after the commit: the responses its
// fold had left pending are added once, before the migration that drops the mark, and the rollups
// then equal a recomputation from the rows.
import type Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "#db/client";
import { foldLegacyPending } from "#db/legacy-fold";
import { databaseMigratedBefore, freshDatabasePath, migrateToLatest, removeDatabase } from "../support/database";
import { importSample, makeUser, makeWorkspace } from "../support/fixtures";
import { rollupsAndRecomputation } from "../support/rollup-check";
import { makeSurveyFixture, ratingAnswers, recordFixtureAnswers } from "../support/survey-fixtures";

const dbFile = freshDatabasePath("legacy-fold");

beforeAll(async () => {
  const owner = await makeUser("owner@legacy.test");
  const ws = await makeWorkspace("legacy", owner.id);
  await importSample(ws.id, "telecom-installation-and-repair.json");
  const survey = await makeSurveyFixture(ws.id, { touchpointKey: "telco-technician-visit", build: { nps: true } });
  for (let i = 0; i < 12; i++) {
    const result = await recordFixtureAnswers(survey, ratingAnswers(survey.json, (min, max) => min + ((i * 3) % (max - min + 1))), {
      completedAt: new Date(Date.UTC(2025, 5, 2 + (i % 9), 10)),
    });
    expect(result.status).toBe("recorded");
  }
});
afterAll(() => removeDatabase(dbFile));

/** Copies a table's rows from the attached current database into the older one, by the older one's columns (later migrations added some). */
function copyFromSrc(s: Database.Database, table: string, where = ""): string {
  const columns = (s.prepare(`SELECT name FROM pragma_table_info(?)`).pluck().all(table) as string[]).map((c) => `"${c}"`).join(", ");
  return `INSERT INTO ${table} (${columns}) SELECT ${columns} FROM src.${table} ${where}`;
}

describe("a database from the release with the deferred fold", () => {
  it("gets its pending responses folded once before the mark is dropped", () => {
    // Migrated up to 0006 (the mark exists); the rows and the sums of the first 5 responses copied
    // over, as the old fold would have left them: the other 7 responses pending after the mark.
    const { db, cleanup } = databaseMigratedBefore("0007_", "legacy-fold-upgrade");
    try {
      const s = db.$client;
      s.pragma("foreign_keys = OFF");
      s.exec(`ATTACH DATABASE '${dbFile}' AS src`);
      s.exec(copyFromSrc(s, "responses"));
      s.exec(copyFromSrc(s, "measurements"));
      s.exec(`DETACH DATABASE src`);
      s.exec(`UPDATE rollup_state SET folded_through = 5`);
      const early = getDb().$client.prepare(`SELECT * FROM responses WHERE id <= 5`).all();
      expect(early).toHaveLength(5);
      // The first five responses' sums, as the old fold had written them: recompute them here by
      // folding a database that holds only those five.
      s.exec(`DELETE FROM measurements WHERE response_id > 5`);
      s.exec(`UPDATE rollup_state SET folded_through = 0`);
      const moved = s.prepare(`SELECT id FROM responses WHERE id > 5`).all() as { id: number }[];
      s.exec(`DELETE FROM responses WHERE id > 5`);
      expect(foldLegacyPending(s)).toBe(5);
      s.exec(`ATTACH DATABASE '${dbFile}' AS src`);
      s.exec(copyFromSrc(s, "responses", "WHERE id > 5"));
      s.exec(copyFromSrc(s, "measurements", "WHERE response_id > 5"));
      s.exec(`DETACH DATABASE src`);
      expect(moved).toHaveLength(7);

      // Now the upgrade: 7 pending, folded once; the migration drops the mark.
      expect(foldLegacyPending(s)).toBe(7);
      expect(foldLegacyPending(s)).toBe(0);
      migrateToLatest(db);
      expect(s.prepare(`SELECT count(*) FROM sqlite_master WHERE name = 'rollup_state'`).pluck().get()).toBe(0);
      expect(foldLegacyPending(s)).toBe(0);
      const { daily, weekly } = rollupsAndRecomputation(s);
      expect(daily.stored.length).toBeGreaterThan(0);
      expect(daily.stored).toEqual(daily.recomputed);
      expect(weekly.stored).toEqual(weekly.recomputed);
    } finally {
      cleanup();
    }
  });
});
