// The measurement plan of a survey definition: every question (or multiple-text item) that
// carries a measure, with the scale its answers live on. Validation, answer checking and
// measurement extraction all read the definition through this one lens.
import {
  Model,
  MultipleTextItemModel,
  Question,
  QuestionMultipleTextModel,
  QuestionRatingModel,
  QuestionTextModel,
  type SurveyModel,
} from "survey-core";
import { dimensionOf, measureKindOf, readMeasureMeta, registerMeasurementProperties, type RawMeasureMeta } from "./metadata";
import type { MeasureKind, RatingScale, ServqualDimension, SurveyJson } from "./types";

export type MeasuredItem = {
  /** The question's name, as errors report it. */
  name: string;
  /** The data key of the answer (the question's value name). */
  question: string;
  /** The multiple-text item inside that answer, if the measure sits on an item. */
  item: string | null;
  /** SurveyJS type of the question holding the answer ("text" for a multiple-text item). */
  questionType: string;
  /** Input type of text questions and multiple-text items, else null. */
  inputType: string | null;
  meta: RawMeasureMeta;
  /** Null when vivMeasure holds something that is not a MeasureKind. */
  kind: MeasureKind | null;
  /** The attribute measured; for importance points, the dimension the points go to. */
  attributeKey: string | null;
  dimension: ServqualDimension | null;
  reverseCoded: boolean;
  /** The values a rating offers, null when it is not a rating or offers non-numbers. */
  values: number[] | null;
  scale: RatingScale | null;
  /** Inside a dynamic panel or matrix, where one answer repeats: not supported for measures. */
  nested: boolean;
};

export type MeasurementPlan = { items: MeasuredItem[] };

/** A SurveyJS model of the definition, with the measurement properties known to the serializer. */
export function loadSurveyModel(json: SurveyJson): SurveyModel {
  registerMeasurementProperties();
  return new Model(json);
}

function ratingValues(question: QuestionRatingModel): number[] | null {
  const values = question.visibleRateValues.map((item) => item.value as unknown);
  if (values.length === 0 || !values.every((v): v is number => typeof v === "number" && Number.isFinite(v))) {
    return null;
  }
  return values;
}

function describe(
  owner: Question,
  element: Question | MultipleTextItemModel,
  item: string | null,
): MeasuredItem {
  const meta = readMeasureMeta(element);
  const kind = measureKindOf(meta);
  const dimension = dimensionOf(meta);
  const isRating = element instanceof QuestionRatingModel;
  const values = isRating ? ratingValues(element) : null;
  const inputType =
    element instanceof MultipleTextItemModel || element instanceof QuestionTextModel ? element.inputType : null;
  return {
    name: owner.name,
    question: owner.getValueName(),
    item,
    questionType: element instanceof MultipleTextItemModel ? "text" : element.getType(),
    inputType,
    meta,
    kind,
    attributeKey: kind === "importance_points" ? (meta.dimension ?? null) : meta.attribute,
    dimension,
    reverseCoded: meta.reverseCoded,
    values,
    scale: values ? { min: Math.min(...values), max: Math.max(...values) } : null,
    nested: owner.parentQuestion != null,
  };
}

/**
 * Every question of the definition, hidden or not, including those inside dynamic panels' templates
 * (they carry `parentQuestion`). SurveyJS lists multiple-text items here too; they are not questions.
 */
export function surveyQuestions(model: SurveyModel): Question[] {
  return model.getAllQuestions(false, true, false).filter((q) => q instanceof Question);
}

/** Measured elements of a loaded model, in survey order. */
export function measuredItemsOf(model: SurveyModel): MeasuredItem[] {
  const result: MeasuredItem[] = [];
  for (const question of surveyQuestions(model)) {
    if (readMeasureMeta(question).measure !== null) result.push(describe(question, question, null));
    if (question instanceof QuestionMultipleTextModel) {
      for (const item of question.items) {
        if (readMeasureMeta(item).measure !== null) result.push(describe(question, item, item.name));
      }
    }
  }
  return result;
}

export function measurementPlan(json: SurveyJson): MeasurementPlan {
  return { items: measuredItemsOf(loadSurveyModel(json)) };
}
