// The experiential platform of a workspace and the history of every change to it.
import { desc, eq } from "drizzle-orm";
import { getDb } from "#db/client";
import { platformChanges as changesTable, platformFields, users } from "#db/schema/index";
import { platformChanges, type PlatformValues } from "~/cem/platform";

export function readPlatform(workspaceId: number): Partial<PlatformValues> {
  const rows = getDb().select().from(platformFields).where(eq(platformFields.workspaceId, workspaceId)).all();
  return Object.fromEntries(rows.map((r) => [r.field, r.value]));
}

/** Saves the fields that changed and records each change; returns how many changed. */
export function savePlatform(workspaceId: number, values: PlatformValues, userId: number | null): number {
  const db = getDb();
  return db.transaction((tx) => {
    const before = Object.fromEntries(
      tx.select().from(platformFields).where(eq(platformFields.workspaceId, workspaceId)).all().map((r) => [r.field, r.value]),
    );
    const changes = platformChanges(before, values);
    const now = new Date();
    for (const change of changes) {
      tx.insert(platformFields)
        .values({ workspaceId, field: change.field, value: change.newValue, updatedBy: userId, updatedAt: now })
        .onConflictDoUpdate({
          target: [platformFields.workspaceId, platformFields.field],
          set: { value: change.newValue, updatedBy: userId, updatedAt: now },
        })
        .run();
      tx.insert(changesTable).values({ workspaceId, ...change, changedBy: userId, changedAt: now }).run();
    }
    return changes.length;
  });
}

export function platformHistory(workspaceId: number, limit = 50) {
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
    .limit(limit)
    .all();
}
