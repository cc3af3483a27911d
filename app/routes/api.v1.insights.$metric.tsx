// GET /api/v1/insights/:metric — the insights numbers for the token's workspace, from the rollups:
//   gaps    ?by=process|touchpoint|attribute|dimension  (+ compareA & compareB: two tiers side by side)
//   nps | csat | ces  ?by=process|touchpoint
//   trends  ?by=process|touchpoint&bucket=week|month
// All take from, to (YYYY-MM-DD, UTC, default the last 90 days), journey, tier, channel, lang.
// Figures are {status:"ok", n, value} or {status:"withheld", n, minN} (n below the workspace's
// minimum), or null where not asked. Documented in the README ("Insights API").
import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { requireApiWorkspace } from "~/api/auth.server";
import { apiProblem } from "~/api/errors";
import { BUCKETS, dayOf, parseInsightFilter, previousPeriod, TIER_FILTERS } from "~/cem/insights-filters";
import type { InsightRow } from "~/cem/insights";
import { gapTable, TABLE_BY, tierTable, trendView } from "~/data/insights-tables.server";
import { insightScope } from "~/data/insights.server";

const METRICS = ["gaps", "nps", "csat", "ces", "trends"] as const;
type Metric = (typeof METRICS)[number];

const QuerySchema = z.object({
  by: z.enum(TABLE_BY).optional(),
  bucket: z.enum(BUCKETS).optional(),
  compareA: z.enum(TIER_FILTERS).optional(),
  compareB: z.enum(TIER_FILTERS).optional(),
});

const fail = (status: number, error: string, message: string, errors?: Record<string, string>) => apiProblem(status, error, message, { errors });

type RowLike = InsightRow & { name: string; detail: string; momentOfTruth?: boolean; points?: unknown; weight?: number | null; contribution?: number | null };

function rowJson(row: RowLike, metric: Metric) {
  const base = { key: row.key, name: row.name, detail: row.detail, n: row.n };
  switch (metric) {
    case "nps":
      return { ...base, nps: row.nps, change: row.change?.nps ?? null };
    case "csat":
      return { ...base, csat: row.csat };
    case "ces":
      return { ...base, ces: row.ces };
    default:
      return {
        ...base,
        momentOfTruth: row.momentOfTruth ?? false,
        gap: row.gap,
        below: row.below,
        zone: row.zone,
        weighted: row.weighted,
        nps: row.nps,
        csat: row.csat,
        ces: row.ces,
        change: row.change,
        // SERVQUAL dimension rows: stated importance points, their weight and part of the score.
        ...(row.points !== undefined ? { points: row.points, weight: row.weight ?? null, contribution: row.contribution ?? null } : {}),
      };
  }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const started = performance.now();
  const workspace = await requireApiWorkspace(request);
  const metric = params.metric as Metric;
  if (!METRICS.includes(metric)) return fail(404, "not_found", `Unknown metric "${params.metric}": use one of ${METRICS.join(", ")}.`);
  const url = new URL(request.url);
  const parsed = parseInsightFilter(url.searchParams, dayOf(Date.now()));
  if (!parsed.ok) return fail(400, "invalid_query", Object.values(parsed.errors)[0], parsed.errors);
  const query = QuerySchema.safeParse(Object.fromEntries(url.searchParams));
  if (!query.success) {
    const errors = Object.fromEntries(query.error.issues.map((i) => [String(i.path[0]), i.message]));
    return fail(400, "invalid_query", Object.values(errors)[0], errors);
  }
  const filter = parsed.filter;
  const scope = await insightScope(workspace.id);
  // Another workspace's journey key behaves like one that does not exist.
  if (filter.journey && !scope.journeys.some((j) => j.key === filter.journey)) return fail(404, "not_found", `No journey "${filter.journey}".`);
  const ctx = { workspaceId: workspace.id, minN: workspace.minN, lang: "en" as const };
  const head = { workspace: workspace.slug, metric, filter, minN: workspace.minN };
  const timing = () => ({ headers: { "Server-Timing": `insights;dur=${(performance.now() - started).toFixed(1)}`, "Cache-Control": "private, no-store" } });

  if (metric === "trends") {
    const by = query.data.by ?? "process";
    if (by !== "process" && by !== "touchpoint") return fail(400, "invalid_query", "Trends go by process or touchpoint.", { by: "Use process or touchpoint." });
    const bucket = query.data.bucket ?? "week";
    const view = await trendView(ctx, scope, filter, bucket, by);
    return Response.json({ ...head, by, bucket, buckets: view.buckets, overall: view.overall, series: view.series.map(({ key, name, points }) => ({ key, name, points })) }, timing());
  }

  const by = query.data.by ?? (metric === "gaps" ? "process" : "touchpoint");
  if (metric !== "gaps" && by !== "process" && by !== "touchpoint") {
    return fail(400, "invalid_query", `${metric.toUpperCase()} is asked per touchpoint visit: use by=process or by=touchpoint.`, { by: "Use process or touchpoint." });
  }
  const table = await gapTable(ctx, scope, filter, by);
  const body = {
    ...head,
    by,
    previous: previousPeriod(filter),
    rows: table.rows.map((r) => rowJson(r, metric)),
    total: table.total ? rowJson({ ...table.total, name: "Whole selection", detail: "" }, metric) : null,
    ...(metric === "gaps" && table.servqual ? { servqual: { weighted: table.servqual.weighted, ofMeans: table.servqual.ofMeans } } : {}),
  };
  const { compareA, compareB } = query.data;
  if (metric === "gaps" && compareA && compareB) {
    if (compareA === compareB) return fail(400, "invalid_query", "compareA and compareB must be two different tiers.");
    const tiers = await tierTable(ctx, scope, filter, by, compareA, compareB);
    return Response.json({ ...body, tiers: { a: tiers.a, b: tiers.b, rows: tiers.rows.map((row) => ({ key: row.key, name: row.name, detail: row.detail, a: row.a, b: row.b, gap: row.gap, nps: row.nps, csat: row.csat })) } }, timing());
  }
  return Response.json(body, timing());
}

export async function action() {
  return apiProblem(405, "method_not_allowed", "Insights are read with GET.", { headers: { Allow: "GET" } });
}
