// The audit log (table audit_events): who did what to a workspace, and every sign-in, from any node.
// Rows are only ever added; admins read their workspace's log at /w/:ws/audit, where a member's
// sign-ins (which belong to no workspace) appear beside the workspace's own events.
import { and, desc, eq, inArray, isNull, like, lt, or, type SQL } from "drizzle-orm";
import { getDb } from "#db/client";
import { apiTokens, auditEvents, memberInvites, memberships, users } from "#db/schema/index";

/** Every action the log records; the audit page filters by these and names each in both languages. */
export const AUDIT_ACTIONS = [
  "auth.sign_in",
  "auth.sign_in_failed",
  "auth.sign_in_limited",
  "auth.sign_out",
  "member.invited",
  "member.added",
  "member.joined",
  "member.role_changed",
  "member.removed",
  "member.invite_revoked",
  "token.created",
  "token.revoked",
  "settings.changed",
  "customer.exported",
  "customer.erased",
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export type AuditInput = {
  /** Null for what belongs to a person rather than a workspace (a sign-in). */
  workspaceId?: number | null;
  actorUserId?: number | null;
  action: AuditAction;
  /** What the action was about, as a person reads it: an e-mail, a token's name, a settings section. */
  target?: string | null;
  /** The details, kept as JSON. Never a secret, never a customer's identity. */
  detail?: unknown;
  ip?: string | null;
};

const MAX_TARGET = 300;
const MAX_DETAIL = 4_000;

/** Adds one line to the log (inside the caller's transaction when one is open, so it commits with the change). */
export async function recordAudit(input: AuditInput): Promise<void> {
  let detail = input.detail === undefined ? null : JSON.stringify(input.detail);
  if (detail !== null && detail.length > MAX_DETAIL) detail = JSON.stringify({ truncated: detail.slice(0, MAX_DETAIL) });
  await getDb()
    .insert(auditEvents)
    .values({
      workspaceId: input.workspaceId ?? null,
      actorUserId: input.actorUserId ?? null,
      action: input.action,
      target: input.target ? input.target.slice(0, MAX_TARGET) : null,
      detail,
      ip: input.ip ? input.ip.slice(0, 100) : null,
      createdAt: new Date(),
    });
}

/**
 * A sign-in attempt. A failure is put on the account when the e-mail has one (so the account's
 * workspaces see it); an e-mail nobody has is not kept (it may be a password typed in the wrong
 * field). Known or unknown, the same one lookup runs: the timing tells nothing.
 */
export async function auditSignIn(input: {
  email: string;
  userId: number | null;
  outcome: "ok" | "failed" | "limited";
  ip: string;
  detail?: Record<string, unknown>;
}): Promise<void> {
  let actor = input.userId;
  if (actor === null) {
    const [row] = await getDb()
      .select({ id: users.id })
      .from(users)
      .where(eq(users.email, input.email.trim().toLowerCase()))
      .limit(1);
    actor = row?.id ?? null;
  }
  const action = input.outcome === "ok" ? "auth.sign_in" : input.outcome === "failed" ? "auth.sign_in_failed" : "auth.sign_in_limited";
  await recordAudit({ actorUserId: actor, action, target: actor === null ? null : input.email.trim().toLowerCase(), detail: input.detail, ip: input.ip });
}

/** A member's e-mail, as the target of a membership change; null for anyone not a member of the workspace. */
export async function memberEmail(workspaceId: number, userId: number): Promise<string | null> {
  if (!Number.isSafeInteger(userId)) return null;
  const [row] = await getDb()
    .select({ email: users.email })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.userId, userId)))
    .limit(1);
  return row?.email ?? null;
}

/** The e-mail of a pending invitation of the workspace. */
export async function inviteEmail(workspaceId: number, inviteId: number): Promise<string | null> {
  if (!Number.isSafeInteger(inviteId)) return null;
  const [row] = await getDb()
    .select({ email: memberInvites.email })
    .from(memberInvites)
    .where(and(eq(memberInvites.workspaceId, workspaceId), eq(memberInvites.id, inviteId)))
    .limit(1);
  return row?.email ?? null;
}

/** A live token as the log names it: its name and visible prefix (never the secret); null once revoked. */
export async function tokenLabel(workspaceId: number, tokenId: number): Promise<string | null> {
  const [row] = await getDb()
    .select({ name: apiTokens.name, prefix: apiTokens.prefix })
    .from(apiTokens)
    .where(and(eq(apiTokens.workspaceId, workspaceId), eq(apiTokens.id, tokenId), isNull(apiTokens.revokedAt)))
    .limit(1);
  return row ? `${row.name} (${row.prefix}…)` : null;
}

/** A submitted settings form as the detail of its audit line: every field but the intent. */
export function formDetail(formData: FormData): Record<string, string | string[]> {
  const detail: Record<string, string | string[]> = {};
  for (const name of new Set(formData.keys())) {
    if (name === "intent") continue;
    const values = formData.getAll(name).filter((v): v is string => typeof v === "string");
    detail[name] = values.length === 1 ? values[0] : values;
  }
  return detail;
}

export type AuditRow = {
  id: number;
  createdAt: Date;
  action: string;
  target: string | null;
  detail: string | null;
  ip: string | null;
  workspaceId: number | null;
  actorName: string | null;
  actorEmail: string | null;
};

export const AUDIT_PAGE_SIZE = 50;

/**
 * A page of the workspace's log, newest first: its own events, and the sign-ins (and sign-outs) of
 * the people who are its members now. `before` is the id the next page starts below.
 */
export async function listAudit(
  workspaceId: number,
  options: { action?: AuditAction; before?: number; limit?: number } = {},
): Promise<{ rows: AuditRow[]; nextBefore: number | null }> {
  const db = getDb();
  const limit = options.limit ?? AUDIT_PAGE_SIZE;
  const members = db.select({ id: memberships.userId }).from(memberships).where(eq(memberships.workspaceId, workspaceId));
  const conditions: (SQL | undefined)[] = [
    or(eq(auditEvents.workspaceId, workspaceId), and(isNull(auditEvents.workspaceId), like(auditEvents.action, "auth.%"), inArray(auditEvents.actorUserId, members))),
  ];
  if (options.action) conditions.push(eq(auditEvents.action, options.action));
  if (options.before !== undefined) conditions.push(lt(auditEvents.id, options.before));
  const found = await db
    .select({
      id: auditEvents.id,
      createdAt: auditEvents.createdAt,
      action: auditEvents.action,
      target: auditEvents.target,
      detail: auditEvents.detail,
      ip: auditEvents.ip,
      workspaceId: auditEvents.workspaceId,
      actorName: users.name,
      actorEmail: users.email,
    })
    .from(auditEvents)
    .leftJoin(users, eq(users.id, auditEvents.actorUserId))
    .where(and(...conditions))
    .orderBy(desc(auditEvents.id))
    .limit(limit + 1);
  const page = found.slice(0, limit);
  return { rows: page, nextBefore: found.length > limit ? page[page.length - 1].id : null };
}
