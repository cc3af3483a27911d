// Alerts and digests for the people answerable for the experience: rules a workspace watches, who
// follows each, every occurrence found (one row per rule and stable key: the UNIQUE index is what
// makes it notified once even with several nodes evaluating), the notifications it gave each
// subscriber, and the weekly or monthly digests members asked for with one row per period sent.
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { users, workspaces } from "./accounts";

// The same lists as app/cem/alerts.ts; the domain does not import the schema.
export const ALERT_KINDS = ["drop", "target", "detractors", "overdue"] as const;
export const ALERT_SCOPES = ["journey", "process", "touchpoint"] as const;
/** pending: to be mailed; sending: claimed by a node; sent; skipped: no mail settings or no address; failed. */
export const NOTIFICATION_MAIL_STATES = ["pending", "sending", "sent", "skipped", "failed"] as const;
export const DIGEST_FREQUENCIES = ["weekly", "monthly"] as const;

const createdAt = () => integer("created_at", { mode: "timestamp_ms" }).notNull().default(sql`(unixepoch('subsec') * 1000)`);

export const alertRules = sqliteTable(
  "alert_rules",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    workspaceId: integer("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    kind: text("kind", { enum: ALERT_KINDS }).notNull(),
    // Optional: only this journey, process or touchpoint (by key, like targets); null = the whole workspace.
    scope: text("scope", { enum: ALERT_SCOPES }),
    scopeKey: text("scope_key"),
    createdBy: integer("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("alert_rules_ws").on(t.workspaceId)],
);

export const alertSubscriptions = sqliteTable(
  "alert_subscriptions",
  {
    ruleId: integer("rule_id").notNull().references(() => alertRules.id, { onDelete: "cascade" }),
    userId: integer("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    workspaceId: integer("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.ruleId, t.userId] }), index("alert_subscriptions_user").on(t.workspaceId, t.userId)],
);

export const alertOccurrences = sqliteTable(
  "alert_occurrences",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    workspaceId: integer("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    ruleId: integer("rule_id").notNull().references(() => alertRules.id, { onDelete: "cascade" }),
    // rule + unit + metric + period (ISO week), or rule + case id (app/cem/alerts.ts occurrenceKey).
    occurrenceKey: text("occurrence_key").notNull(),
    // What was found, as the notification shows it (AlertFinding in app/cem/alerts.ts).
    detail: text("detail", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    // The evidence, as a path inside the app.
    evidencePath: text("evidence_path").notNull(),
    foundAt: integer("found_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [uniqueIndex("alert_occurrences_rule_key").on(t.ruleId, t.occurrenceKey), index("alert_occurrences_ws_found").on(t.workspaceId, t.foundAt)],
);

export const notifications = sqliteTable(
  "notifications",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    workspaceId: integer("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    userId: integer("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    occurrenceId: integer("occurrence_id").notNull().references(() => alertOccurrences.id, { onDelete: "cascade" }),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    readAt: integer("read_at", { mode: "timestamp_ms" }),
    mailState: text("mail_state", { enum: NOTIFICATION_MAIL_STATES }).notNull().default("pending"),
    mailError: text("mail_error"),
  },
  (t) => [
    uniqueIndex("notifications_occurrence_user").on(t.occurrenceId, t.userId),
    index("notifications_user_read").on(t.workspaceId, t.userId, t.readAt),
    index("notifications_mail").on(t.workspaceId, t.mailState),
  ],
);

export const digestSubscriptions = sqliteTable(
  "digest_subscriptions",
  {
    workspaceId: integer("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    userId: integer("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    frequency: text("frequency", { enum: DIGEST_FREQUENCIES }).notNull(),
    // Journey keys the digest covers; empty = every journey.
    journeys: text("journeys", { mode: "json" }).$type<string[]>().notNull(),
    // When the frequency was chosen: the first digest is for the first period that starts after it.
    since: integer("since", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.userId] })],
);

export const digestSends = sqliteTable(
  "digest_sends",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    workspaceId: integer("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    userId: integer("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    frequency: text("frequency", { enum: DIGEST_FREQUENCIES }).notNull(),
    // "2026-12-07" (the week's Monday) or "2026-12" (the month), in the workspace's calendar.
    period: text("period").notNull(),
    sentAt: integer("sent_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [uniqueIndex("digest_sends_period").on(t.workspaceId, t.userId, t.frequency, t.period)],
);
