// What a survey link opens, as the respondent side reads it: a deployment's public token or a
// personal invitation's token → the brand, the survey version to answer and the link's state;
// plus the invitation's saved progress, and the deployment an API client names. Nothing here
// exposes more of a workspace than its name and the survey itself.
import { and, desc, eq, gt, inArray, isNull, sql } from "drizzle-orm";
import { getDb } from "#db/client";
import { customers, deployments, invitations, surveyVersions, surveys, touchpoints, workspaces } from "#db/schema/index";
import type { Lang } from "~/i18n/lang";
import { localName } from "~/i18n/names";
import type { SurveyJson } from "~/survey/types";
import { readText } from "~/survey/builder/text";
import { publishedVersion, type PublishedVersion } from "./responses.server";
import { cachedLookup } from "./lookup-cache.server";
import { recordCustomerStep } from "./invitation-events.server";

export type OpenLink = {
  state: "open";
  kind: "invitation" | "link";
  brand: string;
  /** The survey's titles as its designer keeps them (the page prefers them to the version's own). */
  surveyTitles: { title: string; titleEn: string };
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
export async function latestPublishedVersion(surveyId: number): Promise<PublishedVersion | null> {
  const [row] = await getDb()
    .select({ id: surveyVersions.id })
    .from(surveyVersions)
    .where(and(eq(surveyVersions.surveyId, surveyId), eq(surveyVersions.status, "published")))
    .orderBy(desc(surveyVersions.version))
    .limit(1);
  return row ? publishedVersion(row.id) : null;
}

/**
 * A published version of this survey, as a page rendered it: answers are recorded against the
 * version the respondent saw, even if a newer one was published while they answered.
 */
export async function versionOfSurvey(surveyId: number, versionId: number): Promise<PublishedVersion | null> {
  const version = await publishedVersion(versionId);
  return version && version.surveyId === surveyId ? version : null;
}

export async function resolveRespondentToken(token: string, now: Date = new Date()): Promise<RespondentLink> {
  if (!TOKEN.test(token)) return { state: "unknown" };
  const db = getDb();
  const [invitation] = await db
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
      title: surveys.title,
      titleEn: surveys.titleEn,
      workspaceId: workspaces.id,
      workspaceName: workspaces.name,
      brandName: workspaces.brandName,
    })
    .from(invitations)
    .innerJoin(deployments, eq(deployments.id, invitations.deploymentId))
    .innerJoin(surveys, eq(surveys.id, deployments.surveyId))
    .innerJoin(workspaces, eq(workspaces.id, invitations.workspaceId))
    .where(eq(invitations.token, token))
    .limit(1);
  if (invitation) {
    const brand = invitation.brandName || invitation.workspaceName;
    if (invitation.state === "completed") return { state: "completed", brand };
    if (invitation.state === "expired" || invitation.expiresAt.getTime() <= now.getTime()) return { state: "expired", brand };
    const version = invitation.archivedAt ? null : await latestPublishedVersion(invitation.surveyId);
    if (!version || !invitation.active) return { state: "closed", brand };
    return {
      state: "open",
      kind: "invitation",
      brand,
      surveyTitles: { title: invitation.title, titleEn: invitation.titleEn },
      workspaceId: invitation.workspaceId,
      deploymentId: invitation.deploymentId,
      touchpointId: invitation.touchpointId,
      surveyId: invitation.surveyId,
      version,
      invitationId: invitation.id,
      progress: invitation.progress,
    };
  }

  const [link] = await db
    .select({
      deploymentId: deployments.id,
      touchpointId: deployments.touchpointId,
      active: deployments.active,
      surveyId: surveys.id,
      archivedAt: surveys.archivedAt,
      title: surveys.title,
      titleEn: surveys.titleEn,
      workspaceId: workspaces.id,
      workspaceName: workspaces.name,
      brandName: workspaces.brandName,
    })
    .from(deployments)
    .innerJoin(surveys, eq(surveys.id, deployments.surveyId))
    .innerJoin(workspaces, eq(workspaces.id, deployments.workspaceId))
    .where(eq(deployments.publicToken, token))
    .limit(1);
  if (!link) return { state: "unknown" };
  const brand = link.brandName || link.workspaceName;
  const version = link.archivedAt ? null : await latestPublishedVersion(link.surveyId);
  if (!version || !link.active) return { state: "closed", brand };
  return {
    state: "open",
    kind: "link",
    brand,
    surveyTitles: { title: link.title, titleEn: link.titleEn },
    workspaceId: link.workspaceId,
    deploymentId: link.deploymentId,
    touchpointId: link.touchpointId,
    surveyId: link.surveyId,
    version,
    invitationId: null,
    progress: null,
  };
}

/**
 * The values of the placeholders a designer wrote in the survey's texts ({brand}, {touchpoint},
 * {customer_name}; see app/survey/builder/text.ts), and only those: the page carries nothing about
 * the customer that the survey does not show. The customer's name only on their own personal
 * invitation; "" on a public link.
 */
export async function placeholderValues(link: OpenLink, lang: "es" | "en"): Promise<Record<string, string>> {
  const uses = (name: string) => link.version.definition.includes(`{${name}}`);
  const values: Record<string, string> = {};
  if (uses("brand")) values.brand = link.brand;
  const db = getDb();
  if (uses("touchpoint")) {
    const [tp] = await db.select({ name: touchpoints.name, nameEn: touchpoints.nameEn }).from(touchpoints).where(eq(touchpoints.id, link.touchpointId)).limit(1);
    values.touchpoint = tp ? localName(tp, lang) : "";
  }
  if (!uses("customer_name")) return values;
  let customerName = "";
  if (link.invitationId !== null) {
    const [row] = await db
      .select({ name: customers.name })
      .from(invitations)
      .innerJoin(customers, eq(customers.id, invitations.customerId))
      .where(eq(invitations.id, link.invitationId))
      .limit(1);
    customerName = row?.name ?? "";
  }
  values.customer_name = customerName;
  return values;
}

/** First sight of a personal link: pending → opened (later views change nothing). */
export async function markInvitationOpened(invitationId: number, now: Date = new Date()): Promise<void> {
  const opened = await getDb()
    .update(invitations)
    .set({ state: "opened", openedAt: now })
    .where(and(eq(invitations.id, invitationId), eq(invitations.state, "pending")))
    .returning({ id: invitations.id });
  // The invitation's life (its funnel): recorded once, on the first sight.
  if (opened.length > 0) await recordCustomerStep(invitationId, "opened", now);
}

export const MAX_PROGRESS_LENGTH = 64 * 1024;

/**
 * Keeps the answers so far on an open invitation, so that a reload continues where the customer
 * was. False when the invitation can no longer be answered.
 */
export async function saveInvitationProgress(invitationId: number, progress: string, now: Date = new Date()): Promise<boolean> {
  if (progress.length > MAX_PROGRESS_LENGTH) return false;
  const saved = await getDb()
    .update(invitations)
    .set({
      progress,
      state: "opened",
      // `now` bound through the column: epoch ms on SQLite, a timestamptz on PostgreSQL.
      openedAt: sql`coalesce(${invitations.openedAt}, ${sql.param(now, invitations.openedAt)})`,
    })
    .where(and(eq(invitations.id, invitationId), inArray(invitations.state, ["pending", "opened"]), gt(invitations.expiresAt, now)))
    .returning({ id: invitations.id });
  // The first answers saved are the invitation's "started" (later saves record nothing: one per invitation).
  if (saved.length > 0) await recordCustomerStep(invitationId, "started", now);
  return saved.length > 0;
}

export type ApiTarget = { deploymentId: number; touchpointId: number; version: PublishedVersion };
export type ApiTargetResult = { ok: true; target: ApiTarget } | { ok: false; reason: "not_found" | "unpublished" };

type TargetRow = { deploymentId: number; touchpointId: number; versionId: number | null };

/** The columns both lookups read: the deployment, and the survey's newest published version (null before the first). */
function targetColumns() {
  return {
    deploymentId: deployments.id,
    touchpointId: deployments.touchpointId,
    versionId: sql<number | null>`(select ${surveyVersions.id} from ${surveyVersions} where ${surveyVersions.surveyId} = ${deployments.surveyId} and ${surveyVersions.status} = 'published' order by ${surveyVersions.version} desc limit 1)`,
  };
}

/** The deployment by id, even if switched off, unless its survey is archived. */
async function targetById(workspaceId: number, deploymentId: number): Promise<TargetRow | undefined> {
  const [row] = await getDb()
    .select(targetColumns())
    .from(deployments)
    .innerJoin(surveys, eq(surveys.id, deployments.surveyId))
    .where(and(eq(deployments.workspaceId, workspaceId), eq(deployments.id, deploymentId), isNull(surveys.archivedAt)))
    .limit(1);
  return row;
}

/** The newest active deployment at the touchpoint with this key, unless its survey is archived. */
async function targetByKey(workspaceId: number, key: string): Promise<TargetRow | undefined> {
  const [row] = await getDb()
    .select(targetColumns())
    .from(deployments)
    .innerJoin(touchpoints, eq(touchpoints.id, deployments.touchpointId))
    .innerJoin(surveys, eq(surveys.id, deployments.surveyId))
    .where(and(eq(touchpoints.workspaceId, workspaceId), eq(touchpoints.key, key), eq(deployments.active, true), isNull(surveys.archivedAt)))
    .orderBy(desc(deployments.id))
    .limit(1);
  return row;
}

/**
 * The deployment an API client names, in its token's workspace: by id (even if switched off since:
 * answers collected offline still arrive), or by touchpoint key (its newest active deployment).
 */
export async function findApiTarget(workspaceId: number, by: { deployment?: number; touchpoint?: string }): Promise<ApiTargetResult> {
  const { deployment, touchpoint } = by;
  // Kept in memory while no deployment, survey, version or touchpoint changes (lookup-cache.server.ts).
  const row =
    deployment !== undefined
      ? await cachedLookup(`deployment\u0000${workspaceId}\u0000${deployment}`, () => targetById(workspaceId, deployment))
      : touchpoint !== undefined
        ? await cachedLookup(`touchpoint\u0000${workspaceId}\u0000${touchpoint}`, () => targetByKey(workspaceId, touchpoint))
        : null;
  if (!row) return { ok: false, reason: "not_found" };
  const version = row.versionId === null ? null : await publishedVersion(row.versionId);
  if (!version) return { ok: false, reason: "unpublished" };
  return { ok: true, target: { deploymentId: row.deploymentId, touchpointId: row.touchpointId, version } };
}

/**
 * The title a respondent sees: the survey's own title in their language as the designer keeps it on
 * the survey page, else the version's title in their language, else the survey's other title.
 */
export function respondentTitle(link: Pick<OpenLink, "surveyTitles" | "version">, lang: Lang): string {
  const { title, titleEn } = link.surveyTitles;
  const mine = (lang === "en" ? titleEn : title).trim();
  return mine || surveyTitle(link.version.json, lang) || localName({ name: title, nameEn: titleEn }, lang);
}

/** The survey's title in the respondent's language, else in the other one (a plain string is both). */
export function surveyTitle(json: SurveyJson, lang: Lang): string {
  const other: Lang = lang === "en" ? "es" : "en";
  return readText(json.title, lang).trim() || readText(json.title, other).trim();
}
