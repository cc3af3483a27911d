// What acting on experience adds to recording a response, committed with it: the follow-up case
// its case rules call for (app/cem/case-rules.ts) and the webhook deliveries of response.completed
// and case.opened. The writer (response-writer.server.ts) writes them before the commit (on
// PostgreSQL the cases in the responses' own statement, ADR 034) and calls kickWebhookDelivery()
// after, so a response never exists without its case, and no receiver ever hears of a response
// that was rolled back.
import { eq } from "drizzle-orm";
import { getDb } from "#db/client";
import { customers, touchpoints } from "#db/schema/index";
import { casesForResponse, type ResponseMeasurement } from "~/cem/case-rules";
import { loadActSettings, type ActSettings } from "./case-rules.server";
import { casePayload, openCasesForResponses, type OpenCaseInput } from "./case-opening.server";
import { activeEndpoints, enqueueWebhookEvent } from "./webhooks.server";

export { kickWebhookDelivery } from "./webhook-delivery.server";

export type ResponseRecorded = {
  workspaceId: number;
  responseId: number;
  customerId: number | null;
  touchpointId: number;
  /** The customer's tier at the time ("" when unknown: served as Generic). */
  tier: string;
  measurements: ResponseMeasurement[];
  comment: string | null;
  completedAt: Date | number;
};

export type WorkspaceActing = { settings: ActSettings; endpoints: { id: number; events: string }[] };
/** Per workspace, read once per batch: its case rules, SLA and webhook endpoints. */
export type RecordingContext = Map<number, WorkspaceActing>;

async function actingFor(workspaceId: number, context: RecordingContext): Promise<WorkspaceActing> {
  let acting = context.get(workspaceId);
  if (!acting) {
    acting = { settings: await loadActSettings(workspaceId), endpoints: await activeEndpoints(workspaceId) };
    context.set(workspaceId, acting);
  }
  return acting;
}

async function responsePayload(event: ResponseRecorded): Promise<Record<string, unknown>> {
  const db = getDb();
  const [touchpoint] = await db.select({ key: touchpoints.key }).from(touchpoints).where(eq(touchpoints.id, event.touchpointId)).limit(1);
  const [customer] =
    event.customerId === null
      ? []
      : await db.select({ externalId: customers.externalId }).from(customers).where(eq(customers.id, event.customerId)).limit(1);
  return {
    response: {
      id: event.responseId,
      touchpoint: touchpoint?.key ?? null,
      customer: customer?.externalId ?? null,
      tier: event.tier || null,
      completedAt: new Date(event.completedAt).toISOString(),
      comment: event.comment,
      measurements: event.measurements.map((m) => ({ attribute: m.attributeKey, kind: m.kind, value: m.value })),
    },
  };
}

/**
 * The cases a workspace's rules call for among `events` (all of that workspace), each with its
 * event's place: decided before anything is written, so the writer can store them with the
 * responses.
 */
export function casesToOpen(events: readonly ResponseRecorded[], rules: ActSettings["caseRules"]): { at: number; input: OpenCaseInput }[] {
  const toOpen: { at: number; input: OpenCaseInput }[] = [];
  for (const [at, event] of events.entries()) {
    const decision = casesForResponse({ measurements: event.measurements, comment: event.comment }, rules);
    if (!decision.open) continue;
    const { workspaceId, responseId, customerId, touchpointId, tier } = event;
    toOpen.push({ at, input: { workspaceId, responseId, customerId, touchpointId, tier, reasons: decision.reasons } });
  }
  return toOpen;
}

/**
 * Call inside the responses' transaction, once they and their cases are written: the webhook
 * deliveries of `events` (all of one workspace) to `endpoints` — response.completed for each, then
 * case.opened where `caseIds` (one per event, null for none) names a case. The count per event.
 */
export async function enqueueFollowUps(
  events: readonly ResponseRecorded[],
  caseIds: readonly (number | null)[],
  endpoints: WorkspaceActing["endpoints"],
  now: Date,
): Promise<number[]> {
  const counts = events.map(() => 0);
  if (endpoints.length === 0) return counts;
  for (const [at, event] of events.entries()) {
    counts[at] += await enqueueWebhookEvent(event.workspaceId, "response.completed", () => responsePayload(event), now, endpoints);
    const id = caseIds[at];
    if (id !== null) counts[at] += await enqueueWebhookEvent(event.workspaceId, "case.opened", async () => ({ case: await casePayload(id) }), now, endpoints);
  }
  return counts;
}

/**
 * Call inside the responses' transaction. Opens at most one case per response (all of a
 * workspace's cases in the batch together) and enqueues the deliveries; throws only if the
 * database does, which rolls the responses back with it. One outcome per event, in order.
 */
export async function onResponsesRecorded(
  events: readonly ResponseRecorded[],
  context: RecordingContext = new Map(),
  now: Date = new Date(),
): Promise<{ caseId: number | null; deliveries: number }[]> {
  const outcomes = events.map(() => ({ caseId: null as number | null, deliveries: 0 }));
  for (const workspaceId of new Set(events.map((e) => e.workspaceId))) {
    const places = [...events.keys()].filter((i) => events[i].workspaceId === workspaceId);
    const mine = places.map((i) => events[i]);
    const { settings, endpoints } = await actingFor(workspaceId, context);
    const toOpen = casesToOpen(mine, settings.caseRules);
    const opened = await openCasesForResponses(
      toOpen.map((o) => o.input),
      settings.sla,
      now,
    );
    const caseIds: (number | null)[] = mine.map(() => null);
    toOpen.forEach((o, i) => (caseIds[o.at] = opened[i]));
    const deliveries = await enqueueFollowUps(mine, caseIds, endpoints, now);
    places.forEach((at, j) => (outcomes[at] = { caseId: caseIds[j], deliveries: deliveries[j] }));
  }
  return outcomes;
}

/** One response's follow-up (onResponsesRecorded for one). */
export async function onResponseRecorded(
  event: ResponseRecorded,
  context: RecordingContext = new Map(),
  now: Date = new Date(),
): Promise<{ caseId: number | null; deliveries: number }> {
  return (await onResponsesRecorded([event], context, now))[0];
}
