// Every template, rendered by survey-core in each language, speaks only that language: the names a
// designer gave (touchpoint, attributes) and the brand appear in the reader's language, and no text
// of the other language is visible anywhere.
import { Model, type Question } from "survey-core";
import { describe, expect, it } from "vitest";
import { BRAND_EXPERIENCE_ITEMS } from "~/survey/brand-experience";
import "~/survey/locales";
import { SERVQUAL_ITEMS } from "~/survey/servqual";
import { SURVEY_TEMPLATES, buildSurvey } from "~/survey/templates";
import type { LocalizedText, SurveyTouchpoint } from "~/survey/types";

const BRAND = "Banco Sol";
const touchpoint: SurveyTouchpoint = {
  key: "card_delivery",
  name: "Entrega de la tarjeta por mensajería",
  nameEn: "Card delivery by courier",
  attributes: [
    { key: "punctuality", label: { es: "Puntualidad de la entrega", en: "Delivery punctuality" }, servqual: "reliability" },
    { key: "courier_courtesy", label: { es: "Amabilidad del mensajero", en: "Courier friendliness" }, servqual: "assurance" },
  ],
};
const ALL_BLOCKS = { nps: true, csat: true, ces: true, importance: true, comment: true } as const;

/** Every bilingual text of the generated JSON ({ default: English, es: Spanish }). */
function localizedStrings(value: unknown, found: LocalizedText[] = []): LocalizedText[] {
  if (Array.isArray(value)) value.forEach((v) => localizedStrings(v, found));
  else if (typeof value === "object" && value !== null) {
    const record = value as Record<string, unknown>;
    if (typeof record.default === "string" && typeof record.es === "string") found.push({ es: record.es, en: record.default });
    else Object.values(record).forEach((v) => localizedStrings(v, found));
  }
  return found;
}

/** What a respondent reads: titles, descriptions, scale labels, the navigation and the thank-you. */
function visibleTexts(model: Model): string[] {
  const texts: string[] = [model.title, model.completedHtml, model.pageNextText, model.pagePrevText, model.completeText];
  for (const p of model.pages) texts.push(p.title, p.description);
  for (const q of model.getAllQuestions() as Question[]) {
    const rating = q as Question & { minRateDescription?: string; maxRateDescription?: string };
    texts.push(q.title, q.description, rating.minRateDescription ?? "", rating.maxRateDescription ?? "");
    // The boxes of a multiple-text question (SERVQUAL's 100 points) have their own titles.
    const boxes = (q as Question & { items?: { title: string }[] }).items ?? [];
    for (const box of boxes) texts.push(box.title);
  }
  return texts.filter((text) => text.trim() !== "");
}

// The fixed texts of the instruments, whatever the touchpoint.
const FIXED: LocalizedText[] = [
  ...BRAND_EXPERIENCE_ITEMS.map((item) => item.text),
  ...SERVQUAL_ITEMS.flatMap((item) => [item.label, item.expectation, item.perception]),
];
const NAMES: LocalizedText[] = [
  { es: touchpoint.name, en: touchpoint.nameEn! },
  ...touchpoint.attributes.map((a) => a.label),
];
// survey-core's own navigation words.
const NAVIGATION = { es: ["Siguiente", "Anterior", "Completar"], en: ["Next", "Previous", "Complete"] };

describe.each(SURVEY_TEMPLATES)("the %s template", (template) => {
  const json = buildSurvey(touchpoint, { template, ...ALL_BLOCKS, brand: BRAND });
  const texts = localizedStrings(json);
  // A text that reads the same in both languages (a proper name) belongs to neither side.
  const onlySpanish = [...texts, ...FIXED, ...NAMES].map((t) => t.es).filter((es) => ![...texts, ...FIXED, ...NAMES].some((t) => t.en === es));
  const onlyEnglish = [...texts, ...FIXED, ...NAMES].map((t) => t.en).filter((en) => ![...texts, ...FIXED, ...NAMES].some((t) => t.es === en));

  it.each(["es", "en"] as const)("shows a %s reader only texts of that language", (locale) => {
    const model = new Model(json);
    model.locale = locale;
    const visible = visibleTexts(model);
    const expected = new Set([...texts.map((t) => (locale === "es" ? t.es : t.en)), ...NAVIGATION[locale]]);
    const other = locale === "es" ? onlyEnglish : onlySpanish;
    for (const text of visible) {
      // Every visible string is one the template wrote for this language…
      expect(expected, `"${text}" in ${locale}`).toContain(text);
      // …and holds no text of the other language (a name inside a question's wording included).
      for (const foreign of other) expect(text.includes(foreign), `"${foreign}" inside "${text}" (${locale})`).toBe(false);
    }
    expect(NAVIGATION[locale === "es" ? "en" : "es"].some((word) => visible.includes(word))).toBe(false);
  });
});

describe("names and brand in generated texts", () => {
  const json = buildSurvey(touchpoint, { template: "gap_pair", ...ALL_BLOCKS, brand: BRAND });
  const model = new Model(json);

  it("names the touchpoint in the reader's language and the brand instead of 'this company'", () => {
    model.locale = "en";
    const english = visibleTexts(model).join("\n");
    expect(english).toContain("Overall, how satisfied were you with: Card delivery by courier?");
    expect(english).toContain("How likely are you to recommend Banco Sol to a friend or colleague?");
    expect(english).toContain("Banco Sol made it easy for me to handle what I needed.");
    expect(english).toContain("Delivery punctuality");
    expect(english).not.toContain("this company");
    expect(model.title).toBe("Card delivery by courier");
    model.locale = "es";
    const spanish = visibleTexts(model).join("\n");
    expect(spanish).toContain("En general, ¿qué tan satisfecho quedó con: Entrega de la tarjeta por mensajería?");
    expect(spanish).toContain("¿Qué probabilidad hay de que recomiende Banco Sol a un amigo o colega?");
    expect(model.title).toBe("Entrega de la tarjeta por mensajería");
  });

  it("falls back to the Spanish name while the English one is missing, and to 'this company' without a brand", () => {
    const untranslated = buildSurvey({ ...touchpoint, nameEn: "" }, { template: "gap_pair", csat: true, nps: true });
    const english = new Model(untranslated);
    english.locale = "en";
    expect(visibleTexts(english)).toContain("Overall, how satisfied were you with: Entrega de la tarjeta por mensajería?");
    expect(visibleTexts(english)).toContain("How likely are you to recommend this company to a friend or colleague?");
  });
});
