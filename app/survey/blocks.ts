// The building blocks every template shares: bilingual text in SurveyJS form, measured rating
// questions, and the touchpoint-level pages (NPS, CSAT, CES, attribute importance, open comment).
import {
  ATTRIBUTE_PROPERTY,
  DIMENSION_PROPERTY,
  MEASURE_PROPERTY,
  REVERSE_CODED_PROPERTY,
} from "./metadata";
import type {
  LocalizedText,
  MeasureKind,
  RatingScale,
  ServqualDimension,
  SurveyAttribute,
} from "./types";

export type SurveyElementJson = { [key: string]: unknown };
export type SurveyPageJson = {
  name: string;
  title?: SurveyText;
  description?: SurveyText;
  elements: SurveyElementJson[];
};

/**
 * SurveyJS localizable string. "default" is the text for SurveyJS's default locale (English,
 * `surveyLocalization.defaultLocale`); the survey itself declares `locale: "es"`, so it opens in
 * Spanish and `survey.locale = "en"` (or any locale without its own text) falls back to English.
 */
export type SurveyText = { default: string; es: string };

export function surveyText(text: LocalizedText): SurveyText {
  return { default: text.en, es: text.es };
}

/** Same text in both languages, e.g. a proper name such as the touchpoint's. */
export function sameText(text: string): LocalizedText {
  return { es: text, en: text };
}

/**
 * The brand as a generated text names it: the workspace's brand name (a proper name, the same in
 * both languages), or a generic "this company" when the workspace has none.
 */
export type BrandName = { es: string; en: string; generic: boolean };

export function brandName(name: string | null | undefined): BrandName {
  const brand = name?.trim() ?? "";
  return brand ? { es: brand, en: brand, generic: false } : { es: "esta empresa", en: "this company", generic: true };
}

/** Fills the {brand} placeholder of a text written for the templates, in each language. */
export function withBrand(text: LocalizedText, brand: BrandName): LocalizedText {
  return { es: text.es.replaceAll("{brand}", brand.es), en: text.en.replaceAll("{brand}", brand.en) };
}

/**
 * Question names in generated surveys: the attribute key and the kind, so that a data key alone
 * says what it holds. The double underscore keeps "a_b" + "perception" apart from "a" + "b_perception".
 */
export function questionName(attributeKey: string, kind: MeasureKind): string {
  return `${attributeKey}__${kind}`;
}

export type RatingSpec = {
  name: string;
  title: LocalizedText;
  description?: LocalizedText;
  kind: MeasureKind;
  attribute?: string | null;
  dimension?: ServqualDimension | null;
  reverseCoded?: boolean;
  scale: RatingScale;
  minLabel: LocalizedText;
  maxLabel: LocalizedText;
};

/** A required rating question carrying its measurement metadata. */
export function ratingQuestion(spec: RatingSpec): SurveyElementJson {
  const question: SurveyElementJson = {
    type: "rating",
    name: spec.name,
    title: surveyText(spec.title),
    isRequired: true,
    rateMin: spec.scale.min,
    rateMax: spec.scale.max,
    rateCount: spec.scale.max - spec.scale.min + 1,
    minRateDescription: surveyText(spec.minLabel),
    maxRateDescription: surveyText(spec.maxLabel),
    [MEASURE_PROPERTY]: spec.kind,
  };
  if (spec.description) question.description = surveyText(spec.description);
  if (spec.attribute) question[ATTRIBUTE_PROPERTY] = spec.attribute;
  if (spec.dimension) question[DIMENSION_PROPERTY] = spec.dimension;
  if (spec.reverseCoded) question[REVERSE_CODED_PROPERTY] = true;
  return question;
}

export function page(
  name: string,
  title: LocalizedText,
  elements: SurveyElementJson[],
  description?: LocalizedText,
): SurveyPageJson {
  const result: SurveyPageJson = { name, title: surveyText(title), elements };
  if (description) result.description = surveyText(description);
  return result;
}

export const AGREEMENT = {
  min: { es: "Totalmente en desacuerdo", en: "Strongly disagree" },
  max: { es: "Totalmente de acuerdo", en: "Strongly agree" },
} as const;

export const NPS_QUESTION = "nps";
export const CSAT_QUESTION = "csat";
export const CES_QUESTION = "ces";
export const COMMENT_QUESTION = "comment";

/**
 * Net Promoter Score (Reichheld 2003, "The one number you need to grow", HBR 81(12)): likelihood
 * to recommend, 0–10.
 */
export function npsQuestion(brand: BrandName = brandName(null)): SurveyElementJson {
  return ratingQuestion({
    name: NPS_QUESTION,
    kind: "nps",
    title: withBrand(
      {
        es: "¿Qué probabilidad hay de que recomiende {brand} a un amigo o colega?",
        en: "How likely are you to recommend {brand} to a friend or colleague?",
      },
      brand,
    ),
    scale: { min: 0, max: 10 },
    minLabel: { es: "Nada probable", en: "Not at all likely" },
    maxLabel: { es: "Muy probable", en: "Extremely likely" },
  });
}

/**
 * Customer satisfaction with this touchpoint, 1–5 (top-2-box = 4 or 5). The touchpoint is named in
 * the respondent's language; a bare string is the same name in both.
 */
export function csatQuestion(touchpointName: string | LocalizedText): SurveyElementJson {
  const name = typeof touchpointName === "string" ? sameText(touchpointName) : touchpointName;
  return ratingQuestion({
    name: CSAT_QUESTION,
    kind: "csat",
    title: {
      es: `En general, ¿qué tan satisfecho quedó con: ${name.es}?`,
      en: `Overall, how satisfied were you with: ${name.en}?`,
    },
    scale: { min: 1, max: 5 },
    minLabel: { es: "Muy insatisfecho", en: "Very dissatisfied" },
    maxLabel: { es: "Muy satisfecho", en: "Very satisfied" },
  });
}

/**
 * Customer Effort Score in its agreement form (CES 2.0, Dixon, Freeman & Toman 2010, "Stop trying
 * to delight your customers", HBR 88(7)), 1–7, higher = easier.
 */
export function cesQuestion(brand: BrandName = brandName(null)): SurveyElementJson {
  return ratingQuestion({
    name: CES_QUESTION,
    kind: "ces",
    // The statement starts with the company; a generic one reads "La empresa", a brand its name.
    title: brand.generic
      ? { es: "La empresa me facilitó resolver lo que necesitaba.", en: "The company made it easy for me to handle what I needed." }
      : withBrand({ es: "{brand} me facilitó resolver lo que necesitaba.", en: "{brand} made it easy for me to handle what I needed." }, brand),
    scale: { min: 1, max: 7 },
    minLabel: AGREEMENT.min,
    maxLabel: AGREEMENT.max,
  });
}

export function overallPage(
  touchpointName: string | LocalizedText,
  blocks: { nps: boolean; csat: boolean; ces: boolean },
  brand: BrandName = brandName(null),
): SurveyPageJson | null {
  const elements: SurveyElementJson[] = [];
  if (blocks.csat) elements.push(csatQuestion(touchpointName));
  if (blocks.ces) elements.push(cesQuestion(brand));
  if (blocks.nps) elements.push(npsQuestion(brand));
  if (elements.length === 0) return null;
  return page("overall", { es: "Valoración general", en: "Overall" }, elements);
}

/** Stated importance of each measured attribute, 1–7. */
export function importancePage(attributes: readonly SurveyAttribute[]): SurveyPageJson | null {
  if (attributes.length === 0) return null;
  return page(
    "importance",
    { es: "Importancia", en: "Importance" },
    attributes.map((attribute) =>
      ratingQuestion({
        name: questionName(attribute.key, "importance"),
        kind: "importance",
        attribute: attribute.key,
        dimension: attribute.servqual ?? null,
        title: attribute.label,
        scale: { min: 1, max: 7 },
        minLabel: { es: "Nada importante", en: "Not at all important" },
        maxLabel: { es: "Muy importante", en: "Very important" },
      }),
    ),
    {
      es: "¿Qué importancia tiene para usted cada uno de estos aspectos?",
      en: "How important is each of these aspects to you?",
    },
  );
}

/** The open comment is optional: a forced comment yields noise, and the ratings already measure. */
export function commentPage(): SurveyPageJson {
  return page("comment", { es: "Comentarios", en: "Comments" }, [
    {
      type: "comment",
      name: COMMENT_QUESTION,
      title: surveyText({
        es: "¿Quiere contarnos algo más sobre su experiencia?",
        en: "Is there anything else you would like to tell us about your experience?",
      }),
      maxLength: 2000,
      [MEASURE_PROPERTY]: "comment",
    },
  ]);
}
