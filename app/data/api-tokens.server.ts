// Workspace API tokens: shown once, stored as a hash, revocable, with a last-used time.
import { and, desc, eq, isNull } from "drizzle-orm";
import { getDb } from "#db/client";
import { apiTokens, workspaces } from "#db/schema/index";
import { newSecret, sha256 } from "~/auth/tokens.server";
import { cachedLookup, lookupsChanged } from "~/data/lookup-cache.server";

const PREFIX = "viv_";

export function createApiToken(workspaceId: number, name: string, createdBy: number): string {
  const token = PREFIX + newSecret();
  getDb()
    .insert(apiTokens)
    .values({ workspaceId, name, tokenHash: sha256(token), prefix: token.slice(0, 10), createdBy })
    .run();
  return token;
}

export function listApiTokens(workspaceId: number) {
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
    .orderBy(desc(apiTokens.createdAt))
    .all();
}

export function revokeApiToken(workspaceId: number, id: number) {
  getDb()
    .update(apiTokens)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiTokens.workspaceId, workspaceId), eq(apiTokens.id, id), isNull(apiTokens.revokedAt)))
    .run();
  // Refused from the next request on, even one handled in this same turn of the event loop.
  lookupsChanged();
}

export type TokenWorkspace = { id: number; slug: string; minN: number; tokenId: number };

const lastTouched = new Map<number, number>();

let lookup: { get: (hash: string) => unknown } | undefined;

/** The workspace a bearer token belongs to, or null when unknown or revoked. */
export function workspaceForToken(token: string): TokenWorkspace | null {
  // A prepared statement: this runs on every API call, and drizzle's query builder costs ~15× more.
  lookup ??= getDb().$client.prepare(
    `select w.id as id, w.slug as slug, w.min_n as minN, t.id as tokenId
       from api_tokens t join workspaces w on w.id = t.workspace_id
      where t.token_hash = ? and t.revoked_at is null`,
  );
  // Kept in memory while no token or workspace changes (lookup-cache.server.ts): a revoked token is
  // refused from the revoking commit on, in every process.
  const row = cachedLookup(`token\u0000${token}`, () => lookup!.get(sha256(token)) as TokenWorkspace | undefined);
  if (!row) return null;
  // Last-used is minute-precise: writing it on every API call would serialise bulk ingestion.
  const now = Date.now();
  if (now - (lastTouched.get(row.tokenId) ?? 0) > 60_000) {
    lastTouched.set(row.tokenId, now);
    getDb().update(apiTokens).set({ lastUsedAt: new Date(now) }).where(eq(apiTokens.id, row.tokenId)).run();
  }
  return row;
}
