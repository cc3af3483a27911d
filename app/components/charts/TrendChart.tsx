// A weekly or monthly trend with its 95% interval band (server-rendered SVG over trend-layout.ts).
// Withheld or empty buckets show as breaks; the page's table is the text alternative.
import { format } from "d3";
import { useId } from "react";
import { layoutTrend, type TrendDatum, type TrendOptions } from "./trend-layout";

export type TrendChartProps = TrendOptions & {
  data: TrendDatum[];
  title: string;
  description: string;
  color?: string;
  valueFormat?: string;
  /**
   * Said inside the chart when no period has a value to show (every one empty or below the minimum
   * n), instead of an empty grid.
   */
  emptyLabel?: string;
  /** Said beside the target line (when `target` is given). */
  targetLabel?: string;
};

/**
 * The ticks whose label states their value exactly: with a whole-number format a scale from -1 to 1
 * ticks every 0.5, and "-0, 0, 1, 1" would repeat labels at the wrong heights.
 */
function exactTicks<T extends { value: number }>(ticks: readonly T[], fmt: (n: number) => string): T[] {
  return ticks.filter((t) => Number(fmt(t.value).replace("\u2212", "-")) === t.value);
}

export function TrendChart({ data, title, description, color = "#0f766e", valueFormat = ".2~f", emptyLabel, targetLabel, ...options }: TrendChartProps) {
  const layout = layoutTrend(data, options);
  const id = `tc${useId().replace(/[^a-zA-Z0-9_-]/g, "")}`;
  const fmt = format(valueFormat);
  const empty = layout.points.every((p) => p.y === null);
  // Nothing to place on a value axis: no ticks, no reference line, the reason in their place.
  const yTicks = empty ? [] : exactTicks(layout.yTicks, fmt);
  return (
    <svg
      className="chart trend-chart"
      viewBox={`0 0 ${layout.width} ${layout.height}`}
      width="100%"
      style={{ maxWidth: layout.width }}
      role="img"
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-desc`}
    >
      <title id={`${id}-title`}>{title}</title>
      <desc id={`${id}-desc`}>{description}</desc>
      <g aria-hidden="true" fontSize={11} fill="#475569">
        {yTicks.map((t) => (
          <g key={t.value}>
            <line x1={layout.plot.left} x2={layout.plot.right} y1={t.y} y2={t.y} stroke="#e2e8f0" />
            <text x={layout.plot.left - 6} y={t.y} dy="0.35em" textAnchor="end">
              {fmt(t.value)}
            </text>
          </g>
        ))}
        {empty && emptyLabel ? (
          <text x={(layout.plot.left + layout.plot.right) / 2} y={(layout.plot.top + layout.plot.bottom) / 2} textAnchor="middle" fontSize={13} fill="#334155" className="trend-empty">
            {emptyLabel}
          </text>
        ) : null}
        {!empty && layout.referenceY !== null ? (
          <line x1={layout.plot.left} x2={layout.plot.right} y1={layout.referenceY} y2={layout.referenceY} stroke="#334155" strokeWidth={1.25} strokeDasharray="4 3" />
        ) : null}
        {!empty && layout.targetY !== null ? (
          <g className="trend-target">
            <line x1={layout.plot.left} x2={layout.plot.right} y1={layout.targetY} y2={layout.targetY} stroke="#166534" strokeWidth={1.5} />
            <text x={layout.plot.right - 4} y={layout.targetY - 4} textAnchor="end" fontSize={10} fill="#166534">
              {targetLabel ?? ""}
            </text>
          </g>
        ) : null}
        {layout.xTicks.map((t) => (
          <text key={t.label} x={t.x} y={layout.plot.bottom + 18} textAnchor="middle">
            {t.label}
          </text>
        ))}
        {layout.markers.map((m, i) => (
          <g key={`${m.bucket}-${i}`} className="trend-marker">
            <line x1={m.x} x2={m.x} y1={layout.plot.top} y2={layout.plot.bottom} stroke="#7c3aed" strokeWidth={1.5} strokeDasharray="2 3" />
            <text x={m.x + 4} y={layout.plot.top + 10 + (i % 3) * 12} fontSize={10} fill="#5b21b6">
              ◆ {m.label.length > 28 ? `${m.label.slice(0, 27)}…` : m.label}
            </text>
          </g>
        ))}
        <path d={layout.band} fill={color} fillOpacity={0.18} stroke="none" />
        <path d={layout.line} fill="none" stroke={color} strokeWidth={2} />
        {layout.points.map((p) =>
          p.y !== null ? <circle key={p.bucket} cx={p.x} cy={p.y} r={2.8} fill={color} /> : (
            <text key={p.bucket} x={p.x} y={layout.plot.bottom - 4} textAnchor="middle" fontSize={9}>
              {p.n > 0 ? `n=${p.n}` : "·"}
            </text>
          ),
        )}
      </g>
    </svg>
  );
}
