// A journey's scorecard and its printable report: the journey map coloured by each touchpoint's mean
// gap on a scale diverging at zero (grey where n is below the minimum), n on every card, moments of
// truth starred; a card drills down to its responses. Below it the touchpoint table and the zone of
// tolerance, which is what the monthly review prints.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { interpolateRdBu, scaleDiverging } from "d3";
import { previousPeriod } from "~/cem/insights-filters";
import { JourneyMap, type TouchpointScore } from "~/components/charts/JourneyMap";
import { layoutJourneyMap } from "~/components/charts/journey-map-layout";
import { WorstTouchpoints, scorecardCardId, worstTouchpoints } from "~/components/insights/WorstTouchpoints";
import { useJourneyMapLabels } from "~/components/charts/journey-map-labels";
import { FigureValue } from "~/components/insights/Figure";
import { FilterBar } from "~/components/insights/FilterBar";
import { formatInterval, formatNumber } from "~/i18n/format";
import { insightsHref } from "~/components/insights/format";
import { GapTable } from "~/components/insights/GapTable";
import { ZoneTable } from "~/components/insights/ZoneTable";
import { loadJourney } from "~/data/journeys.server";
import { insightsRequest } from "~/web/insights-request.server";
import { gapTable } from "~/data/insights-tables.server";
import { listTargets } from "~/data/targets.server";
import type { MessageKey } from "~/i18n/messages";
import { useLang, useT } from "~/i18n/use-t";
import { notFound } from "~/web/responses.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Vivencia · ${data?.journey.name ?? ""}` }];

const MAP_ROOM = 900;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const r = await insightsRequest(request, params.ws);
  const journey = await loadJourney(r.ctx.workspaceId, params.key ?? "");
  if (!journey) throw notFound();
  const filter = { ...r.filter, journey: journey.key };
  return {
    ws: r.ws,
    journey,
    filter,
    error: r.error,
    options: r.options,
    minN: r.ctx.minN,
    table: await gapTable(r.ctx, r.scope, filter, "touchpoint"),
    targets: await listTargets(r.ctx.workspaceId),
    previous: previousPeriod(filter),
    // Wider than the page's content box at 1280 px (about 950 px): the map then scrolls, so say so.
    mapOverflows: layoutJourneyMap(journey, { laneBy: "process" }).width > MAP_ROOM,
    generated: new Date().toISOString().slice(0, 10),
  };
}

export default function Scorecard() {
  const { ws, journey, filter, error, options, minN, table, targets, previous, generated, mapOverflows } = useLoaderData<typeof loader>();
  const t = useT();
  const lang = useLang();
  const mapLabels = useJourneyMapLabels();
  const scores: Record<string, TouchpointScore> = {};
  for (const row of table.rows) {
    const shown = row.gap?.status === "ok" ? row.gap.value.meanGap : null;
    scores[row.key] = { value: shown, n: row.gap?.n ?? 0, label: shown !== null ? formatNumber(shown, "gap", lang) : undefined };
  }
  // Symmetric around zero, so equal distances below and above expectation get equal colour weight.
  const reach = Math.max(0.5, ...Object.values(scores).map((s) => Math.abs(s.value ?? 0)));
  const scale = scaleDiverging(interpolateRdBu).domain([-reach, 0, reach]);
  const names = new Map(journey.stages.flatMap((s) => s.touchpoints.map((tp) => [tp.key, tp.name] as const)));
  const worst = worstTouchpoints(table.rows, names);
  const tierName = filter.tier ? t(`insights.tier.${filter.tier}` as MessageKey) : t("insights.filter.all");
  return (
    <>
      <header className="ins-report-head">
        <strong>{t("insights.scorecard.report")}</strong> · {journey.name} · {t("insights.period", { from: filter.from, to: filter.to })} ·{" "}
        {t("insights.filter.tier")}: {tierName} · {t("insights.scorecard.generated", { date: generated })}
      </header>
      <h1>{t("insights.scorecard.title", { name: journey.name })}</h1>
      <FilterBar filter={filter} options={options} journey={false} error={error} resetHref={`/w/${ws}/insights/journeys/${journey.key}`} />
      <p className="ins-meta">
        <span>{t("insights.period", { from: filter.from, to: filter.to })}</span>
        <span>{t("insights.previous", { from: previous.from, to: previous.to })}</span>
        <span>{t("insights.minN", { minN })}</span>
      </p>
      <div className="ins-kpis">
        <div>
          <span className="muted">{t("insights.scorecard.journeyGap")}</span>
          <strong data-testid="journey-gap">
            {table.total ? (
              <FigureValue figure={table.total.gap} render={(g) => ({ main: formatNumber(g.meanGap, "gap", lang), interval: formatInterval(g.lo, g.hi, "gap", lang) })} />
            ) : (
              "—"
            )}
          </strong>
          <span className="muted">n = {table.total?.n ?? 0}</span>
        </div>
        <div>
          <span className="muted">NPS</span>
          <strong>
            {table.total ? (
              <FigureValue figure={table.total.nps} render={(n) => ({ main: formatNumber(n.score, "score", lang), interval: formatInterval(n.lo, n.hi, "score", lang) })} />
            ) : (
              "—"
            )}
          </strong>
        </div>
        <div>
          <span className="muted">{t("insights.col.below")}</span>
          <strong>
            {table.total ? (
              <FigureValue figure={table.total.below} render={(p) => ({ main: formatNumber(p.p, "share", lang), interval: formatInterval(p.lo, p.hi, "share", lang) })} />
            ) : (
              "—"
            )}
          </strong>
        </div>
      </div>
      <p className="muted ins-noprint">{t("insights.scorecard.intro", { minN })}</p>
      <p className="ins-actions">
        <button type="button" className="secondary" onClick={() => window.print()}>
          {t("insights.scorecard.print")}
        </button>
        <a className="button secondary" href={insightsHref(ws, "export", filter, { table: "touchpoint" })} download>
          {t("insights.export.csv")}
        </a>
      </p>
      <section className="card" aria-label={mapLabels.title.replace("{name}", journey.name)}>
        <WorstTouchpoints worst={worst} mapOverflows={mapOverflows} />
        <div className="chart-scroll" data-testid="scorecard-map">
          <JourneyMap
            journey={journey}
            laneBy="process"
            scores={scores}
            colorScale={(v) => scale(v)}
            labels={{ ...mapLabels, belowMin: t("insights.withheld", { minN }), scoreLow: t("insights.zone.below"), scoreHigh: t("insights.zone.above") }}
            onSelectHref={(key) => insightsHref(ws, "responses", filter, { touchpoint: key })}
            cardIdOf={scorecardCardId}
          />
        </div>
      </section>
      <h2 className="ins-page-break">{t("insights.scorecard.touchpoints")}</h2>
      <GapTable view={table} filter={filter} ws={ws} targets={targets} caption={t("insights.scorecard.touchpoints")} />
      <ZoneTable rows={table.rows} filter={filter} ws={ws} label={t("insights.by.touchpoint")} />
    </>
  );
}
