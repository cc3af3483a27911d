// A customer's rights over their data (GDPR articles 15 and 17): everything the workspace holds about
// them as one JSON document, and the erasure of their identity. The export reads their events,
// invitations and responses through customer-records.server.ts, as the customer page's timeline does.
//
// Erasure keeps the experience and drops the person. The customer row, their tier history, their
// CRM events and their invitations go; their responses stay, every measurement with them (so the
// rollups, and every statistic read from them, do not move), but lose the link to the customer and
// every free-text answer, comment and idempotency key that could name them; their cases stay but
// lose the link, and what the case notes and webhook log say of them is blanked. One transaction,
// with its audit line: all of it happens, or none.
import { and, asc, eq, inArray, isNotNull, or, sql } from "drizzle-orm";
import { getDb, isPostgres } from "#db/client";
import {
  caseEvents,
  cases,
  crmEvents,
  customers,
  customerTiers,
  invitations,
  measurements,
  responses,
  surveyVersions,
  webhookDeliveries,
} from "#db/schema/index";
import { recordAudit } from "~/data/audit.server";
import { customerEvents, customerInvitations, customerResponses } from "~/data/customer-records.server";
import { loadSurveyModel, measuredItemsOf, surveyQuestions } from "~/survey/plan";
import type { SurveyJson } from "~/survey/types";

const iso = (at: Date | null) => (at ? at.toISOString() : null);

function parsedOr(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The customer's responses, as a subquery (no id list: a customer may have answered thousands of times). */
function responsesOf(workspaceId: number, customerId: number) {
  return getDb()
    .select({ id: responses.id })
    .from(responses)
    .where(and(eq(responses.workspaceId, workspaceId), eq(responses.customerId, customerId)));
}

/** Their cases: opened for them, or for one of their responses. */
function casesOfCondition(workspaceId: number, customerId: number) {
  return and(eq(cases.workspaceId, workspaceId), or(eq(cases.customerId, customerId), inArray(cases.responseId, responsesOf(workspaceId, customerId))));
}

/** The customer's whole row, when the workspace has that customer. */
async function workspaceCustomer(workspaceId: number, customerId: number) {
  const [customer] = await getDb()
    .select()
    .from(customers)
    .where(and(eq(customers.workspaceId, workspaceId), eq(customers.id, customerId)))
    .limit(1);
  return customer ?? null;
}

/** Everything held about one customer of the workspace (article 15), or null when there is no such customer. */
export async function exportCustomer(workspaceId: number, customerId: number) {
  const db = getDb();
  const customer = await workspaceCustomer(workspaceId, customerId);
  if (!customer) return null;

  const tierHistory = await db
    .select({ tier: customerTiers.tier, score: customerTiers.score, computedAt: customerTiers.computedAt })
    .from(customerTiers)
    .where(and(eq(customerTiers.workspaceId, workspaceId), eq(customerTiers.customerId, customerId)))
    .orderBy(asc(customerTiers.computedAt), asc(customerTiers.id));
  const events = await customerEvents(workspaceId, customerId, "all");
  const invitationRows = await customerInvitations(workspaceId, customerId, "all");
  const responseRows = await customerResponses(workspaceId, customerId, "all");
  const measured = await db
    .select({ responseId: measurements.responseId, attribute: measurements.attributeKey, kind: measurements.kind, value: measurements.value })
    .from(measurements)
    .where(and(eq(measurements.workspaceId, workspaceId), inArray(measurements.responseId, responsesOf(workspaceId, customerId))))
    .orderBy(asc(measurements.id));
  const caseRows = await db
    .select({
      id: cases.id,
      responseId: cases.responseId,
      status: cases.status,
      tier: cases.tier,
      reasons: cases.reasons,
      openedAt: cases.openedAt,
      dueAt: cases.dueAt,
      firstActionAt: cases.firstActionAt,
      resolvedAt: cases.resolvedAt,
      closedAt: cases.closedAt,
    })
    .from(cases)
    .where(casesOfCondition(workspaceId, customerId))
    .orderBy(asc(cases.openedAt), asc(cases.id));
  const caseIds = caseRows.map((c) => c.id);
  const history =
    caseIds.length === 0
      ? []
      : await db
          .select({ caseId: caseEvents.caseId, kind: caseEvents.kind, fromStatus: caseEvents.fromStatus, toStatus: caseEvents.toStatus, note: caseEvents.note, at: caseEvents.at })
          .from(caseEvents)
          .where(and(eq(caseEvents.workspaceId, workspaceId), inArray(caseEvents.caseId, caseIds)))
          .orderBy(asc(caseEvents.at), asc(caseEvents.id));

  const { id: _id, workspaceId: _ws, ...identity } = customer;
  return {
    exportedAt: new Date().toISOString(),
    customer: {
      ...identity,
      customerSince: iso(identity.customerSince),
      lastPurchaseAt: iso(identity.lastPurchaseAt),
      createdAt: iso(identity.createdAt),
      updatedAt: iso(identity.updatedAt),
    },
    tierHistory: tierHistory.map((h) => ({ ...h, computedAt: iso(h.computedAt) })),
    events: events.map(({ id: _e, ...e }) => ({ ...e, occurredAt: iso(e.occurredAt), createdAt: iso(e.createdAt) })),
    // The document's own field names (deployment, touchpoint); the event link stays out, as the events' ids do.
    invitations: invitationRows.map(({ id, deploymentName, eventId: _e, ...i }) => ({
      id,
      deployment: deploymentName,
      ...i,
      progress: parsedOr(i.progress),
      sendAt: iso(i.sendAt),
      expiresAt: iso(i.expiresAt),
      openedAt: iso(i.openedAt),
      completedAt: iso(i.completedAt),
      createdAt: iso(i.createdAt),
    })),
    responses: responseRows.map(({ id, touchpointKey, touchpointNameEn: _nameEn, data, ...r }) => ({
      id,
      touchpoint: touchpointKey,
      ...r,
      answers: parsedOr(data),
      measurements: measured.filter((m) => m.responseId === id).map(({ responseId: _r, ...m }) => m),
      startedAt: iso(r.startedAt),
      completedAt: iso(r.completedAt),
    })),
    cases: caseRows.map((c) => ({
      ...c,
      openedAt: iso(c.openedAt),
      dueAt: iso(c.dueAt),
      firstActionAt: iso(c.firstActionAt),
      resolvedAt: iso(c.resolvedAt),
      closedAt: iso(c.closedAt),
      history: history.filter((h) => h.caseId === c.id).map(({ caseId: _c, ...h }) => ({ ...h, at: iso(h.at) })),
    })),
  };
}

export type CustomerExport = NonNullable<Awaited<ReturnType<typeof exportCustomer>>>;

// SurveyJS question types whose answers are picked from the survey's own choices: nothing the
// respondent typed. Everything else (text, comment, multiple text, panels, matrices of cells, "other"
// texts) may carry words of their own.
const CHOICE_TYPES = new Set(["rating", "radiogroup", "dropdown", "checkbox", "tagbox", "boolean", "ranking", "imagepicker", "buttongroup", "matrix"]);

/**
 * The answers of one survey version without anything typed freely: choice answers and measured
 * numbers stay, free text goes (a measured "comment" too: it is text). Measurements live in their
 * own rows, so nothing measured is lost either way.
 */
export function answersScrubber(definition: SurveyJson): (data: Record<string, unknown>) => Record<string, unknown> {
  const model = loadSurveyModel(definition);
  const types = new Map<string, string>();
  for (const question of surveyQuestions(model)) types.set(question.getValueName(), question.getType());
  // Measured numbers typed into text fields (importance points): question, or question → items.
  const measuredText = new Map<string, Set<string | null>>();
  for (const item of measuredItemsOf(model)) {
    if (item.kind === "comment" || item.kind === null) continue;
    const items = measuredText.get(item.question) ?? new Set();
    items.add(item.item);
    measuredText.set(item.question, items);
  }
  return (data) => {
    const kept: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(data)) {
      const type = types.get(name);
      if (type === undefined) continue;
      if (CHOICE_TYPES.has(type)) kept[name] = value;
      else if (type === "text" && measuredText.get(name)?.has(null) && typeof value === "number") kept[name] = value;
      else if (type === "multipletext" && value !== null && typeof value === "object" && measuredText.has(name)) {
        const items = measuredText.get(name)!;
        const numbers = Object.entries(value as Record<string, unknown>).filter(([item, v]) => items.has(item) && typeof v === "number");
        if (numbers.length > 0) kept[name] = Object.fromEntries(numbers);
      }
    }
    return kept;
  };
}

/** Case-insensitive occurrences of any of the strings, replaced. */
function blank(text: string, needles: string[]): string {
  let result = text;
  for (const needle of needles) result = result.replace(new RegExp(needle.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "gi"), "[…]");
  return result;
}

/** A JSON value with every string that mentions the customer set to null. */
function redact(value: unknown, needles: string[]): unknown {
  if (typeof value === "string") return needles.some((n) => value.toLowerCase().includes(n.toLowerCase())) ? null : value;
  if (Array.isArray(value)) return value.map((v) => redact(v, needles));
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redact(v, needles)]));
  return value;
}

export type ErasureReport = { responses: number; events: number; invitations: number; cases: number; webhookMessages: number };

/**
 * Erases one customer's identity (article 17), in one transaction with its audit line; null when
 * the workspace has no such customer. The audit line names the customer by row id only.
 */
export async function eraseCustomer(workspaceId: number, customerId: number, by: { userId: number; ip: string | null }): Promise<ErasureReport | null> {
  return getDb().transaction(async () => {
    const db = getDb();
    const customer = await workspaceCustomer(workspaceId, customerId);
    if (!customer) return null;
    // What may name them in text written by others (case notes, webhook messages). Very short
    // strings would blank ordinary words, so only those of three characters or more.
    const needles = [customer.externalId, customer.name, customer.email, customer.phone].filter((s): s is string => !!s && s.trim().length >= 3).map((s) => s.trim());

    // Their responses: free text out, link and idempotency key (clients often build it from their
    // own record ids) out; measurements, tier, language and times stay.
    const answered = await db
      .select({ id: responses.id, versionId: responses.surveyVersionId, data: responses.data })
      .from(responses)
      .where(and(eq(responses.workspaceId, workspaceId), eq(responses.customerId, customerId)));
    const scrubbers = new Map<number, (data: Record<string, unknown>) => Record<string, unknown>>();
    const versionIds = [...new Set(answered.map((r) => r.versionId))];
    if (versionIds.length > 0) {
      for (const v of await db.select({ id: surveyVersions.id, definition: surveyVersions.definition }).from(surveyVersions).where(inArray(surveyVersions.id, versionIds))) {
        scrubbers.set(v.id, answersScrubber(JSON.parse(v.definition) as SurveyJson));
      }
    }
    const caseCount = (await db.select({ id: cases.id }).from(cases).where(casesOfCondition(workspaceId, customerId))).length;
    await blankCaseNotes(workspaceId, customerId, needles);
    await db.update(cases).set({ customerId: null }).where(casesOfCondition(workspaceId, customerId));
    for (const response of answered) {
      let data: unknown;
      try {
        data = JSON.parse(response.data);
      } catch {
        data = {};
      }
      const scrub = scrubbers.get(response.versionId);
      const kept = scrub && data !== null && typeof data === "object" && !Array.isArray(data) ? scrub(data as Record<string, unknown>) : {};
      await db
        .update(responses)
        .set({ customerId: null, invitationId: null, comment: null, data: JSON.stringify(kept), idempotencyKey: null, requestHash: null })
        .where(eq(responses.id, response.id));
    }
    const webhookMessages = await redactWebhookLog(workspaceId, customer.externalId, needles);

    // The identity itself: invitations (a response of another customer never points at them, but
    // the link is cleared first all the same), events, tier history, the row.
    const invitationIds = db.select({ id: invitations.id }).from(invitations).where(and(eq(invitations.workspaceId, workspaceId), eq(invitations.customerId, customerId)));
    await db.update(responses).set({ invitationId: null }).where(and(eq(responses.workspaceId, workspaceId), isNotNull(responses.invitationId), inArray(responses.invitationId, invitationIds)));
    const invitationCount = (await db.delete(invitations).where(and(eq(invitations.workspaceId, workspaceId), eq(invitations.customerId, customerId))).returning({ id: invitations.id })).length;
    const eventCount = (await db.delete(crmEvents).where(and(eq(crmEvents.workspaceId, workspaceId), eq(crmEvents.customerId, customerId))).returning({ id: crmEvents.id })).length;
    await db.delete(customerTiers).where(and(eq(customerTiers.workspaceId, workspaceId), eq(customerTiers.customerId, customerId)));
    await db.delete(customers).where(and(eq(customers.workspaceId, workspaceId), eq(customers.id, customerId)));

    const report: ErasureReport = { responses: answered.length, events: eventCount, invitations: invitationCount, cases: caseCount, webhookMessages };
    await recordAudit({ workspaceId, actorUserId: by.userId, action: "customer.erased", target: `#${customerId}`, detail: report, ip: by.ip });
    return report;
  });
}

/** Their cases' notes, with every mention of them blanked. */
async function blankCaseNotes(workspaceId: number, customerId: number, needles: string[]): Promise<void> {
  if (needles.length === 0) return;
  const db = getDb();
  const theirCases = db.select({ id: cases.id }).from(cases).where(casesOfCondition(workspaceId, customerId));
  const notes = await db
    .select({ id: caseEvents.id, note: caseEvents.note })
    .from(caseEvents)
    .where(and(eq(caseEvents.workspaceId, workspaceId), isNotNull(caseEvents.note), inArray(caseEvents.caseId, theirCases)));
  for (const { id, note } of notes) {
    const blanked = blank(note!, needles);
    if (blanked !== note) await db.update(caseEvents).set({ note: blanked }).where(eq(caseEvents.id, id));
  }
}

/**
 * The webhook messages about them (delivered, or still to go): the customer's id and comment set to
 * null, and any other string that mentions them. Found by the `"customer":"<id>"` member every
 * response and case message carries.
 */
async function redactWebhookLog(workspaceId: number, externalId: string, needles: string[]): Promise<number> {
  const db = getDb();
  const member = JSON.stringify({ customer: externalId }).slice(1, -1);
  const contains = isPostgres() ? sql`strpos(${webhookDeliveries.payload}, ${member}) > 0` : sql`instr(${webhookDeliveries.payload}, ${member}) > 0`;
  const messages = await db
    .select({ id: webhookDeliveries.id, payload: webhookDeliveries.payload })
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.workspaceId, workspaceId), contains));
  for (const { id, payload } of messages) {
    let message: { data?: { response?: Record<string, unknown>; case?: Record<string, unknown> } };
    try {
      message = JSON.parse(payload);
    } catch {
      continue;
    }
    const response = message.data?.response;
    if (response && response.customer === externalId) Object.assign(response, { customer: null, comment: null });
    const theCase = message.data?.case;
    if (theCase && theCase.customer === externalId) theCase.customer = null;
    await db
      .update(webhookDeliveries)
      .set({ payload: JSON.stringify(redact(message, needles)) })
      .where(eq(webhookDeliveries.id, id));
  }
  return messages.length;
}
