// Names a designer gives (journeys, stages, touchpoints, processes, surveys) are stored in Spanish
// (`name`) and English (`nameEn`). A reader sees the one of their language, or the other one while
// the translation is missing.
import type { Lang } from "./lang";

export type Named = { name: string; nameEn?: string | null };

export function localName(item: Named, lang: Lang): string {
  const es = item.name.trim();
  const en = item.nameEn?.trim() ?? "";
  return lang === "en" ? en || es : es || en;
}

/** The language a name is missing in, or null when it has both. */
export function missingLanguage(item: Named): Lang | null {
  if (!item.nameEn?.trim()) return "en";
  if (!item.name.trim()) return "es";
  return null;
}

type NamedJourney = Named & { stages: (Named & { touchpoints: Named[] })[] };

/** The journey with every name in the reader's language (for the map and read-only views). */
export function localizedJourney<J extends NamedJourney>(journey: J, lang: Lang): J {
  const local = <T extends Named>(item: T): T => ({ ...item, name: localName(item, lang) });
  return {
    ...local(journey),
    stages: journey.stages.map((stage) => ({ ...local(stage), touchpoints: stage.touchpoints.map(local) })),
  };
}

/** How many of the journey's names (itself, its stages and touchpoints) lack a language. */
export function untranslatedNames(journey: NamedJourney): number {
  const all: Named[] = [journey, ...journey.stages, ...journey.stages.flatMap((s) => s.touchpoints)];
  return all.filter((item) => missingLanguage(item) !== null).length;
}
