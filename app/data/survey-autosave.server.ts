// The builder's autosave: the work in progress of a survey's definition, kept as the designer edits,
// valid or not (a half-built gap pair must survive a closed tab too). It is not a version: nothing
// is served from it, and saving or publishing the draft version — which validates — removes it.
import { and, eq } from "drizzle-orm";
import { getDb, type Executor } from "#db/client";
import { surveyAutosaves, surveys } from "#db/schema/index";
import { parseSurveyJson } from "~/survey/definition-validation";

export type AutosaveResult = { ok: true; savedAt: Date } | { ok: false; message: string } | null;

/**
 * Keeps the text as the survey's autosave. It must at least be a JSON object (the builder only ever
 * sends one); null when the survey is not in this workspace.
 */
export async function autosaveDefinition(
  workspaceId: number,
  surveyId: number,
  userId: number | null,
  definitionText: string,
  now = new Date(),
): Promise<AutosaveResult> {
  if (!Number.isSafeInteger(surveyId)) return null;
  const parsed = parseSurveyJson(definitionText);
  if (!parsed.ok) return { ok: false, message: parsed.message };
  const db = getDb();
  const [survey] = await db
    .select({ id: surveys.id })
    .from(surveys)
    .where(and(eq(surveys.workspaceId, workspaceId), eq(surveys.id, surveyId)))
    .limit(1);
  if (!survey) return null;
  await db
    .insert(surveyAutosaves)
    .values({ surveyId, workspaceId, definition: definitionText, savedBy: userId, savedAt: now })
    .onConflictDoUpdate({ target: surveyAutosaves.surveyId, set: { definition: definitionText, savedBy: userId, savedAt: now } });
  return { ok: true, savedAt: now };
}

export async function getAutosave(workspaceId: number, surveyId: number) {
  const [row] = await getDb()
    .select({ definition: surveyAutosaves.definition, savedAt: surveyAutosaves.savedAt })
    .from(surveyAutosaves)
    .where(and(eq(surveyAutosaves.workspaceId, workspaceId), eq(surveyAutosaves.surveyId, surveyId)))
    .limit(1);
  return row ?? null;
}

/** Drops the autosave; called inside the transaction that saves, publishes or discards the draft. */
export async function clearAutosave(workspaceId: number, surveyId: number, conn: Executor = getDb()): Promise<void> {
  await conn.delete(surveyAutosaves).where(and(eq(surveyAutosaves.workspaceId, workspaceId), eq(surveyAutosaves.surveyId, surveyId)));
}
