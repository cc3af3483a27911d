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

// The form's shape. Field names carry dots ("analysis.customer"), which form libraries read as nested
// objects: the form schema nests them, and these two functions go between the shapes.
const FormText = z.string().max(10_000).optional().default("");
type NestedShape = Record<string, typeof FormText | z.ZodObject<Record<string, typeof FormText>>>;
const nestedShape: NestedShape = {};
for (const field of PLATFORM_FIELDS) {
  const [group, leaf] = field.split(".");
  if (!leaf) nestedShape[group] = FormText;
  else {
    const existing = nestedShape[group];
    const inner = existing instanceof z.ZodObject ? existing.shape : {};
    nestedShape[group] = z.object({ ...inner, [leaf]: FormText }).optional().default({}) as unknown as z.ZodObject<Record<string, typeof FormText>>;
  }
}
export const PlatformNestedFormSchema = z.object(nestedShape);
export type PlatformNestedForm = Record<string, string | Record<string, string> | undefined>;

export function flattenPlatformForm(nested: PlatformNestedForm): PlatformValues {
  return Object.fromEntries(
    PLATFORM_FIELDS.map((field) => {
      const [group, leaf] = field.split(".");
      const top = nested[group];
      const value = leaf ? (typeof top === "object" ? top[leaf] : undefined) : top;
      return [field, typeof value === "string" ? value : ""];
    }),
  ) as PlatformValues;
}

export function nestPlatformValues(values: Partial<PlatformValues>): PlatformNestedForm {
  const nested: Record<string, string | Record<string, string>> = {};
  for (const field of PLATFORM_FIELDS) {
    const [group, leaf] = field.split(".");
    if (!leaf) nested[group] = values[field] ?? "";
    else nested[group] = { ...((nested[group] as Record<string, string>) ?? {}), [leaf]: values[field] ?? "" };
  }
  return nested;
}
