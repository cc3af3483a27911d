// Surveys, published versions, deployments, customers and invitations written straight into the
// database (drizzle, no designer code), for the respondent and ingest tests and the bench.
// Definitions come from the survey templates, built for a touchpoint of an imported journey.
import { randomBytes } from "node:crypto";
import { and, asc, eq } from "drizzle-orm";
import { getDb } from "#db/client";
import { attributes, customers, deployments, invitations, surveyVersions, surveys, touchpoints } from "#db/schema/index";
import { recordResponse, type RecordResult, type ResponseInput } from "~/data/responses.server";
import { buildSurvey, type SurveyBuildOptions } from "~/survey/templates";
import type { ServqualDimension, SurveyJson, SurveyTouchpoint } from "~/survey/types";

/** A capability token as the app makes them: 128 random bits, base64url. */
export function newToken(): string {
  return randomBytes(16).toString("base64url");
}

/** A touchpoint of the workspace with its attributes, as the survey templates take it. */
export async function surveyTouchpoint(workspaceId: number, key: string): Promise<SurveyTouchpoint & { id: number }> {
  const db = getDb();
  const [tp] = await db
    .select()
    .from(touchpoints)
    .where(and(eq(touchpoints.workspaceId, workspaceId), eq(touchpoints.key, key)))
    .limit(1);
  if (!tp) throw new Error(`no touchpoint "${key}" in workspace ${workspaceId}`);
  const attrs = await db.select().from(attributes).where(eq(attributes.touchpointId, tp.id)).orderBy(asc(attributes.position));
  return {
    id: tp.id,
    key: tp.key,
    name: tp.name,
    attributes: attrs.map((a) => ({
      key: a.key,
      label: { es: a.labelEs, en: a.labelEn },
      servqual: (a.servqual as ServqualDimension | null) ?? null,
    })),
  };
}

export type SurveyFixture = {
  workspaceId: number;
  touchpoint: SurveyTouchpoint & { id: number };
  surveyId: number;
  versionId: number;
  deploymentId: number;
  publicToken: string;
  json: SurveyJson;
};

export type SurveyFixtureOptions = {
  touchpointKey: string;
  /** Template options for buildSurvey; ignored when `definition` is given. */
  build?: SurveyBuildOptions;
  definition?: SurveyJson;
  /** Deployment switched on (default) or off. */
  active?: boolean;
};

export async function publishVersion(workspaceId: number, surveyId: number, json: SurveyJson, version: number): Promise<number> {
  const [row] = await getDb()
    .insert(surveyVersions)
    .values({ workspaceId, surveyId, version, definition: JSON.stringify(json), status: "published", publishedAt: new Date() })
    .returning({ id: surveyVersions.id });
  return row.id;
}

/** A survey for the touchpoint with one published version and a deployment with a public link. */
export async function makeSurveyFixture(workspaceId: number, options: SurveyFixtureOptions): Promise<SurveyFixture> {
  const db = getDb();
  const touchpoint = await surveyTouchpoint(workspaceId, options.touchpointKey);
  const build = options.build ?? { nps: true, csat: true, comment: true };
  const json = options.definition ?? buildSurvey(touchpoint, build);
  const [survey] = await db
    .insert(surveys)
    .values({ workspaceId, touchpointId: touchpoint.id, title: touchpoint.name, template: options.definition ? "custom" : (build.template ?? "gap_pair") })
    .returning({ id: surveys.id });
  const surveyId = survey.id;
  const versionId = await publishVersion(workspaceId, surveyId, json, 1);
  const publicToken = newToken();
  const [deployment] = await db
    .insert(deployments)
    .values({ workspaceId, surveyId, touchpointId: touchpoint.id, name: `${touchpoint.name} (link)`, publicToken, active: options.active ?? true })
    .returning({ id: deployments.id });
  const deploymentId = deployment.id;
  return { workspaceId, touchpoint, surveyId, versionId, deploymentId, publicToken, json };
}

export async function makeCustomer(workspaceId: number, externalId: string, tier: string | null = null, name = ""): Promise<number> {
  const [row] = await getDb()
    .insert(customers)
    .values({ workspaceId, externalId, tier, name })
    .returning({ id: customers.id });
  return row.id;
}

export type InvitationFixture = { id: number; token: string; customerId: number };

/** A personal invitation to the fixture's deployment; expires in a week unless told otherwise. */
export async function makeInvitation(
  fixture: Pick<SurveyFixture, "workspaceId" | "deploymentId">,
  customerId: number,
  options: { expiresAt?: Date; state?: (typeof invitations.$inferInsert)["state"] } = {},
): Promise<InvitationFixture> {
  const token = newToken();
  const now = Date.now();
  const [row] = await getDb()
    .insert(invitations)
    .values({
      workspaceId: fixture.workspaceId,
      deploymentId: fixture.deploymentId,
      customerId,
      token,
      state: options.state ?? "pending",
      sendAt: new Date(now),
      expiresAt: options.expiresAt ?? new Date(now + 7 * 24 * 3600_000),
    })
    .returning({ id: invitations.id });
  return { id: row.id, token, customerId };
}

/** Answers to every rating question of a definition, from `pick(min, max, name)`; comment optional. */
export function ratingAnswers(
  json: SurveyJson,
  pick: (min: number, max: number, name: string) => number | undefined,
  comment?: string,
): Record<string, unknown> {
  const answers: Record<string, unknown> = {};
  const pages = (json.pages ?? []) as { elements: { type: string; name: string; rateMin?: number; rateMax?: number }[] }[];
  for (const page of pages) {
    for (const element of page.elements) {
      if (element.type === "rating") {
        const value = pick(element.rateMin ?? 1, element.rateMax ?? 5, element.name);
        if (value !== undefined) answers[element.name] = value;
      } else if (element.type === "comment" && comment !== undefined) answers[element.name] = comment;
    }
  }
  return answers;
}

/** Records answers to a fixture's survey in this process, as the API would (Spanish, source "api"). */
export function recordFixtureAnswers(fixture: SurveyFixture, answers: Record<string, unknown>, more: Partial<ResponseInput> = {}): Promise<RecordResult> {
  return recordResponse({
    workspaceId: fixture.workspaceId,
    versionId: fixture.versionId,
    touchpointId: fixture.touchpoint.id,
    deploymentId: fixture.deploymentId,
    lang: "es",
    source: "api",
    data: JSON.stringify(answers),
    ...more,
  });
}
