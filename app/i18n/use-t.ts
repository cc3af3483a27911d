// The translate and format functions for components, from what the loaders chose: the language and
// the signed-in person's time zone (root), the workspace's time zone and currency (workspace shell).
import { useRouteLoaderData } from "@remix-run/react";
import { useMemo } from "react";
import type { Lang } from "./lang";
import { translator, type Translate } from "./messages";
import { countTranslator, type TranslateCount } from "./plural";
import { DEFAULT_CURRENCY, DEFAULT_TIME_ZONE, formatterFor, type Format } from "./format";

type RootData = { lang?: Lang; user?: { timeZone?: string | null } | null };
type WorkspaceData = { workspace?: { timeZone?: string; currency?: string } };

export function useLang(): Lang {
  const data = useRouteLoaderData("root") as RootData | undefined;
  return data?.lang ?? "es";
}

export function useT(): Translate {
  const lang = useLang();
  return useMemo(() => translator(lang), [lang]);
}

/** Counts with their noun: `tn("count.responses", n)` → "1 respuesta", "2 respuestas". */
export function useTn(): TranslateCount {
  const lang = useLang();
  return useMemo(() => countTranslator(lang), [lang]);
}

/**
 * Numbers, dates and money for this reader: the person's own time zone when they set one, else the
 * workspace's (outside a workspace, UTC); the workspace's currency. Both come from loader data, so
 * the server and the browser write the same text.
 */
export function useFormat(): Format {
  const root = useRouteLoaderData("root") as RootData | undefined;
  const shell = useRouteLoaderData("routes/w.$ws") as WorkspaceData | undefined;
  const lang = root?.lang ?? "es";
  const timeZone = root?.user?.timeZone || shell?.workspace?.timeZone || DEFAULT_TIME_ZONE;
  const currency = shell?.workspace?.currency || DEFAULT_CURRENCY;
  return useMemo(() => formatterFor({ lang, timeZone, currency }), [lang, timeZone, currency]);
}
