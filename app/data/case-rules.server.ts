// A workspace's case rules and SLA (the JSON of act_settings), read on every recorded response and
// edited by an admin on the settings page. A stored value that no longer validates falls back to the
// defaults rather than breaking response recording.
import { eq } from "drizzle-orm";
import { getDb } from "#db/client";
import { actSettings } from "#db/schema/index";
import { caseRuleSettingsSchema, defaultCaseRuleSettings, type CaseRuleSettings } from "~/cem/case-rules";
import { defaultSlaSettings, slaSettingsSchema, type SlaSettings } from "~/cem/sla";

export type ActSettings = { caseRules: CaseRuleSettings; sla: SlaSettings };

const parsedRules = new Map<string, CaseRuleSettings>();
const parsedSla = new Map<string, SlaSettings>();
const PARSE_CACHE_LIMIT = 200;

function cached<T>(cache: Map<string, T>, text: string, parse: (value: unknown) => T | null, fallback: T): T {
  const hit = cache.get(text);
  if (hit) return hit;
  let value: T | null = null;
  try {
    value = parse(JSON.parse(text));
  } catch {
    value = null;
  }
  const result = value ?? fallback;
  if (cache.size >= PARSE_CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(text, result);
  return result;
}

function parseRules(text: string | null | undefined): CaseRuleSettings {
  if (!text) return defaultCaseRuleSettings;
  return cached(parsedRules, text, (v) => caseRuleSettingsSchema.safeParse(v).data ?? null, defaultCaseRuleSettings);
}

function parseSla(text: string | null | undefined): SlaSettings {
  if (!text) return defaultSlaSettings;
  return cached(parsedSla, text, (v) => slaSettingsSchema.safeParse(v).data ?? null, defaultSlaSettings);
}

/** The settings (read once per batch of responses on the ingest path). */
export async function loadActSettings(workspaceId: number): Promise<ActSettings> {
  const [row] = await getDb()
    .select({ caseRules: actSettings.caseRules, sla: actSettings.sla })
    .from(actSettings)
    .where(eq(actSettings.workspaceId, workspaceId))
    .limit(1);
  return actSettingsFrom(row?.caseRules, row?.sla);
}

/** The settings from their stored texts (absent: the defaults), as loadActSettings reads them. */
export function actSettingsFrom(caseRules: string | null | undefined, sla: string | null | undefined): ActSettings {
  return { caseRules: parseRules(caseRules), sla: parseSla(sla) };
}

async function save(workspaceId: number, userId: number | null, patch: { caseRules?: CaseRuleSettings; sla?: SlaSettings }): Promise<void> {
  // Read and write in one transaction: a concurrent save of the other half is not lost.
  await getDb().transaction(async (tx) => {
    const current = await loadActSettings(workspaceId);
    const caseRules = JSON.stringify(caseRuleSettingsSchema.parse(patch.caseRules ?? current.caseRules));
    const sla = JSON.stringify(slaSettingsSchema.parse(patch.sla ?? current.sla));
    const updatedAt = new Date();
    await tx
      .insert(actSettings)
      .values({ workspaceId, caseRules, sla, updatedBy: userId, updatedAt })
      .onConflictDoUpdate({ target: actSettings.workspaceId, set: { caseRules, sla, updatedBy: userId, updatedAt } });
  });
}

export async function saveCaseRules(workspaceId: number, rules: CaseRuleSettings, userId: number | null): Promise<void> {
  await save(workspaceId, userId, { caseRules: rules });
}

export async function saveSlaSettings(workspaceId: number, sla: SlaSettings, userId: number | null): Promise<void> {
  await save(workspaceId, userId, { sla });
}

/** Whether the workspace has saved settings (else the page says the defaults apply). */
export async function hasSavedActSettings(workspaceId: number): Promise<boolean> {
  const [row] = await getDb().select({ w: actSettings.workspaceId }).from(actSettings).where(eq(actSettings.workspaceId, workspaceId)).limit(1);
  return !!row;
}
