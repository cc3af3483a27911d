// Text messages: a workspace's HTTP SMS provider and the invitation text each deployment sends.
// PostgreSQL counterpart of db/schema/sms.ts.
import { integer, pgTable, text } from "drizzle-orm/pg-core";
import { workspaces } from "./accounts";
import { instant } from "./columns";
import { deployments } from "./surveys";

export const smsSettings = pgTable("sms_settings", {
  workspaceId: integer("workspace_id").primaryKey().references(() => workspaces.id, { onDelete: "cascade" }),
  url: text("url").notNull(),
  authHeaderName: text("auth_header_name").notNull().default(""),
  authHeaderSealed: text("auth_header_sealed"),
  authHeaderEnv: text("auth_header_env").notNull().default(""),
  bodyTemplate: text("body_template").notNull(),
  senderId: text("sender_id").notNull().default(""),
  updatedAt: instant("updated_at").notNull(),
});

export const deploymentSmsTexts = pgTable("deployment_sms_texts", {
  deploymentId: integer("deployment_id").primaryKey().references(() => deployments.id, { onDelete: "cascade" }),
  workspaceId: integer("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
  textEs: text("text_es").notNull().default(""),
  textEn: text("text_en").notNull().default(""),
});
