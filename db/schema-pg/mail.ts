// E-mail invitations. PostgreSQL counterpart of db/schema/mail.ts.
import { index, integer, pgTable, primaryKey, text, uniqueIndex } from "drizzle-orm/pg-core";
import { DEPLOYMENT_CHANNELS, INVITATION_EVENT_KINDS, MAIL_CHANNELS, MAIL_SEND_STATES, MAIL_TLS_MODES } from "../schema/mail";
import { workspaces } from "./accounts";
import { instant, instantNow, serialId } from "./columns";
import { customers } from "./crm";
import { deployments, invitations } from "./surveys";

export { DEPLOYMENT_CHANNELS, INVITATION_EVENT_KINDS, MAIL_CHANNELS, MAIL_SEND_STATES, MAIL_TLS_MODES };

export const mailSettings = pgTable("mail_settings", {
  workspaceId: integer("workspace_id")
    .primaryKey()
    .references(() => workspaces.id, { onDelete: "cascade" }),
  host: text("host").notNull(),
  port: integer("port").notNull(),
  tlsMode: text("tls_mode", { enum: MAIL_TLS_MODES }).notNull(),
  username: text("username").notNull().default(""),
  passwordSealed: text("password_sealed"),
  passwordEnv: text("password_env").notNull().default(""),
  fromName: text("from_name").notNull(),
  fromAddress: text("from_address").notNull(),
  linkOrigin: text("link_origin").notNull().default(""),
  ratePerMinute: integer("rate_per_minute").notNull().default(60),
  timeZone: text("time_zone").notNull().default("Europe/Madrid"),
  updatedAt: instantNow("updated_at"),
});

export const deploymentMail = pgTable("deployment_mail", {
  deploymentId: integer("deployment_id")
    .primaryKey()
    .references(() => deployments.id, { onDelete: "cascade" }),
  workspaceId: integer("workspace_id")
    .notNull()
    .references(() => workspaces.id, { onDelete: "cascade" }),
  templates: text("templates"),
  reminders: integer("reminders").notNull().default(2),
  reminderDays: integer("reminder_days").notNull().default(3),
  windowStart: integer("window_start").notNull().default(540),
  windowEnd: integer("window_end").notNull().default(1200),
  channel: text("channel", { enum: DEPLOYMENT_CHANNELS }).notNull().default("email_sms"),
});

export const invitationSends = pgTable(
  "invitation_sends",
  {
    id: serialId(),
    workspaceId: integer("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    invitationId: integer("invitation_id")
      .notNull()
      .references(() => invitations.id, { onDelete: "cascade" }),
    seq: integer("seq").notNull(),
    channel: text("channel", { enum: MAIL_CHANNELS }).notNull().default("email"),
    state: text("state", { enum: MAIL_SEND_STATES }).notNull().default("queued"),
    dueAt: instant("due_at").notNull(),
    attempts: integer("attempts").notNull().default(0),
    claimedBy: text("claimed_by"),
    claimedUntil: instant("claimed_until"),
    recipient: text("recipient"),
    response: text("response"),
    messageId: text("message_id"),
    sentAt: instant("sent_at"),
    createdAt: instantNow("created_at"),
  },
  (t) => [uniqueIndex("invitation_sends_seq").on(t.invitationId, t.seq), index("invitation_sends_due").on(t.workspaceId, t.state, t.dueAt)],
);

export const invitationEvents = pgTable(
  "invitation_events",
  {
    id: serialId(),
    workspaceId: integer("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    invitationId: integer("invitation_id")
      .notNull()
      .references(() => invitations.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: INVITATION_EVENT_KINDS }).notNull(),
    seq: integer("seq").notNull().default(0),
    detail: text("detail"),
    at: instant("at").notNull(),
  },
  (t) => [uniqueIndex("invitation_events_once").on(t.invitationId, t.kind, t.seq)],
);

export const mailOptOuts = pgTable("mail_opt_outs", {
  customerId: integer("customer_id")
    .primaryKey()
    .references(() => customers.id, { onDelete: "cascade" }),
  workspaceId: integer("workspace_id")
    .notNull()
    .references(() => workspaces.id, { onDelete: "cascade" }),
  at: instant("at").notNull(),
});

export const mailBounces = pgTable(
  "mail_bounces",
  {
    workspaceId: integer("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    address: text("address").notNull(),
    response: text("response").notNull(),
    at: instant("at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.address] })],
);
