// The journeys of the workspace, each leading to its scorecard (the filter travels along).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { insightsHref } from "~/components/insights/format";
import { insightsRequest } from "~/web/insights-request.server";
import { useT } from "~/i18n/use-t";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const r = await insightsRequest(request, params.ws);
  return {
    ws: r.ws,
    filter: { ...r.filter, journey: null },
    journeys: r.scope.journeys.map((j) => ({
      ...j,
      touchpoints: r.scope.touchpoints.filter((t) => t.journeyKey === j.key).length,
      moments: r.scope.touchpoints.filter((t) => t.journeyKey === j.key && t.momentOfTruth).length,
    })),
  };
}

export default function Scorecards() {
  const { ws, filter, journeys } = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <>
      <h1>{t("insights.scorecards.title")}</h1>
      {journeys.length === 0 ? <p className="notice">{t("insights.scorecards.none")}</p> : null}
      <ul className="tp-list">
        {journeys.map((j) => (
          <li key={j.key}>
            <a href={insightsHref(ws, `journeys/${j.key}`, filter)}>{j.name}</a>
            <span className="muted">
              {j.touchpoints} {t("insights.scorecard.touchpoints").toLowerCase()} · ★ {j.moments}
            </span>
          </li>
        ))}
      </ul>
    </>
  );
}
