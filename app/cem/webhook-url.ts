// The shape a webhook endpoint's URL must have, shared by the settings form (in the browser) and the
// server's own check (app/data/webhooks.server.ts), which adds what only it can judge: private hosts,
// and whether plain http to this machine is allowed here.

/** Hosts that name this machine. */
export const THIS_MACHINE_HOSTS: ReadonlySet<string> = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

export type WebhookUrlProblem = "act.webhooks.form.url" | "act.webhooks.form.credentials" | "act.webhooks.form.https";

/**
 * What is wrong with the typed URL's shape (a message key), or its parsed URL: a full URL without
 * credentials, over https, or over plain http to this machine when `localHttp` says so.
 */
export function webhookUrlShape(typed: string, localHttp: boolean): { problem: WebhookUrlProblem } | { url: URL } {
  let url: URL;
  try {
    url = new URL(typed);
  } catch {
    return { problem: "act.webhooks.form.url" };
  }
  if (url.username || url.password) return { problem: "act.webhooks.form.credentials" };
  if (url.protocol === "https:" || (url.protocol === "http:" && localHttp && THIS_MACHINE_HOSTS.has(url.hostname))) return { url };
  return { problem: "act.webhooks.form.https" };
}
