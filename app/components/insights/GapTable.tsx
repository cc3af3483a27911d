// The gap table: per process, touchpoint, attribute or dimension the n, mean perception and
// expectation, mean gap with its interval, share below expectation, NPS / CSAT / CES where asked and
// the change against the previous period. Every figure links to the responses behind it.
import type { Figure } from "~/cem/insights";
import type { InsightFilter } from "~/cem/insights-filters";
import type { MeanDifference, NpsDifference, PairedGap } from "~/cem/statistics";
import type { Target } from "~/cem/targets";
import type { TableView, UnitRef, UnitRow } from "~/data/insights-tables.server";
import type { MessageKey } from "~/i18n/messages";
import { useLang, useT } from "~/i18n/use-t";
import { FigureCell, FigureValue } from "./Figure";
import { formatInterval, formatNumber } from "~/i18n/format";
import { insightsHref } from "./format";
import { TableScroll } from "./TableScroll";
import { TargetCell, targetUnitOf } from "./TargetCell";

/** The Clienting index of the departments running each process, by process key (process tables only). */
export type ClientingByProcess = Record<string, { n: number; index: number | null; lo: number | null; hi: number | null }>;

/** `targets`: the workspace's targets; a column shows each row's target in effect on the window's last day. */
type Props = { view: TableView; filter: InsightFilter; ws: string; caption: string; clienting?: ClientingByProcess | null; targets?: readonly Target[] };

// Coloured only when the shown (rounded) value is not zero: "0.00" in red would say the opposite.
const signClass = (v: number | null | undefined) =>
  v === null || v === undefined || Math.abs(v) < 0.005 ? undefined : v < 0 ? "ins-neg" : "ins-pos";

export function GapTable({ view, filter, ws, caption, clienting, targets }: Props) {
  const t = useT();
  const lang = useLang();
  const drill = (ref: UnitRef, extra: Record<string, string> = {}) => insightsHref(ws, "responses", filter, { ...ref, ...extra });
  const touchpointLevel = view.by === "process" || view.by === "touchpoint";
  const dimension = view.by === "dimension";
  const showClienting = view.by === "process" && !!clienting;
  const showTargets = !!targets && targets.length > 0 && view.by !== "dimension";
  const change = (f: Figure<MeanDifference> | undefined | null) => ({
    figure: f ?? null,
    render: (d: MeanDifference) => ({ main: formatNumber(d.difference, "gap", lang), interval: formatInterval(d.lo, d.hi, "gap", lang) }),
  });
  const npsChange = (f: Figure<NpsDifference> | undefined | null) => ({
    figure: f ?? null,
    render: (d: NpsDifference) => ({ main: formatNumber(d.difference, "score", lang), interval: formatInterval(d.lo, d.hi, "score", lang) }),
  });
  const renderRow = (row: UnitRow, total = false) => {
    const dimRow = row as UnitRow & { points?: Figure<{ mean: number | null }>; weight?: number | null; contribution?: number | null };
    const gapValue = row.gap?.status === "ok" ? row.gap.value.meanGap : null;
    return (
      <tr key={row.key} className={total ? "total" : undefined} data-unit={row.key}>
        <td className="unit">
          {row.name || t("insights.noProcess")}
          {row.momentOfTruth && view.by === "touchpoint" ? (
            <span className="badge mot" title={t("insights.mot")}>
              ★<span className="sr-only"> {t("insights.mot")}</span>
            </span>
          ) : null}
          {row.detail ? <small>{row.detail}</small> : null}
        </td>
        <td className="num">
          <a href={drill(row.ref)} title={t("insights.drill")}>
            {formatNumber(row.n, "int", lang)}
          </a>
        </td>
        <FigureCell figure={row.gap} render={(g) => ({ main: formatNumber(g.meanP, "mean", lang) })} />
        <FigureCell figure={row.gap} render={(g) => ({ main: formatNumber(g.meanE, "mean", lang) })} />
        <td className={`num ${signClass(gapValue) ?? ""}`}>
          <FigureValue
            figure={row.gap}
            render={(g: PairedGap) => ({ main: formatNumber(g.meanGap, "gap", lang), interval: formatInterval(g.lo, g.hi, "gap", lang) })}
            href={drill(row.ref)}
          />
        </td>
        <FigureCell
          figure={row.below}
          render={(p) => ({ main: formatNumber(p.p, "share", lang), interval: formatInterval(p.lo, p.hi, "share", lang) })}
          href={drill(row.ref, { below: "1" })}
        />
        {touchpointLevel ? (
          <>
            <FigureCell figure={row.nps} render={(n) => ({ main: formatNumber(n.score, "score", lang), interval: formatInterval(n.lo, n.hi, "score", lang) })} href={drill(row.ref)} />
            <FigureCell figure={row.csat} render={(c) => ({ main: formatNumber(c.share, "share", lang), interval: formatInterval(c.lo, c.hi, "share", lang) })} href={drill(row.ref)} />
            <FigureCell figure={row.ces} render={(c) => ({ main: formatNumber(c.mean, "mean", lang), interval: formatInterval(c.lo, c.hi, "mean", lang) })} href={drill(row.ref)} />
          </>
        ) : null}
        {dimension ? (
          <>
            <FigureCell figure={dimRow.points ?? null} render={(p) => ({ main: formatNumber(p.mean, "mean", lang) })} />
            <td className="num">{formatNumber(dimRow.weight ?? null, "share", lang)}</td>
            <td className="num">{formatNumber(dimRow.contribution ?? null, "gap", lang)}</td>
          </>
        ) : null}
        <FigureCell {...change(row.change?.gap)} />
        {touchpointLevel ? <FigureCell {...npsChange(row.change?.nps)} /> : null}
        {showClienting ? <ClientingCell value={row.ref.process ? clienting?.[row.ref.process] : undefined} /> : null}
        {showTargets ? (total ? <td /> : <TargetCell targets={targets!} unit={targetUnitOf(view.by, row.ref)} row={row} day={filter.to} />) : null}
      </tr>
    );
  };
  return (
    <TableScroll testId={`gap-table-${view.by}`}>
      <table className="ins-table" data-testid={`gap-table-${view.by}`}>
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t(`insights.by.${view.by}` as MessageKey)}</th>
            <th scope="col" className="num">{t("insights.col.n")}</th>
            <th scope="col" className="num">{t("insights.col.perception")}</th>
            <th scope="col" className="num">{t("insights.col.expectation")}</th>
            <th scope="col" className="num">{t("insights.col.gap")}</th>
            <th scope="col" className="num">{t("insights.col.below")}</th>
            {touchpointLevel ? (
              <>
                <th scope="col" className="num">{t("insights.col.nps")}</th>
                <th scope="col" className="num">{t("insights.col.csat")}</th>
                <th scope="col" className="num">{t("insights.col.ces")}</th>
              </>
            ) : null}
            {dimension ? (
              <>
                <th scope="col" className="num">{t("insights.col.points")}</th>
                <th scope="col" className="num">{t("insights.col.weight")}</th>
                <th scope="col" className="num">{t("insights.col.contribution")}</th>
              </>
            ) : null}
            <th scope="col" className="num">{t("insights.col.change")}</th>
            {touchpointLevel ? <th scope="col" className="num">{t("insights.col.changeNps")}</th> : null}
            {showClienting ? <th scope="col" className="num">{t("insights.col.clienting")}</th> : null}
            {showTargets ? <th scope="col">{t("targets.column")}</th> : null}
          </tr>
        </thead>
        <tbody>
          {view.rows.map((row) => renderRow(row))}
          {view.total ? renderRow({ ...view.total, key: "total", name: t("insights.total"), detail: "", ref: {}, momentOfTruth: false }, true) : null}
        </tbody>
      </table>
    </TableScroll>
  );
}

/** The Clienting index beside the gap: share of the process's people who know, apply and are supported. */
function ClientingCell({ value }: { value: ClientingByProcess[string] | undefined }) {
  const t = useT();
  const lang = useLang();
  if (!value) return <td className="num muted">—</td>;
  if (value.index === null) return <td className="num muted" title={t("insights.clienting.withheld")}>n={value.n}</td>;
  return (
    <td className="num">
      {formatNumber(value.index, "share", lang)}
      <small> {formatInterval(value.lo, value.hi, "share", lang)} · n={value.n}</small>
    </td>
  );
}
