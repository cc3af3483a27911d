// The token in every invitation e-mail's unsubscribe link: the workspace and customer it is about,
// signed with HMAC-SHA256 under a key only the server holds, so it cannot be guessed or altered and
// needs no row of its own (a link in an old e-mail keeps working). Pure: the key is passed in.
import { createHmac, timingSafeEqual } from "node:crypto";

const VERSION = "u1";

function mac(key: Buffer, body: string): string {
  return createHmac("sha256", key).update(`${VERSION}.${body}`).digest("base64url");
}

/** A token for (workspace, customer): "u1.<ws>.<customer>.<43 characters of signature>". */
export function unsubscribeToken(key: Buffer, workspaceId: number, customerId: number): string {
  const body = `${workspaceId}.${customerId}`;
  return `${VERSION}.${body}.${mac(key, body)}`;
}

/** Who a token names, or null when it is malformed or its signature does not match. */
export function readUnsubscribeToken(key: Buffer, token: string): { workspaceId: number; customerId: number } | null {
  const m = /^u1\.(\d{1,10})\.(\d{1,10})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!m) return null;
  const expected = Buffer.from(mac(key, `${m[1]}.${m[2]}`));
  const given = Buffer.from(m[3]);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  return { workspaceId: Number(m[1]), customerId: Number(m[2]) };
}
