// Validation of submitted answers against the survey version they answer, before anything is
// stored: no unknown keys, every answer in its question's shape, importance points summing to 100,
// and SurveyJS's own rules (required questions, validators) as the respondent's browser ran them.
//
// Required questions: a submission is a completed survey, so every question that is required and
// visible — visibility evaluated on the submitted data itself, exactly as in the browser — must be
// answered. Partial (abandoned) responses are not accepted here.
import { Question, QuestionMultipleTextModel, settings, type SurveyModel } from "survey-core";
import { answerShapeErrors, type ShapeError } from "./answer-shapes";
import { parseSurveyJson } from "./definition-validation";
import { loadSurveyModel, measuredItemsOf } from "./plan";

export type SurveyData = { [question: string]: unknown };
export type AnswerError = { question: string; message: string };
export type AnswerValidation = { ok: true; data: SurveyData } | { ok: false; errors: AnswerError[] };

/** The data keys a survey can produce, each with the question that owns it. */
function answerKeys(model: SurveyModel): Map<string, { question: Question; isComment: boolean }> {
  const keys = new Map<string, { question: Question; isComment: boolean }>();
  for (const question of model.getAllQuestions(false, false, false)) {
    if (!(question instanceof Question) || question.parentQuestion != null) continue;
    const name = question.getValueName();
    if (!keys.has(name)) keys.set(name, { question, isComment: false });
    // "Other" texts and comment areas travel beside the answer under "<name>-Comment".
    if (question.hasComment || question.getPropertyValue("showOtherItem") === true) {
      keys.set(`${name}${settings.commentSuffix}`, { question, isComment: true });
    }
  }
  return keys;
}

function isUnanswered(value: unknown): boolean {
  return value === undefined || value === null;
}

/**
 * SERVQUAL-style importance points: whatever a multiple-text question spreads over its
 * "importance_points" items must total 100, whether or not the definition has a validator for it.
 */
function importancePointErrors(model: SurveyModel, data: SurveyData): AnswerError[] {
  // One allocation per multiple-text question; standalone numeric questions form one together.
  const allocations = new Map<string, { label: string; shares: { where: string; value: unknown }[] }>();
  for (const m of measuredItemsOf(model)) {
    if (m.kind !== "importance_points" || m.nested) continue;
    const answer = data[m.question];
    const value = m.item === null ? answer : (answer as Record<string, unknown> | undefined)?.[m.item];
    const group = m.item === null ? "" : m.question;
    const allocation = allocations.get(group) ?? { label: group || "importance points", shares: [] };
    allocation.shares.push({ where: m.item === null ? m.question : `${m.question}.${m.item}`, value });
    allocations.set(group, allocation);
  }
  const errors: AnswerError[] = [];
  for (const { label, shares } of allocations.values()) {
    const given = shares.filter((share) => !isUnanswered(share.value));
    if (given.length === 0) continue;
    let total = 0;
    for (const share of given) {
      if (typeof share.value !== "number" || share.value < 0) {
        errors.push({ question: share.where, message: "Importance points must be ≥ 0." });
      } else total += share.value;
    }
    if (Math.abs(total - 100) > 1e-9) {
      errors.push({ question: label, message: `Importance points must total 100; they total ${total}.` });
    }
  }
  return errors;
}

/** SurveyJS's own verdict (required, validators), in English so stored messages do not vary. */
function surveyJsErrors(model: SurveyModel, data: SurveyData, skip: Set<string>): AnswerError[] {
  model.locale = "en";
  model.data = data;
  model.validate(true, false, undefined, false);
  const errors: AnswerError[] = [];
  for (const question of model.getAllQuestions(true, false, false)) {
    if (!(question instanceof Question) || question.parentQuestion != null || skip.has(question.getValueName())) continue;
    for (const error of question.errors) errors.push({ question: question.name, message: error.getText() });
    if (question instanceof QuestionMultipleTextModel) {
      for (const item of question.items) {
        for (const error of item.editor.errors) {
          errors.push({ question: `${question.name}.${item.name}`, message: error.getText() });
        }
      }
    }
  }
  return errors;
}

export function validateAnswers(json: unknown, data: unknown): AnswerValidation {
  const parsed = parseSurveyJson(json);
  if (!parsed.ok) return { ok: false, errors: [{ question: "", message: parsed.message }] };
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    return { ok: false, errors: [{ question: "", message: "Answers must be a JSON object keyed by question name." }] };
  }
  let model: SurveyModel;
  try {
    model = loadSurveyModel(parsed.json);
  } catch (error) {
    return { ok: false, errors: [{ question: "", message: `The survey version cannot be loaded: ${(error as Error).message}` }] };
  }

  const answers = data as SurveyData;
  const keys = answerKeys(model);
  // Calculated values the definition puts into the result are computed, not answered: any value.
  const computed = new Set(model.calculatedValues.filter((c) => c.includeIntoResult).map((c) => c.name));
  const shapeErrors: ShapeError[] = [];
  const malformed = new Set<string>();
  for (const [key, value] of Object.entries(answers)) {
    const owner = keys.get(key);
    let errors: ShapeError[];
    if (computed.has(key)) errors = [];
    else if (!owner) errors = [{ question: key, message: `Unknown question "${key}" in this survey version.` }];
    else if (isUnanswered(value)) errors = [];
    else if (owner.isComment) errors = typeof value === "string" ? [] : [{ question: key, message: "Expected text." }];
    else errors = answerShapeErrors(owner.question, key, value);
    if (errors.length > 0) malformed.add(key);
    shapeErrors.push(...errors);
  }

  // Only well-formed answers reach SurveyJS: it warns on values its questions cannot hold, and a
  // "required" error on a question whose answer is merely malformed would mislead.
  const wellFormed: SurveyData = {};
  for (const [key, value] of Object.entries(answers)) if (!malformed.has(key)) wellFormed[key] = value;
  const errors: AnswerError[] = [
    ...shapeErrors,
    ...importancePointErrors(model, wellFormed),
    ...surveyJsErrors(model, wellFormed, malformed),
  ];
  return errors.length === 0 ? { ok: true, data: answers } : { ok: false, errors };
}
