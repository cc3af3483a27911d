// The experience curve drawn under the journey map, aligned with its cards: where the journey meets,
// exceeds or falls below expectation, each point with its interval and n (hover or screen reader).
import { useLang, useT } from "~/i18n/use-t";
import { formatInterval, formatNumber } from "~/i18n/format";
import { layoutEmotionCurve, type CurveCard, type CurveGap } from "./emotion-curve-layout";

export function EmotionCurve({ cards, gaps, width, window }: { cards: readonly CurveCard[]; gaps: Record<string, CurveGap | undefined>; width: number; window: { from: string; to: string } }) {
  const t = useT();
  const lang = useLang();
  const layout = layoutEmotionCurve(cards, gaps, { width });
  if (layout.points.length === 0) return <p className="muted">{t("map.curve.none")}</p>;
  return (
    <svg className="jm-curve" width={layout.width} height={layout.height} viewBox={`0 0 ${layout.width} ${layout.height}`} role="img" aria-labelledby="jm-curve-title" aria-describedby="jm-curve-desc">
      <title id="jm-curve-title">{t("map.curve.title")}</title>
      <desc id="jm-curve-desc">
        {t("map.curve.desc", window)}{" "}
        {layout.points.map((p) => `${p.name}: ${formatNumber(p.mean, "gap", lang)} ${formatInterval(p.lo, p.hi, "gap", lang)}, n = ${p.n}.`).join(" ")}
      </desc>
      {layout.ticks.map((tick) => (
        <g key={tick.value}>
          <line x1={100} x2={layout.width} y1={tick.y} y2={tick.y} stroke={tick.value === 0 ? "#52525b" : "#e4e4e7"} strokeDasharray={tick.value === 0 ? undefined : "3 3"} />
          <text x={96} y={tick.y} dy="0.32em" textAnchor="end" fontSize={10} fill="#3f3f46">
            {tick.value === 0 ? t("map.curve.zero") : formatNumber(tick.value, "gap", lang)}
          </text>
        </g>
      ))}
      <path d={layout.path} fill="none" stroke="#4338ca" strokeWidth={2} />
      {layout.points.map((p) => (
        <g key={p.key} data-curve-point={p.key}>
          <title>{`${p.name}: ${formatNumber(p.mean, "gap", lang)} ${formatInterval(p.lo, p.hi, "gap", lang)} · n = ${p.n}`}</title>
          <line x1={p.x} x2={p.x} y1={p.yLo} y2={p.yHi} stroke="#4338ca" strokeWidth={1.5} />
          <circle cx={p.x} cy={p.y} r={4.5} fill={p.hi < 0 ? "#b91c1c" : p.lo > 0 ? "#1d4ed8" : "#ffffff"} stroke="#4338ca" strokeWidth={1.5} />
          <text x={p.x + 7} y={p.y - 6} fontSize={9.5} fill="#3f3f46">
            n = {p.n}
          </text>
        </g>
      ))}
    </svg>
  );
}
