// The languages surveys speak: Spanish first, English alongside. Importing this module loads
// SurveyJS's Spanish UI strings ("Siguiente", "Completar", its error texts), which survey-core
// ships apart from the core; English is built in.
import "survey-core/i18n/spanish";

export const SURVEY_LOCALES = ["es", "en"] as const;
export type SurveyLocale = (typeof SURVEY_LOCALES)[number];
export const DEFAULT_SURVEY_LOCALE: SurveyLocale = "es";

export function isSurveyLocale(value: unknown): value is SurveyLocale {
  return typeof value === "string" && (SURVEY_LOCALES as readonly string[]).includes(value);
}
