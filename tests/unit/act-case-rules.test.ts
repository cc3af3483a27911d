import { describe, expect, it } from "vitest";
import {
  caseRuleSettingsSchema,
  casesForResponse,
  defaultCaseRuleSettings,
  matchedKeywords,
  type ResponseMeasurement,
} from "~/cem/case-rules";

const m = (attributeKey: string | null, kind: string, value: number): ResponseMeasurement => ({ attributeKey, kind, value });

describe("case rule settings", () => {
  it("defaults: detractor, gap −2 and low CSAT on; keywords off", () => {
    expect(defaultCaseRuleSettings).toEqual({
      detractor: { enabled: true },
      gap: { enabled: true, threshold: -2 },
      lowCsat: { enabled: true },
      keywords: { enabled: false, words: [] },
    });
  });

  it("fills defaults inside a partly given section and rejects a positive gap threshold", () => {
    expect(caseRuleSettingsSchema.parse({ gap: { threshold: -1 } }).gap).toEqual({ enabled: true, threshold: -1 });
    expect(caseRuleSettingsSchema.safeParse({ gap: { threshold: 1 } }).success).toBe(false);
  });
});

describe("casesForResponse", () => {
  it("opens one case carrying every reason", () => {
    const settings = caseRuleSettingsSchema.parse({ keywords: { enabled: true, words: ["pésimo", "grosero"] } });
    const decision = casesForResponse(
      {
        measurements: [
          m(null, "nps", 3),
          m("waiting_time", "expectation", 5),
          m("waiting_time", "perception", 2), // gap −3 ≤ −2
          m("courtesy", "expectation", 5),
          m("courtesy", "perception", 4), // gap −1: no
          m(null, "csat", 2),
        ],
        comment: "El servicio fue PESIMO, y la espera larguísima.",
      },
      settings,
    );
    expect(decision.open).toBe(true);
    expect(decision.reasons.map((r) => r.rule)).toEqual(["detractor", "gap", "low_csat", "keyword"]);
    expect(decision.reasons[1]).toEqual({
      rule: "gap",
      attributeKey: "waiting_time",
      detail: "waiting_time: perception 2 − expectation 5 = -3 (threshold -2)",
    });
    expect(decision.reasons[3].detail).toBe('Comment mentions "pésimo"');
  });

  it("a gap exactly at the threshold opens; one just above does not", () => {
    const at = casesForResponse({ measurements: [m("a", "expectation", 6), m("a", "perception", 4)], comment: null });
    expect(at.reasons).toEqual([expect.objectContaining({ rule: "gap", attributeKey: "a" })]);
    const above = casesForResponse({ measurements: [m("a", "expectation", 6), m("a", "perception", 4.5)], comment: null });
    expect(above).toEqual({ open: false, reasons: [] });
  });

  it("needs both perception and expectation for a gap", () => {
    const d = casesForResponse({ measurements: [m("a", "perception", 1)], comment: null });
    expect(d.open).toBe(false);
  });

  it("passives, promoters and CSAT 3 open nothing", () => {
    const d = casesForResponse({ measurements: [m(null, "nps", 7), m(null, "nps", 10), m(null, "csat", 3)], comment: "pésimo" });
    expect(d).toEqual({ open: false, reasons: [] }); // keywords are off by default
  });

  it("NPS 6 is a detractor, CSAT 1 is low", () => {
    const d = casesForResponse({ measurements: [m(null, "nps", 6), m("checkout", "csat", 1)], comment: null });
    expect(d.reasons).toEqual([
      { rule: "detractor", detail: "Likelihood to recommend 6 of 10 (detractor: 0–6)" },
      { rule: "low_csat", attributeKey: "checkout", detail: "Satisfaction 1 of 5 on checkout" },
    ]);
  });

  it("honours disabled rules", () => {
    const settings = caseRuleSettingsSchema.parse({ detractor: { enabled: false }, gap: { enabled: false }, lowCsat: { enabled: false } });
    const d = casesForResponse(
      { measurements: [m(null, "nps", 0), m("a", "expectation", 7), m("a", "perception", 1), m(null, "csat", 1)], comment: null },
      settings,
    );
    expect(d.open).toBe(false);
  });
});

describe("matchedKeywords", () => {
  it("matches whole words, ignoring case and accents", () => {
    expect(matchedKeywords("Todo MAL, pésimo", ["mal", "pesimo"])).toEqual(["mal", "pesimo"]);
    expect(matchedKeywords("Una malta fría", ["mal"])).toEqual([]);
    expect(matchedKeywords("desatención total", ["atención"])).toEqual([]);
    expect(matchedKeywords("Atención: no sirve", ["ATENCION"])).toEqual(["ATENCION"]);
  });

  it("matches phrases across any whitespace and treats regex characters literally", () => {
    expect(matchedKeywords("la app no\n  funciona", ["no funciona"])).toEqual(["no funciona"]);
    expect(matchedKeywords("precio (caro)", ["(caro)"])).toEqual(["(caro)"]);
    expect(matchedKeywords("precio caro", ["c.ro"])).toEqual([]);
  });
});
