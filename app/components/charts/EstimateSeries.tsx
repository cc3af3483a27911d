// A series of estimates over time, each a dot with its 95 % interval as a whisker, with optional
// vertical markers (a dated change) and shaded spans (before / after windows). Geometry from d3-scale,
// rendered as JSX so it draws on the server; periods without data leave a gap, never a zero.
import { scaleBand, scaleLinear } from "d3";
import { useId } from "react";

export type EstimatePoint = { label: string; value: number | null; lo: number | null; hi: number | null; n: number };
export type SeriesMarker = { /** The marker sits before the point with this index. */ beforeIndex: number; label: string };
export type SeriesSpan = { from: number; to: number; label: string };

type Props = {
  title: string;
  points: EstimatePoint[];
  format: (value: number) => string;
  markers?: SeriesMarker[];
  spans?: SeriesSpan[];
  /** Always include these values in the y axis (e.g. 0 for a gap, [0, 1] for a share). */
  include?: number[];
};

const W = 720;
const H = 260;
const M = { top: 24, right: 16, bottom: 44, left: 52 };

export function EstimateSeries({ title, points, format, markers = [], spans = [], include = [] }: Props) {
  const titleId = useId();
  const values = points.flatMap((p) => [p.value, p.lo, p.hi]).filter((v): v is number => v !== null && Number.isFinite(v));
  const extent = [...values, ...include];
  const lo = extent.length ? Math.min(...extent) : 0;
  const hi = extent.length ? Math.max(...extent) : 1;
  const y = scaleLinear()
    .domain(lo === hi ? [lo - 1, hi + 1] : [lo, hi])
    .nice()
    .range([H - M.bottom, M.top]);
  const x = scaleBand<number>()
    .domain(points.map((_, i) => i))
    .range([M.left, W - M.right])
    .padding(0.3);
  const step = x.step();
  const centre = (i: number) => (x(i) ?? 0) + x.bandwidth() / 2;
  const edge = (i: number) => (i >= points.length ? W - M.right : (x(i) ?? 0) - (step * x.paddingInner()) / 2);
  const every = Math.max(1, Math.ceil(points.length / 12));
  const zero = y.domain()[0] < 0 && y.domain()[1] > 0 ? y(0) : null;

  return (
    <svg className="chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby={titleId}>
      <title id={titleId}>{title}</title>
      {spans.map((s, i) => (
        <g key={`s${i}`}>
          <rect x={edge(s.from)} y={M.top} width={Math.max(0, edge(s.to + 1) - edge(s.from))} height={H - M.top - M.bottom} fill={i % 2 ? "#e6f4f1" : "#eef2f7"} />
          <text x={(edge(s.from) + edge(s.to + 1)) / 2} y={M.top - 8} textAnchor="middle">
            {s.label}
          </text>
        </g>
      ))}
      {y.ticks(5).map((tick) => (
        <g key={tick}>
          <line x1={M.left} x2={W - M.right} y1={y(tick)} y2={y(tick)} stroke="#d9e2ec" />
          <text x={M.left - 6} y={y(tick)} dy="0.32em" textAnchor="end">
            {format(tick)}
          </text>
        </g>
      ))}
      {zero !== null ? <line x1={M.left} x2={W - M.right} y1={zero} y2={zero} stroke="#52606d" /> : null}
      {points.map((p, i) =>
        i % every === 0 ? (
          <text key={`l${i}`} x={centre(i)} y={H - M.bottom + 16} textAnchor="middle">
            {p.label}
          </text>
        ) : null,
      )}
      {points.map((p, i) =>
        p.value === null ? null : (
          <g key={`p${i}`}>
            {p.lo !== null && p.hi !== null ? <line x1={centre(i)} x2={centre(i)} y1={y(p.lo)} y2={y(p.hi)} stroke="#0b5f58" strokeWidth={2} /> : null}
            <circle cx={centre(i)} cy={y(p.value)} r={4} fill="#0f766e">
              <title>{`${p.label}: ${format(p.value)}${p.lo !== null && p.hi !== null ? ` [${format(p.lo)}, ${format(p.hi)}]` : ""} (n=${p.n})`}</title>
            </circle>
          </g>
        ),
      )}
      {markers.map((m, i) => (
        <g key={`m${i}`}>
          <line x1={edge(m.beforeIndex)} x2={edge(m.beforeIndex)} y1={M.top} y2={H - M.bottom} stroke="#b45309" strokeWidth={2} strokeDasharray="5 3" />
          <text x={edge(m.beforeIndex) + 4} y={H - M.bottom + 32} style={{ fill: "#7c3d00", fontWeight: 600 }}>
            {m.label}
          </text>
        </g>
      ))}
    </svg>
  );
}
