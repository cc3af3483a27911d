// When an invitation e-mail may go out: inside the deployment's daily send window, read on the wall
// clock of the workspace's time zone (so 09:00–20:00 Europe/Madrid stays 09:00–20:00 across the
// change to and from summer time), and when each reminder falls due. Pure; time zones through Intl.

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** [start, end) in minutes after local midnight; start < end (a window does not cross midnight). */
export type SendWindow = { start: number; end: number };

export const DEFAULT_WINDOW: SendWindow = { start: 9 * 60, end: 20 * 60 };

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

type WallClock = { year: number; month: number; day: number; minutes: number };

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric" });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The wall clock of `timeZone` at an instant (to the minute). */
export function wallClock(at: Date, timeZone: string): WallClock {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(at)) if (p.type !== "literal") parts[p.type] = Number(p.value);
  return { year: parts.year, month: parts.month, day: parts.day, minutes: parts.hour * 60 + parts.minute };
}

/** The zone's offset from UTC at an instant, in ms (Madrid in winter: +3 600 000). */
function offsetAt(at: number, timeZone: string): number {
  const w = wallClock(new Date(at), timeZone);
  const seconds = new Date(at).getUTCSeconds() * 1000 + new Date(at).getUTCMilliseconds();
  return Date.UTC(w.year, w.month - 1, w.day, 0, w.minutes) + seconds - at;
}

/**
 * The instant a wall-clock time happens in the zone. A time that does not exist (skipped when the
 * clocks go forward) is taken as the same number of minutes after the jump; a time that happens twice
 * (clocks going back) is the first of the two.
 */
export function instantOf(year: number, month: number, day: number, minutes: number, timeZone: string): Date {
  const naive = Date.UTC(year, month - 1, day, 0, minutes);
  // The offsets in force half a day either side: the same on an ordinary day, the two offsets on a
  // day the clocks change. Each gives a candidate; keep those that read back as the asked time.
  const before = offsetAt(naive - DAY_MS / 2, timeZone);
  const after = offsetAt(naive + DAY_MS / 2, timeZone);
  const candidates = [naive - before, naive - after].filter((c) => {
    const w = wallClock(new Date(c), timeZone);
    return Date.UTC(w.year, w.month - 1, w.day, 0, w.minutes) === naive;
  });
  if (candidates.length > 0) return new Date(Math.min(...candidates));
  // In a gap: the offset before the jump puts the time that far past it.
  return new Date(naive - before);
}

/** Whether `at` falls inside the window on the zone's wall clock. */
export function insideWindow(at: Date, window: SendWindow, timeZone: string): boolean {
  const { minutes } = wallClock(at, timeZone);
  return minutes >= window.start && minutes < window.end;
}

/** `at` itself when inside the window, else the next opening of the window (today's or tomorrow's). */
export function nextSendInstant(at: Date, window: SendWindow, timeZone: string): Date {
  if (insideWindow(at, window, timeZone)) return at;
  const w = wallClock(at, timeZone);
  if (w.minutes < window.start) return instantOf(w.year, w.month, w.day, window.start, timeZone);
  // Past today's end: tomorrow's start (the calendar day after, whatever its length).
  const tomorrow = new Date(Date.UTC(w.year, w.month - 1, w.day + 1));
  return instantOf(tomorrow.getUTCFullYear(), tomorrow.getUTCMonth() + 1, tomorrow.getUTCDate(), window.start, timeZone);
}

export function parseClock(text: string): number | null {
  const m = /^(\d{1,2}):(\d{2})$/.exec(text.trim());
  if (!m) return null;
  const minutes = Number(m[1]) * 60 + Number(m[2]);
  return Number(m[1]) <= 24 && Number(m[2]) < 60 && minutes <= 24 * 60 ? minutes : null;
}

export function formatClock(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
}

export const MAX_REMINDERS = 2;

/**
 * When each reminder falls due: the k-th `days` × k after the invitation was sent, kept only while
 * the link is still valid then (a reminder for a link that has expired is never planned).
 * The send window moves each to its next opening when it is sent.
 */
export function reminderSchedule(sentAt: Date, expiresAt: Date, reminders: number, days: number): Date[] {
  const due: Date[] = [];
  for (let k = 1; k <= Math.min(reminders, MAX_REMINDERS); k++) {
    const at = new Date(sentAt.getTime() + k * days * DAY_MS);
    if (at.getTime() < expiresAt.getTime()) due.push(at);
  }
  return due;
}

/** Whether a reminder still goes out: not answered, link valid, the customer reachable. */
export function reminderStillWanted(input: { state: string; expiresAt: Date; optedOut: boolean; bounced: boolean }, now: Date): boolean {
  if (input.optedOut || input.bounced) return false;
  if (input.state !== "pending" && input.state !== "opened") return false;
  return input.expiresAt.getTime() > now.getTime();
}

/** Messages a workspace may still send in the current minute at `ratePerMinute` (a sliding minute). */
export function sendAllowance(ratePerMinute: number, sentInLastMinute: number): number {
  return Math.max(0, ratePerMinute - sentInLastMinute);
}

export { MINUTE_MS };
