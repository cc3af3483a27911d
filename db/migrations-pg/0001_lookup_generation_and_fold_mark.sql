-- Hand-written (drizzle-kit generate --custom): what the SQLite migrations add beyond the schema.
--
-- 1. The fold mark's one row (SQLite: db/migrations/0005). On SQLite the mark starts at the last
--    response already summed; a PostgreSQL database starts empty, so this is (1, 0), written the
--    same way for symmetry.
--    Caution (ADR 012): the fold takes "ids after the mark" as "responses not yet folded". SQLite
--    has one writer, so responses commit in id order. Here an identity value is drawn at INSERT and
--    transactions commit in any order: a response with id 100 may become visible after 101 was
--    folded, and would never be. The PostgreSQL fold needs a guard of its own (e.g. serialise the
--    response writers on an advisory lock and draw the id under it, or fold only ids below the
--    oldest running writer's); nothing in this migration provides it.
INSERT INTO "rollup_state" ("id", "folded_through") SELECT 1, coalesce(max("id"), 0) FROM "responses";
--> statement-breakpoint
-- 2. The lookup generation (ADR 013; SQLite: db/migrations/0006): its one row, and triggers that move
--    it on every change to a row the API's cached lookups derive from.
INSERT INTO "lookup_generation" ("id", "generation") VALUES (1, 0);
--> statement-breakpoint
-- Statement-level, where SQLite (which has row triggers only) bumps once per row: readers compare the
-- counter for equality only, so once per statement is enough, and a cascade deleting a workspace's
-- thousand touchpoints writes one new version of this row instead of a thousand. A statement that
-- touches no row still bumps it (the cache is then reread once: harmless). TRUNCATE, which SQLite
-- does not have, bumps it too.
CREATE FUNCTION "bump_lookup_generation"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "lookup_generation" SET "generation" = "generation" + 1 WHERE "id" = 1;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "workspaces_lookup_generation" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "workspaces"
  FOR EACH STATEMENT EXECUTE FUNCTION "bump_lookup_generation"();
--> statement-breakpoint
CREATE TRIGGER "touchpoints_lookup_generation" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "touchpoints"
  FOR EACH STATEMENT EXECUTE FUNCTION "bump_lookup_generation"();
--> statement-breakpoint
CREATE TRIGGER "surveys_lookup_generation" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "surveys"
  FOR EACH STATEMENT EXECUTE FUNCTION "bump_lookup_generation"();
--> statement-breakpoint
CREATE TRIGGER "survey_versions_lookup_generation" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "survey_versions"
  FOR EACH STATEMENT EXECUTE FUNCTION "bump_lookup_generation"();
--> statement-breakpoint
CREATE TRIGGER "deployments_lookup_generation" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "deployments"
  FOR EACH STATEMENT EXECUTE FUNCTION "bump_lookup_generation"();
--> statement-breakpoint
-- API tokens: as on SQLite, not on insert (only found tokens are cached) nor on last_used_at alone
-- (written by every request). UPDATE OF fires when a listed column is a SET target, as on SQLite.
CREATE TRIGGER "api_tokens_update_lookup_generation" AFTER UPDATE OF "token_hash", "revoked_at", "workspace_id" ON "api_tokens"
  FOR EACH STATEMENT EXECUTE FUNCTION "bump_lookup_generation"();
--> statement-breakpoint
CREATE TRIGGER "api_tokens_delete_lookup_generation" AFTER DELETE OR TRUNCATE ON "api_tokens"
  FOR EACH STATEMENT EXECUTE FUNCTION "bump_lookup_generation"();
