// A workspace's e-mail settings: the SMTP server invitations leave through, the sender, the sending
// rate and the time zone send windows are read in. The password is sealed at rest (or named as an
// environment variable) and never leaves the server: pages see only whether one is set.
import { eq } from "drizzle-orm";
import { getDb } from "#db/client";
import { mailSettings, MAIL_TLS_MODES } from "#db/schema/index";
import { MAIL_TLS_MODES as FORM_TLS_MODES, type MailSettingsInput } from "~/cem/mail-settings";
import { recordAudit } from "./audit.server";
import { createSmtpTransport, explainSmtpError, type MailSettingsRow, type SmtpError } from "./mail-transport.server";
import { seal } from "./sealed-secrets.server";

export type { MailSettingsInput, MailSettingsRow };

// The form's TLS modes are the stored column's: a mode added to one and not the other fails to compile.
const SAME_TLS_MODES: [(typeof MAIL_TLS_MODES)[number], (typeof FORM_TLS_MODES)[number]] extends [(typeof FORM_TLS_MODES)[number], (typeof MAIL_TLS_MODES)[number]] ? true : never = true;
void SAME_TLS_MODES;

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
