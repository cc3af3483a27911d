// E-mail invitations: a workspace's SMTP settings, each deployment's invitation e-mail, the send
// state of every message (one row per invitation and send: the first and each reminder), the life
// of an invitation as dated events, and the addresses and customers no message may go to any more.
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { CHANNEL_CHOICES } from "../../app/cem/invitation-channel";
import { workspaces } from "./accounts";
import { customers } from "./crm";
import { deployments, invitations } from "./surveys";

const now = sql`(unixepoch('subsec') * 1000)`;

export const MAIL_TLS_MODES = ["starttls", "tls", "none"] as const;
export const MAIL_CHANNELS = ["email", "sms"] as const;
// How a deployment's invitations go out (app/cem/invitation-channel.ts).
export const DEPLOYMENT_CHANNELS = CHANNEL_CHOICES;
/**
 * queued: due at due_at; sending: claimed by one node until claimed_until (the SMTP conversation is
 * under way); sent: accepted by the server; bounced: refused for good (5xx); failed: gave up;
 * skipped: not sent on purpose (answered, expired, unsubscribed, no address).
 */
export const MAIL_SEND_STATES = ["queued", "sending", "sent", "bounced", "failed", "skipped"] as const;
export const INVITATION_EVENT_KINDS = ["queued", "sent", "failed", "bounced", "skipped", "opened", "started", "completed", "unsubscribed"] as const;

export const mailSettings = sqliteTable("mail_settings", {
  workspaceId: integer("workspace_id")
    .primaryKey()
    .references(() => workspaces.id, { onDelete: "cascade" }),
  host: text("host").notNull(),
  port: integer("port").notNull(),
  tlsMode: text("tls_mode", { enum: MAIL_TLS_MODES }).notNull(),
  username: text("username").notNull().default(""),
  // AES-GCM sealed (app/data/sealed-secrets.server.ts), never sent to a page; null when none is stored.
  passwordSealed: text("password_sealed"),
  // When set, the password is read from this environment variable instead of passwordSealed.
  passwordEnv: text("password_env").notNull().default(""),
  fromName: text("from_name").notNull(),
  fromAddress: text("from_address").notNull(),
  // The address links in messages start with (https://surveys.example.com); PUBLIC_URL overrides it.
  linkOrigin: text("link_origin").notNull().default(""),
  ratePerMinute: integer("rate_per_minute").notNull().default(60),
  // IANA zone the deployments' send windows are read in.
  timeZone: text("time_zone").notNull().default("Europe/Madrid"),
  updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull().default(now),
});

export const deploymentMail = sqliteTable("deployment_mail", {
  deploymentId: integer("deployment_id")
    .primaryKey()
    .references(() => deployments.id, { onDelete: "cascade" }),
  workspaceId: integer("workspace_id")
    .notNull()
    .references(() => workspaces.id, { onDelete: "cascade" }),
  // JSON { es: {subject, text, button}, en: {…} } checked by app/cem/invitation-mail.ts; null = defaults.
  templates: text("templates"),
  reminders: integer("reminders").notNull().default(2),
  reminderDays: integer("reminder_days").notNull().default(3),
  // Send window, minutes after local midnight in the workspace's time zone: [start, end).
  windowStart: integer("window_start").notNull().default(540),
  windowEnd: integer("window_end").notNull().default(1200),
  channel: text("channel", { enum: DEPLOYMENT_CHANNELS }).notNull().default("email_sms"),
});

export const invitationSends = sqliteTable(
  "invitation_sends",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    workspaceId: integer("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    invitationId: integer("invitation_id")
      .notNull()
      .references(() => invitations.id, { onDelete: "cascade" }),
    // 0 the invitation itself, 1 and 2 the reminders.
    seq: integer("seq").notNull(),
    channel: text("channel", { enum: MAIL_CHANNELS }).notNull().default("email"),
    state: text("state", { enum: MAIL_SEND_STATES }).notNull().default("queued"),
    dueAt: integer("due_at", { mode: "timestamp_ms" }).notNull(),
    attempts: integer("attempts").notNull().default(0),
    claimedBy: text("claimed_by"),
    claimedUntil: integer("claimed_until", { mode: "timestamp_ms" }),
    recipient: text("recipient"),
    // The server's last answer ("250 2.0.0 Ok: queued", "550 5.1.1 no such user") or why it was skipped.
    response: text("response"),
    messageId: text("message_id"),
    sentAt: integer("sent_at", { mode: "timestamp_ms" }),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(now),
  },
  (t) => [uniqueIndex("invitation_sends_seq").on(t.invitationId, t.seq), index("invitation_sends_due").on(t.workspaceId, t.state, t.dueAt)],
);

export const invitationEvents = sqliteTable(
  "invitation_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    workspaceId: integer("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    invitationId: integer("invitation_id")
      .notNull()
      .references(() => invitations.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: INVITATION_EVENT_KINDS }).notNull(),
    // The send it is about (0 the invitation, 1.. the reminders); 0 for the customer's own steps.
    seq: integer("seq").notNull().default(0),
    detail: text("detail"),
    at: integer("at", { mode: "timestamp_ms" }).notNull(),
  },
  // Each step once: a retried handler or a second page load records nothing new.
  (t) => [uniqueIndex("invitation_events_once").on(t.invitationId, t.kind, t.seq)],
);

export const mailOptOuts = sqliteTable("mail_opt_outs", {
  customerId: integer("customer_id")
    .primaryKey()
    .references(() => customers.id, { onDelete: "cascade" }),
  workspaceId: integer("workspace_id")
    .notNull()
    .references(() => workspaces.id, { onDelete: "cascade" }),
  at: integer("at", { mode: "timestamp_ms" }).notNull(),
});

export const mailBounces = sqliteTable(
  "mail_bounces",
  {
    workspaceId: integer("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    // Lower-cased.
    address: text("address").notNull(),
    response: text("response").notNull(),
    at: integer("at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.address] })],
);
