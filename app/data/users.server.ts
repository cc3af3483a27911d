// People: sign-up, sign-in, and their sessions.
import { and, desc, eq, ne } from "drizzle-orm";
import { getDb } from "#db/client";
import { sessions, users } from "#db/schema/index";
import { decoyHash, hashPassword, verifyPassword } from "~/auth/password.server";
import type { Lang } from "~/i18n/lang";
import { acceptPendingInvites } from "./members.server";

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function createUser(input: { email: string; name: string; password: string }) {
  const db = getDb();
  const email = normaliseEmail(input.email);
  const [existing] = await db.select({ id: users.id }).from(users).where(eq(users.email, email)).limit(1);
  if (existing) return { ok: false as const, reason: "email_taken" as const };
  const passwordHash = await hashPassword(input.password);
  const user = await db.transaction(async (tx) => {
    const [row] = await tx.insert(users).values({ email, name: input.name.trim(), passwordHash }).returning();
    await acceptPendingInvites(row.id, email);
    return row;
  });
  return { ok: true as const, user };
}

/** Verifies a sign-in. Unknown email and wrong password fail the same way and take the same time. */
export async function verifyLogin(email: string, password: string) {
  const [row] = await getDb().select().from(users).where(eq(users.email, normaliseEmail(email))).limit(1);
  const ok = await verifyPassword(password, row?.passwordHash ?? (await decoyHash()));
  if (!row || !ok) return null;
  await acceptPendingInvites(row.id, row.email);
  return row;
}

export async function listSessions(userId: number) {
  return getDb()
    .select({ id: sessions.id, createdAt: sessions.createdAt, lastSeenAt: sessions.lastSeenAt, userAgent: sessions.userAgent })
    .from(sessions)
    .where(eq(sessions.userId, userId))
    .orderBy(desc(sessions.createdAt));
}

export async function revokeSession(userId: number, sessionId: string): Promise<void> {
  await getDb().delete(sessions).where(and(eq(sessions.userId, userId), eq(sessions.id, sessionId)));
}

export async function revokeOtherSessions(userId: number, keepSessionId: string): Promise<void> {
  await getDb().delete(sessions).where(and(eq(sessions.userId, userId), ne(sessions.id, keepSessionId)));
}

/** The person's own time zone for dates on screen; null goes back to each workspace's. Validated by the caller. */
export async function updateUserTimeZone(userId: number, timeZone: string | null): Promise<void> {
  await getDb().update(users).set({ timeZone }).where(eq(users.id, userId));
}

/** The interface language the person chose last: their alert and digest e-mails are written in it. */
export async function rememberUserLang(userId: number, lang: Lang): Promise<void> {
  await getDb().update(users).set({ lang }).where(eq(users.id, userId));
}
