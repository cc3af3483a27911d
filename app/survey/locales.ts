// The languages surveys speak: Spanish first, English alongside. Importing this module loads
// SurveyJS's Spanish UI strings ("Siguiente", "Completar", its error texts), which survey-core
// ships apart from the core; English is built in. Those Spanish strings mix "tú" and "usted"; the
// ones a respondent can meet in "tú" are rewritten here in "usted", the register of every other text.
import { surveyLocalization } from "survey-core";
import "survey-core/i18n/spanish";

export const SURVEY_LOCALES = ["es", "en"] as const;
export type SurveyLocale = (typeof SURVEY_LOCALES)[number];
export const DEFAULT_SURVEY_LOCALE: SurveyLocale = "es";

export function isSurveyLocale(value: unknown): value is SurveyLocale {
  return typeof value === "string" && (SURVEY_LOCALES as readonly string[]).includes(value);
}

/** SurveyJS's Spanish UI strings written with "tú", in "usted". */
export const SPANISH_SURVEY_STRINGS_IN_USTED: Record<string, string> = {
  editText: "Editar",
  startSurveyText: "Comenzar",
  commentText: "Por favor, deje un comentario",
  ratingOptionsCaption: "Toque aquí para calificar...",
  incompletePatternError: "Por favor, complete el valor para que coincida con el formato requerido.",
  exceedMaxFiles: "El número máximo de archivos que puede subir es {0}.",
  saveAgainButton: "Inténtelo de nuevo.",
  timerSpentAll: "Ha pasado {0} en esta página y {1} en total.",
  timerSpentSurvey: "Ha pasado {0} en total.",
  timerLimitAll: "Ha pasado {0} de {1} en esta página y {2} de {3} en total.",
  timerLimitPage: "Ha pasado {0} de {1} en esta página.",
  confirmDelete: "¿Quiere borrar el registro?",
  confirmRemoveFile: "¿Está seguro de que quiere eliminar este archivo: {0}?",
  confirmRemoveAllFiles: "¿Está seguro de que quiere eliminar todos los archivos?",
  filterStringPlaceholder: "Escriba para buscar...",
  removeFileCaption: "Eliminar este archivo",
  signaturePlaceHolder: "Firme aquí",
};
Object.assign(surveyLocalization.locales.es, SPANISH_SURVEY_STRINGS_IN_USTED);
