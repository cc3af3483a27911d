// The error shape of every /api/v1 endpoint: JSON `{ error, message, errors? }` with a 4xx status
// (README, "The API"). `error` is a stable code for programs, `message` a sentence for people,
// `errors` the field or item errors when there are any. Resource routes answer plain Responses: a
// returned data() would lose its status under single fetch.

export type ApiProblem = { error: string; message: string; errors?: unknown };

export function problemBody(error: string, message: string, errors?: unknown): ApiProblem {
  return errors === undefined ? { error, message } : { error, message, errors };
}

/** A zod failure as the API's `errors`: each field's path (dotted) with its first message. */
export function fieldErrors(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of error.issues) errors[issue.path.length ? issue.path.map(String).join(".") : "_form"] ??= issue.message;
  return errors;
}

export function apiProblem(status: number, error: string, message: string, options: { errors?: unknown; headers?: HeadersInit } = {}): Response {
  return Response.json(problemBody(error, message, options.errors), { status, headers: options.headers });
}
