// The gap tables: per process, touchpoint, attribute or SERVQUAL dimension, worst first, with the
// zone of tolerance where it was asked and two tiers side by side on request. Reads rollups only.
import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { previousPeriod, TIER_FILTERS, type TierFilter } from "~/cem/insights-filters";
import { GapBars } from "~/components/charts/GapBars";
import { FigureValue } from "~/components/insights/Figure";
import { FilterBar } from "~/components/insights/FilterBar";
import { formatInterval, formatNumber } from "~/i18n/format";
import { insightsHref } from "~/components/insights/format";
import { GapTable } from "~/components/insights/GapTable";
import { TierTable } from "~/components/insights/TierTable";
import { ZoneTable } from "~/components/insights/ZoneTable";
import { insightsRequest } from "~/web/insights-request.server";
import { TABLE_BY } from "~/cem/insights";
import { gapTable, tierTable } from "~/data/insights-tables.server";
import { clientingIndexByProcess } from "~/data/clienting.server";
import { listProcesses } from "~/data/processes.server";
import { listTargets } from "~/data/targets.server";
import type { MessageKey } from "~/i18n/messages";
import { useLang, useT } from "~/i18n/use-t";

export const meta: MetaFunction = () => [{ title: "Vivencia · Insights" }];

const ViewSchema = z.object({
  by: z.enum(TABLE_BY).catch("process"),
  compareA: z.enum(TIER_FILTERS).optional().catch(undefined),
  compareB: z.enum(TIER_FILTERS).optional().catch(undefined),
});

export async function loader({ request, params }: LoaderFunctionArgs) {
  const started = performance.now();
  const r = await insightsRequest(request, params.ws);
  const view = ViewSchema.parse(Object.fromEntries(r.url.searchParams));
  const [table, targets] = await Promise.all([gapTable(r.ctx, r.scope, r.filter, view.by), listTargets(r.ctx.workspaceId)]);
  const compare = view.compareA && view.compareB ? { a: view.compareA as TierFilter, b: view.compareB as TierFilter } : null;
  const tiers = compare && compare.a !== compare.b ? await tierTable(r.ctx, r.scope, r.filter, view.by, compare.a, compare.b) : null;
  // Clienting beside the gap (issue: departments are linked to the processes they run).
  let clienting: Record<string, { n: number; index: number | null; lo: number | null; hi: number | null }> | null = null;
  if (view.by === "process") {
    const byId = await clientingIndexByProcess(r.ctx.workspaceId);
    if (byId.size > 0) {
      clienting = {};
      for (const p of await listProcesses(r.ctx.workspaceId)) {
        const value = byId.get(p.id);
        if (value) clienting[p.key] = value;
      }
    }
  }
  return data(
    {
      ws: r.ws,
      filter: r.filter,
      error: r.error,
      options: r.options,
      minN: r.ctx.minN,
      by: view.by,
      table,
      compare,
      tiers,
      clienting,
      targets,
      previous: previousPeriod(r.filter),
    },
    { status: r.error ? 400 : 200, headers: { "Server-Timing": `insights;dur=${(performance.now() - started).toFixed(1)}` } },
  );
}

export default function InsightTables() {
  const { ws, filter, error, options, minN, by, table, compare, tiers, clienting, targets, previous } = useLoaderData<typeof loader>();
  const t = useT();
  const lang = useLang();
  const byLabel = t(`insights.by.${by}` as MessageKey);
  const bars = table.rows.map((r) => ({
    key: r.key,
    label: r.name || t("insights.noProcess"),
    value: r.gap?.status === "ok" ? r.gap.value.meanGap : null,
    lo: r.gap?.status === "ok" ? r.gap.value.lo : null,
    hi: r.gap?.status === "ok" ? r.gap.value.hi : null,
    n: r.gap?.n ?? r.n,
  }));
  const withGap = bars.filter((b) => b.n > 0);
  // The chart shows the worst rows (the table below has them all): past ~25 bars it stops being read.
  const charted = bars.slice(0, 25);
  const exportHref = (name: string, extra: Record<string, string | undefined> = {}) => insightsHref(ws, "export", filter, { table: name, ...extra });
  const keep = { by, compareA: compare?.a, compareB: compare?.b };
  return (
    <>
      <h1>{t("insights.title")}</h1>
      <FilterBar filter={filter} options={options} keep={{ by }} error={error} resetHref={`/w/${ws}/insights?by=${by}`}>
        <label>
          {t("insights.filter.compareA")}
          <select name="compareA" defaultValue={compare?.a ?? ""}>
            <option value="">{t("insights.filter.none")}</option>
            {TIER_FILTERS.map((tier) => (
              <option key={tier} value={tier}>
                {t(`insights.tier.${tier}` as MessageKey)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("insights.filter.compareB")}
          <select name="compareB" defaultValue={compare?.b ?? ""}>
            <option value="">{t("insights.filter.none")}</option>
            {TIER_FILTERS.map((tier) => (
              <option key={tier} value={tier}>
                {t(`insights.tier.${tier}` as MessageKey)}
              </option>
            ))}
          </select>
        </label>
      </FilterBar>
      <nav className="ins-tabs" aria-label={t("insights.by.label")}>
        <span className="muted">{t("insights.by.label")}:</span>
        {TABLE_BY.map((b) => (
          <a key={b} href={insightsHref(ws, "", filter, { ...keep, by: b })} aria-current={b === by ? "true" : undefined}>
            {t(`insights.by.${b}` as MessageKey)}
          </a>
        ))}
      </nav>
      <p className="ins-meta">
        <span>{t("insights.period", { from: filter.from, to: filter.to })}</span>
        <span>{t("insights.previous", { from: previous.from, to: previous.to })}</span>
        <span>{t("insights.minN", { minN })}</span>
      </p>
      {table.rows.length === 0 || withGap.length === 0 ? <p className="notice">{t("insights.empty")}</p> : null}
      {withGap.length > 0 ? (
        <div className="ins-chart">
          <GapBars
            bars={charted}
            title={t("insights.gapBars.title", { by: byLabel.toLowerCase() })}
            description={t("insights.gapBars.desc")}
            withheldLabel={t("insights.withheld", { minN })}
            axisLabel={t("insights.gapBars.axis")}
          />
        </div>
      ) : null}
      {table.servqual ? (
        <section className="card" aria-labelledby="weighted-title">
          <h2 id="weighted-title">{t("insights.servqual.weighted")}</h2>
          {table.servqual.weighted ? (
            <p className="stat" data-testid="weighted-score">
              <FigureValue
                figure={table.servqual.weighted}
                render={(m) => ({ main: formatNumber(m.mean, "gap", lang), interval: `${formatInterval(m.lo, m.hi, "gap", lang)} n=${m.n}` })}
              />
            </p>
          ) : (
            <p className="muted">{t("insights.servqual.noPoints")}</p>
          )}
          <p className="muted">{t("insights.servqual.weightedHelp")}</p>
          {table.servqual.ofMeans ? <p className="muted">{t("insights.servqual.ofMeans", { score: formatNumber(table.servqual.ofMeans.score, "gap", lang) })}</p> : null}
        </section>
      ) : null}
      <GapTable view={table} filter={filter} ws={ws} clienting={clienting} targets={targets} caption={t("insights.gapBars.title", { by: byLabel.toLowerCase() })} />
      <p className="ins-actions">
        <a className="button secondary" href={exportHref(by)} download>
          {t("insights.export.csv")}
        </a>
        <a className="button secondary" href={exportHref("responses")} download>
          {t("insights.export.raw")}
        </a>
      </p>
      <ZoneTable rows={table.rows} filter={filter} ws={ws} label={byLabel} />
      {compare && compare.a === compare.b ? <p className="notice">{t("insights.tiers.same")}</p> : null}
      {tiers ? (
        <section className="card" aria-labelledby="tiers-title">
          <h2 id="tiers-title">
            {t("insights.tiers.title", { a: `A: ${t(`insights.tier.${tiers.a}` as MessageKey)}`, b: `B: ${t(`insights.tier.${tiers.b}` as MessageKey)}` })}
          </h2>
          <TierTable view={tiers} filter={filter} ws={ws} />
          <p className="ins-actions">
            <a className="button secondary" href={exportHref("tiers", { by, compareA: tiers.a, compareB: tiers.b })} download>
              {t("insights.export.csv")}
            </a>
          </p>
        </section>
      ) : null}
    </>
  );
}
