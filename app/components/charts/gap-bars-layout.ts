// Geometry of the gap bars: one row per unit, a bar from zero to the mean gap and a whisker over
// its 95% interval, on a scale symmetric around zero so left of the axis always means "below
// expectation". Pure (d3-scale only), so it is tested without rendering.
import { scaleLinear } from "d3";

export type GapBarInput = {
  key: string;
  label: string;
  /** Null when the value is withheld (n below the minimum) or not measured. */
  value: number | null;
  lo: number | null;
  hi: number | null;
  n: number;
};

export type GapBarRow = GapBarInput & {
  y: number;
  /** Bar from min(x0, x(value)) with this width; absent when withheld. */
  bar: { x: number; width: number } | null;
  whisker: { x1: number; x2: number } | null;
};

export type GapBarsLayout = {
  width: number;
  height: number;
  labelWidth: number;
  rowHeight: number;
  /** x of zero: the line of "perception equals expectation". */
  x0: number;
  plot: { left: number; right: number; top: number; bottom: number };
  ticks: { x: number; value: number }[];
  rows: GapBarRow[];
};

export type GapBarsOptions = { width?: number; labelWidth?: number; rowHeight?: number; nWidth?: number };

export function layoutGapBars(bars: readonly GapBarInput[], options: GapBarsOptions = {}): GapBarsLayout {
  const width = options.width ?? 720;
  const labelWidth = options.labelWidth ?? 220;
  const rowHeight = options.rowHeight ?? 26;
  const nWidth = options.nWidth ?? 70;
  const top = 8;
  const axis = 34;
  const plot = { left: labelWidth + 8, right: width - nWidth, top, bottom: top + bars.length * rowHeight };
  // The widest reach of any mean or interval end, at least one scale point: small gaps stay small.
  const reach = Math.max(1, ...bars.flatMap((b) => [b.value, b.lo, b.hi]).filter((v): v is number => v !== null && Number.isFinite(v)).map(Math.abs));
  const x = scaleLinear().domain([-reach, reach]).range([plot.left, plot.right]).nice();
  const x0 = x(0);
  const rows = bars.map((b, i) => {
    const y = top + i * rowHeight;
    const bar = b.value === null ? null : { x: Math.min(x0, x(b.value)), width: Math.abs(x(b.value) - x0) };
    const whisker = b.value !== null && b.lo !== null && b.hi !== null ? { x1: x(b.lo), x2: x(b.hi) } : null;
    return { ...b, y, bar, whisker };
  });
  return {
    width,
    height: plot.bottom + axis,
    labelWidth,
    rowHeight,
    x0,
    plot,
    ticks: x.ticks(6).map((value) => ({ x: x(value), value })),
    rows,
  };
}
