// A workspace's e-mail settings: the SMTP server invitations leave through, the sender, the sending
// rate and the time zone send windows are read in. The password is sealed at rest (or named as an
// environment variable) and never leaves the server: pages see only whether one is set.
import { eq } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "#db/client";
import { mailSettings, MAIL_TLS_MODES } from "#db/schema/index";
import { isTimeZone } from "~/cem/send-window";
import { recordAudit } from "./audit.server";
import { createSmtpTransport, explainSmtpError, type MailSettingsRow, type SmtpError } from "./mail-transport.server";
import { seal } from "./sealed-secrets.server";

export type { MailSettingsRow };

const HOST = /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$|^\[?[0-9A-Fa-f:.]+\]?$/;

export const MailSettingsSchema = z.object({
  host: z.string().trim().regex(HOST, "Host: a host name or IP address, e.g. smtp.example.com."),
  port: z.coerce.number({ message: "Port: a number." }).int("Port: a whole number.").min(1, "Port: 1 to 65535.").max(65535, "Port: 1 to 65535."),
  tlsMode: z.enum(MAIL_TLS_MODES, { message: "TLS: choose STARTTLS, TLS or none." }),
  username: z.string().trim().max(320, "User: at most 320 characters.").default(""),
  // Empty keeps the stored password; clearPassword removes it.
  password: z.string().max(1000, "Password: at most 1000 characters.").default(""),
  clearPassword: z.literal("on").optional(),
  passwordEnv: z
    .string()
    .trim()
    .regex(/^([A-Z_][A-Z0-9_]{0,99})?$/, "Password variable: an environment variable name in capitals, e.g. SMTP_PASSWORD, or empty.")
    .default(""),
  fromName: z.string().trim().min(1, "Sender name: cannot be empty.").max(200, "Sender name: at most 200 characters.").refine((s) => !/[\r\n"<>]/.test(s), "Sender name: no quotes, angle brackets or line breaks."),
  fromAddress: z.email("Sender address: an e-mail address, e.g. encuestas@example.com.").max(320),
  linkOrigin: z
    .string()
    .trim()
    .max(300)
    .refine((s) => /^https?:\/\/[^/\s?#]+$/.test(s.replace(/\/+$/, "")), "Public address: the address people open the app at, e.g. https://surveys.example.com."),
  ratePerMinute: z.coerce.number({ message: "Rate: a number." }).int("Rate: a whole number.").min(1, "Rate: at least 1 a minute.").max(10_000, "Rate: at most 10 000 a minute."),
  timeZone: z.string().trim().refine(isTimeZone, "Time zone: an IANA zone, e.g. Europe/Madrid."),
});
export type MailSettingsInput = z.output<typeof MailSettingsSchema>;

/** What a page may see of the settings: everything but the password, which is only "set" or not. */
export type MailSettingsView = Omit<MailSettingsRow, "passwordSealed"> & { passwordSet: boolean };

export async function getMailSettingsRow(workspaceId: number): Promise<MailSettingsRow | null> {
  const [row] = await getDb().select().from(mailSettings).where(eq(mailSettings.workspaceId, workspaceId)).limit(1);
  return row ?? null;
}

export async function getMailSettings(workspaceId: number): Promise<MailSettingsView | null> {
  const row = await getMailSettingsRow(workspaceId);
  if (!row) return null;
  const { passwordSealed, ...rest } = row;
  return { ...rest, passwordSet: Boolean(passwordSealed) };
}

/** The origin links in messages start with: PUBLIC_URL when the operator set it, else the settings'. */
export function mailLinkOrigin(settings: Pick<MailSettingsRow, "linkOrigin">): string {
  const configured = process.env.PUBLIC_URL?.trim();
  return (configured || settings.linkOrigin).replace(/\/+$/, "");
}

/** Saves the settings and records the change (which fields, never the password's value). */
export async function saveMailSettings(workspaceId: number, input: MailSettingsInput, actorUserId: number | null, ip: string | null = null): Promise<void> {
  await getDb().transaction(async (tx) => {
    const before = await getMailSettingsRow(workspaceId);
    const passwordSealed = input.clearPassword ? null : input.password ? seal(input.password) : (before?.passwordSealed ?? null);
    const values = {
      host: input.host,
      port: input.port,
      tlsMode: input.tlsMode,
      username: input.username,
      passwordSealed,
      passwordEnv: input.passwordEnv,
      fromName: input.fromName,
      fromAddress: input.fromAddress,
      linkOrigin: input.linkOrigin.replace(/\/+$/, ""),
      ratePerMinute: input.ratePerMinute,
      timeZone: input.timeZone,
      updatedAt: new Date(),
    };
    await tx.insert(mailSettings).values({ workspaceId, ...values }).onConflictDoUpdate({ target: mailSettings.workspaceId, set: values });
    const changed = (Object.keys(values) as (keyof typeof values)[]).filter((k) => k !== "updatedAt" && k !== "passwordSealed" && String(before?.[k] ?? "") !== String(values[k]));
    if (input.password || input.clearPassword) changed.push("password" as never);
    await recordAudit({ workspaceId, actorUserId, action: "settings.changed", target: "email", detail: { changed }, ip });
  });
}

export type TestSendResult = { ok: true; response: string } | { ok: false; error: SmtpError };

/** Sends a short message through the workspace's settings; every failure comes back explained, never thrown. */
export async function sendTestMail(settings: MailSettingsRow, to: string, message: { subject: string; text: string; html?: string }): Promise<TestSendResult> {
  const transport = createSmtpTransport(settings);
  try {
    const info = await transport.sendMail({ from: { name: settings.fromName, address: settings.fromAddress }, to, subject: message.subject, text: message.text, html: message.html });
    return { ok: true, response: String(info.response ?? "") };
  } catch (error) {
    return { ok: false, error: explainSmtpError(error) };
  } finally {
    transport.close();
  }
}
