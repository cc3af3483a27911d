// Edits to a journey as pure functions over the journey file: the browser editor and the importer
// both end in the same validated file, so there is one path into the database.
import type { JourneyFile, JourneyStage, JourneyTouchpoint } from "./journey";

export type Direction = -1 | 1;

function move<T>(items: T[], index: number, direction: Direction): T[] {
  const target = index + direction;
  if (index < 0 || target < 0 || target >= items.length) return items;
  const next = [...items];
  [next[index], next[target]] = [next[target], next[index]];
  return next;
}

export function addStage(journey: JourneyFile, stage: { key: string; name: string; nameEn?: string }): JourneyFile {
  return { ...journey, stages: [...journey.stages, { key: stage.key, name: stage.name, nameEn: stage.nameEn ?? "", touchpoints: [] }] };
}

/** Renames a stage; without an English name the stored one stays. */
export function renameStage(journey: JourneyFile, key: string, name: string, nameEn?: string): JourneyFile {
  return { ...journey, stages: journey.stages.map((s) => (s.key === key ? { ...s, name, nameEn: nameEn ?? s.nameEn } : s)) };
}

export function moveStage(journey: JourneyFile, key: string, direction: Direction): JourneyFile {
  return { ...journey, stages: move(journey.stages, journey.stages.findIndex((s) => s.key === key), direction) };
}

export function deleteStage(journey: JourneyFile, key: string): JourneyFile {
  return { ...journey, stages: journey.stages.filter((s) => s.key !== key) };
}

export function findTouchpoint(journey: JourneyFile, key: string): { stage: JourneyStage; touchpoint: JourneyTouchpoint } | null {
  for (const stage of journey.stages) {
    const touchpoint = stage.touchpoints.find((t) => t.key === key);
    if (touchpoint) return { stage, touchpoint };
  }
  return null;
}

/** Puts a touchpoint (new or edited) at the end of a stage, or in its place when the stage is unchanged. */
export function upsertTouchpoint(journey: JourneyFile, stageKey: string, touchpoint: JourneyTouchpoint, previousKey?: string): JourneyFile {
  const lookFor = previousKey ?? touchpoint.key;
  return {
    ...journey,
    stages: journey.stages.map((stage) => {
      const index = stage.touchpoints.findIndex((t) => t.key === lookFor);
      if (stage.key === stageKey) {
        if (index >= 0) return { ...stage, touchpoints: stage.touchpoints.map((t, i) => (i === index ? touchpoint : t)) };
        return { ...stage, touchpoints: [...stage.touchpoints, touchpoint] };
      }
      return index >= 0 ? { ...stage, touchpoints: stage.touchpoints.filter((_, i) => i !== index) } : stage;
    }),
  };
}

export function moveTouchpoint(journey: JourneyFile, key: string, direction: Direction): JourneyFile {
  return {
    ...journey,
    stages: journey.stages.map((stage) => {
      const index = stage.touchpoints.findIndex((t) => t.key === key);
      return index >= 0 ? { ...stage, touchpoints: move(stage.touchpoints, index, direction) } : stage;
    }),
  };
}

export function deleteTouchpoint(journey: JourneyFile, key: string): JourneyFile {
  return { ...journey, stages: journey.stages.map((s) => ({ ...s, touchpoints: s.touchpoints.filter((t) => t.key !== key) })) };
}

/** The processes a journey file carries: those its touchpoints name, in order of first use. */
export function referencedProcesses<P extends { key: string }>(journey: Pick<JourneyFile, "stages">, available: P[]): P[] {
  const byKey = new Map(available.map((p) => [p.key, p]));
  const seen = new Set<string>();
  const out: P[] = [];
  for (const stage of journey.stages) {
    for (const tp of stage.touchpoints) {
      if (tp.process && !seen.has(tp.process) && byKey.has(tp.process)) {
        seen.add(tp.process);
        out.push(byKey.get(tp.process)!);
      }
    }
  }
  return out;
}

// Placing a touchpoint on the journey map: the map shows stages as columns and lanes (by channel,
// process or side) as rows, so a drop names a stage, a lane and a position among the cards of that
// cell. Moving to another lane changes what the lane stands for (the channel, the owning process or the
// side); the position is translated into the stage's order, which is the journey's order.

export type LaneBy = "channel" | "process" | "side";
/** A lane of the map; `key` null is the lane of touchpoints without a process. */
export type Lane = { by: LaneBy; key: string | null };
/** Where a touchpoint goes: its stage, its lane and its index among the cards already in that cell. */
export type Placement = { stage: string; lane: Lane; index: number };
export type PlaceResult = { ok: true; journey: JourneyFile } | { ok: false; error: "touchpoint" | "stage" | "lane" };

/** The lane a touchpoint sits in when lanes are drawn by `by`. */
export function laneOf(touchpoint: Pick<JourneyTouchpoint, "channel" | "process" | "side">, by: LaneBy): string | null {
  return by === "channel" ? touchpoint.channel : by === "side" ? (touchpoint.side ?? "frontstage") : (touchpoint.process ?? null);
}

function withLane(touchpoint: JourneyTouchpoint, lane: Lane): JourneyTouchpoint {
  if (lane.by === "channel") return { ...touchpoint, channel: lane.key as JourneyTouchpoint["channel"] };
  if (lane.by === "side") return { ...touchpoint, side: lane.key as JourneyTouchpoint["side"] };
  return { ...touchpoint, process: lane.key };
}

/**
 * Where in the stage's list a card lands when it is the `index`-th card of its cell: before the card
 * now at that index in the cell, else just after the cell's last card, else at the end of the stage.
 */
function stagePosition(touchpoints: JourneyTouchpoint[], lane: Lane, index: number): number {
  const inCell = touchpoints.flatMap((t, i) => (laneOf(t, lane.by) === lane.key ? [i] : []));
  if (inCell.length === 0) return touchpoints.length;
  const clamped = Math.max(0, Math.min(index, inCell.length));
  return clamped < inCell.length ? inCell[clamped] : inCell[inCell.length - 1] + 1;
}

/**
 * Moves a touchpoint to a stage, a lane and a position in that cell. Lane keys are checked by the
 * caller against the workspace (channels, sides, processes); here only the journey's own shape.
 */
export function placeTouchpoint(journey: JourneyFile, key: string, to: Placement): PlaceResult {
  const found = findTouchpoint(journey, key);
  if (!found) return { ok: false, error: "touchpoint" };
  if (!journey.stages.some((s) => s.key === to.stage)) return { ok: false, error: "stage" };
  if (to.lane.key === null && to.lane.by !== "process") return { ok: false, error: "lane" };
  const moved = withLane(found.touchpoint, to.lane);
  const stages = journey.stages.map((stage) => ({ ...stage, touchpoints: stage.touchpoints.filter((t) => t.key !== key) }));
  const target = stages.find((s) => s.key === to.stage)!;
  const at = stagePosition(target.touchpoints, to.lane, to.index);
  target.touchpoints = [...target.touchpoints.slice(0, at), moved, ...target.touchpoints.slice(at)];
  return { ok: true, journey: { ...journey, stages } };
}

/** A key for a new touchpoint from its name, unique in the journey ("entrega", "entrega-2", …). */
export function newTouchpointKey(journey: JourneyFile, slug: string): string {
  const taken = new Set(journey.stages.flatMap((s) => s.touchpoints.map((t) => t.key)));
  const base = (slug || "touchpoint").slice(0, 56).replace(/-+$/, "") || "touchpoint";
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}
