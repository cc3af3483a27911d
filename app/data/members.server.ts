// Workspace members and invitations by email. An invite for an email that has an account
// becomes a membership at once; otherwise it waits until that email signs up or signs in.
import { and, asc, eq, isNull } from "drizzle-orm";
import { getDb, type Db } from "#db/client";
import { memberInvites, memberships, users, type Role } from "#db/schema/index";
import { newSecret, sha256 } from "~/auth/tokens.server";

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

export function listMembers(workspaceId: number) {
  return getDb()
    .select({ userId: users.id, email: users.email, name: users.name, role: memberships.role, since: memberships.createdAt })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.workspaceId, workspaceId))
    .orderBy(asc(users.name))
    .all();
}

export function listPendingInvites(workspaceId: number) {
  return getDb()
    .select({ id: memberInvites.id, email: memberInvites.email, role: memberInvites.role, createdAt: memberInvites.createdAt })
    .from(memberInvites)
    .where(and(eq(memberInvites.workspaceId, workspaceId), isNull(memberInvites.acceptedAt)))
    .all();
}

export type InviteOutcome = { kind: "added" } | { kind: "invited"; token: string } | { kind: "already_member" };

export function inviteMember(workspaceId: number, email: string, role: Role, invitedBy: number): InviteOutcome {
  const db = getDb();
  return db.transaction((tx) => {
    const user = tx.select({ id: users.id }).from(users).where(eq(users.email, email)).get();
    if (user) {
      const member = tx
        .select({ role: memberships.role })
        .from(memberships)
        .where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.userId, user.id)))
        .get();
      if (member) return { kind: "already_member" as const };
      tx.insert(memberships).values({ workspaceId, userId: user.id, role }).run();
      return { kind: "added" as const };
    }
    const token = newSecret();
    tx.insert(memberInvites)
      .values({ workspaceId, email, role, tokenHash: sha256(token), invitedBy })
      .onConflictDoUpdate({
        target: [memberInvites.workspaceId, memberInvites.email],
        set: { role, tokenHash: sha256(token), acceptedAt: null, invitedBy },
      })
      .run();
    return { kind: "invited" as const, token };
  });
}

export function findInvite(token: string) {
  return getDb()
    .select()
    .from(memberInvites)
    .where(and(eq(memberInvites.tokenHash, sha256(token)), isNull(memberInvites.acceptedAt)))
    .get();
}

/** Turns every pending invite for this email into a membership. */
export function acceptPendingInvites(tx: Tx, userId: number, email: string) {
  const pending = tx
    .select()
    .from(memberInvites)
    .where(and(eq(memberInvites.email, email), isNull(memberInvites.acceptedAt)))
    .all();
  for (const invite of pending) {
    tx.insert(memberships).values({ workspaceId: invite.workspaceId, userId, role: invite.role }).onConflictDoNothing().run();
    tx.update(memberInvites).set({ acceptedAt: new Date() }).where(eq(memberInvites.id, invite.id)).run();
  }
}

export function revokeInvite(workspaceId: number, inviteId: number) {
  getDb().delete(memberInvites).where(and(eq(memberInvites.workspaceId, workspaceId), eq(memberInvites.id, inviteId))).run();
}

function adminCount(tx: Tx, workspaceId: number): number {
  return tx
    .select({ userId: memberships.userId })
    .from(memberships)
    .where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.role, "admin")))
    .all().length;
}

/** Changes a role; refuses to leave the workspace without an admin. */
export function changeRole(workspaceId: number, userId: number, role: Role): { ok: boolean } {
  return getDb().transaction((tx) => {
    const current = tx
      .select({ role: memberships.role })
      .from(memberships)
      .where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.userId, userId)))
      .get();
    if (!current) return { ok: true };
    if (current.role === "admin" && role !== "admin" && adminCount(tx, workspaceId) <= 1) return { ok: false };
    tx.update(memberships).set({ role }).where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.userId, userId))).run();
    return { ok: true };
  });
}

export function removeMember(workspaceId: number, userId: number): { ok: boolean } {
  return getDb().transaction((tx) => {
    const current = tx
      .select({ role: memberships.role })
      .from(memberships)
      .where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.userId, userId)))
      .get();
    if (!current) return { ok: true };
    if (current.role === "admin" && adminCount(tx, workspaceId) <= 1) return { ok: false };
    tx.delete(memberships).where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.userId, userId))).run();
    return { ok: true };
  });
}
