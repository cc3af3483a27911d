// Personal invitations: single-use links bound to one customer, created by deployment rules from CRM
// events or by an admin for a list of customers, and the outbox that lists them with their state.
import { and, asc, count, desc, eq, gte, inArray, lt, max, or, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { getDb, type Tx } from "#db/client";
import { customers, deployments, invitations, surveys, surveyVersions, INVITATION_STATES } from "#db/schema/index";
import { decideInvitations, type DecideInvitationsInput, type InvitationDecision, type InvitationHistory } from "~/cem/deployment-rules";
import { MAX_ROW_ID, RowIdParamSchema } from "~/cem/row-id";
import { activeRulesFor, getDeployment, newLinkToken, surveyLink } from "./deployments.server";
import { queueInvitationMessages } from "./invitation-delivery.server";
import { kickJobs } from "./job-runner.server";

export type { Tx };
export type InvitationRow = typeof invitations.$inferSelect;
export type InvitationState = (typeof INVITATION_STATES)[number];

const HOUR_MS = 3_600_000;

/** The state a person should see: an unanswered invitation past its expiry is expired, whatever is stored. */
export function effectiveState(row: { state: InvitationState; expiresAt: Date }, now: Date): InvitationState {
  if (row.state === "completed" || row.state === "expired") return row.state;
  return row.expiresAt.getTime() < now.getTime() ? "expired" : row.state;
}

function stateCondition(state: InvitationState, now: Date): SQL | undefined {
  switch (state) {
    case "completed":
      return eq(invitations.state, "completed");
    case "expired":
      return or(eq(invitations.state, "expired"), and(inArray(invitations.state, ["pending", "opened"]), lt(invitations.expiresAt, now)));
    case "pending":
    case "opened":
      return and(eq(invitations.state, state), gte(invitations.expiresAt, now));
  }
}

export type OutboxFilter = { state?: InvitationState; deploymentId?: number };

const OutboxQuerySchema = z.object({
  state: z.enum(INVITATION_STATES).optional().catch(undefined),
  deployment: RowIdParamSchema.optional().catch(undefined),
  page: z.coerce.number().int().min(1).optional().catch(undefined),
});

/** The outbox filter and page from a query string; unknown values are ignored rather than refused. */
export function outboxQuery(url: URL): OutboxFilter & { page: number } {
  const q = OutboxQuerySchema.parse({
    state: url.searchParams.get("state") || undefined,
    deployment: url.searchParams.get("deployment") || undefined,
    page: url.searchParams.get("page") || undefined,
  });
  return { state: q.state, deploymentId: q.deployment, page: q.page ?? 1 };
}

function outboxWhere(workspaceId: number, filter: OutboxFilter, now: Date) {
  return and(
    eq(invitations.workspaceId, workspaceId),
    filter.state ? stateCondition(filter.state, now) : undefined,
    filter.deploymentId ? eq(invitations.deploymentId, filter.deploymentId) : undefined,
  );
}

function outboxSelect(workspaceId: number, filter: OutboxFilter, now: Date) {
  return getDb()
    .select({
      id: invitations.id,
      token: invitations.token,
      state: invitations.state,
      sendAt: invitations.sendAt,
      expiresAt: invitations.expiresAt,
      openedAt: invitations.openedAt,
      completedAt: invitations.completedAt,
      createdAt: invitations.createdAt,
      ruleId: invitations.ruleId,
      deploymentId: invitations.deploymentId,
      deploymentName: deployments.name,
      surveyTitle: surveys.title,
      surveyTitleEn: surveys.titleEn,
      customerExternalId: customers.externalId,
      customerName: customers.name,
      customerEmail: customers.email,
      customerPhone: customers.phone,
    })
    .from(invitations)
    .innerJoin(customers, eq(customers.id, invitations.customerId))
    .innerJoin(deployments, eq(deployments.id, invitations.deploymentId))
    .innerJoin(surveys, eq(surveys.id, deployments.surveyId))
    .where(outboxWhere(workspaceId, filter, now))
    .orderBy(desc(invitations.createdAt), desc(invitations.id))
    .$dynamic();
}

export const OUTBOX_PAGE_SIZE = 50;

/** One page of the outbox, newest first, with the state computed at `now`. */
export async function listOutbox(workspaceId: number, filter: OutboxFilter, page: number, now: Date, pageSize = OUTBOX_PAGE_SIZE) {
  const [counted] = await getDb().select({ n: count() }).from(invitations).where(outboxWhere(workspaceId, filter, now));
  const total = counted?.n ?? 0;
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const current = Math.min(Math.max(1, Math.floor(page) || 1), pages);
  const rows = (
    await outboxSelect(workspaceId, filter, now)
      .limit(pageSize)
      .offset((current - 1) * pageSize)
  ).map((r) => ({ ...r, state: effectiveState(r, now) }));
  return { rows, total, page: current, pages, pageSize };
}

/** Persists the expiry of unanswered invitations past their time (the outbox computes it anyway). */
export async function markExpiredInvitations(workspaceId: number, now: Date): Promise<number> {
  const expired = await getDb()
    .update(invitations)
    .set({ state: "expired" })
    .where(and(eq(invitations.workspaceId, workspaceId), inArray(invitations.state, ["pending", "opened"]), lt(invitations.expiresAt, now)))
    .returning({ id: invitations.id });
  return expired.length;
}

// ---- CSV -----------------------------------------------------------------------------------------

/**
 * One CSV field (RFC 4180 quoting). Text that a spreadsheet would run as a formula (=, +, -, @, tab,
 * CR at the start; OWASP "CSV injection") gets a leading apostrophe; plain negative numbers do not.
 */
export function csvField(value: string | null | undefined): string {
  let text = value ?? "";
  if (/^[=+@\t\r]/.test(text) || (/^-/.test(text) && !/^-\d+(\.\d+)?$/.test(text))) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvLine(fields: readonly (string | null | undefined)[]): string {
  return fields.map(csvField).join(",");
}

export const OUTBOX_CSV_HEADER = ["customer_external_id", "name", "email", "link", "state", "expires_at", "send_at", "deployment"] as const;

/** The outbox as CSV (every row of the filter, not one page), links absolute from `origin`. */
export async function outboxCsv(workspaceId: number, filter: OutboxFilter, origin: string, now: Date): Promise<string> {
  const rows = await outboxSelect(workspaceId, filter, now).limit(200_000);
  const lines = [csvLine(OUTBOX_CSV_HEADER)];
  for (const r of rows) {
    lines.push(
      csvLine([
        r.customerExternalId,
        r.customerName,
        r.customerEmail,
        surveyLink(origin, r.token),
        effectiveState(r, now),
        r.expiresAt.toISOString(),
        r.sendAt.toISOString(),
        r.deploymentName,
      ]),
    );
  }
  return lines.join("\r\n") + "\r\n";
}

// ---- Admin creation ------------------------------------------------------------------------------

export const MAX_CUSTOMERS_PER_REQUEST = 1000;

/** Body of POST /api/v1/invitations, also what the admin form is turned into. */
export const CreateInvitationsSchema = z.object({
  deployment: z
    .number({ message: "deployment: the numeric id of a deployment of this workspace." })
    .int("deployment: a whole number.")
    .positive("deployment: a positive id.")
    .max(MAX_ROW_ID, "deployment: not the id of a deployment."),
  customers: z
    .array(
      z.string({ message: "customers: each entry is a customer external id (a string)." }).trim().min(1, "customers: an external id cannot be empty.").max(200, "customers: an external id has at most 200 characters."),
      { message: "customers: a list of customer external ids, e.g. [\"C-1001\"]." },
    )
    .min(1, "customers: give at least one customer external id.")
    .max(MAX_CUSTOMERS_PER_REQUEST, `customers: at most ${MAX_CUSTOMERS_PER_REQUEST} per request.`),
  expiresInHours: z
    .number({ message: "expiresInHours: a number of hours." })
    .int("expiresInHours: whole hours.")
    .min(1, "expiresInHours: at least 1.")
    .max(24 * 365, "expiresInHours: at most 8760 (a year).")
    .default(168),
});
export type CreateInvitationsInput = z.output<typeof CreateInvitationsSchema>;

export type CreatedInvitation = {
  id: number;
  token: string;
  customer: string;
  customerCreated: boolean;
  sendAt: Date;
  expiresAt: Date;
};

/** Why a deployment takes no invitations: a code the deploy page words in the reader's language. */
export type InvitationRefusal = "paused" | "unpublished";

/** The API's English for each refusal, under the field it concerns (its JSON contract). */
const REFUSAL_ERRORS: Record<InvitationRefusal, Record<string, string>> = {
  paused: { deployment: "This deployment is paused; resume it before inviting customers." },
  unpublished: { deployment: "The survey has no published version yet: publish it first." },
};

export type CreateInvitationsResult =
  | { ok: true; invitations: CreatedInvitation[] }
  | { ok: false; refusal: InvitationRefusal; errors: Record<string, string> }
  | null;

const refused = (refusal: InvitationRefusal) => ({ ok: false as const, refusal, errors: REFUSAL_ERRORS[refusal] });

/**
 * Invitations sent now to a list of customers by external id, for one deployment of the workspace.
 * A customer the workspace does not know yet is created as a bare row (external id only), so the
 * CRM can fill it in later. All or nothing. Null when the deployment is not in this workspace.
 */
export async function createInvitationsForCustomers(
  workspaceId: number,
  input: CreateInvitationsInput,
  now: Date,
): Promise<CreateInvitationsResult> {
  const externalIds = [...new Set(input.customers.map((c) => c.trim()))];
  const result = await getDb().transaction(async (tx): Promise<CreateInvitationsResult> => {
    const deployment = await getDeployment(workspaceId, input.deployment, tx);
    if (!deployment) return null;
    if (!deployment.active) return refused("paused");
    const [published] = await tx
      .select({ id: surveyVersions.id })
      .from(surveyVersions)
      .where(and(eq(surveyVersions.surveyId, deployment.surveyId), eq(surveyVersions.status, "published")))
      .limit(1);
    if (!published) return refused("unpublished");

    const known = new Map<string, number>();
    for (let i = 0; i < externalIds.length; i += 500) {
      const chunk = externalIds.slice(i, i + 500);
      for (const c of await tx
        .select({ id: customers.id, externalId: customers.externalId })
        .from(customers)
        .where(and(eq(customers.workspaceId, workspaceId), inArray(customers.externalId, chunk)))) {
        known.set(c.externalId, c.id);
      }
    }
    const expiresAt = new Date(now.getTime() + input.expiresInHours * HOUR_MS);
    const created: CreatedInvitation[] = [];
    const toQueue: { id: number; deploymentId: number; customerId: number; sendAt: Date }[] = [];
    for (const externalId of externalIds) {
      let customerId = known.get(externalId);
      const customerCreated = customerId === undefined;
      if (customerId === undefined) {
        const [customer] = await tx.insert(customers).values({ workspaceId, externalId }).returning({ id: customers.id });
        customerId = customer.id;
      }
      const token = newLinkToken();
      const [row] = await tx
        .insert(invitations)
        .values({ workspaceId, deploymentId: deployment.id, customerId, token, state: "pending", sendAt: now, expiresAt })
        .returning({ id: invitations.id });
      created.push({ id: row.id, token, customer: externalId, customerCreated, sendAt: now, expiresAt });
      toQueue.push({ id: row.id, deploymentId: deployment.id, customerId, sendAt: now });
    }
    // Their messages are queued with them (when the workspace sends e-mail or SMS) and go out in the background.
    await queueInvitationMessages(workspaceId, toQueue);
    return { ok: true as const, invitations: created };
  });
  if (result?.ok) kickJobs();
  return result;
}

// ---- From CRM events -----------------------------------------------------------------------------

/** Send time of the customer's latest invitation in the workspace (the rule engine's lastInvitedAt). */
async function lastInvitedAt(tx: Tx, workspaceId: number, customerId: string): Promise<Date | null> {
  const [row] = await tx
    .select({ at: max(invitations.sendAt) })
    .from(invitations)
    .where(and(eq(invitations.workspaceId, workspaceId), eq(invitations.customerId, Number(customerId))));
  return row?.at ?? null;
}

/** Invitations a rule scheduled with a send time at or after `since` (the rule engine's invitationsInPeriod). */
async function invitationsInPeriod(tx: Tx, workspaceId: number, ruleId: string, since: Date): Promise<number> {
  const [row] = await tx
    .select({ n: count() })
    .from(invitations)
    .where(and(eq(invitations.workspaceId, workspaceId), eq(invitations.ruleId, Number(ruleId)), gte(invitations.sendAt, since)));
  return row?.n ?? 0;
}

/** Thrown out of the rule engine when it asks its history something not read yet. */
const NOT_READ_YET = Symbol("not read yet");

/**
 * decideInvitations with the workspace's invitation history, read inside the caller's transaction.
 * The engine asks its history synchronously and the database answers asynchronously, so the engine
 * (pure and deterministic) runs until it asks something not read yet; that is read, and it runs
 * again. It asks the same questions in the same order every time, so each answer is read once, only
 * when the engine needs it, as when the history read the database directly.
 */
async function decideWithHistory(tx: Tx, workspaceId: number, input: Omit<DecideInvitationsInput, "history">): Promise<InvitationDecision> {
  const lastInvited = new Map<string, Date | null>();
  const inPeriod = new Map<string, number>();
  const pending: { read?: () => Promise<void> } = {};
  const history: InvitationHistory = {
    lastInvitedAt(customerId) {
      const known = lastInvited.get(customerId);
      if (known !== undefined) return known;
      pending.read = async () => void lastInvited.set(customerId, await lastInvitedAt(tx, workspaceId, customerId));
      throw NOT_READ_YET;
    },
    invitationsInPeriod(ruleId, since) {
      const key = `${ruleId}\u0000${since.getTime()}`;
      const known = inPeriod.get(key);
      if (known !== undefined) return known;
      pending.read = async () => void inPeriod.set(key, await invitationsInPeriod(tx, workspaceId, ruleId, since));
      throw NOT_READ_YET;
    },
  };
  for (;;) {
    try {
      return decideInvitations({ ...input, history });
    } catch (error) {
      const read = pending.read;
      if (error !== NOT_READ_YET || !read) throw error;
      pending.read = undefined;
      await read();
    }
  }
}

/**
 * The invitations one CRM event triggers: the workspace's active rules for the event type (active
 * deployments with a published survey, in priority order) and the invitation history go through
 * the pure rule engine (decideInvitations); what it plans is inserted in the caller's transaction
 * and returned. Processing the same event twice invites no one twice (unique event × customer).
 */
export async function invitationsForEvent(
  tx: Tx,
  workspaceId: number,
  event: { id: number; customerId: number; type: string; occurredAt: Date; touchpointKey: string | null },
  now: Date,
): Promise<InvitationRow[]> {
  const rules = await activeRulesFor(tx, workspaceId, event.type);
  if (rules.length === 0) return [];
  const decision = await decideWithHistory(tx, workspaceId, {
    event: {
      id: String(event.id),
      customerId: String(event.customerId),
      type: event.type,
      occurredAt: event.occurredAt,
      touchpointKey: event.touchpointKey,
    },
    rules,
    now,
  });
  const inserted: InvitationRow[] = [];
  for (const planned of decision.invitations) {
    const [row] = await tx
      .insert(invitations)
      .values({
        workspaceId,
        deploymentId: Number(planned.deploymentId),
        customerId: Number(planned.customerId),
        token: newLinkToken(),
        state: "pending",
        ruleId: Number(planned.ruleId),
        eventId: Number(planned.eventId),
        sendAt: planned.sendAt,
        expiresAt: planned.expiresAt,
      })
      .onConflictDoNothing({ target: [invitations.eventId, invitations.customerId] })
      .returning();
    if (row) inserted.push(row);
  }
  await queueInvitationMessages(workspaceId, inserted);
  return inserted;
}

/** Invitation counts per effective state for one deployment (the deploy page's summary). */
export async function invitationCounts(workspaceId: number, deploymentId: number, now: Date): Promise<Record<InvitationState, number>> {
  // Per stored state, how many and how many of them are past their expiry (`now` bound through the
  // column, so as epoch ms on SQLite and a timestamptz on PostgreSQL).
  const rows = await getDb()
    .select({
      state: invitations.state,
      n: count(),
      expired: sql<number>`coalesce(sum(case when ${lt(invitations.expiresAt, now)} then 1 else 0 end), 0)`.mapWith(Number),
    })
    .from(invitations)
    .where(and(eq(invitations.workspaceId, workspaceId), eq(invitations.deploymentId, deploymentId)))
    .groupBy(invitations.state);
  const counts: Record<InvitationState, number> = { pending: 0, opened: 0, completed: 0, expired: 0 };
  for (const r of rows) {
    counts[effectiveState({ state: r.state, expiresAt: new Date(0) }, now)] += r.expired;
    counts[effectiveState({ state: r.state, expiresAt: now }, now)] += r.n - r.expired;
  }
  return counts;
}

export async function deploymentsForOutbox(workspaceId: number) {
  return getDb()
    .select({ id: deployments.id, name: deployments.name, surveyTitle: surveys.title, surveyTitleEn: surveys.titleEn })
    .from(deployments)
    .innerJoin(surveys, eq(surveys.id, deployments.surveyId))
    .where(eq(deployments.workspaceId, workspaceId))
    .orderBy(asc(surveys.title), asc(deployments.name));
}
