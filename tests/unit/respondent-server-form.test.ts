// The server renderer of the respondent page (app/survey/server-form.server.ts): every question
// type the templates produce drawn as form data, posted fields read back into SurveyJS values,
// page stepping with skip logic, and validation giving SurveyJS's own verdict and texts — the same
// rules the answer validation applies when the response is recorded.
import { describe, expect, it } from "vitest";
import { validateAnswers } from "~/survey/answer-validation";
import type { PageView, QuestionView } from "~/survey/form-view";
import { renderPage, resumeState, serverFormBlocker, startState, stepForm } from "~/survey/server-form.server";
import { SURVEY_TEMPLATES, buildSurvey } from "~/survey/templates";
import type { SurveyJson, SurveyTouchpoint } from "~/survey/types";

const touchpoint: SurveyTouchpoint = {
  key: "visit",
  name: "Visita técnica",
  attributes: [
    { key: "punctuality", label: { es: "Puntualidad", en: "Punctuality" }, servqual: "reliability" },
    { key: "cleanliness", label: { es: "Limpieza", en: "Cleanliness" } },
  ],
};

/** Posted form fields, as a browser sends them. */
function fields(entries: [string, string][]) {
  const form = new URLSearchParams(entries);
  return { get: (name: string) => form.get(name), getAll: (name: string) => form.getAll(name) };
}

function question(view: PageView, name: string): QuestionView {
  const found = view.questions.find((q) => q.name === name);
  if (!found) throw new Error(`no question ${name} on page ${view.name}`);
  return found;
}

/** The posted fields that give every rating on the page this value (its field, by position). */
function rateAll(view: PageView, value: number): [string, string][] {
  return view.questions.flatMap((q) => (q.type === "rating" ? [[q.field, String(value)] as [string, string]] : []));
}

describe("drawing a page", () => {
  const json = buildSurvey(touchpoint, { nps: true, csat: true, ces: true, comment: true });

  it("draws a gap pair's first page: 1–7 scales with their end labels, required, in the respondent's language", () => {
    const state = startState(json, 1, 1000, "s".repeat(16));
    const es = renderPage(json, state, "es");
    expect(es).toMatchObject({ name: "expectations", title: "Lo que esperaba", index: 0, count: 4, isFirst: true, isLast: false, nextText: "Siguiente" });
    const first = question(es, "punctuality__expectation");
    expect(first).toMatchObject({ type: "rating", title: "Puntualidad", required: true, minLabel: "Muy baja", maxLabel: "Muy alta", requiredMessage: "Por favor conteste la pregunta.", errors: [] });
    if (first.type !== "rating") throw new Error("rating expected");
    expect(first.options.map((o) => o.value)).toEqual(["1", "2", "3", "4", "5", "6", "7"]);
    const en = renderPage(json, state, "en");
    expect(en.title).toBe("What you expected");
    expect(question(en, "punctuality__expectation")).toMatchObject({ title: "Punctuality", requiredMessage: "Response required." });
  });

  it("draws NPS 0–10, CSAT 1–5 and CES 1–7 on the overall page, and the comment as a text area", () => {
    const state = { ...startState(json, 1, 1000, "s".repeat(16)), pageName: "overall" };
    const view = renderPage(json, state, "en");
    const scale = (name: string) => {
      const q = question(view, name);
      return q.type === "rating" ? q.options.map((o) => Number(o.value)) : [];
    };
    expect(scale("nps")).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(scale("csat")).toEqual([1, 2, 3, 4, 5]);
    expect(scale("ces")).toEqual([1, 2, 3, 4, 5, 6, 7]);
    const comment = question(renderPage(json, { ...state, pageName: "comment" }, "es"), "comment");
    expect(comment).toMatchObject({ type: "comment", required: false, maxLength: 2000, value: "" });
  });

  it("draws radio groups, checkboxes, booleans, text, matrices, html and SERVQUAL's points with their answers", () => {
    const custom: SurveyJson = {
      pages: [
        {
          name: "p1",
          elements: [
            { type: "html", name: "intro", html: { default: "<p>Hello</p>", es: "<p>Hola</p>" } },
            { type: "radiogroup", name: "channel", choices: [{ value: "web", text: { default: "Web", es: "Web" } }, "phone"], isRequired: true },
            { type: "checkbox", name: "topics", choices: ["price", "speed", "staff"] },
            { type: "boolean", name: "again" },
            { type: "text", name: "age", inputType: "number" },
            { type: "matrix", name: "grid", rows: ["a", "b"], columns: [1, 2, 3] },
          ],
        },
      ],
    };
    expect(serverFormBlocker(custom)).toBeNull();
    const data = { channel: "phone", topics: ["speed"], again: false, age: 41, grid: { b: 3 } };
    const view = renderPage(custom, { ...startState(custom, 1, 0, "x".repeat(16)), data }, "es");
    expect(question(view, "intro")).toMatchObject({ type: "html", html: "<p>Hola</p>" });
    expect(question(view, "channel")).toMatchObject({ type: "choice", options: [{ value: "web", checked: false }, { value: "phone", checked: true }] });
    expect(question(view, "topics")).toMatchObject({ type: "checkbox", options: [{ checked: false }, { checked: true }, { checked: false }] });
    expect(question(view, "again")).toMatchObject({ type: "boolean", options: [{ value: "true", label: "Sí", checked: false }, { value: "false", label: "No", checked: true }] });
    expect(question(view, "age")).toMatchObject({ type: "text", inputType: "number", value: "41" });
    expect(question(view, "grid")).toMatchObject({ type: "matrix", rows: [{ label: "a", options: [{ checked: false }, { checked: false }, { checked: false }] }, { label: "b", options: [{}, {}, { checked: true }] }] });

    const servqual = buildSurvey(touchpoint, { template: "servqual" });
    expect(serverFormBlocker(servqual)).toBeNull();
    const points = renderPage(servqual, { ...startState(servqual, 1, 0, "x".repeat(16)), pageName: "importance_points", data: { importance_points: { tangibles: 20 } } }, "en");
    const allocation = question(points, "importance_points");
    expect(allocation.type).toBe("multipletext");
    if (allocation.type === "multipletext") expect(allocation.items.map((i) => [i.inputType, i.value])).toEqual([["number", "20"], ["number", ""], ["number", ""], ["number", ""], ["number", ""]]);
    expect(question(points, "importance_points_total")).toMatchObject({ type: "expression", value: "20" });
  });

  it("draws every survey the templates build, with every block", () => {
    for (const template of SURVEY_TEMPLATES) {
      const json = buildSurvey(touchpoint, { template, nps: true, csat: true, ces: true, importance: true, comment: true });
      expect([template, serverFormBlocker(json)]).toEqual([template, null]);
    }
  });

  it("leaves to SurveyJS what it cannot draw", () => {
    expect(serverFormBlocker({ elements: [{ type: "paneldynamic", name: "kids", templateElements: [{ type: "text", name: "n" }] }] })).toMatch(/paneldynamic/);
    expect(serverFormBlocker({ elements: [{ type: "radiogroup", name: "r", choices: ["a"], showOtherItem: true }] })).toMatch(/showOtherItem/);
    expect(serverFormBlocker({ elements: [{ type: "text", name: "c", inputType: "color" }] })).toMatch(/color/);
    expect(serverFormBlocker({ elements: [{ type: "signaturepad", name: "s" }] })).toMatch(/signaturepad/);
  });
});

describe("stepping through pages", () => {
  const json = buildSurvey(touchpoint, { nps: true, comment: true });

  it("refuses an unanswered page with SurveyJS's text for each required question, keeping what was answered", () => {
    const state = startState(json, 1, 1000, "s".repeat(16));
    const view = renderPage(json, state, "es");
    const first = question(view, "punctuality__expectation");
    if (first.type !== "rating") throw new Error("rating expected");
    const step = stepForm(json, state, fields([[first.field, "5"]]), "next", "es");
    expect(step.kind).toBe("page");
    if (step.kind !== "page") return;
    expect(step.ok).toBe(false);
    expect(step.view.name).toBe("expectations");
    expect(question(step.view, "cleanliness__expectation").errors).toEqual(["Por favor conteste la pregunta."]);
    expect(question(step.view, "punctuality__expectation")).toMatchObject({ errors: [], options: expect.arrayContaining([{ value: "5", label: "5", checked: true }]) });
    expect(step.state.data).toEqual({ punctuality__expectation: 5 });
  });

  it("refuses a value the scale does not offer, and never keeps it", () => {
    const state = { ...startState(json, 1, 1000, "s".repeat(16)), pageName: "overall" };
    const step = stepForm(json, state, fields([["q0", "11"]]), "next", "en");
    if (step.kind !== "page") throw new Error("page expected");
    expect(step.ok).toBe(false);
    expect(question(step.view, "nps").errors[0]).toMatch(/^"11"/);
    expect(step.state.data).toEqual({});
  });

  it("walks forward and back, then completes with exactly the answers SurveyJS would submit", () => {
    let state = startState(json, 1, 1000, "s".repeat(16));
    let view = renderPage(json, state, "en");
    const seen: string[] = [view.name];
    for (let guard = 0; guard < 10; guard++) {
      const posted = view.name === "comment" ? [["q0", "Todo bien"] as [string, string]] : rateAll(view, view.name === "overall" ? 9 : 6);
      const step = stepForm(json, state, fields(posted), "next", "en");
      if (step.kind === "complete") {
        expect(step.answers).toEqual({ punctuality__expectation: 6, cleanliness__expectation: 6, punctuality__perception: 6, cleanliness__perception: 6, nps: 9, comment: "Todo bien" });
        expect(validateAnswers(json, step.answers)).toMatchObject({ ok: true });
        expect(seen).toEqual(["expectations", "perceptions", "overall", "comment"]);
        return;
      }
      expect(step.ok).toBe(true);
      if (step.view.name === "overall" && !seen.includes("back")) {
        // One page back keeps the answers of both pages, without validating.
        const back = stepForm(json, step.state, fields([["q0", "9"]]), "back", "en");
        if (back.kind !== "page") throw new Error("page expected");
        expect(back.view.name).toBe("perceptions");
        expect(back.state.data).toMatchObject({ nps: 9, punctuality__perception: 6 });
        expect(back.view.nextText).toBe("Next");
        seen.push("back");
        seen.splice(seen.indexOf("back"), 1);
      }
      state = step.state;
      view = step.view;
      seen.push(view.name);
      if (view.isLast) expect(view.nextText).toBe("Complete");
    }
    throw new Error("never completed");
  });

  it("honours skip logic: a page shown only to detractors, and an answer to a page no longer shown is dropped", () => {
    const skip: SurveyJson = {
      pages: [
        { name: "score", elements: [{ type: "rating", name: "nps", rateMin: 0, rateMax: 10, isRequired: true }] },
        { name: "why", visibleIf: "{nps} <= 6", elements: [{ type: "comment", name: "why", isRequired: true }] },
        { name: "end", elements: [{ type: "boolean", name: "contact" }, { type: "text", name: "phone", visibleIf: "{contact} = true", isRequired: true }] },
      ],
    };
    const start = startState(skip, 1, 0, "s".repeat(16));
    const detractor = stepForm(skip, start, fields([["q0", "3"]]), "next", "en");
    if (detractor.kind !== "page") throw new Error("page expected");
    expect(detractor.view).toMatchObject({ name: "why", index: 1, count: 3 });
    const explained = stepForm(skip, detractor.state, fields([["q0", "Slow"]]), "next", "en");
    if (explained.kind !== "page") throw new Error("page expected");
    // Back to the score, now a promoter: the "why" page disappears and so does its answer.
    const back = stepForm(skip, explained.state, fields([]), "back", "en");
    if (back.kind !== "page") throw new Error("page expected");
    const back2 = stepForm(skip, back.state, fields([["q0", "Slow"]]), "back", "en");
    if (back2.kind !== "page") throw new Error("page expected");
    expect(back2.view.name).toBe("score");
    const promoter = stepForm(skip, back2.state, fields([["q0", "10"]]), "next", "en");
    if (promoter.kind !== "page") throw new Error("page expected");
    expect(promoter.view).toMatchObject({ name: "end", index: 1, count: 2 });
    // Within a page: the phone question appears once "yes" is posted, and is then required.
    expect(promoter.view.questions.map((q) => q.name)).toEqual(["contact"]);
    const yes = stepForm(skip, promoter.state, fields([["q0", "true"]]), "next", "en");
    if (yes.kind !== "page") throw new Error("page expected");
    expect(yes.ok).toBe(false);
    expect(question(yes.view, "phone").errors).toEqual(["Response required."]);
    const done = stepForm(skip, yes.state, fields([["q0", "false"]]), "next", "en");
    expect(done).toMatchObject({ kind: "complete", answers: { nps: 10, contact: false } });
  });

  it("shows the first page that does not pass when a forged state skips ahead", () => {
    const forged = { ...startState(json, 1, 0, "s".repeat(16)), pageName: "comment" };
    const step = stepForm(json, forged, fields([["q0", "hi"]]), "next", "en");
    if (step.kind !== "page") throw new Error("page expected");
    expect(step).toMatchObject({ ok: false, view: { name: "expectations" } });
  });

  it("resumes where SurveyJS saved progress (a page number) or the form saved it (a page name)", () => {
    const fallback = startState(json, 1, 0, "s".repeat(16));
    expect(resumeState(json, { data: { nps: 9 }, page: 2 }, fallback)).toMatchObject({ pageName: "overall", page: 2, data: { nps: 9 } });
    expect(resumeState(json, { data: {}, page: 0, pageName: "comment" }, fallback)).toMatchObject({ pageName: "comment", page: 3 });
  });
});

describe("validation parity with the recorded answers' rules", () => {
  it("gives SERVQUAL's 100-point rule and numeric checks as SurveyJS does", () => {
    const servqual = buildSurvey(touchpoint, { template: "servqual" });
    const state = { ...startState(servqual, 1, 0, "s".repeat(16)), pageName: "importance_points" };
    const view = renderPage(servqual, state, "en");
    const allocation = question(view, "importance_points");
    if (allocation.type !== "multipletext") throw new Error("multipletext expected");
    const post = (values: string[]) => fields(allocation.items.map((item, i) => [item.field, values[i]] as [string, string]));
    const short = stepForm(servqual, state, post(["20", "20", "20", "20", "10"]), "next", "en");
    if (short.kind !== "page") throw new Error("page expected");
    expect(question(short.view, "importance_points").errors).toEqual(["The points must add up to 100."]);
    expect(short.state.data.importance_points_total).toBe(90);
    const word = stepForm(servqual, state, post(["many", "20", "20", "20", "20"]), "next", "es");
    if (word.kind !== "page") throw new Error("page expected");
    expect(question(word.view, "importance_points").errors[0]).toBe("La estimación debe ser numérica.");
  });
});
