// The weekly level's calendar: the Monday a day rolls into, and the split of a window into whole
// ISO weeks and leftover days (edges by hand, then every property on many random windows).
import { describe, expect, it } from "vitest";
import { addDays, bucketOf, daysBetween } from "~/cem/insights-filters";
import { splitWindow, weekOf } from "~/cem/rollup-weeks";

/** A seeded generator (LCG), so a failing window replays. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => (state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0) / 4_294_967_296;
}

const range = (from: string, to: string) => Array.from({ length: daysBetween(from, to) }, (_, i) => addDays(from, i));

describe("weekOf", () => {
  it("gives the Monday of the ISO week, Sunday belonging to the week before", () => {
    expect(weekOf("2025-03-03")).toBe("2025-03-03"); // Monday
    expect(weekOf("2025-03-09")).toBe("2025-03-03"); // Sunday
    expect(weekOf("2025-03-10")).toBe("2025-03-10");
    expect(weekOf("2024-03-01")).toBe("2024-02-26"); // across a leap day
  });

  it("crosses year ends, including ISO week 53", () => {
    // 2020-W53 runs Monday 2020-12-28 to Sunday 2021-01-03; 2021-W01 starts on 2021-01-04.
    expect(weekOf("2021-01-01")).toBe("2020-12-28");
    expect(weekOf("2021-01-03")).toBe("2020-12-28");
    expect(weekOf("2021-01-04")).toBe("2021-01-04");
    // 2026-W53: Monday 2026-12-28 to Sunday 2027-01-03.
    expect(weekOf("2027-01-02")).toBe("2026-12-28");
    // 2025-01-01 is a Wednesday in 2025-W01, which starts in 2024.
    expect(weekOf("2025-01-01")).toBe("2024-12-30");
  });

  it("is the week bucket of trends", () => {
    for (const day of range("2024-12-20", "2025-01-20")) expect(bucketOf(day, "week")).toBe(weekOf(day));
  });
});

describe("splitWindow", () => {
  it("keeps a window shorter than a week as days", () => {
    expect(splitWindow("2025-03-05", "2025-03-05")).toEqual({ weeks: [], days: ["2025-03-05"] });
    expect(splitWindow("2025-03-03", "2025-03-08")).toEqual({ weeks: [], days: range("2025-03-03", "2025-03-08") }); // Mon–Sat
    // Seven days, but Tuesday to Monday: no whole ISO week inside.
    expect(splitWindow("2025-03-04", "2025-03-10")).toEqual({ weeks: [], days: range("2025-03-04", "2025-03-10") });
  });

  it("reads exactly one ISO week, Monday to Sunday, as that week", () => {
    expect(splitWindow("2025-03-03", "2025-03-09")).toEqual({ weeks: ["2025-03-03"], days: [] });
  });

  it("starting on a Monday leaves days only at the end", () => {
    expect(splitWindow("2025-03-03", "2025-03-19")).toEqual({ weeks: ["2025-03-03", "2025-03-10"], days: range("2025-03-17", "2025-03-19") });
  });

  it("ending on a Sunday leaves days only at the start", () => {
    expect(splitWindow("2025-02-27", "2025-03-16")).toEqual({ weeks: ["2025-03-03", "2025-03-10"], days: range("2025-02-27", "2025-03-02") });
  });

  it("leaves at most six days at each edge", () => {
    // Tuesday to Monday (91 days): six leading days, twelve whole weeks, the closing Monday.
    const split = splitWindow("2025-01-07", "2025-04-07");
    expect(split.days).toEqual([...range("2025-01-07", "2025-01-12"), "2025-04-07"]);
    expect(split.weeks).toHaveLength(12);
    expect(split.weeks[0]).toBe("2025-01-13");
    expect(split.weeks.at(-1)).toBe("2025-03-31");
  });

  it("ignores month boundaries unless asked: by month, a straddling week stays as days", () => {
    // 2025-03-31 is a Monday: its week runs into April.
    expect(splitWindow("2025-03-24", "2025-04-13").weeks).toEqual(["2025-03-24", "2025-03-31", "2025-04-07"]);
    expect(splitWindow("2025-03-24", "2025-04-13", { months: true })).toEqual({
      weeks: ["2025-03-24", "2025-04-07"],
      days: range("2025-03-31", "2025-04-06"),
    });
    // A week ending on the last day of the month is whole by month too (2025-08-25 … 2025-08-31).
    expect(splitWindow("2025-08-25", "2025-09-07", { months: true }).weeks).toEqual(["2025-08-25", "2025-09-01"]);
    // A leap February: 2024-02-26 … 2024-03-03 straddles.
    expect(splitWindow("2024-02-19", "2024-03-10", { months: true }).weeks).toEqual(["2024-02-19", "2024-03-04"]);
  });

  it("crosses the year end through ISO week 53", () => {
    expect(splitWindow("2020-12-20", "2021-01-10")).toEqual({ weeks: ["2020-12-21", "2020-12-28", "2021-01-04"], days: ["2020-12-20"] });
    expect(splitWindow("2020-12-20", "2021-01-10", { months: true })).toEqual({
      weeks: ["2020-12-21", "2021-01-04"],
      days: ["2020-12-20", ...range("2020-12-28", "2021-01-03")],
    });
    expect(splitWindow("2026-12-28", "2027-01-03")).toEqual({ weeks: ["2026-12-28"], days: [] });
  });

  it("covers every day of any window exactly once, with every whole week taken", () => {
    const rand = random(2_024);
    for (let i = 0; i < 400; i++) {
      const from = addDays("2019-06-01", Math.floor(rand() * 3000));
      const to = addDays(from, Math.floor(rand() * (i % 4 === 0 ? 20 : 1098)));
      for (const months of [false, true]) {
        const { weeks, days } = splitWindow(from, to, { months });
        const covered = [...weeks.flatMap((w) => range(w, addDays(w, 6))), ...days].sort();
        expect(covered).toEqual(range(from, to));
        expect([...weeks].sort()).toEqual(weeks);
        expect([...days].sort()).toEqual(days);
        for (const w of weeks) {
          expect(weekOf(w)).toBe(w);
          if (months) expect(addDays(w, 6).slice(0, 7)).toBe(w.slice(0, 7));
        }
        // Nothing left as days that could have been a week (maximal): no leftover Monday whose
        // whole week (within one month, by month) is inside the window.
        for (const d of days) {
          const whole = weekOf(d) === d && addDays(d, 6) <= to && (!months || addDays(d, 6).slice(0, 7) === d.slice(0, 7));
          expect(whole).toBe(false);
        }
        if (!months) {
          expect(days.filter((d) => weeks.length > 0 && d > weeks[0] && d < addDays(weeks.at(-1)!, 7))).toEqual([]);
          if (weeks.length > 0) expect(days.length).toBeLessThanOrEqual(12);
        }
      }
    }
  });
});
