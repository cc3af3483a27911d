// Targets per process, touchpoint or attribute and metric.
// PostgreSQL counterpart of db/schema/targets.ts.
import { doublePrecision, index, integer, pgTable, text } from "drizzle-orm/pg-core";
import { users, workspaces } from "./accounts";
import { instantNow, serialId } from "./columns";

const TARGET_UNIT_KINDS = ["process", "touchpoint", "attribute"] as const;
const TARGET_METRIC_KINDS = ["gap", "nps", "csat", "ces"] as const;

export const targets = pgTable(
  "targets",
  {
    id: serialId(),
    workspaceId: integer("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    unit: text("unit", { enum: TARGET_UNIT_KINDS }).notNull(),
    unitKey: text("unit_key").notNull(),
    metric: text("metric", { enum: TARGET_METRIC_KINDS }).notNull(),
    value: doublePrecision("value").notNull(),
    fromDay: text("from_day"),
    updatedBy: integer("updated_by").references(() => users.id, { onDelete: "set null" }),
    updatedAt: instantNow("updated_at"),
  },
  (t) => [index("targets_ws_unit").on(t.workspaceId, t.unit, t.unitKey)],
);
