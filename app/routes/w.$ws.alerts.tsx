// Alert rules: admins and managers create, change and delete them ("alerts:edit"); every member may
// follow or unfollow one. Saving a rule queues its evaluation at once (app/data/alerts.server.ts).
import { getFormProps, getSelectProps, type SubmissionResult } from "@conform-to/react";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { requireMember } from "~/auth/guard.server";
import { can } from "~/auth/permissions";
import { ALERT_KINDS, ALERT_SCOPES, AlertRuleInputSchema, type AlertRule, type AlertScope } from "~/cem/alerts";
import { CheckboxField, FormErrors, SelectField, TextField } from "~/components/form/fields";
import { useSchemaForm } from "~/components/form/use-schema-form";
import { deleteRule, listRules, saveRule, setSubscription } from "~/data/alerts.server";
import { insightScope } from "~/data/insights.server";
import { requestLang } from "~/i18n/lang.server";
import { translator, type MessageKey } from "~/i18n/messages";
import { useT } from "~/i18n/use-t";
import { submissionOf } from "~/web/conform.server";
import { readFormData } from "~/web/request-body.server";
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

/** The buttons that act on one listed rule (follow, unfollow, delete) and the form that changes one. */
const IdSchema = z.object({ id: z.number().int().positive() });
/** The rule form's reply, or a refusal of a listed rule's button (shown above the table). */
type ActionResult = { result?: SubmissionResult<string[]>; problem?: string };

export async function action({ request, params }: ActionFunctionArgs) {
  const { workspace, user } = await requireMember(request, params.ws);
  const lang = await requestLang(request);
  const t = translator(lang);
  const formData = await readFormData(request);
  const refused = (result: SubmissionResult<string[]>) => data<ActionResult>({ result }, { status: 400 });
  const noSuchRule = () => data<ActionResult>({ problem: t("alerts.error.rule") }, { status: 400 });
  if (!formData) return data<ActionResult>({ problem: t("alerts.error.form") }, { status: 400 });
  const intent = formData.get("intent");
  const base = `/w/${workspace.slug}/alerts`;
  const id = submissionOf(formData, IdSchema, lang);

  if (intent === "follow" || intent === "unfollow") {
    if (id.status !== "success") return noSuchRule();
    if (!(await setSubscription(workspace.id, id.value.id, user.id, intent === "follow"))) throw notFound();
    return redirect(base);
  }
  // Everything below changes rules: the guard again, with the permission.
  await requireMember(request, params.ws, "alerts:edit");
  if (intent === "delete") {
    if (id.status !== "success") return noSuchRule();
    if (!(await deleteRule(workspace.id, id.value.id))) throw notFound();
    return redirect(`${base}?deleted=1`);
  }
  const form = submissionOf(formData, AlertRuleInputSchema, lang);
  if (form.status !== "success") return refused(form.reply());
  if (intent === "update" && id.status !== "success") return refused(form.reply({ formErrors: [t("alerts.error.rule")] }));
  const saved = await saveRule(workspace.id, user.id, form.value, intent === "update" && id.status === "success" ? id.value.id : undefined);
  if (!saved.ok) {
    if (saved.status === 404) throw notFound();
    return refused(form.reply({ fieldErrors: { for: [t(saved.error)] } }));
  }
  return redirect(`${base}?saved=1`);
}

export default function AlertRulesPage() {
  const { ws, rules, places, editing, canEdit, notice } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = useT();
  const placeName = (rule: Pick<AlertRule, "scope" | "scopeKey">) =>
    rule.scope ? `${t(`alerts.scope.${rule.scope}` as MessageKey)} «${places.find((p) => p.scope === rule.scope && p.key === rule.scopeKey)?.name ?? rule.scopeKey}»` : t("alerts.scope.all");
  return (
    <>
      <h1>{t("alerts.title")}</h1>
      <p className="muted">{t("alerts.intro")}</p>
      <p>
        <Link to={`/w/${ws}/notifications`}>{t("notifications.title")}</Link> · <Link to={`/w/${ws}/notifications/settings`}>{t("notifications.settings")}</Link>
      </p>
      {result?.problem ? (
        <p className="notice error" role="alert">
          {result.problem}
        </p>
      ) : null}
      {notice ? (
        <p className="notice" role="status">
          {t(notice === "saved" ? "alerts.saved" : "alerts.deleted")}
        </p>
      ) : null}
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
        <RuleForm key={editing?.id ?? "new"} ws={ws} places={places} editing={editing} lastResult={result?.result} />
      ) : (
        <p className="muted">{t("alerts.readOnly")}</p>
      )}
    </>
  );
}

type Place = { scope: AlertScope; key: string; name: string };

/** Creates a rule, or changes the one being edited; the ids ("rule-name"…) come from the form's id. */
function RuleForm({ ws, places, editing, lastResult }: { ws: string; places: Place[]; editing: (AlertRule & { subscribed: boolean }) | null; lastResult: SubmissionResult<string[]> | undefined }) {
  const t = useT();
  const [form, fields] = useSchemaForm(AlertRuleInputSchema, {
    id: "rule",
    lastResult,
    defaultValue: {
      name: editing?.name ?? "",
      kind: editing?.kind ?? "target",
      for: editing?.scope ? `${editing.scope}:${editing.scopeKey}` : "",
      subscribe: !editing || editing.subscribed ? "on" : undefined,
    },
  });
  const { key: forKey, ...forProps } = getSelectProps(fields.for);
  return (
    <section className="card" aria-labelledby="rule-form">
      <h2 id="rule-form">{editing ? t("alerts.editing") : t("alerts.add")}</h2>
      <Form method="post" className="stack" {...getFormProps(form)} noValidate>
        <FormErrors form={form} />
        {editing ? <input type="hidden" name="id" value={editing.id} /> : null}
        <TextField label={t("alerts.field.name")} field={fields.name} />
        <SelectField label={t("alerts.field.kind")} field={fields.kind} options={ALERT_KINDS.map((k) => ({ value: k, label: t(`alerts.kind.${k}` as MessageKey) }))} />
        {/* One select for the whole workspace or one place, grouped by scope: SelectField has no groups. */}
        <label htmlFor={fields.for.id}>
          {t("alerts.field.scope")}
          <select key={forKey} {...forProps}>
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
          {fields.for.errors?.length ? (
            <span className="field-error" id={fields.for.errorId}>
              {fields.for.errors[0]}
            </span>
          ) : null}
        </label>
        <CheckboxField field={fields.subscribe} label={t("alerts.field.subscribe")} />
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
  );
}
