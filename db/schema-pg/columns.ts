// Column builders shared by the PostgreSQL schema modules: the counterparts of the SQLite schema's
// idioms, so every module maps them the same way (type mapping: db/schema-pg/index.ts).
import { doublePrecision, integer, text, timestamp } from "drizzle-orm/pg-core";

/**
 * An instant: SQLite keeps `integer(…, { mode: "timestamp_ms" })` (milliseconds since the epoch); here
 * a timestamptz with millisecond precision, read and written as a Date either way.
 */
export const instant = (name: string) => timestamp(name, { withTimezone: true, mode: "date", precision: 3 });

/** `… DEFAULT (unixepoch('subsec') * 1000)` in SQLite: now() here (the transaction's start, to the ms). */
export const instantNow = (name: string) => instant(name).notNull().defaultNow();

/** SQLite's `integer("id").primaryKey({ autoIncrement: true })`: an identity column, ids never reused. */
export const serialId = (name = "id") => integer(name).primaryKey().generatedByDefaultAsIdentity();

/** The additive columns of both rollup levels (meanings in app/cem/rollup.ts); fresh builders per table. */
export const rollupSums = () => ({
  n: integer("n").notNull().default(0),
  sum: doublePrecision("sum").notNull().default(0),
  sumSq: doublePrecision("sum_sq").notNull().default(0),
  sumP: doublePrecision("sum_p").notNull().default(0),
  sumE: doublePrecision("sum_e").notNull().default(0),
  sumY: doublePrecision("sum_y").notNull().default(0),
  sumYSq: doublePrecision("sum_y_sq").notNull().default(0),
  sumXY: doublePrecision("sum_xy").notNull().default(0),
  promoters: integer("promoters").notNull().default(0),
  passives: integer("passives").notNull().default(0),
  detractors: integer("detractors").notNull().default(0),
  top2: integer("top2").notNull().default(0),
});

/** A daily rollup row's columns: its key (workspace, touchpoint, attribute, kind, day, tier, language), then the sums. */
export const dailyRollupColumns = () => ({
  workspaceId: integer("workspace_id").notNull(),
  touchpointId: integer("touchpoint_id").notNull(),
  attributeKey: text("attribute_key").notNull(),
  kind: text("kind").notNull(),
  day: text("day").notNull(),
  tier: text("tier").notNull(),
  lang: text("lang").notNull(),
  ...rollupSums(),
});

/** A weekly rollup row's columns: the daily key with the week's Monday in place of the day, then the sums. */
export const weeklyRollupColumns = () => {
  const { day: _day, ...daily } = dailyRollupColumns();
  return { ...daily, week: text("week").notNull() };
};
