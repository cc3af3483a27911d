// The experience curve's geometry: points at the cards' centres in journey order, zero at the middle
// of a symmetric scale, the interval as a whisker around the mean, touchpoints without a gap left out.
import { describe, expect, it } from "vitest";
import { layoutEmotionCurve } from "~/components/charts/emotion-curve-layout";

const cards = [
  { key: "b", name: "B", index: 1, x: 300, w: 100 },
  { key: "a", name: "A", index: 0, x: 100, w: 100 },
  { key: "c", name: "C", index: 2, x: 500, w: 100 },
];

describe("emotion curve layout", () => {
  it("places each gap at its card's centre, in journey order, on a scale symmetric around zero", () => {
    const layout = layoutEmotionCurve(cards, { a: { mean: -1, lo: -1.5, hi: -0.5, n: 20 }, b: { mean: 0.5, lo: 0, hi: 1, n: 12 } }, { width: 700, height: 140 });
    expect(layout.points.map((p) => [p.key, p.x])).toEqual([["a", 150], ["b", 350]]);
    // Domain [-1.5, 1.5] onto [122, 18]: zero in the middle, -1 two thirds of the way down.
    expect(layout.zeroY).toBeCloseTo(70, 6);
    expect(layout.points[0].y).toBeCloseTo(70 + 52 * (1 / 1.5), 6);
    expect(layout.points[0].yLo).toBeGreaterThan(layout.points[0].y);
    expect(layout.points[0].yHi).toBeLessThan(layout.points[0].y);
    expect(layout.path.startsWith("M150,")).toBe(true);
  });

  it("draws nothing without gaps", () => {
    const layout = layoutEmotionCurve(cards, {}, { width: 700 });
    expect(layout.points).toEqual([]);
    expect(layout.path).toBe("");
  });
});
