// Behaviour beside experience: for one touchpoint, the purchases of its respondents in a window after
// they answered, compared between those below expectation and those at or above it, with the
// differences, the rank correlation of gap and later spend, and the same per tier. Bounded: the
// newest BEHAVIOUR_LIMIT responses with a known customer, and only those whose window has closed.
import { data, type LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { behaviourByTier, behaviourLink, type BehaviourGroup, type BehaviourLink } from "~/cem/insights-behaviour";
import { TIER_FILTERS, tierValue } from "~/cem/insights-filters";
import { FigureCell, FigureValue } from "~/components/insights/Figure";
import { FilterBar } from "~/components/insights/FilterBar";
import { TouchpointSelect } from "~/components/insights/TouchpointSelect";
import { formatInterval, formatNumber, insightsHref } from "~/components/insights/format";
import { BEHAVIOUR_LIMIT, behaviourObservations, DEFAULT_WINDOW_DAYS } from "~/data/insights-behaviour.server";
import { insightsRequest } from "~/web/insights-request.server";
import { selectTouchpoints } from "~/data/insights.server";
import type { MessageKey } from "~/i18n/messages";
import { useLang, useT } from "~/i18n/use-t";

const WINDOWS = [30, 60, 90, 180, 365] as const;
const ViewSchema = z.object({
  touchpoint: z.string().max(64).optional().catch(undefined),
  window: z.coerce.number().int().refine((n) => (WINDOWS as readonly number[]).includes(n)).catch(DEFAULT_WINDOW_DAYS),
});

export async function loader({ request, params }: LoaderFunctionArgs) {
  const r = await insightsRequest(request, params.ws);
  const view = ViewSchema.parse(Object.fromEntries(r.url.searchParams));
  const touchpoints = selectTouchpoints(r.scope, r.filter);
  const tp = touchpoints.find((t) => t.key === view.touchpoint) ?? null;
  const read = tp ? await behaviourObservations(r.ctx.workspaceId, tp.id, r.filter, view.window) : null;
  return data({
    ws: r.ws,
    filter: r.filter,
    error: r.error,
    options: r.options,
    minN: r.ctx.minN,
    view: { touchpoint: tp?.key ?? null, window: view.window },
    touchpoints: touchpoints.map((t) => ({ key: t.key, name: t.name })),
    limit: BEHAVIOUR_LIMIT,
    result: read
      ? {
          limited: read.limited,
          closedBefore: read.closedBefore.toISOString().slice(0, 10),
          link: behaviourLink(read.rows, r.ctx.minN),
          byTier: behaviourByTier(read.rows, TIER_FILTERS.map(tierValue), r.ctx.minN),
        }
      : null,
  }, { status: r.error ? 400 : 200 });
}

function GroupRow({ label, group }: { label: string; group: BehaviourGroup }) {
  const lang = useLang();
  return (
    <tr>
      <th scope="row">{label}</th>
      <td className="num">{formatNumber(group.n, "int", lang)}</td>
      <FigureCell figure={group.repurchase} render={(p) => ({ main: formatNumber(p.p, "share", lang), interval: formatInterval(p.lo, p.hi, "share", lang) })} />
      <FigureCell figure={group.spend} render={(m) => ({ main: formatNumber(m.mean, "money", lang), interval: formatInterval(m.lo, m.hi, "money", lang) })} />
    </tr>
  );
}

function LinkTable({ link, caption }: { link: BehaviourLink; caption: string }) {
  const t = useT();
  const lang = useLang();
  return (
    <div className="table-wrap">
      <table className="ins-table" data-testid="behaviour-table">
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t("insights.col.group")}</th>
            <th scope="col" className="num">{t("insights.col.n")}</th>
            <th scope="col" className="num">{t("insights.behaviour.repurchase")}</th>
            <th scope="col" className="num">{t("insights.behaviour.spend")}</th>
          </tr>
        </thead>
        <tbody>
          <GroupRow label={t("insights.behaviour.below")} group={link.below} />
          <GroupRow label={t("insights.behaviour.atOrAbove")} group={link.atOrAbove} />
          <tr className="total">
            <th scope="row">{t("insights.behaviour.difference")}</th>
            <td className="num">{formatNumber(link.n, "int", lang)}</td>
            <FigureCell figure={link.repurchaseDifference} render={(d) => ({ main: formatNumber(d.difference, "shareDiff", lang), interval: formatInterval(d.lo, d.hi, "shareDiff", lang) })} />
            <FigureCell figure={link.spendDifference} render={(d) => ({ main: formatNumber(d.difference, "gap", lang), interval: formatInterval(d.lo, d.hi, "gap", lang) })} />
          </tr>
        </tbody>
      </table>
    </div>
  );
}

function Correlation({ link }: { link: BehaviourLink }) {
  const t = useT();
  const lang = useLang();
  return (
    <p>
      {t("insights.behaviour.correlation")}:{" "}
      <FigureValue
        figure={link.correlation}
        render={(c) => ({
          main: t("insights.behaviour.rho", {
            rho: formatNumber(c.rho, "r", lang),
            lo: formatNumber(c.lo, "r", lang),
            hi: formatNumber(c.hi, "r", lang),
            p: formatNumber(c.p, "p", lang),
            n: c.n,
          }),
        })}
      />
    </p>
  );
}

export default function Behaviour() {
  const { ws, filter, error, options, minN, view, touchpoints, limit, result } = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <>
      <h1>{t("insights.behaviour.title")}</h1>
      <FilterBar filter={filter} options={options} error={error} resetHref={`/w/${ws}/insights/behaviour`}>
        <TouchpointSelect label={t("insights.col.touchpoint")} emptyLabel={t("insights.behaviour.pick")} value={view.touchpoint} touchpoints={touchpoints} />
        <label>
          {t("insights.behaviour.window")}
          <select name="window" defaultValue={String(view.window)}>
            {WINDOWS.map((w) => (
              <option key={w} value={w}>
                {w}
              </option>
            ))}
          </select>
        </label>
      </FilterBar>
      <p className="ins-meta">
        <span>{t("insights.period", { from: filter.from, to: filter.to })}</span>
        <span>{t("insights.minN", { minN })}</span>
        <span>{t("insights.behaviour.bounded", { limit })}</span>
      </p>
      {!result ? <p className="notice">{t("insights.behaviour.pick")}</p> : null}
      {result ? (
        <>
          <p className="muted">{t("insights.behaviour.intro", { days: view.window })}</p>
          <p className="notice">
            {t("insights.behaviour.closed", { date: result.closedBefore })}
            {result.limited ? ` ${t("insights.behaviour.limited", { limit })}` : ""}
          </p>
          {result.link.n === 0 ? (
            <p className="notice">{t("insights.behaviour.none")}</p>
          ) : (
            <section className="card" aria-labelledby="link-title">
              <h2 id="link-title">{touchpoints.find((tp) => tp.key === view.touchpoint)?.name}</h2>
              <LinkTable link={result.link} caption={t("insights.behaviour.title")} />
              <Correlation link={result.link} />
            </section>
          )}
          {result.byTier.length > 0 ? (
            <section aria-labelledby="tier-title">
              <h2 id="tier-title">{t("insights.behaviour.byTier")}</h2>
              {result.byTier.map(({ tier, link }) => {
                const name = t(`insights.tier.${tier === "" ? "unknown" : tier}` as MessageKey);
                return (
                  <div key={tier || "unknown"} className="card">
                    <h3>{name}</h3>
                    <LinkTable link={link} caption={name} />
                    <Correlation link={link} />
                  </div>
                );
              })}
            </section>
          ) : null}
          <p className="ins-actions">
            <a className="button secondary" href={insightsHref(ws, "export", filter, { table: "behaviour", touchpoint: view.touchpoint, window: view.window })} download>
              {t("insights.export.csv")}
            </a>
          </p>
        </>
      ) : null}
    </>
  );
}
