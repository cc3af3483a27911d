// RFM quintiles with ties, customers without purchases, and the R × FM segment grid.
import { describe, expect, it } from "vitest";
import { quintileScores, rfmScores, rfmSegment, RFM_SEGMENTS } from "~/cem/rfm";
import type { CustomerBehaviour } from "~/cem/segmentation";

const customer = (customerId: string, recencyDays: number | null, frequency: number, monetary: number): CustomerBehaviour => ({
  customerId,
  recencyDays,
  frequency,
  monetary,
  averageTicket: frequency ? monetary / frequency : 0,
  tenureDays: 400,
  hasPurchases: frequency > 0,
});

describe("quintileScores", () => {
  it("spreads distinct values over 1–5 by rank", () => {
    expect(quintileScores([10, 20, 30, 40, 50])).toEqual([1, 2, 3, 4, 5]);
    expect(quintileScores([5, 1, 9, 3, 7, 2, 8, 4, 10, 6])).toEqual([3, 1, 5, 2, 4, 1, 4, 2, 5, 3]);
    expect(quintileScores([1, 2])).toEqual([1, 5]);
  });

  it("keeps ties together at the quintile of the first of them", () => {
    // Seven one-time buyers out of ten all stay at F = 1.
    expect(quintileScores([1, 1, 1, 1, 1, 1, 1, 2, 3, 5])).toEqual([1, 1, 1, 1, 1, 1, 1, 4, 5, 5]);
    expect(quintileScores([3, 3, 9, 1, 3])).toEqual([2, 2, 5, 1, 2]);
  });

  it("gives the middle score when nothing can be ranked", () => {
    expect(quintileScores([42])).toEqual([3]);
    expect(quintileScores([7, 7, 7])).toEqual([3, 3, 3]);
    expect(quintileScores([])).toEqual([]);
  });
});

describe("rfmSegment", () => {
  it.each([
    [5, 5, 4, "champions"], // FM 4.5 rounds up to 5
    [4, 4, 4, "loyal"],
    [3, 5, 4, "loyal"],
    [5, 2, 3, "potential_loyalist"],
    [5, 1, 1, "new"],
    [4, 1, 1, "new"], // "promising", folded into new
    [3, 3, 3, "need_attention"],
    [2, 3, 3, "at_risk"],
    [1, 5, 5, "at_risk"], // "cannot lose them", folded into at_risk
    [2, 2, 1, "hibernating"], // FM 1.5 rounds up to 2
    [3, 1, 2, "hibernating"], // "about to sleep", folded into hibernating
    [1, 1, 1, "lost"],
    [1, 2, 2, "lost"],
  ] as const)("R%i F%i M%i is %s", (r, f, m, segment) => {
    expect(rfmSegment(r, f, m)).toBe(segment);
  });

  it("reaches every one of the eight segments", () => {
    const reached = new Set<string>();
    for (let r = 1; r <= 5; r++) for (let f = 1; f <= 5; f++) for (let m = 1; m <= 5; m++) reached.add(rfmSegment(r, f, m));
    expect([...reached].sort()).toEqual([...RFM_SEGMENTS].sort());
  });
});

describe("rfmScores", () => {
  it("scores buyers by rank with recency reversed and ties together; non-buyers get 1-1-1", () => {
    const scores = rfmScores([
      customer("a", 1, 10, 1000),
      customer("b", 5, 5, 500),
      customer("c", 5, 2, 200), // same recency as b
      customer("d", 60, 1, 50),
      customer("e", 200, 1, 80), // same frequency as d
      customer("z", null, 0, 0),
    ]);
    expect(scores.map((s) => [s.customerId, s.code, s.segment])).toEqual([
      ["a", "555", "champions"],
      ["b", "344", "loyal"],
      ["c", "333", "need_attention"],
      ["d", "211", "hibernating"],
      ["e", "112", "lost"],
      ["z", "111", "lost"],
    ]);
  });

  it("gives a single buyer the middle of every scale", () => {
    expect(rfmScores([customer("solo", 3, 2, 90)])).toEqual([
      { customerId: "solo", r: 3, f: 3, m: 3, code: "333", segment: "need_attention" },
    ]);
  });

  it("does not rank a customer whose only purchases fall outside the window", () => {
    const lapsed: CustomerBehaviour = { ...customer("old", 500, 0, 0), recencyDays: 500 };
    const [scored] = rfmScores([lapsed, customer("x", 1, 1, 10), customer("y", 2, 1, 20)]);
    expect(scored).toMatchObject({ customerId: "old", code: "111", segment: "lost" });
  });
});
