import { describe, expect, it } from "vitest";
import { extractComment, extractMeasurements, reverseScore, type Measurement } from "~/cem/measurement";
import { BRAND_EXPERIENCE_ITEMS } from "~/survey/brand-experience";
import { buildSurvey } from "~/survey/templates";
import type { SurveyJson, SurveyTouchpoint } from "~/survey/types";

const touchpoint: SurveyTouchpoint = {
  key: "checkout",
  name: "Caja",
  attributes: [
    { key: "speed", label: { es: "Rapidez", en: "Speed" }, servqual: "responsiveness" },
    { key: "friendliness", label: { es: "Amabilidad", en: "Friendliness" }, servqual: "empathy" },
  ],
};

const byKey = (rows: Measurement[]) =>
  Object.fromEntries(rows.map((r) => [`${r.attributeKey ?? ""}/${r.kind}`, r.value]));

describe("extractMeasurements", () => {
  it("reads a gap pair with the touchpoint-level measures, one row per attribute × kind", () => {
    const json = buildSurvey(touchpoint, { nps: true, csat: true, ces: true, importance: true, comment: true });
    const data = {
      speed__expectation: 6,
      speed__perception: 4,
      friendliness__expectation: 5,
      friendliness__perception: 7,
      speed__importance: 7,
      friendliness__importance: 3,
      nps: 8,
      csat: 4,
      ces: 6,
      comment: "  Muy rápido  ",
    };
    const rows = extractMeasurements(json, data);
    expect(byKey(rows)).toEqual({
      "speed/expectation": 6,
      "speed/perception": 4,
      "friendliness/expectation": 5,
      "friendliness/perception": 7,
      "speed/importance": 7,
      "friendliness/importance": 3,
      "/nps": 8,
      "/csat": 4,
      "/ces": 6,
    });
    expect(rows.find((r) => r.attributeKey === "speed")?.dimension).toBe("responsiveness");
    expect(rows.filter((r) => r.kind === "nps" || r.kind === "csat" || r.kind === "ces").every((r) => r.attributeKey === null)).toBe(true);
    // The comment is text, never a measurement.
    expect(rows.some((r) => (r.kind as string) === "comment")).toBe(false);
    expect(extractComment(json, data)).toBe("Muy rápido");
    expect(extractComment(json, { ...data, comment: "   " })).toBeNull();
    expect(extractComment(json, { speed__perception: 3 })).toBeNull();
  });

  it("reads the zone-of-tolerance kinds", () => {
    const json = buildSurvey(touchpoint, { template: "zone_of_tolerance" });
    const data = {
      speed__adequate: 4,
      speed__desired: 8,
      speed__perception: 6,
      friendliness__adequate: 5,
      friendliness__desired: 9,
      friendliness__perception: 3,
    };
    expect(byKey(extractMeasurements(json, data))).toEqual({
      "speed/adequate": 4,
      "speed/desired": 8,
      "speed/perception": 6,
      "friendliness/adequate": 5,
      "friendliness/desired": 9,
      "friendliness/perception": 3,
    });
  });

  it("flips reverse-coded Brand Experience items on their 1–7 scale", () => {
    const json = buildSurvey(touchpoint, { template: "brand_experience" });
    const data = Object.fromEntries(BRAND_EXPERIENCE_ITEMS.map((item) => [`${item.key}__${item.kind}`, 2]));
    const rows = extractMeasurements(json, data);
    expect(rows).toHaveLength(12);
    for (const item of BRAND_EXPERIENCE_ITEMS) {
      const row = rows.find((r) => r.attributeKey === item.key);
      expect(row?.kind).toBe(item.kind);
      expect(row?.value).toBe(item.reverseCoded ? 6 : 2);
    }
  });

  it("flips on the item's own scale", () => {
    const json: SurveyJson = {
      elements: [
        { type: "rating", name: "a", rateMin: 1, rateMax: 9, vivMeasure: "adequate", vivAttribute: "speed" },
        { type: "rating", name: "d", rateMin: 1, rateMax: 9, vivMeasure: "desired", vivAttribute: "speed" },
        { type: "rating", name: "p", rateMin: 1, rateMax: 9, vivMeasure: "perception", vivAttribute: "speed", vivReverseCoded: true },
      ],
    };
    expect(byKey(extractMeasurements(json, { a: 3, d: 8, p: 2 }))).toEqual({ "speed/adequate": 3, "speed/desired": 8, "speed/perception": 8 });
    expect(reverseScore(0, { min: 0, max: 10 })).toBe(10);
    expect(reverseScore(7, { min: 1, max: 7 })).toBe(1);
  });

  it("puts importance points on their dimension", () => {
    const json = buildSurvey(touchpoint, { template: "servqual" });
    const points = { tangibles: 10, reliability: 30, responsiveness: 20, assurance: 25, empathy: 15 };
    const rows = extractMeasurements(json, { importance_points: points, sq_empathy_2__perception: 5 });
    expect(rows).toEqual([
      { attributeKey: "sq_empathy_2", kind: "perception", value: 5, dimension: "empathy" },
      ...Object.entries(points).map(([dimension, value]) => ({
        attributeKey: dimension,
        kind: "importance_points",
        value,
        dimension,
      })),
    ]);
  });

  it("skips unanswered, non-numeric and off-scale answers and unmeasured questions", () => {
    const json: SurveyJson = {
      elements: [
        { type: "rating", name: "e", rateMin: 1, rateMax: 7, vivMeasure: "expectation", vivAttribute: "speed" },
        { type: "rating", name: "p", rateMin: 1, rateMax: 7, vivMeasure: "perception", vivAttribute: "speed" },
        { type: "rating", name: "n", rateMin: 0, rateMax: 10, vivMeasure: "nps" },
        { type: "rating", name: "free", rateMin: 1, rateMax: 5 },
      ],
    };
    expect(extractMeasurements(json, { e: "6", p: 12, free: 3 })).toEqual([]);
    expect(extractMeasurements(json, { n: 0 })).toEqual([{ attributeKey: null, kind: "nps", value: 0, dimension: null }]);
  });
});
