// The Settings page's form schemas, shared by its forms (validated in the browser) and its action:
// messages are keys, worded in the interface language on both sides (app/web/form-schema.ts).
import { z } from "zod";
import { webhookUrlShape } from "~/cem/webhook-url";
import { isCurrency, isTimeZone } from "~/i18n/format";
import { formOptionalText, formText } from "~/web/form-schema";

export const MinNSchema = z.object({ minN: z.number().int().min(2).max(1000) });

/** The brand generated surveys and messages name: one line, at most 100 characters, or none. */
export const BrandSchema = z.object({
  brandName: z
    .string()
    .trim()
    .max(100, "brand.error")
    .refine((v) => !/[\r\n]/.test(v), "brand.error")
    .optional()
    .default(""),
});

export const LocaleSchema = z.object({
  timeZone: z.string().trim().refine(isTimeZone, "locale.badTimeZone"),
  currency: z.string().trim().toUpperCase().refine(isCurrency, "locale.badCurrency"),
});

export const DepartmentSchema = z.object({ name: formText(80) });

/** Keywords are typed one a line (or separated by commas or semicolons). */
export const keywordsOf = (words: string) =>
  words
    .split(/[\n,;]+/)
    .map((w) => w.trim())
    .filter(Boolean);

export const CaseRulesSchema = z
  .object({
    detractor: z.boolean().optional().default(false),
    gap: z.boolean().optional().default(false),
    gapThreshold: z.number().min(-10).max(0),
    lowCsat: z.boolean().optional().default(false),
    keywords: z.boolean().optional().default(false),
    words: formOptionalText(4000),
  })
  .refine((r) => !r.keywords || keywordsOf(r.words).length > 0, { path: ["words"], message: "act.settings.form.keywords" });

const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "act.settings.form.time");

/** SLA hours by tier and, when on, the business hours they run on (offset in hours, as typed). */
export const SlaSchema = z
  .object({
    premium: z.number().positive(),
    regular: z.number().positive(),
    generic: z.number().positive(),
    businessHours: z.boolean().optional().default(false),
    days: z.array(z.number().int().min(1).max(7)).optional().default([]),
    start: clockTime.optional().default("09:00"),
    end: clockTime.optional().default("18:00"),
    utcOffset: z.number().min(-14).max(14).optional().default(0),
  })
  .refine((s) => !s.businessHours || s.days.length > 0, { path: ["days"], message: "act.settings.form.days" })
  .refine((s) => !s.businessHours || s.start < s.end, { path: ["end"], message: "act.settings.form.endAfterStart" });

/** An endpoint's URL as typed: its shape only; plain http to this machine passes the form, and the server decides. */
const endpointUrl = z
  .string()
  .trim()
  .max(2000)
  .superRefine((typed, ctx) => {
    const shape = webhookUrlShape(typed, true);
    if ("problem" in shape) ctx.addIssue({ code: "custom", message: shape.problem });
  });

/** A new webhook endpoint over the events the workspace can send (given by the loader, so the browser has them too). */
export const endpointSchema = <E extends string>(events: readonly [E, ...E[]]) =>
  z.object({
    url: endpointUrl,
    description: formOptionalText(200),
    events: z.array(z.enum(events)).min(1, "act.webhooks.form.events"),
  });

/** The embedding origins as typed; the server reads each origin (app/web/embed-origins.server.ts) and names the wrong one. */
export const EmbedOriginsSchema = z.object({ embedOrigins: formOptionalText(20_000) });
