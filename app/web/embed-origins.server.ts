// The sites allowed to show a workspace's respondent pages (/s/:token, /p/:token) inside a frame:
// a list of https origins an admin types in Settings, stored space-separated in
// workspaces.embed_origins and written into the pages' Content-Security-Policy frame-ancestors.
import { z } from "zod";

export const MAX_EMBED_ORIGINS = 20;
const MAX_ORIGIN_LENGTH = 200;
/** A DNS name (punycode for non-ASCII names) or an IPv4 address: letters, digits, "-" and ".". */
const HOST = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*$/;

/** Why an origin was refused, as a message key (the settings page says it in the admin's language). */
export type EmbedOriginProblem = "notUrl" | "notHttps" | "notOrigin" | "wildcard" | "tooLong" | "tooMany";

/** One origin as typed: "https://shop.example" (a trailing "/" is forgiven), normalised by the URL parser. */
const embedOrigin = z.string().transform((typed, ctx) => {
  const fail = (problem: EmbedOriginProblem) => {
    ctx.addIssue({ code: "custom", message: problem, params: { origin: typed } });
    return z.NEVER;
  };
  if (typed.length > MAX_ORIGIN_LENGTH) return fail("tooLong");
  if (typed.includes("*")) return fail("wildcard");
  let url: URL;
  try {
    url = new URL(typed);
  } catch {
    return fail("notUrl");
  }
  if (url.protocol !== "https:") return fail("notHttps");
  // The URL parser lets ";", "'" and the like through in a host; a policy header must never see them.
  if (!HOST.test(url.hostname)) return fail("notUrl");
  // Only scheme, host and port: a path, query, fragment or credentials mean something else was pasted.
  if (url.username || url.password || url.search || url.hash || url.pathname !== "/") return fail("notOrigin");
  // The parser's serialisation: lower-case host, punycode, no default port.
  return url.origin;
});

/** The text of the settings field (one origin per line, or separated by spaces or commas) → distinct origins. */
export const embedOriginsSchema = z
  .string()
  .transform((text) => text.split(/[\s,]+/).filter(Boolean))
  .pipe(z.array(embedOrigin).max(MAX_EMBED_ORIGINS, "tooMany"))
  .transform((origins) => [...new Set(origins)]);

export type EmbedOriginsResult = { ok: true; origins: string[] } | { ok: false; problem: EmbedOriginProblem; origin: string };

/** Parses the settings field; on failure, the first problem and the origin it concerns. */
export function parseEmbedOrigins(text: string): EmbedOriginsResult {
  const parsed = embedOriginsSchema.safeParse(text);
  if (parsed.success) return { ok: true, origins: parsed.data };
  const issue = parsed.error.issues[0];
  const params = (issue as { params?: { origin?: string } }).params;
  return { ok: false, problem: issue.message as EmbedOriginProblem, origin: params?.origin ?? "" };
}

/**
 * The stored column → origins safe to write into a header. Each is checked again, so a value written
 * by other means (a migration, a hand edit) can never smuggle a ";" or a keyword into the policy.
 */
export function storedEmbedOrigins(column: string | null | undefined): string[] {
  if (!column) return [];
  return column
    .split(/\s+/)
    .filter(Boolean)
    .flatMap((origin) => {
      const parsed = embedOrigin.safeParse(origin);
      return parsed.success ? [parsed.data] : [];
    })
    .slice(0, MAX_EMBED_ORIGINS);
}
