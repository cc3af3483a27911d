// Sessions as rows: the cookie handling lives in auth/session.server.ts; this module only reads and
// writes the table (the id is the sha256 of the cookie's token, never the token itself).
import { and, eq, gt } from "drizzle-orm";
import { getDb } from "#db/client";
import { sessions, users } from "#db/schema/index";

/** The user of a session that has not expired, with when the session was last seen. */
export async function findLiveSession(sessionId: string) {
  const [row] = await getDb()
    .select({ id: users.id, email: users.email, name: users.name, timeZone: users.timeZone, lastSeenAt: sessions.lastSeenAt })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.id, sessionId), gt(sessions.expiresAt, new Date())))
    .limit(1);
  return row;
}

export async function touchSession(sessionId: string): Promise<void> {
  await getDb().update(sessions).set({ lastSeenAt: new Date() }).where(eq(sessions.id, sessionId));
}

export async function createSession(input: { id: string; userId: number; expiresAt: Date; userAgent: string | null }): Promise<void> {
  await getDb()
    .insert(sessions)
    .values({ ...input, lastSeenAt: new Date() });
}

export async function deleteSession(sessionId: string): Promise<void> {
  await getDb().delete(sessions).where(eq(sessions.id, sessionId));
}
