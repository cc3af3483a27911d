// Surveys of a workspace and their versions: created from a template for a touchpoint, edited as one
// draft version, frozen on publishing. Published versions are never changed again, so every response
// keeps pointing at exactly the questions it answered.
import { and, asc, count, desc, eq, inArray, max, sql } from "drizzle-orm";
import { getDb, type Executor, type Tx } from "#db/client";
import { attributes, deployments, journeys, responses, stages, surveys, surveyVersions, touchpoints } from "#db/schema/index";
import { validateSurveyDefinition, type SurveyDefinitionError } from "~/survey/definition-validation";
import { readText } from "~/survey/builder/text";
import { clearAutosave } from "./survey-autosave.server";
import { buildSurvey, type SurveyBuildOptions, type SurveyTemplate } from "~/survey/templates";
import { isServqualDimension, localizedName, type SurveyTouchpoint } from "~/survey/types";
import { workspaceBrand } from "./workspaces.server";

export type SurveyVersionRow = typeof surveyVersions.$inferSelect;
export type SurveyResult<T> = ({ ok: true } & T) | { ok: false; errors: SurveyDefinitionError[] };

/** A touchpoint as the survey domain sees it (name and attributes), or null outside this workspace. */
export async function surveyTouchpoint(
  workspaceId: number,
  touchpointId: number,
  conn: Executor = getDb(),
): Promise<(SurveyTouchpoint & { id: number }) | null> {
  const [tp] = await conn
    .select({ id: touchpoints.id, key: touchpoints.key, name: touchpoints.name, nameEn: touchpoints.nameEn })
    .from(touchpoints)
    .where(and(eq(touchpoints.workspaceId, workspaceId), eq(touchpoints.id, touchpointId)))
    .limit(1);
  if (!tp) return null;
  const attrs = await conn
    .select()
    .from(attributes)
    .where(and(eq(attributes.workspaceId, workspaceId), eq(attributes.touchpointId, tp.id)))
    .orderBy(asc(attributes.position));
  return {
    ...tp,
    attributes: attrs.map((a) => ({
      key: a.key,
      label: localizedName(a.labelEs, a.labelEn),
      servqual: isServqualDimension(a.servqual) ? a.servqual : null,
    })),
  };
}

/** Every touchpoint a survey can be made for, grouped by journey and stage order. */
export async function surveyTouchpointChoices(workspaceId: number) {
  return getDb()
    .select({
      id: touchpoints.id,
      key: touchpoints.key,
      name: touchpoints.name,
      journey: journeys.name,
      stage: stages.name,
      momentOfTruth: touchpoints.momentOfTruth,
      // Counts are numbers on both engines (PostgreSQL's count is a bigint, which pg gives as text).
      attributes: sql<number>`(select count(*) from ${attributes} where ${attributes.touchpointId} = ${touchpoints.id})`.mapWith(Number),
    })
    .from(touchpoints)
    .innerJoin(journeys, eq(journeys.id, touchpoints.journeyId))
    .innerJoin(stages, eq(stages.id, touchpoints.stageId))
    .where(eq(touchpoints.workspaceId, workspaceId))
    .orderBy(asc(journeys.name), asc(stages.position), asc(touchpoints.position));
}

export async function listSurveys(workspaceId: number, filter: { touchpointId?: number } = {}) {
  const db = getDb();
  const rows = await db
    .select({
      id: surveys.id,
      title: surveys.title,
      titleEn: surveys.titleEn,
      template: surveys.template,
      createdAt: surveys.createdAt,
      touchpointId: touchpoints.id,
      touchpointKey: touchpoints.key,
      touchpointName: touchpoints.name,
      touchpointNameEn: touchpoints.nameEn,
      journey: journeys.name,
      journeyEn: journeys.nameEn,
    })
    .from(surveys)
    .innerJoin(touchpoints, eq(touchpoints.id, surveys.touchpointId))
    .innerJoin(journeys, eq(journeys.id, touchpoints.journeyId))
    .where(
      and(
        eq(surveys.workspaceId, workspaceId),
        filter.touchpointId ? eq(surveys.touchpointId, filter.touchpointId) : undefined,
        sql`${surveys.archivedAt} is null`,
      ),
    )
    .orderBy(desc(surveys.createdAt), desc(surveys.id));
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const versions = await db
    .select({ surveyId: surveyVersions.surveyId, version: surveyVersions.version, status: surveyVersions.status })
    .from(surveyVersions)
    .where(and(eq(surveyVersions.workspaceId, workspaceId), inArray(surveyVersions.surveyId, ids)));
  const live = new Map(
    (
      await db
        .select({ surveyId: deployments.surveyId, n: count() })
        .from(deployments)
        .where(and(eq(deployments.workspaceId, workspaceId), inArray(deployments.surveyId, ids), eq(deployments.active, true)))
        .groupBy(deployments.surveyId)
    ).map((r) => [r.surveyId, r.n]),
  );
  return rows.map((r) => {
    const own = versions.filter((v) => v.surveyId === r.id);
    const published = own.filter((v) => v.status === "published").map((v) => v.version);
    return {
      ...r,
      publishedVersion: published.length ? Math.max(...published) : null,
      hasDraft: own.some((v) => v.status === "draft"),
      activeDeployments: live.get(r.id) ?? 0,
    };
  });
}

export type CreateSurveyInput = {
  touchpointId: number;
  template: SurveyTemplate;
  blocks: Pick<SurveyBuildOptions, "nps" | "csat" | "ces" | "importance" | "comment">;
  title?: string;
  titleEn?: string;
};

/**
 * A new survey with draft version 1 generated from the template. The generated definition is
 * validated like any other, so a touchpoint without attributes under gap pair is refused with a
 * message, not saved as an empty survey.
 */
export async function createSurveyFromTemplate(
  workspaceId: number,
  userId: number | null,
  input: CreateSurveyInput,
): Promise<SurveyResult<{ surveyId: number }> | null> {
  const touchpoint = await surveyTouchpoint(workspaceId, input.touchpointId);
  if (!touchpoint) return null;
  // Each language's title: the one typed, else the touchpoint's name in that language.
  const title = input.title?.trim() || touchpoint.name;
  const titleEn = input.titleEn?.trim() || touchpoint.nameEn?.trim() || "";
  const brand = await workspaceBrand(workspaceId);
  const definition = buildSurvey(touchpoint, {
    template: input.template,
    ...input.blocks,
    title: localizedName(title, titleEn),
    brand,
  });
  const checked = validateSurveyDefinition(definition, touchpoint);
  if (!checked.ok) return checked;
  return getDb().transaction(async (tx) => {
    const [survey] = await tx
      .insert(surveys)
      .values({ workspaceId, touchpointId: touchpoint.id, title, titleEn, template: input.template, createdBy: userId })
      .returning({ id: surveys.id });
    await tx.insert(surveyVersions).values({
      workspaceId,
      surveyId: survey.id,
      version: 1,
      definition: JSON.stringify(definition, null, 2),
      status: "draft",
      createdBy: userId,
    });
    return { ok: true as const, surveyId: survey.id };
  });
}

export async function getSurvey(workspaceId: number, surveyId: number) {
  if (!Number.isSafeInteger(surveyId)) return null;
  const [survey] = await getDb()
    .select()
    .from(surveys)
    .where(and(eq(surveys.workspaceId, workspaceId), eq(surveys.id, surveyId)))
    .limit(1);
  return survey ?? null;
}

/** Versions newest first, each with how many responses point at it. */
/**
 * Renames a survey in both languages ("" leaves the English title untranslated). Respondents see the
 * new title at once: the page names the survey by these titles, not by the version's definition.
 */
export async function renameSurvey(workspaceId: number, surveyId: number, names: { title: string; titleEn: string }): Promise<boolean> {
  const changed = await getDb()
    .update(surveys)
    .set({ title: names.title, titleEn: names.titleEn })
    .where(and(eq(surveys.workspaceId, workspaceId), eq(surveys.id, surveyId)))
    .returning({ id: surveys.id });
  return changed.length > 0;
}

export async function listVersions(workspaceId: number, surveyId: number) {
  const db = getDb();
  const versions = await db
    .select({
      id: surveyVersions.id,
      version: surveyVersions.version,
      status: surveyVersions.status,
      createdAt: surveyVersions.createdAt,
      publishedAt: surveyVersions.publishedAt,
    })
    .from(surveyVersions)
    .where(and(eq(surveyVersions.workspaceId, workspaceId), eq(surveyVersions.surveyId, surveyId)))
    .orderBy(desc(surveyVersions.version));
  if (versions.length === 0) return [];
  // Counted in a query of its own, grouped by version: a correlated subquery in the select list is
  // written by drizzle with unqualified column names, so "id" there meant the response's own id.
  const counts = await db
    .select({ versionId: responses.surveyVersionId, n: count() })
    .from(responses)
    .where(and(eq(responses.workspaceId, workspaceId), inArray(responses.surveyVersionId, versions.map((v) => v.id))))
    .groupBy(responses.surveyVersionId);
  const byVersion = new Map(counts.map((c) => [c.versionId, Number(c.n)]));
  return versions.map((v) => ({ ...v, responses: byVersion.get(v.id) ?? 0 }));
}

export async function getVersion(workspaceId: number, surveyId: number, version: number): Promise<SurveyVersionRow | null> {
  const [row] = await getDb()
    .select()
    .from(surveyVersions)
    .where(and(eq(surveyVersions.workspaceId, workspaceId), eq(surveyVersions.surveyId, surveyId), eq(surveyVersions.version, version)))
    .limit(1);
  return row ?? null;
}

export async function draftVersion(workspaceId: number, surveyId: number, conn: Executor = getDb()): Promise<SurveyVersionRow | null> {
  const [row] = await conn
    .select()
    .from(surveyVersions)
    .where(and(eq(surveyVersions.workspaceId, workspaceId), eq(surveyVersions.surveyId, surveyId), eq(surveyVersions.status, "draft")))
    .orderBy(desc(surveyVersions.version))
    .limit(1);
  return row ?? null;
}

/** The version deployments serve: the latest published one, or null before the first publication. */
export async function currentPublishedVersion(
  workspaceId: number,
  surveyId: number,
  conn: Executor = getDb(),
): Promise<SurveyVersionRow | null> {
  const [row] = await conn
    .select()
    .from(surveyVersions)
    .where(
      and(eq(surveyVersions.workspaceId, workspaceId), eq(surveyVersions.surveyId, surveyId), eq(surveyVersions.status, "published")),
    )
    .orderBy(desc(surveyVersions.version))
    .limit(1);
  return row ?? null;
}

/** What the editor opens: the draft when there is one, else the latest published version. */
export async function editableVersion(workspaceId: number, surveyId: number): Promise<SurveyVersionRow | null> {
  return (await draftVersion(workspaceId, surveyId)) ?? (await currentPublishedVersion(workspaceId, surveyId));
}

/**
 * Saves the definition as the survey's draft after validating it with survey-core and Vivencia's
 * measurement rules. Published versions are never edited: without a draft, a new draft N+1 is
 * created (whether or not responses already point at the published one), so nothing a respondent
 * answered ever changes under them. Null when the survey is not in this workspace.
 */
export async function saveDraft(
  workspaceId: number,
  surveyId: number,
  userId: number | null,
  definitionText: string,
): Promise<SurveyResult<{ version: number; created: boolean }> | null> {
  return writeDefinition(workspaceId, surveyId, userId, definitionText, null);
}

/**
 * Saves the definition and publishes it in one transaction: it becomes the version every
 * deployment serves. Refused when it is exactly the version already published (nothing to publish).
 */
export async function saveAndPublish(
  workspaceId: number,
  surveyId: number,
  userId: number | null,
  definitionText: string,
  now = new Date(),
): Promise<SurveyResult<{ version: number; created: boolean }> | null> {
  return writeDefinition(workspaceId, surveyId, userId, definitionText, now);
}

async function writeDefinition(
  workspaceId: number,
  surveyId: number,
  userId: number | null,
  definitionText: string,
  publishAt: Date | null,
): Promise<SurveyResult<{ version: number; created: boolean }> | null> {
  const survey = await getSurvey(workspaceId, surveyId);
  if (!survey) return null;
  const touchpoint = await surveyTouchpoint(workspaceId, survey.touchpointId);
  if (!touchpoint) return null;
  const checked = validateSurveyDefinition(definitionText, touchpoint);
  if (!checked.ok) return checked;
  const published = publishAt ? { status: "published" as const, publishedAt: publishAt } : {};
  // Stored as received (the designer's formatting), now that it is known to be a valid definition.
  return getDb().transaction(async (tx) => {
    // The builder's work in progress is now saved for real.
    await clearAutosave(workspaceId, surveyId, tx);
    const draft = await draftVersion(workspaceId, surveyId, tx);
    if (draft) {
      await tx
        .update(surveyVersions)
        .set({ definition: definitionText, createdBy: userId, ...published })
        .where(eq(surveyVersions.id, draft.id));
      if (publishAt) await takePublishedTitles(tx, surveyId, definitionText);
      return { ok: true as const, version: draft.version, created: false };
    }
    const current = await currentPublishedVersion(workspaceId, surveyId, tx);
    if (publishAt && current && sameDefinition(current.definition, definitionText)) {
      return {
        ok: false as const,
        errors: [{ message: `Nothing to publish: version ${current.version} is already published with this definition.`, source: "vivencia" as const }],
      };
    }
    const version = await nextVersionNumber(tx, surveyId);
    await tx
      .insert(surveyVersions)
      .values({ workspaceId, surveyId, version, definition: definitionText, status: "draft", createdBy: userId, ...published });
    if (publishAt) await takePublishedTitles(tx, surveyId, definitionText);
    return { ok: true as const, version, created: true };
  });
}

/**
 * The titles a published definition sets, per language (SurveyJS: a plain string is the Spanish one
 * here; in a localizable object "default" is English). Respondents are shown the survey's stored
 * titles, so publishing makes the builder's title theirs; a language the definition leaves out keeps
 * the stored title (one set on the survey page stays).
 */
export function definitionTitles(definitionText: string): { title?: string; titleEn?: string } {
  let json: unknown;
  try {
    json = JSON.parse(definitionText);
  } catch {
    return {};
  }
  const title = (json as { title?: unknown } | null)?.title;
  // A plain string is shown in every language: it is the survey's (Spanish) title.
  if (typeof title === "string") return title.trim() ? { title: title.trim() } : {};
  const out: { title?: string; titleEn?: string } = {};
  const es = readText(title, "es").trim();
  const en = readText(title, "en").trim();
  if (es) out.title = es;
  // The generated definitions repeat the Spanish title where no English one was given
  // (localizedName): that is no translation, and must not hide the missing one.
  if (en && en !== es) out.titleEn = en;
  return out;
}

async function takePublishedTitles(tx: Tx, surveyId: number, definitionText: string): Promise<void> {
  const titles = definitionTitles(definitionText);
  if (titles.title === undefined && titles.titleEn === undefined) return;
  await tx.update(surveys).set(titles).where(eq(surveys.id, surveyId));
}

function sameDefinition(a: string, b: string): boolean {
  try {
    return JSON.stringify(JSON.parse(a)) === JSON.stringify(JSON.parse(b));
  } catch {
    return a === b;
  }
}

async function nextVersionNumber(tx: Tx, surveyId: number): Promise<number> {
  const [row] = await tx.select({ v: max(surveyVersions.version) }).from(surveyVersions).where(eq(surveyVersions.surveyId, surveyId));
  return (row?.v ?? 0) + 1;
}

/**
 * Publishes the saved draft as it is: it becomes the version every deployment serves, frozen from
 * now on. Validated again, since the touchpoint's attributes may have changed since it was saved.
 */
export async function publishDraft(workspaceId: number, surveyId: number, now = new Date()): Promise<SurveyResult<{ version: number }> | null> {
  const survey = await getSurvey(workspaceId, surveyId);
  if (!survey) return null;
  const touchpoint = await surveyTouchpoint(workspaceId, survey.touchpointId);
  if (!touchpoint) return null;
  return getDb().transaction(async (tx) => {
    const draft = await draftVersion(workspaceId, surveyId, tx);
    if (!draft) {
      return { ok: false as const, errors: [{ message: "There is no draft to publish: save a change first.", source: "vivencia" as const }] };
    }
    const checked = validateSurveyDefinition(draft.definition, touchpoint);
    if (!checked.ok) return checked;
    await tx.update(surveyVersions).set({ status: "published", publishedAt: now }).where(eq(surveyVersions.id, draft.id));
    await takePublishedTitles(tx, surveyId, draft.definition);
    return { ok: true as const, version: draft.version };
  });
}

/** Drops the draft; the survey keeps its published versions. Refused when there is nothing published to fall back to. */
export async function discardDraft(workspaceId: number, surveyId: number): Promise<{ ok: boolean }> {
  return getDb().transaction(async (tx) => {
    const draft = await draftVersion(workspaceId, surveyId, tx);
    if (!draft || !(await currentPublishedVersion(workspaceId, surveyId, tx))) return { ok: false };
    await tx.delete(surveyVersions).where(eq(surveyVersions.id, draft.id));
    await clearAutosave(workspaceId, surveyId, tx);
    return { ok: true };
  });
}
