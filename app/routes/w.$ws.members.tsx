// Members and invitations (admins only): invite by email with a role, change roles, remove.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { requireMember } from "~/auth/guard.server";
import { ROLES } from "~/auth/roles";
import { Field } from "~/components/Field";
import { changeRole, inviteMember, listMembers, listPendingInvites, removeMember, revokeInvite } from "~/data/members.server";
import { normaliseEmail } from "~/data/users.server";
import { useT } from "~/i18n/use-t";
import { parseFormData } from "~/web/form.server";
import { inviteEmail, memberEmail, recordAudit, type AuditAction } from "~/data/audit.server";
import { clientAddress } from "~/web/context";

const InviteSchema = z.object({ email: z.string().trim().email("Enter an email address.").transform(normaliseEmail), role: z.enum(ROLES) });
const RoleSchema = z.object({ userId: z.coerce.number().int(), role: z.enum(ROLES) });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { workspace, user } = await requireMember(request, params.ws, "members:manage");
  return { members: await listMembers(workspace.id), invites: await listPendingInvites(workspace.id), me: user.id };
}

type Result = { notice?: { key: "added" | "invited" | "lastAdmin"; email?: string; link?: string }; errors?: Record<string, string> };

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { workspace, user } = await requireMember(request, params.ws, "members:manage");
  const audit = (action: AuditAction, target: string | null, detail?: unknown) =>
    recordAudit({ workspaceId: workspace.id, actorUserId: user.id, action, target, detail, ip: clientAddress(context) || null });
  const formData = await request.formData();
  const intent = formData.get("intent");
  if (intent === "role") {
    const form = parseFormData(formData, RoleSchema);
    if (!form.ok) return data<Result>({ errors: form.errors }, { status: 400 });
    const email = await memberEmail(workspace.id, form.data.userId);
    const r = await changeRole(workspace.id, form.data.userId, form.data.role);
    if (r.ok && email) await audit("member.role_changed", email, { role: form.data.role });
    return data<Result>(r.ok ? {} : { notice: { key: "lastAdmin" } }, { status: r.ok ? 200 : 400 });
  }
  if (intent === "remove") {
    const email = await memberEmail(workspace.id, Number(formData.get("userId")));
    const r = await removeMember(workspace.id, Number(formData.get("userId")));
    if (r.ok && email) await audit("member.removed", email);
    return data<Result>(r.ok ? {} : { notice: { key: "lastAdmin" } }, { status: r.ok ? 200 : 400 });
  }
  if (intent === "revokeInvite") {
    const email = await inviteEmail(workspace.id, Number(formData.get("inviteId")));
    await revokeInvite(workspace.id, Number(formData.get("inviteId")));
    if (email) await audit("member.invite_revoked", email);
    return data<Result>({});
  }
  const form = parseFormData(formData, InviteSchema);
  if (!form.ok) return data<Result>({ errors: form.errors }, { status: 400 });
  const outcome = await inviteMember(workspace.id, form.data.email, form.data.role, user.id);
  if (outcome.kind !== "already_member") await audit(outcome.kind === "added" ? "member.added" : "member.invited", form.data.email, { role: form.data.role });
  if (outcome.kind === "invited") {
    const link = `${new URL(request.url).origin}/invite/${outcome.token}`;
    return data<Result>({ notice: { key: "invited", email: form.data.email, link } });
  }
  return data<Result>({ notice: { key: "added", email: form.data.email } });
}

export default function MembersPage() {
  const { members, invites, me } = useLoaderData<typeof loader>();
  const result = useActionData<Result>();
  const t = useT();
  return (
    <>
      <h1>{t("members.title")}</h1>
      {result?.notice?.key === "invited" ? (
        <p className="notice" role="status">
          {t("members.invited", { email: result.notice.email ?? "" })}
          <code className="secret">{result.notice.link}</code>
        </p>
      ) : null}
      {result?.notice?.key === "added" ? <p className="notice" role="status">{t("members.added", { email: result.notice.email ?? "" })}</p> : null}
      {result?.notice?.key === "lastAdmin" ? <p className="notice error" role="alert">{t("members.lastAdmin")}</p> : null}
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{t("auth.name")}</th>
              <th scope="col">{t("auth.email")}</th>
              <th scope="col">{t("members.role")}</th>
              <th scope="col">{t("common.actions")}</th>
            </tr>
          </thead>
          <tbody>
            {members.map((m) => (
              <tr key={m.userId}>
                <td>
                  {m.name} {m.userId === me ? <span className="muted">{t("members.you")}</span> : null}
                </td>
                <td>{m.email}</td>
                <td>
                  <Form method="post" className="row">
                    <input type="hidden" name="userId" value={m.userId} />
                    <select name="role" defaultValue={m.role} aria-label={`${t("members.role")}: ${m.email}`}>
                      {ROLES.map((r) => (
                        <option key={r} value={r}>
                          {t(`role.${r}`)}
                        </option>
                      ))}
                    </select>
                    <button type="submit" name="intent" value="role" className="secondary small">
                      {t("members.changeRole")}
                    </button>
                  </Form>
                </td>
                <td>
                  <Form method="post">
                    <input type="hidden" name="userId" value={m.userId} />
                    <button type="submit" name="intent" value="remove" className="danger small">
                      {t("members.remove")}
                    </button>
                  </Form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {invites.length > 0 ? (
        <>
          <h2>{t("members.pending")}</h2>
          <ul className="tp-list">
            {invites.map((i) => (
              <li key={i.id}>
                {i.email} <span className="badge">{t(`role.${i.role}`)}</span>
                <Form method="post">
                  <input type="hidden" name="inviteId" value={i.id} />
                  <button type="submit" name="intent" value="revokeInvite" className="danger small">
                    {t("members.remove")}
                  </button>
                </Form>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <h2>{t("members.invite")}</h2>
      <Form method="post" className="row card">
        <input type="hidden" name="intent" value="invite" />
        <Field label={t("auth.email")} name="email" type="email" required error={result?.errors?.email} />
        <label>
          {t("members.role")}
          <select name="role" defaultValue="designer">
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {t(`role.${r}`)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">{t("members.inviteButton")}</button>
      </Form>
    </>
  );
}
