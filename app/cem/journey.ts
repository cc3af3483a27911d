// Journeys as code: reading, writing and publishing the "vivencia.journey/1" file format.
// Pure functions over text and values; the schema itself lives in journey-schema.ts.
import { z } from "zod";
import { jsonTextProblem, unsafeMember, unsafeMemberProblem } from "./bounded-json";
import { findJsonSyntaxProblem, lineAndColumn } from "./journey-json-syntax";
import {
  JOURNEY_FORMAT,
  JOURNEY_SCHEMA_REF,
  JourneyFileSchema,
  formatIssuePath,
  type JourneyAttribute,
  type JourneyFile,
  type JourneyProcess,
  type JourneyStage,
  type JourneyTouchpoint,
} from "./journey-schema";

export * from "./journey-schema";

export type JourneyFileError = { path: string; message: string };
export type JourneyParseResult = { ok: true; journey: JourneyFile } | { ok: false; errors: JourneyFileError[] };

// Zod's wording for a missing field ("expected string, received undefined") hides that it is missing.
const missingFieldMessages: z.core.$ZodErrorMap = (issue) =>
  issue.code === "invalid_type" && issue.input === undefined ? "required field is missing" : undefined;

/** Validates a journey already parsed from JSON; every problem is reported with its path. */
export function validateJourney(data: unknown): JourneyParseResult {
  const result = JourneyFileSchema.safeParse(data, { error: missingFieldMessages });
  if (result.success) return { ok: true, journey: result.data };
  const errors: JourneyFileError[] = [];
  for (const issue of result.error.issues) {
    if (issue.code === "unrecognized_keys") {
      // One error per unknown field, so each points at the line to delete or fix.
      for (const key of issue.keys) {
        errors.push({ path: formatIssuePath([...issue.path, key]), message: `unknown field "${key}"` });
      }
    } else {
      errors.push({ path: formatIssuePath(issue.path), message: issue.message });
    }
  }
  return { ok: false, errors };
}

/** Parses the text of a journey file. Invalid JSON yields one error at the root naming line and column. */
export function parseJourneyFile(text: string): JourneyParseResult {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  // Nesting is checked before parsing: a journey file is a few levels deep, a hostile one is not.
  const tooDeep = jsonTextProblem(source);
  if (tooDeep) return { ok: false, errors: [{ path: "", message: tooDeep.message }] };
  let data: unknown;
  try {
    data = JSON.parse(source);
  } catch (error) {
    const problem = findJsonSyntaxProblem(source);
    const message = problem
      ? `invalid JSON at line ${problem.line}, column ${problem.column}: ${problem.message}`
      : `invalid JSON: ${engineJsonMessage(source, error)}`;
    return { ok: false, errors: [{ path: "", message }] };
  }
  const unsafe = unsafeMember(data);
  if (unsafe) return { ok: false, errors: [{ path: unsafe.path, message: unsafeMemberProblem(unsafe).message }] };
  return validateJourney(data);
}

// Only reached if the scanner and the engine disagree; keep the engine's words, with a position if given.
function engineJsonMessage(source: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const position = /position (\d+)/.exec(message);
  if (!position) return message;
  const { line, column } = lineAndColumn(source, Number(position[1]));
  return `${message} (line ${line}, column ${column})`;
}

// Canonical form: every field present, in the documented order, so that exported files diff cleanly
// and serialize(parse(serialize(x))) is byte-identical.
function canonicalAttribute(a: JourneyAttribute) {
  return { key: a.key, label: { es: a.label.es, en: a.label.en }, servqual: a.servqual ?? null };
}

function canonicalTouchpoint(t: JourneyTouchpoint) {
  return {
    key: t.key,
    name: t.name,
    nameEn: t.nameEn ?? "",
    channel: t.channel,
    interaction: t.interaction,
    process: t.process ?? null,
    side: t.side ?? "frontstage",
    momentOfTruth: t.momentOfTruth ? { reason: t.momentOfTruth.reason } : null,
    modules: [...(t.modules ?? [])],
    targetDurationMinutes: t.targetDurationMinutes ?? null,
    attributes: (t.attributes ?? []).map(canonicalAttribute),
  };
}

function canonicalStage(s: JourneyStage) {
  return { key: s.key, name: s.name, nameEn: s.nameEn ?? "", touchpoints: (s.touchpoints ?? []).map(canonicalTouchpoint) };
}

function canonicalProcess(p: JourneyProcess) {
  return { key: p.key, name: p.name, nameEn: p.nameEn ?? "", owner: p.owner ?? "", description: p.description ?? "" };
}

/** Writes the canonical text of a journey file: fixed key order, 2-space indent, trailing newline. */
export function serializeJourneyFile(journey: JourneyFile): string {
  const canonical = {
    $schema: JOURNEY_SCHEMA_REF,
    format: JOURNEY_FORMAT,
    key: journey.key,
    name: journey.name,
    nameEn: journey.nameEn ?? "",
    persona: journey.persona ?? "",
    description: journey.description ?? "",
    processes: (journey.processes ?? []).map(canonicalProcess),
    stages: journey.stages.map(canonicalStage),
  };
  return `${JSON.stringify(canonical, null, 2)}\n`;
}

export const JOURNEY_SCHEMA_ID = "urn:vivencia:schema:journey:1";

/** The published JSON Schema (draft 2020-12), generated from JourneyFileSchema; never edit it by hand. */
export function journeyJsonSchema(): Record<string, unknown> {
  // "input": a file may leave out the fields that have defaults.
  const { $schema, ...generated } = z.toJSONSchema(JourneyFileSchema, { target: "draft-2020-12", io: "input" });
  return {
    $schema,
    $id: JOURNEY_SCHEMA_ID,
    title: "Vivencia journey",
    description:
      "A customer journey as code (format vivencia.journey/1): stages in customer order, their touchpoints " +
      "with channel, interaction, owning process, moments of truth, experiential modules and measured attributes.",
    ...generated,
  };
}

/** The exact text of journeys/journey.schema.json; a test keeps the committed file equal to it. */
export function journeyJsonSchemaText(): string {
  return `${JSON.stringify(journeyJsonSchema(), null, 2)}\n`;
}

export type PlacedTouchpoint = { touchpoint: JourneyTouchpoint; stage: JourneyStage; index: number };

/** Touchpoints in journey order (stage by stage), each with its stage and position. */
export function journeyTouchpoints(journey: Pick<JourneyFile, "stages">): PlacedTouchpoint[] {
  return journey.stages.flatMap((stage) => stage.touchpoints.map((touchpoint) => ({ touchpoint, stage }))).map(
    (placed, index) => ({ ...placed, index }),
  );
}

/**
 * Touchpoint keys used by more than one journey. Keys must be unique in a workspace, because
 * surveys, deployments and measurements point at a touchpoint by key alone.
 */
export function findTouchpointKeyClashes(journeys: JourneyFile[]): { key: string; journeys: string[] }[] {
  const owners = new Map<string, string[]>();
  for (const journey of journeys) {
    for (const { touchpoint } of journeyTouchpoints(journey)) {
      owners.set(touchpoint.key, [...(owners.get(touchpoint.key) ?? []), journey.key]);
    }
  }
  return [...owners].filter(([, keys]) => keys.length > 1).map(([key, keys]) => ({ key, journeys: keys }));
}
