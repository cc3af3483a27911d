// Business processes of a workspace, with how many touchpoints each owns.
import { and, asc, count, eq } from "drizzle-orm";
import { getDb } from "#db/client";
import { processes, touchpoints } from "#db/schema/index";

export type ProcessInput = { key: string; name: string; nameEn?: string; owner: string; description: string };

export async function listProcesses(workspaceId: number) {
  return getDb()
    .select({
      id: processes.id,
      key: processes.key,
      name: processes.name,
      nameEn: processes.nameEn,
      owner: processes.owner,
      description: processes.description,
      touchpoints: count(touchpoints.id),
    })
    .from(processes)
    .leftJoin(touchpoints, eq(touchpoints.processId, processes.id))
    .where(eq(processes.workspaceId, workspaceId))
    .groupBy(processes.id)
    .orderBy(asc(processes.name));
}

export async function processKeyTaken(workspaceId: number, key: string, exceptId?: number): Promise<boolean> {
  const [row] = await getDb()
    .select({ id: processes.id })
    .from(processes)
    .where(and(eq(processes.workspaceId, workspaceId), eq(processes.key, key)))
    .limit(1);
  return !!row && row.id !== exceptId;
}

export async function createProcess(workspaceId: number, input: ProcessInput) {
  const [row] = await getDb()
    .insert(processes)
    .values({ workspaceId, ...input })
    .returning();
  return row;
}

/** Updates a process of this workspace; false when the id belongs to no process here. */
export async function updateProcess(workspaceId: number, id: number, input: Omit<ProcessInput, "key">): Promise<boolean> {
  const changed = await getDb()
    .update(processes)
    .set(input)
    .where(and(eq(processes.workspaceId, workspaceId), eq(processes.id, id)))
    .returning({ id: processes.id });
  return changed.length > 0;
}

export async function deleteProcess(workspaceId: number, id: number): Promise<boolean> {
  const deleted = await getDb()
    .delete(processes)
    .where(and(eq(processes.workspaceId, workspaceId), eq(processes.id, id)))
    .returning({ id: processes.id });
  return deleted.length > 0;
}
