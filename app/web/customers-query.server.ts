// The customer list's query string (the export reads the same one): search, tier, RFM segment, sort
// and page, validated with zod into what listCustomers (app/data/customers.server.ts) takes.
import { z } from "zod";
import { RFM_SEGMENTS } from "~/cem/rfm";
import { CUSTOMER_SORTS, TIER_FILTERS, type CustomerFilter, type CustomerSort } from "~/data/customers.server";

// A bad value in the URL falls back to "no filter" rather than failing: lists are bookmarked and shared.
const CustomerQuerySchema = z.object({
  q: z.string().trim().max(200).optional().catch(undefined),
  tier: z.enum(TIER_FILTERS).optional().catch(undefined),
  segment: z.enum(RFM_SEGMENTS).optional().catch(undefined),
  sort: z.enum(CUSTOMER_SORTS).default("value").catch("value"),
  page: z.coerce.number().int().min(1).default(1).catch(1),
});

/** Filter, sort and page of the list (and the export) from the query string. */
export function parseCustomerQuery(params: URLSearchParams): { filter: CustomerFilter; sort: CustomerSort; page: number } {
  const raw = Object.fromEntries([...params].filter(([, v]) => v !== ""));
  const { q, tier, segment, sort, page } = CustomerQuerySchema.parse(raw);
  return { filter: { q: q || undefined, tier, segment }, sort, page };
}
