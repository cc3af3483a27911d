// The experiential platform (Schmitt's five steps), one text per field, with a change history.
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { users, workspaces } from "./accounts";

export const platformFields = sqliteTable(
  "platform_fields",
  {
    workspaceId: integer("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    field: text("field").notNull(),
    value: text("value").notNull(),
    updatedBy: integer("updated_by").references(() => users.id, { onDelete: "set null" }),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.field] })],
);

export const platformChanges = sqliteTable(
  "platform_changes",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    workspaceId: integer("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    field: text("field").notNull(),
    previousValue: text("previous_value").notNull(),
    newValue: text("new_value").notNull(),
    changedBy: integer("changed_by").references(() => users.id, { onDelete: "set null" }),
    changedAt: integer("changed_at", { mode: "timestamp_ms" }).notNull().default(sql`(unixepoch('subsec') * 1000)`),
  },
  (t) => [index("platform_changes_ws").on(t.workspaceId, t.changedAt)],
);
