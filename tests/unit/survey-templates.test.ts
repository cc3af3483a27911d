import { Model, Serializer, type Question } from "survey-core";
import { describe, expect, it } from "vitest";
import { BRAND_EXPERIENCE_ITEMS, brandExperienceAttributes } from "~/survey/brand-experience";
import { validateSurveyDefinition } from "~/survey/definition-validation";
import { DEFAULT_SURVEY_LOCALE } from "~/survey/locales";
import { MEASURE_PROPERTY, registerMeasurementProperties } from "~/survey/metadata";
import { measurementPlan } from "~/survey/plan";
import { SERVQUAL_ITEMS, servqualAttributes } from "~/survey/servqual";
import { SURVEY_TEMPLATES, buildSurvey, type SurveyTemplate } from "~/survey/templates";
import { SERVQUAL_DIMENSIONS, type SurveyJson, type SurveyTouchpoint } from "~/survey/types";

const touchpoint: SurveyTouchpoint = {
  key: "branch_visit",
  name: "Visita a la sucursal",
  attributes: [
    { key: "waiting_time", label: { es: "Tiempo de espera", en: "Waiting time" }, servqual: "responsiveness" },
    { key: "staff_courtesy", label: { es: "Cortesía del personal", en: "Staff courtesy" }, servqual: "assurance" },
    { key: "clear_information", label: { es: "Información clara", en: "Clear information" }, servqual: null },
  ],
};

const ALL_BLOCKS = { nps: true, csat: true, ces: true, importance: true, comment: true } as const;

function kindsByAttribute(json: SurveyJson): Map<string | null, Set<string>> {
  const result = new Map<string | null, Set<string>>();
  for (const item of measurementPlan(json).items) {
    const kinds = result.get(item.attributeKey) ?? new Set<string>();
    kinds.add(item.kind ?? "?");
    result.set(item.attributeKey, kinds);
  }
  return result;
}

/** Every localizable string in the JSON: objects holding a "default" text. */
function localizedStrings(value: unknown, found: Record<string, unknown>[] = []): Record<string, unknown>[] {
  if (Array.isArray(value)) value.forEach((v) => localizedStrings(v, found));
  else if (typeof value === "object" && value !== null) {
    const record = value as Record<string, unknown>;
    if (typeof record.default === "string") found.push(record);
    else Object.values(record).forEach((v) => localizedStrings(v, found));
  }
  return found;
}

function visibleTexts(model: Model): string[] {
  const texts: string[] = [model.title];
  for (const p of model.pages) texts.push(p.title);
  for (const q of model.getAllQuestions() as Question[]) {
    texts.push(q.title);
    const rating = q as Question & { minRateDescription?: string; maxRateDescription?: string };
    if (rating.minRateDescription) texts.push(rating.minRateDescription, rating.maxRateDescription ?? "");
  }
  return texts;
}

describe("templates", () => {
  it.each(SURVEY_TEMPLATES)("%s loads in survey-core without JSON errors and passes validation", (template) => {
    const json = buildSurvey(touchpoint, { template, ...ALL_BLOCKS });
    const model = new Model(json);
    expect(model.jsonErrors).toBeNull();
    expect(model.getAllQuestions().length).toBeGreaterThan(0);
    expect(validateSurveyDefinition(json, touchpoint)).toEqual({ ok: true });
    expect(json.showProgressBar).toBe(true);
  });

  it.each(SURVEY_TEMPLATES)("%s opens in Spanish and switches every text with survey.locale", (template) => {
    const json = buildSurvey(touchpoint, { template, ...ALL_BLOCKS });
    for (const text of localizedStrings(json)) {
      expect(typeof text.es).toBe("string");
      expect((text.es as string).length).toBeGreaterThan(0);
      expect((text.default as string).length).toBeGreaterThan(0);
    }
    const model = new Model(json);
    expect(model.locale).toBe("es");
    const spanish = visibleTexts(model);
    model.locale = "en";
    const english = visibleTexts(model);
    model.locale = "es";
    expect(visibleTexts(model)).toEqual(spanish);
    expect(spanish.every((t) => t.length > 0)).toBe(true);
    expect(english.every((t) => t.length > 0)).toBe(true);
    // Only proper names (the touchpoint's) read the same in both languages.
    const same = spanish.filter((t, i) => t === english[i]);
    expect(same.every((t) => t === touchpoint.name)).toBe(true);
  });

  it("gap pair asks expectation and perception of every attribute on the same 1–7 scale", () => {
    const json = buildSurvey(touchpoint);
    const kinds = kindsByAttribute(json);
    for (const a of touchpoint.attributes) expect([...(kinds.get(a.key) ?? [])].sort()).toEqual(["expectation", "perception"]);
    for (const item of measurementPlan(json).items) expect(item.scale).toEqual({ min: 1, max: 7 });
    // Core only: no touchpoint-level block unless asked for.
    expect(kinds.has(null)).toBe(false);
  });

  it("zone of tolerance asks adequate, desired and perception per attribute on 1–9", () => {
    const json = buildSurvey(touchpoint, { template: "zone_of_tolerance" });
    const kinds = kindsByAttribute(json);
    for (const a of touchpoint.attributes) {
      expect([...(kinds.get(a.key) ?? [])].sort()).toEqual(["adequate", "desired", "perception"]);
    }
    for (const item of measurementPlan(json).items) expect(item.scale).toEqual({ min: 1, max: 9 });
    expect((json.pages as unknown[]).length).toBe(touchpoint.attributes.length);
  });

  it("SERVQUAL has 22 items over the five dimensions, E and P, plus 100 points per dimension", () => {
    expect(SERVQUAL_ITEMS).toHaveLength(22);
    const perDimension = SERVQUAL_DIMENSIONS.map((d) => SERVQUAL_ITEMS.filter((i) => i.dimension === d).length);
    expect(perDimension).toEqual([4, 5, 4, 4, 5]);
    expect(new Set(SERVQUAL_ITEMS.map((i) => i.key)).size).toBe(22);

    const json = buildSurvey(touchpoint, { template: "servqual" });
    const plan = measurementPlan(json).items;
    const kinds = kindsByAttribute(json);
    for (const a of servqualAttributes()) {
      expect([...(kinds.get(a.key) ?? [])].sort()).toEqual(["expectation", "perception"]);
      for (const item of plan.filter((i) => i.attributeKey === a.key)) expect(item.dimension).toBe(a.servqual);
    }
    const points = plan.filter((i) => i.kind === "importance_points");
    expect(points.map((p) => p.dimension)).toEqual([...SERVQUAL_DIMENSIONS]);
    expect(points.every((p) => p.question === "importance_points" && p.inputType === "number")).toBe(true);
  });

  it("SERVQUAL enforces the 100-point total on the page", () => {
    const model = new Model(buildSurvey(touchpoint, { template: "servqual" }));
    const points = model.getQuestionByName("importance_points");
    points.value = { tangibles: 10, reliability: 30, responsiveness: 20, assurance: 20, empathy: 10 };
    expect(points.validate(true)).toBe(false);
    points.value = { tangibles: 10, reliability: 30, responsiveness: 20, assurance: 20, empathy: 20 };
    expect(points.validate(true)).toBe(true);
    expect(model.getQuestionByName("importance_points_total").value).toBe(100);
  });

  it("Brand Experience has 12 items, 3 per dimension, one reverse-coded in each", () => {
    expect(BRAND_EXPERIENCE_ITEMS).toHaveLength(12);
    const json = buildSurvey(touchpoint, { template: "brand_experience" });
    const plan = measurementPlan(json).items;
    for (const kind of ["bx_sensory", "bx_affective", "bx_intellectual", "bx_behavioral"]) {
      const items = plan.filter((i) => i.kind === kind);
      expect(items).toHaveLength(3);
      expect(items.filter((i) => i.reverseCoded)).toHaveLength(1);
    }
    expect(plan.map((i) => i.attributeKey).sort()).toEqual(brandExperienceAttributes().map((a) => a.key).sort());
    // The negatively worded items of the published scale.
    expect(plan.filter((i) => i.reverseCoded).map((i) => i.attributeKey).sort()).toEqual(
      ["bes_affective_2", "bes_behavioral_3", "bes_intellectual_2", "bes_sensory_3"],
    );
  });

  it("adds the touchpoint-level blocks on request with their scales", () => {
    const json = buildSurvey(touchpoint, { nps: true, csat: true, ces: true, comment: true });
    const byKind = new Map(measurementPlan(json).items.map((i) => [i.kind, i]));
    expect(byKind.get("nps")?.scale).toEqual({ min: 0, max: 10 });
    expect(byKind.get("csat")?.scale).toEqual({ min: 1, max: 5 });
    expect(byKind.get("ces")?.scale).toEqual({ min: 1, max: 7 });
    expect(byKind.get("comment")?.questionType).toBe("comment");
    for (const kind of ["nps", "csat", "ces", "comment"] as const) expect(byKind.get(kind)?.attributeKey).toBeNull();
  });

  it("asks stated importance of the attributes the template perceives", () => {
    const importanceOf = (template: SurveyTemplate) =>
      measurementPlan(buildSurvey(touchpoint, { template, importance: true }))
        .items.filter((i) => i.kind === "importance")
        .map((i) => i.attributeKey);
    expect(importanceOf("gap_pair")).toEqual(touchpoint.attributes.map((a) => a.key));
    expect(importanceOf("zone_of_tolerance")).toEqual(touchpoint.attributes.map((a) => a.key));
    expect(importanceOf("servqual")).toHaveLength(22);
    expect(importanceOf("brand_experience")).toEqual([]);
  });

  it("speaks Spanish in SurveyJS's own buttons too, once the locales module is loaded", () => {
    const model = new Model(buildSurvey(touchpoint));
    expect(model.locale).toBe(DEFAULT_SURVEY_LOCALE);
    expect(model.completeText).toBe("Completar");
    model.locale = "en";
    expect(model.completeText).toBe("Complete");
  });

  it("takes a bilingual title", () => {
    const model = new Model(buildSurvey(touchpoint, { title: { es: "Su visita", en: "Your visit" } }));
    expect(model.title).toBe("Su visita");
    model.locale = "en";
    expect(model.title).toBe("Your visit");
  });
});

describe("measurement properties", () => {
  it("registers idempotently", () => {
    registerMeasurementProperties();
    registerMeasurementProperties();
    for (const className of ["question", "rating", "multipletextitem"]) {
      const named = Serializer.getProperties(className).filter((p) => p.name === MEASURE_PROPERTY);
      expect(named).toHaveLength(1);
    }
  });

  it("round-trips through survey-core", () => {
    const json = buildSurvey(touchpoint, { template: "brand_experience" });
    const again = new Model(new Model(json).toJSON());
    expect(again.jsonErrors).toBeNull();
    expect(measurementPlan(again.toJSON()).items).toEqual(measurementPlan(json).items);
  });
});
