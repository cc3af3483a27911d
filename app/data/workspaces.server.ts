// Workspaces (one per brand or company) and the workspaces a person belongs to.
import { and, asc, eq } from "drizzle-orm";
import { getDb, type Tx } from "#db/client";
import { clientingPulses, deployments, invitations, memberships, workspaces } from "#db/schema/index";

export async function listWorkspacesOf(userId: number) {
  return getDb()
    .select({ slug: workspaces.slug, name: workspaces.name, role: memberships.role })
    .from(memberships)
    .innerJoin(workspaces, eq(workspaces.id, memberships.workspaceId))
    .where(eq(memberships.userId, userId))
    .orderBy(asc(workspaces.name));
}

/** The workspace with this slug and the user's role in it; undefined when it does not exist or the user is no member. */
export async function findMemberWorkspace(workspaceSlug: string, userId: number) {
  const [row] = await getDb()
    .select({
      id: workspaces.id,
      slug: workspaces.slug,
      name: workspaces.name,
      minN: workspaces.minN,
      timeZone: workspaces.timeZone,
      currency: workspaces.currency,
      role: memberships.role,
    })
    .from(workspaces)
    .innerJoin(memberships, and(eq(memberships.workspaceId, workspaces.id), eq(memberships.userId, userId)))
    .where(eq(workspaces.slug, workspaceSlug))
    .limit(1);
  return row;
}

/** The workspace with this slug, whoever asks (the CLI). */
export async function findWorkspaceBySlug(slug: string) {
  const [row] = await getDb().select().from(workspaces).where(eq(workspaces.slug, slug)).limit(1);
  return row;
}

export async function slugTaken(slug: string): Promise<boolean> {
  const [row] = await getDb().select({ id: workspaces.id }).from(workspaces).where(eq(workspaces.slug, slug)).limit(1);
  return !!row;
}

/** Creates a workspace with its creator as admin. */
export async function createWorkspace(input: { slug: string; name: string; ownerId: number }, tx?: Tx) {
  const run = async (t: Tx) => {
    const [ws] = await t.insert(workspaces).values({ slug: input.slug, name: input.name }).returning();
    await t.insert(memberships).values({ workspaceId: ws.id, userId: input.ownerId, role: "admin" });
    return ws;
  };
  return tx ? run(tx) : getDb().transaction(run);
}

export async function updateWorkspaceSettings(workspaceId: number, input: { minN: number }): Promise<void> {
  await getDb().update(workspaces).set({ minN: input.minN }).where(eq(workspaces.id, workspaceId));
}

/** How the workspace's dates and money read (validated by the caller: app/i18n/format.ts isTimeZone, isCurrency). */
export async function updateWorkspaceLocale(workspaceId: number, input: { timeZone: string; currency: string }): Promise<void> {
  await getDb().update(workspaces).set({ timeZone: input.timeZone, currency: input.currency }).where(eq(workspaces.id, workspaceId));
}

/** The sites allowed to frame the workspace's respondent pages: the stored, space-separated origins. */
export async function workspaceEmbedOrigins(workspaceId: number): Promise<string> {
  const [row] = await getDb().select({ embedOrigins: workspaces.embedOrigins }).from(workspaces).where(eq(workspaces.id, workspaceId)).limit(1);
  return row?.embedOrigins ?? "";
}

/** Saves the embed origins (already validated: app/web/embed-origins.server.ts). */
export async function updateEmbedOrigins(workspaceId: number, origins: readonly string[]): Promise<void> {
  await getDb().update(workspaces).set({ embedOrigins: origins.join(" ") }).where(eq(workspaces.id, workspaceId));
}

// The shape respondent tokens have (app/data/respondent.server.ts); anything else is unknown without a query.
const RESPONDENT_TOKEN = /^[A-Za-z0-9_-]{16,128}$/;

/**
 * The embed origins of the workspace a respondent page's token belongs to: a survey link (an
 * invitation's token or a deployment's public token) or a Clienting pulse's token. "" when the
 * token is unknown: such a page may then be framed by this site only.
 */
export async function embedOriginsOfToken(page: "survey" | "pulse", token: string): Promise<string> {
  if (!RESPONDENT_TOKEN.test(token)) return "";
  const db = getDb();
  if (page === "pulse") {
    const [pulse] = await db
      .select({ embedOrigins: workspaces.embedOrigins })
      .from(clientingPulses)
      .innerJoin(workspaces, eq(workspaces.id, clientingPulses.workspaceId))
      .where(eq(clientingPulses.publicToken, token))
      .limit(1);
    return pulse?.embedOrigins ?? "";
  }
  const [invited] = await db
    .select({ embedOrigins: workspaces.embedOrigins })
    .from(invitations)
    .innerJoin(workspaces, eq(workspaces.id, invitations.workspaceId))
    .where(eq(invitations.token, token))
    .limit(1);
  if (invited) return invited.embedOrigins;
  const [link] = await db
    .select({ embedOrigins: workspaces.embedOrigins })
    .from(deployments)
    .innerJoin(workspaces, eq(workspaces.id, deployments.workspaceId))
    .where(eq(deployments.publicToken, token))
    .limit(1);
  return link?.embedOrigins ?? "";
}

/**
 * The brand generated survey and message texts name: the brand name of the settings, else the
 * workspace's name (a workspace is one brand or company).
 */
export async function workspaceBrand(workspaceId: number): Promise<string> {
  const [row] = await getDb()
    .select({ brandName: workspaces.brandName, name: workspaces.name })
    .from(workspaces)
    .where(eq(workspaces.id, workspaceId))
    .limit(1);
  return row ? row.brandName.trim() || row.name : "";
}

export async function updateBrandName(workspaceId: number, brandName: string): Promise<void> {
  await getDb().update(workspaces).set({ brandName: brandName.trim() }).where(eq(workspaces.id, workspaceId));
}

/** The brand name as entered in the settings ("" when none). */
export async function workspaceBrandName(workspaceId: number): Promise<string> {
  const [row] = await getDb().select({ brandName: workspaces.brandName }).from(workspaces).where(eq(workspaces.id, workspaceId)).limit(1);
  return row?.brandName ?? "";
}
