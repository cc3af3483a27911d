// Trends: weekly or monthly mean gap and NPS of the whole selection, a process or a touchpoint, each
// with its 95% interval band; the table under the charts holds the same numbers.
import { data, type LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { BUCKETS, TREND_DAYS, bucketOf } from "~/cem/insights-filters";
import { TrendChart } from "~/components/charts/TrendChart";
import { FigureCell } from "~/components/insights/Figure";
import { FilterBar } from "~/components/insights/FilterBar";
import { formatInterval, formatNumber } from "~/i18n/format";
import { insightsHref } from "~/components/insights/format";
import { insightsRequest } from "~/web/insights-request.server";
import { selectTouchpoints } from "~/data/insights.server";
import { innovationMarkers } from "~/data/innovations.server";
import { trendView } from "~/data/insights-tables.server";
import { listTargets } from "~/data/targets.server";
import { targetInEffect, trendTargetChecks, type TargetCheck } from "~/cem/targets";
import { TargetStatusText } from "~/components/insights/TargetCell";
import type { MessageKey } from "~/i18n/messages";
import { useLang, useT } from "~/i18n/use-t";

const ViewSchema = z.object({
  bucket: z.enum(BUCKETS).catch("week"),
  by: z.enum(["process", "touchpoint"]).catch("process"),
  unit: z.string().max(80).optional().catch(undefined),
});

export async function loader({ request, params }: LoaderFunctionArgs) {
  const started = performance.now();
  const r = await insightsRequest(request, params.ws, TREND_DAYS);
  const view = ViewSchema.parse(Object.fromEntries(r.url.searchParams));
  const trends = await trendView(r.ctx, r.scope, r.filter, view.bucket, view.by);
  const selected = trends.series.find((s) => s.key === view.unit) ?? null;
  // Innovations at the charted touchpoints, placed in their week or month (DESIGN: continuous innovation).
  const charted = selectTouchpoints(r.scope, r.filter).filter(
    (tp) => !selected || (view.by === "process" ? (tp.processKey ?? "") === selected.key : tp.key === selected.key),
  );
  // The charted unit's targets (the whole selection has none).
  const targets = selected ? (await listTargets(r.ctx.workspaceId)).filter((t) => t.unit === view.by && t.unitKey === selected.key) : [];
  const markers = (await innovationMarkers(r.ctx.workspaceId, charted.map((tp) => tp.id)))
    .filter((m) => m.date >= r.filter.from && m.date <= r.filter.to)
    .map((m) => ({ bucket: bucketOf(m.date, view.bucket), label: m.title }));
  return data(
    {
      ws: r.ws,
      filter: r.filter,
      error: r.error,
      options: r.options,
      minN: r.ctx.minN,
      view,
      units: trends.series.map((s) => ({ key: s.key, name: s.name })),
      series: selected ?? { ...trends.overall, name: "", ref: {} },
      selected: selected !== null,
      markers,
      targets,
    },
    { status: r.error ? 400 : 200, headers: { "Server-Timing": `insights;dur=${(performance.now() - started).toFixed(1)}` } },
  );
}

export default function Trends() {
  const { ws, filter, error, options, minN, view, units, series, selected, markers, targets } = useLoaderData<typeof loader>();
  const t = useT();
  const lang = useLang();
  const name = selected ? series.name || t("insights.noProcess") : t("insights.total");
  // All the responses the window holds, said beside "too few" so the reader sees how far from enough.
  const total = series.points.reduce((sum, p) => sum + p.n, 0);
  const bucketName = t(`insights.trends.${view.bucket}` as MessageKey).toLowerCase();
  const gapData = series.points.map((p) => ({
    bucket: p.bucket,
    n: p.gap?.n ?? 0,
    value: p.gap?.status === "ok" ? p.gap.value.meanGap : null,
    lo: p.gap?.status === "ok" ? p.gap.value.lo : null,
    hi: p.gap?.status === "ok" ? p.gap.value.hi : null,
  }));
  const npsData = series.points.map((p) => ({
    bucket: p.bucket,
    n: p.nps?.n ?? 0,
    value: p.nps?.status === "ok" ? p.nps.value.score : null,
    lo: p.nps?.status === "ok" ? p.nps.value.lo : null,
    hi: p.nps?.status === "ok" ? p.nps.value.hi : null,
  }));
  // Each metric's target in effect on the window's last day draws a line; each bucket is judged
  // against the target in effect at its own end.
  const targetOf = (metric: "gap" | "nps") => targetInEffect(targets, view.by, series.key, metric, filter.to);
  const checks = (metric: "gap" | "nps", points: typeof gapData): (TargetCheck | null)[] =>
    selected ? trendTargetChecks(targets, view.by, series.key, metric, points, view.bucket) : points.map(() => null);
  const gapChecks = checks("gap", gapData);
  const npsChecks = checks("nps", npsData);
  const hasTargets = gapChecks.some(Boolean) || npsChecks.some(Boolean);
  const gapTarget = targetOf("gap");
  const npsTarget = targetOf("nps");
  const drill = (bucket: string) => {
    // A bucket's responses: its days, clipped to the filter's window.
    const from = view.bucket === "week" ? bucket : `${bucket}-01`;
    const lastDay = view.bucket === "week" ? new Date(Date.parse(`${bucket}T00:00:00Z`) + 6 * 86_400_000) : new Date(Date.UTC(Number(bucket.slice(0, 4)), Number(bucket.slice(5, 7)), 0));
    const to = lastDay.toISOString().slice(0, 10);
    const unit = selected ? (view.by === "process" ? { process: series.key } : { touchpoint: series.key }) : {};
    return insightsHref(ws, "responses", { ...filter, from: from < filter.from ? filter.from : from, to: to > filter.to ? filter.to : to }, unit);
  };
  return (
    <>
      <h1>{t("insights.nav.trends")}</h1>
      <FilterBar filter={filter} options={options} error={error} resetHref={`/w/${ws}/insights/trends`}>
        <label>
          {t("insights.trends.bucket")}
          <select name="bucket" defaultValue={view.bucket}>
            <option value="week">{t("insights.trends.week")}</option>
            <option value="month">{t("insights.trends.month")}</option>
          </select>
        </label>
        <label>
          {t("insights.by.label")}
          <select name="by" defaultValue={view.by}>
            <option value="process">{t("insights.by.process")}</option>
            <option value="touchpoint">{t("insights.by.touchpoint")}</option>
          </select>
        </label>
        <label>
          {t("insights.trends.series")}
          <select name="unit" defaultValue={selected ? series.key : ""}>
            <option value="">{t("insights.total")}</option>
            {units.map((u) => (
              <option key={u.key} value={u.key}>
                {u.name || t("insights.noProcess")}
              </option>
            ))}
          </select>
        </label>
      </FilterBar>
      <p className="ins-meta">
        <span>{t("insights.period", { from: filter.from, to: filter.to })}</span>
        <span>{t("insights.minN", { minN })}</span>
      </p>
      <section className="card" aria-labelledby="gap-trend">
        <h2 id="gap-trend">{t("insights.trends.gapTitle", { bucket: bucketName, name })}</h2>
        <TrendChart data={gapData} markers={markers} reference={0} target={gapTarget?.value ?? null} targetLabel={gapTarget ? `${t("targets.column")} ${formatNumber(gapTarget.value, "gap", lang)}` : undefined} title={t("insights.trends.gapTitle", { bucket: bucketName, name })} description={t("insights.trends.desc")} emptyLabel={t("trends.tooFew", { n: formatNumber(total, "int", lang), minN })} color="#b45309" />
      </section>
      <section className="card" aria-labelledby="nps-trend">
        <h2 id="nps-trend">{t("insights.trends.npsTitle", { bucket: bucketName, name })}</h2>
        <TrendChart data={npsData} markers={markers} reference={0} target={npsTarget?.value ?? null} targetLabel={npsTarget ? `${t("targets.column")} ${formatNumber(npsTarget.value, "score", lang)}` : undefined} valueFormat=".0f" title={t("insights.trends.npsTitle", { bucket: bucketName, name })} description={t("insights.trends.desc")} emptyLabel={t("trends.tooFew", { n: formatNumber(total, "int", lang), minN })} color="#0f766e" />
      </section>
      <section aria-labelledby="trend-table">
        <h2 id="trend-table">{t("insights.trends.table")}</h2>
        <div className="table-wrap">
          <table className="ins-table" data-testid="trend-table">
            <thead>
              <tr>
                <th scope="col">{t("insights.col.bucket")}</th>
                <th scope="col" className="num">{t("insights.col.n")}</th>
                <th scope="col" className="num">{t("insights.col.gap")}</th>
                <th scope="col" className="num">{t("insights.col.nps")}</th>
                {hasTargets ? <th scope="col">{t("targets.column")}</th> : null}
              </tr>
            </thead>
            <tbody>
              {series.points.map((p, i) => (
                <tr key={p.bucket}>
                  <td>{p.bucket}</td>
                  <td className="num">{p.n > 0 ? <a href={drill(p.bucket)}>{formatNumber(p.n, "int", lang)}</a> : "0"}</td>
                  <FigureCell figure={p.gap} render={(g) => ({ main: formatNumber(g.meanGap, "gap", lang), interval: formatInterval(g.lo, g.hi, "gap", lang) })} />
                  <FigureCell figure={p.nps} render={(n) => ({ main: formatNumber(n.score, "score", lang), interval: formatInterval(n.lo, n.hi, "score", lang) })} />
                  {hasTargets ? (
                    <td className="ins-targets">
                      {gapChecks[i] ? <TargetStatusText metric="gap" check={gapChecks[i]!} /> : null}
                      {npsChecks[i] ? <TargetStatusText metric="nps" check={npsChecks[i]!} /> : null}
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <p className="ins-actions">
          <a className="button secondary" href={insightsHref(ws, "export", filter, { table: "trends", bucket: view.bucket, by: view.by })} download>
            {t("insights.export.csv")}
          </a>
        </p>
      </section>
    </>
  );
}
