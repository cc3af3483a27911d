// Two tiers side by side (e.g. Premium vs Generic): gap, NPS and CSAT of each, and the A − B
// differences with their intervals (Welch, two-sample Wald, Newcombe).
import type { InsightFilter, TierFilter } from "~/cem/insights-filters";
import type { TierView } from "~/data/insights-tables.server";
import type { MessageKey } from "~/i18n/messages";
import { useLang, useT } from "~/i18n/use-t";
import { FigureCell } from "./Figure";
import { formatInterval, formatNumber } from "~/i18n/format";
import { insightsHref } from "./format";

export function TierTable({ view, filter, ws }: { view: TierView; filter: InsightFilter; ws: string }) {
  const t = useT();
  const lang = useLang();
  const name = (tier: TierFilter) => t(`insights.tier.${tier}` as MessageKey);
  const touchpointLevel = view.by === "process" || view.by === "touchpoint";
  const drill = (ref: Record<string, string | undefined>, tier: TierFilter) => insightsHref(ws, "responses", { ...filter, tier }, ref);
  return (
    <div className="table-wrap">
      <table className="ins-table" data-testid="tier-table">
        <caption className="sr-only">{t("insights.tiers.title", { a: name(view.a), b: name(view.b) })}</caption>
        <thead>
          <tr>
            <th scope="col">{t(`insights.by.${view.by}` as MessageKey)}</th>
            <th scope="col" className="num">{t("insights.tiers.gap", { tier: "A" })}</th>
            <th scope="col" className="num">{t("insights.tiers.gap", { tier: "B" })}</th>
            <th scope="col" className="num">{t("insights.tiers.diffGap")}</th>
            {touchpointLevel ? (
              <>
                <th scope="col" className="num">{t("insights.tiers.nps", { tier: "A" })}</th>
                <th scope="col" className="num">{t("insights.tiers.nps", { tier: "B" })}</th>
                <th scope="col" className="num">{t("insights.tiers.diffNps")}</th>
                <th scope="col" className="num">{t("insights.tiers.csat", { tier: "A" })}</th>
                <th scope="col" className="num">{t("insights.tiers.csat", { tier: "B" })}</th>
                <th scope="col" className="num">{t("insights.tiers.diffCsat")}</th>
              </>
            ) : null}
          </tr>
        </thead>
        <tbody>
          {view.rows.map((row) => (
            <tr key={row.key}>
              <td className="unit">
                {row.name || t("insights.noProcess")}
                {row.detail ? <small>{row.detail}</small> : null}
              </td>
              <FigureCell figure={row.a.gap} href={drill(row.ref, view.a)} render={(g) => ({ main: formatNumber(g.meanGap, "gap", lang), interval: `n=${g.n}` })} />
              <FigureCell figure={row.b.gap} href={drill(row.ref, view.b)} render={(g) => ({ main: formatNumber(g.meanGap, "gap", lang), interval: `n=${g.n}` })} />
              <FigureCell figure={row.gap} render={(d) => ({ main: formatNumber(d.difference, "gap", lang), interval: formatInterval(d.lo, d.hi, "gap", lang) })} />
              {touchpointLevel ? (
                <>
                  <FigureCell figure={row.a.nps} href={drill(row.ref, view.a)} render={(n) => ({ main: formatNumber(n.score, "score", lang), interval: `n=${n.n}` })} />
                  <FigureCell figure={row.b.nps} href={drill(row.ref, view.b)} render={(n) => ({ main: formatNumber(n.score, "score", lang), interval: `n=${n.n}` })} />
                  <FigureCell figure={row.nps} render={(d) => ({ main: formatNumber(d.difference, "score", lang), interval: formatInterval(d.lo, d.hi, "score", lang) })} />
                  <FigureCell figure={row.a.csat} href={drill(row.ref, view.a)} render={(c) => ({ main: formatNumber(c.share, "share", lang), interval: `n=${c.n}` })} />
                  <FigureCell figure={row.b.csat} href={drill(row.ref, view.b)} render={(c) => ({ main: formatNumber(c.share, "share", lang), interval: `n=${c.n}` })} />
                  <FigureCell figure={row.csat} render={(d) => ({ main: formatNumber(d.difference, "shareDiff", lang), interval: formatInterval(d.lo, d.hi, "shareDiff", lang) })} />
                </>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
