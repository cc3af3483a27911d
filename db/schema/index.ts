// The tables the data layer uses, bound when this module loads to the engine the process runs on
// (db/engine.ts: DATABASE_URL postgres://… selects PostgreSQL, else SQLite): db/schema-pg's tables or
// db/schema/sqlite.ts's, under the same names. Data modules import from here and never name an engine.
//
// Typed as the SQLite tables whichever engine is selected: tests/unit/schema-parity.test.ts proves that
// db/schema-pg exports the same tables under the same names with the same columns, keys, indexes and
// row types (the type mapping is in db/schema-pg/index.ts), so drizzle builds the same queries over
// either, and rows come back with the same JavaScript types.
import { isPostgres } from "../engine";
import * as pg from "../schema-pg/index";
import * as pgRollupReads from "../schema-pg/rollup-reads";
import * as sqlite from "./sqlite";

const tables = (isPostgres() ? pg : sqlite) as unknown as typeof sqlite;

export const {
  // accounts
  users,
  sessions,
  workspaces,
  memberships,
  memberInvites,
  apiTokens,
  lookupGeneration,
  // platform
  platformFields,
  platformChanges,
  // journeys
  processes,
  journeys,
  stages,
  touchpoints,
  attributes,
  // crm
  customers,
  crmEvents,
  customerTiers,
  segmentationSettings,
  // surveys
  surveys,
  surveyVersions,
  deployments,
  deploymentRules,
  invitations,
  responses,
  measurements,
  rollups,
  rollupsWeekly,
  surveyAutosaves,
  // act
  actSettings,
  cases,
  caseEvents,
  webhookEndpoints,
  webhookDeliveries,
  innovations,
  innovationTouchpoints,
  departments,
  departmentProcesses,
  clientingPulses,
  clientingResponses,
  // jobs
  jobs,
  jobFiles,
  // security
  rateLimits,
  auditEvents,
  // targets
  targets,
  // sms
  smsSettings,
  deploymentSmsTexts,
  // mail
  mailSettings,
  deploymentMail,
  invitationSends,
  invitationEvents,
  mailOptOuts,
  mailBounces,
  // notifications
  alertRules,
  alertSubscriptions,
  alertOccurrences,
  notifications,
  digestSubscriptions,
  digestSends,
} = tables;

/**
 * The rollups as readers take them: on PostgreSQL views that add the increments still pending to
 * the folded rows (db/schema-pg/rollup-reads.ts, ADR 033); on SQLite the tables themselves, whose
 * batches upsert them in their transaction. Writers name `rollups` / `rollupsWeekly`.
 */
export const rollupsRead = (isPostgres() ? pgRollupReads.rollupsRead : sqlite.rollups) as unknown as typeof sqlite.rollups;
export const rollupsWeeklyRead = (isPostgres() ? pgRollupReads.rollupsWeeklyRead : sqlite.rollupsWeekly) as unknown as typeof sqlite.rollupsWeekly;

// Value lists and types: the same on both engines (the parity test compares the values).
export { ROLES, INVITATION_STATES, CASE_STATUSES, CASE_EVENT_KINDS, WEBHOOK_EVENTS, DELIVERY_STATUSES, JOB_KINDS, JOB_STATUSES } from "./sqlite";
export { MAIL_TLS_MODES, MAIL_CHANNELS, DEPLOYMENT_CHANNELS, MAIL_SEND_STATES, INVITATION_EVENT_KINDS } from "./sqlite";
export { ALERT_KINDS, ALERT_SCOPES, NOTIFICATION_MAIL_STATES, DIGEST_FREQUENCIES } from "./sqlite";
export type { Role, WebhookEvent, JobKind, JobStatus } from "./sqlite";

// Every name db/schema/sqlite.ts exports is exported here too: one left out above fails tsc on the
// line below, naming it ("Type '"newTable"' does not satisfy the constraint 'true'").
type Missing = Exclude<keyof typeof sqlite, keyof typeof import("./index")>;
type Assert<T extends true> = T;
export type EverySchemaNameExported = Assert<[Missing] extends [never] ? true : Missing>;
