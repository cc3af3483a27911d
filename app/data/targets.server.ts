// Targets (table targets): list, create, change and delete a workspace's targets. A target names its
// process, touchpoint or attribute by key; saving one checks that the key exists in the workspace.
import { and, asc, eq } from "drizzle-orm";
import { getDb } from "#db/client";
import { attributes, processes, targets, touchpoints } from "#db/schema/index";
import { storedTargetValue, type Target, type TargetInput } from "~/cem/targets";
import type { MessageKey } from "~/i18n/messages";

export async function listTargets(workspaceId: number): Promise<Target[]> {
  const rows = await getDb()
    .select({ id: targets.id, unit: targets.unit, unitKey: targets.unitKey, metric: targets.metric, value: targets.value, fromDay: targets.fromDay })
    .from(targets)
    .where(eq(targets.workspaceId, workspaceId))
    .orderBy(asc(targets.unit), asc(targets.unitKey), asc(targets.metric), asc(targets.fromDay), asc(targets.id));
  return rows;
}

/** A refusal names its reason by message key; the page words it in the reader's language. */
export type TargetSaveResult = { ok: true; id: number } | { ok: false; status: 400; reason: MessageKey } | { ok: false; status: 404 };

/** Why the unit a target names cannot be used in this workspace, or null when it exists. */
async function missingUnit(workspaceId: number, input: TargetInput): Promise<MessageKey | null> {
  const db = getDb();
  if (input.unit === "process") {
    const [row] = await db.select({ id: processes.id }).from(processes).where(and(eq(processes.workspaceId, workspaceId), eq(processes.key, input.unitKey))).limit(1);
    return row ? null : "targets.error.noProcess";
  }
  const [tpKey, attributeKey] = input.unitKey.split("/");
  const [tp] = await db.select({ id: touchpoints.id }).from(touchpoints).where(and(eq(touchpoints.workspaceId, workspaceId), eq(touchpoints.key, tpKey))).limit(1);
  if (!tp) return "targets.error.noTouchpoint";
  if (input.unit === "touchpoint") return null;
  const [attr] = await db
    .select({ id: attributes.id })
    .from(attributes)
    .where(and(eq(attributes.workspaceId, workspaceId), eq(attributes.touchpointId, tp.id), eq(attributes.key, attributeKey)))
    .limit(1);
  return attr ? null : "targets.error.noAttribute";
}

const columns = (input: TargetInput, userId: number) => ({
  unit: input.unit,
  unitKey: input.unitKey,
  metric: input.metric,
  value: storedTargetValue(input.metric, input.value),
  fromDay: input.fromDay ?? null,
  updatedBy: userId,
  updatedAt: new Date(),
});

/** A new target, or (with `id`) a change to one of the workspace's targets; 404 for another's id. */
export async function saveTarget(workspaceId: number, userId: number, input: TargetInput, id?: number): Promise<TargetSaveResult> {
  const missing = await missingUnit(workspaceId, input);
  if (missing) return { ok: false, status: 400, reason: missing };
  const db = getDb();
  if (id === undefined) {
    const [row] = await db.insert(targets).values({ workspaceId, ...columns(input, userId) }).returning({ id: targets.id });
    return { ok: true, id: row.id };
  }
  const updated = await db
    .update(targets)
    .set(columns(input, userId))
    .where(and(eq(targets.workspaceId, workspaceId), eq(targets.id, id)))
    .returning({ id: targets.id });
  return updated.length > 0 ? { ok: true, id } : { ok: false, status: 404 };
}

/** Deletes one of the workspace's targets; false when the id is not one of them. */
export async function deleteTarget(workspaceId: number, id: number): Promise<boolean> {
  const deleted = await getDb()
    .delete(targets)
    .where(and(eq(targets.workspaceId, workspaceId), eq(targets.id, id)))
    .returning({ id: targets.id });
  return deleted.length > 0;
}
