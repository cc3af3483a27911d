// The life of an invitation as dated events (queued, sent, failed with the server's answer, bounced,
// opened, started, completed, unsubscribed), the customers who opted out and the addresses that
// bounced, and a deployment's funnel read from them. Each step is recorded once (a unique index), so
// a retried handler or a second page load adds nothing.
import { and, asc, desc, eq, inArray, isNotNull } from "drizzle-orm";
import { getDb } from "#db/client";
import { customers, invitationEvents, invitations, invitationSends, mailBounces, mailOptOuts, workspaces, INVITATION_EVENT_KINDS } from "#db/schema/index";
import { invitationFunnel, type Funnel } from "~/cem/invitation-funnel";
import { readUnsubscribeToken } from "~/cem/unsubscribe-token";
import { purposeKey } from "./sealed-secrets.server";

export type InvitationEventKind = (typeof INVITATION_EVENT_KINDS)[number];

export async function recordInvitationEvent(input: { workspaceId: number; invitationId: number; kind: InvitationEventKind; seq?: number; detail?: string | null; at?: Date }): Promise<void> {
  await getDb()
    .insert(invitationEvents)
    .values({ workspaceId: input.workspaceId, invitationId: input.invitationId, kind: input.kind, seq: input.seq ?? 0, detail: input.detail?.slice(0, 1000) ?? null, at: input.at ?? new Date() })
    .onConflictDoNothing();
}

/** A customer step (opened, started, completed) on an invitation known only by id. */
export async function recordCustomerStep(invitationId: number, kind: "opened" | "started" | "completed", at: Date): Promise<void> {
  const [row] = await getDb().select({ workspaceId: invitations.workspaceId }).from(invitations).where(eq(invitations.id, invitationId)).limit(1);
  if (row) await recordInvitationEvent({ workspaceId: row.workspaceId, invitationId, kind, at });
}

export async function invitationLife(workspaceId: number, invitationId: number) {
  return getDb()
    .select({ kind: invitationEvents.kind, seq: invitationEvents.seq, detail: invitationEvents.detail, at: invitationEvents.at })
    .from(invitationEvents)
    .where(and(eq(invitationEvents.workspaceId, workspaceId), eq(invitationEvents.invitationId, invitationId)))
    .orderBy(asc(invitationEvents.at), asc(invitationEvents.id));
}

export type LifeEvent = { kind: InvitationEventKind; seq: number; detail: string | null; at: Date };

/** The life of each of these invitations (a page of the outbox), oldest event first. */
export async function invitationLives(workspaceId: number, invitationIds: number[]): Promise<Map<number, LifeEvent[]>> {
  const lives = new Map<number, LifeEvent[]>();
  if (invitationIds.length === 0) return lives;
  const list = await getDb()
    .select({ invitationId: invitationEvents.invitationId, kind: invitationEvents.kind, seq: invitationEvents.seq, detail: invitationEvents.detail, at: invitationEvents.at })
    .from(invitationEvents)
    .where(and(eq(invitationEvents.workspaceId, workspaceId), inArray(invitationEvents.invitationId, invitationIds)))
    .orderBy(asc(invitationEvents.at), asc(invitationEvents.id));
  for (const { invitationId, ...e } of list) {
    const life = lives.get(invitationId) ?? [];
    life.push(e);
    lives.set(invitationId, life);
  }
  return lives;
}

// ---- Opt-outs and bounces --------------------------------------------------------------------------

export async function isOptedOut(workspaceId: number, customerId: number): Promise<Date | null> {
  const [row] = await getDb()
    .select({ at: mailOptOuts.at })
    .from(mailOptOuts)
    .where(and(eq(mailOptOuts.workspaceId, workspaceId), eq(mailOptOuts.customerId, customerId)))
    .limit(1);
  return row?.at ?? null;
}

/**
 * Opts a customer out of every deployment's messages: what is still queued for them is skipped, and
 * their latest invitation records the step. True when the customer exists in the workspace.
 */
export async function optOutCustomer(workspaceId: number, customerId: number, at: Date = new Date()): Promise<boolean> {
  return getDb().transaction(async (tx) => {
    const [customer] = await tx
      .select({ id: customers.id })
      .from(customers)
      .where(and(eq(customers.workspaceId, workspaceId), eq(customers.id, customerId)))
      .limit(1);
    if (!customer) return false;
    const inserted = await tx.insert(mailOptOuts).values({ workspaceId, customerId, at }).onConflictDoNothing().returning({ id: mailOptOuts.customerId });
    if (inserted.length === 0) return true;
    const theirs = await tx
      .select({ id: invitations.id })
      .from(invitations)
      .where(and(eq(invitations.workspaceId, workspaceId), eq(invitations.customerId, customerId)))
      .orderBy(desc(invitations.createdAt), desc(invitations.id));
    if (theirs.length > 0) {
      await tx
        .update(invitationSends)
        .set({ state: "skipped", response: "unsubscribed", claimedBy: null, claimedUntil: null })
        .where(and(inArray(invitationSends.invitationId, theirs.map((i) => i.id)), eq(invitationSends.state, "queued")));
      await recordInvitationEvent({ workspaceId, invitationId: theirs[0].id, kind: "unsubscribed", at });
    }
    return true;
  });
}

/** Whom an unsubscribe link names (a customer still in the workspace), with the brand to show; null for a bad or stale link. */
export async function unsubscribeTarget(token: string): Promise<{ workspaceId: number; customerId: number; brand: string; optedOutAt: Date | null } | null> {
  const named = readUnsubscribeToken(purposeKey("unsubscribe"), token);
  if (!named) return null;
  const [row] = await getDb()
    .select({ name: workspaces.name, brandName: workspaces.brandName })
    .from(customers)
    .innerJoin(workspaces, eq(workspaces.id, customers.workspaceId))
    .where(and(eq(customers.id, named.customerId), eq(customers.workspaceId, named.workspaceId)))
    .limit(1);
  if (!row) return null;
  return { ...named, brand: row.brandName || row.name, optedOutAt: await isOptedOut(named.workspaceId, named.customerId) };
}

export async function isBounced(workspaceId: number, address: string): Promise<boolean> {
  const [row] = await getDb()
    .select({ at: mailBounces.at })
    .from(mailBounces)
    .where(and(eq(mailBounces.workspaceId, workspaceId), eq(mailBounces.address, address.trim().toLowerCase())))
    .limit(1);
  return Boolean(row);
}

export async function markBounced(workspaceId: number, address: string, response: string, at: Date): Promise<void> {
  await getDb()
    .insert(mailBounces)
    .values({ workspaceId, address: address.trim().toLowerCase(), response: response.slice(0, 500), at })
    .onConflictDoNothing();
}

/** Opt-out and bounce marks of a page of customers (the customer list and its CSV). */
export async function mailStatusOf(workspaceId: number, list: { id: number; email: string | null }[]): Promise<Map<number, { unsubscribedAt: Date | null; bounced: boolean }>> {
  const out = new Map<number, { unsubscribedAt: Date | null; bounced: boolean }>();
  if (list.length === 0) return out;
  const ids = list.map((c) => c.id);
  const outs = new Map<number, Date>();
  for (let i = 0; i < ids.length; i += 500) {
    for (const o of await getDb()
      .select({ customerId: mailOptOuts.customerId, at: mailOptOuts.at })
      .from(mailOptOuts)
      .where(and(eq(mailOptOuts.workspaceId, workspaceId), inArray(mailOptOuts.customerId, ids.slice(i, i + 500))))) {
      outs.set(o.customerId, o.at);
    }
  }
  const addresses = [...new Set(list.map((c) => c.email?.trim().toLowerCase()).filter((e): e is string => Boolean(e)))];
  const bounced = new Set<string>();
  for (let i = 0; i < addresses.length; i += 500) {
    for (const b of await getDb()
      .select({ address: mailBounces.address })
      .from(mailBounces)
      .where(and(eq(mailBounces.workspaceId, workspaceId), inArray(mailBounces.address, addresses.slice(i, i + 500))))) {
      bounced.add(b.address);
    }
  }
  for (const c of list) out.set(c.id, { unsubscribedAt: outs.get(c.id) ?? null, bounced: c.email ? bounced.has(c.email.trim().toLowerCase()) : false });
  return out;
}

// ---- The funnel ----------------------------------------------------------------------------------

/** A deployment's funnel: sends accepted by the server and the customers' steps, per send and overall. */
export async function deploymentFunnel(workspaceId: number, deploymentId: number): Promise<Funnel> {
  const sent = await getDb()
    .select({ invitationId: invitationSends.invitationId, seq: invitationSends.seq, at: invitationSends.sentAt })
    .from(invitationSends)
    .innerJoin(invitations, eq(invitations.id, invitationSends.invitationId))
    .where(and(eq(invitationSends.workspaceId, workspaceId), eq(invitations.deploymentId, deploymentId), eq(invitationSends.state, "sent"), isNotNull(invitationSends.sentAt)));
  const steps = await getDb()
    .select({ invitationId: invitationEvents.invitationId, kind: invitationEvents.kind, at: invitationEvents.at })
    .from(invitationEvents)
    .innerJoin(invitations, eq(invitations.id, invitationEvents.invitationId))
    .where(and(eq(invitationEvents.workspaceId, workspaceId), eq(invitations.deploymentId, deploymentId), inArray(invitationEvents.kind, ["opened", "started", "completed"])));
  const byInvitation = new Map<number, { invitationId: number; sent: { seq: number; at: Date }[]; opened?: Date; started?: Date; completed?: Date }>();
  const item = (id: number) => {
    let it = byInvitation.get(id);
    if (!it) byInvitation.set(id, (it = { invitationId: id, sent: [] }));
    return it;
  };
  for (const s of sent) item(s.invitationId).sent.push({ seq: s.seq, at: s.at! });
  for (const s of steps) item(s.invitationId)[s.kind as "opened" | "started" | "completed"] = s.at;
  return invitationFunnel([...byInvitation.values()]);
}
