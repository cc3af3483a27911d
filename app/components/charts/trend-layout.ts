// Geometry of a trend: one value per week or month with its interval as a band; buckets without a
// shown value (no answers, or n below the minimum) break the line and the band instead of being
// bridged. Pure (d3-scale, d3-shape).
import { area, line, scalePoint, scaleLinear } from "d3";

export type TrendDatum = { bucket: string; value: number | null; lo: number | null; hi: number | null; n: number };
export type TrendPointLayout = TrendDatum & { x: number; y: number | null };
export type TrendLayout = {
  width: number;
  height: number;
  plot: { left: number; right: number; top: number; bottom: number };
  line: string;
  band: string;
  points: TrendPointLayout[];
  xTicks: { x: number; label: string }[];
  yTicks: { y: number; value: number }[];
  /** y of the reference line (0 for gaps), when it is inside the scale. */
  referenceY: number | null;
  /** y of the target line, when a target is given (the scale always takes it in). */
  targetY: number | null;
  /** Dated events drawn as vertical lines at their bucket (innovations), those inside the series only. */
  markers: (TrendMarker & { x: number })[];
};
export type TrendMarker = { bucket: string; label: string };
export type TrendOptions = { width?: number; height?: number; reference?: number | null; target?: number | null; domain?: [number, number]; markers?: readonly TrendMarker[] };

const shown = (d: TrendDatum) => d.value !== null && Number.isFinite(d.value);

export function layoutTrend(data: readonly TrendDatum[], options: TrendOptions = {}): TrendLayout {
  const width = options.width ?? 960;
  const height = options.height ?? 260;
  const plot = { left: 48, right: width - 16, top: 12, bottom: height - 34 };
  const x = scalePoint<string>().domain(data.map((d) => d.bucket)).range([plot.left, plot.right]).padding(0.3);
  const values = data.flatMap((d) => (shown(d) ? [d.value, d.lo ?? d.value, d.hi ?? d.value] : [])) as number[];
  const reference = options.reference ?? null;
  const target = options.target ?? null;
  const bounds = [reference, target].filter((v): v is number => v !== null);
  const extent = options.domain ?? (values.length ? [Math.min(...values, ...bounds), Math.max(...values, ...bounds)] : [-1, 1]);
  const [lo, hi] = extent[0] === extent[1] ? [extent[0] - 1, extent[1] + 1] : extent;
  const y = scaleLinear().domain([lo, hi]).range([plot.bottom, plot.top]).nice();
  const xOf = (d: TrendDatum) => x(d.bucket) ?? plot.left;
  const lineGen = line<TrendDatum>().defined(shown).x(xOf).y((d) => y(d.value as number));
  const bandGen = area<TrendDatum>()
    .defined((d) => shown(d) && d.lo !== null && d.hi !== null)
    .x(xOf)
    .y0((d) => y(d.lo as number))
    .y1((d) => y(d.hi as number));
  // At most ~8 labels along the axis, evenly spread, so weekly series stay legible.
  const every = Math.max(1, Math.ceil(data.length / 8));
  const [dlo, dhi] = y.domain();
  return {
    width,
    height,
    plot,
    line: lineGen(data as TrendDatum[]) ?? "",
    band: bandGen(data as TrendDatum[]) ?? "",
    points: data.map((d) => ({ ...d, x: xOf(d), y: shown(d) ? y(d.value as number) : null })),
    xTicks: data.filter((_, i) => i % every === 0).map((d) => ({ x: xOf(d), label: d.bucket })),
    yTicks: y.ticks(5).map((value) => ({ y: y(value), value })),
    referenceY: reference !== null && reference >= dlo && reference <= dhi ? y(reference) : null,
    targetY: target !== null && target >= dlo && target <= dhi ? y(target) : null,
    markers: (options.markers ?? []).flatMap((m) => {
      const mx = x(m.bucket);
      return mx === undefined ? [] : [{ ...m, x: mx }];
    }),
  };
}
