// Bilingual texts of a SurveyJS definition as the builder edits them. A localizable value is either
// a plain string or an object of locales; "default" is English (SurveyJS's default locale) and "es"
// Spanish, the survey's own locale (see blocks.ts surveyText).
export type BuilderLang = "es" | "en";
export const BUILDER_LANGS: readonly BuilderLang[] = ["es", "en"];

type LocaleMap = { [locale: string]: unknown };

function asLocaleMap(value: unknown): LocaleMap | null {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as LocaleMap) : null;
}

/**
 * The text in one language, "" when missing. A plain string has no language of its own: SurveyJS
 * shows it for every locale, so it is read as the default (English) text and Spanish is missing.
 */
export function readText(value: unknown, lang: BuilderLang): string {
  if (typeof value === "string") return lang === "en" ? value : "";
  const map = asLocaleMap(value);
  if (!map) return "";
  const text = lang === "en" ? (map.en ?? map.default) : map.es;
  return typeof text === "string" ? text : "";
}

/**
 * The value with one language replaced; undefined when no text is left in any locale (so the
 * property can be dropped). Other locales a pasted definition carries (fr, de…) are kept.
 */
export function writeText(value: unknown, lang: BuilderLang, text: string): unknown {
  const map: LocaleMap = typeof value === "string" ? { default: value } : { ...(asLocaleMap(value) ?? {}) };
  const key = lang === "es" ? "es" : "en" in map && !("default" in map) ? "en" : "default";
  if (text === "") delete map[key];
  else map[key] = text;
  if (lang === "en" && "en" in map && key === "default") {
    // An explicit "en" would hide the default: keep the two equal.
    if (text === "") delete map.en;
    else map.en = text;
  }
  return Object.keys(map).length === 0 ? undefined : map;
}

/** The languages a text is missing in, when it exists in at least one (an absent text is not flagged). */
export function missingLanguages(value: unknown): BuilderLang[] {
  const present = BUILDER_LANGS.filter((lang) => readText(value, lang).trim() !== "");
  if (present.length === 0) return [];
  return BUILDER_LANGS.filter((lang) => !present.includes(lang));
}

/** The placeholders a designer can insert; SurveyJS replaces {name} with the survey variable. */
export const PLACEHOLDERS = ["brand", "customer_name", "touchpoint"] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];

/** Sample values the preview fills the placeholders with. */
export function placeholderSamples(touchpointName: string, lang: BuilderLang): Record<Placeholder, string> {
  return {
    brand: lang === "es" ? "Su marca" : "Your brand",
    customer_name: lang === "es" ? "Lucía" : "Lucy",
    touchpoint: touchpointName,
  };
}

/** Inserts "{name}" at a caret position (the end when none), with a space before it when needed. */
export function insertPlaceholder(text: string, placeholder: Placeholder, at: number = text.length): string {
  const position = Math.max(0, Math.min(at, text.length));
  const before = text.slice(0, position);
  const gap = before === "" || /\s$/.test(before) ? "" : " ";
  return `${before}${gap}{${placeholder}}${text.slice(position)}`;
}

/** A text with its placeholders replaced, for the places SurveyJS does not render (page titles). */
export function fillPlaceholders(text: string, values: Partial<Record<string, string>>): string {
  return text.replace(/\{(brand|customer_name|touchpoint)\}/g, (whole, name: string) => values[name] ?? whole);
}
