// Behaviour beside experience: for one touchpoint, each respondent's purchases and spend in equal
// windows before and after answering, the change compared between those below expectation and those
// at or above it within each tier and combined (difference in differences), and beside it, labelled
// as such, the naive after-only comparison of different customers. Bounded: the newest
// BEHAVIOUR_LIMIT responses with a known customer, and only those whose after-window has closed.
import { data, type LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { behaviourLink, type BehaviourGroup, type BehaviourLink } from "~/cem/insights-behaviour";
import { behaviourChange, CHANGE_MEASURES, type ChangeComparison, type ChangeGroup, type ChangeMeasure, type CombinedChange } from "~/cem/behaviour-change";
import type { Withheld } from "~/cem/statistics";
import { behaviourWindows } from "~/data/behaviour-change.server";
import { TIER_FILTERS, tierValue } from "~/cem/insights-filters";
import { FigureCell, FigureValue } from "~/components/insights/Figure";
import { FilterBar } from "~/components/insights/FilterBar";
import { TouchpointSelect } from "~/components/insights/TouchpointSelect";
import { formatInterval, formatNumber } from "~/i18n/format";
import { insightsHref } from "~/components/insights/format";
import { BEHAVIOUR_LIMIT, DEFAULT_WINDOW_DAYS } from "~/data/insights-behaviour.server";
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
  const read = tp ? await behaviourWindows(r.ctx.workspaceId, tp.id, r.filter, view.window) : null;
  const tiers = TIER_FILTERS.map(tierValue);
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
          change: behaviourChange(read.rows, tiers, r.ctx.minN),
          // The same responses seen only after answering: the naive aside.
          naive: behaviourLink(
            read.rows.map((row) => ({ gap: row.gap, purchases: row.purchasesAfter, spend: row.spendAfter, tier: row.tier })),
            r.ctx.minN,
          ),
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

function Correlation({ link, label }: { link: Pick<BehaviourLink, "correlation">; label: string }) {
  const t = useT();
  const lang = useLang();
  return (
    <p>
      {label}:{" "}
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

const STYLE: Record<ChangeMeasure, "mean" | "money"> = { purchases: "mean", spend: "money" };

/** "before → after (change [CI])" for one group; the change carries the interval and the n rule. */
function GroupCell({ group, measure }: { group: ChangeGroup; measure: ChangeMeasure }) {
  const lang = useLang();
  const style = STYLE[measure];
  return (
    <td className="num">
      {group.n > 0 ? `${formatNumber(group.meanBefore, style, lang)} → ${formatNumber(group.meanAfter, style, lang)} ` : ""}
      <FigureValue figure={group.change} render={(m) => ({ main: `(${formatNumber(m.mean, "gap", lang)})`, interval: formatInterval(m.lo, m.hi, "gap", lang) })} />
    </td>
  );
}

function ComparisonRow({ label, comparison, measure }: { label: string; comparison: ChangeComparison; measure: ChangeMeasure }) {
  const lang = useLang();
  return (
    <tr data-stratum={label}>
      <th scope="row">{label}</th>
      <td className="num">{formatNumber(comparison.below.n, "int", lang)}</td>
      <td className="num">{formatNumber(comparison.atOrAbove.n, "int", lang)}</td>
      <GroupCell group={comparison.below} measure={measure} />
      <GroupCell group={comparison.atOrAbove} measure={measure} />
      <FigureCell figure={comparison.did} render={(d) => ({ main: formatNumber(d.difference, "gap", lang), interval: formatInterval(d.lo, d.hi, "gap", lang) })} />
    </tr>
  );
}

function OverallRow({ overall }: { overall: Withheld<CombinedChange> }) {
  const t = useT();
  const lang = useLang();
  const ok = overall.status === "ok" ? overall.value : null;
  return (
    <tr className="total" data-stratum="overall">
      <th scope="row">{t("did.overall")}</th>
      <td className="num">{ok ? formatNumber(ok.nBelow, "int", lang) : "—"}</td>
      <td className="num">{ok ? formatNumber(ok.nAtOrAbove, "int", lang) : "—"}</td>
      <td />
      <td />
      <FigureCell figure={overall} render={(c) => ({ main: formatNumber(c.estimate, "gap", lang), interval: formatInterval(c.lo, c.hi, "gap", lang) })} />
    </tr>
  );
}

function ChangeTable({ change, measure }: { change: ReturnType<typeof behaviourChange>; measure: ChangeMeasure }) {
  const t = useT();
  const title = t(measure === "purchases" ? "did.purchases" : "did.spend");
  return (
    <div className="table-wrap">
      <table className="ins-table" data-testid={`did-${measure}`}>
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col">{t("did.col.group")}</th>
            <th scope="col" className="num">{t("did.col.nBelow")}</th>
            <th scope="col" className="num">{t("did.col.nAbove")}</th>
            <th scope="col" className="num">{t("did.col.below")}</th>
            <th scope="col" className="num">{t("did.col.above")}</th>
            <th scope="col" className="num">{t("did.col.did")}</th>
          </tr>
        </thead>
        <tbody>
          <OverallRow overall={change.overall[measure]} />
          {change.byTier.map((tier) => (
            <ComparisonRow
              key={tier.tier || "unknown"}
              label={t(`insights.tier.${tier.tier === "" ? "unknown" : tier.tier}` as MessageKey)}
              comparison={tier[measure]}
              measure={measure}
            />
          ))}
          <ComparisonRow label={t("did.unstratified")} comparison={change.unstratified[measure]} measure={measure} />
        </tbody>
      </table>
    </div>
  );
}

export default function Behaviour() {
  const { ws, filter, error, options, minN, view, touchpoints, limit, result } = useLoaderData<typeof loader>();
  const t = useT();
  const overall = result?.change.overall.spend;
  const entered = overall?.status === "ok" ? overall.value.tiers : null;
  const leftOut = entered && result ? result.change.byTier.map((x) => x.tier).filter((x) => !entered.includes(x)) : [];
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
          <p className="notice">
            {t("insights.behaviour.closed", { date: result.closedBefore })}
            {result.limited ? ` ${t("insights.behaviour.limited", { limit })}` : ""}
          </p>
          {result.change.n === 0 ? (
            <p className="notice">{t("insights.behaviour.none")}</p>
          ) : (
            <>
              <section className="card" aria-labelledby="did-title" data-testid="did">
                <h2 id="did-title">
                  {t("did.title")} · {touchpoints.find((tp) => tp.key === view.touchpoint)?.name}
                </h2>
                <p className="muted">{t("did.intro", { days: view.window })}</p>
                {CHANGE_MEASURES.map((m) => (
                  <ChangeTable key={m} change={result.change} measure={m} />
                ))}
                <p className="muted">{t("did.method")}</p>
                {leftOut.length > 0 ? (
                  <p className="muted">{t("did.leftOut", { tiers: leftOut.map((x) => t(`insights.tier.${x === "" ? "unknown" : x}` as MessageKey)).join(", ") })}</p>
                ) : null}
                <Correlation link={result.change} label={t("did.correlation")} />
              </section>
              <aside className="card" aria-labelledby="naive-title" data-testid="naive">
                <h2 id="naive-title">{t("did.naive.title")}</h2>
                <p className="muted">{t("did.naive.intro")}</p>
                <p className="muted">{t("insights.behaviour.intro", { days: view.window })}</p>
                <LinkTable link={result.naive} caption={t("did.naive.title")} />
                <Correlation link={result.naive} label={t("insights.behaviour.correlation")} />
              </aside>
            </>
          )}
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
