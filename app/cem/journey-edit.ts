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
