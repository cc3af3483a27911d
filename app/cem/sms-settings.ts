// The SMS forms as a workspace admin fills them in: the HTTP provider (URL, auth header, JSON body,
// sender id), a test send, and each deployment's invitation text in both languages. Messages are keys
// (app/i18n/messages/bilingual.ts); the auth header's value is write-only and never sent back to a page.
import { z } from "zod";
import { LANGS } from "~/i18n/lang";

/** Fields holding a secret: stripped from every reply, so a typed value never comes back in a page. */
export const SMS_SECRET_FIELDS = ["authHeaderValue"];

const isProviderUrl = (s: string) => {
  try {
    const url = new URL(s);
    return (url.protocol === "https:" || url.protocol === "http:") && !url.username && !url.password;
  } catch {
    return false;
  }
};

export const SmsSettingsSchema = z.object({
  url: z.string().trim().max(2000, "sms.error.url").refine(isProviderUrl, "sms.error.url"),
  authHeaderName: z
    .string()
    .trim()
    .regex(/^([A-Za-z0-9!#$%&'*+.^_`|~-]{1,100})?$/, "sms.error.headerName")
    .default(""),
  // Empty keeps the stored value; clearAuth removes it.
  authHeaderValue: z
    .string()
    .max(4000, "sms.error.headerValue")
    .refine((s) => !/[\r\n]/.test(s), "sms.error.headerValue")
    .default(""),
  clearAuth: z.boolean().optional(),
  authHeaderEnv: z
    .string()
    .trim()
    .regex(/^([A-Z_][A-Z0-9_]{0,99})?$/, "sms.error.headerEnv")
    .default(""),
  bodyTemplate: z.string().trim().min(2, "sms.error.body").max(4000, "sms.error.body"),
  senderId: z.string().trim().max(20, "sms.error.sender").default(""),
});
export type SmsSettingsInput = z.output<typeof SmsSettingsSchema>;

/** A test message to a phone, with the default text in the chosen language. */
export const SmsTestSchema = z.object({ to: z.string().trim().min(1, "sms.error.to").max(40, "sms.error.to"), lang: z.enum(LANGS).default("es") });

/** A deployment's SMS texts ("" = the default of that language). */
export const DeploymentSmsTextSchema = z.object({
  deploymentId: z.number().int().positive(),
  textEs: z.string().trim().max(640, "sms.error.textLength").default(""),
  textEn: z.string().trim().max(640, "sms.error.textLength").default(""),
});
export type DeploymentSmsTextInput = z.output<typeof DeploymentSmsTextSchema>;
