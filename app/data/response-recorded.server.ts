// What acting on experience adds to recording a response, inside the response's own transaction:
// the follow-up case its case rules call for (app/cem/case-rules.ts) and the webhook deliveries of
// response.completed and case.opened. The writer (response-writer.server.ts) calls it before the
// commit and kickWebhookDelivery() after, so a response never exists without its case, and no
// receiver ever hears of a response that was rolled back.
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

type WorkspaceActing = { settings: ActSettings; endpoints: { id: number; events: string }[] };
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
 * Call inside the responses' transaction. Opens at most one case per response (all of a batch's
 * cases together) and enqueues the deliveries; throws only if the database does, which rolls the
 * responses back with it. One outcome per event, in order.
 */
export async function onResponsesRecorded(
  events: readonly ResponseRecorded[],
  context: RecordingContext = new Map(),
  now: Date = new Date(),
): Promise<{ caseId: number | null; deliveries: number }[]> {
  const outcomes = events.map(() => ({ caseId: null as number | null, deliveries: 0 }));
  const toOpen: { at: number; input: OpenCaseInput; sla: ActSettings["sla"]; endpoints: WorkspaceActing["endpoints"] }[] = [];
  for (const [at, event] of events.entries()) {
    const { settings, endpoints } = await actingFor(event.workspaceId, context);
    const decision = casesForResponse({ measurements: event.measurements, comment: event.comment }, settings.caseRules);
    outcomes[at].deliveries = await enqueueWebhookEvent(event.workspaceId, "response.completed", () => responsePayload(event), now, endpoints);
    if (!decision.open) continue;
    const input: OpenCaseInput = {
      workspaceId: event.workspaceId,
      responseId: event.responseId,
      customerId: event.customerId,
      touchpointId: event.touchpointId,
      tier: event.tier,
      reasons: decision.reasons,
    };
    toOpen.push({ at, input, sla: settings.sla, endpoints });
  }
  // One statement for the cases of each workspace (a batch is nearly always one workspace).
  for (const workspaceId of new Set(toOpen.map((o) => o.input.workspaceId))) {
    const mine = toOpen.filter((o) => o.input.workspaceId === workspaceId);
    const ids = await openCasesForResponses(
      mine.map((o) => o.input),
      mine[0].sla,
      now,
    );
    for (const [i, { at, endpoints }] of mine.entries()) {
      const id = ids[i];
      outcomes[at].caseId = id;
      if (id === null) continue;
      outcomes[at].deliveries += await enqueueWebhookEvent(workspaceId, "case.opened", async () => ({ case: await casePayload(id) }), now, endpoints);
    }
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
