// People, their sessions, the workspaces they belong to, and the API tokens of a workspace.
// PostgreSQL counterpart of db/schema/accounts.ts: same tables, columns, keys and indexes.
import { sql } from "drizzle-orm";
import { check, index, integer, pgTable, primaryKey, text, uniqueIndex } from "drizzle-orm/pg-core";

import { ROLES, type Role } from "../../app/auth/roles";
import { instant, instantNow, serialId } from "./columns";

export { ROLES, type Role };

const createdAt = () => instantNow("created_at");

export const users = pgTable("users", {
  id: serialId(),
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

export const sessions = pgTable(
  "sessions",
  {
    // sha256 of the cookie's token: a stolen database does not yield live sessions.
    id: text("id").primaryKey(),
    userId: integer("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
    lastSeenAt: instant("last_seen_at"),
    expiresAt: instant("expires_at").notNull(),
    userAgent: text("user_agent"),
  },
  (t) => [index("sessions_user").on(t.userId)],
);

export const workspaces = pgTable("workspaces", {
  id: serialId(),
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

export const memberships = pgTable(
  "memberships",
  {
    workspaceId: integer("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    userId: integer("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    role: text("role", { enum: ROLES }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.userId] }), index("memberships_user").on(t.userId)],
);

export const memberInvites = pgTable(
  "member_invites",
  {
    id: serialId(),
    workspaceId: integer("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    email: text("email").notNull(),
    role: text("role", { enum: ROLES }).notNull(),
    tokenHash: text("token_hash").notNull().unique(),
    invitedBy: integer("invited_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    acceptedAt: instant("accepted_at"),
  },
  (t) => [uniqueIndex("member_invites_ws_email").on(t.workspaceId, t.email)],
);

export const apiTokens = pgTable(
  "api_tokens",
  {
    id: serialId(),
    workspaceId: integer("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    // Only the sha256 is kept; the token itself is shown once.
    tokenHash: text("token_hash").notNull().unique(),
    prefix: text("prefix").notNull(),
    createdBy: integer("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    lastUsedAt: instant("last_used_at"),
    revokedAt: instant("revoked_at"),
  },
  (t) => [index("api_tokens_ws").on(t.workspaceId)],
);

/**
 * The counter the API's lookup cache compares (ADR 013). Its one row and the plpgsql triggers that
 * move it are in the custom migration db/migrations-pg/0001_lookup_generation_and_fold_mark.sql (the
 * SQLite side: db/migrations/0006).
 */
export const lookupGeneration = pgTable(
  "lookup_generation",
  {
    id: integer("id").primaryKey(),
    generation: integer("generation").notNull(),
  },
  (t) => [check("lookup_generation_one_row", sql`${t.id} = 1`)],
);
