// What acting on experience adds to recording a response, inside the response's own transaction:
// the follow-up case its case rules call for (app/cem/case-rules.ts) and the webhook deliveries of
// response.completed and case.opened. recordResponse (app/data/responses.server.ts) calls it before the
// commit and kickWebhookDelivery() after, so a response never exists without its case, and no receiver
// ever hears of a response that was rolled back.
import type Database from "better-sqlite3";
import { casesForResponse, type ResponseMeasurement } from "~/cem/case-rules";
import { loadActSettings } from "./case-rules.server";
import { casePayload, openCaseForResponse } from "./cases.server";
import { enqueueWebhookEvent, subscribedEndpoints } from "./webhooks.server";

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

type Lookups = {
  touchpointKey: Database.Statement<[number], { key: string }>;
  customerExternalId: Database.Statement<[number], { externalId: string }>;
};
const lookupsByDb = new WeakMap<Database.Database, Lookups>();

function lookups(sqlite: Database.Database): Lookups {
  let s = lookupsByDb.get(sqlite);
  if (!s) {
    s = {
      touchpointKey: sqlite.prepare(`SELECT key FROM touchpoints WHERE id = ?`),
      customerExternalId: sqlite.prepare(`SELECT external_id AS externalId FROM customers WHERE id = ?`),
    };
    lookupsByDb.set(sqlite, s);
  }
  return s;
}

function responsePayload(sqlite: Database.Database, event: ResponseRecorded): Record<string, unknown> {
  const l = lookups(sqlite);
  return {
    response: {
      id: event.responseId,
      touchpoint: l.touchpointKey.get(event.touchpointId)?.key ?? null,
      customer: event.customerId === null ? null : (l.customerExternalId.get(event.customerId)?.externalId ?? null),
      tier: event.tier || null,
      completedAt: new Date(event.completedAt).toISOString(),
      comment: event.comment,
      measurements: event.measurements.map((m) => ({ attribute: m.attributeKey, kind: m.kind, value: m.value })),
    },
  };
}

/**
 * Call inside the response's transaction, on its connection (`getDb().$client`). Opens at most one case
 * and enqueues the deliveries; throws only if the database does, which rolls the response back with it.
 */
export function onResponseRecorded(
  sqlite: Database.Database,
  event: ResponseRecorded,
  now: Date = new Date(),
): { caseId: number | null; deliveries: number } {
  const settings = loadActSettings(event.workspaceId, sqlite);
  const decision = casesForResponse({ measurements: event.measurements, comment: event.comment }, settings.caseRules);
  let deliveries = enqueueWebhookEvent(sqlite, event.workspaceId, "response.completed", () => responsePayload(sqlite, event), now);
  let caseId: number | null = null;
  if (decision.open) {
    caseId = openCaseForResponse(
      sqlite,
      {
        workspaceId: event.workspaceId,
        responseId: event.responseId,
        customerId: event.customerId,
        touchpointId: event.touchpointId,
        tier: event.tier,
        reasons: decision.reasons,
      },
      settings.sla,
      now,
    );
    if (caseId !== null) {
      const id = caseId;
      const endpoints = subscribedEndpoints(sqlite, event.workspaceId, "case.opened");
      deliveries += enqueueWebhookEvent(sqlite, event.workspaceId, "case.opened", () => ({ case: casePayload(sqlite, id) }), now, endpoints);
    }
  }
  return { caseId, deliveries };
}
