// The journey map: stages across, lanes down, one card per touchpoint with its moment of truth,
// experiential modules and, when insights exist, its score. Plain JSX over journey-map-layout.ts.
import { color as parseColor, format, interpolateRdYlBu, scaleDiverging, symbol, symbolStar } from "d3";
import { useId } from "react";
import type { Channel, ExperientialModule, Side } from "~/cem/journey";
import { MODULES } from "~/cem/journey";
import { charsFitting, layoutJourneyMap, wrapText, type JourneyMapInput, type LaneBy, type MapCard } from "./journey-map-layout";

export type TouchpointScore = { value: number | null; n: number; label?: string };

export type JourneyMapLabels = {
  /** Accessible title; "{name}" is the journey name. */
  title: string;
  /** Accessible summary; "{stages}", "{touchpoints}", "{moments}" and "{lanes}" are filled in. */
  summary: string;
  laneBy: Record<LaneBy, string>;
  channels: Record<Channel, string>;
  sides: Record<Side, string>;
  modules: Record<ExperientialModule, string>;
  noProcess: string;
  momentOfTruth: string;
  /** Shown instead of a score when there are too few responses to show one. */
  belowMin: string;
  legend: string;
  scoreLow: string;
  scoreHigh: string;
};

export const defaultJourneyMapLabels: JourneyMapLabels = {
  title: "Journey map: {name}",
  summary: "{stages} stages and {touchpoints} touchpoints, {moments} of them moments of truth, in lanes by {lanes}.",
  laneBy: { channel: "channel", process: "process", side: "frontstage / backstage" },
  channels: {
    store: "Store",
    web: "Web",
    app: "App",
    phone: "Phone",
    email: "Email",
    chat: "Chat",
    social: "Social media",
    field: "Field",
    other: "Other",
  },
  sides: { frontstage: "Frontstage", backstage: "Backstage" },
  modules: { sense: "Sense", feel: "Feel", think: "Think", act: "Act", relate: "Relate" },
  noProcess: "No process",
  momentOfTruth: "Moment of truth",
  belowMin: "n<min",
  legend: "Legend",
  scoreLow: "low",
  scoreHigh: "high",
};

export type JourneyMapProps = {
  journey: JourneyMapInput & { name: string };
  laneBy?: LaneBy;
  scores?: Record<string, TouchpointScore>;
  colorScale?: (value: number) => string;
  onSelectHref?: (touchpointKey: string) => string;
  /** An id for each card, so a link elsewhere on the page ("#…") can scroll the map to it. */
  cardIdOf?: (touchpointKey: string) => string;
  labels?: Partial<JourneyMapLabels>;
  width?: number;
};

const MODULE_LETTER: Record<ExperientialModule, string> = { sense: "S", feel: "F", think: "T", act: "A", relate: "R" };
const NO_DATA_FILL = "#d4d4d8";
const NAME_FONT = 11.5;
const META_FONT = 10;
const STAR = symbol(symbolStar, 70)() ?? "";
const formatScore = format(".2~f");

// Scoped by the jm- prefix; shipped with the chart so it draws the same in the app, in tests and
// when the SVG is saved on its own. No quotes, ampersands or angle brackets: React escapes them.
const JOURNEY_MAP_CSS = `
.jm-figure{margin:0;font-family:system-ui,sans-serif}
.jm-scroll{overflow-x:auto;max-width:100%;-webkit-overflow-scrolling:touch}
.jm{display:block;font-family:system-ui,sans-serif;max-width:none}
.jm-stage-band{fill:#f4f4f5}
.jm-stage-band--odd{fill:#fafafa}
.jm-stage-label{font-size:12px;font-weight:600;fill:#18181b}
.jm-lane-line{stroke:#d4d4d8;stroke-dasharray:4 3}
.jm-lane-label{font-size:11px;font-weight:600;fill:#3f3f46}
.jm-link{fill:none;stroke:#a1a1aa;stroke-width:1.5}
.jm-card{fill:#ffffff;stroke:#a1a1aa;stroke-width:1}
.jm-card--mot{stroke:#b45309;stroke-width:3}
.jm-card--nodata{stroke-dasharray:3 2}
.jm-name{font-size:11.5px;font-weight:600;fill:#18181b}
.jm-meta{font-size:10px;fill:#52525b}
.jm-score{font-size:10px;font-weight:600;fill:#18181b}
.jm-on-light .jm-meta{fill:#18181b}
.jm-on-dark .jm-name,.jm-on-dark .jm-meta,.jm-on-dark .jm-score{fill:#ffffff}
.jm-star{fill:#f59e0b;stroke:#92400e;stroke-width:0.75}
.jm-badge circle{fill:#eef2ff;stroke:#4338ca;stroke-width:1}
.jm-badge text{font-size:8px;font-weight:700;fill:#312e81}
.jm-card-link:focus-visible .jm-card{stroke:#2563eb;stroke-width:4}
.jm-legend{display:flex;flex-wrap:wrap;gap:0.25rem 1rem;list-style:none;padding:0;margin:0.5rem 0 0;font-size:0.8125rem}
.jm-legend-item{display:flex;align-items:center;gap:0.35rem}
.jm-swatch{display:inline-block;width:0.9rem;height:0.9rem;border:1px solid #a1a1aa;border-radius:2px}
`;

const fill = (template: string, values: Record<string, string | number>) =>
  template.replace(/\{(\w+)\}/g, (all, name: string) => (name in values ? String(values[name]) : all));

/** Without a given scale, scores diverge from zero when they straddle it (gaps), else from their midpoint. */
function defaultColorScale(scores: Record<string, TouchpointScore>): (value: number) => string {
  const values = finiteValues(scores);
  if (values.length === 0) return () => NO_DATA_FILL;
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const [mid, half] = lo < 0 && hi > 0 ? [0, Math.max(-lo, hi)] : [(lo + hi) / 2, Math.max((hi - lo) / 2, 1e-9)];
  const scale = scaleDiverging(interpolateRdYlBu).domain([mid - half, mid, mid + half]);
  return (value) => scale(value);
}

const finiteValues = (scores: Record<string, TouchpointScore> | undefined): number[] =>
  Object.values(scores ?? {})
    .map((s) => s.value)
    .filter((v): v is number => v !== null && Number.isFinite(v));

function isDark(fillColor: string): boolean {
  const rgb = parseColor(fillColor)?.rgb();
  if (!rgb) return false;
  // Relative luminance (WCAG 2) with a threshold where white text reads better than black.
  const channel = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(rgb.r) + 0.7152 * channel(rgb.g) + 0.0722 * channel(rgb.b) < 0.18;
}

type CardProps = {
  card: MapCard;
  laneBy: LaneBy;
  labels: JourneyMapLabels;
  score: TouchpointScore | undefined;
  scored: boolean;
  colorOf: (value: number) => string;
  href?: string;
  id?: string;
};

function TouchpointCard({ card, laneBy, labels, score, scored, colorOf, href, id }: CardProps) {
  const mot = card.momentOfTruth !== null && card.momentOfTruth !== undefined;
  const value = score && score.value !== null && Number.isFinite(score.value) ? score.value : null;
  const hasValue = scored && value !== null;
  const cardFill = !scored ? undefined : value !== null ? colorOf(value) : NO_DATA_FILL;
  const nameWidth = card.w - 16 - (mot ? 16 : 0);
  const nameLines = wrapText(card.name, charsFitting(nameWidth, NAME_FONT, true), 2);
  // The lane already says one of channel and process; the card names the other.
  const channel = labels.channels[card.channel] ?? card.channel;
  const meta = (laneBy === "channel" ? [card.processName] : laneBy === "process" ? [channel] : [channel, card.processName])
    .filter(Boolean)
    .join(" · ");
  const metaLine = wrapText(meta, charsFitting(card.w - 16, META_FONT), 1)[0] ?? "";
  const n = score?.n ?? 0;
  const shown = value !== null ? (score?.label ?? formatScore(value)) : labels.belowMin;
  const scoreText = scored ? `${shown} · n = ${n}` : null;
  const tooltip = [
    card.name,
    [channel, card.processName].filter(Boolean).join(" · "),
    mot ? `★ ${labels.momentOfTruth}: ${card.momentOfTruth!.reason}` : null,
    card.modules.length ? card.modules.map((m) => labels.modules[m] ?? m).join(", ") : null,
    scoreText,
  ]
    .filter(Boolean)
    .join("\n");
  const classes = ["jm-card", mot && "jm-card--mot", scored && !hasValue && "jm-card--nodata"].filter(Boolean).join(" ");

  const body = (
    <g className={cardFill ? (isDark(cardFill) ? "jm-on-dark" : "jm-on-light") : undefined} data-touchpoint={card.key} id={href ? undefined : id}>
      <title>{tooltip}</title>
      {/* A style, not a fill attribute: the class's fill would win over a presentation attribute. */}
      <rect
        className={classes}
        x={card.x}
        y={card.y}
        width={card.w}
        height={card.h}
        rx={6}
        style={cardFill ? { fill: cardFill } : undefined}
      />
      {mot ? (
        <path className="jm-star" d={STAR} transform={`translate(${card.x + card.w - 12},${card.y + 13})`}>
          <title>{labels.momentOfTruth}</title>
        </path>
      ) : null}
      <text className="jm-name" x={card.x + 8} y={card.y + 17}>
        {nameLines.map((line, i) => (
          <tspan key={i} x={card.x + 8} dy={i === 0 ? 0 : NAME_FONT + 3}>
            {line}
          </tspan>
        ))}
      </text>
      <text className="jm-meta" x={card.x + 8} y={card.y + 50}>
        {metaLine}
      </text>
      <g className="jm-badges">
        {MODULES.filter((m) => card.modules.includes(m)).map((m, i) => (
          <g key={m} className="jm-badge" transform={`translate(${card.x + 15 + i * 19},${card.y + 67})`}>
            <title>{labels.modules[m]}</title>
            <circle r={7.5} />
            <text textAnchor="middle" dy="0.35em">
              {MODULE_LETTER[m]}
            </text>
          </g>
        ))}
      </g>
      {scoreText ? (
        <text className="jm-score" x={card.x + 8} y={card.y + card.h - 8}>
          {scoreText}
        </text>
      ) : null}
    </g>
  );
  if (!href) return body;
  return (
    // The link is named by its own <title> (SVG-AAM); the drawn text, truncated to fit, is hidden
    // from assistive technology so that the name and the visible label never disagree.
    <a className="jm-card-link" href={href} id={id}>
      <title>{tooltip.replace(/\n/g, ". ")}</title>
      <g aria-hidden="true">{body}</g>
    </a>
  );
}

export function JourneyMap({ journey, laneBy = "channel", scores, colorScale, onSelectHref, cardIdOf, labels: given, width }: JourneyMapProps) {
  const labels: JourneyMapLabels = {
    ...defaultJourneyMapLabels,
    ...given,
    laneBy: { ...defaultJourneyMapLabels.laneBy, ...given?.laneBy },
    channels: { ...defaultJourneyMapLabels.channels, ...given?.channels },
    sides: { ...defaultJourneyMapLabels.sides, ...given?.sides },
    modules: { ...defaultJourneyMapLabels.modules, ...given?.modules },
  };
  const layout = layoutJourneyMap(journey, { laneBy, width });
  // useId gives ids that match between server and client render; colons are not welcome in url(#…).
  const id = `jm${useId().replace(/[^a-zA-Z0-9_-]/g, "")}`;
  const scored = scores !== undefined;
  const colorOf = colorScale ?? (scores ? defaultColorScale(scores) : () => NO_DATA_FILL);
  const moments = layout.cards.filter((c) => c.momentOfTruth).length;
  const laneLabel = (key: string | null, label: string) =>
    key === null
      ? labels.noProcess
      : laneBy === "channel"
        ? (labels.channels[key as Channel] ?? key)
        : laneBy === "side"
          ? (labels.sides[key as Side] ?? key)
          : label;

  return (
    <figure className="jm-figure">
      <div className="jm-scroll">
        <svg
          className="jm"
          viewBox={`0 0 ${layout.width} ${layout.height}`}
          width={layout.width}
          height={layout.height}
          // With links inside, "img" would hide them from assistive technology; a labelled group keeps them reachable.
          role={onSelectHref ? "group" : "img"}
          aria-labelledby={`${id}-title`}
          aria-describedby={`${id}-desc`}
        >
          <title id={`${id}-title`}>{fill(labels.title, { name: journey.name })}</title>
          <desc id={`${id}-desc`}>
            {fill(labels.summary, {
              stages: layout.columns.length,
              touchpoints: layout.cards.length,
              moments,
              lanes: labels.laneBy[laneBy],
            })}
          </desc>
          <style>{JOURNEY_MAP_CSS}</style>
          <defs>
            <marker id={`${id}-arrow`} viewBox="0 0 8 8" refX={7} refY={4} markerWidth={7} markerHeight={7} orient="auto">
              <path d="M0,0L8,4L0,8z" fill="#a1a1aa" />
            </marker>
          </defs>
          <g className="jm-stages">
            {layout.columns.map((column, i) => (
              <g key={column.key}>
                <rect
                  className={i % 2 ? "jm-stage-band jm-stage-band--odd" : "jm-stage-band"}
                  x={column.x}
                  y={0}
                  width={column.width}
                  height={layout.height}
                />
                <text className="jm-stage-label" x={column.x + 10} y={16}>
                  <title>{column.label}</title>
                  {wrapText(column.label, charsFitting(column.width - 20, 12, true), 2).map((line, j) => (
                    <tspan key={j} x={column.x + 10} dy={j === 0 ? 0 : 14}>
                      {line}
                    </tspan>
                  ))}
                </text>
              </g>
            ))}
          </g>
          <g className="jm-lanes">
            {layout.lanes.map((lane, i) => {
              const text = laneLabel(lane.key, lane.label);
              return (
                <g key={lane.key ?? `none-${i}`}>
                  <line className="jm-lane-line" x1={0} x2={layout.width} y1={lane.y} y2={lane.y} />
                  <text className="jm-lane-label" x={8} y={lane.y + 18}>
                    <title>{text}</title>
                    {wrapText(text, charsFitting(layout.laneLabelWidth - 14, 11, true), 3).map((line, j) => (
                      <tspan key={j} x={8} dy={j === 0 ? 0 : 14}>
                        {line}
                      </tspan>
                    ))}
                  </text>
                </g>
              );
            })}
          </g>
          <g className="jm-links" aria-hidden="true">
            {layout.links.map((link) => (
              <path key={`${link.from}-${link.to}`} className="jm-link" d={link.path} markerEnd={`url(#${id}-arrow)`} />
            ))}
          </g>
          <g className="jm-cards">
            {layout.cards.map((card) => (
              <TouchpointCard
                key={card.key}
                card={card}
                laneBy={laneBy}
                labels={labels}
                score={scores?.[card.key]}
                scored={scored}
                colorOf={colorOf}
                href={onSelectHref?.(card.key)}
                id={cardIdOf?.(card.key)}
              />
            ))}
          </g>
        </svg>
      </div>
      <JourneyMapLegend labels={labels} scored={scored} colorOf={colorOf} scores={scores} />
    </figure>
  );
}

function JourneyMapLegend({
  labels,
  scored,
  colorOf,
  scores,
}: {
  labels: JourneyMapLabels;
  scored: boolean;
  colorOf: (value: number) => string;
  scores?: Record<string, TouchpointScore>;
}) {
  const values = finiteValues(scores);
  return (
    <ul className="jm-legend" aria-label={labels.legend}>
      <li className="jm-legend-item">
        <svg width={16} height={16} viewBox="-8 -8 16 16" aria-hidden="true">
          <path className="jm-star" d={STAR} />
        </svg>
        {labels.momentOfTruth}
      </li>
      {MODULES.map((m) => (
        <li key={m} className="jm-legend-item">
          <svg width={16} height={16} viewBox="-8 -8 16 16" aria-hidden="true" className="jm-badge">
            <circle r={7.5} />
            <text textAnchor="middle" dy="0.35em">
              {MODULE_LETTER[m]}
            </text>
          </svg>
          {labels.modules[m]}
        </li>
      ))}
      {scored && values.length > 0 ? (
        <li className="jm-legend-item">
          <span className="jm-swatch" style={{ background: colorOf(Math.min(...values)) }} />
          {labels.scoreLow} ({formatScore(Math.min(...values))})
          {Math.max(...values) > Math.min(...values) ? (
            <>
              <span className="jm-swatch" style={{ background: colorOf(Math.max(...values)) }} />
              {labels.scoreHigh} ({formatScore(Math.max(...values))})
            </>
          ) : null}
        </li>
      ) : null}
      {scored ? (
        <li className="jm-legend-item">
          <span className="jm-swatch" style={{ background: NO_DATA_FILL }} />
          {labels.belowMin}
        </li>
      ) : null}
    </ul>
  );
}
