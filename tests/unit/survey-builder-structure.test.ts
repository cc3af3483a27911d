// The builder's page conditions (a whole page skipped unless its condition holds) and panels
// (questions inside a SurveyJS panel edited like any other, the panel's title in both languages).
import { describe, expect, it } from "vitest";
import { validateSurveyDefinition } from "~/survey/definition-validation";
import { elementAt, findElement, freshName, modelFromJson, modelToJson, questionsInOrder, type BuilderModel } from "~/survey/builder/document";
import { earlierQuestions, logicProblems, questionsBeforePage, unreachableQuestions } from "~/survey/builder/logic";
import {
  addPage,
  addPlainQuestion,
  movePage,
  moveQuestion,
  moveQuestionTo,
  removeQuestion,
  setCondition,
  setRequired,
  setText,
  targetCondition,
  type EditResult,
} from "~/survey/builder/operations";
import { record, startHistory, undo, redo } from "~/survey/builder/history";
import type { SurveyJson, SurveyTouchpoint } from "~/survey/types";

const touchpoint: SurveyTouchpoint = {
  key: "branch_visit",
  name: "Visita a la sucursal",
  attributes: [{ key: "waiting_time", label: { es: "Tiempo de espera", en: "Waiting time" }, servqual: "responsiveness" }],
};

function ok(result: EditResult): BuilderModel {
  if (!result.ok) throw new Error(`refused: ${result.refusal.code} ${JSON.stringify(result.refusal.params)}`);
  return result.model;
}

/** Page 1: a rating and a yes/no; page 2: a text; page 3: a long text. */
function threePages(): BuilderModel {
  let model = modelFromJson({ title: { default: "T", es: "T" }, locale: "es", pages: [{ name: "page1", elements: [] }] });
  model = ok(addPlainQuestion(model, touchpoint, 0, "rating"));
  model = ok(addPlainQuestion(model, touchpoint, 0, "boolean"));
  model = ok(addPage(model, touchpoint));
  model = ok(addPlainQuestion(model, touchpoint, 1, "text"));
  model = ok(addPage(model, touchpoint));
  return ok(addPlainQuestion(model, touchpoint, 2, "comment"));
}

type PageJson = { name?: string; visibleIf?: string; elements: Record<string, unknown>[] };
const pagesOf = (json: SurveyJson) => json.pages as PageJson[];

const detractors = { join: "and" as const, clauses: [{ question: "question1", operator: "<=" as const, value: 2 }] };

describe("page conditions", () => {
  it("sets a page's condition on a question of an earlier page, reads it back and clears it", () => {
    const model = ok(setCondition(threePages(), touchpoint, { on: "page", page: 2 }, detractors));
    expect(pagesOf(modelToJson(model))[2]).toMatchObject({ name: "page3", visibleIf: "{question1} <= 2" });
    expect(targetCondition(model, { on: "page", page: 2 })).toEqual(detractors);
    expect(targetCondition(model, { on: "page", page: 1 })).toEqual({ join: "and", clauses: [] });
    expect(validateSurveyDefinition(modelToJson(model), touchpoint)).toEqual({ ok: true });
    const cleared = ok(setCondition(model, touchpoint, { on: "page", page: 2 }, { join: "and", clauses: [] }));
    expect(cleared.pages[2].props).toEqual({ name: "page3" });
  });

  it("offers only the questions of earlier pages, and refuses a question of the same or a later page", () => {
    const model = threePages();
    expect(questionsBeforePage(model, 0)).toEqual([]);
    expect(questionsBeforePage(model, 2).map((e) => e.name)).toEqual(["question1", "question2", "question3"]);
    const samePage = setCondition(model, touchpoint, { on: "page", page: 1 }, { join: "and", clauses: [{ question: "question3", operator: "notempty", value: null }] });
    expect(samePage).toEqual({
      ok: false,
      refusal: { code: "page_condition_later_question", params: { question: "page2", refers: "question3", page: "2" } },
    });
    const later = setCondition(model, touchpoint, { on: "page", page: 0 }, { join: "and", clauses: [{ question: "question4", operator: "notempty", value: null }] });
    expect(later).toMatchObject({ ok: false, refusal: { code: "page_condition_later_question", params: { page: "1" } } });
    const unknown = setCondition(model, touchpoint, { on: "page", page: 1 }, { join: "and", clauses: [{ question: "nope", operator: "notempty", value: null }] });
    expect(unknown).toMatchObject({ ok: false, refusal: { code: "page_condition_unknown_question", params: { refers: "nope", page: "2" } } });
  });

  it("refuses moving the page, or the question it depends on, so that the condition would look forward", () => {
    const model = ok(setCondition(threePages(), touchpoint, { on: "page", page: 2 }, { join: "and", clauses: [{ question: "question3", operator: "notempty", value: null }] }));
    expect(movePage(model, touchpoint, 2, -1)).toMatchObject({ ok: false, refusal: { code: "page_condition_later_question" } });
    expect(moveQuestion(model, touchpoint, "question3", 1)).toMatchObject({ ok: false, refusal: { code: "page_condition_later_question" } });
    expect(removeQuestion(model, touchpoint, "question3")).toMatchObject({ ok: false, refusal: { code: "question_in_condition", params: { refers: "page3" } } });
    // Swapping the pages before it, or adding one, leaves the condition looking back.
    expect(ok(movePage(model, touchpoint, 0, 1)).pages.map((p) => p.props.name)).toEqual(["page2", "page1", "page3"]);
    expect(ok(addPage(model, touchpoint, 0)).pages).toHaveLength(4);
  });

  it("flags every question of a page whose condition no answer can meet, and those depending on them", () => {
    let model = ok(setCondition(threePages(), touchpoint, { on: "page", page: 1 }, { join: "and", clauses: [{ question: "question1", operator: "=", value: 9 }] }));
    expect([...unreachableQuestions(model)]).toEqual(["question3"]);
    // A later page shown only when the unreachable question was answered cannot be reached either.
    model = ok(setCondition(model, touchpoint, { on: "page", page: 2 }, { join: "and", clauses: [{ question: "question3", operator: "notempty", value: null }] }));
    expect([...unreachableQuestions(model)]).toEqual(["question3", "question4"]);
    model = ok(setCondition(model, touchpoint, { on: "page", page: 1 }, { join: "and", clauses: [{ question: "question2", operator: "=", value: true }] }));
    expect([...unreachableQuestions(model)]).toEqual([]);
    expect(logicProblems(model)).toEqual([]);
  });

  it("undoes and redoes a page condition", () => {
    const before = threePages();
    const after = ok(setCondition(before, touchpoint, { on: "page", page: 2 }, detractors));
    const history = record(startHistory(before), after, "condition:page:2");
    expect(undo(history).present.pages[2].props.visibleIf).toBeUndefined();
    expect(redo(undo(history)).present.pages[2].props.visibleIf).toBe("{question1} <= 2");
  });
});

const withPanel: SurveyJson = {
  title: { default: "Visit", es: "Visita" },
  pages: [
    {
      name: "page1",
      elements: [
        { type: "rating", name: "score", title: { default: "Score", es: "Puntuación" }, rateMin: 1, rateMax: 5 },
        {
          type: "panel",
          name: "details",
          title: { default: "Details", es: "Detalles" },
          elements: [
            { type: "comment", name: "why", title: { default: "Why?", es: "¿Por qué?" } },
            { type: "panel", name: "inner", questions: [{ type: "boolean", name: "again", title: "Again?" }] },
          ],
        },
      ],
    },
    { name: "page2", elements: [{ type: "text", name: "email", title: { default: "Email", es: "Correo" } }] },
  ],
};

describe("panels", () => {
  it("finds questions inside panels, nested ones and legacy `questions` lists included, in respondent order", () => {
    const model = modelFromJson(structuredClone(withPanel));
    expect(findElement(model, "why")).toEqual({ page: 0, index: 1, path: [0] });
    expect(findElement(model, "again")).toEqual({ page: 0, index: 1, path: [1, 0] });
    expect(elementAt(model, findElement(model, "again")!).title).toBe("Again?");
    expect(questionsInOrder(model).map((e) => [e.element.name, e.panels.map((p) => p.name)])).toEqual([
      ["score", []],
      ["details", []],
      ["why", ["details"]],
      ["inner", ["details"]],
      ["again", ["details", "inner"]],
      ["email", []],
    ]);
    expect(freshName(modelFromJson({ elements: [{ type: "panel", name: "question1", elements: [] }] }), "question")).toBe("question2");
    expect(modelToJson(model)).toStrictEqual(withPanel);
  });

  it("edits a question inside a panel like any other — texts in both languages, required, condition — and the panel's title", () => {
    let model = modelFromJson(structuredClone(withPanel));
    model = ok(setText(model, touchpoint, { on: "question", name: "why" }, "title", "en", "Why that score?"));
    model = ok(setRequired(model, touchpoint, "again", true));
    model = ok(setCondition(model, touchpoint, { on: "question", name: "why" }, { join: "and", clauses: [{ question: "score", operator: "<=", value: 2 }] }));
    model = ok(setText(model, touchpoint, { on: "question", name: "details" }, "title", "es", "Más detalles"));
    const json = modelToJson(model);
    const panel = pagesOf(json)[0].elements[1] as { title: unknown; elements: Record<string, unknown>[] };
    expect(panel.title).toEqual({ default: "Details", es: "Más detalles" });
    expect(panel.elements[0]).toEqual({ type: "comment", name: "why", title: { default: "Why that score?", es: "¿Por qué?" }, visibleIf: "{score} <= 2" });
    expect((panel.elements[1] as { questions: unknown[] }).questions[0]).toMatchObject({ name: "again", isRequired: true });
    // The input is untouched and the rest of the survey is as it was.
    expect(pagesOf(withPanel)[0].elements[1]).toMatchObject({ title: { default: "Details", es: "Detalles" } });
    expect(pagesOf(json)[1]).toEqual(pagesOf(withPanel)[1]);
    expect(validateSurveyDefinition(json, touchpoint)).toEqual({ ok: true });
  });

  it("checks the order of conditions through panels", () => {
    const model = modelFromJson(structuredClone(withPanel));
    expect(earlierQuestions(model, "again").map((e) => e.name)).toEqual(["score", "why"]);
    expect(earlierQuestions(model, "details").map((e) => e.name)).toEqual(["score"]);
    // A question after the panel may depend on one inside it; the panel may not depend on its own question.
    ok(setCondition(model, touchpoint, { on: "question", name: "email" }, { join: "and", clauses: [{ question: "again", operator: "=", value: true }] }));
    ok(setCondition(model, touchpoint, { on: "page", page: 1 }, { join: "and", clauses: [{ question: "why", operator: "notempty", value: null }] }));
    expect(setCondition(model, touchpoint, { on: "question", name: "details" }, { join: "and", clauses: [{ question: "why", operator: "notempty", value: null }] })).toMatchObject({
      ok: false,
      refusal: { code: "condition_later_question", params: { question: "details", refers: "why" } },
    });
    expect(setCondition(model, touchpoint, { on: "question", name: "score" }, { join: "and", clauses: [{ question: "why", operator: "notempty", value: null }] })).toMatchObject({
      ok: false,
      refusal: { code: "condition_later_question" },
    });
  });

  it("flags the questions of a panel no answer can show", () => {
    const model = ok(
      setCondition(modelFromJson(structuredClone(withPanel)), touchpoint, { on: "question", name: "details" }, { join: "and", clauses: [{ question: "score", operator: ">", value: 5 }] }),
    );
    expect([...unreachableQuestions(model)]).toEqual(["why", "again"]);
  });

  it("keeps questions in their panel, and removes a panel only once it is empty", () => {
    const model = modelFromJson(structuredClone(withPanel));
    expect(moveQuestion(model, touchpoint, "why", -1)).toEqual({ ok: false, refusal: { code: "question_in_panel", params: { question: "why" } } });
    expect(moveQuestionTo(model, touchpoint, "again", 1, 0)).toMatchObject({ ok: false, refusal: { code: "question_in_panel" } });
    expect(removeQuestion(model, touchpoint, "details")).toEqual({ ok: false, refusal: { code: "panel_not_empty", params: { question: "details" } } });
    let emptied = ok(removeQuestion(model, touchpoint, "again"));
    expect(findElement(emptied, "inner")).toEqual({ page: 0, index: 1, path: [1] });
    emptied = ok(removeQuestion(emptied, touchpoint, "inner"));
    emptied = ok(removeQuestion(emptied, touchpoint, "why"));
    emptied = ok(removeQuestion(emptied, touchpoint, "details"));
    expect(emptied.pages[0].elements.map((e) => e.name)).toEqual(["score"]);
    // The panel itself moves as one block.
    expect(ok(moveQuestion(model, touchpoint, "details", -1)).pages[0].elements.map((e) => e.name)).toEqual(["details", "score"]);
  });
});
