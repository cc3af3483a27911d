// The load context server.js gives every Remix loader and action: what is known of the connection
// that the Fetch Request does not carry. Under `vite dev` or in a test that calls a route directly
// there is none; the helpers below then fall back to safe values.
import type { AppLoadContext } from "@remix-run/node";

declare module "@remix-run/node" {
  interface AppLoadContext {
    /** The client's address: the socket's, or the forwarded one when TRUST_PROXY says whom to believe. */
    clientAddress?: string;
    /** Whether the client reached us over HTTPS (directly, or through a trusted proxy). */
    secure?: boolean;
  }
}

/** The client's address, or "" when unknown (rate limits then count all such requests together). */
export function clientAddress(context: AppLoadContext | undefined): string {
  return context?.clientAddress ?? "";
}
