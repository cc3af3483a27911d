import { describe, expect, it } from "vitest";
import { equalWindows, inRange, innovationSchema } from "~/cem/innovation";

describe("equalWindows", () => {
  it("puts equal windows either side, leaving out the change day", () => {
    expect(equalWindows("2025-03-10", 7, "2025-04-01")).toEqual({
      before: { from: "2025-03-03", to: "2025-03-09" },
      after: { from: "2025-03-11", to: "2025-03-17" },
      days: 7,
    });
  });

  it("clips the after window to the last complete day and shortens the before window to match", () => {
    // Today is the 14th: the 11th, 12th and 13th are complete → 3 days each side, nearest the change.
    expect(equalWindows("2025-03-10", 7, "2025-03-14")).toEqual({
      before: { from: "2025-03-07", to: "2025-03-09" },
      after: { from: "2025-03-11", to: "2025-03-13" },
      days: 3,
    });
  });

  it("has nothing to compare until a full day has passed after the change", () => {
    expect(equalWindows("2025-03-10", 7, "2025-03-11")).toBeNull();
    expect(equalWindows("2025-03-10", 7, "2025-03-10")).toBeNull();
    expect(equalWindows("2025-03-10", 7, "2025-03-01")).toBeNull();
    expect(equalWindows("2025-03-10", 7, "2025-03-12")?.days).toBe(1);
  });

  it("crosses month, year and leap-day boundaries", () => {
    expect(equalWindows("2025-01-01", 3, "2025-02-01")).toEqual({
      before: { from: "2024-12-29", to: "2024-12-31" },
      after: { from: "2025-01-02", to: "2025-01-04" },
      days: 3,
    });
    expect(equalWindows("2024-03-01", 2, "2024-06-01")?.before).toEqual({ from: "2024-02-28", to: "2024-02-29" });
  });

  it("rejects bad input", () => {
    expect(() => equalWindows("2025-3-10", 7, "2025-04-01")).toThrow();
    expect(() => equalWindows("2025-03-10", 0, "2025-04-01")).toThrow();
    expect(() => equalWindows("2025-03-10", 1.5, "2025-04-01")).toThrow();
  });

  it("inRange includes both ends", () => {
    const range = { from: "2025-03-03", to: "2025-03-09" };
    expect(["2025-03-02", "2025-03-03", "2025-03-09", "2025-03-10"].map((d) => inRange(d, range))).toEqual([false, true, true, false]);
  });
});

describe("innovationSchema", () => {
  const valid = {
    id: "inn_1",
    title: "Express checkout",
    changedAt: "2025-03-10",
    touchpointKeys: ["checkout"],
    whatChanged: "Two-step payment instead of five",
    hypothesis: "Waiting-time gap at checkout improves by at least 0.5",
    owner: "ops-lead",
  };
  it("accepts a complete innovation and rejects a missing touchpoint or a bad date", () => {
    expect(innovationSchema.parse(valid)).toEqual(valid);
    expect(innovationSchema.safeParse({ ...valid, touchpointKeys: [] }).success).toBe(false);
    expect(innovationSchema.safeParse({ ...valid, changedAt: "10/03/2025" }).success).toBe(false);
    expect(innovationSchema.safeParse({ ...valid, hypothesis: "  " }).success).toBe(false);
  });
});
