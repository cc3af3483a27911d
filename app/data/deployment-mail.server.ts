// Each deployment's invitations: the channel they go out on, the e-mail templates in both languages,
// the reminders (how many, how many days apart) and the daily send window. A deployment without a row
// uses the defaults.
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { getDb, type Executor } from "#db/client";
import { deploymentMail, deployments, touchpoints, workspaces } from "#db/schema/index";
import type { ChannelChoice } from "~/cem/invitation-channel";
import { DEFAULT_TEMPLATES, MailTemplateSchema, readTemplates, type MailTemplates } from "~/cem/invitation-mail";
import { DEFAULT_WINDOW, MAX_REMINDERS, parseClock, type SendWindow } from "~/cem/send-window";
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

const clock = (label: string) =>
  z
    .string()
    .trim()
    .transform((s, ctx) => {
      const minutes = parseClock(s);
      if (minutes === null) {
        ctx.addIssue({ code: "custom", message: `${label}: a time as HH:MM, e.g. 09:00.` });
        return z.NEVER;
      }
      return minutes;
    });

/** The deployment e-mail form: flat field names (es.subject, en.button…) as the page posts them. */
export const DeploymentMailFormSchema = z
  .object({
    "es.subject": z.string(),
    "es.text": z.string(),
    "es.button": z.string(),
    "en.subject": z.string(),
    "en.text": z.string(),
    "en.button": z.string(),
    reminders: z.coerce.number({ message: "Reminders: 0, 1 or 2." }).int().min(0, "Reminders: 0, 1 or 2.").max(MAX_REMINDERS, "Reminders: 0, 1 or 2."),
    reminderDays: z.coerce.number({ message: "Days between: a number." }).int("Days between: whole days.").min(1, "Days between: at least 1.").max(60, "Days between: at most 60."),
    windowStart: clock("Window opens"),
    windowEnd: clock("Window closes"),
  })
  .superRefine((v, ctx) => {
    for (const lang of ["es", "en"] as const) {
      const parsed = MailTemplateSchema.safeParse({ subject: v[`${lang}.subject`], text: v[`${lang}.text`], button: v[`${lang}.button`] });
      if (!parsed.success) for (const issue of parsed.error.issues) ctx.addIssue({ code: "custom", path: [`${lang}.${String(issue.path[0])}`], message: issue.message });
    }
    if (v.windowStart >= v.windowEnd) ctx.addIssue({ code: "custom", path: ["windowEnd"], message: "Window closes: after it opens (a window cannot cross midnight)." });
  })
  .transform(
    (v): DeploymentMailInput => ({
      templates: {
        es: { subject: v["es.subject"].trim(), text: v["es.text"].trim(), button: v["es.button"].trim() },
        en: { subject: v["en.subject"].trim(), text: v["en.text"].trim(), button: v["en.button"].trim() },
      },
      reminders: v.reminders,
      reminderDays: v.reminderDays,
      window: { start: v.windowStart, end: v.windowEnd },
    }),
  );

/** What the e-mail form saves: everything but the channel, which has its own form. */
type DeploymentMailInput = Omit<DeploymentMailConfig, "customised" | "channel">;

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
