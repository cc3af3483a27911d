// Alert rules, subscriptions, occurrences, notifications and digests.
// PostgreSQL counterpart of db/schema/notifications.ts.
import { index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex } from "drizzle-orm/pg-core";
import { ALERT_KINDS, ALERT_SCOPES, DIGEST_FREQUENCIES, NOTIFICATION_MAIL_STATES } from "../schema/notifications";
import { users, workspaces } from "./accounts";
import { instant, instantNow, serialId } from "./columns";

export { ALERT_KINDS, ALERT_SCOPES, DIGEST_FREQUENCIES, NOTIFICATION_MAIL_STATES };

export const alertRules = pgTable(
  "alert_rules",
  {
    id: serialId(),
    workspaceId: integer("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    kind: text("kind", { enum: ALERT_KINDS }).notNull(),
    scope: text("scope", { enum: ALERT_SCOPES }),
    scopeKey: text("scope_key"),
    createdBy: integer("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: instantNow("created_at"),
    updatedAt: instant("updated_at").notNull(),
  },
  (t) => [index("alert_rules_ws").on(t.workspaceId)],
);

export const alertSubscriptions = pgTable(
  "alert_subscriptions",
  {
    ruleId: integer("rule_id").notNull().references(() => alertRules.id, { onDelete: "cascade" }),
    userId: integer("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    workspaceId: integer("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    createdAt: instantNow("created_at"),
  },
  (t) => [primaryKey({ columns: [t.ruleId, t.userId] }), index("alert_subscriptions_user").on(t.workspaceId, t.userId)],
);

export const alertOccurrences = pgTable(
  "alert_occurrences",
  {
    id: serialId(),
    workspaceId: integer("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    ruleId: integer("rule_id").notNull().references(() => alertRules.id, { onDelete: "cascade" }),
    occurrenceKey: text("occurrence_key").notNull(),
    detail: jsonb("detail").$type<Record<string, unknown>>().notNull(),
    evidencePath: text("evidence_path").notNull(),
    foundAt: instant("found_at").notNull(),
  },
  (t) => [uniqueIndex("alert_occurrences_rule_key").on(t.ruleId, t.occurrenceKey), index("alert_occurrences_ws_found").on(t.workspaceId, t.foundAt)],
);

export const notifications = pgTable(
  "notifications",
  {
    id: serialId(),
    workspaceId: integer("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    userId: integer("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    occurrenceId: integer("occurrence_id").notNull().references(() => alertOccurrences.id, { onDelete: "cascade" }),
    createdAt: instant("created_at").notNull(),
    readAt: instant("read_at"),
    mailState: text("mail_state", { enum: NOTIFICATION_MAIL_STATES }).notNull().default("pending"),
    mailError: text("mail_error"),
  },
  (t) => [
    uniqueIndex("notifications_occurrence_user").on(t.occurrenceId, t.userId),
    index("notifications_user_read").on(t.workspaceId, t.userId, t.readAt),
    index("notifications_mail").on(t.workspaceId, t.mailState),
  ],
);

export const digestSubscriptions = pgTable(
  "digest_subscriptions",
  {
    workspaceId: integer("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    userId: integer("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    frequency: text("frequency", { enum: DIGEST_FREQUENCIES }).notNull(),
    journeys: jsonb("journeys").$type<string[]>().notNull(),
    since: instant("since").notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.userId] })],
);

export const digestSends = pgTable(
  "digest_sends",
  {
    id: serialId(),
    workspaceId: integer("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    userId: integer("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    frequency: text("frequency", { enum: DIGEST_FREQUENCIES }).notNull(),
    period: text("period").notNull(),
    sentAt: instant("sent_at").notNull(),
  },
  (t) => [uniqueIndex("digest_sends_period").on(t.workspaceId, t.userId, t.frequency, t.period)],
);
