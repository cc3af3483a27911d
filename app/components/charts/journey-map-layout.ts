// Geometry of the journey map: stages as columns, lanes by channel, process or side, touchpoints as
// cards in the cell where their stage meets their lane. Pure, so it is tested without rendering.
import { linkHorizontal, linkVertical } from "d3";
import { CHANNELS, SIDES, type JourneyFile, type JourneyTouchpoint } from "~/cem/journey";

export type LaneBy = "channel" | "process" | "side";

type MapTouchpoint = Pick<JourneyTouchpoint, "key" | "name" | "channel" | "process" | "side" | "momentOfTruth" | "modules">;
/** The part of a journey the map draws, so drafts and database rows can be drawn too. */
export type JourneyMapInput = {
  processes?: Pick<JourneyFile["processes"][number], "key" | "name">[];
  stages: { key: string; name: string; touchpoints: MapTouchpoint[] }[];
};

export type JourneyMapOptions = { laneBy: LaneBy; width?: number };

export type MapColumn = { key: string; label: string; x: number; width: number };
/** `key` is the channel, process or side; null is the lane of touchpoints without a process. */
export type MapLane = { key: string | null; label: string; y: number; height: number };
export type MapCard = MapTouchpoint & {
  index: number;
  stageKey: string;
  laneKey: string | null;
  processName: string | null;
  x: number;
  y: number;
  w: number;
  h: number;
};
export type MapLink = { from: string; to: string; path: string };
export type JourneyMapLayout = {
  width: number;
  height: number;
  header: { height: number };
  laneLabelWidth: number;
  columns: MapColumn[];
  lanes: MapLane[];
  cards: MapCard[];
  links: MapLink[];
};

// Sized for two lines of an 11.5px name, a meta line, module badges and a score line.
export const CARD_MIN_WIDTH = 148;
const CARD_MAX_WIDTH = 220;
export const CARD_HEIGHT = 100;
const GAP = 10;
const CELL_PADDING = 10;
const HEADER_HEIGHT = 44;
const LANE_LABEL_WIDTH = 120;
// Beyond three side by side a cell reads as a list, so it wraps into rows instead.
const MAX_CARDS_PER_ROW = 3;

const laneKeyOf = (laneBy: LaneBy, tp: MapTouchpoint): string | null =>
  laneBy === "channel" ? tp.channel : laneBy === "side" ? (tp.side ?? "frontstage") : (tp.process ?? null);

function lanesFor(journey: JourneyMapInput, laneBy: LaneBy): { key: string | null; label: string }[] {
  const used = journey.stages.flatMap((s) => s.touchpoints.map((tp) => laneKeyOf(laneBy, tp)));
  // Both sides always show: an empty backstage lane is itself a finding (the line of visibility).
  if (laneBy === "side") return SIDES.map((key) => ({ key, label: key }));
  if (laneBy === "channel") return CHANNELS.filter((c) => used.includes(c)).map((key) => ({ key, label: key }));
  const names = new Map((journey.processes ?? []).map((p) => [p.key, p.name]));
  const ordered = [...names.keys(), ...used.filter((k): k is string => k !== null && !names.has(k))];
  const lanes: { key: string | null; label: string }[] = [...new Set(ordered)]
    .filter((k) => used.includes(k))
    .map((key) => ({ key, label: names.get(key) ?? key }));
  if (used.includes(null)) lanes.push({ key: null, label: "" });
  return lanes;
}

/** Lays out the map; given a `width` wider than needed, the cards grow (up to a limit) towards it. */
export function layoutJourneyMap(journey: JourneyMapInput, options: JourneyMapOptions): JourneyMapLayout {
  const lanes = lanesFor(journey, options.laneBy);
  const laneIndex = new Map(lanes.map((lane, i) => [lane.key, i]));
  const processNames = new Map((journey.processes ?? []).map((p) => [p.key, p.name]));

  // cells[stage][lane] = touchpoints of that stage in that lane, in journey order.
  const cells = journey.stages.map((stage) => {
    const row: MapTouchpoint[][] = lanes.map(() => []);
    for (const tp of stage.touchpoints) row[laneIndex.get(laneKeyOf(options.laneBy, tp)) ?? 0]?.push(tp);
    return row;
  });
  const slotsPerStage = cells.map((row) => Math.max(1, Math.min(MAX_CARDS_PER_ROW, Math.max(...row.map((c) => c.length)))));
  const rowsPerLane = lanes.map((_, l) =>
    Math.max(1, ...cells.map((row, s) => Math.ceil(row[l].length / slotsPerStage[s]))),
  );

  const totalSlots = slotsPerStage.reduce((a, b) => a + b, 0);
  const fixedWidth = LANE_LABEL_WIDTH + journey.stages.length * 2 * CELL_PADDING;
  const stretched = options.width ? (options.width - fixedWidth) / totalSlots - GAP : CARD_MIN_WIDTH;
  const cardWidth = Math.floor(Math.min(CARD_MAX_WIDTH, Math.max(CARD_MIN_WIDTH, stretched)));

  const columns: MapColumn[] = [];
  let x = LANE_LABEL_WIDTH;
  journey.stages.forEach((stage, s) => {
    const width = 2 * CELL_PADDING + slotsPerStage[s] * cardWidth + (slotsPerStage[s] - 1) * GAP;
    columns.push({ key: stage.key, label: stage.name, x, width });
    x += width;
  });

  const mapLanes: MapLane[] = [];
  let y = HEADER_HEIGHT;
  lanes.forEach((lane, l) => {
    const height = 2 * CELL_PADDING + rowsPerLane[l] * CARD_HEIGHT + (rowsPerLane[l] - 1) * GAP;
    mapLanes.push({ key: lane.key, label: lane.label, y, height });
    y += height;
  });

  const placed = new Map<string, MapCard>();
  cells.forEach((row, s) =>
    row.forEach((cell, l) =>
      cell.forEach((tp, i) => {
        const col = i % slotsPerStage[s];
        const line = Math.floor(i / slotsPerStage[s]);
        placed.set(tp.key, {
          ...tp,
          index: 0,
          stageKey: journey.stages[s].key,
          laneKey: lanes[l].key,
          processName: tp.process ? (processNames.get(tp.process) ?? tp.process) : null,
          x: columns[s].x + CELL_PADDING + col * (cardWidth + GAP),
          y: mapLanes[l].y + CELL_PADDING + line * (CARD_HEIGHT + GAP),
          w: cardWidth,
          h: CARD_HEIGHT,
        });
      }),
    ),
  );
  // Journey order is stage order, then the designer's order within the stage.
  const cards = journey.stages
    .flatMap((stage) => stage.touchpoints.map((tp) => placed.get(tp.key)))
    .filter((card): card is MapCard => card !== undefined)
    .map((card, index) => ({ ...card, index }));

  return {
    width: x,
    height: y,
    header: { height: HEADER_HEIGHT },
    laneLabelWidth: LANE_LABEL_WIDTH,
    columns,
    lanes: mapLanes,
    cards,
    links: cards.slice(1).map((to, i) => ({ from: cards[i].key, to: to.key, path: linkPath(cards[i], to) })),
  };
}

const horizontal = linkHorizontal<{ source: [number, number]; target: [number, number] }, [number, number]>();
const vertical = linkVertical<{ source: [number, number]; target: [number, number] }, [number, number]>();

/** Forward steps leave the right edge; steps to a wrapped row or another lane of the same stage go vertically. */
function linkPath(from: MapCard, to: MapCard): string {
  if (to.x >= from.x + from.w) {
    return horizontal({ source: [from.x + from.w, from.y + from.h / 2], target: [to.x, to.y + to.h / 2] }) ?? "";
  }
  const down = to.y > from.y;
  return (
    vertical({
      source: [from.x + from.w / 2, down ? from.y + from.h : from.y],
      target: [to.x + to.w / 2, down ? to.y : to.y + to.h],
    }) ?? ""
  );
}

/** Splits text into at most `maxLines` lines of at most `maxChars`, marking every cut with an ellipsis. */
export function wrapText(text: string, maxChars: number, maxLines: number): string[] {
  const clip = (line: string) => (line.length > maxChars ? `${line.slice(0, maxChars - 1).trimEnd()}…` : line);
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const candidate = line ? `${line} ${word}` : word;
    if (candidate.length <= maxChars || !line) line = candidate;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line) lines.push(line);
  const kept = lines.slice(0, maxLines).map(clip);
  if (lines.length > maxLines && !kept[maxLines - 1].endsWith("…")) {
    kept[maxLines - 1] = `${kept[maxLines - 1].slice(0, maxChars - 1).trimEnd()}…`;
  }
  return kept;
}

// Text is measured by estimate so that layout stays pure and renders on the server. A sans-serif glyph
// averages a little over half the font size, bold a little more; erring wide keeps Spanish names
// inside their cards, and the full text is always in the tooltip.
export const charsFitting = (width: number, fontSize: number, bold = false) =>
  Math.max(4, Math.floor(width / (fontSize * (bold ? 0.64 : 0.58))));
