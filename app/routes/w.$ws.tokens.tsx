// Workspace API tokens (admins only): create (shown once), list with last use, revoke.
import { getFormProps } from "@conform-to/react";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { requireMember } from "~/auth/guard.server";
import { FormErrors, TextField } from "~/components/form/fields";
import { useSchemaForm } from "~/components/form/use-schema-form";
import { createApiToken, listApiTokens, revokeApiToken } from "~/data/api-tokens.server";
import { useFormat, useLang, useT } from "~/i18n/use-t";
import { parseRequestForm } from "~/web/conform.server";
import { formText } from "~/web/form-schema";
import { recordAudit, tokenLabel } from "~/data/audit.server";
import { clientAddress } from "~/web/context";

// A token is named after its use (e.g. "CRM sync"), so the list says which integration holds it.
const CreateSchema = z.object({ name: formText(80) });
const ActionSchema = z.discriminatedUnion("intent", [
  CreateSchema.extend({ intent: z.literal("create") }),
  z.object({ intent: z.literal("revoke"), id: z.number().int().positive() }),
]);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { workspace } = await requireMember(request, params.ws, "tokens:manage");
  return { tokens: await listApiTokens(workspace.id) };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { workspace, user } = await requireMember(request, params.ws, "tokens:manage");
  const audit = { workspaceId: workspace.id, actorUserId: user.id, ip: clientAddress(context) || null };
  const { submission, unreadable } = await parseRequestForm(request, ActionSchema);
  const intent = String(submission.payload.intent ?? "create");
  if (unreadable) return data({ intent, token: null as string | null, result: unreadable }, { status: 400 });
  if (submission.status !== "success") return data({ intent, token: null as string | null, result: submission.reply() }, { status: 400 });
  const input = submission.value;
  if (input.intent === "revoke") {
    const label = await tokenLabel(workspace.id, input.id);
    await revokeApiToken(workspace.id, input.id);
    if (label) await recordAudit({ ...audit, action: "token.revoked", target: label });
    return { intent, token: null as string | null, result: submission.reply() };
  }
  const token = await createApiToken(workspace.id, input.name, user.id);
  await recordAudit({ ...audit, action: "token.created", target: `${input.name} (${token.slice(0, 10)}…)` });
  return { intent, token: token as string | null, result: submission.reply({ resetForm: true }) };
}

export default function TokensPage() {
  const { tokens } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = useT();
  const lang = useLang();
  const f = useFormat();
  return (
    <>
      <h1>{t("tokens.title")}</h1>
      <p className="muted">{t("tokens.intro")}</p>
      {result?.token ? (
        <div className="notice" role="status">
          <p>{t("tokens.created")}</p>
          <code className="secret" data-testid="new-token">
            {result.token}
          </code>
        </div>
      ) : null}
      <CreateTokenForm />
      {tokens.length === 0 ? <p>{t("tokens.none")}</p> : null}
      {tokens.length > 0 ? (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t("tokens.name")}</th>
                <th scope="col">{t("common.created")}</th>
                <th scope="col">{t("tokens.lastUsed")}</th>
                <th scope="col">{t("common.actions")}</th>
              </tr>
            </thead>
            <tbody>
              {tokens.map((tok) => (
                <tr key={tok.id}>
                  <td>
                    {tok.name} <code>{tok.prefix}…</code>
                  </td>
                  <td>{f.dateTime(tok.createdAt)}</td>
                  <td>{tok.lastUsedAt ? f.dateTime(tok.lastUsedAt) : t("tokens.never")}</td>
                  <td>
                    {tok.revokedAt ? (
                      <span className="badge">{t("tokens.revoked")}</span>
                    ) : (
                      <Form method="post">
                        <input type="hidden" name="id" value={tok.id} />
                        <button type="submit" name="intent" value="revoke" className="danger small">
                          {t("tokens.revoke")}
                        </button>
                      </Form>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </>
  );
}

function CreateTokenForm() {
  const result = useActionData<typeof action>();
  const t = useT();
  const [form, fields] = useSchemaForm(CreateSchema, { id: "token-new", lastResult: result?.intent === "create" ? result.result : undefined });
  return (
    <Form method="post" className="row card" {...getFormProps(form)} noValidate>
      <input type="hidden" name="intent" value="create" />
      <FormErrors form={form} />
      <TextField label={t("tokens.name")} field={fields.name} hint={t("tokens.nameHint")} />
      <button type="submit">{t("tokens.create")}</button>
    </Form>
  );
}
