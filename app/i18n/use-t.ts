// The translate function for components, from the language the root loader chose.
import { useRouteLoaderData } from "@remix-run/react";
import { useMemo } from "react";
import type { Lang } from "./lang";
import { translator, type Translate } from "./messages";

export function useLang(): Lang {
  const data = useRouteLoaderData("root") as { lang?: Lang } | undefined;
  return data?.lang ?? "es";
}

export function useT(): Translate {
  const lang = useLang();
  return useMemo(() => translator(lang), [lang]);
}
