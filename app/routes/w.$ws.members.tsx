// Members and invitations (admins only): invite by email with a role, change roles, remove.
import { getFormProps } from "@conform-to/react";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { requireMember } from "~/auth/guard.server";
import { ROLES } from "~/auth/roles";
import { FormErrors, SelectField, TextField } from "~/components/form/fields";
import { useSchemaForm } from "~/components/form/use-schema-form";
import { changeRole, inviteMember, listMembers, listPendingInvites, removeMember, revokeInvite } from "~/data/members.server";
import { normaliseEmail } from "~/data/users.server";
import { useT } from "~/i18n/use-t";
import { parseRequestForm } from "~/web/conform.server";
import { inviteEmail, memberEmail, recordAudit, type AuditAction } from "~/data/audit.server";
import { clientAddress } from "~/web/context";

const InviteSchema = z.object({ email: z.string().trim().pipe(z.email()), role: z.enum(ROLES) });
const RoleSchema = z.object({ userId: z.number().int().positive(), role: z.enum(ROLES) });
const MemberId = z.object({ userId: z.number().int().positive() });
const InviteId = z.object({ inviteId: z.number().int().positive() });
/** Every intent's fields in one schema: the intent picks which part is checked. */
const ActionSchema = z.discriminatedUnion("intent", [
  InviteSchema.extend({ intent: z.literal("invite") }),
  RoleSchema.extend({ intent: z.literal("role") }),
  MemberId.extend({ intent: z.literal("remove") }),
  InviteId.extend({ intent: z.literal("revokeInvite") }),
]);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { workspace, user } = await requireMember(request, params.ws, "members:manage");
  return { members: await listMembers(workspace.id), invites: await listPendingInvites(workspace.id), me: user.id };
}

type Notice = { key: "added" | "invited" | "lastAdmin"; email?: string; link?: string };

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { workspace, user } = await requireMember(request, params.ws, "members:manage");
  const audit = (action: AuditAction, target: string | null, detail?: unknown) =>
    recordAudit({ workspaceId: workspace.id, actorUserId: user.id, action, target, detail, ip: clientAddress(context) || null });
  const { submission, unreadable } = await parseRequestForm(request, ActionSchema);
  const intent = String(submission.payload.intent ?? "invite");
  const userId = Number(submission.payload.userId) || null;
  // A new invitation empties its form; a changed role stays shown as chosen.
  const reply = (status: number, notice?: Notice) =>
    data({ intent, userId, notice: notice ?? null, result: submission.reply({ resetForm: status === 200 && intent === "invite" }) }, { status });
  if (unreadable) return data({ intent, userId, notice: null, result: unreadable }, { status: 400 });
  if (submission.status !== "success") return reply(400);
  const input = submission.value;
  if (input.intent === "role") {
    const email = await memberEmail(workspace.id, input.userId);
    const r = await changeRole(workspace.id, input.userId, input.role);
    if (r.ok && email) await audit("member.role_changed", email, { role: input.role });
    return r.ok ? reply(200) : reply(400, { key: "lastAdmin" });
  }
  if (input.intent === "remove") {
    const email = await memberEmail(workspace.id, input.userId);
    const r = await removeMember(workspace.id, input.userId);
    if (r.ok && email) await audit("member.removed", email);
    return r.ok ? reply(200) : reply(400, { key: "lastAdmin" });
  }
  if (input.intent === "revokeInvite") {
    const email = await inviteEmail(workspace.id, input.inviteId);
    await revokeInvite(workspace.id, input.inviteId);
    if (email) await audit("member.invite_revoked", email);
    return reply(200);
  }
  const email = normaliseEmail(input.email);
  const outcome = await inviteMember(workspace.id, email, input.role, user.id);
  if (outcome.kind !== "already_member") await audit(outcome.kind === "added" ? "member.added" : "member.invited", email, { role: input.role });
  if (outcome.kind === "invited") {
    const link = `${new URL(request.url).origin}/invite/${outcome.token}`;
    return reply(200, { key: "invited", email, link });
  }
  return reply(200, { key: "added", email });
}

export default function MembersPage() {
  const { members, invites, me } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = useT();
  const notice = result?.notice;
  return (
    <>
      <h1>{t("members.title")}</h1>
      {notice?.key === "invited" ? (
        <p className="notice" role="status">
          {t("members.invited", { email: notice.email ?? "" })}
          <code className="secret">{notice.link}</code>
        </p>
      ) : null}
      {notice?.key === "added" ? <p className="notice" role="status">{t("members.added", { email: notice.email ?? "" })}</p> : null}
      {notice?.key === "lastAdmin" ? <p className="notice error" role="alert">{t("members.lastAdmin")}</p> : null}
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
                  <RoleForm member={m} />
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
      <InviteForm />
    </>
  );
}

type Loaded = ReturnType<typeof useLoaderData<typeof loader>>;

function useRoleChoices() {
  const t = useT();
  return ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }));
}

function RoleForm({ member: m }: { member: Loaded["members"][number] }) {
  const result = useActionData<typeof action>();
  const t = useT();
  const roles = useRoleChoices();
  const mine = result && result.intent === "role" && result.userId === m.userId ? result.result : undefined;
  const [form, fields] = useSchemaForm(RoleSchema, { id: `member-${m.userId}`, lastResult: mine, defaultValue: { userId: m.userId, role: m.role } });
  return (
    <Form method="post" className="row" {...getFormProps(form)} noValidate>
      <input type="hidden" name="userId" value={m.userId} />
      <FormErrors form={form} />
      <SelectField label={`${t("members.role")}: ${m.email}`} labelHidden field={fields.role} options={roles} />
      <button type="submit" name="intent" value="role" className="secondary small">
        {t("members.changeRole")}
      </button>
    </Form>
  );
}

function InviteForm() {
  const result = useActionData<typeof action>();
  const t = useT();
  const roles = useRoleChoices();
  const [form, fields] = useSchemaForm(InviteSchema, { id: "invite", lastResult: result?.intent === "invite" ? result.result : undefined, defaultValue: { role: "designer" } });
  return (
    <Form method="post" className="row card" {...getFormProps(form)} noValidate>
      <input type="hidden" name="intent" value="invite" />
      <FormErrors form={form} />
      <TextField label={t("auth.email")} field={fields.email} type="email" autoComplete="off" />
      <SelectField label={t("members.role")} field={fields.role} options={roles} />
      <button type="submit">{t("members.inviteButton")}</button>
    </Form>
  );
}
