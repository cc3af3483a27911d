// When digests go out: weekly on Monday at 07:00 and monthly on the 1st at 07:00, on the wall clock of
// the workspace's time zone (07:00 Madrid stays 07:00 across the change to and from summer time),
// and which period a send belongs to, so each member gets one digest per period. Pure.
import { instantOf, wallClock } from "./send-window";

export const DIGEST_FREQUENCIES = ["weekly", "monthly"] as const;
export type DigestFrequency = (typeof DIGEST_FREQUENCIES)[number];

/** The local time digests go out at, in minutes after midnight. */
export const DIGEST_MINUTES = 7 * 60;

const DAY_MS = 86_400_000;

/** A period: its name ("2026-12-07", the week's Monday; "2026-12", the month) and the instant it starts. */
export type DigestPeriod = { period: string; startsAt: Date };

type LocalDay = { year: number; month: number; day: number };
const dayText = (d: LocalDay) => `${d.year}-${String(d.month).padStart(2, "0")}-${String(d.day).padStart(2, "0")}`;
/** Calendar arithmetic on a local date (no instants, so no offsets involved). */
function shiftDays(d: LocalDay, days: number): LocalDay {
  const t = new Date(Date.UTC(d.year, d.month - 1, d.day) + days * DAY_MS);
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}
const start = (d: LocalDay, timeZone: string) => instantOf(d.year, d.month, d.day, DIGEST_MINUTES, timeZone);

function periodOf(d: LocalDay, frequency: DigestFrequency, timeZone: string): DigestPeriod {
  return frequency === "weekly"
    ? { period: dayText(d), startsAt: start(d, timeZone) }
    : { period: dayText(d).slice(0, 7), startsAt: start(d, timeZone) };
}

/** The first day of the period holding the local date (its Monday, or the 1st). */
function firstDay(d: LocalDay, frequency: DigestFrequency): LocalDay {
  if (frequency === "monthly") return { ...d, day: 1 };
  const weekday = new Date(Date.UTC(d.year, d.month - 1, d.day)).getUTCDay(); // 0 = Sunday
  return shiftDays(d, -((weekday + 6) % 7));
}

/** The previous or next period's first day. */
function stepPeriod(d: LocalDay, frequency: DigestFrequency, by: 1 | -1): LocalDay {
  if (frequency === "weekly") return shiftDays(d, 7 * by);
  const m = d.month - 1 + by;
  return { year: d.year + Math.floor(m / 12), month: ((m % 12) + 12) % 12 + 1, day: 1 };
}

/** The period whose send time is the latest at or before `now`: the digest due (or sent) by then. */
export function digestPeriodAt(now: Date, frequency: DigestFrequency, timeZone: string): DigestPeriod {
  const w = wallClock(now, timeZone);
  let first = firstDay({ year: w.year, month: w.month, day: w.day }, frequency);
  if (start(first, timeZone).getTime() > now.getTime()) first = stepPeriod(first, frequency, -1);
  return periodOf(first, frequency, timeZone);
}

/** The next send time strictly after `now`. */
export function nextDigestAt(now: Date, frequency: DigestFrequency, timeZone: string): Date {
  const current = digestPeriodAt(now, frequency, timeZone);
  const [y, m, d] = (frequency === "weekly" ? current.period : `${current.period}-01`).split("-").map(Number);
  return start(stepPeriod({ year: y, month: m, day: d }, frequency, 1), timeZone);
}

/**
 * Whether a member is owed the digest of the period due at `now`: subscribed before the period's
 * send time (someone subscribing on a Wednesday waits for Monday), and not sent it yet.
 */
export function digestOwed(subscribedAt: Date, due: DigestPeriod, alreadySent: boolean): boolean {
  return !alreadySent && subscribedAt.getTime() <= due.startsAt.getTime();
}
