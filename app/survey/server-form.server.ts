// The survey answered as plain HTML forms, one page at a time, with survey-core on the server: it
// decides which pages and questions are visible (visibleIf, skip logic), validates a page with the
// very rules SurveyJS runs in the browser (required, validators, in the respondent's language),
// reads posted form fields back into SurveyJS answer values, and gives the final answers exactly
// as SurveyJS would submit them (invisible questions cleared, expressions computed).
// Question types it cannot draw make the whole survey fall back to SurveyJS in the browser.
import {
  MultipleTextItemModel,
  Question,
  QuestionBooleanModel,
  QuestionMatrixModel,
  QuestionMultipleTextModel,
  QuestionRatingModel,
  QuestionSelectBase,
  QuestionTextModel,
  surveyLocalization,
  type PageModel,
  type SurveyModel,
} from "survey-core";
import "./locales";
import type { FormOption, FormState, PageView, QuestionView } from "./form-view";
import { loadSurveyModel } from "./plan";
import type { SurveyLocale } from "./locales";
import type { SurveyJson } from "./types";

/** Question types the server renderer draws (dropdown as a list of radio buttons: one tap each). */
const DRAWN_TYPES = new Set(["rating", "radiogroup", "dropdown", "checkbox", "boolean", "text", "comment", "matrix", "multipletext", "html", "expression"]);
/** Text inputs a browser offers natively, without JavaScript. */
const INPUT_TYPES = new Set(["text", "number", "email", "tel", "url", "date"]);
/** Properties that need SurveyJS's own UI (an "other" text box, remote choices, masks…). */
const NEEDS_SURVEYJS = ["showOtherItem", "hasOther", "showCommentArea", "hasComment", "choicesByUrl", "choicesFromQuestion", "showSelectAllItem", "maskType"];

function isSet(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === "none") return false;
  if (typeof value === "object") return Object.keys(value).length > 0 && (value as { url?: string }).url !== "";
  return true;
}

/** Why a question cannot be drawn on the server, or null when it can. */
function unsupported(question: Question): string | null {
  const type = question.getType();
  if (!DRAWN_TYPES.has(type)) return `type "${type}"`;
  if (question.parent && question.parent.isPanel) return "a question inside a panel";
  for (const property of NEEDS_SURVEYJS) {
    if (isSet(question.getPropertyValue(property))) return `"${property}" on ${question.name}`;
  }
  if (question instanceof QuestionTextModel && !INPUT_TYPES.has(question.inputType)) return `input type "${question.inputType}"`;
  if (question instanceof QuestionMultipleTextModel && question.items.some((item) => !INPUT_TYPES.has(item.inputType))) return "a multiple-text item type";
  return null;
}

/** Null when every question of the survey can be drawn on the server; else the first reason not. */
export function serverFormBlocker(json: SurveyJson): string | null {
  let model: SurveyModel;
  try {
    model = loadSurveyModel(json);
  } catch (error) {
    return `cannot load: ${(error as Error).message}`;
  }
  for (const question of model.getAllQuestions(false, true, true)) {
    if (!(question instanceof Question)) continue;
    const reason = unsupported(question);
    if (reason) return reason;
  }
  return null;
}

/** Values of the placeholders a designer wrote in the texts ({brand}, {touchpoint}, {customer_name}). */
export type TextVariables = Record<string, string>;

/** A model holding these answers, speaking this language, with the texts' placeholders filled. */
function modelWith(json: SurveyJson, data: Record<string, unknown>, lang: SurveyLocale, variables: TextVariables = {}): SurveyModel {
  const model = loadSurveyModel(json);
  model.locale = lang;
  for (const [name, value] of Object.entries(variables)) model.setVariable(name, value);
  model.data = data;
  return model;
}

/** The page the state names, if the respondent can see it now; else the first page they can. */
function currentPage(model: SurveyModel, pageName: string): PageModel | null {
  const pages = model.visiblePages;
  return pages.find((p) => p.name === pageName) ?? pages[0] ?? null;
}

function text(value: string | undefined | null): string | null {
  const trimmed = (value ?? "").trim();
  return trimmed === "" ? null : trimmed;
}

function requiredMessage(question: Question, lang: SurveyLocale): string {
  return text(question.requiredErrorText) ?? surveyLocalization.getString("requiredError", lang);
}

function option(value: unknown, label: string, answer: unknown): FormOption {
  const checked = Array.isArray(answer) ? answer.some((a) => a === value) : answer === value;
  return { value: String(value), label, checked };
}

function questionView(question: Question, position: number, lang: SurveyLocale, errors: string[]): QuestionView {
  const answer = question.value as unknown;
  const id = `q${position}`;
  const base = {
    name: question.name,
    id,
    title: question.locTitle.renderedHtml || question.name,
    description: text(question.locDescription.renderedHtml),
    required: question.isRequired,
    requiredMessage: requiredMessage(question, lang),
    errors,
  };
  if (question instanceof QuestionRatingModel) {
    return {
      ...base,
      type: "rating",
      field: id,
      options: question.visibleRateValues.map((item) => option(item.value, item.locText.renderedHtml || String(item.value), answer)),
      minLabel: text(question.minRateDescription),
      maxLabel: text(question.maxRateDescription),
    };
  }
  if (question instanceof QuestionBooleanModel) {
    return {
      ...base,
      type: "boolean",
      field: id,
      options: [option(question.getValueTrue(), question.locLabelTrue.renderedHtml, answer), option(question.getValueFalse(), question.locLabelFalse.renderedHtml, answer)],
    };
  }
  if (question instanceof QuestionMatrixModel) {
    const record = (answer ?? {}) as Record<string, unknown>;
    const rows = question.rows.map((row, j) => ({ row, j })).filter(({ row }) => row.isVisible);
    return {
      ...base,
      type: "matrix",
      rows: rows.map(({ row, j }) => ({
        field: `${id}.r${j}`,
        label: row.locText.renderedHtml,
        options: question.visibleColumns.map((column) => option(column.value, column.locText.renderedHtml, record[String(row.value)])),
      })),
    };
  }
  if (question instanceof QuestionMultipleTextModel) {
    const record = (answer ?? {}) as Record<string, unknown>;
    return {
      ...base,
      type: "multipletext",
      items: question.items.map((item, j) => ({
        field: `${id}.i${j}`,
        label: item.locTitle.renderedHtml || item.name,
        inputType: item.inputType,
        value: record[item.name] === undefined || record[item.name] === null ? "" : String(record[item.name]),
        required: item.isRequired,
      })),
    };
  }
  if (question instanceof QuestionSelectBase) {
    return {
      ...base,
      type: question.getType() === "checkbox" ? "checkbox" : "choice",
      field: id,
      options: question.visibleChoices.map((choice) => option(choice.value, choice.locText.renderedHtml, answer)),
    };
  }
  const type = question.getType();
  if (type === "html") return { ...base, type: "html", html: question.getPropertyValue("html") ? (question as unknown as { locHtml: { renderedHtml: string } }).locHtml.renderedHtml : "" };
  if (type === "expression") return { ...base, type: "expression", value: String(question.displayValue ?? "") };
  const maxLength = typeof question.getMaxLength === "function" ? question.getMaxLength() : null;
  const value = answer === undefined || answer === null ? "" : String(answer);
  if (question instanceof QuestionTextModel) return { ...base, type: "text", field: id, inputType: question.inputType, value, maxLength: maxLength ?? null };
  return { ...base, type: "comment", field: id, value, maxLength: maxLength ?? null };
}

/** Every error SurveyJS holds for a question after validation, multiple-text items' included. */
function errorsOf(question: Question): string[] {
  const errors = question.errors.map((error) => error.getText());
  if (question instanceof QuestionMultipleTextModel) {
    for (const item of question.items) {
      for (const error of item.editor.errors) errors.push(`${item.locTitle.renderedHtml || item.name}: ${error.getText()}`);
    }
  }
  return errors;
}

function pageView(model: SurveyModel, page: PageModel, lang: SurveyLocale, errors: Map<string, string[]>): PageView {
  const pages = model.visiblePages;
  const index = Math.max(0, pages.indexOf(page));
  const questions = page.questions
    .map((question, position) => ({ question, position }))
    .filter(({ question }) => question.isVisible)
    .map(({ question, position }) => questionView(question, position, lang, errors.get(question.name) ?? []));
  return {
    name: page.name,
    title: text(page.locTitle.renderedHtml),
    description: text(page.locDescription.renderedHtml),
    index,
    count: pages.length,
    questions,
    prevText: model.pagePrevText,
    nextText: index >= pages.length - 1 ? model.completeText : model.pageNextText,
    isFirst: index === 0,
    isLast: index >= pages.length - 1,
  };
}

/** The first state of a filling-in: no answers, the first page. */
export function startState(json: SurveyJson, version: number, now: number, submission: string): FormState {
  const model = loadSurveyModel(json);
  return { version, data: {}, pageName: model.visiblePages[0]?.name ?? "", page: 0, startedAt: now, submission };
}

/** A state restored from saved progress (a page number, as SurveyJS saved it, or a page name). */
export function resumeState(json: SurveyJson, saved: { data: Record<string, unknown>; page: number; pageName?: string }, fallback: FormState): FormState {
  const model = modelWith(json, saved.data, "en");
  const pages = model.visiblePages;
  const page = pages.find((p) => p.name === saved.pageName) ?? pages[saved.page] ?? pages[0];
  return { ...fallback, data: saved.data, pageName: page?.name ?? "", page: page ? pages.indexOf(page) : 0 };
}

/** The page the state is on, drawn with these errors. */
export function renderPage(json: SurveyJson, state: FormState, lang: SurveyLocale, errors = new Map<string, string[]>(), variables: TextVariables = {}): PageView {
  const model = modelWith(json, state.data, lang, variables);
  const page = currentPage(model, state.pageName);
  if (!page) throw new Error("The survey has no page to show.");
  return pageView(model, page, lang, errors);
}

type Field = { get: (name: string) => string | null; getAll: (name: string) => string[] };

function numberOf(raw: string): number | null {
  const trimmed = raw.trim().replace(",", ".");
  const value = Number(trimmed);
  return trimmed !== "" && Number.isFinite(value) ? value : null;
}

/**
 * Reads one question's fields into its SurveyJS answer value (undefined: unanswered). Values are
 * matched against what the question offers, so a forged value is an error, never stored.
 */
function readQuestion(question: Question, id: string, fields: Field, lang: SurveyLocale): { value: unknown; error: string | null } {
  const notOffered = (raw: string) => ({ value: undefined, error: `${JSON.stringify(raw.slice(0, 40))}: ${surveyLocalization.getString("invalidInput", lang) ?? "invalid"}` });
  const pick = (raw: string | null, offered: unknown[]) => {
    if (raw === null || raw === "") return { value: undefined, error: null };
    const found = offered.find((v) => String(v) === raw);
    return found === undefined ? notOffered(raw) : { value: found, error: null };
  };
  if (question instanceof QuestionRatingModel) return pick(fields.get(id), question.visibleRateValues.map((item) => item.value as unknown));
  if (question instanceof QuestionBooleanModel) return pick(fields.get(id), [question.getValueTrue(), question.getValueFalse()]);
  if (question instanceof QuestionMatrixModel) {
    const record: Record<string, unknown> = {};
    const columns = question.visibleColumns.map((column) => column.value as unknown);
    for (const [j, row] of question.rows.entries()) {
      const read = pick(fields.get(`${id}.r${j}`), columns);
      if (read.error) return read;
      if (read.value !== undefined) record[String(row.value)] = read.value;
    }
    return { value: Object.keys(record).length > 0 ? record : undefined, error: null };
  }
  if (question instanceof QuestionMultipleTextModel) {
    const record: Record<string, unknown> = {};
    for (const [j, item] of question.items.entries()) {
      const read = readText(item, fields.get(`${id}.i${j}`), lang);
      if (read.error) return read;
      if (read.value !== undefined) record[item.name] = read.value;
    }
    return { value: Object.keys(record).length > 0 ? record : undefined, error: null };
  }
  if (question instanceof QuestionSelectBase) {
    const offered = question.visibleChoices.map((choice) => choice.value as unknown);
    if (question.getType() !== "checkbox") return pick(fields.get(id), offered);
    const chosen = fields.getAll(id).filter((raw) => raw !== "");
    const values: unknown[] = [];
    for (const raw of chosen) {
      const read = pick(raw, offered);
      if (read.error) return read;
      values.push(read.value);
    }
    // In the order the question offers them, as SurveyJS keeps a checkbox's answer.
    return { value: values.length > 0 ? offered.filter((v) => values.includes(v)) : undefined, error: null };
  }
  if (question instanceof QuestionTextModel) return readText(question, fields.get(id), lang);
  const raw = fields.get(id);
  return { value: raw === null || raw.trim() === "" ? undefined : raw, error: null };
}

function readText(owner: QuestionTextModel | MultipleTextItemModel, raw: string | null, lang: SurveyLocale): { value: unknown; error: string | null } {
  if (raw === null || raw.trim() === "") return { value: undefined, error: null };
  if (owner.inputType !== "number") return { value: raw, error: null };
  const value = numberOf(raw);
  return value === null ? { value: undefined, error: surveyLocalization.getString("numericError", lang) } : { value, error: null };
}

export type StepResult =
  /** Stay on (or go to) a page: errors when the posted page did not pass. */
  | { kind: "page"; state: FormState; view: PageView; ok: boolean }
  /** The last page passed: these are the answers to record. */
  | { kind: "complete"; state: FormState; answers: Record<string, unknown> };

/**
 * Takes the fields posted from the state's page: "back" keeps them and goes one page back without
 * validating; "next" validates the page as SurveyJS would and moves on, or completes the survey.
 */
export function stepForm(json: SurveyJson, state: FormState, fields: Field, direction: "next" | "back", lang: SurveyLocale, variables: TextVariables = {}): StepResult {
  const model = modelWith(json, state.data, lang, variables);
  const page = currentPage(model, state.pageName);
  if (!page) throw new Error("The survey has no page to show.");

  // The answers of this page, as posted (a field left out is an answer taken back).
  const readErrors = new Map<string, string[]>();
  for (const [position, question] of page.questions.entries()) {
    if (!question.hasInput) continue;
    const read = readQuestion(question, `q${position}`, fields, lang);
    if (read.error) readErrors.set(question.name, [read.error]);
    else if (read.value === undefined) model.clearValue(question.getValueName());
    else model.setValue(question.getValueName(), read.value);
  }
  const data = { ...(model.data as Record<string, unknown>) };
  const at = (target: PageModel): FormState => ({ ...state, data, pageName: target.name, page: Math.max(0, model.visiblePages.indexOf(target)) });

  if (direction === "back") {
    const pages = model.visiblePages;
    const previous = pages[Math.max(0, pages.indexOf(page) - 1)] ?? page;
    const next = at(previous);
    return { kind: "page", state: next, view: pageView(model, previous, lang, new Map()), ok: true };
  }

  const errors = validatePage(page);
  for (const [name, messages] of readErrors) errors.set(name, [...messages, ...(errors.get(name) ?? [])]);
  if (errors.size > 0) return { kind: "page", state: at(page), view: pageView(model, page, lang, errors), ok: false };

  // Pages before this one may have been skipped by a forged state: the first page that does not
  // pass is the one to show, whichever it is.
  const pages = model.visiblePages;
  for (const earlier of pages.slice(0, pages.indexOf(page))) {
    const earlierErrors = validatePage(earlier);
    if (earlierErrors.size > 0) return { kind: "page", state: at(earlier), view: pageView(model, earlier, lang, earlierErrors), ok: false };
  }
  const following = pages[pages.indexOf(page) + 1];
  if (following) return { kind: "page", state: at(following), view: pageView(model, following, lang, new Map()), ok: true };

  // As SurveyJS completes (clearInvisibleValues "onComplete"): answers to questions the respondent
  // no longer sees are dropped, computed expressions kept.
  clearInvisibleValues(model);
  return { kind: "complete", state: at(page), answers: { ...(model.data as Record<string, unknown>) } };
}

/** Drops the answers of questions the respondent does not see (on a hidden page, or hidden themselves). */
function clearInvisibleValues(model: SurveyModel): void {
  const questions = model.getAllQuestions(false, false, false).filter((q): q is Question => q instanceof Question);
  const seen = (q: Question) => q.isVisible && (q.page?.isVisible ?? true);
  const shown = new Set(questions.filter(seen).map((q) => q.getValueName()));
  for (const question of questions) {
    if (!shown.has(question.getValueName())) model.clearValue(question.getValueName());
  }
}

/** SurveyJS's verdict on one page, by question name (empty: the page passes). */
function validatePage(page: PageModel): Map<string, string[]> {
  page.validate(true, false);
  const errors = new Map<string, string[]>();
  for (const question of page.questions) {
    if (!question.isVisible) continue;
    const messages = errorsOf(question);
    if (messages.length > 0) errors.set(question.name, messages);
  }
  return errors;
}
