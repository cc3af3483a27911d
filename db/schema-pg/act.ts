// Acting on experience: closed-loop follow-up cases and their history, the workspace's case rules and
// SLA, outgoing webhooks and their delivery log, the continuous-innovation log, and the Clienting pulse.
// PostgreSQL counterpart of db/schema/act.ts.
import { boolean, index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex } from "drizzle-orm/pg-core";
import { caseStatuses } from "../../app/cem/case-flow";
import { respondentGroups, roleLevels } from "../../app/cem/clienting";
import { CASE_EVENT_KINDS, CASE_STATUSES, DELIVERY_STATUSES, WEBHOOK_EVENTS, type WebhookEvent } from "../schema/act";
import { users, workspaces } from "./accounts";
import { instant, instantNow, serialId } from "./columns";
import { customers } from "./crm";
import { processes, touchpoints } from "./journeys";
import { responses } from "./surveys";

export { CASE_EVENT_KINDS, CASE_STATUSES, DELIVERY_STATUSES, WEBHOOK_EVENTS, type WebhookEvent };

/** Per workspace: case rules and SLA as JSON validated by app/cem/case-rules.ts and app/cem/sla.ts. */
export const actSettings = pgTable("act_settings", {
  workspaceId: integer("workspace_id")
    .primaryKey()
    .references(() => workspaces.id, { onDelete: "cascade" }),
  caseRules: text("case_rules").notNull(),
  sla: text("sla").notNull(),
  updatedBy: integer("updated_by").references(() => users.id, { onDelete: "set null" }),
  updatedAt: instantNow("updated_at"),
});

export const cases = pgTable(
  "cases",
  {
    id: serialId(),
    workspaceId: integer("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    // One case per response at most (app/cem/case-rules.ts): the unique constraint is the guarantee.
    responseId: integer("response_id").references(() => responses.id, { onDelete: "set null" }).unique(),
    customerId: integer("customer_id").references(() => customers.id, { onDelete: "set null" }),
    touchpointId: integer("touchpoint_id").references(() => touchpoints.id, { onDelete: "set null" }),
    // The customer's tier when the case opened ("" unknown, served as Generic); the SLA was set by it.
    tier: text("tier").notNull().default(""),
    // CaseReason[] from casesForResponse.
    reasons: jsonb("reasons").$type<{ rule: string; detail: string; attributeKey?: string }[]>().notNull(),
    status: text("status", { enum: caseStatuses }).notNull().default("open"),
    assigneeId: integer("assignee_id").references(() => users.id, { onDelete: "set null" }),
    openedAt: instant("opened_at").notNull(),
    dueAt: instant("due_at").notNull(),
    firstActionAt: instant("first_action_at"),
    resolvedAt: instant("resolved_at"),
    closedAt: instant("closed_at"),
    updatedAt: instant("updated_at").notNull(),
  },
  (t) => [
    index("cases_ws_status_due").on(t.workspaceId, t.status, t.dueAt),
    index("cases_ws_opened").on(t.workspaceId, t.openedAt),
    index("cases_ws_customer").on(t.workspaceId, t.customerId),
    index("cases_ws_touchpoint").on(t.workspaceId, t.touchpointId),
  ],
);

/** Append-only history of a case: who did what, when, and the note they left. */
export const caseEvents = pgTable(
  "case_events",
  {
    id: serialId(),
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
    at: instant("at").notNull(),
  },
  (t) => [index("case_events_case").on(t.caseId, t.at)],
);

export const webhookEndpoints = pgTable(
  "webhook_endpoints",
  {
    id: serialId(),
    workspaceId: integer("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    url: text("url").notNull(),
    description: text("description").notNull().default(""),
    // The signing key ("whsec_…"), kept in clear because every delivery is signed with it.
    secret: text("secret").notNull(),
    events: jsonb("events").$type<WebhookEvent[]>().notNull(),
    active: boolean("active").notNull().default(true),
    createdBy: integer("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: instantNow("created_at"),
  },
  (t) => [index("webhook_endpoints_ws").on(t.workspaceId)],
);

/** One message to one endpoint; its attempts update the row (count, last outcome, next retry). */
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: serialId(),
    workspaceId: integer("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    endpointId: integer("endpoint_id").notNull().references(() => webhookEndpoints.id, { onDelete: "cascade" }),
    eventType: text("event_type", { enum: WEBHOOK_EVENTS }).notNull(),
    // The Standard Webhooks message id: the same on every retry, so receivers can deduplicate.
    msgId: text("msg_id").notNull().unique(),
    payload: text("payload").notNull(),
    status: text("status", { enum: DELIVERY_STATUSES }).notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: instant("next_attempt_at"),
    // While "sending": after this instant another worker may take the delivery over (a crashed process).
    leaseUntil: instant("lease_until"),
    lastAttemptAt: instant("last_attempt_at"),
    responseCode: integer("response_code"),
    error: text("error"),
    durationMs: integer("duration_ms"),
    createdAt: instant("created_at").notNull(),
    deliveredAt: instant("delivered_at"),
  },
  (t) => [
    index("webhook_deliveries_due").on(t.status, t.nextAttemptAt),
    index("webhook_deliveries_ws_created").on(t.workspaceId, t.createdAt),
  ],
);

/** Continuous innovation (Schmitt's fifth step): a dated change at one or more touchpoints. */
export const innovations = pgTable(
  "innovations",
  {
    id: serialId(),
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
    createdAt: instantNow("created_at"),
  },
  (t) => [index("innovations_ws_changed").on(t.workspaceId, t.changedOn)],
);

export const innovationTouchpoints = pgTable(
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

export const departments = pgTable(
  "departments",
  {
    id: serialId(),
    workspaceId: integer("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    createdAt: instantNow("created_at"),
  },
  (t) => [uniqueIndex("departments_ws_name").on(t.workspaceId, t.name)],
);

/** Which processes a department runs: the process table shows the Clienting index of its departments. */
export const departmentProcesses = pgTable(
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
export const clientingPulses = pgTable(
  "clienting_pulses",
  {
    id: serialId(),
    workspaceId: integer("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    title: text("title").notNull(),
    definition: text("definition").notNull(),
    // Public link token (>= 128 random bits, base64url); no sign-in, no personal links: it is anonymous.
    publicToken: text("public_token").notNull().unique(),
    opensOn: text("opens_on").notNull(),
    // Last day answers are taken (inclusive); null: open until closed by hand.
    closesOn: text("closes_on"),
    active: boolean("active").notNull().default(true),
    createdBy: integer("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: instantNow("created_at"),
  },
  (t) => [index("clienting_pulses_ws").on(t.workspaceId, t.createdAt)],
);

/** One anonymous answer: no user, no IP, no device; the completion time is kept to the day. */
export const clientingResponses = pgTable(
  "clienting_responses",
  {
    id: serialId(),
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
