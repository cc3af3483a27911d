// The compiled (fast) answer validation used on the submission hot path must give exactly the
// verdict and the errors of validateAnswers, SurveyJS's full validation, on every definition it
// accepts as static; anything dynamic must fall back to validateAnswers itself.
import { describe, expect, it } from "vitest";
import { validateAnswers } from "~/survey/answer-validation";
import { measurementPlan } from "~/survey/plan";
import { compileAnswers } from "~/survey/respondent-validation";
import { buildSurvey } from "~/survey/templates";
import type { SurveyJson, SurveyTouchpoint } from "~/survey/types";

const touchpoint: SurveyTouchpoint = {
  key: "technician_visit",
  name: "Visita del técnico",
  attributes: [
    { key: "punctuality", label: { es: "Puntualidad", en: "Punctuality" }, servqual: "reliability" },
    { key: "courtesy", label: { es: "Cortesía", en: "Courtesy" }, servqual: "empathy" },
    { key: "home_care", label: { es: "Cuidado del hogar", en: "Care of the home" }, servqual: null },
  ],
};

/** Mulberry32: seeded, so a failure replays. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const handWritten: SurveyJson = {
  pages: [
    {
      name: "p1",
      elements: [
        { type: "html", name: "intro", html: "<p>Hola</p>" },
        { type: "rating", name: "r", rateMin: 1, rateMax: 5, isRequired: true, requiredErrorText: { default: "Rate it, please", es: "Valore" } },
        { type: "rating", name: "stars", rateValues: [1, 2, 3], isRequired: true },
        { type: "text", name: "nick", isRequired: true },
        { type: "text", name: "spaces_ok", isRequired: true, allowSpaceAsAnswer: true },
        { type: "comment", name: "note" },
        { type: "boolean", name: "again", isRequired: true },
        { type: "boolean", name: "yesno", valueTrue: "yes", valueFalse: "no" },
        { type: "radiogroup", name: "channel", choices: ["web", "store", { value: 3, text: "Phone" }], isRequired: true },
        { type: "dropdown", name: "city", choices: ["Lima", "Quito"] },
        { type: "rating", name: "hidden_required", rateMin: 1, rateMax: 3, isRequired: true, visible: false },
        { type: "panel", name: "box", elements: [{ type: "rating", name: "in_panel", rateMin: 0, rateMax: 10, isRequired: true }] },
      ],
    },
    { name: "p2", visible: false, elements: [{ type: "text", name: "on_hidden_page", isRequired: true }] },
  ],
};

const staticDefinitions: [string, SurveyJson][] = [
  ["gap pair with every block", buildSurvey(touchpoint, { nps: true, csat: true, ces: true, importance: true, comment: true })],
  ["zone of tolerance", buildSurvey(touchpoint, { template: "zone_of_tolerance", nps: true })],
  ["brand experience (reverse-coded items)", buildSurvey(touchpoint, { template: "brand_experience", csat: true, comment: true })],
  ["hand-written, every simple type", handWritten],
];

const dynamicDefinitions: [string, SurveyJson][] = [
  ["SERVQUAL (expression validators on importance points)", buildSurvey(touchpoint, { template: "servqual" })],
  [
    "a visibleIf",
    { pages: [{ name: "p", elements: [{ type: "boolean", name: "b" }, { type: "text", name: "t", isRequired: true, visibleIf: "{b} = true" }] }] },
  ],
  ["a validator", { pages: [{ name: "p", elements: [{ type: "text", name: "t", validators: [{ type: "email" }] }] }] }],
  ["an email input", { pages: [{ name: "p", elements: [{ type: "text", name: "t", inputType: "email", isRequired: true }] }] }],
  ["a checkbox", { pages: [{ name: "p", elements: [{ type: "checkbox", name: "c", choices: ["a", "b"], isRequired: true }] }] }],
];

type Question = { type: string; name: string; rateMin?: number; rateMax?: number; rateValues?: number[]; choices?: unknown[]; elements?: Question[] };

function questionsOf(json: SurveyJson): Question[] {
  const out: Question[] = [];
  const walk = (elements: Question[]) => {
    for (const e of elements) {
      if (e.type === "panel") walk(e.elements ?? []);
      else out.push(e);
    }
  };
  for (const page of (json.pages ?? []) as { elements: Question[] }[]) walk(page.elements);
  return out;
}

/** A plausible answer, a wrong one, or nothing, for any question. */
function answerFor(q: Question, rand: () => number, validOnly = false): unknown {
  const roll = validOnly ? 0 : rand();
  const valid = (): unknown => {
    switch (q.type) {
      case "rating": {
        const values = q.rateValues ?? Array.from({ length: (q.rateMax ?? 5) - (q.rateMin ?? 1) + 1 }, (_, i) => (q.rateMin ?? 1) + i);
        return values[Math.floor(rand() * values.length)];
      }
      case "boolean":
        return q.name === "yesno" ? (rand() < 0.5 ? "yes" : "no") : rand() < 0.5;
      case "radiogroup":
      case "dropdown": {
        const choices = (q.choices ?? []).map((c) => (typeof c === "object" && c !== null ? (c as { value: unknown }).value : c));
        return choices[Math.floor(rand() * choices.length)];
      }
      default:
        return validOnly ? "bien" : ["bien", "  ", "", "Una opinión larga", " x "][Math.floor(rand() * 5)];
    }
  };
  if (roll < 0.55) return valid();
  const wrong = [undefined, null, 0, 11, -1, 3.5, "5", "  ", "", true, [1], { a: 1 }, "other"];
  return wrong[Math.floor(rand() * wrong.length)];
}

function randomData(json: SurveyJson, rand: () => number): unknown {
  const roll = rand();
  if (roll < 0.02) return [1, 2];
  if (roll < 0.03) return null;
  if (roll < 0.04) return "answers";
  const data: Record<string, unknown> = {};
  for (const q of questionsOf(json)) {
    if (rand() < 0.1) continue;
    const value = answerFor(q, rand);
    if (value !== undefined) data[q.name] = value;
  }
  if (rand() < 0.1) data.not_a_question = 4;
  if (rand() < 0.05) data["comment-Comment"] = "x";
  return data;
}

/** Every question answered correctly, so the verdict is "ok" at least some of the time. */
function completeData(json: SurveyJson, rand: () => number): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const q of questionsOf(json)) {
    if (q.type !== "html") data[q.name] = answerFor(q, rand, true);
  }
  return data;
}

describe("compileAnswers", () => {
  it.each(staticDefinitions)("takes the fast path on a static definition and agrees with validateAnswers (%s)", (_, json) => {
    const compiled = compileAnswers(json);
    expect(compiled.fast).toBe(true);
    expect(compiled.plan).toEqual(measurementPlan(json));
    const rand = random(json.pages ? JSON.stringify(json).length : 1);
    let accepted = 0;
    let refused = 0;
    for (let i = 0; i < 150; i++) {
      const data = i % 10 === 0 ? completeData(json, rand) : randomData(json, rand);
      const expected = validateAnswers(json, data);
      expect(compiled.validate(data), JSON.stringify(data)).toEqual(expected);
      if (expected.ok) accepted++;
      else refused++;
    }
    expect(accepted).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(0);
  });

  it.each(dynamicDefinitions)("falls back to validateAnswers on a dynamic definition (%s)", (_, json) => {
    const compiled = compileAnswers(json);
    expect(compiled.fast).toBe(false);
    const rand = random(7);
    for (let i = 0; i < 20; i++) {
      const data = randomData(json, rand);
      expect(compiled.validate(data)).toEqual(validateAnswers(json, data));
    }
  });

  it("stays correct when reused: one compiled version, many submissions in any order", () => {
    const json = staticDefinitions[0][1];
    const compiled = compileAnswers(json);
    const rand = random(99);
    const batch = Array.from({ length: 100 }, () => randomData(json, rand));
    const first = batch.map((d) => compiled.validate(d));
    const second = [...batch].reverse().map((d) => compiled.validate(d)).reverse();
    expect(second).toEqual(first);
  });
});
