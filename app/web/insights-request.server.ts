// What every insights page loader starts with: the member (404 outside the workspace), the filter
// from the URL (defaults when absent; the error and the defaults when malformed), the workspace's
// scope, and the context the tables need (workspace, minimum n, interface language).
import { requireMember } from "~/auth/guard.server";
import { dayOf, DEFAULT_DAYS, PAGE_LANG_PARAM, parseInsightFilter, type InsightFilter } from "~/cem/insights-filters";
import { requestLang } from "~/i18n/lang.server";
import { notFound } from "~/web/responses.server";
import { insightScope, type InsightScope } from "~/data/insights.server";
import type { InsightContext } from "~/data/insights-tables.server";

export type InsightsRequest = {
  ws: string;
  url: URL;
  filter: InsightFilter;
  error: string | null;
  scope: InsightScope;
  ctx: InsightContext;
  options: { journeys: { key: string; name: string }[]; channels: string[]; langs: string[] };
};

/** `days`: the default window's length when the URL names no dates (the trends view asks for more). */
export async function insightsRequest(request: Request, wsSlug: string | undefined, days = DEFAULT_DAYS): Promise<InsightsRequest> {
  const { workspace } = await requireMember(request, wsSlug, "read");
  const url = new URL(request.url);
  const today = dayOf(Date.now());
  const parsed = parseInsightFilter(url.searchParams, today, PAGE_LANG_PARAM, days);
  const fallback = parseInsightFilter(new URLSearchParams(), today, "lang", days);
  const filter = parsed.ok ? parsed.filter : fallback.ok ? fallback.filter : null;
  if (!filter) throw new Error("the default insights filter must parse");
  const lang = await requestLang(request);
  const scope = await insightScope(workspace.id, lang);
  // A journey key of another workspace behaves like one that does not exist.
  if (filter.journey && !scope.journeys.some((j) => j.key === filter.journey)) throw notFound();
  return {
    ws: workspace.slug,
    url,
    filter,
    error: parsed.ok ? null : Object.values(parsed.errors)[0],
    scope,
    ctx: { workspaceId: workspace.id, minN: workspace.minN, lang },
    options: {
      journeys: scope.journeys,
      channels: [...new Set(scope.touchpoints.map((t) => t.channel))].sort(),
      langs: ["es", "en"],
    },
  };
}
