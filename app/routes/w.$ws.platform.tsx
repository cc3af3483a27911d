// The experiential platform: read as a summary (positioning, value promise and implementation theme
// first, then the other steps of Schmitt's framework), edited with ?edit=1, every change kept in a history.
import { getFormProps } from "@conform-to/react";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { requireMember } from "~/auth/guard.server";
import { can } from "~/auth/permissions";
import { PLATFORM_FIELDS, PLATFORM_STEPS, PlatformNestedFormSchema, flattenPlatformForm, nestPlatformValues, type PlatformField } from "~/cem/platform";
import { FormErrors, TextField } from "~/components/form/fields";
import { useSchemaForm } from "~/components/form/use-schema-form";
import { platformHistory, readPlatform, savePlatform } from "~/data/platform.server";
import type { MessageKey } from "~/i18n/messages";
import { useFormat, useT, useTn } from "~/i18n/use-t";
import { parseRequestForm } from "~/web/conform.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { workspace, role } = await requireMember(request, params.ws);
  return {
    values: await readPlatform(workspace.id),
    history: await platformHistory(workspace.id),
    canEdit: can(role, "platform:edit"),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { workspace, user } = await requireMember(request, params.ws, "platform:edit");
  const { submission, unreadable } = await parseRequestForm(request, PlatformNestedFormSchema);
  if (unreadable) return data({ result: unreadable, changed: null }, { status: 400 });
  if (submission.status !== "success") return data({ result: submission.reply(), changed: null }, { status: 400 });
  const changed = await savePlatform(workspace.id, flattenPlatformForm(submission.value), user.id);
  return { result: null, changed };
}

const fieldLabel = (field: PlatformField) => `platform.field.${field}` as MessageKey;
/** Schmitt's step 2: what the platform is; the summary leads with it. */
const HEART: PlatformField[] = ["positioning", "valuePromise", "implementationTheme"];

export default function PlatformPage() {
  const { values, canEdit } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const t = useT();
  const tn = useTn();
  const editing = canEdit && params.get("edit") === "1" && result?.changed == null;
  return (
    <>
      <div className="row" style={{ justifyContent: "space-between" }}>
        <h1>{t("platform.title")}</h1>
        {canEdit ? (
          editing ? (
            <Link className="button secondary" to=".">
              {t("form.done")}
            </Link>
          ) : (
            <Link className="button" to="?edit=1" data-testid="edit-platform">
              {t("form.edit")}
            </Link>
          )
        ) : null}
      </div>
      <p className="muted">{t("platform.intro")}</p>
      {!canEdit ? <p className="notice">{t("platform.readonly")}</p> : null}
      {result && result.changed !== null ? (
        <p className="notice" role="status">
          {result.changed > 0 ? tn("count.fieldsChanged", result.changed) : t("platform.unchanged")}
        </p>
      ) : null}
      {editing ? <PlatformForm values={values as Partial<Record<PlatformField, string>>} /> : <PlatformSummary values={values as Partial<Record<PlatformField, string>>} />}
      <PlatformHistory />
    </>
  );
}

function PlatformSummary({ values }: { values: Partial<Record<PlatformField, string>> }) {
  const t = useT();
  const text = (field: PlatformField) => values[field]?.trim() ?? "";
  const filled = PLATFORM_FIELDS.filter((f) => text(f) !== "").length;
  return (
    <>
      <section className="card platform-heart" aria-labelledby="heart-title">
        <h2 id="heart-title">{t("platform.summary.heart")}</h2>
        <dl className="summary">
          {HEART.map((field) => (
            <div key={field}>
              <dt>{t(fieldLabel(field))}</dt>
              <dd className={text(field) ? "lead" : "muted"}>{text(field) || t("platform.summary.empty")}</dd>
            </div>
          ))}
        </dl>
      </section>
      <p className="muted">{t("platform.summary.filled", { filled, total: PLATFORM_FIELDS.length })}</p>
      {PLATFORM_STEPS.filter((s) => s.step !== 2).map((step) => (
        <section key={step.step} className="card" aria-labelledby={`step-${step.step}`}>
          <h2 id={`step-${step.step}`}>{t(`platform.step${step.step}` as MessageKey)}</h2>
          <dl className="summary">
            {step.fields.map((field) => (
              <div key={field}>
                <dt>{t(fieldLabel(field))}</dt>
                <dd className={text(field) ? undefined : "muted"}>{text(field) || t("platform.summary.empty")}</dd>
              </div>
            ))}
          </dl>
        </section>
      ))}
    </>
  );
}

function PlatformForm({ values }: { values: Partial<Record<PlatformField, string>> }) {
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const t = useT();
  const [form, fields] = useSchemaForm(PlatformNestedFormSchema, { id: "platform", lastResult: result?.result, defaultValue: nestPlatformValues(values) });
  // Field names carry dots ("analysis.customer"): conform reads them as nested objects.
  const fieldOf = (name: PlatformField) => {
    const [group, leaf] = name.split(".");
    const top = (fields as Record<string, { getFieldset?: () => Record<string, unknown> }>)[group];
    return (leaf ? top.getFieldset!()[leaf] : top) as Parameters<typeof TextField>[0]["field"];
  };
  return (
    <Form method="post" className="stack" {...getFormProps(form)} noValidate>
      <FormErrors form={form} />
      {PLATFORM_STEPS.map((step) => (
        <fieldset key={step.step} className="card">
          <legend>{t(`platform.step${step.step}` as MessageKey)}</legend>
          <div className="stack">
            {step.fields.map((field) => (
              <TextField key={field} multiline label={t(fieldLabel(field))} field={fieldOf(field)} />
            ))}
          </div>
        </fieldset>
      ))}
      <p>
        <button type="submit" disabled={navigation.state === "submitting"}>
          {t("platform.save")}
        </button>
      </p>
    </Form>
  );
}

function PlatformHistory() {
  const { history } = useLoaderData<typeof loader>();
  const t = useT();
  const f = useFormat();
  return (
    <details className="card">
      <summary>
        {t("platform.history")} ({history.length})
      </summary>
      {history.length === 0 ? <p className="muted">{t("platform.noHistory")}</p> : null}
      {history.map((change) => (
        <article key={change.id}>
          <h3>
            {t(fieldLabel(change.field as PlatformField))}{" "}
            <small className="muted">
              — {change.by ?? "?"}, {f.dateTime(change.changedAt)}
            </small>
          </h3>
          <div className="diff">
            <div>
              <strong>{t("platform.before")}</strong>
              <pre>{change.previousValue || "—"}</pre>
            </div>
            <div>
              <strong>{t("platform.after")}</strong>
              <pre>{change.newValue || "—"}</pre>
            </div>
          </div>
        </article>
      ))}
    </details>
  );
}
