// Business processes and touchpoint journeys: stages, touchpoints and the attributes measured there.
// PostgreSQL counterpart of db/schema/journeys.ts.
import { boolean, doublePrecision, index, integer, jsonb, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { workspaces } from "./accounts";
import { instant, serialId } from "./columns";

export const processes = pgTable(
  "processes",
  {
    id: serialId(),
    workspaceId: integer("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    name: text("name").notNull(),
    // The English name; "" until translated (readers fall back to `name`, the Spanish one).
    nameEn: text("name_en").notNull().default(""),
    owner: text("owner").notNull().default(""),
    description: text("description").notNull().default(""),
  },
  (t) => [uniqueIndex("processes_ws_key").on(t.workspaceId, t.key)],
);

export const journeys = pgTable(
  "journeys",
  {
    id: serialId(),
    workspaceId: integer("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    name: text("name").notNull(),
    // The English name; "" until translated (readers fall back to `name`, the Spanish one).
    nameEn: text("name_en").notNull().default(""),
    persona: text("persona").notNull().default(""),
    description: text("description").notNull().default(""),
    updatedAt: instant("updated_at").notNull(),
  },
  (t) => [uniqueIndex("journeys_ws_key").on(t.workspaceId, t.key)],
);

export const stages = pgTable(
  "stages",
  {
    id: serialId(),
    workspaceId: integer("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    journeyId: integer("journey_id").notNull().references(() => journeys.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    name: text("name").notNull(),
    // The English name; "" until translated (readers fall back to `name`, the Spanish one).
    nameEn: text("name_en").notNull().default(""),
    position: integer("position").notNull(),
  },
  (t) => [uniqueIndex("stages_journey_key").on(t.journeyId, t.key)],
);

export const touchpoints = pgTable(
  "touchpoints",
  {
    id: serialId(),
    workspaceId: integer("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    journeyId: integer("journey_id").notNull().references(() => journeys.id, { onDelete: "cascade" }),
    stageId: integer("stage_id").notNull().references(() => stages.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    name: text("name").notNull(),
    // The English name; "" until translated (readers fall back to `name`, the Spanish one).
    nameEn: text("name_en").notNull().default(""),
    channel: text("channel").notNull(),
    interaction: text("interaction").notNull(),
    processId: integer("process_id").references(() => processes.id, { onDelete: "set null" }),
    side: text("side").notNull(),
    momentOfTruth: boolean("moment_of_truth").notNull().default(false),
    momentOfTruthReason: text("moment_of_truth_reason").notNull().default(""),
    // JSON array of experiential modules (sense, feel, think, act, relate).
    modules: jsonb("modules").$type<string[]>().notNull(),
    targetDurationMinutes: doublePrecision("target_duration_minutes"),
    position: integer("position").notNull(),
  },
  (t) => [
    // Touchpoint keys are unique per workspace: CRM events and the API name touchpoints by key.
    uniqueIndex("touchpoints_ws_key").on(t.workspaceId, t.key),
    index("touchpoints_stage").on(t.stageId, t.position),
    index("touchpoints_process").on(t.processId),
  ],
);

export const attributes = pgTable(
  "attributes",
  {
    id: serialId(),
    workspaceId: integer("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    touchpointId: integer("touchpoint_id").notNull().references(() => touchpoints.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    labelEs: text("label_es").notNull(),
    labelEn: text("label_en").notNull(),
    servqual: text("servqual"),
    position: integer("position").notNull(),
  },
  (t) => [uniqueIndex("attributes_tp_key").on(t.touchpointId, t.key)],
);
