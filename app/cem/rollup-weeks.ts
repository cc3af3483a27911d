// The weekly level of the rollups: the Monday a day rolls up into, and how a date window splits
// into whole ISO weeks (summed once per week) and the days left over at its edges, so a long window
// reads a seventh of the rows. Days are UTC "YYYY-MM-DD". Pure.

const DAY_MS = 86_400_000;

const msOf = (day: string) => Date.parse(`${day}T00:00:00Z`);
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The Monday that starts the ISO week `day` falls in (ISO weeks run Monday to Sunday). */
export function weekOf(day: string): string {
  const ms = msOf(day);
  const weekday = new Date(ms).getUTCDay(); // 0 = Sunday
  return dayOf(ms - ((weekday + 6) % 7) * DAY_MS);
}

export type WindowSplit = {
  /** Mondays of the weeks that lie wholly inside the window, ascending. */
  weeks: string[];
  /** Every other day of the window, ascending. */
  days: string[];
};

/**
 * [from, to] (both included) as whole weeks plus leftover days: every day of the window is in
 * exactly one of them (a day through its Monday). With `months`, a week that straddles the end of
 * a month stays as days, so each piece lies in one calendar month (trends bucketed by month).
 */
export function splitWindow(from: string, to: string, options: { months?: boolean } = {}): WindowSplit {
  const weeks: string[] = [];
  const days: string[] = [];
  const last = msOf(to);
  for (let ms = msOf(from); ms <= last; ) {
    const day = dayOf(ms);
    const sunday = ms + 6 * DAY_MS;
    const whole = new Date(ms).getUTCDay() === 1 && sunday <= last && (!options.months || dayOf(sunday).slice(0, 7) === day.slice(0, 7));
    if (whole) {
      weeks.push(day);
      ms += 7 * DAY_MS;
    } else {
      days.push(day);
      ms += DAY_MS;
    }
  }
  return { weeks, days };
}
