// What the builder's palette adds: the measurement blocks of the templates (bound to the
// touchpoint's attributes, so their metadata is whole from the start) and plain questions.
import { brandExperiencePages } from "../brand-experience";
import { cesQuestion, commentPage, csatQuestion, importancePage, npsQuestion, surveyText, type SurveyElementJson } from "../blocks";
import { servqualPages } from "../servqual";
import { gapPairQuestion, zoneOfToleranceQuestions } from "../templates";
import type { SurveyAttribute, SurveyTouchpoint } from "../types";
import type { BuilderPage, PlainType } from "./document";

/** Blocks measured per attribute: the designer picks which of the touchpoint's attributes. */
export const ATTRIBUTE_BLOCKS = ["gap_pair", "zone_of_tolerance", "importance"] as const;
export type AttributeBlock = (typeof ATTRIBUTE_BLOCKS)[number];
/** Blocks about the whole visit: single questions added to the chosen page. */
export const VISIT_BLOCKS = ["nps", "csat", "ces", "comment"] as const;
export type VisitBlock = (typeof VISIT_BLOCKS)[number];
/** Whole instruments: they come as their own pages, in their published order. */
export const INSTRUMENT_BLOCKS = ["servqual", "brand_experience"] as const;
export type InstrumentBlock = (typeof INSTRUMENT_BLOCKS)[number];

export type PaletteBlock =
  | { block: AttributeBlock; attribute: string }
  | { block: VisitBlock }
  | { block: InstrumentBlock };

/** The questions an attribute or visit block adds to a page. */
export function blockQuestions(block: PaletteBlock, touchpoint: SurveyTouchpoint, attribute: SurveyAttribute | null): SurveyElementJson[] {
  switch (block.block) {
    case "gap_pair":
      return attribute ? [gapPairQuestion(attribute, "expectation"), gapPairQuestion(attribute, "perception")] : [];
    case "zone_of_tolerance":
      return attribute ? zoneOfToleranceQuestions(attribute) : [];
    case "importance":
      return attribute ? (importancePage([attribute])?.elements ?? []) : [];
    case "nps":
      return [npsQuestion()];
    case "csat":
      return [csatQuestion(touchpoint.name)];
    case "ces":
      return [cesQuestion()];
    case "comment":
      return commentPage().elements;
    case "servqual":
    case "brand_experience":
      return [];
  }
}

/** The pages an instrument block adds. */
export function instrumentPages(block: InstrumentBlock): BuilderPage[] {
  const pages = block === "servqual" ? servqualPages() : brandExperiencePages();
  return pages.map(({ elements, ...props }) => ({ props, elementsKey: "elements", elements }));
}

const CHOICES = [
  { es: "Opción 1", en: "Option 1" },
  { es: "Opción 2", en: "Option 2" },
];

/** A new plain question of a type, with a placeholder title in both languages. */
export function plainQuestion(type: PlainType, name: string): SurveyElementJson {
  const question: SurveyElementJson = {
    type,
    name,
    title: surveyText({ es: "Nueva pregunta", en: "New question" }),
  };
  switch (type) {
    case "radiogroup":
    case "checkbox":
    case "dropdown":
      question.choices = CHOICES.map((text, i) => ({ value: `option${i + 1}`, text: surveyText(text) }));
      break;
    case "rating":
      Object.assign(question, { rateMin: 1, rateMax: 5, rateCount: 5 });
      break;
    case "boolean":
      Object.assign(question, { labelTrue: surveyText({ es: "Sí", en: "Yes" }), labelFalse: surveyText({ es: "No", en: "No" }) });
      break;
    default:
      break;
  }
  return question;
}
