// The SMTP side of invitation e-mail: a nodemailer transport from a workspace's settings, and what an
// SMTP failure means for the send (a permanent refusal of the recipient is a bounce; anything else
// is the connection or the configuration) and for the person reading it (a short reason code the
// page translates, plus the server's own words).
import nodemailer, { type Transporter } from "nodemailer";
import type { mailSettings } from "#db/schema/index";
import { unseal } from "./sealed-secrets.server";

export type MailSettingsRow = typeof mailSettings.$inferSelect;

/** The password the transport logs in with: from the named environment variable, or the sealed one. */
export function smtpPassword(settings: Pick<MailSettingsRow, "passwordEnv" | "passwordSealed">): string | null {
  if (settings.passwordEnv) return process.env[settings.passwordEnv] ?? null;
  return settings.passwordSealed ? unseal(settings.passwordSealed) : null;
}

const timeouts = () => {
  const ms = Number(process.env.SMTP_TIMEOUT_MS || 15_000);
  return { connectionTimeout: ms, greetingTimeout: ms, socketTimeout: ms * 2 };
};

export function createSmtpTransport(settings: MailSettingsRow): Transporter {
  const password = smtpPassword(settings);
  return nodemailer.createTransport({
    host: settings.host,
    port: settings.port,
    // tls: TLS from the first byte (465); starttls: plain, then upgraded, refused if the server cannot;
    // none: never upgraded (a local catcher, a relay on the same host).
    secure: settings.tlsMode === "tls",
    requireTLS: settings.tlsMode === "starttls",
    ignoreTLS: settings.tlsMode === "none",
    auth: settings.username ? { user: settings.username, pass: password ?? "" } : undefined,
    // One connection, reused across a batch.
    pool: false,
    ...timeouts(),
  });
}

export const SMTP_FAILURES = ["connection", "timeout", "tls", "auth", "recipient", "refused", "other"] as const;
export type SmtpFailure = (typeof SMTP_FAILURES)[number];

export type SmtpError = {
  reason: SmtpFailure;
  /** The server's answer or the socket's error, as it came. */
  detail: string;
  /** A permanent refusal of this message or recipient (5xx to RCPT TO or DATA): the address bounced. */
  permanent: boolean;
};

type NodemailerError = Error & { code?: string; responseCode?: number; command?: string; response?: string };

export function explainSmtpError(error: unknown): SmtpError {
  const e = (error instanceof Error ? error : new Error(String(error))) as NodemailerError;
  const detail = (e.response || e.message || String(error)).slice(0, 500);
  const code = e.responseCode ?? 0;
  const command = (e.command ?? "").toUpperCase();
  const aboutMessage = command.startsWith("RCPT") || command === "DATA" || e.code === "EENVELOPE" || e.code === "EMESSAGE";
  if (e.code === "EAUTH" || (code === 535 && !aboutMessage)) return { reason: "auth", detail, permanent: false };
  if (aboutMessage && code >= 500 && code < 600) return { reason: command.startsWith("RCPT") || e.code === "EENVELOPE" ? "recipient" : "refused", detail, permanent: true };
  if (e.code === "ETLS" || /ssl|tls|wrong version number|certificate|handshake/i.test(e.message)) return { reason: "tls", detail, permanent: false };
  if (e.code === "ETIMEDOUT" || /timeout|timed out/i.test(e.message)) return { reason: "timeout", detail, permanent: false };
  if (e.code === "ECONNECTION" || e.code === "EDNS" || e.code === "ESOCKET" || /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ECONNRESET|EHOSTUNREACH/.test(e.message)) {
    return { reason: "connection", detail, permanent: false };
  }
  return { reason: code >= 400 ? "refused" : "other", detail, permanent: false };
}
