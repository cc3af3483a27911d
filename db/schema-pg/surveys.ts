// Surveys at the moments of truth: definitions with immutable published versions, deployments at a
// touchpoint (public link, personal invitations by rule), responses kept raw, their normalised
// measurements, and the additive rollups every dashboard reads.
// PostgreSQL counterpart of db/schema/surveys.ts.
import { sql } from "drizzle-orm";
import { boolean, check, doublePrecision, index, integer, pgTable, primaryKey, text, uniqueIndex } from "drizzle-orm/pg-core";
import { INVITATION_STATES } from "../schema/surveys";
import { users, workspaces } from "./accounts";
import { dailyRollupColumns, instant, instantNow, serialId, weeklyRollupColumns } from "./columns";
import { crmEvents, customers } from "./crm";
import { touchpoints } from "./journeys";

export { INVITATION_STATES };

export const surveys = pgTable(
  "surveys",
  {
    id: serialId(),
    workspaceId: integer("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    touchpointId: integer("touchpoint_id").notNull().references(() => touchpoints.id, { onDelete: "restrict" }),
    title: text("title").notNull(),
    // The English title; "" until translated (readers fall back to `title`, the Spanish one).
    titleEn: text("title_en").notNull().default(""),
    // Template it was generated from (gap_pair, zone_of_tolerance, servqual, brand_experience, custom).
    template: text("template").notNull(),
    createdBy: integer("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: instantNow("created_at"),
    archivedAt: instant("archived_at"),
  },
  (t) => [index("surveys_ws_tp").on(t.workspaceId, t.touchpointId)],
);

export const surveyVersions = pgTable(
  "survey_versions",
  {
    id: serialId(),
    workspaceId: integer("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    surveyId: integer("survey_id").notNull().references(() => surveys.id, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    // The SurveyJS JSON, as text. A published version is never changed again.
    definition: text("definition").notNull(),
    status: text("status", { enum: ["draft", "published"] }).notNull(),
    createdBy: integer("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: instantNow("created_at"),
    publishedAt: instant("published_at"),
  },
  (t) => [uniqueIndex("survey_versions_survey_version").on(t.surveyId, t.version)],
);

export const deployments = pgTable(
  "deployments",
  {
    id: serialId(),
    workspaceId: integer("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    surveyId: integer("survey_id").notNull().references(() => surveys.id, { onDelete: "restrict" }),
    touchpointId: integer("touchpoint_id").notNull().references(() => touchpoints.id, { onDelete: "restrict" }),
    name: text("name").notNull(),
    // Public link token for anonymous answers (>= 128 random bits, base64url).
    publicToken: text("public_token").notNull().unique(),
    active: boolean("active").notNull().default(true),
    createdAt: instantNow("created_at"),
  },
  (t) => [index("deployments_ws").on(t.workspaceId)],
);

export const deploymentRules = pgTable(
  "deployment_rules",
  {
    id: serialId(),
    workspaceId: integer("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    deploymentId: integer("deployment_id").notNull().references(() => deployments.id, { onDelete: "cascade" }),
    eventType: text("event_type").notNull(),
    touchpointKey: text("touchpoint_key"),
    delayMinutes: integer("delay_minutes").notNull().default(0),
    samplingRate: doublePrecision("sampling_rate").notNull().default(1),
    quietPeriodDays: integer("quiet_period_days").notNull().default(30),
    expiryHours: integer("expiry_hours").notNull().default(168),
    capMax: integer("cap_max"),
    capPeriodDays: integer("cap_period_days"),
    active: boolean("active").notNull().default(true),
    position: integer("position").notNull().default(0),
    createdAt: instantNow("created_at"),
  },
  (t) => [index("deployment_rules_ws_type").on(t.workspaceId, t.eventType)],
);

export const invitations = pgTable(
  "invitations",
  {
    id: serialId(),
    workspaceId: integer("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    deploymentId: integer("deployment_id").notNull().references(() => deployments.id, { onDelete: "cascade" }),
    customerId: integer("customer_id").notNull().references(() => customers.id, { onDelete: "cascade" }),
    // Single-use capability in the link (>= 128 random bits, base64url); the outbox shows it to admins.
    token: text("token").notNull().unique(),
    state: text("state", { enum: INVITATION_STATES }).notNull().default("pending"),
    ruleId: integer("rule_id").references(() => deploymentRules.id, { onDelete: "set null" }),
    eventId: integer("event_id").references(() => crmEvents.id, { onDelete: "set null" }),
    sendAt: instant("send_at").notNull(),
    expiresAt: instant("expires_at").notNull(),
    openedAt: instant("opened_at"),
    completedAt: instant("completed_at"),
    emailedAt: instant("emailed_at"),
    // Answers so far (SurveyJS data + current page), so a reload continues where the customer was.
    progress: text("progress"),
    createdAt: instantNow("created_at"),
  },
  (t) => [
    index("invitations_ws_state").on(t.workspaceId, t.state),
    index("invitations_customer").on(t.workspaceId, t.customerId, t.createdAt),
    index("invitations_rule").on(t.ruleId, t.createdAt),
    uniqueIndex("invitations_event_customer").on(t.eventId, t.customerId),
  ],
);

export const responses = pgTable(
  "responses",
  {
    id: serialId(),
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
    // The SurveyJS data exactly as received (text, never re-serialised: not jsonb).
    data: text("data").notNull(),
    comment: text("comment"),
    startedAt: instant("started_at"),
    completedAt: instant("completed_at").notNull(),
    idempotencyKey: text("idempotency_key"),
    // sha256 of what the request with that key asked for: a retry must ask for the same thing.
    requestHash: text("request_hash"),
    createdAt: instantNow("created_at"),
  },
  (t) => [
    index("responses_ws_tp_completed").on(t.workspaceId, t.touchpointId, t.completedAt),
    index("responses_customer").on(t.customerId, t.completedAt),
    uniqueIndex("responses_ws_idempotency").on(t.workspaceId, t.idempotencyKey),
  ],
);

export const measurements = pgTable(
  "measurements",
  {
    id: serialId(),
    workspaceId: integer("workspace_id").notNull(),
    responseId: integer("response_id").notNull().references(() => responses.id, { onDelete: "cascade" }),
    touchpointId: integer("touchpoint_id").notNull(),
    // "" at touchpoint level (NPS, CSAT, CES); reverse-coded items are stored already flipped.
    attributeKey: text("attribute_key").notNull(),
    kind: text("kind").notNull(),
    value: doublePrecision("value").notNull(),
    // The attribute's SERVQUAL dimension (null otherwise), kept so rollups fold from these rows (ADR 012).
    dimension: text("dimension"),
  },
  (t) => [index("measurements_response").on(t.responseId)],
);

/** Additive sums per workspace × touchpoint × attribute × kind × day × tier × language. */
export const rollups = pgTable(
  "rollups",
  dailyRollupColumns(),
  (t) => [primaryKey({ columns: [t.workspaceId, t.touchpointId, t.attributeKey, t.kind, t.day, t.tier, t.lang] })],
);

/**
 * The same sums per ISO week (`week` = its Monday). SQLite declares this table WITHOUT ROWID
 * (migration 0003); PostgreSQL has no clustered tables, so here it is an ordinary heap table with
 * its primary key index.
 */
export const rollupsWeekly = pgTable(
  "rollups_weekly",
  weeklyRollupColumns(),
  (t) => [primaryKey({ columns: [t.workspaceId, t.touchpointId, t.attributeKey, t.kind, t.week, t.tier, t.lang] })],
);
