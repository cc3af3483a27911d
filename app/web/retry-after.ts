// A route's `headers` function passes an action's Retry-After (a rate-limit refusal,
// app/web/rate-limit.server.ts) on to the document response: Remix sends only what that function returns.
export function retryAfter(actionHeaders: Headers): Record<string, string> {
  const value = actionHeaders.get("Retry-After");
  return value ? { "Retry-After": value } : {};
}
