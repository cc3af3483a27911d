-- Full-text search over response comments (custom migration: the expression index is written by hand
-- so the query in app/data/response-search.server.ts matches it exactly). The 'simple' configuration
-- lower-cases and splits words without a language's stemming: comments come in Spanish and English.
-- Only rows with a comment are indexed; the response writer's statements are unchanged.
CREATE INDEX IF NOT EXISTS "responses_comment_search" ON "responses" USING gin (to_tsvector('simple'::regconfig, "comment")) WHERE "comment" IS NOT NULL;
