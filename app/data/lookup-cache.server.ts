// In-memory answers to the lookups every API request makes (its token's workspace, the deployment it
// names), kept while the lookup generation stays the same (ADR 013).
//
// Why: every commit by another connection (another process, another node) empties this
// connection's page cache, and each lookup here read its pages again: ~10 µs apiece, three or four
// per request, on the thread that serves HTTP (ADR 013). Now a request reads one row, `lookup_generation`, which triggers move on every change to api_tokens, workspaces,
// touchpoints, surveys, survey_versions and deployments (migration 0006). Equal to the generation
// the cached answers were read at, they still hold, whichever process or connection changed what;
// otherwise the cache is emptied and the lookups read again. Only found rows are kept: an unknown
// token or deployment is looked up every time, so nothing about it can go stale.
//
// The generation is read once per turn of the event loop (the requests read from the sockets
// together share it), so a change committed elsewhere is seen from the next turn on, a fraction of
// a millisecond under load; this process's own revocations clear the cache at once (lookupsChanged).
import { eq } from "drizzle-orm";
import { getDb } from "#db/client";
import { lookupGeneration } from "#db/schema/index";

/** Entries kept at most; past it the cache starts again empty (tokens and deployments are few). */
const LIMIT = 10_000;

type Cache = { at: number; entries: Map<string, unknown> };
let cache: Cache | null = null;
/** The generation was read in this turn of the event loop: requests handled together share the read. */
let checked = false;

async function current(): Promise<Cache> {
  cache ??= { at: -1, entries: new Map() };
  if (!checked) {
    checked = true;
    setImmediate(() => (checked = false));
    const [row] = await getDb().select({ generation: lookupGeneration.generation }).from(lookupGeneration).where(eq(lookupGeneration.id, 1)).limit(1);
    const generation = row?.generation ?? -1;
    if (generation !== cache.at || cache.entries.size >= LIMIT) {
      cache.at = generation;
      cache.entries.clear();
    }
  }
  return cache;
}

/** Forgets every cached answer at once: for this process's own changes (revoking a token). */
export function lookupsChanged(): void {
  cache?.entries.clear();
  checked = false;
}

/**
 * `load()`'s answer for `key`, from memory while nothing it may derive from has changed. `load`
 * must read only the tables the generation's triggers watch (migration 0006). Null and undefined
 * are returned, never kept.
 */
export async function cachedLookup<T extends object>(key: string, load: () => Promise<T | null | undefined>): Promise<T | null> {
  const { entries } = await current();
  const hit = entries.get(key) as T | undefined;
  if (hit !== undefined) return hit;
  const loaded = (await load()) ?? null;
  if (loaded !== null) entries.set(key, loaded);
  return loaded;
}
