// The security headers of every response. Pages get a Content-Security-Policy with a fresh nonce for
// Remix's and React's inline scripts (no 'unsafe-inline' for scripts), a frame policy (no frames,
// except the respondent pages, which this site and the workspace's embed origins may frame), a
// referrer policy and a permissions policy; HTTPS responses in production add HSTS. entry.server.tsx
// sets them on documents and single-fetch data; server.js puts the defaults on every other response.
import { randomBytes } from "node:crypto";
import type { ServerResponse } from "node:http";

/** 128 random bits, base64: a new one for every document, so an injected script cannot guess it. */
export function newNonce(): string {
  return randomBytes(16).toString("base64");
}

/** The respondent pages (their route ids start so) and the kind of token their URL carries. */
const RESPONDENT_ROUTES = [
  ["routes/s.$token", "survey"],
  ["routes/p.$token", "pulse"],
] as const;

export type RespondentPage = (typeof RESPONDENT_ROUTES)[number][1];

/** Which respondent page a route is, or null for every other page. */
export function respondentPageOf(routeId: string | undefined): RespondentPage | null {
  if (!routeId) return null;
  const found = RESPONDENT_ROUTES.find(([prefix]) => routeId === prefix || routeId.startsWith(`${prefix}.`));
  return found ? found[1] : null;
}

export type PagePolicy = {
  nonce: string;
  /** null: no frame may show the page. A list: this site and these (validated) origins may. */
  framedBy: readonly string[] | null;
  /** A URL that carries a personal token: no referrer may leave the page. */
  privateUrl: boolean;
  /** The client reached us over HTTPS (context.secure: directly, or through a proxy TRUST_PROXY names). */
  secure: boolean;
};

// Browser features no page of the app uses; a page (or an injected frame) asking for one is refused.
const PERMISSIONS_POLICY = [
  "accelerometer=()",
  "camera=()",
  "geolocation=()",
  "gyroscope=()",
  "magnetometer=()",
  "microphone=()",
  "payment=()",
  "usb=()",
].join(", ");

// HTTPS only from now on, for a year; subdomains are left to their owners.
const HSTS = "max-age=31536000";

/** HSTS when it may be sent: in production and over HTTPS, never on plain HTTP (browsers ignore it there, and a trial on http must stay reachable). */
function transportHeaders(secure: boolean): [string, string][] {
  return secure && process.env.NODE_ENV === "production" ? [["Strict-Transport-Security", HSTS]] : [];
}

/** The Content-Security-Policy of a page. */
export function pageContentSecurityPolicy(policy: Pick<PagePolicy, "nonce" | "framedBy">): string {
  const frameAncestors = policy.framedBy === null ? "'none'" : ["'self'", ...policy.framedBy].join(" ");
  return [
    "default-src 'self'",
    // Remix's hydration data, module imports and streamed chunks, and React's streaming scripts, all
    // carry the nonce; the bundles and their lazy chunks are files of this site.
    `script-src 'self' 'nonce-${policy.nonce}'`,
    // Inline styles are allowed: the d3 charts and several pages render style attributes on the
    // server, and SurveyJS writes its theme into a <style> element of its own. (A nonce here would
    // switch 'unsafe-inline' off.) Styles cannot run code.
    "style-src 'self' 'unsafe-inline'",
    // The survey stylesheet draws its icons as data: URLs.
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    `frame-ancestors ${frameAncestors}`,
  ].join("; ");
}

/** Every security header of a page (document) response. */
export function pageHeaders(policy: PagePolicy): [string, string][] {
  const headers: [string, string][] = [
    ["Content-Security-Policy", pageContentSecurityPolicy(policy)],
    ["X-Content-Type-Options", "nosniff"],
    // A URL with a personal token: its referrer goes to no other site ("same-origin", not "no-referrer":
    // under "no-referrer" a browser sends `Origin: null` with a plain form POST, and the respondent
    // form must work without JavaScript, docs/decisions/021-respondent-server-renderer.md).
    ["Referrer-Policy", policy.privateUrl ? "same-origin" : "strict-origin-when-cross-origin"],
    ["Permissions-Policy", PERMISSIONS_POLICY],
    ...transportHeaders(policy.secure),
  ];
  // The older header for older browsers, where it can say the same thing (it cannot list origins).
  if (policy.framedBy === null) headers.push(["X-Frame-Options", "DENY"]);
  return headers;
}

/**
 * The headers of everything that is not a page: JSON, single-fetch data, CSV, SVG, assets, redirects.
 * Such a response opened on its own runs nothing and can be framed by no one.
 */
export function resourceHeaders(secure: boolean): [string, string][] {
  return [
    ["Content-Security-Policy", "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"],
    ["X-Content-Type-Options", "nosniff"],
    ["Referrer-Policy", "strict-origin-when-cross-origin"],
    ["Permissions-Policy", PERMISSIONS_POLICY],
    ["X-Frame-Options", "DENY"],
    ...transportHeaders(secure),
  ];
}

/** Sets each header the response does not set already (a route's own choice wins). */
export function setMissing(headers: Headers, list: [string, string][]): void {
  for (const [name, value] of list) if (!headers.has(name)) headers.set(name, value);
}

/** The response with the resource headers it lacks (a copy when its headers cannot be changed). */
export function withResourceHeaders(response: Response, secure: boolean): Response {
  const list = resourceHeaders(secure);
  try {
    setMissing(response.headers, list);
    return response;
  } catch {
    // Immutable headers (a fetched Response): the same body and status under new headers.
    const copy = new Response(response.body, response);
    setMissing(copy.headers, list);
    return copy;
  }
}

/**
 * For server.js: when the response's headers go out, add the resource headers it does not carry.
 * Pages and single-fetch data carry their own by then (entry.server.tsx); static files, fast API
 * routes, resource routes and refusals get these.
 */
export function applySecurityDefaults(res: ServerResponse, secure: boolean): void {
  const writeHead = res.writeHead;
  const list = resourceHeaders(secure);
  res.writeHead = function (this: ServerResponse, ...args: Parameters<ServerResponse["writeHead"]>) {
    // A response with a policy of its own (a page) has decided who may frame it: a respondent page
    // leaves X-Frame-Options out on purpose, since the header cannot list the embedding sites.
    const ownPolicy = this.hasHeader("Content-Security-Policy");
    for (const [name, value] of list) {
      if (ownPolicy && name === "X-Frame-Options") continue;
      if (!this.hasHeader(name)) this.setHeader(name, value);
    }
    return writeHead.apply(this, args);
  } as ServerResponse["writeHead"];
}
