// The journey map's edits as a form boundary: a touchpoint placed in a stage, lane and position, or a
// new one added where the map was clicked. Validated here (zod, lane keys against the workspace),
// applied by the pure operations of app/cem/journey-edit.ts; the caller saves through the journey schema.
import { z } from "zod";
import { CHANNELS, SIDES, type JourneyFile, type JourneyTouchpoint } from "~/cem/journey";
import { newTouchpointKey, placeTouchpoint, referencedProcesses, upsertTouchpoint, type Lane } from "~/cem/journey-edit";
import { slugify } from "~/cem/slug";
import { requestLang } from "~/i18n/lang.server";
import { translator, type MessageKey } from "~/i18n/messages";
import { formSlug, formText, parseSubmission } from "./form-schema";

const LaneFields = {
  stage: formSlug(),
  laneBy: z.enum(["channel", "process", "side"]),
  // Empty is the lane of touchpoints without a process.
  lane: z.string().trim().max(64).optional(),
};
export const PlaceSchema = z.object({ intent: z.literal("place"), tp: formSlug(), index: z.number().int().min(0).max(10_000), ...LaneFields });
export const AddAtSchema = z.object({ intent: z.literal("addAt"), name: formText(160), ...LaneFields });
const MapEditSchema = z.discriminatedUnion("intent", [PlaceSchema, AddAtSchema]);

type Process = { key: string; name: string; nameEn: string; owner: string; description: string };
export type MapEditResult = { ok: true; journey: JourneyFile; touchpoint: string } | { ok: false; fields: Record<string, string> };

function laneValid(lane: Lane, processes: readonly Process[]): boolean {
  if (lane.by === "channel") return (CHANNELS as readonly (string | null)[]).includes(lane.key);
  if (lane.by === "side") return (SIDES as readonly (string | null)[]).includes(lane.key);
  return lane.key === null || processes.some((p) => p.key === lane.key);
}

export async function mapEdit(request: Request, journey: JourneyFile, formData: FormData, processes: Process[]): Promise<MapEditResult> {
  const lang = await requestLang(request);
  const t = translator(lang);
  const submission = parseSubmission(formData, MapEditSchema, lang);
  if (submission.status !== "success") {
    const errors = submission.status === "error" ? (submission.error ?? {}) : {};
    return { ok: false, fields: Object.fromEntries(Object.entries(errors).map(([k, v]) => [k, (v ?? []).join(" ")])) };
  }
  const input = submission.value;
  const lane: Lane = { by: input.laneBy, key: input.lane ? input.lane : null };
  if (!laneValid(lane, processes)) return { ok: false, fields: { lane: t("map.edit.unknownLane") } };
  if (!journey.stages.some((s) => s.key === input.stage)) return { ok: false, fields: { stage: t("map.edit.unknownStage") } };

  if (input.intent === "place") {
    const placed = placeTouchpoint(journey, input.tp, { stage: input.stage, lane, index: input.index });
    if (!placed.ok) {
      const key: Record<typeof placed.error, MessageKey> = { touchpoint: "map.edit.unknownTouchpoint", stage: "map.edit.unknownStage", lane: "map.edit.unknownLane" };
      return { ok: false, fields: { [placed.error === "touchpoint" ? "tp" : placed.error]: t(key[placed.error]) } };
    }
    return { ok: true, journey: { ...placed.journey, processes: referencedProcesses(placed.journey, processes) }, touchpoint: input.tp };
  }

  // A new touchpoint takes what its lane says; the rest starts at the form's defaults, edited later.
  const key = newTouchpointKey(journey, slugify(input.name));
  const touchpoint: JourneyTouchpoint = {
    key,
    name: input.name,
    nameEn: "",
    channel: lane.by === "channel" ? (lane.key as JourneyTouchpoint["channel"]) : "store",
    interaction: "person-to-person",
    process: lane.by === "process" ? lane.key : null,
    side: lane.by === "side" ? (lane.key as JourneyTouchpoint["side"]) : "frontstage",
    momentOfTruth: null,
    modules: [],
    targetDurationMinutes: null,
    attributes: [],
  };
  const next = upsertTouchpoint(journey, input.stage, touchpoint);
  return { ok: true, journey: { ...next, processes: referencedProcesses(next, processes) }, touchpoint: key };
}
