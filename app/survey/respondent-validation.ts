// Answer validation compiled once per published survey version, for the submission hot path.
// validateAnswers (answer-validation.ts) builds a SurveyJS model on every call (~8 ms) and even a
// reused model costs ~1 ms to load data into and validate. For a *static* definition (no
// conditions, validators, expressions or "other" texts, only simple question types) SurveyJS's
// verdict on each answer depends on that answer alone, so it can be read off once: the required,
// visible questions and the message SurveyJS gives when each is empty. Anything else keeps the
// full validateAnswers. tests/unit/responses-validation.test.ts holds the two to the same result.
import { Question, QuestionRatingModel, type SurveyModel } from "survey-core";
import { answerShapeErrors, type ShapeError } from "./answer-shapes";
import { validateAnswers, type AnswerError, type AnswerValidation, type SurveyData } from "./answer-validation";
import { loadSurveyModel, measuredItemsOf, type MeasurementPlan } from "./plan";
import type { SurveyJson } from "./types";

export type CompiledAnswers = {
  plan: MeasurementPlan;
  /** True when answers are checked without SurveyJS at submission time. */
  fast: boolean;
  validate: (data: unknown) => AnswerValidation;
};

/** Question types whose SurveyJS validation is "required and empty" and nothing else. */
const STATIC_TYPES = new Set(["rating", "comment", "text", "boolean", "radiogroup", "dropdown", "html"]);

/** Properties that make SurveyJS's verdict depend on more than one answer, or on more than emptiness. */
const DYNAMIC_PROPERTIES = new Set([
  "validators",
  "triggers",
  "calculatedValues",
  "choicesByUrl",
  "choicesFromQuestion",
  "showOtherItem",
  "hasOther",
  "showCommentArea",
  "hasComment",
  "valueName",
  "maskType",
  "maskSettings",
  "min",
  "max",
  "readOnly",
  "defaultValue",
]);

function isDynamicKey(key: string): boolean {
  return DYNAMIC_PROPERTIES.has(key) || key.endsWith("If") || key.endsWith("Expression");
}

/** True when nothing in the JSON asks SurveyJS for cross-question logic or extra checks. */
function isStaticJson(value: unknown): boolean {
  if (Array.isArray(value)) return value.every(isStaticJson);
  if (typeof value !== "object" || value === null) return true;
  for (const [key, child] of Object.entries(value)) {
    if (isDynamicKey(key)) {
      const empty = child === undefined || child === null || child === false || (Array.isArray(child) && child.length === 0);
      if (!empty) return false;
    }
    if (!isStaticJson(child)) return false;
  }
  return true;
}

function isStaticModel(model: SurveyModel): boolean {
  for (const question of model.getAllQuestions(false, true, true)) {
    if (!(question instanceof Question) || question.parentQuestion != null) return false;
    if (!STATIC_TYPES.has(question.getType())) return false;
    if (question.getType() === "text" && question.getPropertyValue("inputType") !== "text") return false;
  }
  return true;
}

/** A question and, for a rating, the values its scale offers (read once: survey-core builds them per call). */
type KeyOwner = { question: Question; rates?: Set<unknown> };
type RequiredCheck = { key: string; question: Question; messages: string[] };

function compileStatic(json: SurveyJson, model: SurveyModel): ((data: unknown) => AnswerValidation) | null {
  if (!isStaticJson(json) || !isStaticModel(model)) return null;
  const keys = new Map<string, KeyOwner>();
  for (const question of model.getAllQuestions(false, false, false)) {
    if (!(question instanceof Question)) continue;
    const name = question.getValueName();
    const rates = question instanceof QuestionRatingModel ? new Set(question.visibleRateValues.map((item) => item.value as unknown)) : undefined;
    if (!keys.has(name)) keys.set(name, { question, rates });
  }
  // SurveyJS's own messages for an empty survey, in English as validateAnswers stores them.
  model.locale = "en";
  model.data = {};
  model.validate(true, false, undefined, false);
  const required: RequiredCheck[] = [];
  for (const question of model.getAllQuestions(true, false, false)) {
    if (!(question instanceof Question) || !question.isRequired) continue;
    const messages = question.errors.map((error) => error.getText());
    if (messages.length > 0) required.push({ key: question.getValueName(), question, messages });
  }

  return (data) => {
    if (typeof data !== "object" || data === null || Array.isArray(data)) {
      return { ok: false, errors: [{ question: "", message: "Answers must be a JSON object keyed by question name." }] };
    }
    const answers = data as SurveyData;
    const errors: AnswerError[] = [];
    const malformed = new Set<string>();
    for (const key in answers) {
      if (!Object.prototype.hasOwnProperty.call(answers, key)) continue;
      const value = answers[key];
      const owner = keys.get(key);
      let shape: ShapeError[];
      if (!owner) shape = [{ question: key, message: `Unknown question "${key}" in this survey version.` }];
      else if (value === undefined || value === null || owner.rates?.has(value)) shape = [];
      else shape = answerShapeErrors(owner.question, key, value);
      if (shape.length > 0) {
        malformed.add(key);
        errors.push(...shape);
      }
    }
    for (const check of required) {
      if (malformed.has(check.key)) continue;
      const question = check.question;
      if (question.isValueEmpty(answers[check.key], !question.allowSpaceAsAnswer)) {
        for (const message of check.messages) errors.push({ question: question.name, message });
      }
    }
    return errors.length === 0 ? { ok: true, data: answers } : { ok: false, errors };
  };
}

/**
 * Compiles a survey version's definition (parsed JSON of a published, hence immutable, version).
 * Throws when SurveyJS cannot load it at all: a published version always loads.
 */
export function compileAnswers(json: SurveyJson): CompiledAnswers {
  const model = loadSurveyModel(json);
  const plan: MeasurementPlan = { items: measuredItemsOf(model) };
  const fast = compileStatic(json, model);
  if (fast) return { plan, fast: true, validate: fast };
  return { plan, fast: false, validate: (data) => validateAnswers(json, data) };
}
