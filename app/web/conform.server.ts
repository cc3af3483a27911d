// The server side of a form: read the body, refuse NUL characters, parse with the route's zod schema
// in the interface language. A failed parse is answered with `submission.reply()` and status 400, so
// the page renders again with the messages and with everything the person typed.
import type { z } from "zod";
import { requestLang } from "~/i18n/lang.server";
import { translator, type Translate } from "~/i18n/messages";
import type { Lang } from "~/i18n/lang";
import { parseSubmission } from "./form-schema";
import { readFormData } from "./request-body.server";

export type ServerSubmission<S extends z.ZodType> = ReturnType<typeof parseSubmission<S>>;

/** Parses already-read form data; a field holding NUL is refused (PostgreSQL cannot store one). */
export function submissionOf<S extends z.ZodType>(formData: FormData, schema: S, lang: Lang): ServerSubmission<S> {
  const t = translator(lang);
  const withNul = [...formData.entries()].filter(([, v]) => typeof v === "string" && v.includes("\0")).map(([k]) => k);
  if (withNul.length > 0) {
    const cleaned = new FormData();
    for (const [k, v] of formData.entries()) cleaned.append(k, typeof v === "string" ? v.replaceAll("\0", "") : v);
    const submission = parseSubmission(cleaned, schema, lang);
    const nulErrors: Record<string, string[]> = Object.fromEntries(withNul.map((k) => [k, [t("form.nul")]]));
    // Refused whatever the rest says: an error submission whose reply carries these messages too.
    return {
      status: "error",
      payload: submission.payload,
      error: { ...(submission.status === "success" ? {} : submission.error), ...nulErrors },
      reply: (options?: { formErrors?: string[]; fieldErrors?: Record<string, string[]> }) =>
        submission.reply({ ...options, fieldErrors: { ...nulErrors, ...options?.fieldErrors } }),
    } as unknown as ServerSubmission<S>;
  }
  return parseSubmission(formData, schema, lang);
}

/**
 * Reads and parses the request's form. `formData` is null when the body could not be read as a form
 * (the caller answers 400 with `unreadable`); `t` words any further message the action adds.
 */
export async function parseRequestForm<S extends z.ZodType>(request: Request, schema: S) {
  const lang = await requestLang(request);
  const t: Translate = translator(lang);
  const formData = await readFormData(request);
  if (formData === null) {
    const submission = parseSubmission(new FormData(), schema, lang);
    return { formData, submission, t, lang, unreadable: submission.reply({ formErrors: [t("form.unreadable")] }) };
  }
  return { formData, submission: submissionOf(formData, schema, lang), t, lang, unreadable: null };
}
