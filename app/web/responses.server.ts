// Error responses a person can act on; routes throw these and the ErrorBoundary shows them.
import { data } from "@remix-run/node";

export function notFound(message = "Not found") {
  return data({ message }, { status: 404 });
}

export function forbidden(permission: string) {
  return data({ message: `Your role does not allow this (${permission}).` }, { status: 403 });
}

export function badRequest<T>(body: T) {
  return data(body, { status: 400 });
}
