// Workspace API tokens: shown once, stored as a hash, revocable, with a last-used time.
import { and, desc, eq, isNull } from "drizzle-orm";
import { getDb } from "#db/client";
import { apiTokens, workspaces } from "#db/schema/index";
import { skipWhenUnwritable } from "#db/unwritable";
import { newSecret, sha256 } from "~/auth/tokens.server";
import { cachedLookup, lookupsChanged } from "~/data/lookup-cache.server";

const PREFIX = "viv_";

export async function createApiToken(workspaceId: number, name: string, createdBy: number): Promise<string> {
  const token = PREFIX + newSecret();
  await getDb()
    .insert(apiTokens)
    .values({ workspaceId, name, tokenHash: sha256(token), prefix: token.slice(0, 10), createdBy });
  return token;
}

export async function listApiTokens(workspaceId: number) {
  return getDb()
    .select({
      id: apiTokens.id,
      name: apiTokens.name,
      prefix: apiTokens.prefix,
      createdAt: apiTokens.createdAt,
      lastUsedAt: apiTokens.lastUsedAt,
      revokedAt: apiTokens.revokedAt,
    })
    .from(apiTokens)
    .where(eq(apiTokens.workspaceId, workspaceId))
    .orderBy(desc(apiTokens.createdAt));
}

export async function revokeApiToken(workspaceId: number, id: number): Promise<void> {
  await getDb()
    .update(apiTokens)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiTokens.workspaceId, workspaceId), eq(apiTokens.id, id), isNull(apiTokens.revokedAt)));
  // Refused from the next request on, even one handled in this same turn of the event loop.
  lookupsChanged();
}

/** `createdAt`: when the workspace was made (nothing it records can have happened before). */
export type TokenWorkspace = { id: number; slug: string; minN: number; tokenId: number; createdAt: Date };

const lastTouched = new Map<number, number>();

/** The workspace a bearer token belongs to, or null when unknown or revoked. */
export async function workspaceForToken(token: string): Promise<TokenWorkspace | null> {
  // Kept in memory while no token or workspace changes (lookup-cache.server.ts): a revoked token is
  // refused from the revoking commit on, in every process.
  const row = await cachedLookup(`token\u0000${token}`, async () => {
    const [found] = await getDb()
      .select({ id: workspaces.id, slug: workspaces.slug, minN: workspaces.minN, tokenId: apiTokens.id, createdAt: workspaces.createdAt })
      .from(apiTokens)
      .innerJoin(workspaces, eq(workspaces.id, apiTokens.workspaceId))
      .where(and(eq(apiTokens.tokenHash, sha256(token)), isNull(apiTokens.revokedAt)))
      .limit(1);
    return found;
  });
  if (!row) return null;
  // Last-used is minute-precise: writing it on every API call would serialise bulk ingestion.
  const now = Date.now();
  if (now - (lastTouched.get(row.tokenId) ?? 0) > 60_000) {
    lastTouched.set(row.tokenId, now);
    // Skipped while the database cannot be written: reads through the API must keep working then.
    await getDb().update(apiTokens).set({ lastUsedAt: new Date(now) }).where(eq(apiTokens.id, row.tokenId)).catch(skipWhenUnwritable);
  }
  return row;
}
