// Database-backed sessions: the cookie holds a random token, the table holds its hash,
// so a session can be listed and revoked, and signing out really ends it.
import { createCookie, redirect } from "@remix-run/node";
import { skipWhenUnwritable } from "#db/unwritable";
import { createSession, deleteSession, findLiveSession, touchSession } from "~/data/sessions.server";
import { safeRedirect } from "~/web/redirect-target";
import { newSecret, sha256 } from "./tokens.server";

const SESSION_DAYS = 30;

export const sessionCookie = createCookie("vivencia_session", {
  httpOnly: true,
  sameSite: "lax",
  secure: process.env.NODE_ENV === "production" && process.env.INSECURE_COOKIES !== "1",
  path: "/",
  maxAge: SESSION_DAYS * 24 * 3600,
});

export type SessionUser = { id: number; email: string; name: string; timeZone: string | null; sessionId: string };

async function tokenFrom(request: Request): Promise<string | null> {
  const value = await sessionCookie.parse(request.headers.get("Cookie"));
  return typeof value === "string" && value.length > 20 ? value : null;
}

export async function getUser(request: Request): Promise<SessionUser | null> {
  const token = await tokenFrom(request);
  if (!token) return null;
  const id = sha256(token);
  const row = await findLiveSession(id);
  if (!row) return null;
  // Touch at most every 10 minutes: a write on every request would serialise all readers behind it.
  // Skipped while the database cannot be written: reading must keep working then.
  if (!row.lastSeenAt || Date.now() - row.lastSeenAt.getTime() > 10 * 60_000) {
    await touchSession(id).catch(skipWhenUnwritable);
  }
  return { id: row.id, email: row.email, name: row.name, timeZone: row.timeZone, sessionId: id };
}

export async function requireUser(request: Request): Promise<SessionUser> {
  const user = await getUser(request);
  if (!user) {
    const url = new URL(request.url);
    throw redirect(`/login?redirectTo=${encodeURIComponent(url.pathname + url.search)}`);
  }
  return user;
}

/** Starts a session and answers with a redirect that sets its cookie. */
export async function startSession(request: Request, userId: number, redirectTo: string): Promise<Response> {
  // Judged before the session row is written: a bad target falls back, it never fails half-way.
  const to = safeRedirect(redirectTo);
  const token = newSecret();
  await createSession({
    id: sha256(token),
    userId,
    expiresAt: new Date(Date.now() + SESSION_DAYS * 24 * 3600_000),
    userAgent: request.headers.get("User-Agent")?.slice(0, 200) ?? null,
  });
  return redirect(to, { headers: { "Set-Cookie": await sessionCookie.serialize(token) } });
}

export async function endSession(request: Request): Promise<Response> {
  const token = await tokenFrom(request);
  if (token) await deleteSession(sha256(token));
  return redirect("/", { headers: { "Set-Cookie": await sessionCookie.serialize("", { maxAge: 0 }) } });
}

// Only same-site paths: an open redirect after sign-in would be a phishing aid (app/web/redirect-target.ts).
export { safeRedirect } from "~/web/redirect-target";
