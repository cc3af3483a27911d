// Geometry of the experience curve under the journey map: each touchpoint's mean gap (perception −
// expectation) at its card's centre, in journey order, with its 95% interval as a whisker. Zero (the
// expectation met) is the midline; the scale is symmetric so equal gaps above and below look equal.
import { line, scaleLinear } from "d3";

export type CurveGap = { mean: number; lo: number; hi: number; n: number };
export type CurveCard = { key: string; name: string; index: number; x: number; w: number };
export type CurvePoint = CurveGap & { key: string; name: string; x: number; y: number; yLo: number; yHi: number };
export type EmotionCurveLayout = { width: number; height: number; zeroY: number; points: CurvePoint[]; path: string; ticks: { value: number; y: number }[] };

const PADDING = 18;

export function layoutEmotionCurve(cards: readonly CurveCard[], gaps: Record<string, CurveGap | undefined>, options: { width: number; height?: number }): EmotionCurveLayout {
  const height = options.height ?? 140;
  const drawn = [...cards].sort((a, b) => a.index - b.index).filter((c) => gaps[c.key] !== undefined);
  const reach = Math.max(0.5, ...drawn.flatMap((c) => [Math.abs(gaps[c.key]!.lo), Math.abs(gaps[c.key]!.hi)]));
  const y = scaleLinear().domain([-reach, reach]).range([height - PADDING, PADDING]);
  const points = drawn.map((c) => {
    const gap = gaps[c.key]!;
    return { ...gap, key: c.key, name: c.name, x: c.x + c.w / 2, y: y(gap.mean), yLo: y(gap.lo), yHi: y(gap.hi) };
  });
  const path = line<CurvePoint>()
    .x((p) => p.x)
    .y((p) => p.y)(points) ?? "";
  return { width: options.width, height, zeroY: y(0), points, path, ticks: y.ticks(4).map((value) => ({ value, y: y(value) })) };
}
