// The importance–performance grid (server-rendered SVG over ipa-layout.ts): attributes as dots,
// crosshairs at the mean importance and performance, quadrants named. The page lists the same
// points in a table, which is the text alternative.
import { format } from "d3";
import { useId } from "react";
import type { Quadrant } from "~/cem/statistics";
import { layoutIpa, type IpaDot } from "./ipa-layout";

export type ImportancePerformanceGridProps = {
  dots: IpaDot[];
  means: { importance: number; performance: number };
  title: string;
  description: string;
  xLabel: string;
  yLabel: string;
  quadrantLabels: Record<Quadrant, string>;
  width?: number;
  height?: number;
};

const COLORS: Record<Quadrant, string> = {
  concentrate_here: "#b91c1c",
  keep_up_the_good_work: "#15803d",
  low_priority: "#64748b",
  possible_overkill: "#1d4ed8",
};
const tick = format("~g");
const clip = (text: string) => (text.length > 26 ? `${text.slice(0, 25)}…` : text);

export function ImportancePerformanceGrid(props: ImportancePerformanceGridProps) {
  const layout = layoutIpa(props.dots, props.means, { width: props.width, height: props.height });
  const id = `ipa${useId().replace(/[^a-zA-Z0-9_-]/g, "")}`;
  const { plot } = layout;
  return (
    <svg
      className="chart ipa-grid"
      viewBox={`0 0 ${layout.width} ${layout.height}`}
      width="100%"
      style={{ maxWidth: layout.width }}
      role="img"
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-desc`}
    >
      <title id={`${id}-title`}>{props.title}</title>
      <desc id={`${id}-desc`}>{props.description}</desc>
      <g aria-hidden="true" fontSize={11} fill="#475569">
        <rect x={plot.left} y={plot.top} width={layout.crossX - plot.left} height={layout.crossY - plot.top} fill="#fef2f2" />
        {layout.xTicks.map((t) => (
          <text key={`x${t.value}`} x={t.x} y={plot.bottom + 16} textAnchor="middle">
            {tick(t.value)}
          </text>
        ))}
        {layout.yTicks.map((t) => (
          <text key={`y${t.value}`} x={plot.left - 6} y={t.y} dy="0.35em" textAnchor="end">
            {tick(t.value)}
          </text>
        ))}
        <rect x={plot.left} y={plot.top} width={plot.right - plot.left} height={plot.bottom - plot.top} fill="none" stroke="#cbd5e1" />
        <line x1={layout.crossX} x2={layout.crossX} y1={plot.top} y2={plot.bottom} stroke="#334155" strokeDasharray="5 3" />
        <line x1={plot.left} x2={plot.right} y1={layout.crossY} y2={layout.crossY} stroke="#334155" strokeDasharray="5 3" />
        {(Object.keys(layout.quadrants) as Quadrant[]).map((q) => (
          <text key={q} x={layout.quadrants[q].x} y={layout.quadrants[q].y} textAnchor={layout.quadrants[q].anchor} fontSize={12} fontWeight={700} fill={COLORS[q]}>
            {props.quadrantLabels[q]}
          </text>
        ))}
        <text x={(plot.left + plot.right) / 2} y={layout.height - 6} textAnchor="middle" fontSize={12} fill="#1f2933">
          {props.xLabel}
        </text>
        <text transform={`translate(14,${(plot.top + plot.bottom) / 2}) rotate(-90)`} textAnchor="middle" fontSize={12} fill="#1f2933">
          {props.yLabel}
        </text>
        {layout.dots.map((d) => (
          <g key={d.key}>
            {d.name ? <title>{d.name}</title> : null}
            <circle cx={d.x} cy={d.y} r={5} fill={COLORS[d.quadrant]} stroke="#ffffff" strokeWidth={1.5} />
            <text x={d.x + (d.labelAnchor === "start" ? 8 : -8)} y={d.y} dy="0.35em" textAnchor={d.labelAnchor} fontSize={10.5} fill="#1f2933">
              {clip(d.label)}
            </text>
          </g>
        ))}
      </g>
    </svg>
  );
}
