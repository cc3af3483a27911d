// Workspaces (one per brand or company) and the workspaces a person belongs to.
import { asc, eq } from "drizzle-orm";
import { getDb, type Db } from "#db/client";
import { memberships, workspaces } from "#db/schema/index";

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

export function listWorkspacesOf(userId: number) {
  return getDb()
    .select({ slug: workspaces.slug, name: workspaces.name, role: memberships.role })
    .from(memberships)
    .innerJoin(workspaces, eq(workspaces.id, memberships.workspaceId))
    .where(eq(memberships.userId, userId))
    .orderBy(asc(workspaces.name))
    .all();
}

export function slugTaken(slug: string): boolean {
  return !!getDb().select({ id: workspaces.id }).from(workspaces).where(eq(workspaces.slug, slug)).get();
}

/** Creates a workspace with its creator as admin. */
export function createWorkspace(input: { slug: string; name: string; ownerId: number }, tx?: Tx) {
  const run = (t: Tx) => {
    const ws = t.insert(workspaces).values({ slug: input.slug, name: input.name }).returning().get();
    t.insert(memberships).values({ workspaceId: ws.id, userId: input.ownerId, role: "admin" }).run();
    return ws;
  };
  return tx ? run(tx) : getDb().transaction(run);
}

export function updateWorkspaceSettings(workspaceId: number, input: { minN: number }) {
  getDb().update(workspaces).set({ minN: input.minN }).where(eq(workspaces.id, workspaceId)).run();
}
