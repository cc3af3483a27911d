// The zone of tolerance of the rows that asked the adequate and desired levels: MSA and MSS with
// their intervals and where perception falls (below, inside or above the zone).
import type { ZoneOfTolerance } from "~/cem/statistics";
import type { InsightFilter } from "~/cem/insights-filters";
import type { UnitRow } from "~/data/insights-tables.server";
import { useLang, useT } from "~/i18n/use-t";
import { FigureCell } from "./Figure";
import { formatInterval, formatNumber } from "~/i18n/format";
import { insightsHref } from "./format";

export function ZoneTable({ rows, filter, ws, label }: { rows: UnitRow[]; filter: InsightFilter; ws: string; label: string }) {
  const t = useT();
  const lang = useLang();
  const zoned = rows.filter((r) => r.zone !== null);
  if (zoned.length === 0) return null;
  const zoneText = (z: ZoneOfTolerance) => (z.zone ? t(`insights.zone.${z.zone}`) : "—");
  return (
    <section aria-labelledby="zone-title" className="card">
      <h2 id="zone-title">{t("insights.zone.title")}</h2>
      <p className="muted">{t("insights.zone.intro")}</p>
      <div className="table-wrap">
        <table className="ins-table" data-testid="zone-table">
          <thead>
            <tr>
              <th scope="col">{label}</th>
              <th scope="col" className="num">{t("insights.col.n")}</th>
              <th scope="col" className="num">{t("insights.col.perception")}</th>
              <th scope="col" className="num">{t("insights.zone.adequate")}</th>
              <th scope="col" className="num">{t("insights.zone.desired")}</th>
              <th scope="col" className="num">{t("insights.zone.msa")}</th>
              <th scope="col" className="num">{t("insights.zone.mss")}</th>
              <th scope="col">{t("insights.zone.zone")}</th>
            </tr>
          </thead>
          <tbody>
            {zoned.map((row) => (
              <tr key={row.key}>
                <td className="unit">
                  {row.name}
                  {row.detail ? <small>{row.detail}</small> : null}
                </td>
                <td className="num">
                  <a href={insightsHref(ws, "responses", filter, { ...row.ref })}>{formatNumber(row.zone!.n, "int", lang)}</a>
                </td>
                <FigureCell figure={row.zone} render={(z) => ({ main: formatNumber(z.meanP, "mean", lang) })} />
                <FigureCell figure={row.zone} render={(z) => ({ main: formatNumber(z.meanAdequate, "mean", lang) })} />
                <FigureCell figure={row.zone} render={(z) => ({ main: formatNumber(z.meanDesired, "mean", lang) })} />
                <FigureCell figure={row.zone} render={(z) => ({ main: formatNumber(z.msa.mean, "gap", lang), interval: formatInterval(z.msa.lo, z.msa.hi, "gap", lang) })} />
                <FigureCell figure={row.zone} render={(z) => ({ main: formatNumber(z.mss.mean, "gap", lang), interval: formatInterval(z.mss.lo, z.mss.hi, "gap", lang) })} />
                <td>{row.zone!.status === "ok" ? zoneText(row.zone!.value) : "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
