// Targets: what a process, touchpoint or attribute should reach on a metric, from an optional day on.
// The unit is named by its key (process key, touchpoint key, "touchpoint/attribute"), not its row id:
// a journey imported again with --replace gets new touchpoint rows under the same keys, and its
// targets must stay (docs/decisions/024-home-findings-and-fdr.md).
import { sql } from "drizzle-orm";
import { index, integer, real, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { users, workspaces } from "./accounts";

// The same lists as app/cem/targets.ts (TARGET_UNITS, TARGET_METRICS); the domain does not import the schema.
const TARGET_UNIT_KINDS = ["process", "touchpoint", "attribute"] as const;
const TARGET_METRIC_KINDS = ["gap", "nps", "csat", "ces"] as const;

export const targets = sqliteTable(
  "targets",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    workspaceId: integer("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    unit: text("unit", { enum: TARGET_UNIT_KINDS }).notNull(),
    unitKey: text("unit_key").notNull(),
    metric: text("metric", { enum: TARGET_METRIC_KINDS }).notNull(),
    /** In the statistics' units: a gap, NPS points, CSAT as a share 0..1, CES on 1–7. */
    value: real("value").notNull(),
    /** The first UTC day (YYYY-MM-DD) it applies; null = from the beginning. */
    fromDay: text("from_day"),
    updatedBy: integer("updated_by").references(() => users.id, { onDelete: "set null" }),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull().default(sql`(unixepoch('subsec') * 1000)`),
  },
  (t) => [index("targets_ws_unit").on(t.workspaceId, t.unit, t.unitKey)],
);
