import { describe, expect, it } from "vitest";
import { validateAnswers } from "~/survey/answer-validation";
import { validateSurveyDefinition, type SurveyDefinitionError } from "~/survey/definition-validation";
import { buildSurvey } from "~/survey/templates";
import type { SurveyJson, SurveyTouchpoint } from "~/survey/types";

const touchpoint: SurveyTouchpoint = {
  key: "delivery",
  name: "Entrega",
  attributes: [
    { key: "punctuality", label: { es: "Puntualidad", en: "Punctuality" }, servqual: "reliability" },
    { key: "care", label: { es: "Cuidado del paquete", en: "Parcel care" }, servqual: "tangibles" },
  ],
};

const rating = (name: string, extra: Record<string, unknown>) => ({ type: "rating", name, rateMin: 1, rateMax: 7, ...extra });
const survey = (...elements: unknown[]): SurveyJson => ({ pages: [{ name: "p1", elements }] });

function errorsOf(json: unknown): SurveyDefinitionError[] {
  const result = validateSurveyDefinition(json, touchpoint);
  return result.ok ? [] : result.errors;
}

type ErrorMatch = Partial<Omit<SurveyDefinitionError, "message">> & { message?: RegExp | string };

function expectError(json: unknown, match: ErrorMatch) {
  const { message, ...rest } = match;
  const errors = errorsOf(json);
  expect(errors).toContainEqual(
    expect.objectContaining({ ...rest, ...(message ? { message: expect.stringMatching(message) } : {}) }),
  );
}

const validPair = [
  rating("e", { vivMeasure: "expectation", vivAttribute: "punctuality" }),
  rating("p", { vivMeasure: "perception", vivAttribute: "punctuality" }),
];

describe("validateSurveyDefinition", () => {
  it("accepts a hand-written gap pair and every generated template", () => {
    expect(validateSurveyDefinition(survey(...validPair), touchpoint)).toEqual({ ok: true });
    expect(validateSurveyDefinition(JSON.stringify(survey(...validPair)), touchpoint)).toEqual({ ok: true });
  });

  it("reports unparsable and non-object input without throwing", () => {
    expectError("{ not json", { source: "vivencia", message: /not valid JSON/ });
    expectError([1, 2], { message: /must be a JSON object, not an array/ });
    expectError(42, { message: /not number/ });
    expectError(null, { message: /not null/ });
    expectError(undefined, { message: /not undefined/ });
  });

  it("passes on survey-core's own errors with a JSON path", () => {
    const json = survey(...validPair, { type: "comment", name: "c", rateMaxx: 3 }, { type: "nonsense", name: "x" });
    expectError(json, { source: "surveyjs", question: "c", path: "pages[0].elements[2].rateMaxx", message: /Unknown property/ });
    expectError(json, { source: "surveyjs", question: "x", path: "pages[0].elements[3]", message: 'Unknown type "nonsense" in "elements".' });
    expectError({ pages: 5 }, { source: "surveyjs", path: "pages", message: /should be an array/ });
  });

  it("reports definitions survey-core cannot even load, without throwing", () => {
    expectError({ pages: [{ elements: [null] }] }, { source: "surveyjs", message: /could not load/ });
    expectError(survey({ type: "itemvalue", name: "x" }), { source: "surveyjs", message: /could not load/ });
  });

  it("rejects attributes the touchpoint does not measure, but knows the built-in instruments", () => {
    const unknown = survey(
      rating("e", { vivMeasure: "expectation", vivAttribute: "speed" }),
      rating("p", { vivMeasure: "perception", vivAttribute: "speed" }),
    );
    expectError(unknown, { source: "vivencia", question: "e", path: "pages[0].elements[0]", message: /Unknown attribute "speed"/ });
    expect(validateSurveyDefinition(buildSurvey(touchpoint, { template: "servqual" }), touchpoint)).toEqual({ ok: true });
    expect(validateSurveyDefinition(buildSurvey(touchpoint, { template: "brand_experience" }), touchpoint)).toEqual({ ok: true });
  });

  it("requires every perception to have its expectation or both zone-of-tolerance levels", () => {
    expectError(survey(rating("p", { vivMeasure: "perception", vivAttribute: "care" })), {
      question: "p",
      message: /no expectation/,
    });
    const zone = (name: string, kind: string) => rating(name, { vivMeasure: kind, vivAttribute: "care", rateMax: 9 });
    const missingDesired = survey(zone("a", "adequate"), zone("p", "perception"));
    expectError(missingDesired, { question: "a", message: /needs both an adequate and a desired/ });
    expectError(missingDesired, { question: "p", message: /no expectation/ });
    expect(errorsOf(survey(zone("a", "adequate"), zone("d", "desired"), zone("p", "perception")))).toEqual([]);
  });

  it("rejects duplicate question names and attributes measured twice", () => {
    const json = survey(...validPair, rating("p", { vivMeasure: "importance", vivAttribute: "care" }));
    expectError(json, { question: "p", path: "pages[0].elements[2]", message: /Duplicate question name/ });
    const twice = survey(...validPair, rating("p2", { vivMeasure: "perception", vivAttribute: "punctuality" }));
    expectError(twice, { question: "p2", message: /already measured by "p"/ });
  });

  it("rejects a measure kind on an unsuitable question type", () => {
    expectError(survey({ type: "text", name: "nps", vivMeasure: "nps" }), { question: "nps", message: /must be a rating question/ });
    expectError(survey(rating("points", { vivMeasure: "importance_points", vivDimension: "empathy" })), {
      question: "points",
      message: /numeric multiple-text item/,
    });
    expectError(survey(rating("c", { vivMeasure: "comment" })), { message: /comment or text question/ });
    expectError(survey(rating("x", { vivMeasure: "delight" })), { message: /Unknown measure kind "delight"/ });
  });

  it("rejects rating ranges that do not match the kind's scale", () => {
    expectError(survey(rating("csat", { vivMeasure: "csat" })), { question: "csat", message: /must run 1–5/ });
    expectError(survey(rating("nps", { vivMeasure: "nps", rateMin: 1, rateMax: 10 })), { message: /must run 0–10/ });
    const unevenPair = survey(
      rating("e", { vivMeasure: "expectation", vivAttribute: "care" }),
      rating("p", { vivMeasure: "perception", vivAttribute: "care", rateMax: 9 }),
    );
    expectError(unevenPair, { question: "p", message: /must share one scale/ });
    expectError(survey(rating("x", { vivMeasure: "ces", rateValues: [1, 2, 3, 4, 5, 6, 8] })), { message: /must run 1–7/ });
  });

  it("keeps touchpoint-level measures, dimensions and reverse coding consistent", () => {
    expectError(survey(rating("c", { vivMeasure: "csat", rateMax: 5, vivAttribute: "care" })), { message: /whole touchpoint visit/ });
    expectError(survey({ type: "rating", name: "n", rateMin: 0, rateMax: 10, vivMeasure: "nps", vivReverseCoded: true }), {
      message: /cannot be reverse-coded/,
    });
    expectError(survey(rating("e", { vivMeasure: "expectation" })), { message: /must name the attribute/ });
    expectError(survey(rating("b", { vivMeasure: "bx_sensory", vivAttribute: "bes_affective_1" })), {
      message: /belongs to "bx_affective"/,
    });
    expectError(survey(rating("e", { vivMeasure: "expectation", vivAttribute: "sq_empathy_1", vivDimension: "tangibles" })), {
      message: /belongs to dimension "empathy"/,
    });
    expectError(
      survey({ type: "multipletext", name: "pts", items: [{ name: "a", inputType: "number", vivMeasure: "importance_points" }] }),
      { question: "pts.a", path: "pages[0].elements[0].items[0]", message: /must name the SERVQUAL dimension/ },
    );
  });

  it("rejects a survey with nothing to ask", () => {
    expectError({ pages: [] }, { message: /no questions/ });
  });
});

describe("validateAnswers", () => {
  const json = buildSurvey(touchpoint, { nps: true, csat: true, comment: true });
  const complete = { punctuality__expectation: 6, care__expectation: 5, punctuality__perception: 4, care__perception: 7, nps: 9, csat: 4 };

  it("accepts a complete submission and returns its data", () => {
    expect(validateAnswers(json, complete)).toEqual({ ok: true, data: complete });
    expect(validateAnswers(json, { ...complete, comment: "Todo bien" }).ok).toBe(true);
  });

  it("rejects unknown question names", () => {
    expect(validateAnswers(json, { ...complete, hacked: 1 })).toEqual({
      ok: false,
      errors: [{ question: "hacked", message: expect.stringMatching(/Unknown question/) }],
    });
  });

  it("rejects rating values off the scale or not numbers, and type mismatches", () => {
    const result = validateAnswers(json, { ...complete, nps: 11, csat: "4", care__perception: 3.5, comment: 12 });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual(
      expect.arrayContaining([
        { question: "nps", message: expect.stringMatching(/not on the rating scale \(0–10\)/) },
        { question: "csat", message: expect.stringMatching(/Expected a number/) },
        { question: "care__perception", message: expect.stringMatching(/not on the rating scale/) },
        { question: "comment", message: expect.stringMatching(/Expected text/) },
      ]),
    );
    // A malformed answer is reported once, not again as "required".
    expect(result.errors.filter((e) => e.question === "nps")).toHaveLength(1);
  });

  it("requires every visible required question", () => {
    const { csat: _dropped, ...incomplete } = complete;
    const result = validateAnswers(json, incomplete);
    expect(result).toEqual({ ok: false, errors: [{ question: "csat", message: expect.any(String) }] });
  });

  it("evaluates visibility on the submitted data, as the browser did", () => {
    const conditional = survey(
      { type: "rating", name: "nps", rateMin: 0, rateMax: 10, vivMeasure: "nps", isRequired: true },
      { type: "comment", name: "why", isRequired: true, visibleIf: "{nps} <= 6" },
    );
    expect(validateAnswers(conditional, { nps: 9 }).ok).toBe(true);
    expect(validateAnswers(conditional, { nps: 3 }).ok).toBe(false);
    expect(validateAnswers(conditional, { nps: 3, why: "Tardaron" }).ok).toBe(true);
  });

  it("requires importance points to total 100", () => {
    const servqual = buildSurvey(touchpoint, { template: "servqual" });
    const ratings = Object.fromEntries(
      (servqual.pages as { elements: { type: string; name: string }[] }[])
        .flatMap((p) => p.elements)
        .filter((e) => e.type === "rating")
        .map((e) => [e.name, 4]),
    );
    const points = { tangibles: 10, reliability: 30, responsiveness: 20, assurance: 20, empathy: 20 };
    expect(validateAnswers(servqual, { ...ratings, importance_points: points }).ok).toBe(true);
    const short = validateAnswers(servqual, { ...ratings, importance_points: { ...points, empathy: 10 } });
    expect(short.ok).toBe(false);
    if (!short.ok) {
      expect(short.errors).toContainEqual({ question: "importance_points", message: "Importance points must total 100; they total 90." });
    }
    const wrongItem = validateAnswers(servqual, { ...ratings, importance_points: { ...points, price: 0 } });
    expect(wrongItem.ok).toBe(false);
    if (!wrongItem.ok) expect(wrongItem.errors).toContainEqual({ question: "importance_points.price", message: 'Unknown item "price".' });
    const text = validateAnswers(servqual, { ...ratings, importance_points: { ...points, empathy: "20" } });
    expect(text.ok).toBe(false);
  });

  it("checks choices, booleans and companion comments", () => {
    const mixed = survey(
      { type: "radiogroup", name: "channel", choices: ["web", "app"], showOtherItem: true },
      { type: "boolean", name: "first" },
      { type: "checkbox", name: "topics", choices: ["price", "speed"] },
    );
    expect(validateAnswers(mixed, { channel: "other", "channel-Comment": "teléfono", first: true, topics: ["price"] }).ok).toBe(true);
    const bad = validateAnswers(mixed, { channel: "fax", first: "yes", topics: "price", "first-Comment": "x" });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors.map((e) => e.question).sort()).toEqual(["channel", "first", "first-Comment", "topics"]);
  });

  it("accepts calculated values the definition stores in the result", () => {
    const withCalc = { ...survey({ type: "text", name: "t" }), calculatedValues: [{ name: "score", expression: "1", includeIntoResult: true }] };
    expect(validateAnswers(withCalc, { t: "x", score: 1 }).ok).toBe(true);
  });

  it("reports non-object answers and unusable definitions without throwing", () => {
    expect(validateAnswers(json, [1])).toEqual({ ok: false, errors: [{ question: "", message: expect.any(String) }] });
    expect(validateAnswers(json, "x").ok).toBe(false);
    expect(validateAnswers("{", complete).ok).toBe(false);
  });
});
