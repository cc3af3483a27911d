// The one place that turns a request into (user, workspace, role) and enforces a permission.
// A workspace the user does not belong to answers 404, exactly like one that does not exist.
import { findMemberWorkspace } from "~/data/workspaces.server";
import { can, type Permission, type Role } from "./permissions";
import { requireUser, type SessionUser } from "./session.server";
import { forbidden, notFound } from "~/web/responses.server";

export type WorkspaceRef = { id: number; slug: string; name: string; minN: number; timeZone: string; currency: string };
export type Member = { user: SessionUser; workspace: WorkspaceRef; role: Role };

export async function requireMember(
  request: Request,
  workspaceSlug: string | undefined,
  permission: Permission = "read",
): Promise<Member> {
  const user = await requireUser(request);
  const row = workspaceSlug ? await findMemberWorkspace(workspaceSlug, user.id) : undefined;
  if (!row) throw notFound();
  if (!can(row.role, permission)) throw forbidden(permission);
  const { role, ...workspace } = row;
  return { user, workspace, role };
}
