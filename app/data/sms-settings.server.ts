// A workspace's SMS settings (the provider's URL, auth header, JSON body and sender id) and each
// deployment's invitation text in both languages. The auth header's value is sealed at rest (or named
// as an environment variable) and never leaves the server: pages see only whether one is set.
import { and, asc, eq } from "drizzle-orm";
import { getDb } from "#db/client";
import { deployments, deploymentSmsTexts, smsSettings } from "#db/schema/index";
import { smsBodyTemplateProblem } from "~/cem/sms-body";
import type { DeploymentSmsTextInput, SmsSettingsInput } from "~/cem/sms-settings";
import { smsTextProblem } from "~/cem/sms-text";
import type { Lang } from "~/i18n/lang";
import { recordAudit } from "./audit.server";
import { seal } from "./sealed-secrets.server";
import { getSmsSettingsRow, type SmsSettingsRow } from "./sms.server";

export type { DeploymentSmsTextInput, SmsSettingsInput };

/** What a page may see: everything but the auth value, which is only "set" or not. */
export type SmsSettingsView = Omit<SmsSettingsRow, "authHeaderSealed"> & { authSet: boolean };

export async function getSmsSettings(workspaceId: number): Promise<SmsSettingsView | null> {
  const row = await getSmsSettingsRow(workspaceId);
  if (!row) return null;
  const { authHeaderSealed, ...rest } = row;
  return { ...rest, authSet: Boolean(authHeaderSealed) };
}

/** A refusal names the field, worded in both languages (the page shows the reader's). */
export type SaveSmsResult = { ok: true } | { ok: false; errors: Record<string, Record<Lang, string>> };

/** Saves the settings (the body template checked first) and records which fields changed, never the secret. */
export async function saveSmsSettings(workspaceId: number, input: SmsSettingsInput, actorUserId: number | null, ip: string | null = null): Promise<SaveSmsResult> {
  const problem = smsBodyTemplateProblem(input.bodyTemplate);
  if (problem) return { ok: false, errors: { bodyTemplate: problem } };
  await getDb().transaction(async (tx) => {
    const before = await getSmsSettingsRow(workspaceId);
    const authHeaderSealed = input.clearAuth ? null : input.authHeaderValue ? seal(input.authHeaderValue) : (before?.authHeaderSealed ?? null);
    const values = {
      url: input.url,
      authHeaderName: input.authHeaderName,
      authHeaderSealed,
      authHeaderEnv: input.authHeaderEnv,
      bodyTemplate: input.bodyTemplate,
      senderId: input.senderId,
      updatedAt: new Date(),
    };
    await tx.insert(smsSettings).values({ workspaceId, ...values }).onConflictDoUpdate({ target: smsSettings.workspaceId, set: values });
    const changed: string[] = (["url", "authHeaderName", "authHeaderEnv", "bodyTemplate", "senderId"] as const).filter(
      (k) => String(before?.[k] ?? "") !== String(values[k]),
    );
    if (input.authHeaderValue || input.clearAuth) changed.push("authHeaderValue");
    await recordAudit({ workspaceId, actorUserId, action: "settings.changed", target: "sms", detail: { changed }, ip });
  });
  return { ok: true };
}

// ---- Each deployment's SMS text --------------------------------------------------------------------

export type DeploymentSmsText = { deploymentId: number; name: string; active: boolean; textEs: string; textEn: string };

/** Every deployment of the workspace with its SMS texts ("" = the default of that language). */
export async function listDeploymentSmsTexts(workspaceId: number): Promise<DeploymentSmsText[]> {
  return getDb()
    .select({
      deploymentId: deployments.id,
      name: deployments.name,
      active: deployments.active,
      textEs: deploymentSmsTexts.textEs,
      textEn: deploymentSmsTexts.textEn,
    })
    .from(deployments)
    .leftJoin(deploymentSmsTexts, eq(deploymentSmsTexts.deploymentId, deployments.id))
    .where(eq(deployments.workspaceId, workspaceId))
    .orderBy(asc(deployments.id))
    .then((rows) => rows.map((r) => ({ ...r, textEs: r.textEs ?? "", textEn: r.textEn ?? "" })));
}

/** The deployment's text in one language, "" when it uses the default; null for another workspace's deployment. */
export async function deploymentSmsText(workspaceId: number, deploymentId: number, lang: Lang): Promise<string> {
  const [row] = await getDb()
    .select({ textEs: deploymentSmsTexts.textEs, textEn: deploymentSmsTexts.textEn })
    .from(deploymentSmsTexts)
    .where(and(eq(deploymentSmsTexts.workspaceId, workspaceId), eq(deploymentSmsTexts.deploymentId, deploymentId)))
    .limit(1);
  return (lang === "en" ? row?.textEn : row?.textEs) ?? "";
}

/** Saves a deployment's texts after checking their placeholders; false when the deployment is not the workspace's. */
export async function saveDeploymentSmsText(
  workspaceId: number,
  input: DeploymentSmsTextInput,
): Promise<SaveSmsResult | null> {
  const errors: Record<string, { es: string; en: string }> = {};
  const es = smsTextProblem(input.textEs);
  const en = smsTextProblem(input.textEn);
  if (es) errors.textEs = es;
  if (en) errors.textEn = en;
  if (es || en) return { ok: false, errors };
  const [deployment] = await getDb()
    .select({ id: deployments.id })
    .from(deployments)
    .where(and(eq(deployments.workspaceId, workspaceId), eq(deployments.id, input.deploymentId)))
    .limit(1);
  if (!deployment) return null;
  const values = { textEs: input.textEs, textEn: input.textEn };
  await getDb()
    .insert(deploymentSmsTexts)
    .values({ deploymentId: deployment.id, workspaceId, ...values })
    .onConflictDoUpdate({ target: deploymentSmsTexts.deploymentId, set: values });
  return { ok: true };
}
