// Refuses state-changing requests to the app's pages that another site makes a browser send (CSRF),
// with a 403 and a short message, before any route runs. server.js asks it about every request.
// Browsers say where a request comes from (Sec-Fetch-Site, Origin); a request that says neither
// (curl, a script) carries no browser's cookies by accident and passes: SameSite=Lax session cookies
// stay the second line. The bearer-token API (/api/v1/*) is not judged: a token, not a cookie, is
// its authority, and other sites are meant to call it.
//
// Remix checks the Origin too, but compares only host names and answers a mismatch (or a malformed
// Origin) by throwing: a 500 with a stack trace in the log. Everything it would refuse is refused
// here first, so that check never fires.

const UNSAFE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);
const API_PREFIX = "/api/v1/";

export const CROSS_SITE_REFUSAL =
  "Solicitud rechazada: llegó desde otro sitio. Vuelva a la página de Vivencia y envíe el formulario desde allí.\n" +
  "Request refused: it came from another site. Go back to Vivencia's page and send the form from there.\n";

/** What is judged of a request, read from its headers and connection. */
export type OriginFacts = {
  method: string;
  path: string;
  /** The Origin header, when sent. */
  origin: string | undefined;
  /** The Sec-Fetch-Site header, when sent. */
  fetchSite: string | undefined;
  /** The scheme the client used: "https" directly or through a trusted proxy (TRUST_PROXY), else "http". */
  protocol: string;
  /** The host and port the client asked for: X-Forwarded-Host under TRUST_PROXY, else Host. */
  host: string | undefined;
  /** The host Remix compares the Origin with: X-Forwarded-Host whatever TRUST_PROXY says, else Host. */
  remixHost: string | undefined;
  /** PUBLIC_URL, when the operator set it: the address people use. */
  publicUrl: string | undefined;
};

function parsedOrigin(text: string): URL | null {
  try {
    const url = new URL(text);
    return url.protocol === "http:" || url.protocol === "https:" ? url : null;
  } catch {
    return null;
  }
}

/** The origins this request may come from: the one it was addressed to, and PUBLIC_URL's. */
function ownOrigins(facts: OriginFacts): string[] {
  const own: string[] = [];
  const configured = facts.publicUrl?.trim() ? parsedOrigin(facts.publicUrl.trim()) : null;
  if (configured) own.push(configured.origin);
  const addressed = facts.host ? parsedOrigin(`${facts.protocol}://${facts.host}`) : null;
  if (addressed) {
    own.push(addressed.origin);
    // Plain HTTP here while the browser says https: a TLS proxy in front that TRUST_PROXY does not
    // name. The https twin of our own address is still us. (The reverse, an http page posting to an
    // https server, stays refused: a plain-HTTP page can be rewritten on the way.)
    if (addressed.protocol === "http:") own.push(`https://${addressed.host.replace(/:443$/, "")}`);
  }
  return own;
}

/** Why the request is refused ("cross-site" and the like, for logs and tests), or null to let it through. */
export function crossSiteVerdict(facts: OriginFacts): string | null {
  if (!UNSAFE_METHODS.has(facts.method.toUpperCase())) return null;
  if (facts.path.startsWith(API_PREFIX)) return null;
  const site = facts.fetchSite?.trim().toLowerCase();
  // "same-site" is a sibling subdomain: another origin, possibly someone else's.
  if (site === "cross-site" || site === "same-site") return `sec-fetch-site: ${site}`;
  if (facts.origin === undefined) return null;
  const origin = parsedOrigin(facts.origin);
  // "null" (a sandboxed frame, a data: page, a redirect from elsewhere) or anything malformed.
  if (!origin) return "origin: unreadable";
  if (!ownOrigins(facts).includes(origin.origin)) return "origin: another site";
  // Ours, but Remix's own check would still refuse it (a proxy that rewrites Host without TRUST_PROXY
  // or PUBLIC_URL matching): refused here, rather than as a 500 there.
  if (origin.host !== facts.remixHost) return "origin: host mismatch";
  return null;
}

/** The part of an Express request read here (server.js passes its request). */
export type ExpressLikeRequest = {
  method: string;
  path: string;
  protocol: string;
  get(name: string): string | undefined;
  socket: { remoteAddress?: string };
  app: { get(setting: string): unknown };
};

function firstListed(value: string | undefined): string | undefined {
  const first = value?.split(",")[0]?.trim();
  return first || undefined;
}

/** The refusal message for a cross-site state-changing request to a page, or null to let it through. */
export function crossSiteRefusal(req: ExpressLikeRequest): string | null {
  if (!UNSAFE_METHODS.has(req.method.toUpperCase())) return null;
  // Express's compiled TRUST_PROXY setting, asked as Express itself asks before reading forwarded headers.
  const trust = req.app.get("trust proxy fn");
  const trusted = typeof trust === "function" && Boolean(trust(req.socket.remoteAddress ?? "", 0));
  const forwardedHost = firstListed(req.get("x-forwarded-host"));
  const verdict = crossSiteVerdict({
    method: req.method,
    path: req.path,
    origin: req.get("origin"),
    fetchSite: req.get("sec-fetch-site"),
    protocol: req.protocol,
    host: (trusted ? forwardedHost : undefined) ?? req.get("host"),
    remixHost: forwardedHost ?? req.get("host"),
    publicUrl: process.env.PUBLIC_URL,
  });
  return verdict ? CROSS_SITE_REFUSAL : null;
}
