// The error shape of every /api/v1 endpoint: JSON `{ error, message, errors? }` with a 4xx status
// (README, "The API"). `error` is a stable code for programs, `message` a sentence for people,
// `errors` the field or item errors when there are any. Resource routes answer plain Responses: a
// returned data() would lose its status under single fetch.

export type ApiProblem = { error: string; message: string; errors?: unknown };

export function problemBody(error: string, message: string, errors?: unknown): ApiProblem {
  return errors === undefined ? { error, message } : { error, message, errors };
}

export function apiProblem(status: number, error: string, message: string, options: { errors?: unknown; headers?: HeadersInit } = {}): Response {
  return Response.json(problemBody(error, message, options.errors), { status, headers: options.headers });
}
