// Alert rules: admins and managers create, change and delete them ("alerts:edit"); every member may
// follow or unfollow one. Saving a rule queues its evaluation at once (app/data/alerts.server.ts).
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { requireMember } from "~/auth/guard.server";
import { can } from "~/auth/permissions";
import { ALERT_KINDS, ALERT_SCOPES, AlertRuleInputSchema, type AlertRule } from "~/cem/alerts";
import { Field } from "~/components/Field";
import { deleteRule, listRules, saveRule, setSubscription } from "~/data/alerts.server";
import { insightScope } from "~/data/insights.server";
import { requestLang } from "~/i18n/lang.server";
import { translator, type MessageKey } from "~/i18n/messages";
import { useT } from "~/i18n/use-t";
import { parseFormData, readFormData } from "~/web/form.server";
import { notFound } from "~/web/responses.server";

export const meta: MetaFunction = () => [{ title: "Vivencia · Alerts" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { workspace, role, user } = await requireMember(request, params.ws);
  const [rules, scope] = await Promise.all([listRules(workspace.id, user.id), requestLang(request).then((lang) => insightScope(workspace.id, lang))]);
  const url = new URL(request.url);
  const editId = Number(url.searchParams.get("edit"));
  // What a rule can watch, as the form's one select offers it ("scope:key").
  const places = [
    ...scope.journeys.map((j) => ({ scope: "journey" as const, key: j.key, name: j.name })),
    ...scope.processes.map((p) => ({ scope: "process" as const, key: p.key, name: p.name })),
    ...scope.touchpoints.map((t) => ({ scope: "touchpoint" as const, key: t.key, name: `${t.name} (${t.journeyName})` })),
  ];
  const canEdit = can(role, "alerts:edit");
  return {
    ws: workspace.slug,
    rules,
    places,
    editing: canEdit ? (rules.find((r) => r.id === editId) ?? null) : null,
    canEdit,
    notice: url.searchParams.get("saved") ? "saved" : url.searchParams.get("deleted") ? "deleted" : null,
  };
}

const IdSchema = z.object({ id: z.coerce.number().int().positive() });
type ActionResult = { errors: Record<string, string>; values: Record<string, string> };

export async function action({ request, params }: ActionFunctionArgs) {
  const { workspace, user } = await requireMember(request, params.ws);
  const t = translator(await requestLang(request));
  const formData = await readFormData(request);
  if (!formData) return data<ActionResult>({ errors: { _form: t("alerts.error.form") }, values: {} }, { status: 400 });
  const intent = formData.get("intent");
  const base = `/w/${workspace.slug}/alerts`;
  const id = IdSchema.safeParse({ id: formData.get("id") });

  if (intent === "follow" || intent === "unfollow") {
    if (!id.success) return data<ActionResult>({ errors: { _form: t("alerts.error.rule") }, values: {} }, { status: 400 });
    if (!(await setSubscription(workspace.id, id.data.id, user.id, intent === "follow"))) throw notFound();
    return redirect(base);
  }
  // Everything below changes rules: the guard again, with the permission.
  await requireMember(request, params.ws, "alerts:edit");
  if (intent === "delete") {
    if (!id.success) return data<ActionResult>({ errors: { _form: t("alerts.error.rule") }, values: {} }, { status: 400 });
    if (!(await deleteRule(workspace.id, id.data.id))) throw notFound();
    return redirect(`${base}?deleted=1`);
  }
  const form = parseFormData(formData, AlertRuleInputSchema);
  const say = (errors: Record<string, string>) => Object.fromEntries(Object.entries(errors).map(([k, v]) => [k, v.startsWith("alerts.") ? t(v as MessageKey) : v]));
  if (!form.ok) return data<ActionResult>({ errors: say(form.errors), values: form.values }, { status: 400 });
  if (intent === "update" && !id.success) return data<ActionResult>({ errors: { _form: t("alerts.error.rule") }, values: form.values }, { status: 400 });
  const saved = await saveRule(workspace.id, user.id, form.data, intent === "update" && id.success ? id.data.id : undefined);
  if (!saved.ok) {
    if (saved.status === 404) throw notFound();
    return data<ActionResult>({ errors: { for: t(saved.error) }, values: form.values }, { status: 400 });
  }
  return redirect(`${base}?saved=1`);
}

export default function AlertRulesPage() {
  const { ws, rules, places, editing, canEdit, notice } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = useT();
  const errors = result?.errors ?? {};
  const values = result?.values ?? {};
  const placeName = (rule: Pick<AlertRule, "scope" | "scopeKey">) =>
    rule.scope ? `${t(`alerts.scope.${rule.scope}` as MessageKey)} «${places.find((p) => p.scope === rule.scope && p.key === rule.scopeKey)?.name ?? rule.scopeKey}»` : t("alerts.scope.all");
  const defaults = {
    name: values.name ?? editing?.name ?? "",
    kind: values.kind ?? editing?.kind ?? "target",
    for: values.for ?? (editing?.scope ? `${editing.scope}:${editing.scopeKey}` : ""),
  };
  return (
    <>
      <h1>{t("alerts.title")}</h1>
      <p className="muted">{t("alerts.intro")}</p>
      <p>
        <Link to={`/w/${ws}/notifications`}>{t("notifications.title")}</Link> · <Link to={`/w/${ws}/notifications/settings`}>{t("notifications.settings")}</Link>
      </p>
      {notice ? (
        <p className="notice" role="status">
          {t(notice === "saved" ? "alerts.saved" : "alerts.deleted")}
        </p>
      ) : null}
      {errors._form ? <p className="notice error">{errors._form}</p> : null}
      {rules.length === 0 ? (
        <p>{t("alerts.empty")}</p>
      ) : (
        <div className="table-wrap">
          <table className="ins-table" data-testid="alert-rules">
            <thead>
              <tr>
                <th scope="col">{t("alerts.col.rule")}</th>
                <th scope="col">{t("alerts.col.kind")}</th>
                <th scope="col">{t("alerts.col.scope")}</th>
                <th scope="col">{t("alerts.col.actions")}</th>
              </tr>
            </thead>
            <tbody>
              {rules.map((rule) => (
                <tr key={rule.id} data-rule={rule.id}>
                  <td>
                    {rule.name}
                    <br />
                    <small className="muted">
                      {t("alerts.followers", { n: rule.subscribers })}
                      {rule.subscribed ? ` · ${t("alerts.following")}` : ""}
                    </small>
                  </td>
                  <td>{t(`alerts.kind.${rule.kind}` as MessageKey)}</td>
                  <td>{placeName(rule)}</td>
                  <td>
                    <Form method="post" style={{ display: "inline" }}>
                      <input type="hidden" name="id" value={rule.id} />
                      <button type="submit" name="intent" value={rule.subscribed ? "unfollow" : "follow"} className="secondary">
                        {t(rule.subscribed ? "alerts.unsubscribe" : "alerts.subscribe")}
                      </button>
                    </Form>{" "}
                    {canEdit ? (
                      <>
                        <a href={`/w/${ws}/alerts?edit=${rule.id}`}>{t("alerts.edit")}</a>{" "}
                        <Form method="post" style={{ display: "inline" }}>
                          <input type="hidden" name="id" value={rule.id} />
                          <button type="submit" name="intent" value="delete" className="secondary">
                            {t("alerts.delete")}
                          </button>
                        </Form>
                      </>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {canEdit ? (
        <section className="card" aria-labelledby="rule-form">
          <h2 id="rule-form">{editing ? t("alerts.editing") : t("alerts.add")}</h2>
          <Form method="post" className="stack" key={editing?.id ?? "new"}>
            {editing ? <input type="hidden" name="id" value={editing.id} /> : null}
            <Field label={t("alerts.field.name")} name="name" id="rule-name" defaultValue={defaults.name} error={errors.name} required maxLength={120} />
            <label htmlFor="rule-kind">
              {t("alerts.field.kind")}
              <select id="rule-kind" name="kind" defaultValue={defaults.kind} aria-invalid={errors.kind ? true : undefined}>
                {ALERT_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {t(`alerts.kind.${k}` as MessageKey)}
                  </option>
                ))}
              </select>
              {errors.kind ? <span className="field-error">{errors.kind}</span> : null}
            </label>
            <label htmlFor="rule-for">
              {t("alerts.field.scope")}
              <select id="rule-for" name="for" defaultValue={defaults.for} aria-invalid={errors.for ? true : undefined} aria-describedby={errors.for ? "rule-for-error" : undefined}>
                <option value="">{t("alerts.scope.all")}</option>
                {ALERT_SCOPES.map((scope) => (
                  <optgroup key={scope} label={t(`alerts.scope.${scope}` as MessageKey)}>
                    {places
                      .filter((p) => p.scope === scope)
                      .map((p) => (
                        <option key={`${p.scope}:${p.key}`} value={`${p.scope}:${p.key}`}>
                          {p.name}
                        </option>
                      ))}
                  </optgroup>
                ))}
              </select>
              {errors.for ? (
                <span className="field-error" id="rule-for-error">
                  {errors.for}
                </span>
              ) : null}
            </label>
            <label htmlFor="rule-subscribe" className="check">
              <input type="checkbox" id="rule-subscribe" name="subscribe" defaultChecked={!editing || editing.subscribed} /> {t("alerts.field.subscribe")}
            </label>
            <div className="actions">
              <button type="submit" name="intent" value={editing ? "update" : "create"}>
                {t("alerts.save")}
              </button>
              {editing ? (
                <a className="button secondary" href={`/w/${ws}/alerts`}>
                  {t("alerts.cancel")}
                </a>
              ) : null}
            </div>
          </Form>
        </section>
      ) : (
        <p className="muted">{t("alerts.readOnly")}</p>
      )}
    </>
  );
}
