// What the respondent page renders for one page of a survey without SurveyJS in the browser: plain
// data (no survey-core types), built on the server by server-form.server.ts and drawn as an HTML
// form by components/respondent/SurveyForm.tsx. Safe to import in the browser.

/** A radio button or checkbox of a question. */
export type FormOption = { value: string; label: string; checked: boolean };

type QuestionBase = {
  /** The question's name (the data key's owner), as errors report it. */
  name: string;
  /** Position on the page: element ids are built from it, never from a designer's name. */
  id: string;
  title: string;
  description: string | null;
  required: boolean;
  /** What an unanswered required question is told: SurveyJS's own text in the page's language. */
  requiredMessage: string;
  /** Errors of the last attempt to leave the page, in the page's language. */
  errors: string[];
};

export type QuestionView = QuestionBase &
  (
    | { type: "rating"; field: string; options: FormOption[]; minLabel: string | null; maxLabel: string | null }
    | { type: "choice" | "checkbox" | "boolean"; field: string; options: FormOption[] }
    | { type: "text"; field: string; inputType: string; value: string; maxLength: number | null }
    | { type: "comment"; field: string; value: string; maxLength: number | null }
    | { type: "matrix"; rows: { field: string; label: string; options: FormOption[] }[] }
    | { type: "multipletext"; items: { field: string; label: string; inputType: string; value: string; required: boolean }[] }
    | { type: "html"; html: string }
    | { type: "expression"; value: string }
  );

export type PageView = {
  name: string;
  title: string | null;
  description: string | null;
  /** 0-based among the pages the respondent will see, and how many there are by their answers so far. */
  index: number;
  count: number;
  questions: QuestionView[];
  /** SurveyJS's own button texts in the page's language ("Anterior", "Siguiente", "Completar"). */
  prevText: string;
  nextText: string;
  isFirst: boolean;
  isLast: boolean;
};

/**
 * The answers so far and where the respondent is, carried in the form's hidden "state" field from
 * page to page (and kept on the invitation for personal links). It holds nothing but what the
 * respondent sent: the final submission is validated again in full before anything is stored.
 */
export type FormState = {
  /** The survey version the pages come from: answers are recorded against the version answered. */
  version: number;
  data: Record<string, unknown>;
  /** The page being answered, by name (indexes shift when skip logic hides pages). */
  pageName: string;
  /** The same page as SurveyJS's currentPageNo, so that the SurveyJS fallback can resume too. */
  page: number;
  startedAt: number;
  /** A public link's submission id (random, per filling-in): a replayed final POST records nothing twice. */
  submission: string;
};

/** What the respondent page needs to draw the form: the page, and the state its hidden field carries. */
export type FormPayload = { view: PageView; state: string; alert: string | null };
