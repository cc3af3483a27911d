// Deployments: a survey live at its touchpoint, reachable by an unguessable public link (and its QR
// code), plus the rules that turn CRM events into personal invitations. Deployments always serve the
// survey's latest published version.
import { randomBytes } from "node:crypto";
import { and, asc, count, desc, eq, max, sql } from "drizzle-orm";
import type { Lang } from "~/i18n/lang";
import { getDb, type Executor, type Tx } from "#db/client";
import { deploymentRules, deployments, invitations, surveys, surveyVersions, touchpoints } from "#db/schema/index";
import type { DeploymentRule } from "~/cem/deployment-rules";
import type { RuleInput } from "~/cem/deployment-rule-input";
import type { MessageKey } from "~/i18n/messages";

export type DeploymentRow = typeof deployments.$inferSelect;
export type DeploymentRuleRow = typeof deploymentRules.$inferSelect;

/** 192 random bits, base64url: public links and invitation links alike (at least 128 bits). */
export function newLinkToken(): string {
  return randomBytes(24).toString("base64url");
}

/**
 * The origin survey links are written with: PUBLIC_URL when the app runs behind a proxy that
 * rewrites the host, else the request's own origin.
 */
export function linkOrigin(request: Request): string {
  const configured = process.env.PUBLIC_URL?.trim();
  return configured ? configured.replace(/\/+$/, "") : new URL(request.url).origin;
}

/** The respondent URL of a public or invitation token (one route looks up either). */
export function surveyLink(origin: string, token: string): string {
  return `${origin}/s/${token}`;
}

/**
 * A customer's own link in a message: it opens the survey in the language the message was written in,
 * whatever their browser says (the page's language switch still works).
 */
export function personalLink(origin: string, token: string, lang: Lang): string {
  return `${surveyLink(origin, token)}?lang=${lang}`;
}

export async function listDeployments(workspaceId: number, filter: { surveyId?: number } = {}) {
  return getDb()
    .select({
      id: deployments.id,
      name: deployments.name,
      surveyId: deployments.surveyId,
      surveyTitle: surveys.title,
      touchpointKey: touchpoints.key,
      touchpointName: touchpoints.name,
      publicToken: deployments.publicToken,
      active: deployments.active,
      createdAt: deployments.createdAt,
      // A number on both engines (PostgreSQL's count is a bigint, which pg gives as text).
      invitations: sql<number>`(select count(*) from ${invitations} where ${invitations.deploymentId} = ${deployments.id})`.mapWith(Number),
    })
    .from(deployments)
    .innerJoin(surveys, eq(surveys.id, deployments.surveyId))
    .innerJoin(touchpoints, eq(touchpoints.id, deployments.touchpointId))
    .where(and(eq(deployments.workspaceId, workspaceId), filter.surveyId ? eq(deployments.surveyId, filter.surveyId) : undefined))
    .orderBy(desc(deployments.createdAt), desc(deployments.id));
}

export async function getDeployment(workspaceId: number, deploymentId: number, conn: Executor = getDb()): Promise<DeploymentRow | null> {
  if (!Number.isSafeInteger(deploymentId)) return null;
  const [row] = await conn
    .select()
    .from(deployments)
    .where(and(eq(deployments.workspaceId, workspaceId), eq(deployments.id, deploymentId)))
    .limit(1);
  return row ?? null;
}

/**
 * A public-link or QR deployment of a survey at its touchpoint. Refused (null) when the survey is
 * not in this workspace; "unpublished" when there is no published version to serve yet.
 */
export async function createDeployment(
  workspaceId: number,
  surveyId: number,
  name: string,
): Promise<{ ok: true; deployment: DeploymentRow } | { ok: false; reason: "unpublished" } | null> {
  return getDb().transaction(async (tx) => {
    const [survey] = await tx
      .select({ id: surveys.id, touchpointId: surveys.touchpointId })
      .from(surveys)
      .where(and(eq(surveys.workspaceId, workspaceId), eq(surveys.id, surveyId)))
      .limit(1);
    if (!survey) return null;
    const [published] = await tx
      .select({ id: surveyVersions.id })
      .from(surveyVersions)
      .where(and(eq(surveyVersions.surveyId, survey.id), eq(surveyVersions.status, "published")))
      .limit(1);
    if (!published) return { ok: false as const, reason: "unpublished" as const };
    const [deployment] = await tx
      .insert(deployments)
      .values({ workspaceId, surveyId: survey.id, touchpointId: survey.touchpointId, name, publicToken: newLinkToken() })
      .returning();
    return { ok: true as const, deployment };
  });
}

export async function setDeploymentActive(workspaceId: number, deploymentId: number, active: boolean): Promise<boolean> {
  const changed = await getDb()
    .update(deployments)
    .set({ active })
    .where(and(eq(deployments.workspaceId, workspaceId), eq(deployments.id, deploymentId)))
    .returning({ id: deployments.id });
  return changed.length > 0;
}

// ---- Rules ---------------------------------------------------------------------------------------

// The rule form's schema lives with the domain, where the page's browser code can use it too.
export { RuleInputSchema, type RuleInput } from "~/cem/deployment-rule-input";

/** Rules of every deployment of a survey, for its deploy page. */
export async function listRulesOfSurvey(workspaceId: number, surveyId: number) {
  const rows = await getDb()
    .select({ rule: deploymentRules })
    .from(deploymentRules)
    .innerJoin(deployments, eq(deployments.id, deploymentRules.deploymentId))
    .where(and(eq(deploymentRules.workspaceId, workspaceId), eq(deployments.surveyId, surveyId)))
    .orderBy(asc(deploymentRules.position), asc(deploymentRules.id));
  return rows.map((r) => r.rule);
}

/** A refusal names the field and its reason by message key; the page words it in the reader's language. */
export type RuleWriteResult = { ok: true; rule: DeploymentRuleRow } | { ok: false; errors: { touchpointKey: MessageKey } } | null;

function ruleValues(input: RuleInput) {
  return {
    eventType: input.eventType,
    touchpointKey: input.touchpointKey,
    delayMinutes: input.delayMinutes,
    samplingRate: input.samplingPercent / 100,
    quietPeriodDays: input.quietPeriodDays,
    expiryHours: input.expiryHours,
    capMax: input.capMax,
    capPeriodDays: input.capPeriodDays,
    active: input.active,
  };
}

async function unknownTouchpoint(tx: Tx, workspaceId: number, key: string | null): Promise<{ touchpointKey: MessageKey } | null> {
  if (key === null) return null;
  const [found] = await tx
    .select({ id: touchpoints.id })
    .from(touchpoints)
    .where(and(eq(touchpoints.workspaceId, workspaceId), eq(touchpoints.key, key)))
    .limit(1);
  return found ? null : { touchpointKey: "rule.error.unknownTouchpoint" };
}

/** A new rule, last in priority. Null when the deployment is not in this workspace. */
export async function createRule(workspaceId: number, deploymentId: number, input: RuleInput): Promise<RuleWriteResult> {
  return getDb().transaction(async (tx) => {
    if (!(await getDeployment(workspaceId, deploymentId, tx))) return null;
    const bad = await unknownTouchpoint(tx, workspaceId, input.touchpointKey);
    if (bad) return { ok: false as const, errors: bad };
    const [last] = await tx
      .select({ p: max(deploymentRules.position) })
      .from(deploymentRules)
      .where(eq(deploymentRules.workspaceId, workspaceId));
    const [rule] = await tx
      .insert(deploymentRules)
      .values({ workspaceId, deploymentId, position: (last?.p ?? -1) + 1, ...ruleValues(input) })
      .returning();
    return { ok: true as const, rule };
  });
}

export async function updateRule(workspaceId: number, ruleId: number, input: RuleInput): Promise<RuleWriteResult> {
  return getDb().transaction(async (tx) => {
    const bad = await unknownTouchpoint(tx, workspaceId, input.touchpointKey);
    const [exists] = await tx
      .select({ id: deploymentRules.id })
      .from(deploymentRules)
      .where(and(eq(deploymentRules.workspaceId, workspaceId), eq(deploymentRules.id, ruleId)))
      .limit(1);
    if (!exists) return null;
    if (bad) return { ok: false as const, errors: bad };
    const [rule] = await tx.update(deploymentRules).set(ruleValues(input)).where(eq(deploymentRules.id, ruleId)).returning();
    return { ok: true as const, rule };
  });
}

export async function deleteRule(workspaceId: number, ruleId: number): Promise<boolean> {
  const deleted = await getDb()
    .delete(deploymentRules)
    .where(and(eq(deploymentRules.workspaceId, workspaceId), eq(deploymentRules.id, ruleId)))
    .returning({ id: deploymentRules.id });
  return deleted.length > 0;
}

/**
 * The workspace's active rules for one event type, in priority order, as the rule engine takes them:
 * only rules of active deployments whose survey has a published version (an invitation must open
 * something).
 */
export async function activeRulesFor(tx: Executor, workspaceId: number, eventType: string): Promise<DeploymentRule[]> {
  const rows = await tx
    .select({ rule: deploymentRules })
    .from(deploymentRules)
    .innerJoin(deployments, eq(deployments.id, deploymentRules.deploymentId))
    .where(
      and(
        eq(deploymentRules.workspaceId, workspaceId),
        eq(deploymentRules.eventType, eventType),
        eq(deploymentRules.active, true),
        eq(deployments.active, true),
        sql`exists (select 1 from ${surveyVersions} where ${surveyVersions.surveyId} = ${deployments.surveyId} and ${surveyVersions.status} = 'published')`,
      ),
    )
    .orderBy(asc(deploymentRules.position), asc(deploymentRules.id));
  return rows.map(({ rule }) => toEngineRule(rule));
}

/** A stored rule in the rule engine's shape (string ids; the cap as one object). */
export function toEngineRule(rule: DeploymentRuleRow): DeploymentRule {
  return {
    id: String(rule.id),
    deploymentId: String(rule.deploymentId),
    eventType: rule.eventType,
    touchpointKey: rule.touchpointKey,
    delayMinutes: rule.delayMinutes,
    samplingRate: rule.samplingRate,
    quietPeriodDays: rule.quietPeriodDays,
    expiryHours: rule.expiryHours,
    capPerPeriod: rule.capMax !== null && rule.capPeriodDays !== null ? { max: rule.capMax, periodDays: rule.capPeriodDays } : null,
    active: rule.active,
  };
}
