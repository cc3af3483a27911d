// The server entry: React rendered to a stream (whole documents for bots, the shell first for
// browsers), as Remix's default Node entry does. It also re-exports the fast routes, which the
// production server (server.js) reads from the build's entry module, and the background work it
// starts at boot.
import { PassThrough } from "node:stream";
import type { EntryContext } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";

export { fastRoutes } from "~/api/fast-routes.server";
// Background work server.js starts at boot and stops at shutdown: webhook deliveries and durable jobs
// are taken up without anyone opening a page.
export { startBackgroundWork, stopBackgroundWork } from "~/data/background.server";

// Pending loader promises are rejected after this long (single fetch), and rendering is aborted a
// second later so the rejections can still stream to the client.
export const streamTimeout = 5_000;

export default function handleRequest(request: Request, status: number, headers: Headers, remixContext: EntryContext) {
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
    const { pipe, abort } = renderToPipeableStream(<RemixServer context={remixContext} url={request.url} />, {
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
