// CSV of every insights table and of the raw responses with their measurements. Numbers stay raw
// (full precision, "." decimals); a withheld figure has empty values and status "withheld", so a
// spreadsheet never shows a mean the app would not. Text that a spreadsheet would run as a formula
// is defused (OWASP "CSV injection").
import type { BehaviourLink } from "~/cem/insights-behaviour";
import type { Figure } from "~/cem/insights";
import type { InsightFilter } from "~/cem/insights-filters";
import type { Ipa } from "~/cem/insights-ipa";
import type { IpaView, TableView, TierView, TrendView, UnitRef, UnitRow } from "~/data/insights-tables.server";
import { responsesPage, type Cursor } from "~/data/insights-responses.server";
import type { InsightScope } from "~/data/insights.server";

type Cell = string | number | null | undefined;

export function csvCell(value: Cell): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const csvLine = (cells: readonly Cell[]) => `${cells.map(csvCell).join(",")}\r\n`;
export const csvText = (header: readonly string[], rows: readonly (readonly Cell[])[]) => [header, ...rows].map(csvLine).join("");

/** A figure's columns: status, n, then the picked values (empty unless shown). */
function figureCells<T>(f: Figure<T>, pick: (value: T) => Cell[], width: number): Cell[] {
  if (f === null) return ["not_asked", "", ...Array(width).fill("")];
  if (f.status === "withheld") return ["withheld", f.n, ...Array(width).fill("")];
  return ["ok", f.n, ...pick(f.value)];
}
const figureHeader = (name: string, values: string[]) => [`${name}_status`, `${name}_n`, ...values.map((v) => `${name}_${v}`)];

const ROW_HEADER = [
  "key", "name", "detail",
  ...figureHeader("gap", ["mean_perception", "mean_expectation", "mean", "sd", "ci_lo", "ci_hi"]),
  ...figureHeader("below", ["share", "ci_lo", "ci_hi"]),
  ...figureHeader("nps", ["score", "ci_lo", "ci_hi"]),
  ...figureHeader("csat", ["share", "ci_lo", "ci_hi"]),
  ...figureHeader("ces", ["mean", "ci_lo", "ci_hi"]),
  ...figureHeader("zone", ["mean_perception", "mean_adequate", "mean_desired", "msa", "msa_ci_lo", "msa_ci_hi", "mss", "mss_ci_lo", "mss_ci_hi", "zone"]),
  ...figureHeader("gap_change", ["difference", "ci_lo", "ci_hi"]),
  ...figureHeader("nps_change", ["difference", "ci_lo", "ci_hi"]),
  "importance_points_mean", "weight", "contribution",
];

function rowCells(row: UnitRow): Cell[] {
  const dim = row as UnitRow & { points?: Figure<{ mean: number | null }>; weight?: number | null; contribution?: number | null };
  return [
    row.key, row.name, row.detail,
    ...figureCells(row.gap, (g) => [g.meanP, g.meanE, g.meanGap, g.sdGap, g.lo, g.hi], 6),
    ...figureCells(row.below, (p) => [p.p, p.lo, p.hi], 3),
    ...figureCells(row.nps, (n) => [n.score, n.lo, n.hi], 3),
    ...figureCells(row.csat, (c) => [c.share, c.lo, c.hi], 3),
    ...figureCells(row.ces, (c) => [c.mean, c.lo, c.hi], 3),
    ...figureCells(row.zone, (z) => [z.meanP, z.meanAdequate, z.meanDesired, z.msa.mean, z.msa.lo, z.msa.hi, z.mss.mean, z.mss.lo, z.mss.hi, z.zone], 10),
    ...figureCells(row.change?.gap ?? null, (d) => [d.difference, d.lo, d.hi], 3),
    ...figureCells(row.change?.nps ?? null, (d) => [d.difference, d.lo, d.hi], 3),
    dim.points?.status === "ok" ? dim.points.value.mean : "", dim.weight ?? "", dim.contribution ?? "",
  ];
}

export function tableCsv(view: TableView): string {
  const rows = view.rows.map(rowCells);
  if (view.total) rows.push(rowCells({ ...view.total, key: "total", name: "Whole selection", detail: "", ref: {}, momentOfTruth: false }));
  return csvText(ROW_HEADER, rows);
}

export function tiersCsv(view: TierView): string {
  const side = (s: "a" | "b") => [
    ...figureHeader(`${s}_gap`, ["mean", "ci_lo", "ci_hi"]),
    ...figureHeader(`${s}_nps`, ["score", "ci_lo", "ci_hi"]),
    ...figureHeader(`${s}_csat`, ["share", "ci_lo", "ci_hi"]),
  ];
  const header = ["key", "name", "tier_a", "tier_b", ...side("a"), ...side("b"),
    ...figureHeader("gap_difference", ["value", "ci_lo", "ci_hi"]),
    ...figureHeader("nps_difference", ["value", "ci_lo", "ci_hi"]),
    ...figureHeader("csat_difference", ["value", "ci_lo", "ci_hi"])];
  const rows = view.rows.map((r) => [
    r.key, r.name, view.a, view.b,
    ...[r.a, r.b].flatMap((s) => [
      ...figureCells(s.gap, (g) => [g.meanGap, g.lo, g.hi], 3),
      ...figureCells(s.nps, (n) => [n.score, n.lo, n.hi], 3),
      ...figureCells(s.csat, (c) => [c.share, c.lo, c.hi], 3),
    ]),
    ...figureCells(r.gap, (d) => [d.difference, d.lo, d.hi], 3),
    ...figureCells(r.nps, (d) => [d.difference, d.lo, d.hi], 3),
    ...figureCells(r.csat, (d) => [d.difference, d.lo, d.hi], 3),
  ]);
  return csvText(header, rows);
}

export function trendsCsv(view: TrendView): string {
  const header = ["unit_key", "unit_name", "bucket", "n", ...figureHeader("gap", ["mean", "ci_lo", "ci_hi"]), ...figureHeader("nps", ["score", "ci_lo", "ci_hi"])];
  const rows = [{ ...view.overall, name: "Whole selection" }, ...view.series].flatMap((s) =>
    s.points.map((p) => [
      s.key, s.name, p.bucket, p.n,
      ...figureCells(p.gap, (g) => [g.meanGap, g.lo, g.hi], 3),
      ...figureCells(p.nps, (n) => [n.score, n.lo, n.hi], 3),
    ]),
  );
  return csvText(header, rows);
}

export function ipaCsv(view: IpaView): string {
  const header = ["key", "name", "touchpoint", "importance_source", "n", "importance", "performance", "quadrant", "left_out_reason"];
  const label = (key: string) => view.labels[key] ?? { name: key, detail: "" };
  const source: Ipa["source"] = view.source;
  return csvText(header, [
    ...view.points.map((p) => [p.key, label(p.key).name, label(p.key).detail, source, p.n, p.importance, p.performance, p.quadrant, ""]),
    ...view.leftOut.map((l) => [l.key, label(l.key).name, label(l.key).detail, source, l.n, "", "", "", l.reason]),
  ]);
}

export function behaviourCsv(touchpoint: string, windowDays: number, groups: { tier: string; link: BehaviourLink }[]): string {
  const header = ["touchpoint", "window_days", "tier", "group", "n",
    ...figureHeader("repurchase", ["value", "ci_lo", "ci_hi"]), ...figureHeader("spend", ["value", "ci_lo", "ci_hi"]),
    "spearman_rho", "spearman_ci_lo", "spearman_ci_hi", "spearman_p"];
  const rows = groups.flatMap(({ tier, link }) => {
    const corr = link.correlation.status === "ok" ? link.correlation.value : null;
    const base = [touchpoint, windowDays, tier];
    return [
      [...base, "below", link.below.n, ...figureCells(link.below.repurchase, (p) => [p.p, p.lo, p.hi], 3), ...figureCells(link.below.spend, (m) => [m.mean, m.lo, m.hi], 3), "", "", "", ""],
      [...base, "at_or_above", link.atOrAbove.n, ...figureCells(link.atOrAbove.repurchase, (p) => [p.p, p.lo, p.hi], 3), ...figureCells(link.atOrAbove.spend, (m) => [m.mean, m.lo, m.hi], 3), "", "", "", ""],
      [...base, "difference", link.n, ...figureCells(link.repurchaseDifference, (d) => [d.difference, d.lo, d.hi], 3), ...figureCells(link.spendDifference, (d) => [d.difference, d.lo, d.hi], 3),
        corr?.rho, corr?.lo, corr?.hi, corr?.p],
    ];
  });
  return csvText(header, rows);
}

const RAW_HEADER = ["response_id", "completed_at", "touchpoint", "customer_external_id", "customer_name", "tier", "lang", "comment", "attribute_key", "kind", "value"];
const CHUNK = 1000;

/**
 * The raw responses behind a unit with one line per measurement, streamed a page at a time
 * (keyset, so the shared connection is never held by an open cursor between chunks).
 */
export function rawResponsesStream(workspaceId: number, scope: InsightScope, filter: InsightFilter, unit: UnitRef, below: boolean): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let cursor: Cursor | null = null;
  let started = false;
  let done = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(csvLine(RAW_HEADER)));
        return;
      }
      if (done) return controller.close();
      const page = await responsesPage(workspaceId, scope, filter, unit, { below, cursor, size: CHUNK });
      let text = "";
      for (const r of page.rows) {
        const head = [r.id, r.completedAt.toISOString(), r.touchpointKey, r.customer?.externalId, r.customer?.name, r.tier, r.lang, r.comment];
        if (r.measurements.length === 0) text += csvLine([...head, "", "", ""]);
        for (const m of r.measurements) text += csvLine([...head, m.attributeKey, m.kind, m.value]);
      }
      if (text) controller.enqueue(encoder.encode(text));
      cursor = page.next;
      if (!cursor) done = true;
    },
  });
}
