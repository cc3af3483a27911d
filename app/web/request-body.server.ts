// Reading a request's body at the boundary. `readFormData` gives the body as form data, or null when
// it cannot be read as one (the caller answers 400; reading never throws into a 500). Forms a person
// fills in are then parsed with their schema through conform (conform.server.ts); `parseFields` is for
// bodies that are a protocol rather than a form: the respondent pages' answers, progress and page
// steps, written by our own page and script, whose only failures are tampered or truncated bodies.
import type { z } from "zod";

export async function readFormData(request: Request): Promise<FormData | null> {
  try {
    return await request.formData();
  } catch {
    return null;
  }
}

export type ParsedFields<T> = { ok: true; data: T } | { ok: false; errors: Record<string, string> };

/** The body's text fields parsed with `schema`; on failure each field's first message. A NUL is refused. */
export function parseFields<S extends z.ZodType>(formData: FormData, schema: S): ParsedFields<z.output<S>> {
  const values: Record<string, string> = {};
  for (const [key, value] of formData.entries()) if (typeof value === "string") values[key] = value;
  // A NUL character belongs in no field (PostgreSQL refuses to store one).
  const withNul = Object.keys(values).filter((key) => values[key].includes("\0"));
  if (withNul.length > 0) return { ok: false, errors: Object.fromEntries(withNul.map((key) => [key, "This field holds a NUL character (\\u0000); remove it."])) };
  const parsed = schema.safeParse(values);
  if (parsed.success) return { ok: true, data: parsed.data };
  const errors: Record<string, string> = {};
  for (const issue of parsed.error.issues) errors[issue.path.length ? issue.path.join(".") : "_form"] ??= issue.message;
  return { ok: false, errors };
}
