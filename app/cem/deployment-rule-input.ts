// A deployment rule as people type it in the deploy page's form (sampling in percent), with the same
// bounds as the rule engine's schema. Messages are message keys: the form words them in the reader's language.
import { z } from "zod";

/** An optional whole number: empty means none (no cap). */
const optionalInt = (min: number, max: number) =>
  z.preprocess((v) => (v === "" || v === undefined || v === null ? null : v), z.coerce.number().int().min(min).max(max).nullable());

export const RuleInputSchema = z
  .object({
    eventType: z
      .string()
      .trim()
      .min(1)
      .max(60)
      .regex(/^[a-z0-9_]+$/, "rule.error.eventType"),
    touchpointKey: z
      .string()
      .trim()
      .max(120)
      .optional()
      .transform((v) => (v ? v : null)),
    delayMinutes: z.coerce.number().int().min(0).max(60 * 24 * 90),
    samplingPercent: z.coerce.number().min(0).max(100),
    quietPeriodDays: z.coerce.number().int().min(0).max(3650),
    expiryHours: z.coerce.number().int().min(1).max(24 * 365),
    capMax: optionalInt(0, 1_000_000),
    capPeriodDays: optionalInt(1, 3650),
    active: z.preprocess((v) => v === "on" || v === "true" || v === true, z.boolean()),
  })
  .superRefine((v, ctx) => {
    if ((v.capMax === null) !== (v.capPeriodDays === null)) {
      ctx.addIssue({ code: "custom", path: [v.capMax === null ? "capMax" : "capPeriodDays"], message: "rule.error.capPair" });
    }
  });
export type RuleInput = z.output<typeof RuleInputSchema>;
