// Random secrets (session cookies, API tokens, invitations) and the one-way hash stored in their place.
import { createHash, randomBytes } from "node:crypto";

/** 256 random bits, URL-safe. */
export function newSecret(bytes = 32): string {
  return randomBytes(bytes).toString("base64url");
}

export function sha256(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}
