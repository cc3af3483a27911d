// Service levels for follow-up cases: the due time by customer tier (Premium gets the fastest answer),
// optional business hours, and the report of time to first action and to resolution.
import { z } from "zod";

export type Tier = "premium" | "regular" | "generic";

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;
const DAY_MINUTES = 24 * 60;

const clockTime = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, "Use HH:MM, 24-hour clock");

/**
 * Working week of the team that handles cases. A fixed UTC offset (not an IANA zone) keeps this pure
 * and predictable; a team whose country shifts to summer time updates the offset twice a year.
 */
export const businessHoursSchema = z
  .object({
    utcOffsetMinutes: z.number().int().min(-14 * 60).max(14 * 60).default(0),
    /** ISO weekdays: 1 = Monday … 7 = Sunday. */
    days: z.array(z.number().int().min(1).max(7)).min(1).default([1, 2, 3, 4, 5]),
    start: clockTime.default("09:00"),
    end: clockTime.default("18:00"),
  })
  .refine((b) => minutesOfDay(b.start) < minutesOfDay(b.end), {
    message: "The working day must end after it starts",
    path: ["end"],
  });

export type BusinessHours = z.output<typeof businessHoursSchema>;

export const slaSettingsSchema = z.object({
  hoursByTier: z
    .object({
      premium: z.number().positive().default(24),
      regular: z.number().positive().default(48),
      generic: z.number().positive().default(72),
    })
    .prefault({}),
  /** null: the SLA runs on calendar hours, nights and weekends included. */
  businessHours: businessHoursSchema.nullable().default(null),
});

export type SlaSettings = z.output<typeof slaSettingsSchema>;

export const defaultSlaSettings: SlaSettings = slaSettingsSchema.parse({});

/** Tier names arrive from segmentation and CRM imports in any case; anything unknown is served as Generic. */
export function tierOf(tier: string | null | undefined): Tier {
  const t = tier?.trim().toLowerCase();
  return t === "premium" || t === "regular" ? t : "generic";
}

export function slaHours(tier: string | null | undefined, settings: SlaSettings = defaultSlaSettings): number {
  return settings.hoursByTier[tierOf(tier)];
}

/** When a case opened at `openedAt` for a customer of `tier` is due. */
export function dueAt(openedAt: Date, tier: string | null | undefined, settings: SlaSettings = defaultSlaSettings): Date {
  const hours = slaHours(tier, settings);
  if (!settings.businessHours) return new Date(openedAt.getTime() + hours * HOUR_MS);
  return addBusinessHours(openedAt, hours, settings.businessHours);
}

/**
 * Adds working time to an instant. A case opened outside the working window starts its clock at the
 * next opening; a due time that lands exactly on closing time stays there rather than moving to the
 * next morning.
 */
export function addBusinessHours(from: Date, hours: number, calendar: BusinessHours): Date {
  if (hours <= 0) return new Date(from.getTime());
  let remaining = hours * 60; // minutes
  const offsetMs = calendar.utcOffsetMinutes * MINUTE_MS;
  const open = minutesOfDay(calendar.start);
  const close = minutesOfDay(calendar.end);
  // Work on the team's wall clock: shift by the offset and read the UTC fields.
  let local = from.getTime() + offsetMs;
  // A week holds at least one working day, so this bound is generous for any realistic SLA.
  for (let guard = 0; guard < 20_000; guard++) {
    const dayStart = startOfUtcDay(local);
    const nowMin = (local - dayStart) / MINUTE_MS;
    if (calendar.days.includes(isoWeekday(dayStart)) && nowMin < close) {
      const clockStart = Math.max(nowMin, open);
      const available = close - clockStart;
      if (remaining <= available) return new Date(dayStart + (clockStart + remaining) * MINUTE_MS - offsetMs);
      remaining -= available;
    }
    local = dayStart + DAY_MINUTES * MINUTE_MS;
  }
  throw new Error("Business hours calendar never reaches the due time");
}

/** Working hours between two instants (0 when `b` is not after `a`). */
export function businessHoursBetween(a: Date, b: Date, calendar: BusinessHours): number {
  if (b.getTime() <= a.getTime()) return 0;
  const offsetMs = calendar.utcOffsetMinutes * MINUTE_MS;
  const open = minutesOfDay(calendar.start);
  const close = minutesOfDay(calendar.end);
  const startLocal = a.getTime() + offsetMs;
  const endLocal = b.getTime() + offsetMs;
  let total = 0;
  for (let day = startOfUtcDay(startLocal); day < endLocal; day += DAY_MINUTES * MINUTE_MS) {
    if (!calendar.days.includes(isoWeekday(day))) continue;
    const windowStart = Math.max(day + open * MINUTE_MS, startLocal);
    const windowEnd = Math.min(day + close * MINUTE_MS, endLocal);
    if (windowEnd > windowStart) total += windowEnd - windowStart;
  }
  return total / HOUR_MS;
}

export type CaseClock = {
  dueAt: Date;
  resolvedAt?: Date | null;
  status?: string;
};

/** A case is overdue while unresolved past its due time; one resolved late is late, no longer overdue. */
export function isOverdue(c: CaseClock, now: Date): boolean {
  if (c.resolvedAt || c.status === "resolved" || c.status === "closed") return false;
  return now.getTime() > c.dueAt.getTime();
}

export type SlaCase = {
  tier: string | null;
  process: string | null;
  openedAt: Date;
  firstActionAt: Date | null;
  resolvedAt: Date | null;
  dueAt: Date;
};

export type DurationSummary = { n: number; medianHours: number | null; meanHours: number | null };

export type SlaSummary = {
  /** Cases in the group. */
  n: number;
  firstAction: DurationSummary;
  resolution: DurationSummary;
  /** Cases resolved by their due time, over the cases whose SLA outcome is known. */
  withinSla: { met: number; n: number; share: number | null };
};

export type SlaGroup = SlaSummary & { key: string | null };

export type SlaReport = { overall: SlaSummary; byProcess: SlaGroup[]; byTier: SlaGroup[] };

export type SlaReportOptions = {
  /** With `now`, an open case already past due counts as a miss; without it only resolved cases count. */
  now?: Date;
  /** Measure durations in working hours, consistent with an SLA that runs on business hours. */
  businessHours?: BusinessHours | null;
};

/**
 * Time to first action and to resolution, and the share resolved within SLA, overall, per process and
 * per tier. An open case that is not yet due has no verdict, so it stays out of the share's denominator.
 */
export function slaReport(cases: SlaCase[], options: SlaReportOptions = {}): SlaReport {
  const byProcess = groupBy(cases, (c) => c.process);
  const byTier = groupBy(cases, (c) => tierOf(c.tier));
  return {
    overall: summarise(cases, options),
    byProcess: [...byProcess].map(([key, group]) => ({ key, ...summarise(group, options) })),
    byTier: [...byTier].map(([key, group]) => ({ key, ...summarise(group, options) })),
  };
}

function summarise(cases: SlaCase[], options: SlaReportOptions): SlaSummary {
  const hours = (a: Date, b: Date) =>
    options.businessHours
      ? businessHoursBetween(a, b, options.businessHours)
      : Math.max(0, b.getTime() - a.getTime()) / HOUR_MS;
  const toFirstAction = cases.flatMap((c) => (c.firstActionAt ? [hours(c.openedAt, c.firstActionAt)] : []));
  const toResolution = cases.flatMap((c) => (c.resolvedAt ? [hours(c.openedAt, c.resolvedAt)] : []));

  let met = 0;
  let decided = 0;
  for (const c of cases) {
    if (c.resolvedAt) {
      decided += 1;
      if (c.resolvedAt.getTime() <= c.dueAt.getTime()) met += 1;
    } else if (options.now && options.now.getTime() > c.dueAt.getTime()) {
      decided += 1;
    }
  }
  return {
    n: cases.length,
    firstAction: describe(toFirstAction),
    resolution: describe(toResolution),
    withinSla: { met, n: decided, share: decided > 0 ? met / decided : null },
  };
}

function describe(values: number[]): DurationSummary {
  if (values.length === 0) return { n: 0, medianHours: null, meanHours: null };
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  return { n: values.length, medianHours: median, meanHours: mean };
}

function groupBy<K>(cases: SlaCase[], keyOf: (c: SlaCase) => K): Map<K, SlaCase[]> {
  const groups = new Map<K, SlaCase[]>();
  for (const c of cases) {
    const key = keyOf(c);
    const group = groups.get(key);
    if (group) group.push(c);
    else groups.set(key, [c]);
  }
  return new Map([...groups].sort(([a], [b]) => String(a ?? "").localeCompare(String(b ?? ""))));
}

function minutesOfDay(clock: string): number {
  const [h, m] = clock.split(":").map(Number);
  return h * 60 + m;
}

function startOfUtcDay(ms: number): number {
  return Math.floor(ms / (DAY_MINUTES * MINUTE_MS)) * DAY_MINUTES * MINUTE_MS;
}

function isoWeekday(dayStartMs: number): number {
  const d = new Date(dayStartMs).getUTCDay();
  return d === 0 ? 7 : d;
}
