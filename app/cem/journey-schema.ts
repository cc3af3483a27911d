// The journey file format "vivencia.journey/1": one zod schema is the single source of truth for
// the TypeScript types, for validation on import, and for the published JSON Schema.
import { z } from "zod";

export const JOURNEY_FORMAT = "vivencia.journey/1";
export const JOURNEY_SCHEMA_REF = "./journey.schema.json";

export const CHANNELS = ["store", "web", "app", "phone", "email", "chat", "social", "field", "other"] as const;
// Schmitt's three kinds of customer interface.
export const INTERACTIONS = ["person-to-person", "person-to-technology", "person-to-environment"] as const;
// Schmitt's strategic experiential modules.
export const MODULES = ["sense", "feel", "think", "act", "relate"] as const;
export const SERVQUAL_DIMENSIONS = ["tangibles", "reliability", "responsiveness", "assurance", "empathy"] as const;
// The line of visibility of a service blueprint: what the customer sees, and what shapes it unseen.
export const SIDES = ["frontstage", "backstage"] as const;

export type Channel = (typeof CHANNELS)[number];
export type Interaction = (typeof INTERACTIONS)[number];
export type ExperientialModule = (typeof MODULES)[number];
export type ServqualDimension = (typeof SERVQUAL_DIMENSIONS)[number];
export type Side = (typeof SIDES)[number];

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
// Attribute keys end up as column-like identifiers in measurements, hence snake_case rather than slugs.
const ATTRIBUTE_KEY = /^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$/;

const slug = (what: string) =>
  z
    .string()
    .max(64, { error: `${what} must be at most 64 characters` })
    .regex(SLUG, { error: `${what} must be a slug: lowercase letters and digits in words joined by single hyphens` })
    .describe(`${what}: lowercase letters and digits joined by single hyphens, at most 64 characters`);

const text = (description: string) => z.string().describe(description);
// The English name beside the Spanish `name`: optional, so files written before it still import; empty
// means "not translated yet" and readers in English see the Spanish name.
const englishName = (what: string) =>
  z.string().default("").describe(`${what} in English; empty until translated (English readers then see the Spanish name)`);
// A blank name is as useless as a missing one; the pattern says so without trimming the designer's text.
const requiredText = (what: string) =>
  z.string().regex(/\S/, { error: `${what} must not be empty` }).describe(what);

export const AttributeLabelSchema = z
  .strictObject({
    es: requiredText("Spanish label"),
    en: requiredText("English label"),
  })
  .describe("What the customer is asked about, in both languages of the UI");

export const JourneyAttributeSchema = z
  .strictObject({
    key: z
      .string()
      .max(64, { error: "attribute key must be at most 64 characters" })
      .regex(ATTRIBUTE_KEY, { error: "attribute key must be snake_case: lowercase letters and digits joined by underscores" })
      .describe("Attribute key, snake_case, unique within its touchpoint (e.g. waiting_time)"),
    label: AttributeLabelSchema,
    servqual: z
      .enum(SERVQUAL_DIMENSIONS)
      .nullable()
      .default(null)
      .describe("SERVQUAL dimension the attribute belongs to, or null when none fits"),
  })
  .describe("A quality attribute measured at the touchpoint (expectation vs perception)");

export const MomentOfTruthSchema = z
  .strictObject({
    reason: requiredText("Why this contact makes or breaks the experience"),
  })
  .describe("A moment of truth: the contact where the customer forms or revises their judgement");

export const JourneyTouchpointSchema = z
  .strictObject({
    key: slug("touchpoint key"),
    name: requiredText("touchpoint name"),
    nameEn: englishName("Touchpoint name"),
    channel: z.enum(CHANNELS).describe("Channel of the contact"),
    interaction: z.enum(INTERACTIONS).describe("Kind of customer interface (Schmitt)"),
    process: slug("process key").nullable().default(null).describe("Key of the owning process, or null"),
    side: z.enum(SIDES).default("frontstage").describe("Visible to the customer (frontstage) or not (backstage)"),
    momentOfTruth: MomentOfTruthSchema.nullable().default(null),
    modules: z
      .array(z.enum(MODULES))
      .default([])
      .meta({ uniqueItems: true })
      .describe("Experiential modules the touchpoint targets (SENSE, FEEL, THINK, ACT, RELATE)"),
    targetDurationMinutes: z
      .number()
      .positive({ error: "target duration must be positive" })
      .nullable()
      .default(null)
      .describe("How long the contact should take, in minutes: as long as the transaction needs"),
    attributes: z.array(JourneyAttributeSchema).default([]),
  })
  .describe("A contact between customer and brand");

export const JourneyStageSchema = z
  .strictObject({
    key: slug("stage key"),
    name: requiredText("stage name"),
    nameEn: englishName("Stage name"),
    touchpoints: z.array(JourneyTouchpointSchema).default([]),
  })
  .describe("A stage of the journey, in customer order");

export const JourneyProcessSchema = z
  .strictObject({
    key: slug("process key"),
    name: requiredText("process name"),
    nameEn: englishName("Process name"),
    owner: text("Who answers for the process (role or team)").default(""),
    description: text("What the process does").default(""),
  })
  .describe("A business process that shapes the experience (CRM measures its result, CEM its effect)");

export type JourneyAttribute = z.output<typeof JourneyAttributeSchema>;
export type MomentOfTruth = z.output<typeof MomentOfTruthSchema>;
export type JourneyTouchpoint = z.output<typeof JourneyTouchpointSchema>;
export type JourneyStage = z.output<typeof JourneyStageSchema>;
export type JourneyProcess = z.output<typeof JourneyProcessSchema>;

type IssuePath = (string | number)[];

/** `["stages", 1, "touchpoints", 0, "channel"]` → `stages[1].touchpoints[0].channel`; the root is "". */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (typeof segment === "string" && /^[A-Za-z_$][\w$]*$/.test(segment)) out += out ? `.${segment}` : segment;
    else out += `[${JSON.stringify(String(segment))}]`;
  }
  return out;
}
export type CrossFieldIssue = { path: IssuePath; message: string };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const listOf = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const keyOf = (value: unknown): string | undefined =>
  isRecord(value) && typeof value.key === "string" ? value.key : undefined;

/** Reports a duplicate at every repetition, so each offending entry carries its own path. */
function duplicateKeys(
  entries: { key: string | undefined; path: IssuePath }[],
  what: string,
  issues: CrossFieldIssue[],
) {
  const firstSeen = new Map<string, IssuePath>();
  for (const { key, path } of entries) {
    if (key === undefined) continue;
    const first = firstSeen.get(key);
    if (first) issues.push({ path, message: `duplicate ${what} "${key}" (first used at ${formatIssuePath(first)})` });
    else firstSeen.set(key, path);
  }
}

/**
 * The checks no single field can make. It reads the value as unknown because it also runs on
 * files that failed field validation: a designer fixing an import wants every error at once.
 */
export function journeyCrossFieldIssues(value: unknown): CrossFieldIssue[] {
  const issues: CrossFieldIssue[] = [];
  if (!isRecord(value)) return issues;
  const stages = listOf(value.stages);
  const processes = listOf(value.processes);
  duplicateKeys(
    processes.map((p, i) => ({ key: keyOf(p), path: ["processes", i, "key"] })),
    "process key",
    issues,
  );
  duplicateKeys(
    stages.map((s, i) => ({ key: keyOf(s), path: ["stages", i, "key"] })),
    "stage key",
    issues,
  );
  const processKeys = new Set(processes.map(keyOf).filter((k): k is string => k !== undefined));
  const touchpoints: { key: string | undefined; path: IssuePath }[] = [];
  stages.forEach((stage, s) => {
    listOf(isRecord(stage) ? stage.touchpoints : undefined).forEach((tp, t) => {
      const at: IssuePath = ["stages", s, "touchpoints", t];
      touchpoints.push({ key: keyOf(tp), path: [...at, "key"] });
      if (!isRecord(tp)) return;
      if (typeof tp.process === "string" && !processKeys.has(tp.process)) {
        issues.push({ path: [...at, "process"], message: `process "${tp.process}" is not listed in "processes"` });
      }
      duplicateKeys(
        listOf(tp.attributes).map((a, i) => ({ key: keyOf(a), path: [...at, "attributes", i, "key"] })),
        "attribute key in this touchpoint",
        issues,
      );
      const modules = listOf(tp.modules);
      modules.forEach((m, i) => {
        if (modules.indexOf(m) !== i) issues.push({ path: [...at, "modules", i], message: `module "${String(m)}" is listed twice` });
      });
    });
  });
  duplicateKeys(touchpoints, "touchpoint key", issues);
  return issues;
}

export const JourneyFileSchema = z
  .strictObject({
    $schema: z.string().optional().describe(`Path or URL of this JSON Schema; exported as "${JOURNEY_SCHEMA_REF}"`),
    format: z.literal(JOURNEY_FORMAT).describe("File format and version"),
    key: slug("journey key"),
    name: requiredText("journey name"),
    nameEn: englishName("Journey name"),
    persona: text("The persona or segment whose journey this is").default(""),
    description: text("What the journey covers").default(""),
    processes: z.array(JourneyProcessSchema).default([]),
    // A journey being drafted may have no stages yet: it is created first, then mapped.
    stages: z.array(JourneyStageSchema),
  })
  .superRefine(
    (journey, ctx) => {
      for (const issue of journeyCrossFieldIssues(journey)) {
        ctx.addIssue({ code: "custom", path: issue.path, message: issue.message, input: journey });
      }
    },
    // Run even when fields failed, as long as there is an object to look at.
    { when: (payload) => isRecord(payload.value) },
  );

/** A journey as held in memory: every defaulted field filled in. */
export type JourneyFile = z.output<typeof JourneyFileSchema>;
/** A journey as a file may spell it: defaulted fields may be left out. */
export type JourneyFileInput = z.input<typeof JourneyFileSchema>;
