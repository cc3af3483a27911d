// The e-mail settings form as a workspace admin fills it in (SMTP server, sender, rate, time zone) and
// the test-send form. Messages are keys (app/i18n/messages/mail.ts), worded in the interface language
// in the browser and on the server alike; the password is write-only and never sent back to a page.
import { z } from "zod";
import { isTimeZone } from "./send-window";

/** How the connection to the SMTP server is secured (the stored column's values). */
export const MAIL_TLS_MODES = ["starttls", "tls", "none"] as const;

const HOST = /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$|^\[?[0-9A-Fa-f:.]+\]?$/;
const ENV_NAME = /^([A-Z_][A-Z0-9_]{0,99})?$/;
const LINK_ORIGIN = /^https?:\/\/[^/\s?#]+$/;

/** Fields holding a secret: stripped from every reply, so a typed password never comes back in a page. */
export const MAIL_SECRET_FIELDS = ["password"];

export const MailSettingsSchema = z.object({
  host: z.string().trim().max(253).regex(HOST, "mail.form.host"),
  port: z.number().int("mail.form.port").min(1, "mail.form.port").max(65535, "mail.form.port"),
  tlsMode: z.enum(MAIL_TLS_MODES),
  username: z.string().trim().max(320).optional().default(""),
  // Empty keeps the stored password; clearPassword removes it.
  password: z.string().max(1000).optional().default(""),
  clearPassword: z.boolean().optional(),
  passwordEnv: z.string().trim().regex(ENV_NAME, "mail.form.passwordEnv").optional().default(""),
  fromName: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .refine((s) => !/[\r\n"<>]/.test(s), "mail.form.fromName"),
  fromAddress: z.email().max(320),
  linkOrigin: z
    .string()
    .trim()
    .max(300)
    .refine((s) => LINK_ORIGIN.test(s.replace(/\/+$/, "")), "mail.form.linkOrigin"),
  ratePerMinute: z.number().int().min(1).max(10_000),
  timeZone: z.string().trim().max(100).refine(isTimeZone, "mail.form.timeZone"),
});
export type MailSettingsInput = z.output<typeof MailSettingsSchema>;

/** Where the test message goes. */
export const MailTestSchema = z.object({ to: z.email().max(320) });
