// Outgoing webhooks of a workspace: the endpoints an admin registers (HTTPS only, a signing secret
// shown once), the events they receive, enqueuing one delivery per endpoint inside the caller's
// transaction, and the delivery log. Sending is app/data/webhook-delivery.server.ts.
import { randomBytes } from "node:crypto";
import { isIP } from "node:net";
import { and, asc, count, desc, eq, inArray, lte, sql } from "drizzle-orm";
import { z } from "zod";
import { getDb, jsonText } from "#db/client";
import { DELIVERY_STATUSES, WEBHOOK_EVENTS, webhookDeliveries, webhookEndpoints, type WebhookEvent } from "#db/schema/index";
import { webhookUrlShape } from "~/cem/webhook-url";
import { generateWebhookSecret } from "~/cem/webhook-signature";
import { nonPublicReason } from "~/web/public-address";

export { WEBHOOK_EVENTS, type WebhookEvent };

export const MAX_ENDPOINTS_PER_WORKSPACE = 20;

/**
 * Plain http to this machine is for development and tests only: in production every endpoint is
 * HTTPS, and a host that names this machine or a private network is refused (the server must not be
 * turned into a probe of its own network).
 */
export function localWebhooksAllowed(): boolean {
  return process.env.NODE_ENV !== "production" || process.env.VIVENCIA_WEBHOOKS_ALLOW_LOCAL === "1";
}

/**
 * Whether a URL's host names this machine or a private network by its text: local names, and IP
 * literals in any form the URL parser accepts (it has already turned 0x7f.1 or 2130706433 into
 * 127.0.0.1; IPv6 forms that embed an IPv4 address are judged by that address). A name that merely
 * resolves to such an address is caught when a delivery is sent (webhook-delivery.server.ts).
 */
function isPrivateHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").replace(/\.$/, "").toLowerCase();
  if (host === "localhost" || host.endsWith(".localhost") || host.endsWith(".local") || host.endsWith(".internal")) return true;
  return isIP(host) !== 0 && nonPublicReason(host) !== null;
}

/**
 * The server's word on an endpoint's URL (the form's own schema checks its shape first). Messages are
 * message keys: the settings page says them in the admin's language.
 */
export const webhookUrlSchema = z
  .string()
  .trim()
  .min(1, "act.webhooks.form.url")
  .max(2000, "act.webhooks.form.url")
  .superRefine((value, ctx) => {
    const shape = webhookUrlShape(value, localWebhooksAllowed());
    if ("problem" in shape) {
      ctx.addIssue({ code: "custom", message: shape.problem });
      return;
    }
    // Plain http passed the shape only to this machine, where it is allowed here.
    if (shape.url.protocol === "https:" && isPrivateHost(shape.url.hostname) && !localWebhooksAllowed()) {
      ctx.addIssue({ code: "custom", message: "act.webhooks.form.private" });
    }
  })
  // An IP literal is stored as the parser reads it (https://0x7f.1/ would be https://127.0.0.1/),
  // so the log and the settings page show the address deliveries really go to.
  .transform((value) => {
    try {
      const url = new URL(value);
      return isIP(url.hostname.replace(/^\[|\]$/g, "")) ? url.href : value;
    } catch {
      return value;
    }
  });

/** An endpoint as registered: its URL already passed through webhookUrlSchema. */
export type EndpointInput = { url: string; description: string; events: WebhookEvent[] };

/** What the browser may see of an endpoint: everything but the secret. */
const publicColumns = {
  id: webhookEndpoints.id,
  url: webhookEndpoints.url,
  description: webhookEndpoints.description,
  events: webhookEndpoints.events,
  active: webhookEndpoints.active,
  createdAt: webhookEndpoints.createdAt,
};

export async function listEndpoints(workspaceId: number) {
  return getDb().select(publicColumns).from(webhookEndpoints).where(eq(webhookEndpoints.workspaceId, workspaceId)).orderBy(webhookEndpoints.id);
}

/** A refusal names its message key (with the limit): the settings page words it in the admin's language. */
export type CreatedEndpoint = { ok: true; id: number; secret: string } | { ok: false; reason: "act.webhooks.form.tooMany"; max: number };

/** Registers an endpoint; the secret is returned here once and never again. */
export async function createEndpoint(workspaceId: number, input: EndpointInput, userId: number | null): Promise<CreatedEndpoint> {
  // Count and insert in one transaction: two admins adding at once cannot pass the limit.
  return getDb().transaction(async (tx): Promise<CreatedEndpoint> => {
    const [counted] = await tx.select({ n: count() }).from(webhookEndpoints).where(eq(webhookEndpoints.workspaceId, workspaceId)).limit(1);
    const existing = counted?.n ?? 0;
    if (existing >= MAX_ENDPOINTS_PER_WORKSPACE) {
      return { ok: false, reason: "act.webhooks.form.tooMany", max: MAX_ENDPOINTS_PER_WORKSPACE };
    }
    const secret = generateWebhookSecret();
    const [row] = await tx
      .insert(webhookEndpoints)
      .values({ workspaceId, url: input.url, description: input.description, events: input.events, secret, createdBy: userId })
      .returning({ id: webhookEndpoints.id });
    return { ok: true, id: row.id, secret };
  });
}

export async function setEndpointActive(workspaceId: number, id: number, active: boolean): Promise<boolean> {
  const changed = await getDb()
    .update(webhookEndpoints)
    .set({ active })
    .where(and(eq(webhookEndpoints.workspaceId, workspaceId), eq(webhookEndpoints.id, id)))
    .returning({ id: webhookEndpoints.id });
  return changed.length > 0;
}

export async function updateEndpointEvents(workspaceId: number, id: number, events: WebhookEvent[]): Promise<boolean> {
  const changed = await getDb()
    .update(webhookEndpoints)
    .set({ events })
    .where(and(eq(webhookEndpoints.workspaceId, workspaceId), eq(webhookEndpoints.id, id)))
    .returning({ id: webhookEndpoints.id });
  return changed.length > 0;
}

/** A new secret for an endpoint (the old one stops working at once); null for an unknown endpoint. */
export async function rotateEndpointSecret(workspaceId: number, id: number): Promise<string | null> {
  const secret = generateWebhookSecret();
  const changed = await getDb()
    .update(webhookEndpoints)
    .set({ secret })
    .where(and(eq(webhookEndpoints.workspaceId, workspaceId), eq(webhookEndpoints.id, id)))
    .returning({ id: webhookEndpoints.id });
  return changed.length > 0 ? secret : null;
}

export async function deleteEndpoint(workspaceId: number, id: number): Promise<boolean> {
  const deleted = await getDb()
    .delete(webhookEndpoints)
    .where(and(eq(webhookEndpoints.workspaceId, workspaceId), eq(webhookEndpoints.id, id)))
    .returning({ id: webhookEndpoints.id });
  return deleted.length > 0;
}

/** A Standard Webhooks message id: random, URL-safe, never containing "." (the signed content is dot-delimited). */
export function newMessageId(): string {
  return `msg_${randomBytes(18).toString("base64url")}`;
}

/** Whether an endpoint's stored events (JSON text) include the event; unreadable JSON means none. */
function listensTo(eventsJson: string, type: WebhookEvent): boolean {
  let events: unknown;
  try {
    events = JSON.parse(eventsJson);
  } catch {
    return false;
  }
  return Array.isArray(events) && events.includes(type);
}

/** The active endpoints of a workspace and the events each listens to (read once per batch of responses). */
export async function activeEndpoints(workspaceId: number): Promise<{ id: number; events: string }[]> {
  // The events as stored (listensTo parses them, skipping an unreadable value).
  return getDb()
    .select({ id: webhookEndpoints.id, events: jsonText(webhookEndpoints.events) })
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.workspaceId, workspaceId), eq(webhookEndpoints.active, true)));
}

/**
 * One delivery per subscribed endpoint, inside the caller's transaction when one is open, so the
 * deliveries commit or roll back with the change they report. `data` is built only when someone
 * listens; `endpoints` (activeEndpoints) may be passed when the caller already read them.
 */
export async function enqueueWebhookEvent(
  workspaceId: number,
  type: WebhookEvent,
  data: () => Record<string, unknown> | Promise<Record<string, unknown>>,
  at: Date,
  endpoints?: { id: number; events: string }[],
): Promise<number> {
  const db = getDb();
  endpoints ??= await activeEndpoints(workspaceId);
  const endpointIds = endpoints.filter((row) => listensTo(row.events, type)).map((row) => row.id);
  if (endpointIds.length === 0) return 0;
  const payload = JSON.stringify({ type, timestamp: at.toISOString(), data: await data() });
  await db.insert(webhookDeliveries).values(
    endpointIds.map((endpointId) => ({
      workspaceId,
      endpointId,
      eventType: type,
      msgId: newMessageId(),
      payload,
      status: "pending" as const,
      attempts: 0,
      nextAttemptAt: at,
      createdAt: at,
    })),
  );
  return endpointIds.length;
}

export const DELIVERY_LOG_LIMIT = 50;

/** The latest deliveries (the log on the settings page); payloads stay on the server. */
export async function listDeliveries(workspaceId: number, options: { endpointId?: number; limit?: number } = {}) {
  return getDb()
    .select({
      id: webhookDeliveries.id,
      endpointId: webhookDeliveries.endpointId,
      url: webhookEndpoints.url,
      eventType: webhookDeliveries.eventType,
      msgId: webhookDeliveries.msgId,
      status: webhookDeliveries.status,
      attempts: webhookDeliveries.attempts,
      nextAttemptAt: webhookDeliveries.nextAttemptAt,
      lastAttemptAt: webhookDeliveries.lastAttemptAt,
      responseCode: webhookDeliveries.responseCode,
      error: webhookDeliveries.error,
      durationMs: webhookDeliveries.durationMs,
      createdAt: webhookDeliveries.createdAt,
      deliveredAt: webhookDeliveries.deliveredAt,
    })
    .from(webhookDeliveries)
    .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId))
    .where(
      and(
        eq(webhookDeliveries.workspaceId, workspaceId),
        options.endpointId !== undefined ? eq(webhookDeliveries.endpointId, options.endpointId) : undefined,
      ),
    )
    .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
    .limit(options.limit ?? DELIVERY_LOG_LIMIT);
}

/** Sends a failed (or waiting) delivery again now, with a fresh set of retries. */
export async function redeliver(workspaceId: number, deliveryId: number, now = new Date()): Promise<boolean> {
  const changed = await getDb()
    .update(webhookDeliveries)
    .set({ status: "pending", attempts: 0, nextAttemptAt: now, leaseUntil: null })
    .where(
      and(
        eq(webhookDeliveries.workspaceId, workspaceId),
        eq(webhookDeliveries.id, deliveryId),
        // One being sent right now finishes first; one delivered stays delivered.
        inArray(webhookDeliveries.status, ["pending", "failed"]),
      ),
    )
    .returning({ id: webhookDeliveries.id });
  return changed.length > 0;
}

/** The workspace's deliveries by status, and the oldest one due but not sent (ms since due), for the background-work page. */
export async function deliveryQueue(workspaceId: number, now = new Date()) {
  const counts = await getDb()
    .select({ status: webhookDeliveries.status, n: sql<number>`count(*)`.mapWith(Number) })
    .from(webhookDeliveries)
    .where(eq(webhookDeliveries.workspaceId, workspaceId))
    .groupBy(webhookDeliveries.status);
  const [oldest] = await getDb()
    .select({ at: webhookDeliveries.nextAttemptAt })
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.workspaceId, workspaceId), eq(webhookDeliveries.status, "pending"), lte(webhookDeliveries.nextAttemptAt, now)))
    .orderBy(asc(webhookDeliveries.nextAttemptAt))
    .limit(1);
  const byStatus = Object.fromEntries(DELIVERY_STATUSES.map((s) => [s, 0])) as Record<(typeof DELIVERY_STATUSES)[number], number>;
  for (const c of counts) byStatus[c.status] = c.n;
  return { byStatus, oldestDueMs: oldest?.at ? now.getTime() - oldest.at.getTime() : null };
}
