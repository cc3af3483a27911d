// Continuous innovation (Schmitt's fifth step): a dated change at one or more touchpoints, and the equal
// before/after windows in which its effect on the gap is read.
import { z } from "zod";

const isoDate = z.iso.date();

export const innovationSchema = z.object({
  id: z.string().min(1),
  title: z.string().trim().min(1, "Give the change a title"),
  /** The day the change reached customers (YYYY-MM-DD). */
  changedAt: isoDate,
  touchpointKeys: z.array(z.string().min(1)).min(1, "Name at least one touchpoint the change touched"),
  whatChanged: z.string().trim().min(1, "Say what changed"),
  /** What should move and in which direction, written before looking at the numbers. */
  hypothesis: z.string().trim().min(1, "State the expected effect"),
  owner: z.string().trim().min(1),
});

export type Innovation = z.output<typeof innovationSchema>;

/** The longest before/after window an effect is read over, in days. */
export const MAX_WINDOW_DAYS = 365;

/** Inclusive range of calendar days, YYYY-MM-DD. */
export type DayRange = { from: string; to: string };

export type EqualWindows = { before: DayRange; after: DayRange; days: number };

const DAY_MS = 86_400_000;

/**
 * Equal-length windows either side of a change, for a fair before/after comparison.
 *
 * - The change day itself belongs to neither window: on that day customers met both the old and the new
 *   touchpoint, and which one a response reflects is unknown.
 * - The after window is clipped to today, and ends on the last complete day (yesterday): today's
 *   responses are still arriving, and a partial day would count as a whole one.
 * - The before window is shortened to the same length and keeps the days nearest the change, so both
 *   sides are as alike in season as possible and neither side has more days to accumulate responses.
 *
 * Returns null when no complete day has passed since the change yet (nothing to compare).
 */
export function equalWindows(changedAt: string, windowDays: number, today: string): EqualWindows | null {
  if (!Number.isInteger(windowDays) || windowDays < 1) throw new Error("A window is a whole number of days, at least 1");
  const change = dayNumber(changedAt);
  const lastCompleteDay = dayNumber(today) - 1;
  const days = Math.min(windowDays, lastCompleteDay - change);
  if (days < 1) return null;
  return {
    before: { from: isoDay(change - days), to: isoDay(change - 1) },
    after: { from: isoDay(change + 1), to: isoDay(change + days) },
    days,
  };
}

/** Whether a day (YYYY-MM-DD) lies in a range, both ends included. */
export function inRange(day: string, range: DayRange): boolean {
  return day >= range.from && day <= range.to;
}

/** Days since the epoch for a YYYY-MM-DD calendar date; dates are civil days, so UTC avoids DST shifts. */
function dayNumber(day: string): number {
  if (!isoDate.safeParse(day).success) throw new Error(`Expected a date as YYYY-MM-DD, got "${day}"`);
  return Math.round(Date.parse(`${day}T00:00:00Z`) / DAY_MS);
}

function isoDay(dayNumber: number): string {
  return new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);
}
