// The column-mapping form of a CSV import: which header feeds each field, one schema per kind of file
// (a required field must be mapped), shared by the mapping step and the import route's action.
import { z } from "zod";
import type { ColumnDoc } from "~/cem/crm-columns";

export function mappingSchema(columns: readonly ColumnDoc<string>[]) {
  // "field.name" is a nested path to conform: the selects named map.<field> arrive as { map: { … } }.
  const map = Object.fromEntries(columns.map((c) => [c.field, c.required ? z.string().min(1) : z.string().optional()]));
  return z.object({
    intent: z.literal("start"),
    job: z.string().min(1).max(100),
    map: z.object(map).default({}),
    skip: z.boolean().optional().default(false),
  });
}
