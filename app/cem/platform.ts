// The experiential platform: Schmitt's five CEM steps as named text fields (DESIGN.md, seed 004),
// and the comparison that turns a save into a list of changes for the history.
import { z } from "zod";

export const PLATFORM_STEPS = [
  { step: 1, fields: ["analysis.customer", "analysis.environment", "analysis.brand", "analysis.platform"] },
  { step: 2, fields: ["positioning", "valuePromise", "implementationTheme"] },
  { step: 3, fields: ["brand.product", "brand.lookAndFeel", "brand.communications"] },
  { step: 4, fields: ["interface.essenceFlexibility", "interface.styleContent", "interface.timing"] },
  { step: 5, fields: ["innovation.agenda"] },
] as const;

export type PlatformField = (typeof PLATFORM_STEPS)[number]["fields"][number];
export const PLATFORM_FIELDS: PlatformField[] = PLATFORM_STEPS.flatMap((s) => [...s.fields]);

export const PlatformTextSchema = z.string().max(10_000, "At most 10,000 characters.");

export const PlatformFormSchema = z.object(
  Object.fromEntries(PLATFORM_FIELDS.map((f) => [f, PlatformTextSchema.optional().default("")])) as Record<
    PlatformField,
    z.ZodDefault<z.ZodOptional<typeof PlatformTextSchema>>
  >,
);

export type PlatformValues = Record<PlatformField, string>;

/** Fields whose text differs, with the earlier text kept for the history. Whitespace at the ends is not a change. */
export function platformChanges(before: Partial<PlatformValues>, after: PlatformValues) {
  return PLATFORM_FIELDS.flatMap((field) => {
    const previous = (before[field] ?? "").trim();
    const next = after[field].trim();
    return previous === next ? [] : [{ field, previousValue: previous, newValue: next }];
  });
}
