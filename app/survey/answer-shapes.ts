// The shape each SurveyJS question type's answer must take in submitted data: a rating value the
// scale offers, a number for numeric inputs, a known choice, an object of known items. SurveyJS
// trusts its own UI to produce these; a public endpoint cannot.
import {
  QuestionBooleanModel,
  QuestionMatrixModel,
  QuestionMultipleTextModel,
  QuestionRatingModel,
  QuestionSelectBase,
  QuestionTextModel,
  type Question,
} from "survey-core";

export type ShapeError = { question: string; message: string };

const NUMERIC_INPUTS = new Set(["number", "range"]);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function show(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

function bound(value: unknown): number | null {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value))) return Number(value);
  return null;
}

function ratingErrors(question: QuestionRatingModel, value: unknown): string[] {
  const offered = question.visibleRateValues.map((item) => item.value as unknown);
  if (offered.includes(value)) return [];
  const numeric = offered.every((v) => typeof v === "number");
  if (numeric && typeof value !== "number") return [`Expected a number on the rating scale, got ${show(value)}.`];
  const scale = numeric
    ? `${Math.min(...(offered as number[]))}–${Math.max(...(offered as number[]))}`
    : offered.map(show).join(", ");
  return [`${show(value)} is not on the rating scale (${scale}).`];
}

function textErrors(inputType: string, value: unknown, min: unknown, max: unknown): string[] {
  if (!NUMERIC_INPUTS.has(inputType)) {
    return typeof value === "string" ? [] : [`Expected text, got ${show(value)}.`];
  }
  if (typeof value !== "number" || !Number.isFinite(value)) return [`Expected a number, got ${show(value)}.`];
  const lo = bound(min);
  const hi = bound(max);
  if (lo !== null && value < lo) return [`${value} is below the minimum ${lo}.`];
  if (hi !== null && value > hi) return [`${value} is above the maximum ${hi}.`];
  return [];
}

/** Choices known from the definition; null when they come from elsewhere and cannot be checked. */
function offeredChoices(question: QuestionSelectBase): unknown[] | null {
  if (question.choicesByUrl?.url || question.choicesFromQuestion) return null;
  return question.visibleChoices.map((choice) => choice.value as unknown);
}

function choiceErrors(question: QuestionSelectBase, value: unknown, multiple: boolean): string[] {
  const offered = offeredChoices(question);
  const values = multiple ? value : [value];
  if (!Array.isArray(values)) return [`Expected a list of choices, got ${show(value)}.`];
  if (offered === null) return [];
  const unknown = values.filter((v) => !offered.includes(v));
  return unknown.length === 0 ? [] : [`Not among the offered choices: ${unknown.map(show).join(", ")}.`];
}

/**
 * Errors in one answer's shape, keyed by question (or "question.item" for a multiple-text item).
 * Types whose answers are nested structures SurveyJS alone understands (dynamic matrices and
 * panels, files, signatures…) are accepted as they are.
 */
export function answerShapeErrors(question: Question, key: string, value: unknown): ShapeError[] {
  const at = (messages: string[], where = key) => messages.map((message) => ({ question: where, message }));
  if (!question.hasInput && question.getType() !== "expression") {
    return at([`"${question.getType()}" elements take no answer.`]);
  }
  if (question instanceof QuestionRatingModel) return at(ratingErrors(question, value));
  if (question instanceof QuestionTextModel) return at(textErrors(question.inputType, value, question.min, question.max));
  if (question instanceof QuestionBooleanModel) {
    const yes = question.getPropertyValue("valueTrue") ?? true;
    const no = question.getPropertyValue("valueFalse") ?? false;
    return at(value === yes || value === no ? [] : [`Expected ${show(yes)} or ${show(no)}, got ${show(value)}.`]);
  }
  if (question instanceof QuestionMultipleTextModel) {
    if (!isPlainObject(value)) return at([`Expected an object of item answers, got ${show(value)}.`]);
    const errors: ShapeError[] = [];
    for (const [name, itemValue] of Object.entries(value)) {
      const item = question.items.find((i) => i.name === name);
      const where = `${key}.${name}`;
      if (!item) errors.push(...at([`Unknown item "${name}".`], where));
      else if (itemValue !== null && itemValue !== undefined) {
        errors.push(...at(textErrors(item.inputType, itemValue, null, null), where));
      }
    }
    return errors;
  }
  if (question instanceof QuestionMatrixModel) {
    if (!isPlainObject(value)) return at([`Expected an object of row answers, got ${show(value)}.`]);
    const rows = question.rows.map((row) => row.value as unknown);
    const columns = question.columns.map((column) => column.value as unknown);
    const errors: string[] = [];
    for (const [row, column] of Object.entries(value)) {
      if (!rows.some((r) => String(r) === row)) errors.push(`Unknown row "${row}".`);
      else if (!columns.includes(column)) errors.push(`Row "${row}": ${show(column)} is not an offered column.`);
    }
    return at(errors);
  }
  if (question instanceof QuestionSelectBase) {
    const type = question.getType();
    const multiple =
      type === "checkbox" || type === "tagbox" || type === "ranking" || question.getPropertyValue("multiSelect") === true;
    return at(choiceErrors(question, value, multiple));
  }
  if (question.getType() === "comment") {
    return at(typeof value === "string" ? [] : [`Expected text, got ${show(value)}.`]);
  }
  return [];
}
