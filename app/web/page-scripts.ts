// Which scripts a document loads, chosen by its route's `handle` (root.tsx reads it): Remix's
// hydration by default, or — for a page that works as plain HTML — one small module of its own
// that enhances the server-rendered markup instead of hydrating React (the respondent form).
export type DocumentScripts = "remix" | { module: string };

export type PageScripts = {
  /** Decided on the route's loader data (undefined on an error page). */
  scripts?: (data: unknown) => DocumentScripts;
};

/** The scripts of the deepest route that chooses them; Remix's hydration when none does. */
export function documentScripts(matches: readonly { handle?: unknown; data?: unknown }[]): DocumentScripts {
  for (const match of [...matches].reverse()) {
    const handle = match.handle as PageScripts | undefined;
    if (handle?.scripts) return handle.scripts(match.data);
  }
  return "remix";
}
