// The remembered interface language (a plain cookie: it is a preference, not a secret).
import { createCookie } from "@remix-run/node";
import { isLang, negotiateLang, type Lang } from "./lang";

export const langCookie = createCookie("vivencia_lang", { path: "/", sameSite: "lax", maxAge: 365 * 24 * 3600 });

export async function requestLang(request: Request): Promise<Lang> {
  const url = new URL(request.url);
  const fromQuery = url.searchParams.get("lang");
  if (isLang(fromQuery)) return fromQuery;
  const fromCookie = await langCookie.parse(request.headers.get("Cookie"));
  if (isLang(fromCookie)) return fromCookie;
  return negotiateLang(request.headers.get("Accept-Language"));
}
