// What a survey link opens, as the respondent side reads it: a deployment's public token or a
// personal invitation's token → the brand, the survey version to answer and the link's state;
// plus the invitation's saved progress, and the deployment an API client names. Nothing here
// exposes more of a workspace than its name and the survey itself.
import { and, desc, eq, sql } from "drizzle-orm";
import { getDb } from "#db/client";
import { deployments, invitations, surveyVersions, surveys, workspaces } from "#db/schema/index";
import type { Lang } from "~/i18n/lang";
import type { SurveyJson } from "~/survey/types";
import { publishedVersion, type PublishedVersion } from "./responses.server";
import { cachedLookup } from "./lookup-cache.server";

export type OpenLink = {
  state: "open";
  kind: "invitation" | "link";
  brand: string;
  workspaceId: number;
  deploymentId: number;
  touchpointId: number;
  surveyId: number;
  version: PublishedVersion;
  invitationId: number | null;
  /** Saved answers so far (invitations only), as the page last sent them. */
  progress: string | null;
};

export type RespondentLink =
  | { state: "unknown" }
  /** The deployment was switched off, the survey archived, or nothing is published yet. */
  | { state: "closed"; brand: string }
  | { state: "expired"; brand: string }
  | { state: "completed"; brand: string }
  | OpenLink;

// Tokens are >= 128 random bits in base64url; anything else is not worth a query.
const TOKEN = /^[A-Za-z0-9_-]{16,128}$/;

/** The newest published version of a survey (what a deployment serves), or null. */
export function latestPublishedVersion(surveyId: number): PublishedVersion | null {
  const row = getDb()
    .select({ id: surveyVersions.id })
    .from(surveyVersions)
    .where(and(eq(surveyVersions.surveyId, surveyId), eq(surveyVersions.status, "published")))
    .orderBy(desc(surveyVersions.version))
    .limit(1)
    .get();
  return row ? publishedVersion(row.id) : null;
}

/**
 * A published version of this survey, as a page rendered it: answers are recorded against the
 * version the respondent saw, even if a newer one was published while they answered.
 */
export function versionOfSurvey(surveyId: number, versionId: number): PublishedVersion | null {
  const version = publishedVersion(versionId);
  return version && version.surveyId === surveyId ? version : null;
}

export function resolveRespondentToken(token: string, now: Date = new Date()): RespondentLink {
  if (!TOKEN.test(token)) return { state: "unknown" };
  const db = getDb();
  const invitation = db
    .select({
      id: invitations.id,
      state: invitations.state,
      expiresAt: invitations.expiresAt,
      progress: invitations.progress,
      deploymentId: deployments.id,
      touchpointId: deployments.touchpointId,
      active: deployments.active,
      surveyId: surveys.id,
      archivedAt: surveys.archivedAt,
      workspaceId: workspaces.id,
      brand: workspaces.name,
    })
    .from(invitations)
    .innerJoin(deployments, eq(deployments.id, invitations.deploymentId))
    .innerJoin(surveys, eq(surveys.id, deployments.surveyId))
    .innerJoin(workspaces, eq(workspaces.id, invitations.workspaceId))
    .where(eq(invitations.token, token))
    .get();
  if (invitation) {
    const brand = invitation.brand;
    if (invitation.state === "completed") return { state: "completed", brand };
    if (invitation.state === "expired" || invitation.expiresAt.getTime() <= now.getTime()) return { state: "expired", brand };
    const version = invitation.archivedAt ? null : latestPublishedVersion(invitation.surveyId);
    if (!version || !invitation.active) return { state: "closed", brand };
    return {
      state: "open",
      kind: "invitation",
      brand,
      workspaceId: invitation.workspaceId,
      deploymentId: invitation.deploymentId,
      touchpointId: invitation.touchpointId,
      surveyId: invitation.surveyId,
      version,
      invitationId: invitation.id,
      progress: invitation.progress,
    };
  }

  const link = db
    .select({
      deploymentId: deployments.id,
      touchpointId: deployments.touchpointId,
      active: deployments.active,
      surveyId: surveys.id,
      archivedAt: surveys.archivedAt,
      workspaceId: workspaces.id,
      brand: workspaces.name,
    })
    .from(deployments)
    .innerJoin(surveys, eq(surveys.id, deployments.surveyId))
    .innerJoin(workspaces, eq(workspaces.id, deployments.workspaceId))
    .where(eq(deployments.publicToken, token))
    .get();
  if (!link) return { state: "unknown" };
  const version = link.archivedAt ? null : latestPublishedVersion(link.surveyId);
  if (!version || !link.active) return { state: "closed", brand: link.brand };
  return {
    state: "open",
    kind: "link",
    brand: link.brand,
    workspaceId: link.workspaceId,
    deploymentId: link.deploymentId,
    touchpointId: link.touchpointId,
    surveyId: link.surveyId,
    version,
    invitationId: null,
    progress: null,
  };
}

/** First sight of a personal link: pending → opened (later views change nothing). */
export function markInvitationOpened(invitationId: number, now: Date = new Date()): void {
  getDb()
    .update(invitations)
    .set({ state: "opened", openedAt: now })
    .where(and(eq(invitations.id, invitationId), eq(invitations.state, "pending")))
    .run();
}

export const MAX_PROGRESS_LENGTH = 64 * 1024;

/**
 * Keeps the answers so far on an open invitation, so that a reload continues where the customer
 * was. False when the invitation can no longer be answered.
 */
export function saveInvitationProgress(invitationId: number, progress: string, now: Date = new Date()): boolean {
  if (progress.length > MAX_PROGRESS_LENGTH) return false;
  const result = getDb()
    .update(invitations)
    .set({
      progress,
      state: "opened",
      openedAt: sql`coalesce(${invitations.openedAt}, ${now.getTime()})`,
    })
    .where(
      and(
        eq(invitations.id, invitationId),
        sql`${invitations.state} in ('pending', 'opened')`,
        sql`${invitations.expiresAt} > ${now.getTime()}`,
      ),
    )
    .run();
  return result.changes > 0;
}

export type ApiTarget = { deploymentId: number; touchpointId: number; version: PublishedVersion };
export type ApiTargetResult = { ok: true; target: ApiTarget } | { ok: false; reason: "not_found" | "unpublished" };

type TargetRow = { deploymentId: number; touchpointId: number; versionId: number | null };
const targetStatements = new WeakMap<object, { byId: (ws: number, id: number) => TargetRow | undefined; byKey: (ws: number, key: string) => TargetRow | undefined }>();

// Hot path (every API response): two prepared statements rather than a query builder per call.
function apiTargetStatements() {
  const sqlite = getDb().$client;
  let prepared = targetStatements.get(sqlite);
  if (!prepared) {
    const latest = `(SELECT v.id FROM survey_versions v WHERE v.survey_id = d.survey_id AND v.status = 'published'
                      ORDER BY v.version DESC LIMIT 1)`;
    const byId = sqlite.prepare<[number, number], TargetRow>(
      `SELECT d.id AS deploymentId, d.touchpoint_id AS touchpointId, ${latest} AS versionId
         FROM deployments d JOIN surveys s ON s.id = d.survey_id
        WHERE d.workspace_id = ? AND d.id = ? AND s.archived_at IS NULL`,
    );
    const byKey = sqlite.prepare<[number, string], TargetRow>(
      `SELECT d.id AS deploymentId, d.touchpoint_id AS touchpointId, ${latest} AS versionId
         FROM deployments d JOIN touchpoints t ON t.id = d.touchpoint_id JOIN surveys s ON s.id = d.survey_id
        WHERE t.workspace_id = ? AND t.key = ? AND d.active = 1 AND s.archived_at IS NULL
        ORDER BY d.id DESC LIMIT 1`,
    );
    prepared = { byId: (ws, id) => byId.get(ws, id), byKey: (ws, key) => byKey.get(ws, key) };
    targetStatements.set(sqlite, prepared);
  }
  return prepared;
}

/**
 * The deployment an API client names, in its token's workspace: by id (even if switched off since:
 * answers collected offline still arrive), or by touchpoint key (its newest active deployment).
 */
export function findApiTarget(workspaceId: number, by: { deployment?: number; touchpoint?: string }): ApiTargetResult {
  const statements = apiTargetStatements();
  // Kept in memory while no deployment, survey, version or touchpoint changes (lookup-cache.server.ts).
  const row =
    by.deployment !== undefined
      ? cachedLookup(`deployment\u0000${workspaceId}\u0000${by.deployment}`, () => statements.byId(workspaceId, by.deployment!))
      : by.touchpoint !== undefined
        ? cachedLookup(`touchpoint\u0000${workspaceId}\u0000${by.touchpoint}`, () => statements.byKey(workspaceId, by.touchpoint!))
        : null;
  if (!row) return { ok: false, reason: "not_found" };
  const version = row.versionId === null ? null : publishedVersion(row.versionId);
  if (!version) return { ok: false, reason: "unpublished" };
  return { ok: true, target: { deploymentId: row.deploymentId, touchpointId: row.touchpointId, version } };
}

type LocalizedJsonText = string | { default?: unknown; [lang: string]: unknown };

/** The survey's title in the respondent's language (SurveyJS localizable string: "default" is English). */
export function surveyTitle(json: SurveyJson, lang: Lang): string {
  const title = json.title as LocalizedJsonText | undefined;
  if (typeof title === "string") return title;
  if (!title || typeof title !== "object") return "";
  const pick = (value: unknown) => (typeof value === "string" && value.trim() !== "" ? value : null);
  return pick(title[lang]) ?? (lang === "en" ? pick(title.default) : null) ?? pick(title.default) ?? pick(title.es) ?? "";
}
