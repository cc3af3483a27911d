// Workspace API tokens (admins only): create (shown once), list with last use, revoke.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { requireMember } from "~/auth/guard.server";
import { Field } from "~/components/Field";
import { createApiToken, listApiTokens, revokeApiToken } from "~/data/api-tokens.server";
import { useFormat, useLang, useT } from "~/i18n/use-t";
import { parseFormData } from "~/web/form.server";
import { recordAudit, tokenLabel } from "~/data/audit.server";
import { clientAddress } from "~/web/context";

const CreateSchema = z.object({ name: z.string().trim().min(1, "Name the token after its use (e.g. 'CRM sync').").max(80) });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { workspace } = await requireMember(request, params.ws, "tokens:manage");
  return { tokens: await listApiTokens(workspace.id) };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { workspace, user } = await requireMember(request, params.ws, "tokens:manage");
  const audit = { workspaceId: workspace.id, actorUserId: user.id, ip: clientAddress(context) || null };
  const formData = await request.formData();
  if (formData.get("intent") === "revoke") {
    const label = await tokenLabel(workspace.id, Number(formData.get("id")));
    await revokeApiToken(workspace.id, Number(formData.get("id")));
    if (label) await recordAudit({ ...audit, action: "token.revoked", target: label });
    return { token: null, errors: {} as Record<string, string> };
  }
  const form = parseFormData(formData, CreateSchema);
  if (!form.ok) return data({ token: null, errors: form.errors }, { status: 400 });
  const token = await createApiToken(workspace.id, form.data.name, user.id);
  await recordAudit({ ...audit, action: "token.created", target: `${form.data.name} (${token.slice(0, 10)}…)` });
  return { token, errors: {} as Record<string, string> };
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
      <Form method="post" className="row card">
        <input type="hidden" name="intent" value="create" />
        <Field label={t("tokens.name")} name="name" required error={result?.errors.name} />
        <button type="submit">{t("tokens.create")}</button>
      </Form>
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
