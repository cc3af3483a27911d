// The titles a published definition gives the survey, and the one a respondent reads from a version: per language, a Spanish fallback repeated in
// the English slot is no translation, and a definition without a title changes nothing.
import { describe, expect, it } from "vitest";
import { surveyTitle } from "~/data/respondent.server";
import { definitionTitles } from "~/data/surveys.server";

const def = (title: unknown) => JSON.stringify({ title, pages: [] });

describe("definitionTitles", () => {
  it("takes each language a localized title sets; SurveyJS's default is English", () => {
    expect(definitionTitles(def({ es: "Bienvenida {brand}", en: "Welcome {brand}" }))).toEqual({ title: "Bienvenida {brand}", titleEn: "Welcome {brand}" });
    expect(definitionTitles(def({ default: "Welcome", es: "Bienvenida" }))).toEqual({ title: "Bienvenida", titleEn: "Welcome" });
    expect(definitionTitles(def({ en: "Welcome only" }))).toEqual({ titleEn: "Welcome only" });
  });

  it("leaves the English title alone where the definition only repeats the Spanish one", () => {
    expect(definitionTitles(def({ es: "Bienvenida", en: "Bienvenida" }))).toEqual({ title: "Bienvenida" });
  });

  it("reads a plain string as the Spanish title, and changes nothing without a title", () => {
    expect(definitionTitles(def("  Bienvenida  "))).toEqual({ title: "Bienvenida" });
    expect(definitionTitles(def(undefined))).toEqual({});
    expect(definitionTitles(def({ es: "  " }))).toEqual({});
    expect(definitionTitles("not json")).toEqual({});
  });
});

describe("surveyTitle", () => {
  it("reads the respondent's language, else the other one; a plain string is every language's", () => {
    const json = (title: unknown) => ({ title, pages: [] });
    expect(surveyTitle(json({ es: "Bienvenida", default: "Welcome" }), "es")).toBe("Bienvenida");
    expect(surveyTitle(json({ es: "Bienvenida", default: "Welcome" }), "en")).toBe("Welcome");
    expect(surveyTitle(json({ es: "Bienvenida", en: "Hello", default: "Welcome" }), "en")).toBe("Hello");
    expect(surveyTitle(json({ es: "Solo español" }), "en")).toBe("Solo español");
    expect(surveyTitle(json({ default: "Only English" }), "es")).toBe("Only English");
    expect(surveyTitle(json("Plain"), "es")).toBe("Plain");
    expect(surveyTitle(json(undefined), "es")).toBe("");
  });
});
