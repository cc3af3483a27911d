// How insights numbers read on screen: the interface language's decimal mark, a sign on gaps and
// differences, shares as percentages, intervals in brackets. CSV and the API keep raw numbers.
import type { Lang } from "~/i18n/lang";
import type { InsightFilter } from "~/cem/insights-filters";
import { filterParams } from "~/cem/insights-filters";

const formatters = new Map<string, Intl.NumberFormat>();
function nf(lang: Lang, digits: number, signed: boolean): Intl.NumberFormat {
  const key = `${lang}|${digits}|${signed}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.NumberFormat(lang === "es" ? "es-ES" : "en-GB", {
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
      signDisplay: signed ? "exceptZero" : "auto",
      useGrouping: true,
    });
    formatters.set(key, f);
  }
  return f;
}

export type NumberStyle = "mean" | "gap" | "score" | "share" | "shareDiff" | "r" | "p" | "money" | "int";

/** One number in a style: gaps and differences signed, shares as %, NPS with one decimal. */
export function formatNumber(value: number | null | undefined, style: NumberStyle, lang: Lang): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "—";
  switch (style) {
    case "mean":
      return nf(lang, 2, false).format(value);
    case "gap":
      return nf(lang, 2, true).format(value);
    case "score":
      return nf(lang, 1, true).format(value);
    case "share":
      return `${nf(lang, 1, false).format(value * 100)} %`;
    case "shareDiff":
      return `${nf(lang, 1, true).format(value * 100)} pp`;
    case "r":
      return nf(lang, 2, true).format(value);
    case "p":
      return value < 0.001 ? `< ${nf(lang, 3, false).format(0.001)}` : nf(lang, 3, false).format(value);
    case "money":
      return nf(lang, 2, false).format(value);
    case "int":
      return nf(lang, 0, false).format(value);
  }
}

export function formatInterval(lo: number | null | undefined, hi: number | null | undefined, style: NumberStyle, lang: Lang): string {
  if (lo === null || lo === undefined || hi === null || hi === undefined) return "";
  return `[${formatNumber(lo, style, lang)}; ${formatNumber(hi, style, lang)}]`;
}

/** A link into an insights view that keeps the current filter. */
export function insightsHref(ws: string, path: string, filter: InsightFilter, extra: Record<string, string | number | null | undefined> = {}): string {
  return `/w/${ws}/insights${path ? `/${path}` : ""}?${filterParams(filter, extra).toString()}`;
}
