// The importance–performance grid: attributes by importance (stated, or derived as the correlation
// of their perception with the overall NPS or CSAT, as the user chooses) and mean perception,
// quadrants against the means. The table lists the same points and those left off the grid.
import { data, type LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { IMPORTANCE_SOURCES } from "~/cem/insights-ipa";
import type { Quadrant } from "~/cem/statistics";
import { ImportancePerformanceGrid } from "~/components/charts/ImportancePerformanceGrid";
import { FilterBar } from "~/components/insights/FilterBar";
import { TouchpointSelect } from "~/components/insights/TouchpointSelect";
import { formatNumber } from "~/i18n/format";
import { insightsHref } from "~/components/insights/format";
import { insightsRequest } from "~/web/insights-request.server";
import { ipaView } from "~/data/insights-tables.server";
import { selectTouchpoints } from "~/data/insights.server";
import type { MessageKey } from "~/i18n/messages";
import { useLang, useT } from "~/i18n/use-t";

const ViewSchema = z.object({
  source: z.enum(IMPORTANCE_SOURCES).catch("nps"),
  touchpoint: z.string().max(64).optional().catch(undefined),
});
const QUADRANTS: Quadrant[] = ["concentrate_here", "keep_up_the_good_work", "low_priority", "possible_overkill"];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const r = await insightsRequest(request, params.ws);
  const view = ViewSchema.parse(Object.fromEntries(r.url.searchParams));
  const touchpoints = selectTouchpoints(r.scope, r.filter).map((t) => ({ key: t.key, name: t.name }));
  const touchpoint = touchpoints.some((t) => t.key === view.touchpoint) ? view.touchpoint! : null;
  return data({
    ws: r.ws,
    filter: r.filter,
    error: r.error,
    options: r.options,
    minN: r.ctx.minN,
    view: { source: view.source, touchpoint },
    touchpoints,
    grid: await ipaView(r.ctx, r.scope, r.filter, view.source, touchpoint),
  }, { status: r.error ? 400 : 200 });
}

export default function ImportancePerformance() {
  const { ws, filter, error, options, minN, view, touchpoints, grid } = useLoaderData<typeof loader>();
  const t = useT();
  const lang = useLang();
  const quadrantLabels = Object.fromEntries(QUADRANTS.map((q) => [q, t(`insights.ipa.${q}` as MessageKey)])) as Record<Quadrant, string>;
  const importanceStyle = view.source === "stated" ? "mean" : "r";
  // Dots carry the row number of the table below (names would pile up where attributes cluster).
  const ordered = [...grid.points].sort((a, b) => QUADRANTS.indexOf(a.quadrant) - QUADRANTS.indexOf(b.quadrant) || b.importance - a.importance);
  const dots = ordered.map((p, i) => ({ ...p, label: String(i + 1), name: `${i + 1}. ${grid.labels[p.key]?.name ?? p.key} (${grid.labels[p.key]?.detail ?? ""})` }));
  return (
    <>
      <h1>{t("insights.nav.ipa")}</h1>
      <FilterBar filter={filter} options={options} error={error} resetHref={`/w/${ws}/insights/ipa`}>
        <label>
          {t("insights.ipa.source")}
          <select name="source" defaultValue={view.source}>
            {IMPORTANCE_SOURCES.map((s) => (
              <option key={s} value={s}>
                {t(`insights.ipa.${s}` as MessageKey)}
              </option>
            ))}
          </select>
        </label>
        <TouchpointSelect label={t("insights.ipa.touchpoint")} emptyLabel={t("insights.filter.all")} value={view.touchpoint} touchpoints={touchpoints} />
      </FilterBar>
      <p className="ins-meta">
        <span>{t("insights.period", { from: filter.from, to: filter.to })}</span>
        <span>{t("insights.minN", { minN })}</span>
      </p>
      {grid.points.length === 0 || grid.meanImportance === null || grid.meanPerformance === null ? (
        <p className="notice">{t("insights.ipa.none")}</p>
      ) : (
        <section className="card" aria-labelledby="ipa-title">
          <h2 id="ipa-title">{t("insights.ipa.title")}</h2>
          <ImportancePerformanceGrid
            dots={dots}
            means={{ importance: grid.meanImportance, performance: grid.meanPerformance }}
            title={t("insights.ipa.title")}
            description={t("insights.ipa.desc")}
            xLabel={t("insights.ipa.x")}
            yLabel={view.source === "stated" ? t("insights.ipa.yStated") : t("insights.ipa.yDerived")}
            quadrantLabels={quadrantLabels}
          />
        </section>
      )}
      <div className="table-wrap">
        <table className="ins-table" data-testid="ipa-table">
          <thead>
            <tr>
              <th scope="col" className="num">#</th>
              <th scope="col">{t("insights.by.attribute")}</th>
              <th scope="col" className="num">{t("insights.col.n")}</th>
              <th scope="col" className="num">{t("insights.col.importance")}</th>
              <th scope="col" className="num">{t("insights.col.performance")}</th>
              <th scope="col">{t("insights.col.quadrant")}</th>
            </tr>
          </thead>
          <tbody>
            {ordered.map((p, i) => (
                <tr key={p.key}>
                  <td className="num">{i + 1}</td>
                  <td className="unit">
                    {grid.labels[p.key]?.name}
                    <small>{grid.labels[p.key]?.detail}</small>
                  </td>
                  <td className="num">
                    <a href={insightsHref(ws, "responses", filter, { ...grid.labels[p.key]?.ref })}>{formatNumber(p.n, "int", lang)}</a>
                  </td>
                  <td className="num">{formatNumber(p.importance, importanceStyle, lang)}</td>
                  <td className="num">{formatNumber(p.performance, "mean", lang)}</td>
                  <td>{quadrantLabels[p.quadrant]}</td>
                </tr>
              ))}
          </tbody>
        </table>
      </div>
      {grid.leftOut.length > 0 ? (
        <details className="card">
          <summary>
            {t("insights.ipa.leftOut")} ({grid.leftOut.length})
          </summary>
          <ul>
            {grid.leftOut.map((l) => (
              <li key={l.key}>
                {grid.labels[l.key]?.name ?? l.key} <span className="muted">({grid.labels[l.key]?.detail})</span>: {t(`insights.ipa.reason.${l.reason}` as MessageKey)}, n = {l.n}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      <p className="ins-actions">
        <a className="button secondary" href={insightsHref(ws, "export", filter, { table: "ipa", source: view.source, touchpoint: view.touchpoint })} download>
          {t("insights.export.csv")}
        </a>
      </p>
    </>
  );
}
