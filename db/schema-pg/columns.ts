// Column builders shared by the PostgreSQL schema modules: the counterparts of the SQLite schema's
// idioms, so every module maps them the same way (type mapping: db/schema-pg/index.ts).
import { integer, timestamp } from "drizzle-orm/pg-core";

/**
 * An instant: SQLite keeps `integer(…, { mode: "timestamp_ms" })` (milliseconds since the epoch); here
 * a timestamptz with millisecond precision, read and written as a Date either way.
 */
export const instant = (name: string) => timestamp(name, { withTimezone: true, mode: "date", precision: 3 });

/** `… DEFAULT (unixepoch('subsec') * 1000)` in SQLite: now() here (the transaction's start, to the ms). */
export const instantNow = (name: string) => instant(name).notNull().defaultNow();

/** SQLite's `integer("id").primaryKey({ autoIncrement: true })`: an identity column, ids never reused. */
export const serialId = (name = "id") => integer(name).primaryKey().generatedByDefaultAsIdentity();
