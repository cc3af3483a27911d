// The survey builder's autosave: the designer's work in progress, kept as they edit (valid or not)
// so a closed tab or a crash loses nothing. One row per survey; saving or publishing the draft
// version (which validates) removes it.
import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { users, workspaces } from "./accounts";
import { surveys } from "./surveys";

export const surveyAutosaves = sqliteTable("survey_autosaves", {
  surveyId: integer("survey_id")
    .primaryKey()
    .references(() => surveys.id, { onDelete: "cascade" }),
  workspaceId: integer("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
  // The SurveyJS JSON as the builder last had it, unvalidated.
  definition: text("definition").notNull(),
  savedBy: integer("saved_by").references(() => users.id, { onDelete: "set null" }),
  savedAt: integer("saved_at", { mode: "timestamp_ms" }).notNull(),
});
