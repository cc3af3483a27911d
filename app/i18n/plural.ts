// A count with its noun in the reader's language: "1 respuesta" / "2 respuestas", "1 response" /
// "2 responses". The message tables hold one key per plural form, `<base>.one` and `<base>.other`
// (Intl.PluralRules' categories; Spanish's "many", used for round millions, falls back to "other").
import type { Lang } from "./lang";
import { formatInteger } from "./format";
import { translator, type MessageKey } from "./messages";

/** The bases that have both plural forms in the tables: `t.count("responses.count", n)`. */
type BaseOf<K> = K extends `${infer B}.one` ? (`${B}.other` extends MessageKey ? B : never) : never;
export type PluralBase = BaseOf<MessageKey>;

const rules: Partial<Record<Lang, Intl.PluralRules>> = {};

/** The plural form a count takes in a language: only the two forms the tables hold. */
export function pluralForm(lang: Lang, count: number): "one" | "other" {
  const r = (rules[lang] ??= new Intl.PluralRules(lang === "en" ? "en-GB" : "es-ES"));
  return r.select(count) === "one" ? "one" : "other";
}

export type TranslateCount = (base: PluralBase, count: number, vars?: Record<string, string | number>) => string;

/** `{count}` in the chosen form is the count written in the language's digits ("3.000"). */
export function countTranslator(lang: Lang): TranslateCount {
  const t = translator(lang);
  return (base, count, vars) => t(`${base}.${pluralForm(lang, count)}` as MessageKey, { ...vars, count: formatInteger(count, lang) });
}
