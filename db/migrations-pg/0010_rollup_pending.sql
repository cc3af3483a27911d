-- PostgreSQL only: rollup increments recorded with their responses, folded into the rollups in the
-- background (ADR 033, app/data/rollup-fold.server.ts). A batch transaction inserts one row here
-- (each column an array: one element per daily key, the Monday of its week beside its day) instead
-- of upserting every rollup row it touches; the fold claims rows with FOR UPDATE SKIP LOCKED,
-- deletes them and adds their sums to both levels in one statement. Readers read the views below,
-- which add what is still pending to the folded rows in one statement, hence one snapshot: a row is
-- counted in the rollups or here, never both, never neither. SQLite has neither the table nor the views (its batches upsert the
-- rollups in their transaction), so they are written by hand, outside the schema modules.
CREATE TABLE IF NOT EXISTS "rollup_pending" (
  "id" bigserial PRIMARY KEY,
  "created_at" timestamptz NOT NULL DEFAULT now(),
  "workspace_id" integer[] NOT NULL,
  "touchpoint_id" integer[] NOT NULL,
  "attribute_key" text[] NOT NULL,
  "kind" text[] NOT NULL,
  "day" text[] NOT NULL,
  "week" text[] NOT NULL,
  "tier" text[] NOT NULL,
  "lang" text[] NOT NULL,
  "n" integer[] NOT NULL,
  "sum" double precision[] NOT NULL,
  "sum_sq" double precision[] NOT NULL,
  "sum_p" double precision[] NOT NULL,
  "sum_e" double precision[] NOT NULL,
  "sum_y" double precision[] NOT NULL,
  "sum_y_sq" double precision[] NOT NULL,
  "sum_xy" double precision[] NOT NULL,
  "promoters" integer[] NOT NULL,
  "passives" integer[] NOT NULL,
  "detractors" integer[] NOT NULL,
  "top2" integer[] NOT NULL
);
--> statement-breakpoint
CREATE OR REPLACE VIEW "rollup_pending_rows" AS
  SELECT u.* FROM "rollup_pending" p
  CROSS JOIN LATERAL unnest(p.workspace_id, p.touchpoint_id, p.attribute_key, p.kind, p.day, p.week, p.tier, p.lang, p.n, p.sum, p.sum_sq, p.sum_p, p.sum_e, p.sum_y, p.sum_y_sq, p.sum_xy, p.promoters, p.passives, p.detractors, p.top2) AS u(workspace_id, touchpoint_id, attribute_key, kind, day, week, tier, lang, n, sum, sum_sq, sum_p, sum_e, sum_y, sum_y_sq, sum_xy, promoters, passives, detractors, top2);
--> statement-breakpoint
-- The daily level as readers see it: folded rows, then pending increments (several rows may share a key; readers sum).
CREATE OR REPLACE VIEW "rollups_read" AS
  SELECT workspace_id, touchpoint_id, attribute_key, kind, day, tier, lang, n, sum, sum_sq, sum_p, sum_e, sum_y, sum_y_sq, sum_xy, promoters, passives, detractors, top2 FROM "rollups"
  UNION ALL
  SELECT workspace_id, touchpoint_id, attribute_key, kind, day, tier, lang, n, sum, sum_sq, sum_p, sum_e, sum_y, sum_y_sq, sum_xy, promoters, passives, detractors, top2 FROM "rollup_pending_rows";
--> statement-breakpoint
-- The weekly level as readers see it: a pending day counts under its week's Monday.
CREATE OR REPLACE VIEW "rollups_weekly_read" AS
  SELECT workspace_id, touchpoint_id, attribute_key, kind, week, tier, lang, n, sum, sum_sq, sum_p, sum_e, sum_y, sum_y_sq, sum_xy, promoters, passives, detractors, top2 FROM "rollups_weekly"
  UNION ALL
  SELECT workspace_id, touchpoint_id, attribute_key, kind, week, tier, lang, n, sum, sum_sq, sum_p, sum_e, sum_y, sum_y_sq, sum_xy, promoters, passives, detractors, top2 FROM "rollup_pending_rows";
