// A response's answers as a reader sees them: each answered question of the survey version in the
// order asked, with its title in the reader's language and the answer as text (a choice's label, not
// its stored value). Pure: the raw data stays as received; this only reads it.
import type { Lang } from "~/i18n/lang";

export type LabelledAnswer = { name: string; title: string; answer: string };

type Element = { type?: string; name?: string; title?: unknown; elements?: Element[]; choices?: unknown[]; labelTrue?: unknown; labelFalse?: unknown };

/** A SurveyJS localizable string in a language: { default (English), es } or a plain string. */
export function localText(text: unknown, lang: Lang): string | null {
  if (typeof text === "string") return text;
  if (!text || typeof text !== "object") return null;
  const t = text as Record<string, unknown>;
  const pick = lang === "en" ? (t.en ?? t.default) : (t.es ?? t.default);
  const found = typeof pick === "string" ? pick : Object.values(t).find((v) => typeof v === "string");
  return typeof found === "string" ? found : null;
}

function choiceText(choices: unknown[] | undefined, value: unknown, lang: Lang): string {
  for (const choice of choices ?? []) {
    if (choice !== null && typeof choice === "object" && "value" in choice) {
      const c = choice as { value: unknown; text?: unknown };
      if (c.value === value) return localText(c.text, lang) ?? String(value);
    } else if (choice === value) return String(value);
  }
  return typeof value === "string" ? value : JSON.stringify(value);
}

function answerText(element: Element, value: unknown, lang: Lang): string {
  if (Array.isArray(value)) return value.map((v) => choiceText(element.choices, v, lang)).join(", ");
  if (element.choices) return choiceText(element.choices, value, lang);
  if (typeof value === "boolean") {
    const label = localText(value ? element.labelTrue : element.labelFalse, lang);
    return label ?? (value ? (lang === "es" ? "Sí" : "Yes") : "No");
  }
  if (typeof value === "string" || typeof value === "number") return String(value);
  return JSON.stringify(value);
}

/** Answered questions in survey order; answers to names the version does not know come last, as is. */
export function labelledAnswers(definition: unknown, data: Record<string, unknown>, lang: Lang): LabelledAnswer[] {
  const out: LabelledAnswer[] = [];
  const seen = new Set<string>();
  const walk = (elements: Element[] | undefined) => {
    for (const el of elements ?? []) {
      if (el.elements) walk(el.elements);
      if (!el.name || seen.has(el.name) || !(el.name in data) || el.type === "panel") continue;
      seen.add(el.name);
      out.push({ name: el.name, title: localText(el.title, lang) ?? el.name, answer: answerText(el, data[el.name], lang) });
    }
  };
  const def = (definition ?? {}) as { pages?: { elements?: Element[] }[] };
  for (const page of def.pages ?? []) walk(page.elements);
  for (const [name, value] of Object.entries(data)) {
    if (!seen.has(name)) out.push({ name, title: name, answer: typeof value === "string" ? value : JSON.stringify(value) });
  }
  return out;
}
