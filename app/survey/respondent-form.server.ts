// The respondent page's form between requests: the hidden state read back (bounded, checked with
// zod: it comes from the browser), where a filling-in starts or resumes, and which renderer a
// survey version gets. The pages themselves are server-form.server.ts.
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { parseBoundedJson } from "~/cem/bounded-json";
import type { FormPayload, FormState, PageView } from "./form-view";
import { renderPage, resumeState, serverFormBlocker, startState, type TextVariables } from "./server-form.server";
import type { SurveyJson } from "./types";

/** The state is the answers so far: as large as an invitation's saved progress may be. */
export const MAX_FORM_STATE_LENGTH = 64 * 1024;

const FormStateSchema = z.object({
  version: z.number().int().positive(),
  data: z.record(z.string().max(200), z.unknown()),
  pageName: z.string().max(200),
  page: z.number().int().min(0).max(1000),
  startedAt: z.number().int().nonnegative(),
  submission: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/),
});

/** The hidden state as posted, or null when it is missing, oversized or not ours. */
export function readFormState(text: string | null): FormState | null {
  if (!text || text.length > MAX_FORM_STATE_LENGTH) return null;
  const parsed = parseBoundedJson(text, { maxChars: MAX_FORM_STATE_LENGTH });
  if (!parsed.ok) return null;
  const state = FormStateSchema.safeParse(parsed.value);
  return state.success ? state.data : null;
}

/** 128 random bits: a public link's submission id, so that a replayed last page records nothing twice. */
export function newSubmissionId(): string {
  return randomBytes(16).toString("base64url");
}

const SavedProgressSchema = z.object({
  data: z.record(z.string(), z.unknown()),
  page: z.number().int().min(0),
  pageName: z.string().optional(),
  startedAt: z.number().int().optional(),
});

/**
 * Where a filling-in starts: an invitation's saved progress (SurveyJS's { data, page } or the
 * form's own, with a page name) when there is any, else the first page.
 */
export function openingState(json: SurveyJson, version: number, savedProgress: string | null, now = Date.now()): FormState {
  const fresh = startState(json, version, now, newSubmissionId());
  if (!savedProgress) return fresh;
  const parsed = parseBoundedJson(savedProgress);
  const saved = parsed.ok ? SavedProgressSchema.safeParse(parsed.value) : null;
  if (!saved?.success) return fresh;
  const startedAt = saved.data.startedAt && saved.data.startedAt <= now ? saved.data.startedAt : now;
  return resumeState(json, saved.data, { ...fresh, startedAt });
}

/** What an invitation keeps as progress: readable by this form and by the SurveyJS fallback alike. */
export function progressOf(state: FormState): string {
  return JSON.stringify({ data: state.data, page: state.page, pageName: state.pageName, startedAt: state.startedAt });
}

export function formPayload(view: PageView, state: FormState, alert: string | null = null): FormPayload {
  return { view, state: JSON.stringify(state), alert };
}

export function openingPayload(json: SurveyJson, state: FormState, lang: "es" | "en", variables: TextVariables = {}): FormPayload {
  return formPayload(renderPage(json, state, lang, new Map(), variables), state);
}

// A published version (or a pulse's survey) never changes: whether the server can draw it is
// decided once per definition, keyed by what it is ("version:12", "pulse:3").
const blockers = new Map<string, string | null>();

/** True when the definition is drawn by the server renderer (else SurveyJS in the browser). */
export function drawnOnServer(key: string, json: SurveyJson): boolean {
  if (!blockers.has(key)) {
    if (blockers.size > 1000) blockers.clear();
    blockers.set(key, serverFormBlocker(json));
  }
  return blockers.get(key) === null;
}
