// The builder's model of a survey: the SurveyJS JSON itself, split into its pages and their
// elements so that edits are plain array operations. Nothing is translated into a model of our
// own: every property the builder does not know (custom CSS, validators, a pasted definition's
// extras, the measurement metadata) rides along untouched, and JSON → model → JSON is exact.
import { ATTRIBUTE_PROPERTY, DIMENSION_PROPERTY, MEASURE_PROPERTY, REVERSE_CODED_PROPERTY } from "../metadata";
import { isMeasureKind, type MeasureKind, type SurveyJson } from "../types";

export type ElementJson = { [key: string]: unknown };

export type BuilderPage = {
  /** The page's own properties (name, title, visibleIf…) without its element list. */
  props: ElementJson;
  /** The array property holding the elements: "elements", or the legacy "questions". */
  elementsKey: "elements" | "questions";
  elements: ElementJson[];
};

export type BuilderModel = {
  /** The survey's own properties without its pages. */
  root: SurveyJson;
  /**
   * "pages" for a definition with pages; "elements" (or "questions") for one that lists its
   * elements at the top level, which SurveyJS reads as one page — kept so the JSON comes back as written.
   */
  layout: "pages" | "elements" | "questions";
  pages: BuilderPage[];
};

function isRecord(value: unknown): value is ElementJson {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function pageFromJson(value: unknown): BuilderPage {
  const props: ElementJson = isRecord(value) ? { ...value } : {};
  const elementsKey = Array.isArray(props.elements) || !Array.isArray(props.questions) ? "elements" : "questions";
  const list = props[elementsKey];
  delete props[elementsKey];
  return { props, elementsKey, elements: Array.isArray(list) ? list.filter(isRecord) : [] };
}

/** Splits a definition into the builder's model; never throws. */
export function modelFromJson(json: SurveyJson): BuilderModel {
  const root: SurveyJson = { ...json };
  if (Array.isArray(json.pages)) {
    delete root.pages;
    return { root, layout: "pages", pages: json.pages.map(pageFromJson) };
  }
  const layout = Array.isArray(json.questions) && !Array.isArray(json.elements) ? "questions" : "elements";
  const list = json[layout];
  delete root[layout];
  const elements = Array.isArray(list) ? list.filter(isRecord) : [];
  return { root, layout, pages: [{ props: {}, elementsKey: "elements", elements }] };
}

function pageToJson(page: BuilderPage): ElementJson {
  return { ...page.props, [page.elementsKey]: page.elements };
}

/** The SurveyJS JSON of the model. */
export function modelToJson(model: BuilderModel): SurveyJson {
  if (model.layout !== "pages" && model.pages.length === 1 && Object.keys(model.pages[0].props).length === 0) {
    return { ...model.root, [model.layout]: model.pages[0].elements };
  }
  return { ...model.root, pages: model.pages.map(pageToJson) };
}

/** Question types the builder edits; anything else is shown read-only and kept as written. */
export const PLAIN_TYPES = ["radiogroup", "checkbox", "rating", "text", "comment", "boolean", "dropdown"] as const;
export type PlainType = (typeof PLAIN_TYPES)[number];

export function isPlainType(value: unknown): value is PlainType {
  return typeof value === "string" && (PLAIN_TYPES as readonly string[]).includes(value);
}

/** What one element is, as far as the builder is concerned. */
export type ElementInfo = {
  name: string;
  type: string;
  /** The measure kind when the element carries measurement metadata. */
  measure: MeasureKind | null;
  attribute: string | null;
  dimension: string | null;
  reverseCoded: boolean;
  /** True when the builder edits it as a question (a known question type; panels have an editor of their own). */
  editable: boolean;
};

export function elementInfo(element: ElementJson): ElementInfo {
  const type = typeof element.type === "string" ? element.type : "";
  const measure = isMeasureKind(element[MEASURE_PROPERTY]) ? (element[MEASURE_PROPERTY] as MeasureKind) : null;
  const text = (key: string) => (typeof element[key] === "string" ? (element[key] as string) : null);
  return {
    name: typeof element.name === "string" ? element.name : "",
    type,
    measure,
    attribute: text(ATTRIBUTE_PROPERTY),
    dimension: text(DIMENSION_PROPERTY),
    reverseCoded: element[REVERSE_CODED_PROPERTY] === true,
    editable: isPlainType(type),
  };
}

/**
 * Where a named element sits: its page, its position there and, for an element inside panels, its
 * position inside each panel on the way down (empty for a top-level element).
 */
export type ElementPosition = { page: number; index: number; path: number[] };

/** The key of a panel's element list ("elements", or the legacy "questions"), null for anything else. */
export function panelElementsKey(element: ElementJson): "elements" | "questions" | null {
  if (element.type !== "panel") return null;
  return Array.isArray(element.elements) ? "elements" : Array.isArray(element.questions) ? "questions" : null;
}

/** The elements inside a panel (none for any other element). */
export function panelChildren(element: ElementJson): unknown[] {
  const key = panelElementsKey(element);
  return key ? (element[key] as unknown[]) : [];
}

function findInside(elements: unknown[], name: string): number[] | null {
  for (let i = 0; i < elements.length; i++) {
    const element = elements[i];
    if (!isRecord(element)) continue;
    if (element.name === name) return [i];
    const inside = findInside(panelChildren(element), name);
    if (inside) return [i, ...inside];
  }
  return null;
}

export function findElement(model: BuilderModel, name: string): ElementPosition | null {
  for (let page = 0; page < model.pages.length; page++) {
    const found = findInside(model.pages[page].elements, name);
    if (found) return { page, index: found[0], path: found.slice(1) };
  }
  return null;
}

export function elementAt(model: BuilderModel, at: ElementPosition): ElementJson {
  let element = model.pages[at.page].elements[at.index];
  for (const i of at.path) element = panelChildren(element)[i] as ElementJson;
  return element;
}

/** Replaces (or, when `update` returns null, removes) the element at a position, panels on the way copied. */
export function updateElementAt(model: BuilderModel, at: ElementPosition, update: (element: ElementJson) => ElementJson | null): BuilderPage[] {
  const within = (elements: unknown[], path: number[]): unknown[] => {
    const [head, ...rest] = path;
    if (rest.length === 0) {
      const next = update(elements[head] as ElementJson);
      return next === null ? elements.filter((_, i) => i !== head) : elements.map((e, i) => (i === head ? next : e));
    }
    return elements.map((e, i) => {
      if (i !== head || !isRecord(e)) return e;
      const key = panelElementsKey(e);
      return key ? { ...e, [key]: within(e[key] as unknown[], rest) } : e;
    });
  };
  return model.pages.map((page, p) => (p !== at.page ? page : { ...page, elements: within(page.elements, [at.index, ...at.path]) as ElementJson[] }));
}

/** One element in respondent order, with the panels it sits in (outermost first). */
export type OrderedElement = { element: ElementJson; page: number; panels: ElementJson[] };

/**
 * Every element in the order a respondent meets them, descending into panels: a panel comes just
 * before its own elements. What the logic checks and the structure list read.
 */
export function questionsInOrder(model: BuilderModel): OrderedElement[] {
  const found: OrderedElement[] = [];
  const walk = (elements: unknown[], page: number, panels: ElementJson[]) => {
    for (const element of elements) {
      if (!isRecord(element)) continue;
      found.push({ element, page, panels });
      if (panelElementsKey(element)) walk(panelChildren(element), page, [...panels, element]);
    }
  };
  model.pages.forEach((page, p) => walk(page.elements, p, []));
  return found;
}

/**
 * Every named question anywhere (inside panels too), with the multiple-text items' metadata, as
 * flat records: what the measurement guards and the logic checks read.
 */
export function allQuestionElements(model: BuilderModel): ElementJson[] {
  const found: ElementJson[] = [];
  const walk = (elements: unknown) => {
    if (!Array.isArray(elements)) return;
    for (const element of elements) {
      if (!isRecord(element)) continue;
      if (element.type === "panel" || element.type === "paneldynamic") {
        walk(element.elements ?? element.templateElements ?? element.questions);
        if (element.type === "panel") continue;
      }
      found.push(element);
    }
  };
  for (const page of model.pages) walk(page.elements);
  return found;
}

/** A question name not yet used anywhere in the survey: "<base>1", "<base>2"… */
export function freshName(model: BuilderModel, base: string): string {
  const used = new Set([...allQuestionElements(model), ...questionsInOrder(model).map((e) => e.element)].map((e) => e.name));
  for (const page of model.pages) used.add(page.props.name);
  for (let n = 1; ; n++) if (!used.has(`${base}${n}`)) return `${base}${n}`;
}
