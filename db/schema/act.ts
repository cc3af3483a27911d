// Acting on experience: closed-loop follow-up cases and their history, the workspace's case rules and
// SLA, outgoing webhooks and their delivery log, the continuous-innovation log, and the Clienting pulse
// (departments linked to the processes they run, anonymous employee answers).
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { caseStatuses } from "../../app/cem/case-flow";
import { respondentGroups, roleLevels } from "../../app/cem/clienting";
import { users, workspaces } from "./accounts";
import { customers } from "./crm";
import { processes, touchpoints } from "./journeys";
import { responses } from "./surveys";

const now = sql`(unixepoch('subsec') * 1000)`;

/** Per workspace: case rules and SLA as JSON validated by app/cem/case-rules.ts and app/cem/sla.ts. */
export const actSettings = sqliteTable("act_settings", {
  workspaceId: integer("workspace_id")
    .primaryKey()
    .references(() => workspaces.id, { onDelete: "cascade" }),
  caseRules: text("case_rules").notNull(),
  sla: text("sla").notNull(),
  updatedBy: integer("updated_by").references(() => users.id, { onDelete: "set null" }),
  updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull().default(now),
});

export const CASE_STATUSES = caseStatuses;

export const cases = sqliteTable(
  "cases",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    workspaceId: integer("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    // One case per response at most (app/cem/case-rules.ts): the unique index is the guarantee.
    responseId: integer("response_id").references(() => responses.id, { onDelete: "set null" }).unique(),
    customerId: integer("customer_id").references(() => customers.id, { onDelete: "set null" }),
    touchpointId: integer("touchpoint_id").references(() => touchpoints.id, { onDelete: "set null" }),
    // The customer's tier when the case opened ("" unknown, served as Generic); the SLA was set by it.
    tier: text("tier").notNull().default(""),
    // CaseReason[] from casesForResponse.
    reasons: text("reasons", { mode: "json" }).$type<{ rule: string; detail: string; attributeKey?: string }[]>().notNull(),
    status: text("status", { enum: caseStatuses }).notNull().default("open"),
    assigneeId: integer("assignee_id").references(() => users.id, { onDelete: "set null" }),
    openedAt: integer("opened_at", { mode: "timestamp_ms" }).notNull(),
    dueAt: integer("due_at", { mode: "timestamp_ms" }).notNull(),
    firstActionAt: integer("first_action_at", { mode: "timestamp_ms" }),
    resolvedAt: integer("resolved_at", { mode: "timestamp_ms" }),
    closedAt: integer("closed_at", { mode: "timestamp_ms" }),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [
    index("cases_ws_status_due").on(t.workspaceId, t.status, t.dueAt),
    index("cases_ws_opened").on(t.workspaceId, t.openedAt),
    index("cases_ws_customer").on(t.workspaceId, t.customerId),
    index("cases_ws_touchpoint").on(t.workspaceId, t.touchpointId),
  ],
);

export const CASE_EVENT_KINDS = ["opened", "status", "assigned", "note"] as const;

/** Append-only history of a case: who did what, when, and the note they left. */
export const caseEvents = sqliteTable(
  "case_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    workspaceId: integer("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    caseId: integer("case_id").notNull().references(() => cases.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: CASE_EVENT_KINDS }).notNull(),
    fromStatus: text("from_status", { enum: caseStatuses }),
    toStatus: text("to_status", { enum: caseStatuses }),
    fromUserId: integer("from_user_id").references(() => users.id, { onDelete: "set null" }),
    toUserId: integer("to_user_id").references(() => users.id, { onDelete: "set null" }),
    note: text("note"),
    // null: the system (a case rule opened it).
    byUserId: integer("by_user_id").references(() => users.id, { onDelete: "set null" }),
    at: integer("at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("case_events_case").on(t.caseId, t.at)],
);

export const WEBHOOK_EVENTS = ["response.completed", "case.opened", "case.updated"] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export const webhookEndpoints = sqliteTable(
  "webhook_endpoints",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    workspaceId: integer("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    url: text("url").notNull(),
    description: text("description").notNull().default(""),
    // The signing key ("whsec_…"). Kept in clear because every delivery is signed with it; shown to the
    // admin once, never sent to a browser again.
    secret: text("secret").notNull(),
    events: text("events", { mode: "json" }).$type<WebhookEvent[]>().notNull(),
    active: integer("active", { mode: "boolean" }).notNull().default(true),
    createdBy: integer("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(now),
  },
  (t) => [index("webhook_endpoints_ws").on(t.workspaceId)],
);

export const DELIVERY_STATUSES = ["pending", "sending", "delivered", "failed"] as const;

/** One message to one endpoint; its attempts update the row (count, last outcome, next retry). */
export const webhookDeliveries = sqliteTable(
  "webhook_deliveries",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    workspaceId: integer("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    endpointId: integer("endpoint_id").notNull().references(() => webhookEndpoints.id, { onDelete: "cascade" }),
    eventType: text("event_type", { enum: WEBHOOK_EVENTS }).notNull(),
    // The Standard Webhooks message id: the same on every retry, so receivers can deduplicate.
    msgId: text("msg_id").notNull().unique(),
    payload: text("payload").notNull(),
    status: text("status", { enum: DELIVERY_STATUSES }).notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: integer("next_attempt_at", { mode: "timestamp_ms" }),
    // While "sending": after this instant another worker may take the delivery over (a crashed process).
    leaseUntil: integer("lease_until", { mode: "timestamp_ms" }),
    lastAttemptAt: integer("last_attempt_at", { mode: "timestamp_ms" }),
    responseCode: integer("response_code"),
    error: text("error"),
    durationMs: integer("duration_ms"),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    deliveredAt: integer("delivered_at", { mode: "timestamp_ms" }),
  },
  (t) => [
    index("webhook_deliveries_due").on(t.status, t.nextAttemptAt),
    index("webhook_deliveries_ws_created").on(t.workspaceId, t.createdAt),
  ],
);

/** Continuous innovation (Schmitt's fifth step): a dated change at one or more touchpoints. */
export const innovations = sqliteTable(
  "innovations",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    workspaceId: integer("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    title: text("title").notNull(),
    // The day the change reached customers, YYYY-MM-DD (UTC).
    changedOn: text("changed_on").notNull(),
    whatChanged: text("what_changed").notNull(),
    hypothesis: text("hypothesis").notNull(),
    owner: text("owner").notNull(),
    // Length of each of the equal before/after windows, in days.
    windowDays: integer("window_days").notNull().default(28),
    createdBy: integer("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(now),
  },
  (t) => [index("innovations_ws_changed").on(t.workspaceId, t.changedOn)],
);

export const innovationTouchpoints = sqliteTable(
  "innovation_touchpoints",
  {
    workspaceId: integer("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    innovationId: integer("innovation_id").notNull().references(() => innovations.id, { onDelete: "cascade" }),
    touchpointId: integer("touchpoint_id").notNull().references(() => touchpoints.id, { onDelete: "cascade" }),
  },
  (t) => [
    primaryKey({ columns: [t.innovationId, t.touchpointId] }),
    index("innovation_touchpoints_tp").on(t.workspaceId, t.touchpointId),
  ],
);

export const departments = sqliteTable(
  "departments",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    workspaceId: integer("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(now),
  },
  (t) => [uniqueIndex("departments_ws_name").on(t.workspaceId, t.name)],
);

/** Which processes a department runs: the process table shows the Clienting index of its departments. */
export const departmentProcesses = sqliteTable(
  "department_processes",
  {
    workspaceId: integer("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    departmentId: integer("department_id").notNull().references(() => departments.id, { onDelete: "cascade" }),
    processId: integer("process_id").notNull().references(() => processes.id, { onDelete: "cascade" }),
  },
  (t) => [
    primaryKey({ columns: [t.departmentId, t.processId] }),
    index("department_processes_process").on(t.workspaceId, t.processId),
  ],
);

/** An employee pulse: the SurveyJS definition (fixed when created), a public link and its dates. */
export const clientingPulses = sqliteTable(
  "clienting_pulses",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    workspaceId: integer("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    title: text("title").notNull(),
    definition: text("definition").notNull(),
    // Public link token (>= 128 random bits, base64url); no sign-in, no personal links: it is anonymous.
    publicToken: text("public_token").notNull().unique(),
    opensOn: text("opens_on").notNull(),
    // Last day answers are taken (inclusive); null: open until closed by hand.
    closesOn: text("closes_on"),
    active: integer("active", { mode: "boolean" }).notNull().default(true),
    createdBy: integer("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(now),
  },
  (t) => [index("clienting_pulses_ws").on(t.workspaceId, t.createdAt)],
);

/**
 * One anonymous answer: no user, no IP, no device; the completion time is kept to the day, so it cannot
 * be matched against access logs to tell who answered.
 */
export const clientingResponses = sqliteTable(
  "clienting_responses",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    workspaceId: integer("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    pulseId: integer("pulse_id").notNull().references(() => clientingPulses.id, { onDelete: "cascade" }),
    respondentGroup: text("respondent_group", { enum: respondentGroups }).notNull(),
    departmentId: integer("department_id").references(() => departments.id, { onDelete: "set null" }),
    // The department as answered (kept should the department later be renamed or removed).
    department: text("department"),
    roleLevel: text("role_level", { enum: roleLevels }),
    knows: integer("knows"),
    applies: integer("applies"),
    supported: integer("supported"),
    // The SurveyJS data exactly as received.
    data: text("data").notNull(),
    // A random id per filling-in, so a retried submit is not counted twice; says nothing about the person.
    submission: text("submission"),
    completedOn: text("completed_on").notNull(),
  },
  (t) => [
    index("clienting_responses_pulse").on(t.pulseId),
    index("clienting_responses_ws_day").on(t.workspaceId, t.completedOn),
    uniqueIndex("clienting_responses_submission").on(t.pulseId, t.submission),
  ],
);
