// Error responses a person can act on; routes throw these and the ErrorBoundary shows them.
import { data } from "@remix-run/node";
import { PERMISSIONS, type Permission } from "~/auth/permissions";

export function notFound(message = "Not found") {
  return data({ message }, { status: 404 });
}

/** The body of a 403: the permission missing and the roles that hold it, so the page can say whom to ask. */
export type ForbiddenBody = { message: string; permission: Permission; roles: string[] };

export function forbidden(permission: Permission) {
  const roles = [...PERMISSIONS[permission]];
  const body: ForbiddenBody = { message: `You need the permission ${permission} (${roles.join(", ")}).`, permission, roles };
  return data(body, { status: 403 });
}

export function badRequest<T>(body: T) {
  return data(body, { status: 400 });
}
