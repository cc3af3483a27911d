// The two views PostgreSQL readers take the rollups from (db/migrations-pg/0010_rollup_pending.sql):
// the folded rows plus the increments still pending (ADR 033), one row per key and source, so a
// reader sums. Declared as tables for drizzle's query builder, outside db/schema-pg/index.ts:
// drizzle-kit must not create them, and SQLite, whose rollups are never pending, reads the tables.
import { pgTable } from "drizzle-orm/pg-core";
import { dailyRollupColumns, weeklyRollupColumns } from "./columns";

/** Tables PostgreSQL has beside those of the schema modules (written by hand in the same migration). */
export const PG_ONLY_TABLES = ["rollup_pending"] as const;

export const rollupsRead = pgTable("rollups_read", dailyRollupColumns());

export const rollupsWeeklyRead = pgTable("rollups_weekly_read", weeklyRollupColumns());
