// The comment search condition on responses, one per engine: SQLite's FTS5 index responses_fts
// (kept by triggers, migration 0012) and PostgreSQL's GIN index on to_tsvector('simple', comment)
// (migration 0007). The expression below must stay the one the PostgreSQL index was built on, or
// the planner falls back to reading every comment. Workspace scoping is the caller's other condition.
import { sql, type SQL } from "drizzle-orm";
import { isPostgres } from "#db/client";
import { responses } from "#db/schema/index";
import { fts5Query, tsQuery } from "~/cem/comment-search";

/** Responses whose comment holds every term (as a word prefix); `terms` come from searchTerms. */
export function commentMatches(terms: readonly string[]): SQL {
  if (terms.length === 0) throw new RangeError("a comment search needs at least one term");
  return isPostgres()
    ? sql`(${responses.comment} is not null and to_tsvector('simple'::regconfig, ${responses.comment}) @@ to_tsquery('simple'::regconfig, ${tsQuery(terms)}))`
    : sql`${responses.id} in (select rowid from responses_fts where responses_fts match ${fts5Query(terms)})`;
}
