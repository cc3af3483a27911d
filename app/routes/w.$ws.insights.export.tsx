// CSV of any insights table (?table=process|touchpoint|attribute|dimension|tiers|trends|ipa|
// behaviour) or of the raw responses with their measurements (?table=responses, streamed), under
// the same filter as the page it was asked from.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { behaviourByTier, behaviourLink } from "~/cem/insights-behaviour";
import { BUCKETS, TIER_FILTERS, tierValue } from "~/cem/insights-filters";
import { IMPORTANCE_SOURCES } from "~/cem/insights-ipa";
import { SERVQUAL_DIMENSIONS } from "~/cem/journey";
import { behaviourObservations, DEFAULT_WINDOW_DAYS } from "~/data/insights-behaviour.server";
import { behaviourCsv, ipaCsv, rawResponsesStream, tableCsv, tiersCsv, trendsCsv } from "~/web/insights-csv.server";
import { insightsRequest } from "~/web/insights-request.server";
import { unitTouchpoints } from "~/data/insights-responses.server";
import { gapTable, ipaView, TABLE_BY, tierTable, trendView } from "~/data/insights-tables.server";
import { selectTouchpoints } from "~/data/insights.server";
import { badRequest, notFound } from "~/web/responses.server";

const ExportSchema = z.object({
  table: z.enum([...TABLE_BY, "tiers", "trends", "ipa", "behaviour", "responses"]),
  by: z.enum(TABLE_BY).catch("process"),
  compareA: z.enum(TIER_FILTERS).optional(),
  compareB: z.enum(TIER_FILTERS).optional(),
  bucket: z.enum(BUCKETS).catch("week"),
  source: z.enum(IMPORTANCE_SOURCES).catch("nps"),
  touchpoint: z.string().max(64).optional(),
  process: z.string().max(64).optional(),
  attribute: z.string().max(64).optional(),
  dimension: z.enum(SERVQUAL_DIMENSIONS).optional(),
  below: z.literal("1").optional(),
  window: z.coerce.number().int().min(1).max(365).catch(DEFAULT_WINDOW_DAYS),
});

function csv(body: BodyInit, name: string) {
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${name}.csv"`,
      "Cache-Control": "private, no-store",
    },
  });
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const r = await insightsRequest(request, params.ws);
  if (r.error) throw badRequest({ message: r.error });
  const parsed = ExportSchema.safeParse(Object.fromEntries(r.url.searchParams));
  if (!parsed.success) throw badRequest({ message: parsed.error.issues[0]?.message ?? "Invalid export." });
  const q = parsed.data;
  const stamp = `${r.ws}-${q.table}-${r.filter.from}-${r.filter.to}`;
  switch (q.table) {
    case "process":
    case "touchpoint":
    case "attribute":
    case "dimension":
      return csv(tableCsv(await gapTable(r.ctx, r.scope, r.filter, q.table)), stamp);
    case "tiers":
      if (!q.compareA || !q.compareB || q.compareA === q.compareB) throw badRequest({ message: "Name two different tiers: compareA and compareB." });
      return csv(tiersCsv(await tierTable(r.ctx, r.scope, r.filter, q.by, q.compareA, q.compareB)), stamp);
    case "trends":
      return csv(trendsCsv(await trendView(r.ctx, r.scope, r.filter, q.bucket, q.by === "touchpoint" ? "touchpoint" : "process")), stamp);
    case "ipa": {
      const known = selectTouchpoints(r.scope, r.filter).some((t) => t.key === q.touchpoint);
      return csv(ipaCsv(await ipaView(r.ctx, r.scope, r.filter, q.source, known ? q.touchpoint! : null)), stamp);
    }
    case "behaviour": {
      const tp = selectTouchpoints(r.scope, r.filter).find((t) => t.key === q.touchpoint);
      if (!tp) throw notFound();
      const read = await behaviourObservations(r.ctx.workspaceId, tp.id, r.filter, q.window);
      const groups = [{ tier: "all", link: behaviourLink(read.rows, r.ctx.minN) }, ...behaviourByTier(read.rows, TIER_FILTERS.map(tierValue), r.ctx.minN)];
      return csv(behaviourCsv(tp.key, q.window, groups), stamp);
    }
    case "responses": {
      const unit = { process: q.process, touchpoint: q.touchpoint, attribute: q.attribute, dimension: q.dimension };
      if (unitTouchpoints(r.scope, r.filter, unit) === null) throw notFound();
      return csv(rawResponsesStream(r.ctx.workspaceId, r.scope, r.filter, unit, q.below === "1"), stamp);
    }
  }
}
