// The builder's edits: small pure functions from one model to the next. Every edit goes through
// `guarded`, which refuses (with a reason the page words in either language) an edit that would
// break the measurement metadata or make a condition look forward; nothing here mutates its input.
import { REVERSE_CODED_PROPERTY } from "../metadata";
import type { SurveyTouchpoint } from "../types";
import {
  allQuestionElements,
  elementAt,
  findElement,
  freshName,
  panelChildren,
  questionsInOrder,
  updateElementAt,
  type BuilderModel,
  type BuilderPage,
  type ElementJson,
  type PlainType,
} from "./document";
import { measurementProblems, newProblems, type MeasurementProblemCode } from "./guards";
import { conditionToExpression, logicProblems, parseCondition, type Condition, type LogicProblem } from "./logic";
import { blockQuestions, instrumentPages, plainQuestion, type PaletteBlock } from "./palette";
import { writeText, type BuilderLang } from "./text";

export type RefusalCode =
  | MeasurementProblemCode
  | LogicProblem["code"]
  | "not_found"
  | "page_not_empty"
  | "last_page"
  | "unknown_attribute"
  | "question_in_condition"
  | "cannot_move"
  | "question_in_panel"
  | "panel_not_empty";

export type Refusal = { code: RefusalCode; params: Record<string, string> };
export type EditResult = { ok: true; model: BuilderModel; selected?: string } | { ok: false; refusal: Refusal };

const refuse = (code: RefusalCode, params: Record<string, string> = {}): EditResult => ({ ok: false, refusal: { code, params } });

const logicKey = (p: LogicProblem) => `${p.code}:${p.question}:${p.refers}`;

function logicParams(p: LogicProblem): Record<string, string> {
  return "page" in p ? { question: p.question, refers: p.refers, page: String(p.page) } : { question: p.question, refers: p.refers };
}

/** Applies an edit, refusing it when it brings a measurement or logic problem the survey did not have. */
function guarded(model: BuilderModel, touchpoint: SurveyTouchpoint, edit: () => EditResult): EditResult {
  const result = edit();
  if (!result.ok) return result;
  const measured = newProblems(measurementProblems(model, touchpoint), measurementProblems(result.model, touchpoint));
  // A duplicate name is a symptom; the duplicate measure behind it says more.
  const first = measured.find((p) => p.code !== "duplicate_name") ?? measured[0];
  if (first) return refuse(first.code, first.params);
  const had = new Set(logicProblems(model).map(logicKey));
  const logic = logicProblems(result.model).find((p) => !had.has(logicKey(p)));
  if (logic) return refuse(logic.code, logicParams(logic));
  return result;
}

function withPages(model: BuilderModel, pages: BuilderPage[]): BuilderModel {
  // A definition that listed its elements at the top level gets pages once it has more than one.
  const layout = pages.length > 1 || pages.some((p) => Object.keys(p.props).length > 0) ? "pages" : model.layout;
  return { ...model, layout, pages };
}

function replaceElement(model: BuilderModel, name: string, update: (element: ElementJson) => ElementJson): EditResult {
  const at = findElement(model, name);
  if (!at) return refuse("not_found", { question: name });
  return { ok: true, model: withPages(model, updateElementAt(model, at, update)) };
}

function pageName(model: BuilderModel): string {
  const used = new Set(model.pages.map((p) => p.props.name));
  for (let n = model.pages.length + 1; ; n++) if (!used.has(`page${n}`)) return `page${n}`;
}

export function addPage(model: BuilderModel, touchpoint: SurveyTouchpoint, after: number = model.pages.length - 1): EditResult {
  return guarded(model, touchpoint, () => {
    const page: BuilderPage = { props: { name: pageName(model) }, elementsKey: "elements", elements: [] };
    const pages = [...model.pages];
    pages.splice(after + 1, 0, page);
    return { ok: true, model: withPages({ ...model, layout: "pages" }, pages) };
  });
}

/** Only an empty page can go: its questions would otherwise disappear along with it unseen. */
export function removePage(model: BuilderModel, touchpoint: SurveyTouchpoint, index: number): EditResult {
  return guarded(model, touchpoint, () => {
    const page = model.pages[index];
    if (!page) return refuse("not_found", { page: String(index + 1) });
    if (page.elements.length > 0) return refuse("page_not_empty", { page: String(index + 1) });
    if (model.pages.length === 1) return refuse("last_page");
    return { ok: true, model: withPages(model, model.pages.filter((_, i) => i !== index)) };
  });
}

export function movePage(model: BuilderModel, touchpoint: SurveyTouchpoint, index: number, delta: -1 | 1): EditResult {
  return guarded(model, touchpoint, () => {
    const target = index + delta;
    if (!model.pages[index] || target < 0 || target >= model.pages.length) return refuse("cannot_move");
    const pages = [...model.pages];
    [pages[index], pages[target]] = [pages[target], pages[index]];
    return { ok: true, model: withPages(model, pages) };
  });
}

function insertElements(model: BuilderModel, pageIndex: number, elements: ElementJson[]): BuilderModel {
  const pages = model.pages.length === 0 ? [{ props: { name: "page1" }, elementsKey: "elements" as const, elements: [] }] : model.pages;
  const p = Math.max(0, Math.min(pageIndex, pages.length - 1));
  return withPages(
    model,
    pages.map((page, i) => (i === p ? { ...page, elements: [...page.elements, ...elements] } : page)),
  );
}

export function addPlainQuestion(model: BuilderModel, touchpoint: SurveyTouchpoint, pageIndex: number, type: PlainType): EditResult {
  return guarded(model, touchpoint, () => {
    const name = freshName(model, "question");
    return { ok: true, model: insertElements(model, pageIndex, [plainQuestion(type, name)]), selected: name };
  });
}

/**
 * Adds a palette block: attribute blocks for one of the touchpoint's attributes only, instruments
 * as pages after the last one. A block already in the survey is refused (duplicate measure).
 */
export function addBlock(model: BuilderModel, touchpoint: SurveyTouchpoint, pageIndex: number, block: PaletteBlock): EditResult {
  return guarded(model, touchpoint, () => {
    if (block.block === "servqual" || block.block === "brand_experience") {
      const pages = instrumentPages(block.block);
      return { ok: true, model: withPages({ ...model, layout: "pages" }, [...model.pages, ...pages]), selected: String(pages[0]?.elements[0]?.name ?? "") };
    }
    let attribute = null;
    if ("attribute" in block) {
      attribute = touchpoint.attributes.find((a) => a.key === block.attribute) ?? null;
      if (!attribute) return refuse("unknown_attribute", { attribute: block.attribute });
    }
    const questions = blockQuestions(block, touchpoint, attribute);
    return { ok: true, model: insertElements(model, pageIndex, questions), selected: String(questions[0]?.name ?? "") };
  });
}

/** Names a condition (of any question or page) refers to. */
function conditionReferences(model: BuilderModel): Map<string, string> {
  const refs = new Map<string, string>();
  const note = (owner: string, expression: unknown) => {
    if (typeof expression !== "string") return;
    // Builder-written or not, any {name} in the expression is a reference.
    for (const match of expression.matchAll(/\{([^}]+)\}/g)) refs.set(match[1].split(".")[0], owner);
  };
  for (const page of model.pages) {
    note(String(page.props.name ?? ""), page.props.visibleIf);
    for (const element of allQuestionElements({ ...model, pages: [page] })) note(String(element.name ?? ""), element.visibleIf);
  }
  // Panels' own conditions, and the questions inside them.
  for (const { element } of questionsInOrder(model)) note(String(element.name ?? ""), element.visibleIf);
  return refs;
}

/**
 * Removes a question. Refused when a condition refers to it (the condition would silently never
 * hold) and, by the guards, when it is the expectation a perception is compared with.
 */
export function removeQuestion(model: BuilderModel, touchpoint: SurveyTouchpoint, name: string): EditResult {
  return guarded(model, touchpoint, () => {
    const at = findElement(model, name);
    if (!at) return refuse("not_found", { question: name });
    const usedBy = conditionReferences(model).get(name);
    if (usedBy !== undefined && usedBy !== name) return refuse("question_in_condition", { question: name, refers: usedBy });
    // Like a page, a panel goes only once empty: its questions would otherwise disappear with it unseen.
    if (panelChildren(elementAt(model, at)).length > 0) return refuse("panel_not_empty", { question: name });
    return { ok: true, model: withPages(model, updateElementAt(model, at, () => null)) };
  });
}

/** Moves a question to a page and position (drag and drop); refused when a condition would then look forward. */
export function moveQuestionTo(model: BuilderModel, touchpoint: SurveyTouchpoint, name: string, pageIndex: number, index: number): EditResult {
  return guarded(model, touchpoint, () => {
    const at = findElement(model, name);
    if (!at || !model.pages[pageIndex]) return refuse("cannot_move");
    // Questions stay in their panel: moving them in or out is done in the JSON tab.
    if (at.path.length > 0) return refuse("question_in_panel", { question: name });
    const element = elementAt(model, at);
    const without = model.pages.map((page, p) => (p !== at.page ? page : { ...page, elements: page.elements.filter((_, i) => i !== at.index) }));
    const target = without[pageIndex];
    const position = Math.max(0, Math.min(index, target.elements.length));
    const pages = without.map((page, p) =>
      p !== pageIndex ? page : { ...page, elements: [...page.elements.slice(0, position), element, ...page.elements.slice(position)] },
    );
    return { ok: true, model: withPages(model, pages), selected: name };
  });
}

/** One step up or down (the keyboard alternative to dragging); across a page edge it moves to the next page. */
export function moveQuestion(model: BuilderModel, touchpoint: SurveyTouchpoint, name: string, delta: -1 | 1): EditResult {
  const at = findElement(model, name);
  if (!at) return refuse("not_found", { question: name });
  if (at.path.length > 0) return refuse("question_in_panel", { question: name });
  const count = model.pages[at.page].elements.length;
  if (delta === -1 && at.index > 0) return moveQuestionTo(model, touchpoint, name, at.page, at.index - 1);
  if (delta === 1 && at.index < count - 1) return moveQuestionTo(model, touchpoint, name, at.page, at.index + 1);
  if (delta === -1 && at.page > 0) return moveQuestionTo(model, touchpoint, name, at.page - 1, model.pages[at.page - 1].elements.length);
  if (delta === 1 && at.page < model.pages.length - 1) return moveQuestionTo(model, touchpoint, name, at.page + 1, 0);
  return refuse("cannot_move");
}

/** Where a text lives: the survey, a page, a question, or one choice of a question. */
export type TextTarget =
  | { on: "survey" }
  | { on: "page"; page: number }
  | { on: "question"; name: string }
  | { on: "choice"; name: string; choice: number };

function setProperty(record: ElementJson, property: string, value: unknown): ElementJson {
  const next = { ...record };
  if (value === undefined) delete next[property];
  else next[property] = value;
  return next;
}

export function setText(
  model: BuilderModel,
  touchpoint: SurveyTouchpoint,
  target: TextTarget,
  property: string,
  lang: BuilderLang,
  text: string,
): EditResult {
  return guarded(model, touchpoint, () => {
    switch (target.on) {
      case "survey":
        return { ok: true, model: { ...model, root: setProperty(model.root, property, writeText(model.root[property], lang, text)) } };
      case "page": {
        if (!model.pages[target.page]) return refuse("not_found", { page: String(target.page + 1) });
        const pages = model.pages.map((page, i) =>
          i !== target.page ? page : { ...page, props: setProperty(page.props, property, writeText(page.props[property], lang, text)) },
        );
        return { ok: true, model: withPages(model, pages) };
      }
      case "question":
        return replaceElement(model, target.name, (e) => setProperty(e, property, writeText(e[property], lang, text)));
      case "choice":
        return replaceElement(model, target.name, (e) => {
          if (!Array.isArray(e.choices)) return e;
          const choices = e.choices.map((choice: unknown, i) => {
            if (i !== target.choice) return choice;
            const record: ElementJson = typeof choice === "object" && choice !== null ? { ...(choice as ElementJson) } : { value: choice };
            return setProperty(record, "text", writeText(record.text ?? (typeof choice === "object" ? undefined : String(choice)), lang, text));
          });
          return { ...e, choices };
        });
    }
  });
}

export function addChoice(model: BuilderModel, touchpoint: SurveyTouchpoint, name: string): EditResult {
  return guarded(model, touchpoint, () =>
    replaceElement(model, name, (e) => {
      const choices = Array.isArray(e.choices) ? e.choices : [];
      const values = new Set(choices.map((c: unknown) => String(typeof c === "object" && c !== null ? (c as ElementJson).value : c)));
      let n = choices.length + 1;
      while (values.has(`option${n}`)) n++;
      return { ...e, choices: [...choices, { value: `option${n}`, text: { default: `Option ${n}`, es: `Opción ${n}` } }] };
    }),
  );
}

export function removeChoice(model: BuilderModel, touchpoint: SurveyTouchpoint, name: string, choice: number): EditResult {
  return guarded(model, touchpoint, () =>
    replaceElement(model, name, (e) => ({ ...e, choices: Array.isArray(e.choices) ? e.choices.filter((_, i) => i !== choice) : e.choices })),
  );
}

export function setRequired(model: BuilderModel, touchpoint: SurveyTouchpoint, name: string, required: boolean): EditResult {
  return guarded(model, touchpoint, () => replaceElement(model, name, (e) => setProperty(e, "isRequired", required ? true : undefined)));
}

/** The reverse-coding flag; the guards refuse dropping it from a negatively worded instrument item. */
export function setReverseCoded(model: BuilderModel, touchpoint: SurveyTouchpoint, name: string, reverse: boolean): EditResult {
  return guarded(model, touchpoint, () => replaceElement(model, name, (e) => setProperty(e, REVERSE_CODED_PROPERTY, reverse ? true : undefined)));
}

/** Sets (or, with no clauses, clears) the display condition of a question or a page. */
export function setCondition(
  model: BuilderModel,
  touchpoint: SurveyTouchpoint,
  target: ConditionTarget,
  condition: Condition | null,
): EditResult {
  return guarded(model, touchpoint, () => {
    const expression = condition && condition.clauses.length > 0 ? conditionToExpression(condition) : undefined;
    if (target.on === "question") return replaceElement(model, target.name, (e) => setProperty(e, "visibleIf", expression));
    if (!model.pages[target.page]) return refuse("not_found", { page: String(target.page + 1) });
    const pages = model.pages.map((page, i) => (i !== target.page ? page : { ...page, props: setProperty(page.props, "visibleIf", expression) }));
    return { ok: true, model: withPages(model, pages) };
  });
}

/** What a condition belongs to: a question (or a panel), by name, or a page, by position. */
export type ConditionTarget = { on: "question"; name: string } | { on: "page"; page: number };

/** The visibleIf expression a condition target has now, undefined when it has none (or is gone). */
export function conditionExpression(model: BuilderModel, target: ConditionTarget): unknown {
  if (target.on === "page") return model.pages[target.page]?.props.visibleIf;
  const at = findElement(model, target.name);
  return at ? elementAt(model, at).visibleIf : undefined;
}

/** The builder-readable condition of a question or page, null when it has an expression the builder did not write. */
export function targetCondition(model: BuilderModel, target: ConditionTarget): Condition | null {
  const expression = conditionExpression(model, target);
  return typeof expression === "string" ? parseCondition(expression) : { join: "and", clauses: [] };
}
