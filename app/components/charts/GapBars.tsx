// Mean gap per unit with its 95% interval, diverging from zero (perception = expectation): red bars
// fall short, blue ones exceed. Server-rendered SVG over gap-bars-layout.ts; rows whose value is
// withheld say so with their n instead of drawing a bar. The table beside it is the text version
// (and holds the drill-down links, which an image role would hide).
import { format } from "d3";
import { useId } from "react";
import { layoutGapBars, type GapBarInput, type GapBarsOptions } from "./gap-bars-layout";

export type GapBarsProps = GapBarsOptions & {
  bars: GapBarInput[];
  title: string;
  description: string;
  /** Shown in place of a bar when the value is withheld, e.g. "n<10". */
  withheldLabel: string;
  axisLabel: string;
};

const fmt = format("+.2f");
const tick = format("~g");
const BELOW = "#b91c1c";
const ABOVE = "#1d4ed8";

const clip = (text: string, chars: number) => (text.length > chars ? `${text.slice(0, chars - 1)}…` : text);

export function GapBars({ bars, title, description, withheldLabel, axisLabel, ...options }: GapBarsProps) {
  const layout = layoutGapBars(bars, options);
  const id = `gb${useId().replace(/[^a-zA-Z0-9_-]/g, "")}`;
  const labelChars = Math.floor(layout.labelWidth / 6.6);
  return (
    <svg
      className="chart gap-bars"
      viewBox={`0 0 ${layout.width} ${layout.height}`}
      width="100%"
      style={{ maxWidth: layout.width }}
      role="img"
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-desc`}
    >
      <title id={`${id}-title`}>{title}</title>
      <desc id={`${id}-desc`}>{description}</desc>
      <g aria-hidden="true">
        {layout.rows.map((row, i) => (
          <rect key={`band-${row.key}`} x={0} y={row.y} width={layout.width} height={layout.rowHeight} fill={i % 2 ? "#f8fafc" : "#ffffff"} />
        ))}
        {layout.ticks.map((t) => (
          <g key={t.value}>
            <line x1={t.x} x2={t.x} y1={layout.plot.top} y2={layout.plot.bottom} stroke={t.value === 0 ? "#334155" : "#e2e8f0"} strokeWidth={t.value === 0 ? 1.5 : 1} />
            <text x={t.x} y={layout.plot.bottom + 14} textAnchor="middle" fontSize={11} fill="#475569">
              {tick(t.value)}
            </text>
          </g>
        ))}
        <text x={(layout.plot.left + layout.plot.right) / 2} y={layout.height - 4} textAnchor="middle" fontSize={11} fill="#475569">
          {axisLabel}
        </text>
        {layout.rows.map((row) => {
          const mid = row.y + layout.rowHeight / 2;
          return (
            <g key={row.key}>
              <text x={layout.labelWidth} y={mid} dy="0.35em" textAnchor="end" fontSize={12} fill="#1f2933">
                {clip(row.label, labelChars)}
              </text>
              {row.bar ? (
                <rect x={row.bar.x} y={row.y + 6} width={Math.max(row.bar.width, 1)} height={layout.rowHeight - 12} fill={(row.value ?? 0) < 0 ? BELOW : ABOVE} opacity={0.85} />
              ) : (
                <text x={layout.x0 + 4} y={mid} dy="0.35em" fontSize={11} fill="#475569">
                  {withheldLabel}
                </text>
              )}
              {row.whisker ? (
                <g stroke="#0f172a" strokeWidth={1.25}>
                  <line x1={row.whisker.x1} x2={row.whisker.x2} y1={mid} y2={mid} />
                  <line x1={row.whisker.x1} x2={row.whisker.x1} y1={mid - 5} y2={mid + 5} />
                  <line x1={row.whisker.x2} x2={row.whisker.x2} y1={mid - 5} y2={mid + 5} />
                </g>
              ) : null}
              <text x={layout.width - 4} y={mid} dy="0.35em" textAnchor="end" fontSize={11} fill="#334155">
                {row.value !== null ? `${fmt(row.value)} · ` : ""}n={row.n}
              </text>
            </g>
          );
        })}
      </g>
    </svg>
  );
}
