// Links between insights views that keep the filter. How their numbers read is app/i18n/format.ts.
import type { InsightFilter } from "~/cem/insights-filters";
import { filterParams } from "~/cem/insights-filters";

/** A link into an insights view that keeps the current filter. */
export function insightsHref(ws: string, path: string, filter: InsightFilter, extra: Record<string, string | number | null | undefined> = {}): string {
  return `/w/${ws}/insights${path ? `/${path}` : ""}?${filterParams(filter, extra).toString()}`;
}
