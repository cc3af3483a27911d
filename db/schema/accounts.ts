// People, their sessions, the workspaces they belong to, and the API tokens of a workspace.
import { sql } from "drizzle-orm";
import { check, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

import { ROLES, type Role } from "../../app/auth/roles";

export { ROLES, type Role };

const createdAt = () =>
  integer("created_at", { mode: "timestamp_ms" }).notNull().default(sql`(unixepoch('subsec') * 1000)`);

export const users = sqliteTable("users", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  email: text("email").notNull().unique(),
  name: text("name").notNull(),
  passwordHash: text("password_hash").notNull(),
  // The person's own IANA time zone for dates on screen; null: each workspace's (app/i18n/format.ts).
  timeZone: text("time_zone"),
  // The interface language the person last chose ("es" | "en"): what their alert and digest e-mails
  // are written in. Null until they choose one: Spanish.
  lang: text("lang"),
  createdAt: createdAt(),
});

export const sessions = sqliteTable(
  "sessions",
  {
    // sha256 of the cookie's token: a stolen database does not yield live sessions.
    id: text("id").primaryKey(),
    userId: integer("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
    lastSeenAt: integer("last_seen_at", { mode: "timestamp_ms" }),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    userAgent: text("user_agent"),
  },
  (t) => [index("sessions_user").on(t.userId)],
);

export const workspaces = sqliteTable("workspaces", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  slug: text("slug").notNull().unique(),
  name: text("name").notNull(),
  // Below this many responses a mean is withheld (DESIGN.md "The numbers").
  minN: integer("min_n").notNull().default(10),
  // Sites allowed to embed the respondent pages in a frame (CSP frame-ancestors), space-separated origins.
  embedOrigins: text("embed_origins").notNull().default(""),
  // How dates and money read on screen: an IANA time zone and an ISO 4217 currency (app/i18n/format.ts).
  timeZone: text("time_zone").notNull().default("UTC"),
  currency: text("currency").notNull().default("EUR"),
  // The brand customers know, put into generated survey and invitation texts; "" = the workspace name.
  brandName: text("brand_name").notNull().default(""),
  createdAt: createdAt(),
});

export const memberships = sqliteTable(
  "memberships",
  {
    workspaceId: integer("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    userId: integer("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    role: text("role", { enum: ROLES }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.userId] }), index("memberships_user").on(t.userId)],
);

export const memberInvites = sqliteTable(
  "member_invites",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    workspaceId: integer("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    email: text("email").notNull(),
    role: text("role", { enum: ROLES }).notNull(),
    tokenHash: text("token_hash").notNull().unique(),
    invitedBy: integer("invited_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    acceptedAt: integer("accepted_at", { mode: "timestamp_ms" }),
  },
  (t) => [uniqueIndex("member_invites_ws_email").on(t.workspaceId, t.email)],
);

export const apiTokens = sqliteTable(
  "api_tokens",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    workspaceId: integer("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    // Only the sha256 is kept; the token itself is shown once.
    tokenHash: text("token_hash").notNull().unique(),
    prefix: text("prefix").notNull(),
    createdBy: integer("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    lastUsedAt: integer("last_used_at", { mode: "timestamp_ms" }),
    revokedAt: integer("revoked_at", { mode: "timestamp_ms" }),
  },
  (t) => [index("api_tokens_ws").on(t.workspaceId)],
);

/**
 * A counter that triggers move whenever a row the API's hot-path lookups derive from changes: API
 * tokens, workspaces, touchpoints, surveys, their versions and deployments (migration 0006). The
 * server keeps those lookups in memory and reads only this one row per request: equal to what it
 * read before, the cached answers still hold, whichever process changed what (ADR 013).
 */
export const lookupGeneration = sqliteTable(
  "lookup_generation",
  {
    id: integer("id").primaryKey(),
    generation: integer("generation").notNull(),
  },
  (t) => [check("lookup_generation_one_row", sql`${t.id} = 1`)],
);
