// The two interface languages and how a request picks one: the remembered cookie, then the browser.
export const LANGS = ["es", "en"] as const;
export type Lang = (typeof LANGS)[number];

export function isLang(value: unknown): value is Lang {
  return typeof value === "string" && (LANGS as readonly string[]).includes(value);
}

/** First supported language in an Accept-Language header, Spanish when none. */
export function negotiateLang(acceptLanguage: string | null): Lang {
  if (!acceptLanguage) return "es";
  const ranked = acceptLanguage
    .split(",")
    .map((part) => {
      const [tag, ...params] = part.trim().split(";");
      const q = params.find((p) => p.trim().startsWith("q="));
      return { lang: tag.trim().slice(0, 2).toLowerCase(), q: q ? Number(q.trim().slice(2)) : 1 };
    })
    .sort((a, b) => b.q - a.q);
  return ranked.find((r) => isLang(r.lang))?.lang as Lang | undefined ?? "es";
}
