// The weekly rollups against the daily ones, on a real SQLite file: after responses recorded through
// recordResponse the weekly table is the daily table grouped by ISO week; querySums and
// queryTrendSums (whole weeks from the weekly level, edge days from the daily one) give the sums of
// the daily rows over the same window, for many random windows and filters; and the migration that
// creates the weekly table fills it from the daily rows a database already holds.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "#db/client";
import { addDays, bucketOf, type Bucket } from "~/cem/insights-filters";
import { ROLLUP_COLUMNS, type RollupColumns, type RollupKind } from "~/cem/rollup";
import { weekOf } from "~/cem/rollup-weeks";
import { querySums, queryTrendSums, type SumsQuery } from "~/data/insights.server";
import { SERVQUAL_DIMENSIONS } from "~/survey/types";
import { databaseMigratedBefore, freshDatabasePath, migrateToLatest, removeDatabase } from "../support/database";
import { makeUser, makeWorkspace } from "../support/fixtures";
import { random, seedInsights } from "../support/insights-fixtures";

const dbFile = freshDatabasePath("insights-weekly");
const END = "2025-03-05"; // a Wednesday: the data's last week is partial
const DAYS = 150;
let workspaceId = 0;
let touchpointIds: number[] = [];
let attributeKeys: string[] = [];
let kinds: string[] = [];

beforeAll(async () => {
  const owner = await makeUser("owner@weekly.test");
  workspaceId = (await makeWorkspace("weekly", owner.id)).id;
  await seedInsights(workspaceId, { seed: 42, endDay: END, days: DAYS, perTouchpoint: 30, customers: 30 });
  const sqlite = getDb().$client;
  // This test reads the rollup tables directly: fold in what the seed recorded, as readers do (ADR 012).
  touchpointIds = (sqlite.prepare("select distinct touchpoint_id as id from rollups where workspace_id = ? order by 1").all(workspaceId) as { id: number }[]).map((r) => r.id);
  attributeKeys = (sqlite.prepare("select distinct attribute_key as k from rollups where workspace_id = ? and attribute_key <> '' order by 1").all(workspaceId) as { k: string }[]).map((r) => r.k);
  kinds = (sqlite.prepare("select distinct kind as k from rollups where workspace_id = ? order by 1").all(workspaceId) as { k: string }[]).map((r) => r.k);
}, 180_000);

afterAll(() => removeDatabase(dbFile));

const COLUMNS = ["n", "sum", "sum_sq", "sum_p", "sum_e", "sum_y", "sum_y_sq", "sum_xy", "promoters", "passives", "detractors", "top2"];
const SELECT_SUMS = ROLLUP_COLUMNS.map((c, i) => `sum(${COLUMNS[i]}) as ${c}`).join(", ");
const INTEGER: readonly (keyof RollupColumns)[] = ["n", "promoters", "passives", "detractors", "top2"];

/**
 * Where two rows' sums differ: counts must be equal exactly, real sums up to the rounding of adding
 * the same values in another order. Collected, not asserted one by one, to keep the test quick.
 */
function differences(actual: RollupColumns, expected: RollupColumns, what: string): string[] {
  const out: string[] = [];
  for (const column of ROLLUP_COLUMNS) {
    const a = actual[column];
    const e = expected[column];
    const same = INTEGER.includes(column) ? a === e : Math.abs(a - e) <= 1e-9 * Math.max(1, Math.abs(e));
    if (!same) out.push(`${what} ${column}: ${a} vs ${e}`);
  }
  return out;
}

function pick<T>(rand: () => number, items: readonly T[], max = items.length): T[] {
  const out = items.filter(() => rand() < 0.5).slice(0, max);
  return out.length > 0 ? out : [items[Math.floor(rand() * items.length)]];
}

describe("the weekly table", () => {
  it("is WITHOUT ROWID, which drizzle cannot declare (migration 0003 says it by hand)", () => {
    const { sql } = getDb().$client.prepare("select sql from sqlite_master where name = 'rollups_weekly'").get() as { sql: string };
    expect(sql).toMatch(/\)\s*WITHOUT ROWID$/i);
  });

  it("is the daily table grouped by ISO week, after recording through recordResponse", () => {
    const sqlite = getDb().$client;
    const daily = sqlite
      .prepare(`select touchpoint_id as tp, attribute_key as a, kind, day, tier, lang, ${SELECT_SUMS} from rollups where workspace_id = ? group by 1, 2, 3, 4, 5, 6`)
      .all(workspaceId) as ({ tp: number; a: string; kind: string; day: string; tier: string; lang: string } & RollupColumns)[];
    const expected = new Map<string, RollupColumns>();
    for (const row of daily) {
      const key = [row.tp, row.a, row.kind, weekOf(row.day), row.tier, row.lang].join("|");
      const sums = expected.get(key) ?? Object.fromEntries(ROLLUP_COLUMNS.map((c) => [c, 0]));
      for (const c of ROLLUP_COLUMNS) (sums as RollupColumns)[c] += row[c];
      expected.set(key, sums as RollupColumns);
    }
    const weekly = sqlite
      .prepare(`select touchpoint_id as tp, attribute_key as a, kind, week, tier, lang, ${ROLLUP_COLUMNS.map((c, i) => `${COLUMNS[i]} as ${c}`).join(", ")} from rollups_weekly where workspace_id = ?`)
      .all(workspaceId) as ({ tp: number; a: string; kind: string; week: string; tier: string; lang: string } & RollupColumns)[];
    expect(weekly.length).toBe(expected.size);
    expect(new Set(weekly.map((r) => r.week)).size).toBeGreaterThan(20);
    const keyOf = (row: (typeof weekly)[number]) => [row.tp, row.a, row.kind, row.week, row.tier, row.lang].join("|");
    expect(weekly.map(keyOf).sort()).toEqual([...expected.keys()].sort());
    expect(weekly.flatMap((row) => differences(row, expected.get(keyOf(row))!, keyOf(row)))).toEqual([]);
  });
});

/** The reference: the daily rows over [from, to], summed by SQLite in one statement. */
function dailySums(q: SumsQuery) {
  const list = (values: readonly unknown[]) => values.map(() => "?").join(", ");
  const rows = getDb()
    .$client.prepare(
      `select touchpoint_id as touchpointId, attribute_key as attributeKey, kind, ${q.byTier ? "tier" : "''"} as tier, ${SELECT_SUMS}
         from rollups
        where workspace_id = ? and touchpoint_id in (${list(q.touchpointIds)}) and attribute_key in (${list(q.attributeKeys)})
          and kind in (${list(q.kinds)}) and day between ? and ?
          ${q.tiers ? `and tier in (${list(q.tiers)})` : ""} ${q.lang ? "and lang = ?" : ""}
        group by 1, 2, 3, 4`,
    )
    .all(workspaceId, ...q.touchpointIds, ...q.attributeKeys, ...q.kinds, q.from, q.to, ...(q.tiers ?? []), ...(q.lang ? [q.lang] : [])) as ({
    touchpointId: number;
    attributeKey: string;
    kind: string;
    tier: string;
  } & RollupColumns)[];
  return rows.map((r) => ({
    ...r,
    ...(q.cross ? {} : { sumY: 0, sumYSq: 0, sumXY: 0 }),
    passives: Math.max(0, r.n - r.promoters - r.detractors),
  }));
}

describe("querySums", () => {
  it("equals the daily rows summed over the same window, for random windows and filters", async () => {
    const rand = random(99);
    const first = addDays(END, -(DAYS + 10));
    let compared = 0;
    for (let i = 0; i < 250; i++) {
      const from = addDays(first, Math.floor(rand() * (DAYS + 15)));
      const to = addDays(from, Math.floor(rand() * (i % 5 === 0 ? 8 : 120)));
      const level = rand();
      const q: SumsQuery = {
        workspaceId,
        touchpointIds: pick(rand, touchpointIds),
        attributeKeys: level < 0.4 ? [""] : level < 0.8 ? pick(rand, attributeKeys, 6) : [...SERVQUAL_DIMENSIONS],
        kinds: pick(rand, kinds, 5) as RollupKind[],
        from,
        to,
        tiers: rand() < 0.5 ? null : pick(rand, ["premium", "regular", "generic", ""], 2),
        lang: rand() < 0.6 ? null : rand() < 0.5 ? "es" : "en",
        cross: rand() < 0.3,
        byTier: rand() < 0.3,
      };
      const keyOf = (r: { touchpointId: number; attributeKey: string; kind: string; tier: string }) => [r.touchpointId, r.attributeKey, r.kind, r.tier].join("|");
      const actual = new Map((await querySums(q)).map((r) => [keyOf(r), r]));
      const expected = dailySums(q);
      expect([...actual.keys()].sort(), JSON.stringify(q)).toEqual(expected.map(keyOf).sort());
      expect(expected.flatMap((row) => differences(actual.get(keyOf(row))!, row, `${JSON.stringify(q)} ${keyOf(row)}`))).toEqual([]);
      compared += expected.length;
    }
    expect(compared).toBeGreaterThan(1000);
  });
});

describe("queryTrendSums", () => {
  it("equals the daily rows folded into the same weeks or months", async () => {
    const rand = random(7);
    const first = addDays(END, -(DAYS + 10));
    for (let i = 0; i < 120; i++) {
      const from = addDays(first, Math.floor(rand() * (DAYS + 15)));
      const to = addDays(from, Math.floor(rand() * 130));
      const bucket: Bucket = i % 2 === 0 ? "week" : "month";
      const q = {
        workspaceId,
        touchpointIds: pick(rand, touchpointIds),
        kinds: pick(rand, ["gap", "nps", "csat", "below"]) as RollupKind[],
        from,
        to,
        tiers: rand() < 0.5 ? null : pick(rand, ["premium", "regular", "generic", ""], 2),
        lang: rand() < 0.6 ? null : rand() < 0.5 ? "es" : "en",
      };
      const days = getDb()
        .$client.prepare(
          `select touchpoint_id as touchpointId, kind, day, ${SELECT_SUMS} from rollups
            where workspace_id = ? and attribute_key = '' and touchpoint_id in (${q.touchpointIds.map(() => "?").join(", ")})
              and kind in (${q.kinds.map(() => "?").join(", ")}) and day between ? and ?
              ${q.tiers ? `and tier in (${q.tiers.map(() => "?").join(", ")})` : ""} ${q.lang ? "and lang = ?" : ""}
            group by 1, 2, 3`,
        )
        .all(workspaceId, ...q.touchpointIds, ...q.kinds, from, to, ...(q.tiers ?? []), ...(q.lang ? [q.lang] : [])) as ({ touchpointId: number; kind: string; day: string } & RollupColumns)[];
      const expected = new Map<string, RollupColumns>();
      for (const d of days) {
        const key = [d.touchpointId, d.kind, bucketOf(d.day, bucket)].join("|");
        const sums = expected.get(key) ?? (Object.fromEntries(ROLLUP_COLUMNS.map((c) => [c, 0])) as RollupColumns);
        for (const c of ["n", "sum", "sumSq", "sumP", "sumE", "promoters", "detractors", "top2"] as const) sums[c] += d[c];
        sums.passives = Math.max(0, sums.n - sums.promoters - sums.detractors);
        expected.set(key, sums);
      }
      const actual = await queryTrendSums(q, bucket);
      expect(actual.map((r) => [r.touchpointId, r.kind, r.bucket].join("|")).sort(), JSON.stringify({ ...q, bucket })).toEqual([...expected.keys()].sort());
      const keyOf = (row: (typeof actual)[number]) => [row.touchpointId, row.kind, row.bucket].join("|");
      expect(actual.flatMap((row) => differences(row, expected.get(keyOf(row))!, `${bucket} ${from}…${to} ${keyOf(row)}`))).toEqual([]);
    }
  });
});

describe("the migration", () => {
  it("fills the weekly table from the daily rows an existing database holds", () => {
    // A database as it was before the weekly level: migrated up to 0002 only.
    const { db, cleanup } = databaseMigratedBefore("0003_", "weekly-migration");
    try {
      const sqlite = db.$client;
      expect(sqlite.prepare("select count(*) as n from sqlite_master where name = 'rollups_weekly'").get()).toEqual({ n: 0 });
      // Daily rows on every weekday around a year end with ISO week 53, and around a month end.
      const insert = sqlite.prepare(
        `insert into rollups (workspace_id, touchpoint_id, attribute_key, kind, day, tier, lang, ${COLUMNS.join(", ")})
         values (?, ?, ?, ?, ?, ?, ?, ${COLUMNS.map(() => "?").join(", ")})`,
      );
      const rand = random(3);
      const days = [...Array.from({ length: 30 }, (_, i) => addDays("2020-12-15", i)), ...Array.from({ length: 20 }, (_, i) => addDays("2025-03-20", i))];
      for (const day of days) {
        for (const [tp, kind, tier, lang] of [[1, "gap", "", "es"], [1, "nps", "premium", "es"], [2, "gap", "", "en"]] as const) {
          if (rand() < 0.2) continue;
          insert.run(1, tp, "", kind, day, tier, lang, ...COLUMNS.map((c) => (["n", "promoters", "passives", "detractors", "top2"].includes(c) ? Math.floor(rand() * 9) : rand() * 10 - 5)));
        }
      }
      migrateToLatest(db);
      const grouped = sqlite
        .prepare(`select touchpoint_id as tp, kind, day, tier, lang, ${SELECT_SUMS} from rollups group by 1, 2, 3, 4, 5`)
        .all() as ({ tp: number; kind: string; day: string; tier: string; lang: string } & RollupColumns)[];
      const expected = new Map<string, RollupColumns>();
      for (const row of grouped) {
        const key = [row.tp, row.kind, weekOf(row.day), row.tier, row.lang].join("|");
        const sums = expected.get(key) ?? (Object.fromEntries(ROLLUP_COLUMNS.map((c) => [c, 0])) as RollupColumns);
        for (const c of ROLLUP_COLUMNS) sums[c] += row[c];
        expected.set(key, sums);
      }
      const weekly = sqlite
        .prepare(`select touchpoint_id as tp, kind, week, tier, lang, ${ROLLUP_COLUMNS.map((c, i) => `${COLUMNS[i]} as ${c}`).join(", ")} from rollups_weekly`)
        .all() as ({ tp: number; kind: string; week: string; tier: string; lang: string } & RollupColumns)[];
      expect(weekly.map((r) => [r.tp, r.kind, r.week, r.tier, r.lang].join("|")).sort()).toEqual([...expected.keys()].sort());
      expect(weekly.some((r) => r.week === "2020-12-28")).toBe(true);
      expect(weekly.flatMap((row) => differences(row, expected.get([row.tp, row.kind, row.week, row.tier, row.lang].join("|"))!, row.week))).toEqual([]);
    } finally {
      cleanup();
    }
  });
});
