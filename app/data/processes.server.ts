// Business processes of a workspace, with how many touchpoints each owns.
import { and, asc, count, eq } from "drizzle-orm";
import { getDb } from "#db/client";
import { processes, touchpoints } from "#db/schema/index";

export type ProcessInput = { key: string; name: string; owner: string; description: string };

export function listProcesses(workspaceId: number) {
  return getDb()
    .select({
      id: processes.id,
      key: processes.key,
      name: processes.name,
      owner: processes.owner,
      description: processes.description,
      touchpoints: count(touchpoints.id),
    })
    .from(processes)
    .leftJoin(touchpoints, eq(touchpoints.processId, processes.id))
    .where(eq(processes.workspaceId, workspaceId))
    .groupBy(processes.id)
    .orderBy(asc(processes.name))
    .all();
}

export function processKeyTaken(workspaceId: number, key: string, exceptId?: number): boolean {
  const row = getDb()
    .select({ id: processes.id })
    .from(processes)
    .where(and(eq(processes.workspaceId, workspaceId), eq(processes.key, key)))
    .get();
  return !!row && row.id !== exceptId;
}

export function createProcess(workspaceId: number, input: ProcessInput) {
  return getDb().insert(processes).values({ workspaceId, ...input }).returning().get();
}

/** Updates a process of this workspace; false when the id belongs to no process here. */
export function updateProcess(workspaceId: number, id: number, input: Omit<ProcessInput, "key">): boolean {
  const result = getDb()
    .update(processes)
    .set(input)
    .where(and(eq(processes.workspaceId, workspaceId), eq(processes.id, id)))
    .run();
  return result.changes > 0;
}

export function deleteProcess(workspaceId: number, id: number): boolean {
  return getDb().delete(processes).where(and(eq(processes.workspaceId, workspaceId), eq(processes.id, id))).run().changes > 0;
}
