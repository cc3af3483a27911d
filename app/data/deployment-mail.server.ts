// Each deployment's invitations: the channel they go out on, the e-mail templates in both languages,
// the reminders (how many, how many days apart) and the daily send window. A deployment without a row
// uses the defaults.
import { and, eq } from "drizzle-orm";
import { getDb, type Executor } from "#db/client";
import { deploymentMail, deployments, touchpoints, workspaces } from "#db/schema/index";
import type { ChannelChoice } from "~/cem/invitation-channel";
import type { DeploymentMailInput } from "~/cem/deployment-mail-form";
import { DEFAULT_TEMPLATES, readTemplates, type MailTemplates } from "~/cem/invitation-mail";
import { DEFAULT_WINDOW, type SendWindow } from "~/cem/send-window";
import { getDeployment } from "./deployments.server";

export type DeploymentChannel = ChannelChoice;

export type DeploymentMailConfig = {
  channel: DeploymentChannel;
  templates: MailTemplates;
  reminders: number;
  reminderDays: number;
  window: SendWindow;
  customised: boolean;
};

export const DEFAULT_DEPLOYMENT_MAIL: DeploymentMailConfig = {
  channel: "email_sms",
  templates: DEFAULT_TEMPLATES,
  reminders: 2,
  reminderDays: 3,
  window: DEFAULT_WINDOW,
  customised: false,
};

export async function deploymentMailConfig(workspaceId: number, deploymentId: number, conn: Executor = getDb()): Promise<DeploymentMailConfig> {
  const [row] = await conn
    .select()
    .from(deploymentMail)
    .where(and(eq(deploymentMail.workspaceId, workspaceId), eq(deploymentMail.deploymentId, deploymentId)))
    .limit(1);
  if (!row) return DEFAULT_DEPLOYMENT_MAIL;
  return {
    channel: row.channel,
    templates: readTemplates(row.templates),
    reminders: row.reminders,
    reminderDays: row.reminderDays,
    window: { start: row.windowStart, end: row.windowEnd },
    customised: row.templates !== null,
  };
}

/** Saves a deployment's e-mail (and its channel when given); false when the deployment is not in this workspace. */
export async function saveDeploymentMail(
  workspaceId: number,
  deploymentId: number,
  config: DeploymentMailInput & { channel?: DeploymentChannel },
): Promise<boolean> {
  if (!(await getDeployment(workspaceId, deploymentId))) return false;
  const values = {
    ...(config.channel ? { channel: config.channel } : {}),
    templates: JSON.stringify(config.templates),
    reminders: config.reminders,
    reminderDays: config.reminderDays,
    windowStart: config.window.start,
    windowEnd: config.window.end,
  };
  await getDb()
    .insert(deploymentMail)
    .values({ deploymentId, workspaceId, ...values })
    .onConflictDoUpdate({ target: deploymentMail.deploymentId, set: values });
  return true;
}

/** Sets how the deployment's invitations go out, keeping its e-mail; false when the deployment is not the workspace's. */
export async function saveDeploymentChannel(workspaceId: number, deploymentId: number, channel: DeploymentChannel): Promise<boolean> {
  if (!(await getDeployment(workspaceId, deploymentId))) return false;
  await getDb()
    .insert(deploymentMail)
    .values({ deploymentId, workspaceId, channel })
    .onConflictDoUpdate({ target: deploymentMail.deploymentId, set: { channel } });
  return true;
}

/** What the deployment's e-mail page shows besides the config: names for the preview, the brand. */
export async function deploymentMailContext(workspaceId: number, deploymentId: number) {
  const [row] = await getDb()
    .select({
      name: deployments.name,
      touchpoint: touchpoints.name,
      touchpointEn: touchpoints.nameEn,
      workspaceName: workspaces.name,
      brandName: workspaces.brandName,
    })
    .from(deployments)
    .innerJoin(touchpoints, eq(touchpoints.id, deployments.touchpointId))
    .innerJoin(workspaces, eq(workspaces.id, deployments.workspaceId))
    .where(and(eq(deployments.workspaceId, workspaceId), eq(deployments.id, deploymentId)))
    .limit(1);
  if (!row) return null;
  return { name: row.name, touchpoint: { es: row.touchpoint, en: row.touchpointEn || row.touchpoint }, brand: row.brandName || row.workspaceName };
}
