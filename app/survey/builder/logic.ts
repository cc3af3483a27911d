// Display and skip logic as the builder writes it: a condition is a list of clauses (question,
// operator, value) joined by "and" or "or", stored as a SurveyJS visibleIf expression. Only the
// expressions this module writes are read back as clauses; any other expression (written by hand
// or pasted) is kept as text and reported as such, never rewritten.
import { panelElementsKey, questionsInOrder, type BuilderModel, type ElementJson, type OrderedElement } from "./document";

export const OPERATORS = ["=", "<>", ">", ">=", "<", "<=", "contains", "notcontains", "notempty", "empty"] as const;
export type Operator = (typeof OPERATORS)[number];
/** Operators that take no value. */
export const UNARY_OPERATORS: readonly Operator[] = ["notempty", "empty"];

export type ClauseValue = string | number | boolean;
export type Clause = { question: string; operator: Operator; value: ClauseValue | null };
export type Condition = { join: "and" | "or"; clauses: Clause[] };

function valueText(value: ClauseValue | null): string {
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return `'${String(value ?? "").replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
}

/** The SurveyJS expression for a condition; "" for no clauses. */
export function conditionToExpression(condition: Condition): string {
  return condition.clauses
    .map((c) => (UNARY_OPERATORS.includes(c.operator) ? `{${c.question}} ${c.operator}` : `{${c.question}} ${c.operator} ${valueText(c.value)}`))
    .join(` ${condition.join} `);
}

const CLAUSE = /^\{([A-Za-z0-9_.-]+)\} (=|<>|>=|<=|>|<|contains|notcontains|notempty|empty)(?: (-?\d+(?:\.\d+)?|true|false|'(?:[^'\\]|\\.)*'))?$/;

function parseValue(text: string | undefined): ClauseValue | null {
  if (text === undefined) return null;
  if (text === "true" || text === "false") return text === "true";
  if (text.startsWith("'")) return text.slice(1, -1).replace(/\\(.)/g, "$1");
  return Number(text);
}

/** The clauses of an expression the builder wrote, or null when it is some other expression. */
export function parseCondition(expression: string): Condition | null {
  const text = expression.trim();
  if (text === "") return { join: "and", clauses: [] };
  // Split outside quoted values only.
  const parts: string[] = [];
  const joins = new Set<string>();
  let current = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === "\\" && quoted) {
      current += ch + (text[i + 1] ?? "");
      i++;
      continue;
    }
    if (ch === "'") quoted = !quoted;
    const rest = text.slice(i);
    const join = !quoted && /^ (and|or) /.exec(rest);
    if (join) {
      parts.push(current);
      joins.add(join[1]);
      current = "";
      i += join[0].length - 1;
      continue;
    }
    current += ch;
  }
  parts.push(current);
  if (joins.size > 1) return null;
  const clauses: Clause[] = [];
  for (const part of parts) {
    const match = CLAUSE.exec(part.trim());
    if (!match) return null;
    const operator = match[2] as Operator;
    const unary = UNARY_OPERATORS.includes(operator);
    if (unary !== (match[3] === undefined)) return null;
    clauses.push({ question: match[1], operator, value: parseValue(match[3]) });
  }
  return { join: joins.has("or") ? "or" : "and", clauses };
}

export type LogicProblem =
  | { code: "condition_unknown_question"; question: string; refers: string }
  | { code: "condition_later_question"; question: string; refers: string }
  | { code: "condition_self"; question: string; refers: string }
  | { code: "page_condition_unknown_question"; question: string; refers: string; page: number }
  | { code: "page_condition_later_question"; question: string; refers: string; page: number };

const isPanel = (element: ElementJson) => panelElementsKey(element) !== null;

/**
 * Each element in respondent order with its position: questions count one each; a panel takes the
 * position of its first question, since its condition is decided before any of them is shown.
 */
function positioned(model: BuilderModel): (OrderedElement & { position: number })[] {
  let position = 0;
  return questionsInOrder(model).map((entry) => ({ ...entry, position: isPanel(entry.element) ? position : position++ }));
}

function conditionOf(element: ElementJson): Condition | null {
  return typeof element.visibleIf === "string" ? parseCondition(element.visibleIf) : null;
}

/**
 * Conditions must look back: a question shown depending on a later answer would be decided before
 * that answer exists. Checked for every builder-written condition of questions, panels and pages;
 * a page's condition may only name questions of earlier pages.
 */
export function logicProblems(model: BuilderModel): LogicProblem[] {
  const entries = positioned(model);
  const order = new Map<string, number>();
  for (const { element, position } of entries) if (typeof element.name === "string" && !isPanel(element)) order.set(element.name, position);
  const problems: LogicProblem[] = [];
  const check = (owner: string, position: number, condition: Condition | null, self: boolean) => {
    for (const clause of condition?.clauses ?? []) {
      const refers = clause.question.split(".")[0];
      const at = order.get(refers);
      if (at === undefined) problems.push({ code: "condition_unknown_question", question: owner, refers });
      else if (self && refers === owner) problems.push({ code: "condition_self", question: owner, refers });
      else if (at >= position) problems.push({ code: "condition_later_question", question: owner, refers });
    }
  };
  model.pages.forEach((page, p) => {
    const first = entries.find((e) => e.page >= p)?.position ?? order.size;
    const condition = typeof page.props.visibleIf === "string" ? parseCondition(page.props.visibleIf) : null;
    for (const clause of condition?.clauses ?? []) {
      const refers = clause.question.split(".")[0];
      const at = order.get(refers);
      const question = String(page.props.name ?? "");
      if (at === undefined) problems.push({ code: "page_condition_unknown_question", question, refers, page: p + 1 });
      else if (at >= first) problems.push({ code: "page_condition_later_question", question, refers, page: p + 1 });
    }
  });
  for (const { element, position } of entries) check(String(element.name ?? ""), position, conditionOf(element), !isPanel(element));
  return problems;
}

/** The answers a question can take when they are few and known, or null (free text, numbers…). */
export function answerDomain(element: ElementJson): ClauseValue[] | null {
  switch (element.type) {
    case "rating": {
      if (Array.isArray(element.rateValues) && element.rateValues.length > 0) {
        return element.rateValues.map((v) => (typeof v === "object" && v !== null ? (v as { value: ClauseValue }).value : (v as ClauseValue)));
      }
      const min = typeof element.rateMin === "number" ? element.rateMin : 1;
      const step = typeof element.rateStep === "number" && element.rateStep > 0 ? element.rateStep : 1;
      const max = typeof element.rateMax === "number" ? element.rateMax : typeof element.rateCount === "number" ? min + (element.rateCount - 1) * step : 5;
      const values: number[] = [];
      for (let v = min; v <= max && values.length < 1000; v += step) values.push(v);
      return values;
    }
    case "boolean":
      return [element.valueTrue ?? true, element.valueFalse ?? false] as ClauseValue[];
    case "radiogroup":
    case "dropdown": {
      if (!Array.isArray(element.choices)) return null;
      const values = element.choices.map((c) => (typeof c === "object" && c !== null ? (c as { value: ClauseValue }).value : (c as ClauseValue)));
      return element.showOtherItem || element.hasOther ? null : values;
    }
    default:
      return null;
  }
}

function satisfies(answer: ClauseValue, operator: Operator, value: ClauseValue | null): boolean {
  const a = answer;
  switch (operator) {
    case "=":
      return String(a) === String(value);
    case "<>":
      return String(a) !== String(value);
    case ">":
      return Number(a) > Number(value);
    case ">=":
      return Number(a) >= Number(value);
    case "<":
      return Number(a) < Number(value);
    case "<=":
      return Number(a) <= Number(value);
    default:
      return true;
  }
}

/**
 * Questions no respondent can reach: their condition (or their page's) cannot be met by any answer
 * the questions it refers to can take — a rating 1–7 asked to equal 9, two different values of one
 * question required at once — or refers only to questions that are themselves unreachable.
 * Conservative: an expression it cannot read, or free-text answers, count as reachable.
 */
export function unreachableQuestions(model: BuilderModel): Set<string> {
  const unreachable = new Set<string>();
  const entries = questionsInOrder(model);
  const elements = new Map<string, ElementJson>();
  for (const { element } of entries) if (typeof element.name === "string" && !isPanel(element)) elements.set(element.name, element);
  const clauseCanHold = (clause: Clause): boolean => {
    const name = clause.question.split(".")[0];
    const target = elements.get(name);
    if (!target) return false;
    if (unreachable.has(name)) return clause.operator === "empty" || clause.operator === "<>" || clause.operator === "notcontains";
    return true;
  };
  const possible = (condition: Condition | null): boolean => {
    if (condition === null || condition.clauses.length === 0) return true;
    if (condition.join === "or") {
      return condition.clauses.some((clause) => clauseCanHold(clause) && domainAllows([clause]));
    }
    if (!condition.clauses.every(clauseCanHold)) return false;
    // All clauses at once: per question, some answer must satisfy every clause on it.
    const byQuestion = new Map<string, Clause[]>();
    for (const clause of condition.clauses) byQuestion.set(clause.question, [...(byQuestion.get(clause.question) ?? []), clause]);
    return [...byQuestion.values()].every(domainAllows);
  };
  const domainAllows = (clauses: Clause[]): boolean => {
    const target = elements.get(clauses[0].question);
    const domain = target ? answerDomain(target) : null;
    if (domain === null || unreachable.has(clauses[0].question)) return true;
    const comparing = clauses.filter((c) => !["notempty", "empty", "contains", "notcontains"].includes(c.operator));
    if (comparing.length === 0) return true;
    return domain.some((answer) => comparing.every((c) => satisfies(answer, c.operator, c.value)));
  };

  // In respondent order, so that a condition on an unreachable question is judged with it known.
  const pageReachable = new Map<number, boolean>();
  const pageCanShow = (p: number) => {
    if (!pageReachable.has(p)) pageReachable.set(p, possible(conditionOf(model.pages[p].props)));
    return pageReachable.get(p) === true;
  };
  const panelReachable = new Map<ElementJson, boolean>();
  for (const { element, page, panels } of entries) {
    const reachable = pageCanShow(page) && panels.every((panel) => panelReachable.get(panel) !== false) && possible(conditionOf(element));
    if (isPanel(element)) panelReachable.set(element, reachable);
    else if (typeof element.name === "string" && !reachable) unreachable.add(element.name);
  }
  return unreachable;
}

/** Questions a condition may name: named, with an answer (not a panel or a text block). */
const answerable = (element: ElementJson) => typeof element.name === "string" && element.type !== "html" && !isPanel(element);

/** The questions a condition on `name` (a question or a panel) may refer to: the ones before it, in respondent order. */
export function earlierQuestions(model: BuilderModel, name: string): ElementJson[] {
  const entries = questionsInOrder(model);
  const at = entries.findIndex((e) => e.element.name === name);
  if (at < 0) return [];
  return entries.slice(0, at).map((e) => e.element).filter(answerable);
}

/** The questions a page's condition may refer to: those of the pages before it. */
export function questionsBeforePage(model: BuilderModel, page: number): ElementJson[] {
  return questionsInOrder(model)
    .filter((e) => e.page < page)
    .map((e) => e.element)
    .filter(answerable);
}
