// The journey map's texts in the interface language.
import { CHANNELS, MODULES, SIDES } from "~/cem/journey";
import type { MessageKey } from "~/i18n/messages";
import { useT } from "~/i18n/use-t";
import type { JourneyMapLabels } from "./JourneyMap";

export function useJourneyMapLabels(): JourneyMapLabels {
  const t = useT();
  const each = <K extends string>(keys: readonly K[], prefix: string) =>
    Object.fromEntries(keys.map((k) => [k, t(`${prefix}.${k}` as MessageKey)])) as Record<K, string>;
  return {
    title: t("map.title", { name: "{name}" }),
    summary: t("map.summary", { stages: "{stages}", touchpoints: "{touchpoints}", moments: "{moments}", lanes: "{lanes}" }),
    laneBy: { channel: t("journey.lane.channel"), process: t("journey.lane.process"), side: t("journey.lane.side") },
    channels: each(CHANNELS, "channel"),
    sides: each(SIDES, "side"),
    modules: each(MODULES, "module"),
    noProcess: t("map.noProcess"),
    momentOfTruth: t("tp.mot"),
    belowMin: t("map.belowMin"),
    legend: t("map.legend"),
    scoreLow: t("map.low"),
    scoreHigh: t("map.high"),
  };
}
