// Survey templates generated from a touchpoint's attributes: the designer picks the core instrument
// and the touchpoint-level blocks; the result is SurveyJS JSON, Spanish first, English alongside.
import { brandExperiencePages } from "./brand-experience";
import {
  brandName,
  commentPage,
  importancePage,
  overallPage,
  page,
  questionName,
  ratingQuestion,
  sameText,
  surveyText,
  type SurveyElementJson,
  type SurveyPageJson,
} from "./blocks";
import { servqualAttributes, servqualPages } from "./servqual";
import { localizedName, type LocalizedText, type SurveyAttribute, type SurveyJson, type SurveyTouchpoint } from "./types";

export const SURVEY_TEMPLATES = ["gap_pair", "zone_of_tolerance", "servqual", "brand_experience"] as const;
export type SurveyTemplate = (typeof SURVEY_TEMPLATES)[number];

export type SurveyBuildOptions = {
  /** The core instrument; "gap_pair" when omitted. */
  template?: SurveyTemplate;
  nps?: boolean;
  csat?: boolean;
  ces?: boolean;
  /**
   * Stated importance (1–7) of every attribute that has a perception: the touchpoint's attributes
   * for gap pair and zone of tolerance, the 22 items for SERVQUAL; the Brand Experience Scale has
   * no perception to weigh, so it gets no importance block.
   */
  importance?: boolean;
  comment?: boolean;
  /** Defaults to the touchpoint's name in each language. */
  title?: string | LocalizedText;
  /** The workspace's brand name for NPS and CES; "this company" when empty. */
  brand?: string | null;
};

const LEVEL = {
  min: { es: "Muy baja", en: "Very low" },
  max: { es: "Muy alta", en: "Very high" },
} as const;

/** One half of an attribute's gap pair: its expectation or its perception on the 1–7 quality scale. */
export function gapPairQuestion(attribute: SurveyAttribute, kind: "expectation" | "perception"): SurveyElementJson {
  return ratingQuestion({
    name: questionName(attribute.key, kind),
    kind,
    attribute: attribute.key,
    dimension: attribute.servqual ?? null,
    title: attribute.label,
    scale: { min: 1, max: 7 },
    minLabel: LEVEL.min,
    maxLabel: LEVEL.max,
  });
}

/**
 * Gap pair: every attribute asked twice on the same 1–7 quality scale, all expectations first and
 * then all perceptions, so d = P − E compares like with like.
 */
function gapPairPages(attributes: readonly SurveyAttribute[]): SurveyPageJson[] {
  if (attributes.length === 0) return [];
  const questions = (kind: "expectation" | "perception") => attributes.map((attribute) => gapPairQuestion(attribute, kind));
  return [
    page("expectations", { es: "Lo que esperaba", en: "What you expected" }, questions("expectation"), {
      es: "Antes de este contacto, ¿qué calidad esperaba en cada aspecto?",
      en: "Before this contact, what quality did you expect in each aspect?",
    }),
    page("perceptions", { es: "Lo que recibió", en: "What you received" }, questions("perception"), {
      es: "¿Qué calidad recibió en cada aspecto?",
      en: "What quality did you receive in each aspect?",
    }),
  ];
}

/**
 * Zone of tolerance in the three-column format (Parasuraman, Zeithaml & Berry 1994, J. Retailing
 * 70(3):201–230): minimum acceptable, desired and perceived level on one 1–9 scale, one short page
 * per attribute so the three answers are given side by side.
 */
function zoneOfTolerancePages(attributes: readonly SurveyAttribute[]): SurveyPageJson[] {
  return attributes.map((attribute, i) =>
    page(`zone_${i + 1}`, attribute.label, zoneOfToleranceQuestions(attribute), {
      es: "Valore la calidad del servicio en este aspecto.",
      en: "Rate the service quality in this aspect.",
    }),
  );
}

/** An attribute's adequate, desired and perceived levels on one 1–9 scale. */
export function zoneOfToleranceQuestions(attribute: SurveyAttribute): SurveyElementJson[] {
  const levels = [
    { kind: "adequate", title: { es: "Nivel mínimo que consideraría aceptable", en: "The minimum level you would find acceptable" } },
    { kind: "desired", title: { es: "Nivel que desearía recibir", en: "The level you would like to receive" } },
    { kind: "perception", title: { es: "Nivel que recibió", en: "The level you received" } },
  ] as const;
  return levels.map((level) =>
    ratingQuestion({
      name: questionName(attribute.key, level.kind),
      kind: level.kind,
      attribute: attribute.key,
      dimension: attribute.servqual ?? null,
      title: level.title,
      scale: { min: 1, max: 9 },
      minLabel: LEVEL.min,
      maxLabel: LEVEL.max,
    }),
  );
}

/** The attributes the core instrument asks a perception of, for the optional importance block. */
function perceivedAttributes(touchpoint: SurveyTouchpoint, template: SurveyTemplate): SurveyAttribute[] {
  switch (template) {
    case "gap_pair":
    case "zone_of_tolerance":
      return touchpoint.attributes;
    case "servqual":
      return servqualAttributes();
    case "brand_experience":
      return [];
  }
}

function corePages(touchpoint: SurveyTouchpoint, template: SurveyTemplate): SurveyPageJson[] {
  switch (template) {
    case "gap_pair":
      return gapPairPages(touchpoint.attributes);
    case "zone_of_tolerance":
      return zoneOfTolerancePages(touchpoint.attributes);
    case "servqual":
      return servqualPages();
    case "brand_experience":
      return brandExperiencePages();
  }
}

/**
 * A complete survey definition for the touchpoint. Rating questions are required (a gap needs
 * both halves of its pair); the open comment is optional. A touchpoint without attributes under
 * gap pair or zone of tolerance yields no core pages: validateSurveyDefinition reports a survey
 * with nothing to ask.
 */
export function buildSurvey(touchpoint: SurveyTouchpoint, options: SurveyBuildOptions = {}): SurveyJson {
  const template = options.template ?? "gap_pair";
  const pages: SurveyPageJson[] = [...corePages(touchpoint, template)];
  const touchpointName = localizedName(touchpoint.name, touchpoint.nameEn);
  const overall = overallPage(
    touchpointName,
    { nps: options.nps === true, csat: options.csat === true, ces: options.ces === true },
    brandName(options.brand),
  );
  if (overall) pages.push(overall);
  if (options.importance) {
    const importance = importancePage(perceivedAttributes(touchpoint, template));
    if (importance) pages.push(importance);
  }
  if (options.comment) pages.push(commentPage());

  const title = options.title ?? touchpointName;
  return {
    title: surveyText(typeof title === "string" ? sameText(title) : title),
    locale: "es",
    showProgressBar: true,
    progressBarType: "pages",
    showQuestionNumbers: "off",
    widthMode: "responsive",
    completedHtml: surveyText({
      es: "<h3>¡Gracias por su opinión!</h3>",
      en: "<h3>Thank you for your feedback!</h3>",
    }),
    pages,
  };
}
