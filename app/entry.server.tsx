// The server entry: React rendered to a stream (whole documents for bots, the shell first for
// browsers), as Remix's default Node entry does, under the security headers of app/web (a CSP nonce
// per document). It also re-exports what the production server (server.js) reads from the build's
// entry module: the fast routes, the security defaults and cross-site refusal it applies to every
// request, and the background work it starts at boot.
import { PassThrough } from "node:stream";
import type { AppLoadContext, EntryContext, HandleDataRequestFunction } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { embedOriginsOfToken } from "~/data/workspaces.server";
import { storedEmbedOrigins } from "~/web/embed-origins.server";
import { NonceContext } from "~/web/nonce";
import { newNonce, pageHeaders, respondentPageOf, withResourceHeaders, type PagePolicy } from "~/web/security-headers.server";

export { fastRoutes } from "~/api/fast-routes.server";
export { applySecurityDefaults } from "~/web/security-headers.server";
export { crossSiteRefusal } from "~/web/same-origin.server";
// Every request body bounded by its path's limit, counted as it streams (413/415 before Remix).
export { limitRequestBody } from "~/web/body-limit.server";
// Background work server.js starts at boot and stops at shutdown: webhook deliveries and durable jobs
// are taken up without anyone opening a page.
export { startBackgroundWork, stopBackgroundWork } from "~/data/background.server";
// Operations: server.js marks the process as shutting down (readiness fails) on SIGTERM, and serves
// the build with storage failures answered 503 instead of 500 (docs/operations.md).
export { beginShutdown } from "~/data/health.server";
export { answerRouteFailures } from "~/web/route-failures.server";

// Pending loader promises are rejected after this long (single fetch), and rendering is aborted a
// second later so the rejections can still stream to the client.
export const streamTimeout = 5_000;

/**
 * The security policy of the page being rendered: a respondent page may be framed by this site and
 * its workspace's embed origins, and keeps its token-bearing URL out of referrers; every other page
 * may be framed by no one.
 */
async function pagePolicy(remixContext: EntryContext, loadContext: AppLoadContext | undefined): Promise<PagePolicy> {
  const leaf = remixContext.staticHandlerContext.matches.at(-1);
  const page = respondentPageOf(leaf?.route.id);
  const policy: PagePolicy = { nonce: newNonce(), framedBy: null, privateUrl: false, secure: loadContext?.secure === true };
  if (!page) return policy;
  let origins: string[] = [];
  try {
    origins = storedEmbedOrigins(await embedOriginsOfToken(page, leaf?.params.token ?? ""));
  } catch (error) {
    // The page itself rendered; without its workspace's list it may still be framed by this site.
    console.warn("[security-headers] embed origins unavailable:", error);
  }
  return { ...policy, framedBy: origins, privateUrl: true };
}

export default async function handleRequest(request: Request, status: number, headers: Headers, remixContext: EntryContext, loadContext?: AppLoadContext) {
  const policy = await pagePolicy(remixContext, loadContext);
  for (const [name, value] of pageHeaders(policy)) headers.set(name, value);
  const nonce = policy.nonce;
  // Crawlers and SPA mode get the whole document at once; browsers get the shell as soon as it is ready.
  const whole = isbot(request.headers.get("user-agent") ?? "") || remixContext.isSpaMode;
  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false;
    const ready = () => {
      shellRendered = true;
      const body = new PassThrough();
      headers.set("Content-Type", "text/html");
      resolve(new Response(createReadableStreamFromReadable(body), { headers, status }));
      pipe(body);
    };
    const app = (
      <NonceContext.Provider value={nonce}>
        <RemixServer context={remixContext} url={request.url} nonce={nonce} />
      </NonceContext.Provider>
    );
    const { pipe, abort } = renderToPipeableStream(app, {
      // React's own inline scripts (streamed Suspense boundaries) carry the nonce too.
      nonce,
      onShellReady: whole ? undefined : ready,
      onAllReady: whole ? ready : undefined,
      onShellError: reject,
      onError(error: unknown) {
        status = 500;
        // Errors while rendering the shell reject above and are logged by Remix; later ones only here.
        if (shellRendered) console.error(error);
      },
    });
    setTimeout(abort, streamTimeout + 1_000);
  });
}

/** Single-fetch data (`.data`) answers: the non-page security headers a route did not set itself. */
export const handleDataRequest: HandleDataRequestFunction = (response, { context }) => withResourceHeaders(response, context.secure === true);
