// Validation of a survey definition before it becomes a version: SurveyJS's own loading errors
// (unknown properties, unknown question types…) and Vivencia's measurement rules, each located by
// a JSON path so the designer can find it. Never throws, whatever the input.
import { QuestionMultipleTextModel, type SurveyModel } from "survey-core";
import { parseBoundedJson } from "~/cem/bounded-json";
import { measureRuleErrors } from "./measure-rules";
import { loadSurveyModel, measuredItemsOf, surveyQuestions } from "./plan";
import type { SurveyJson, SurveyTouchpoint } from "./types";

export type SurveyDefinitionError = {
  /** Where in the JSON, e.g. "pages[0].elements[2].rateMax". */
  path?: string;
  question?: string;
  message: string;
  source: "surveyjs" | "vivencia";
};
export type SurveyDefinitionResult = { ok: true } | { ok: false; errors: SurveyDefinitionError[] };

export type ParsedSurveyJson = { ok: true; json: SurveyJson } | { ok: false; message: string };

/** Accepts a JSON object or its text; anything else is reported, not thrown. */
export function parseSurveyJson(input: unknown): ParsedSurveyJson {
  let value = input;
  if (typeof input === "string") {
    // Depth checked before parsing and keys after, so nothing below walks a hostile value.
    const bounded = parseBoundedJson(input);
    if (!bounded.ok) {
      const { error, message } = bounded.problem;
      return { ok: false, message: error === "invalid_json" ? `The survey definition is not valid JSON: ${message.replace(/^The text is not valid JSON: /, "")}` : `The survey definition: ${message}` };
    }
    value = bounded.value;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    const what = value === null ? "null" : Array.isArray(value) ? "an array" : typeof value;
    return { ok: false, message: `A survey definition must be a JSON object, not ${what}.` };
  }
  return { ok: true, json: value as SurveyJson };
}

const ELEMENT_ARRAYS = new Set(["elements", "questions", "templateElements"]);

/** Where each object sits in the JSON, and where each named question (or item) is defined. */
type JsonIndex = { pathOf: Map<object, string>; questionPaths: Map<string, string[]> };

function indexJson(json: SurveyJson): JsonIndex {
  const pathOf = new Map<object, string>();
  const questionPaths = new Map<string, string[]>();
  const addQuestion = (name: string, path: string) => {
    questionPaths.set(name, [...(questionPaths.get(name) ?? []), path]);
  };
  const walk = (value: unknown, path: string, arrayKey: string | null, owner: string | null) => {
    if (typeof value !== "object" || value === null || pathOf.has(value)) return;
    pathOf.set(value, path);
    if (Array.isArray(value)) {
      value.forEach((child, i) => walk(child, `${path}[${i}]`, arrayKey, owner));
      return;
    }
    const record = value as Record<string, unknown>;
    let name: string | null = null;
    if (typeof record.name === "string") {
      if (arrayKey !== null && ELEMENT_ARRAYS.has(arrayKey) && record.type !== "panel") name = record.name;
      if (arrayKey === "items" && owner !== null) addQuestion(`${owner}.${record.name}`, path);
    }
    if (name !== null) addQuestion(name, path);
    for (const [key, child] of Object.entries(record)) {
      walk(child, path === "" ? key : `${path}.${key}`, key, name);
    }
  };
  walk(json, "", null, null);
  return { pathOf, questionPaths };
}

// Errors whose propertyName is a property of jsonObj itself; for type errors it names the
// parent's array holding the element instead, so the path stops at the element.
const PROPERTY_ERRORS = new Set(["unknownproperty", "arrayproperty"]);

function surveyJsErrors(model: SurveyModel, index: JsonIndex): SurveyDefinitionError[] {
  return (model.jsonErrors ?? []).map((error) => {
    const jsonObj: unknown = error.jsonObj;
    const record = typeof jsonObj === "object" && jsonObj !== null ? (jsonObj as Record<string, unknown>) : null;
    const base = record ? index.pathOf.get(record) : undefined;
    const propertyName = "propertyName" in error && typeof error.propertyName === "string" ? error.propertyName : null;
    const property = PROPERTY_ERRORS.has(error.type) ? propertyName : null;
    const path = base === undefined ? undefined : property ? (base === "" ? property : `${base}.${property}`) : base;
    let message = error.message;
    if (error.type === "incorrecttypeproperty" || error.type === "missingtypeproperty") {
      const where = propertyName ? ` in "${propertyName}"` : "";
      message = typeof record?.type === "string" ? `Unknown type "${record.type}"${where}.` : `An object${where} has no type.`;
    }
    const result: SurveyDefinitionError = { message, source: "surveyjs" };
    if (path !== undefined && path !== "") result.path = path;
    if (typeof record?.name === "string") result.question = record.name;
    return result;
  });
}

/** Question names must be unique: answers are stored by name, and a duplicate overwrites. */
function duplicateNameErrors(model: SurveyModel, index: JsonIndex): SurveyDefinitionError[] {
  const errors: SurveyDefinitionError[] = [];
  const counts = new Map<string, number>();
  for (const question of surveyQuestions(model)) {
    if (question.parentQuestion != null) continue;
    counts.set(question.name, (counts.get(question.name) ?? 0) + 1);
    for (const item of question instanceof QuestionMultipleTextModel ? question.items : []) {
      const key = `${question.name}.${item.name}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  for (const [name, count] of counts) {
    if (count < 2) continue;
    const paths = index.questionPaths.get(name) ?? [];
    for (let i = 1; i < count; i++) {
      const error: SurveyDefinitionError = {
        question: name,
        message: `Duplicate question name "${name}": answers are stored by name, so one would overwrite the other.`,
        source: "vivencia",
      };
      if (paths[i]) error.path = paths[i];
      errors.push(error);
    }
  }
  return errors;
}

export function validateSurveyDefinition(input: unknown, touchpoint: SurveyTouchpoint): SurveyDefinitionResult {
  const parsed = parseSurveyJson(input);
  if (!parsed.ok) return { ok: false, errors: [{ message: parsed.message, source: "vivencia" }] };
  const json = parsed.json;

  let model: SurveyModel;
  try {
    model = loadSurveyModel(json);
  } catch (error) {
    return {
      ok: false,
      errors: [{ message: `SurveyJS could not load the definition: ${(error as Error).message}`, source: "surveyjs" }],
    };
  }
  const index = indexJson(json);
  const errors: SurveyDefinitionError[] = [...surveyJsErrors(model, index), ...duplicateNameErrors(model, index)];

  if (surveyQuestions(model).length === 0) {
    errors.push({ message: "The survey has no questions.", source: "vivencia" });
  }
  for (const rule of measureRuleErrors(measuredItemsOf(model), touchpoint)) {
    const question = rule.item ? `${rule.question}.${rule.item}` : rule.question;
    const error: SurveyDefinitionError = { question, message: rule.message, source: "vivencia" };
    const path = index.questionPaths.get(question)?.[0];
    if (path) error.path = path;
    errors.push(error);
  }
  return errors.length === 0 ? { ok: true } : { ok: false, errors };
}
