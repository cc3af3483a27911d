// Surveys at the moments of truth: definitions with immutable published versions, deployments at a
// touchpoint (public link, personal invitations by rule), responses kept raw, their normalised
// measurements, and the additive rollups every dashboard reads.
import { sql } from "drizzle-orm";
import { check, index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { users, workspaces } from "./accounts";
import { touchpoints } from "./journeys";
import { crmEvents, customers } from "./crm";

const now = sql`(unixepoch('subsec') * 1000)`;

export const surveys = sqliteTable(
  "surveys",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    workspaceId: integer("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    touchpointId: integer("touchpoint_id").notNull().references(() => touchpoints.id, { onDelete: "restrict" }),
    title: text("title").notNull(),
    // The English title; "" until translated (readers fall back to `title`, the Spanish one).
    titleEn: text("title_en").notNull().default(""),
    // Template it was generated from (gap_pair, zone_of_tolerance, servqual, brand_experience, custom).
    template: text("template").notNull(),
    createdBy: integer("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(now),
    archivedAt: integer("archived_at", { mode: "timestamp_ms" }),
  },
  (t) => [index("surveys_ws_tp").on(t.workspaceId, t.touchpointId)],
);

export const surveyVersions = sqliteTable(
  "survey_versions",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    workspaceId: integer("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    surveyId: integer("survey_id").notNull().references(() => surveys.id, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    // The SurveyJS JSON, as text. A published version is never changed again.
    definition: text("definition").notNull(),
    status: text("status", { enum: ["draft", "published"] }).notNull(),
    createdBy: integer("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(now),
    publishedAt: integer("published_at", { mode: "timestamp_ms" }),
  },
  (t) => [uniqueIndex("survey_versions_survey_version").on(t.surveyId, t.version)],
);

export const deployments = sqliteTable(
  "deployments",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    workspaceId: integer("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    surveyId: integer("survey_id").notNull().references(() => surveys.id, { onDelete: "restrict" }),
    touchpointId: integer("touchpoint_id").notNull().references(() => touchpoints.id, { onDelete: "restrict" }),
    name: text("name").notNull(),
    // Public link token for anonymous answers (>= 128 random bits, base64url).
    publicToken: text("public_token").notNull().unique(),
    active: integer("active", { mode: "boolean" }).notNull().default(true),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(now),
  },
  (t) => [index("deployments_ws").on(t.workspaceId)],
);

export const deploymentRules = sqliteTable(
  "deployment_rules",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    workspaceId: integer("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    deploymentId: integer("deployment_id").notNull().references(() => deployments.id, { onDelete: "cascade" }),
    eventType: text("event_type").notNull(),
    touchpointKey: text("touchpoint_key"),
    delayMinutes: integer("delay_minutes").notNull().default(0),
    samplingRate: real("sampling_rate").notNull().default(1),
    quietPeriodDays: integer("quiet_period_days").notNull().default(30),
    expiryHours: integer("expiry_hours").notNull().default(168),
    capMax: integer("cap_max"),
    capPeriodDays: integer("cap_period_days"),
    active: integer("active", { mode: "boolean" }).notNull().default(true),
    position: integer("position").notNull().default(0),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(now),
  },
  (t) => [index("deployment_rules_ws_type").on(t.workspaceId, t.eventType)],
);

export const INVITATION_STATES = ["pending", "opened", "completed", "expired"] as const;

export const invitations = sqliteTable(
  "invitations",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    workspaceId: integer("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    deploymentId: integer("deployment_id").notNull().references(() => deployments.id, { onDelete: "cascade" }),
    customerId: integer("customer_id").notNull().references(() => customers.id, { onDelete: "cascade" }),
    // Single-use capability in the link (>= 128 random bits, base64url); the outbox shows it to admins.
    token: text("token").notNull().unique(),
    state: text("state", { enum: INVITATION_STATES }).notNull().default("pending"),
    ruleId: integer("rule_id").references(() => deploymentRules.id, { onDelete: "set null" }),
    eventId: integer("event_id").references(() => crmEvents.id, { onDelete: "set null" }),
    sendAt: integer("send_at", { mode: "timestamp_ms" }).notNull(),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    openedAt: integer("opened_at", { mode: "timestamp_ms" }),
    completedAt: integer("completed_at", { mode: "timestamp_ms" }),
    emailedAt: integer("emailed_at", { mode: "timestamp_ms" }),
    // Answers so far (SurveyJS data + current page), so a reload continues where the customer was.
    progress: text("progress"),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(now),
  },
  (t) => [
    index("invitations_ws_state").on(t.workspaceId, t.state),
    index("invitations_customer").on(t.workspaceId, t.customerId, t.createdAt),
    index("invitations_rule").on(t.ruleId, t.createdAt),
    uniqueIndex("invitations_event_customer").on(t.eventId, t.customerId),
  ],
);

export const responses = sqliteTable(
  "responses",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    workspaceId: integer("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    surveyVersionId: integer("survey_version_id").notNull().references(() => surveyVersions.id, { onDelete: "restrict" }),
    touchpointId: integer("touchpoint_id").notNull().references(() => touchpoints.id, { onDelete: "restrict" }),
    deploymentId: integer("deployment_id").references(() => deployments.id, { onDelete: "set null" }),
    invitationId: integer("invitation_id").references(() => invitations.id, { onDelete: "set null" }).unique(),
    customerId: integer("customer_id").references(() => customers.id, { onDelete: "set null" }),
    // The customer's tier when they answered ("" when unknown): analysis cuts by the tier at the time.
    tier: text("tier").notNull().default(""),
    lang: text("lang").notNull(),
    source: text("source", { enum: ["link", "invitation", "api"] }).notNull(),
    // The SurveyJS data exactly as received (text, never re-serialised).
    data: text("data").notNull(),
    comment: text("comment"),
    startedAt: integer("started_at", { mode: "timestamp_ms" }),
    completedAt: integer("completed_at", { mode: "timestamp_ms" }).notNull(),
    idempotencyKey: text("idempotency_key"),
    // sha256 of what the request with that key asked for: a retry must ask for the same thing.
    requestHash: text("request_hash"),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(now),
  },
  (t) => [
    index("responses_ws_tp_completed").on(t.workspaceId, t.touchpointId, t.completedAt),
    index("responses_customer").on(t.customerId, t.completedAt),
    uniqueIndex("responses_ws_idempotency").on(t.workspaceId, t.idempotencyKey),
  ],
);

export const measurements = sqliteTable(
  "measurements",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    workspaceId: integer("workspace_id").notNull(),
    responseId: integer("response_id").notNull().references(() => responses.id, { onDelete: "cascade" }),
    touchpointId: integer("touchpoint_id").notNull(),
    // "" at touchpoint level (NPS, CSAT, CES); reverse-coded items are stored already flipped.
    attributeKey: text("attribute_key").notNull(),
    kind: text("kind").notNull(),
    value: real("value").notNull(),
    // The attribute's SERVQUAL dimension (null otherwise): what dimension and weighted gaps group
    // by, kept on the row so the rollups can be folded from these rows alone (ADR 012).
    dimension: text("dimension"),
  },
  // Read only by response (drill-downs, behaviour, cases): one index, on response_id. An index by
  // (workspace, touchpoint, kind) used to be here; nothing read through it, and inserting into an
  // index ordered by kind cost more than the rows themselves (ADR 011).
  (t) => [index("measurements_response").on(t.responseId)],
);

/** The additive columns of both rollup levels (meanings in app/cem/rollup.ts); fresh builders per table. */
const rollupSums = () => ({
  n: integer("n").notNull().default(0),
  sum: real("sum").notNull().default(0),
  sumSq: real("sum_sq").notNull().default(0),
  sumP: real("sum_p").notNull().default(0),
  sumE: real("sum_e").notNull().default(0),
  sumY: real("sum_y").notNull().default(0),
  sumYSq: real("sum_y_sq").notNull().default(0),
  sumXY: real("sum_xy").notNull().default(0),
  promoters: integer("promoters").notNull().default(0),
  passives: integer("passives").notNull().default(0),
  detractors: integer("detractors").notNull().default(0),
  top2: integer("top2").notNull().default(0),
});

/**
 * Additive sums per workspace × touchpoint × attribute × kind × day × tier × language (columns as
 * in app/cem/rollup.ts). Dashboards add rows; they never read responses.
 */
export const rollups = sqliteTable(
  "rollups",
  {
    workspaceId: integer("workspace_id").notNull(),
    touchpointId: integer("touchpoint_id").notNull(),
    attributeKey: text("attribute_key").notNull(),
    kind: text("kind").notNull(),
    day: text("day").notNull(),
    tier: text("tier").notNull(),
    lang: text("lang").notNull(),
    ...rollupSums(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.touchpointId, t.attributeKey, t.kind, t.day, t.tier, t.lang] })],
);

/**
 * The same sums per ISO week (`week` = its Monday, app/cem/rollup-weeks.ts), folded in beside the
 * daily rows in the same transaction (app/data/rollup-writes.server.ts). A window reads its whole
 * weeks here and only the edge days from `rollups`: up to 7× fewer rows (ADR 010).
 * The table is WITHOUT ROWID, which drizzle cannot declare: migration 0003 says so by hand (a
 * migration that recreates this table must too). Rows written week after week are then still read
 * in key order, at the same upsert cost; `rollups` stays a rowid table (its upserts measured slower
 * without rowid, and windows read only their edge days from it).
 */
export const rollupsWeekly = sqliteTable(
  "rollups_weekly",
  {
    workspaceId: integer("workspace_id").notNull(),
    touchpointId: integer("touchpoint_id").notNull(),
    attributeKey: text("attribute_key").notNull(),
    kind: text("kind").notNull(),
    week: text("week").notNull(),
    tier: text("tier").notNull(),
    lang: text("lang").notNull(),
    ...rollupSums(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.touchpointId, t.attributeKey, t.kind, t.week, t.tier, t.lang] })],
);
