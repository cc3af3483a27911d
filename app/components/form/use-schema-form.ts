// The client side of a form: conform's useForm over the route's zod schema, validated in the browser
// with the same messages, in the same language, as the server's parse (app/web/form-schema.ts).
import { useForm, type SubmissionResult } from "@conform-to/react";
import { getZodConstraint } from "@conform-to/zod/v4";
import type { z } from "zod";
import { useLang } from "~/i18n/use-t";
import { parseSubmission } from "~/web/form-schema";

type Options<S extends z.ZodType> = {
  /** Distinguishes several forms on one page (each process's form, say). */
  id?: string;
  /** The action's `submission.reply()`: its messages and the values typed, kept after a failed submit. */
  lastResult?: SubmissionResult<string[]> | null;
  defaultValue?: Partial<z.input<S>> | Record<string, unknown>;
};

export function useSchemaForm<S extends z.ZodObject>(schema: S, { id, lastResult, defaultValue }: Options<S> = {}) {
  const lang = useLang();
  return useForm<z.input<S>, z.output<S>, string[]>({
    id,
    lastResult,
    defaultValue: defaultValue as never,
    constraint: getZodConstraint(schema),
    // Quiet while typing a first time; once a field has spoken, it re-checks as the person corrects it.
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseSubmission(formData, schema, lang),
  });
}
