// The survey builder's autosave: the designer's work in progress, kept as they edit (valid or not).
// PostgreSQL counterpart of db/schema/survey-builder.ts.
import { integer, pgTable, text } from "drizzle-orm/pg-core";
import { users, workspaces } from "./accounts";
import { instant } from "./columns";
import { surveys } from "./surveys";

export const surveyAutosaves = pgTable("survey_autosaves", {
  surveyId: integer("survey_id")
    .primaryKey()
    .references(() => surveys.id, { onDelete: "cascade" }),
  workspaceId: integer("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
  definition: text("definition").notNull(),
  savedBy: integer("saved_by").references(() => users.id, { onDelete: "set null" }),
  savedAt: instant("saved_at").notNull(),
});
