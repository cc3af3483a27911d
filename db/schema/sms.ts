// Text messages: a workspace's HTTP SMS provider and the invitation text each deployment sends.
import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { workspaces } from "./accounts";
import { deployments } from "./surveys";

export const smsSettings = sqliteTable("sms_settings", {
  workspaceId: integer("workspace_id").primaryKey().references(() => workspaces.id, { onDelete: "cascade" }),
  // The provider's endpoint; the message is POSTed there as JSON.
  url: text("url").notNull(),
  authHeaderName: text("auth_header_name").notNull().default(""),
  // The header's value sealed by app/data/secret-box.server.ts; never sent to a page.
  authHeaderSealed: text("auth_header_sealed"),
  // Or the name of an environment variable holding the value (wins over the sealed one).
  authHeaderEnv: text("auth_header_env").notNull().default(""),
  // JSON with {{to}}, {{text}} and {{sender}} placeholders (app/cem/sms-body.ts).
  bodyTemplate: text("body_template").notNull(),
  senderId: text("sender_id").notNull().default(""),
  updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
});

export const deploymentSmsTexts = sqliteTable("deployment_sms_texts", {
  deploymentId: integer("deployment_id").primaryKey().references(() => deployments.id, { onDelete: "cascade" }),
  workspaceId: integer("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
  // With a {{link}} placeholder (and optionally {{brand}}); "" = the default text of that language.
  textEs: text("text_es").notNull().default(""),
  textEn: text("text_en").notNull().default(""),
});
