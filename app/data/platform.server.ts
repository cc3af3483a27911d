// The experiential platform of a workspace and the history of every change to it.
import { desc, eq } from "drizzle-orm";
import { getDb } from "#db/client";
import { platformChanges as changesTable, platformFields, users } from "#db/schema/index";
import { platformChanges, type PlatformValues } from "~/cem/platform";

export async function readPlatform(workspaceId: number): Promise<Partial<PlatformValues>> {
  const rows = await getDb().select().from(platformFields).where(eq(platformFields.workspaceId, workspaceId));
  return Object.fromEntries(rows.map((r) => [r.field, r.value]));
}

/** Saves the fields that changed and records each change; returns how many changed. */
export async function savePlatform(workspaceId: number, values: PlatformValues, userId: number | null): Promise<number> {
  const db = getDb();
  return db.transaction(async (tx) => {
    const before = Object.fromEntries(
      (await tx.select().from(platformFields).where(eq(platformFields.workspaceId, workspaceId))).map((r) => [r.field, r.value]),
    );
    const changes = platformChanges(before, values);
    const now = new Date();
    for (const change of changes) {
      await tx
        .insert(platformFields)
        .values({ workspaceId, field: change.field, value: change.newValue, updatedBy: userId, updatedAt: now })
        .onConflictDoUpdate({
          target: [platformFields.workspaceId, platformFields.field],
          set: { value: change.newValue, updatedBy: userId, updatedAt: now },
        });
      await tx.insert(changesTable).values({ workspaceId, ...change, changedBy: userId, changedAt: now });
    }
    return changes.length;
  });
}

export async function platformHistory(workspaceId: number, limit = 50) {
  return getDb()
    .select({
      id: changesTable.id,
      field: changesTable.field,
      previousValue: changesTable.previousValue,
      newValue: changesTable.newValue,
      changedAt: changesTable.changedAt,
      by: users.name,
    })
    .from(changesTable)
    .leftJoin(users, eq(users.id, changesTable.changedBy))
    .where(eq(changesTable.workspaceId, workspaceId))
    .orderBy(desc(changesTable.changedAt), desc(changesTable.id))
    .limit(limit);
}
