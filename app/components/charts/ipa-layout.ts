// Geometry of the importance–performance grid (Martilla & James 1977): performance across,
// importance up, crosshairs at the means, one dot per attribute, the four quadrants labelled in
// their corners. Pure (d3-scale).
import { scaleLinear } from "d3";
import type { Quadrant } from "~/cem/statistics";

/** `label` is drawn beside the dot (keep it short: a number the table repeats); `name` is its tooltip. */
export type IpaDot = { key: string; label: string; name?: string; importance: number; performance: number; quadrant: Quadrant };
export type IpaLayout = {
  width: number;
  height: number;
  plot: { left: number; right: number; top: number; bottom: number };
  crossX: number;
  crossY: number;
  dots: (IpaDot & { x: number; y: number; labelAnchor: "start" | "end" })[];
  xTicks: { x: number; value: number }[];
  yTicks: { y: number; value: number }[];
  /** Where each quadrant's label goes: the outer corner of its quadrant. */
  quadrants: Record<Quadrant, { x: number; y: number; anchor: "start" | "end" }>;
};

function padded(values: number[], mean: number): [number, number] {
  const lo = Math.min(...values, mean);
  const hi = Math.max(...values, mean);
  const pad = (hi - lo || Math.abs(hi) || 1) * 0.12;
  return [lo - pad, hi + pad];
}

export function layoutIpa(
  dots: readonly IpaDot[],
  means: { importance: number; performance: number },
  options: { width?: number; height?: number } = {},
): IpaLayout {
  const width = options.width ?? 900;
  const height = options.height ?? 540;
  const plot = { left: 56, right: width - 16, top: 28, bottom: height - 44 };
  const x = scaleLinear().domain(padded(dots.map((d) => d.performance), means.performance)).range([plot.left, plot.right]).nice();
  const y = scaleLinear().domain(padded(dots.map((d) => d.importance), means.importance)).range([plot.bottom, plot.top]).nice();
  const crossX = x(means.performance);
  return {
    width,
    height,
    plot,
    crossX,
    crossY: y(means.importance),
    dots: dots.map((d) => {
      const px = x(d.performance);
      // Labels point away from the nearer edge so they stay inside the plot.
      return { ...d, x: px, y: y(d.importance), labelAnchor: px > (plot.left + plot.right) / 2 ? "end" : "start" };
    }),
    xTicks: x.ticks(6).map((value) => ({ x: x(value), value })),
    yTicks: y.ticks(6).map((value) => ({ y: y(value), value })),
    quadrants: {
      concentrate_here: { x: plot.left + 6, y: plot.top - 10, anchor: "start" },
      keep_up_the_good_work: { x: plot.right - 6, y: plot.top - 10, anchor: "end" },
      low_priority: { x: plot.left + 6, y: plot.bottom - 8, anchor: "start" },
      possible_overkill: { x: plot.right - 6, y: plot.bottom - 8, anchor: "end" },
    },
  };
}
