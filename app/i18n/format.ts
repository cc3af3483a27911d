// How numbers, dates, shares and money read on screen: the reader's language, the reader's (or the
// workspace's) time zone and the workspace's currency. Pure functions of their arguments, never of
// the machine they run on, so the server's HTML and the browser's hydration write the same text.
// CSV files and the API keep raw values (ISO instants, plain numbers).
import type { Lang } from "./lang";

/** What a screen needs to know to write a value for its reader; it comes from the loaders. */
export type FormatLocale = { lang: Lang; timeZone: string; currency: string };

export const DEFAULT_TIME_ZONE = "UTC";
export const DEFAULT_CURRENCY = "EUR";

/** The BCP 47 tag behind each interface language: Spain's Spanish and British English (day before month). */
export function intlTag(lang: Lang): string {
  return lang === "en" ? "en-GB" : "es-ES";
}

/** Whether Intl knows this IANA time zone name ("Europe/Madrid", "America/Bogota", "UTC"). */
export function isTimeZone(value: string): boolean {
  if (!value || value.length > 64) return false;
  try {
    new Intl.DateTimeFormat("en", { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** Whether this is an ISO 4217 code Intl can write ("EUR", "USD", "COP"). */
export function isCurrency(value: string): boolean {
  if (!/^[A-Z]{3}$/.test(value)) return false;
  const known = (Intl as { supportedValuesOf?: (key: string) => string[] }).supportedValuesOf?.("currency");
  return known ? known.includes(value) : true;
}

// Intl formatters are costly to build and tables write thousands of cells: keep one per options.
const cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();
function numberFormat(lang: Lang, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `n|${lang}|${JSON.stringify(options)}`;
  let f = cache.get(key) as Intl.NumberFormat | undefined;
  if (!f) cache.set(key, (f = new Intl.NumberFormat(intlTag(lang), options)));
  return f;
}
function dateFormat(lang: Lang, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `d|${lang}|${JSON.stringify(options)}`;
  let f = cache.get(key) as Intl.DateTimeFormat | undefined;
  if (!f) cache.set(key, (f = new Intl.DateTimeFormat(intlTag(lang), options)));
  return f;
}

const DASH = "—";
// ES2023's useGrouping: "always" (this TypeScript lib still types the option as a boolean).
const ALWAYS = "always" as unknown as boolean;
const missing = (value: number | null | undefined): value is null | undefined => value === null || value === undefined || !Number.isFinite(value);

// ---- numbers ------------------------------------------------------------------------------------

export type NumberStyle = "mean" | "gap" | "score" | "share" | "shareDiff" | "r" | "p" | "money" | "int";

function fixed(lang: Lang, digits: number, signed = false): Intl.NumberFormat {
  return numberFormat(lang, {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
    signDisplay: signed ? "exceptZero" : "auto",
    useGrouping: true,
  });
}

/**
 * One statistic in its style: means with two decimals, gaps and differences signed, NPS-like
 * scores with one signed decimal, shares as percentages, differences of shares in points.
 */
export function formatNumber(value: number | null | undefined, style: NumberStyle, lang: Lang): string {
  if (missing(value)) return DASH;
  switch (style) {
    case "mean":
      return fixed(lang, 2).format(value);
    case "gap":
    case "r":
      return fixed(lang, 2, true).format(value);
    case "score":
      return fixed(lang, 1, true).format(value);
    case "share":
      return formatPercent(value, lang);
    case "shareDiff":
      return `${fixed(lang, 1, true).format(value * 100)} pp`;
    case "p":
      return value < 0.001 ? `< ${fixed(lang, 3).format(0.001)}` : fixed(lang, 3).format(value);
    case "money":
      return fixed(lang, 2).format(value);
    case "int":
      return formatInteger(value, lang);
  }
}

/** A confidence interval in brackets, in the same style as its estimate: "[−0,42; −0,08]". */
export function formatInterval(lo: number | null | undefined, hi: number | null | undefined, style: NumberStyle, lang: Lang): string {
  if (missing(lo) || missing(hi)) return "";
  return `[${formatNumber(lo, style, lang)}; ${formatNumber(hi, style, lang)}]`;
}

/** A count: grouped thousands, no decimals ("3.000" in Spanish, "3,000" in English). */
export function formatInteger(value: number | null | undefined, lang: Lang): string {
  if (missing(value)) return DASH;
  // Spanish style leaves four-digit numbers ungrouped ("3000"); tables read better with the mark always.
  return numberFormat(lang, { maximumFractionDigits: 0, useGrouping: ALWAYS }).format(value);
}

/** A plain decimal with up to `digits` decimals (durations, sizes, weights). */
export function formatDecimal(value: number | null | undefined, lang: Lang, digits = 2, signed = false): string {
  if (missing(value)) return DASH;
  return numberFormat(lang, { maximumFractionDigits: digits, signDisplay: signed ? "exceptZero" : "auto" }).format(value);
}

/** A share (0–1) as a percentage with `digits` decimals and a space before the sign, as both languages write it here. */
export function formatPercent(share: number | null | undefined, lang: Lang, digits = 1): string {
  if (missing(share)) return DASH;
  return `${fixed(lang, digits).format(share * 100)} %`;
}

/** An amount of money with its currency ("1.234,50 €", "€1,234.50", "COP 12,000.00"). */
export function formatMoney(value: number | null | undefined, locale: Pick<FormatLocale, "lang" | "currency">, digits = 2): string {
  if (missing(value)) return DASH;
  const currency = isCurrency(locale.currency) ? locale.currency : DEFAULT_CURRENCY;
  return numberFormat(locale.lang, {
    style: "currency",
    currency,
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
    useGrouping: ALWAYS,
  }).format(value);
}

// ---- dates --------------------------------------------------------------------------------------

type DateInput = Date | string | number | null | undefined;
function toDate(value: DateInput): Date | null {
  if (value === null || value === undefined || value === "") return null;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}
function zone(timeZone: string): string {
  return isTimeZone(timeZone) ? timeZone : DEFAULT_TIME_ZONE;
}

/** An instant as a date and time in the reader's time zone ("7 dic 2026, 0:30"). */
export function formatDateTime(value: DateInput, locale: Pick<FormatLocale, "lang" | "timeZone">, seconds = false): string {
  const date = toDate(value);
  if (!date) return DASH;
  return dateFormat(locale.lang, { dateStyle: "medium", timeStyle: seconds ? "medium" : "short", timeZone: zone(locale.timeZone) }).format(date);
}

/** An instant's calendar date in the reader's time zone ("7 dic 2026"). */
export function formatDate(value: DateInput, locale: Pick<FormatLocale, "lang" | "timeZone">): string {
  const date = toDate(value);
  if (!date) return DASH;
  return dateFormat(locale.lang, { dateStyle: "medium", timeZone: zone(locale.timeZone) }).format(date);
}

/**
 * A calendar day stored as "YYYY-MM-DD" (the analysis days, which are UTC days): written as that
 * day whatever the reader's zone, since it names a day, not an instant.
 */
export function formatDay(day: string | null | undefined, lang: Lang): string {
  if (!day || !/^\d{4}-\d{2}-\d{2}$/.test(day)) return day ?? DASH;
  return dateFormat(lang, { dateStyle: "medium", timeZone: "UTC" }).format(new Date(`${day}T00:00:00Z`));
}

/** A short form for dense lists: day and month, the year only when it is not `now`'s, and the time. */
export function formatShortDateTime(value: DateInput, locale: Pick<FormatLocale, "lang" | "timeZone">, now: Date): string {
  const date = toDate(value);
  if (!date) return DASH;
  const timeZone = zone(locale.timeZone);
  const year = (d: Date) => dateFormat("en", { year: "numeric", timeZone }).format(d);
  const sameYear = year(date) === year(now);
  return dateFormat(locale.lang, {
    day: "numeric",
    month: "short",
    ...(sameYear ? {} : { year: "numeric" }),
    hour: "2-digit",
    minute: "2-digit",
    timeZone,
  }).format(date);
}

/** A span of hours as hours, or days past two days ("5,5 h", "3,2 d"). */
export function formatHours(hours: number | null | undefined, lang: Lang): string {
  if (missing(hours)) return DASH;
  if (hours >= 48) return `${formatDecimal(hours / 24, lang, 1)} d`;
  return `${formatDecimal(hours, lang, 1)} h`;
}

// ---- all of it, bound to one reader -------------------------------------------------------------

/** The formatters bound to one reader's locale: what `useFormat()` gives components. */
export function formatterFor(locale: FormatLocale) {
  const { lang } = locale;
  return {
    locale,
    number: (value: number | null | undefined, style: NumberStyle) => formatNumber(value, style, lang),
    interval: (lo: number | null | undefined, hi: number | null | undefined, style: NumberStyle) => formatInterval(lo, hi, style, lang),
    int: (value: number | null | undefined) => formatInteger(value, lang),
    decimal: (value: number | null | undefined, digits = 2, signed = false) => formatDecimal(value, lang, digits, signed),
    percent: (share: number | null | undefined, digits = 1) => formatPercent(share, lang, digits),
    money: (value: number | null | undefined, digits = 2) => formatMoney(value, locale, digits),
    dateTime: (value: DateInput, seconds = false) => formatDateTime(value, locale, seconds),
    date: (value: DateInput) => formatDate(value, locale),
    day: (day: string | null | undefined) => formatDay(day, lang),
    shortDateTime: (value: DateInput, now = new Date()) => formatShortDateTime(value, locale, now),
    hours: (hours: number | null | undefined) => formatHours(hours, lang),
  };
}
export type Format = ReturnType<typeof formatterFor>;

/** The IANA time zones Intl knows, for a picker (read on the server and sent down: browsers' lists differ). */
export function knownTimeZones(): string[] {
  const list = (Intl as { supportedValuesOf?: (key: string) => string[] }).supportedValuesOf?.("timeZone") ?? [];
  return list.includes("UTC") ? list : ["UTC", ...list];
}
