// The experiential platform (Schmitt's five steps), one text per field, with a change history.
// PostgreSQL counterpart of db/schema/platform.ts.
import { index, integer, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { users, workspaces } from "./accounts";
import { instant, instantNow, serialId } from "./columns";

export const platformFields = pgTable(
  "platform_fields",
  {
    workspaceId: integer("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    field: text("field").notNull(),
    value: text("value").notNull(),
    updatedBy: integer("updated_by").references(() => users.id, { onDelete: "set null" }),
    updatedAt: instant("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.field] })],
);

export const platformChanges = pgTable(
  "platform_changes",
  {
    id: serialId(),
    workspaceId: integer("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    field: text("field").notNull(),
    previousValue: text("previous_value").notNull(),
    newValue: text("new_value").notNull(),
    changedBy: integer("changed_by").references(() => users.id, { onDelete: "set null" }),
    changedAt: instantNow("changed_at"),
  },
  (t) => [index("platform_changes_ws").on(t.workspaceId, t.changedAt)],
);
