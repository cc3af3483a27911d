// Texts of the respondent page's server-drawn form (components/respondent/SurveyForm.tsx): formal
// "usted", as in the survey templates. Button texts and validation messages are SurveyJS's own.
export const es = {
  "respondent.form.progress": "Página {n} de {count}",
  "respondent.form.check": "Falta algo en esta página. Revise las preguntas marcadas:",
  "respondent.form.required": "(obligatoria)",
  "respondent.form.restarted": "No pudimos leer sus respuestas anteriores. Empiece de nuevo, por favor.",
} as const;

export const en: Record<keyof typeof es, string> = {
  "respondent.form.progress": "Page {n} of {count}",
  "respondent.form.check": "Something is missing on this page. Please check the questions marked:",
  "respondent.form.required": "(required)",
  "respondent.form.restarted": "We could not read your earlier answers. Please start again.",
};
