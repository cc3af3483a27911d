// The filter every insights view and API call takes (dates, journey, tier, channel, survey
// language), its defaults, the previous period it is compared with, and the week/month buckets of
// trends. Days are UTC "YYYY-MM-DD", as rollups store them. Pure.
import { z } from "zod";
import { CHANNELS, type Channel } from "./journey";
import { weekOf } from "./rollup-weeks";
import { TIERS } from "./segmentation";
import { SLUG_PATTERN } from "./slug";

const DAY_MS = 86_400_000;
const DAY_PATTERN = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
/** The default window: the last 90 days, today included. */
export const DEFAULT_DAYS = 90;
/**
 * The trends' default window: 26 weeks. A trend is read for a change, so it must hold the weeks
 * before one as well as after; the last 90 days would start just after a change made three months ago.
 */
export const TREND_DAYS = 182;
/** A year and a bit: wider windows are what trends are for, and they bound every query. */
export const MAX_DAYS = 3 * 366;
/**
 * The calendar a filter may name. Days are compared as text, which holds only for four-digit
 * years; past them (and across the year 0) date arithmetic yields "+010000-…" or "-000001-…" and a
 * bucket loop never ends. No response predates 1970, and a window ending in 2999 covers any plan.
 */
export const FIRST_DAY = "1970-01-01";
export const LAST_DAY = "2999-12-31";

/** Tiers as stored on responses; "unknown" stands for the empty tier of anonymous answers. */
export const TIER_FILTERS = [...TIERS, "unknown"] as const;
export type TierFilter = (typeof TIER_FILTERS)[number];
export const tierValue = (tier: TierFilter): string => (tier === "unknown" ? "" : tier);

export const BUCKETS = ["week", "month"] as const;
export type Bucket = (typeof BUCKETS)[number];

export type InsightFilter = {
  from: string;
  to: string;
  journey: string | null;
  tier: TierFilter | null;
  channel: Channel | null;
  lang: string | null;
};

const isRealDay = (s: string) => DAY_PATTERN.test(s) && new Date(`${s}T00:00:00Z`).toISOString().slice(0, 10) === s;
const DaySchema = z
  .string()
  .trim()
  .refine(isRealDay, "Use a date as YYYY-MM-DD.")
  .refine((s) => s >= FIRST_DAY && s <= LAST_DAY, `Use a date from ${FIRST_DAY} to ${LAST_DAY}.`);
// An empty form field means "no filter", the same as leaving the parameter out.
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (v === "" || v === null ? undefined : v), schema.optional());

export const InsightFilterSchema = z
  .object({
    from: optional(DaySchema),
    to: optional(DaySchema),
    journey: optional(z.string().trim().max(64).regex(SLUG_PATTERN, "Use a journey key.")),
    tier: optional(z.enum(TIER_FILTERS)),
    channel: optional(z.enum(CHANNELS)),
    lang: optional(z.string().trim().regex(/^[a-z]{2}(-[A-Za-z]{2,4})?$/, "Use a language code such as es or en.")),
  })
  .refine((f) => !f.from || !f.to || f.from <= f.to, { message: "'from' must not be after 'to'.", path: ["from"] });

export const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
export const addDays = (day: string, days: number) => dayOf(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS);
/** Days from `from` to `to`, both included. */
export const daysBetween = (from: string, to: string) =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS) + 1;

/**
 * Pages carry the survey language as "surveyLang": "lang" in a page URL already switches the
 * interface language (app/i18n/lang.server.ts). The API has no interface and says "lang".
 */
export const PAGE_LANG_PARAM = "surveyLang";

export type ParsedFilter = { ok: true; filter: InsightFilter } | { ok: false; errors: Record<string, string> };

function errorsOf(error: z.ZodError): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? "filter");
    errors[field] ??= issue.message;
  }
  return errors;
}

/**
 * The filter from query parameters. Without dates, the last `days` days (DEFAULT_DAYS) up to `today`;
 * with one end only, the window keeps that length from it.
 */
export function parseInsightFilter(params: URLSearchParams, today: string, langParam = "lang", days = DEFAULT_DAYS): ParsedFilter {
  const input: Record<string, string | undefined> = {};
  for (const key of ["from", "to", "journey", "tier", "channel"] as const) input[key] = params.get(key) ?? undefined;
  input.lang = params.get(langParam) ?? undefined;
  const parsed = InsightFilterSchema.safeParse(input);
  if (!parsed.success) return { ok: false, errors: errorsOf(parsed.error) };
  const f = parsed.data;
  const to = f.to ?? (f.from ? addDays(f.from, days - 1) : today);
  const from = f.from ?? addDays(to, -(days - 1));
  if (from > to) return { ok: false, errors: { from: "'from' must not be after 'to'." } };
  if (from < FIRST_DAY || to > LAST_DAY) return { ok: false, errors: { from: `Use a window from ${FIRST_DAY} to ${LAST_DAY}.` } };
  if (daysBetween(from, to) > MAX_DAYS) return { ok: false, errors: { from: `At most ${MAX_DAYS} days at once.` } };
  return {
    ok: true,
    filter: { from, to, journey: f.journey ?? null, tier: f.tier ?? null, channel: f.channel ?? null, lang: f.lang ?? null },
  };
}

/** The same-length window that ends the day before `from`: what "change" compares with. */
export function previousPeriod(filter: Pick<InsightFilter, "from" | "to">): { from: string; to: string } {
  const length = daysBetween(filter.from, filter.to);
  return { from: addDays(filter.from, -length), to: addDays(filter.from, -1) };
}

/** Query parameters that reproduce the filter in a page URL (for links and exports). */
export function filterParams(
  filter: InsightFilter,
  extra: Record<string, string | number | null | undefined> = {},
  langParam = PAGE_LANG_PARAM,
): URLSearchParams {
  const params = new URLSearchParams();
  params.set("from", filter.from);
  params.set("to", filter.to);
  for (const key of ["journey", "tier", "channel"] as const) {
    const value = filter[key];
    if (value) params.set(key, value);
  }
  if (filter.lang) params.set(langParam, filter.lang);
  for (const [key, value] of Object.entries(extra)) {
    if (value !== null && value !== undefined && value !== "") params.set(key, String(value));
  }
  return params;
}

/** The bucket a day falls in: the Monday that starts its ISO week, or its month as YYYY-MM. */
export function bucketOf(day: string, bucket: Bucket): string {
  return bucket === "month" ? day.slice(0, 7) : weekOf(day);
}

/**
 * Every bucket the window touches, in order, so a trend shows empty weeks as gaps. Callers pass a
 * parsed filter (at most MAX_DAYS, inside FIRST_DAY..LAST_DAY); the bound below makes a window that
 * did not come through the parser fail loudly instead of looping.
 */
export function bucketsBetween(from: string, to: string, bucket: Bucket): string[] {
  if (!isRealDay(from) || !isRealDay(to) || from < FIRST_DAY || to > LAST_DAY) {
    throw new RangeError(`bucketsBetween: ${from}..${to} is outside ${FIRST_DAY}..${LAST_DAY}`);
  }
  const out: string[] = [];
  let current = bucketOf(from, bucket);
  const last = bucketOf(to, bucket);
  while (current <= last) {
    out.push(current);
    current =
      bucket === "week"
        ? addDays(current, 7)
        : (() => {
            const [y, m] = current.split("-").map(Number);
            return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, "0")}`;
          })();
  }
  return out;
}
