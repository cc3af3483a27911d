// Business processes and touchpoint journeys: stages, touchpoints and the attributes measured there.
import { index, integer, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { workspaces } from "./accounts";

export const processes = sqliteTable(
  "processes",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
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

export const journeys = sqliteTable(
  "journeys",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    workspaceId: integer("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    name: text("name").notNull(),
    // The English name; "" until translated (readers fall back to `name`, the Spanish one).
    nameEn: text("name_en").notNull().default(""),
    persona: text("persona").notNull().default(""),
    description: text("description").notNull().default(""),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [uniqueIndex("journeys_ws_key").on(t.workspaceId, t.key)],
);

export const stages = sqliteTable(
  "stages",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
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

export const touchpoints = sqliteTable(
  "touchpoints",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
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
    momentOfTruth: integer("moment_of_truth", { mode: "boolean" }).notNull().default(false),
    momentOfTruthReason: text("moment_of_truth_reason").notNull().default(""),
    // JSON array of experiential modules (sense, feel, think, act, relate).
    modules: text("modules", { mode: "json" }).$type<string[]>().notNull(),
    targetDurationMinutes: real("target_duration_minutes"),
    position: integer("position").notNull(),
  },
  (t) => [
    // Touchpoint keys are unique per workspace: CRM events and the API name touchpoints by key.
    uniqueIndex("touchpoints_ws_key").on(t.workspaceId, t.key),
    index("touchpoints_stage").on(t.stageId, t.position),
    index("touchpoints_process").on(t.processId),
  ],
);

export const attributes = sqliteTable(
  "attributes",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
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
