// Form and JSON boundaries: parse with a zod schema, and on failure give back every field's
// message plus what the person typed, so nothing they entered is lost.
import type { z } from "zod";

export type FieldErrors = Record<string, string>;
export type FormResult<T> =
  | { ok: true; data: T; values: Record<string, string> }
  | { ok: false; errors: FieldErrors; values: Record<string, string> };

export function formValues(formData: FormData): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of formData.entries()) {
    if (typeof value === "string") values[key] = value;
  }
  return values;
}

const NUL_IN_FIELD = "This field holds a NUL character (\\u0000); remove it.";

export function zodErrors(error: z.ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? issue.path.join(".") : "_form";
    errors[key] ??= issue.message;
  }
  return errors;
}

export function parseFormData<S extends z.ZodType>(formData: FormData, schema: S): FormResult<z.output<S>> {
  const values = formValues(formData);
  // A NUL character belongs in no field (PostgreSQL refuses to store one): the field is refused.
  const withNul = Object.keys(values).filter((key) => values[key].includes("\0"));
  if (withNul.length > 0) {
    for (const key of withNul) values[key] = values[key].replaceAll("\0", "");
    return { ok: false, errors: Object.fromEntries(withNul.map((key) => [key, NUL_IN_FIELD])), values };
  }
  const parsed = schema.safeParse(values);
  if (parsed.success) return { ok: true, data: parsed.data, values };
  return { ok: false, errors: zodErrors(parsed.error), values };
}

/** What a person (or program) is told when the body is not a form that can be read. */
export const UNREADABLE_FORM = "The form could not be read (malformed or cut off); submit it again.";

/**
 * The request's form body, or null when it cannot be read as one: a malformed multipart body,
 * another content type, a body cut off. The caller answers 400; reading never throws into a 500.
 */
export async function readFormData(request: Request): Promise<FormData | null> {
  try {
    return await request.formData();
  } catch {
    return null;
  }
}

export async function parseForm<S extends z.ZodType>(request: Request, schema: S): Promise<FormResult<z.output<S>>> {
  const formData = await readFormData(request);
  if (formData === null) return { ok: false, errors: { _form: UNREADABLE_FORM }, values: {} };
  return parseFormData(formData, schema);
}
