// A deployment's invitation e-mail as its form gives it: subject, text and button in each language
// (posted as es.subject, en.button…, nested objects to conform), the reminders and the daily send
// window. Messages are keys (app/i18n/messages/mail.ts), worded in the interface language on both sides.
import { z } from "zod";
import { PLACEHOLDERS, unknownPlaceholders, type MailTemplates } from "./invitation-mail";
import { MAX_REMINDERS, parseClock, type SendWindow } from "./send-window";
import { LANGS } from "~/i18n/lang";

/** A template's line or text: present, bounded, and only the known placeholders (naming any other). */
const templateText = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .superRefine((value, ctx) => {
      const unknown = unknownPlaceholders(value);
      if (unknown.length === 0) return;
      const list = (names: readonly string[]) => names.map((n) => `{{${n}}}`).join(", ");
      ctx.addIssue({ code: "custom", message: "mail.form.placeholder", params: { unknown: list(unknown), known: list(PLACEHOLDERS) } });
    });

const TemplateFormSchema = z.object({
  subject: templateText(200).refine((s) => !/[\r\n]/.test(s), "mail.form.oneLine"),
  text: templateText(5000),
  button: templateText(80),
});

/** A time of day as HH:MM, read as minutes after midnight. */
const clock = () =>
  z
    .string()
    .trim()
    .max(5, "mail.form.clock")
    .transform((s, ctx) => {
      const minutes = parseClock(s);
      if (minutes === null) {
        ctx.addIssue({ code: "custom", message: "mail.form.clock" });
        return z.NEVER;
      }
      return minutes;
    });

export const DeploymentMailFormSchema = z
  .object({
    es: TemplateFormSchema,
    en: TemplateFormSchema,
    reminders: z.number().int().min(0).max(MAX_REMINDERS),
    reminderDays: z.number().int().min(1).max(60),
    windowStart: clock(),
    windowEnd: clock(),
  })
  .refine((v) => v.windowStart < v.windowEnd, {
    path: ["windowEnd"],
    message: "mail.form.window",
    // Run even when another field is refused (zod skips it by default), so a refused post names the window too.
    when: ({ issues }) => !issues.some((issue) => issue.path?.[0] === "windowStart" || issue.path?.[0] === "windowEnd"),
  });

/** What the e-mail form saves: everything of the deployment's invitations but the channel, which has its own form. */
export type DeploymentMailInput = { templates: MailTemplates; reminders: number; reminderDays: number; window: SendWindow };

/** The form's values as the deployment keeps them. */
export function deploymentMailInput(form: z.output<typeof DeploymentMailFormSchema>): DeploymentMailInput {
  return { templates: { es: form.es, en: form.en }, reminders: form.reminders, reminderDays: form.reminderDays, window: { start: form.windowStart, end: form.windowEnd } };
}

/** A test of the deployment's e-mail, in one language, to one address. */
export const DeploymentMailTestSchema = z.object({ to: z.email().max(320), lang: z.enum(LANGS) });
