// The survey builder's pure functions: the model round trip, every edit, the measurement guards,
// the condition builder's expressions, order checks and reachability, and the bilingual texts.
import { describe, expect, it } from "vitest";
import { validateSurveyDefinition } from "~/survey/definition-validation";
import { modelFromJson, modelToJson, type BuilderModel } from "~/survey/builder/document";
import { measurementProblems } from "~/survey/builder/guards";
import { conditionToExpression, logicProblems, parseCondition, unreachableQuestions } from "~/survey/builder/logic";
import {
  addBlock,
  addChoice,
  addPage,
  addPlainQuestion,
  moveQuestion,
  moveQuestionTo,
  removePage,
  removeQuestion,
  setCondition,
  setRequired,
  setReverseCoded,
  setText,
  type EditResult,
} from "~/survey/builder/operations";
import { record, redo, startHistory, undo } from "~/survey/builder/history";
import { fillPlaceholders, insertPlaceholder, missingLanguages, readText, writeText } from "~/survey/builder/text";
import { SURVEY_TEMPLATES, buildSurvey } from "~/survey/templates";
import type { SurveyJson, SurveyTouchpoint } from "~/survey/types";

const touchpoint: SurveyTouchpoint = {
  key: "branch_visit",
  name: "Visita a la sucursal",
  attributes: [
    { key: "waiting_time", label: { es: "Tiempo de espera", en: "Waiting time" }, servqual: "responsiveness" },
    { key: "staff_courtesy", label: { es: "Cortesía del personal", en: "Staff courtesy" }, servqual: "assurance" },
  ],
};

const ALL_BLOCKS = { nps: true, csat: true, ces: true, importance: true, comment: true } as const;

function ok(result: EditResult): BuilderModel {
  if (!result.ok) throw new Error(`refused: ${result.refusal.code} ${JSON.stringify(result.refusal.params)}`);
  return result.model;
}

function names(model: BuilderModel): string[][] {
  return model.pages.map((p) => p.elements.map((e) => String(e.name)));
}

const empty = (): BuilderModel => modelFromJson({ title: { default: "T", es: "T" }, locale: "es", pages: [{ name: "page1", elements: [] }] });

describe("round trip", () => {
  it("gives back every template exactly, with and without the optional blocks", () => {
    for (const template of SURVEY_TEMPLATES) {
      for (const blocks of [{}, ALL_BLOCKS]) {
        const json = buildSurvey(touchpoint, { template, ...blocks });
        const copy = structuredClone(json);
        expect(modelToJson(modelFromJson(json))).toStrictEqual(copy);
        expect(json).toStrictEqual(copy); // the input is not touched
      }
    }
  });

  it("keeps a pasted definition's top-level elements, legacy questions, unknown types and extra properties", () => {
    const pasted: SurveyJson = {
      completedHtml: "<p>ok</p>",
      elements: [
        { type: "matrix", name: "m", columns: [1, 2], rows: ["a"] },
        { type: "signaturepad", name: "sig", customThing: { x: 1 } },
      ],
    };
    expect(modelToJson(modelFromJson(pasted))).toStrictEqual(pasted);
    const legacy: SurveyJson = { pages: [{ name: "p", questions: [{ type: "text", name: "q" }] }] };
    expect(modelToJson(modelFromJson(legacy))).toStrictEqual(legacy);
    const model = modelFromJson(pasted);
    const edited = ok(addPlainQuestion(model, touchpoint, 0, "text"));
    expect(modelToJson(edited).elements).toEqual([...(pasted.elements as unknown[]), expect.objectContaining({ type: "text", name: "question1" })]);
  });
});

describe("adding, removing and moving", () => {
  it("adds plain questions with fresh names in both languages, and a valid survey results", () => {
    let model = empty();
    for (const type of ["radiogroup", "checkbox", "rating", "text", "boolean"] as const) model = ok(addPlainQuestion(model, touchpoint, 0, type));
    expect(names(model)).toEqual([["question1", "question2", "question3", "question4", "question5"]]);
    expect(model.pages[0].elements[0].choices).toHaveLength(2);
    expect(missingLanguages(model.pages[0].elements[0].title)).toEqual([]);
    expect(validateSurveyDefinition(modelToJson(model), touchpoint)).toEqual({ ok: true });
  });

  it("adds measurement blocks bound to the touchpoint's attributes, and refuses others and duplicates", () => {
    let model = ok(addBlock(empty(), touchpoint, 0, { block: "gap_pair", attribute: "waiting_time" }));
    expect(names(model)).toEqual([["waiting_time__expectation", "waiting_time__perception"]]);
    expect(model.pages[0].elements[1]).toMatchObject({ vivMeasure: "perception", vivAttribute: "waiting_time", vivDimension: "responsiveness", rateMin: 1, rateMax: 7 });
    model = ok(addBlock(model, touchpoint, 0, { block: "nps" }));
    model = ok(addBlock(model, touchpoint, 0, { block: "comment" }));
    model = ok(addBlock(model, touchpoint, 0, { block: "zone_of_tolerance", attribute: "staff_courtesy" }));
    model = ok(addBlock(model, touchpoint, 0, { block: "importance", attribute: "waiting_time" }));
    expect(validateSurveyDefinition(modelToJson(model), touchpoint)).toEqual({ ok: true });

    expect(addBlock(model, touchpoint, 0, { block: "gap_pair", attribute: "parking" })).toEqual({
      ok: false,
      refusal: { code: "unknown_attribute", params: { attribute: "parking" } },
    });
    const again = addBlock(model, touchpoint, 0, { block: "gap_pair", attribute: "waiting_time" });
    expect(again.ok ? null : again.refusal.code).toBe("duplicate_measure");
    const nps = addBlock(model, touchpoint, 0, { block: "nps" });
    expect(nps.ok ? null : nps.refusal).toEqual({ code: "duplicate_measure", params: { attribute: "", kind: "nps" } });
  });

  it("adds whole instruments as pages", () => {
    const model = ok(addBlock(empty(), touchpoint, 0, { block: "brand_experience" }));
    expect(model.pages.map((p) => p.props.name)).toEqual(["page1", "brand_experience_1", "brand_experience_2"]);
    const servqual = ok(addBlock(empty(), touchpoint, 0, { block: "servqual" }));
    expect(servqual.pages).toHaveLength(12);
    expect(validateSurveyDefinition(modelToJson(servqual), touchpoint)).toEqual({ ok: true });
  });

  it("moves questions up and down, across page edges, and to a dropped position", () => {
    let model = ok(addPage(empty(), touchpoint));
    for (let i = 0; i < 3; i++) model = ok(addPlainQuestion(model, touchpoint, 0, "text"));
    model = ok(moveQuestion(model, touchpoint, "question1", 1));
    expect(names(model)).toEqual([["question2", "question1", "question3"], []]);
    model = ok(moveQuestion(model, touchpoint, "question3", 1));
    expect(names(model)).toEqual([["question2", "question1"], ["question3"]]);
    model = ok(moveQuestion(model, touchpoint, "question3", -1));
    expect(names(model)).toEqual([["question2", "question1", "question3"], []]);
    expect(moveQuestion(model, touchpoint, "question2", -1)).toEqual({ ok: false, refusal: { code: "cannot_move", params: {} } });
    model = ok(moveQuestionTo(model, touchpoint, "question3", 0, 0));
    expect(names(model)).toEqual([["question3", "question2", "question1"], []]);
  });

  it("removes questions and empty pages, never the last page or a page with questions", () => {
    let model = ok(addPlainQuestion(empty(), touchpoint, 0, "text"));
    model = ok(addPage(model, touchpoint));
    expect(removePage(model, touchpoint, 0)).toMatchObject({ ok: false, refusal: { code: "page_not_empty" } });
    model = ok(removePage(model, touchpoint, 1));
    expect(removePage(model, touchpoint, 0)).toMatchObject({ ok: false, refusal: { code: "page_not_empty" } });
    model = ok(removeQuestion(model, touchpoint, "question1"));
    expect(removePage(model, touchpoint, 0)).toMatchObject({ ok: false, refusal: { code: "last_page" } });
  });
});

describe("measurement guards", () => {
  const gapPair = () => ok(addBlock(empty(), touchpoint, 0, { block: "gap_pair", attribute: "waiting_time" }));

  it("refuses removing the expectation a perception is compared with, but removes the perception", () => {
    const model = gapPair();
    expect(removeQuestion(model, touchpoint, "waiting_time__expectation")).toEqual({
      ok: false,
      refusal: { code: "missing_expectation", params: { attribute: "waiting_time" } },
    });
    const left = ok(removeQuestion(model, touchpoint, "waiting_time__perception"));
    expect(names(left)).toEqual([["waiting_time__expectation"]]);
  });

  it("keeps a zone of tolerance whole", () => {
    const model = ok(addBlock(empty(), touchpoint, 0, { block: "zone_of_tolerance", attribute: "waiting_time" }));
    expect(removeQuestion(model, touchpoint, "waiting_time__desired")).toMatchObject({ ok: false, refusal: { code: "zone_incomplete" } });
  });

  it("refuses dropping the reverse-coding flag of a negatively worded Brand Experience item, or adding one elsewhere", () => {
    const model = ok(addBlock(empty(), touchpoint, 0, { block: "brand_experience" }));
    expect(setReverseCoded(model, touchpoint, "bes_sensory_3__bx_sensory", false)).toEqual({
      ok: false,
      refusal: { code: "reverse_flag_missing", params: { question: "bes_sensory_3__bx_sensory" } },
    });
    expect(setReverseCoded(model, touchpoint, "bes_sensory_1__bx_sensory", true)).toMatchObject({ ok: false, refusal: { code: "reverse_not_allowed" } });
    const nps = ok(addBlock(empty(), touchpoint, 0, { block: "nps" }));
    expect(setReverseCoded(nps, touchpoint, "nps", true)).toMatchObject({ ok: false, refusal: { code: "reverse_not_allowed" } });
    // An attribute item may be worded negatively by the designer.
    expect(setReverseCoded(gapPair(), touchpoint, "waiting_time__perception", true).ok).toBe(true);
  });

  it("finds problems a pasted definition brings, and lets unrelated edits through", () => {
    const pasted = modelFromJson({
      pages: [{ name: "p", elements: [{ type: "rating", name: "x", rateMin: 1, rateMax: 7, vivMeasure: "perception", vivAttribute: "parking" }] }],
    });
    expect(measurementProblems(pasted, touchpoint).map((p) => p.code)).toEqual(["foreign_attribute", "missing_expectation"]);
    expect(ok(setRequired(pasted, touchpoint, "x", true)).pages[0].elements[0].isRequired).toBe(true);
  });
});

describe("conditions", () => {
  const survey = () => {
    let model = ok(addPlainQuestion(empty(), touchpoint, 0, "rating"));
    model = ok(addPlainQuestion(model, touchpoint, 0, "radiogroup"));
    model = ok(addPage(model, touchpoint));
    return ok(addPlainQuestion(model, touchpoint, 1, "text"));
  };

  it("writes and reads back SurveyJS expressions, and leaves other expressions alone", () => {
    const condition = { join: "and" as const, clauses: [{ question: "q1", operator: "<=" as const, value: 3 }, { question: "q2", operator: "=" as const, value: "it's" }] };
    const expression = conditionToExpression(condition);
    expect(expression).toBe("{q1} <= 3 and {q2} = 'it\\'s'");
    expect(parseCondition(expression)).toEqual(condition);
    expect(parseCondition("{a} notempty or {b} = true")).toEqual({
      join: "or",
      clauses: [{ question: "a", operator: "notempty", value: null }, { question: "b", operator: "=", value: true }],
    });
    expect(parseCondition("{a} = 1 and {b} = 2 or {c} = 3")).toBeNull();
    expect(parseCondition("age({birth}) > 18")).toBeNull();
    expect(parseCondition("{q} = 'a and b'")).toEqual({ join: "and", clauses: [{ question: "q", operator: "=", value: "a and b" }] });
  });

  it("sets a skip condition on an earlier question and refuses one on a later question or itself", () => {
    const model = survey();
    const shown = ok(setCondition(model, touchpoint, { on: "question", name: "question3" }, { join: "and", clauses: [{ question: "question1", operator: "<=", value: 2 }] }));
    expect(shown.pages[1].elements[0].visibleIf).toBe("{question1} <= 2");
    expect(setCondition(model, touchpoint, { on: "question", name: "question1" }, { join: "and", clauses: [{ question: "question3", operator: "notempty", value: null }] })).toEqual({
      ok: false,
      refusal: { code: "condition_later_question", params: { question: "question1", refers: "question3" } },
    });
    expect(setCondition(model, touchpoint, { on: "question", name: "question2" }, { join: "and", clauses: [{ question: "question2", operator: "notempty", value: null }] })).toMatchObject({
      ok: false,
      refusal: { code: "condition_self" },
    });
    // Moving the condition's question after the one it depends on is refused too, and removing what it depends on.
    expect(moveQuestionTo(shown, touchpoint, "question1", 1, 1)).toMatchObject({ ok: false, refusal: { code: "condition_later_question" } });
    expect(removeQuestion(shown, touchpoint, "question1")).toMatchObject({ ok: false, refusal: { code: "question_in_condition" } });
    // Cleared with no clauses.
    expect(ok(setCondition(shown, touchpoint, { on: "question", name: "question3" }, { join: "and", clauses: [] })).pages[1].elements[0].visibleIf).toBeUndefined();
    expect(validateSurveyDefinition(modelToJson(shown), touchpoint)).toEqual({ ok: true });
  });

  it("flags questions no answer can reach", () => {
    const model = survey();
    const set = (m: BuilderModel, clauses: Parameters<typeof conditionToExpression>[0]) => ok(setCondition(m, touchpoint, { on: "question", name: "question3" }, clauses));
    // Rating 1–5: 9 never comes; 2 does; 2 and 4 at once never; 2 or 9 does.
    expect([...unreachableQuestions(set(model, { join: "and", clauses: [{ question: "question1", operator: "=", value: 9 }] }))]).toEqual(["question3"]);
    expect([...unreachableQuestions(set(model, { join: "and", clauses: [{ question: "question1", operator: "=", value: 2 }] }))]).toEqual([]);
    expect([
      ...unreachableQuestions(set(model, { join: "and", clauses: [{ question: "question1", operator: "=", value: 2 }, { question: "question1", operator: "=", value: 4 }] })),
    ]).toEqual(["question3"]);
    expect([
      ...unreachableQuestions(set(model, { join: "or", clauses: [{ question: "question1", operator: "=", value: 2 }, { question: "question1", operator: "=", value: 9 }] })),
    ]).toEqual([]);
    expect([...unreachableQuestions(set(model, { join: "and", clauses: [{ question: "question1", operator: ">", value: 5 }] }))]).toEqual(["question3"]);
    // A choice that does not exist; then a question depending only on an unreachable one.
    let chained = set(model, { join: "and", clauses: [{ question: "question2", operator: "=", value: "nope" }] });
    chained = ok(addPlainQuestion(chained, touchpoint, 1, "text"));
    chained = ok(setCondition(chained, touchpoint, { on: "question", name: "question4" }, { join: "and", clauses: [{ question: "question3", operator: "notempty", value: null }] }));
    expect([...unreachableQuestions(chained)]).toEqual(["question3", "question4"]);
    // Free text is never judged unreachable.
    expect(logicProblems(chained)).toEqual([]);
  });
});

describe("texts in two languages", () => {
  it("reads and writes Spanish and English, and flags a missing translation", () => {
    expect(readText({ default: "Hello", es: "Hola" }, "es")).toBe("Hola");
    expect(readText({ default: "Hello", es: "Hola" }, "en")).toBe("Hello");
    expect(readText("Plain", "en")).toBe("Plain");
    expect(missingLanguages("Plain")).toEqual(["es"]);
    expect(missingLanguages({ es: "Hola" })).toEqual(["en"]);
    expect(missingLanguages(undefined)).toEqual([]);
    expect(writeText("Plain", "es", "Llano")).toEqual({ default: "Plain", es: "Llano" });
    expect(writeText({ default: "a", es: "b", fr: "c" }, "en", "")).toEqual({ es: "b", fr: "c" });
    expect(writeText({ es: "b" }, "es", "")).toBeUndefined();
  });

  it("edits titles, descriptions, scale labels and choices through setText", () => {
    let model = ok(addPlainQuestion(empty(), touchpoint, 0, "radiogroup"));
    model = ok(setText(model, touchpoint, { on: "question", name: "question1" }, "title", "en", "How was it?"));
    model = ok(setText(model, touchpoint, { on: "question", name: "question1" }, "description", "es", "Ayuda"));
    model = ok(setText(model, touchpoint, { on: "choice", name: "question1", choice: 1 }, "text", "es", "Mala"));
    model = ok(addChoice(model, touchpoint, "question1"));
    model = ok(setText(model, touchpoint, { on: "page", page: 0 }, "title", "es", "Inicio"));
    model = ok(setText(model, touchpoint, { on: "survey" }, "title", "en", "Survey"));
    const json = modelToJson(model);
    const page = (json.pages as { title: unknown; elements: Record<string, unknown>[] }[])[0];
    expect(page.title).toEqual({ es: "Inicio" });
    expect(page.elements[0]).toMatchObject({
      title: { default: "How was it?", es: "Nueva pregunta" },
      description: { es: "Ayuda" },
      choices: [{ value: "option1" }, { value: "option2", text: { default: "Option 2", es: "Mala" } }, { value: "option3" }],
    });
    expect(json.title).toEqual({ default: "Survey", es: "T" });
  });

  it("inserts placeholders at the caret", () => {
    expect(insertPlaceholder("Hola", "customer_name")).toBe("Hola {customer_name}");
    expect(insertPlaceholder("¿Cómo fue  hoy?", "touchpoint", 10)).toBe("¿Cómo fue {touchpoint} hoy?");
    expect(insertPlaceholder("", "brand")).toBe("{brand}");
    expect(fillPlaceholders("{brand}: {touchpoint} {other}", { brand: "Acme", touchpoint: "Caja" })).toBe("Acme: Caja {other}");
  });
});

describe("undo and redo", () => {
  it("steps back and forth, coalesces typing in one field, and drops the future on a new edit", () => {
    let h = startHistory("a");
    h = record(h, "ab", "title:en", 1000);
    h = record(h, "abc", "title:en", 1500); // same field within a second: one step
    h = record(h, "abcd", null, 1600);
    expect(h.past).toEqual(["a", "abc"]);
    h = undo(h);
    expect(h.present).toBe("abc");
    h = undo(h);
    expect(h.present).toBe("a");
    expect(undo(h)).toBe(h);
    h = redo(h);
    expect(h.present).toBe("abc");
    h = record(h, "x", null, 5000);
    expect(h.future).toEqual([]);
    expect(redo(h)).toBe(h);
    h = record(record(h, "y", "t", 10_000), "z", "t", 12_000); // more than a second apart: two steps
    expect(undo(h).present).toBe("y");
  });
});
