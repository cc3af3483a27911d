// The titles a published definition gives the survey: per language, a Spanish fallback repeated in
// the English slot is no translation, and a definition without a title changes nothing.
import { describe, expect, it } from "vitest";
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
