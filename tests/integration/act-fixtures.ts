// Shared by the act-* integration tests: answers with a chosen gap, NPS and CSAT for a template
// survey, and a POST to /api/v1/responses.
import type { SurveyJson } from "~/survey/types";
import { ratingAnswers } from "../support/survey-fixtures";

export type AnswerShape = { expectation?: number; perception?: number; nps?: number; csat?: number; comment?: string };

/** Every expectation and perception at the given values (so each attribute's gap is P − E), plus NPS and CSAT. */
export function answersWith(json: SurveyJson, shape: AnswerShape = {}): Record<string, unknown> {
  const { expectation = 5, perception = 5, nps = 9, csat = 4, comment } = shape;
  return ratingAnswers(
    json,
    (min, max, name) => {
      const want = name.endsWith("__expectation") ? expectation : name.endsWith("__perception") ? perception : name === "nps" ? nps : name === "csat" ? csat : max;
      return Math.min(max, Math.max(min, want));
    },
    comment,
  );
}

export function postResponse(baseUrl: string, token: string, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  return fetch(`${baseUrl}/api/v1/responses`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}`, ...headers },
    body: JSON.stringify(body),
  });
}

/** Polls `probe` (which may read the database, hence may be async) until it gives a truthy value. */
export async function waitFor<T>(
  probe: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  timeoutMs = 10_000,
  what = "condition",
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
