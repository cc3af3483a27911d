// The case inbox's filters as a query string: status, tier, touchpoint, process, assignee, overdue and
// the SLA report's period. Shared by the page (to draw the form) and the data layer (to query).
import { z } from "zod";
import { caseStatuses } from "./case-flow";

export const CASE_TIERS = ["premium", "regular", "generic"] as const;
/** "active" is every case not yet closed: what still needs someone. */
export const STATUS_FILTERS = ["active", ...caseStatuses, "all"] as const;
export const REPORT_PERIODS = ["30", "90", "365", "all"] as const;

const idParam = z.coerce.number().int().positive();

/** A value that makes no sense is dropped (shown as "any"), never an error page. */
export const caseFilterSchema = z.object({
  status: z.enum(STATUS_FILTERS).catch("active"),
  tier: z.enum(CASE_TIERS).optional().catch(undefined),
  touchpoint: idParam.optional().catch(undefined),
  process: idParam.optional().catch(undefined),
  overdue: z.literal("1").optional().catch(undefined),
  assignee: z.union([z.literal("me"), z.literal("none"), idParam]).optional().catch(undefined),
  period: z.enum(REPORT_PERIODS).catch("90"),
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
});
export type CaseFilter = z.output<typeof caseFilterSchema>;

export function parseCaseFilter(params: URLSearchParams): CaseFilter {
  const raw: Record<string, string> = {};
  for (const key of Object.keys(caseFilterSchema.shape)) {
    const value = params.get(key);
    if (value !== null && value !== "") raw[key] = value;
  }
  return caseFilterSchema.parse(raw);
}
