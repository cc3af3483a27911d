// Workspace members and invitations by email. An invite for an email that has an account
// becomes a membership at once; otherwise it waits until that email signs up or signs in.
import { and, asc, eq, isNull } from "drizzle-orm";
import { getDb, type Tx } from "#db/client";
import { memberInvites, memberships, users, workspaces, type Role } from "#db/schema/index";
import { newSecret, sha256 } from "~/auth/tokens.server";
import { recordAudit } from "./audit.server";

export async function listMembers(workspaceId: number) {
  return getDb()
    .select({ userId: users.id, email: users.email, name: users.name, role: memberships.role, since: memberships.createdAt })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.workspaceId, workspaceId))
    .orderBy(asc(users.name));
}

export async function listPendingInvites(workspaceId: number) {
  return getDb()
    .select({ id: memberInvites.id, email: memberInvites.email, role: memberInvites.role, createdAt: memberInvites.createdAt })
    .from(memberInvites)
    .where(and(eq(memberInvites.workspaceId, workspaceId), isNull(memberInvites.acceptedAt)));
}

export type InviteOutcome = { kind: "added" } | { kind: "invited"; token: string } | { kind: "already_member" };

export async function inviteMember(workspaceId: number, email: string, role: Role, invitedBy: number): Promise<InviteOutcome> {
  const db = getDb();
  return db.transaction(async (tx) => {
    const [user] = await tx.select({ id: users.id }).from(users).where(eq(users.email, email)).limit(1);
    if (user) {
      const [member] = await tx
        .select({ role: memberships.role })
        .from(memberships)
        .where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.userId, user.id)))
        .limit(1);
      if (member) return { kind: "already_member" as const };
      await tx.insert(memberships).values({ workspaceId, userId: user.id, role });
      return { kind: "added" as const };
    }
    const token = newSecret();
    await tx
      .insert(memberInvites)
      .values({ workspaceId, email, role, tokenHash: sha256(token), invitedBy })
      .onConflictDoUpdate({
        target: [memberInvites.workspaceId, memberInvites.email],
        set: { role, tokenHash: sha256(token), acceptedAt: null, invitedBy },
      });
    return { kind: "invited" as const, token };
  });
}

export async function findInvite(token: string) {
  const [invite] = await getDb()
    .select()
    .from(memberInvites)
    .where(and(eq(memberInvites.tokenHash, sha256(token)), isNull(memberInvites.acceptedAt)))
    .limit(1);
  return invite;
}

/** A pending invite by its link's token, with the workspace it opens; null when there is none. */
export async function findInviteWithWorkspace(token: string) {
  const invite = await findInvite(token);
  if (!invite) return null;
  const [ws] = await getDb().select().from(workspaces).where(eq(workspaces.id, invite.workspaceId)).limit(1);
  return ws ? { invite, ws } : null;
}

/**
 * Turns every pending invite for this email into a membership, in one transaction (the caller's,
 * when it is inside one).
 */
export async function acceptPendingInvites(userId: number, email: string): Promise<void> {
  await getDb().transaction(async (tx) => {
    const pending = await tx
      .select()
      .from(memberInvites)
      .where(and(eq(memberInvites.email, email), isNull(memberInvites.acceptedAt)));
    for (const invite of pending) {
      await tx.insert(memberships).values({ workspaceId: invite.workspaceId, userId, role: invite.role }).onConflictDoNothing();
      await tx.update(memberInvites).set({ acceptedAt: new Date() }).where(eq(memberInvites.id, invite.id));
      await recordAudit({ workspaceId: invite.workspaceId, actorUserId: userId, action: "member.joined", target: email, detail: { role: invite.role } });
    }
  });
}

export async function revokeInvite(workspaceId: number, inviteId: number): Promise<void> {
  await getDb().delete(memberInvites).where(and(eq(memberInvites.workspaceId, workspaceId), eq(memberInvites.id, inviteId)));
}

async function adminCount(tx: Tx, workspaceId: number): Promise<number> {
  const admins = await tx
    .select({ userId: memberships.userId })
    .from(memberships)
    .where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.role, "admin")));
  return admins.length;
}

/** Changes a role; refuses to leave the workspace without an admin. */
export async function changeRole(workspaceId: number, userId: number, role: Role): Promise<{ ok: boolean }> {
  return getDb().transaction(async (tx) => {
    const [current] = await tx
      .select({ role: memberships.role })
      .from(memberships)
      .where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.userId, userId)))
      .limit(1);
    if (!current) return { ok: true };
    if (current.role === "admin" && role !== "admin" && (await adminCount(tx, workspaceId)) <= 1) return { ok: false };
    await tx.update(memberships).set({ role }).where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.userId, userId)));
    return { ok: true };
  });
}

export async function removeMember(workspaceId: number, userId: number): Promise<{ ok: boolean }> {
  return getDb().transaction(async (tx) => {
    const [current] = await tx
      .select({ role: memberships.role })
      .from(memberships)
      .where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.userId, userId)))
      .limit(1);
    if (!current) return { ok: true };
    if (current.role === "admin" && (await adminCount(tx, workspaceId)) <= 1) return { ok: false };
    await tx.delete(memberships).where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.userId, userId)));
    return { ok: true };
  });
}
