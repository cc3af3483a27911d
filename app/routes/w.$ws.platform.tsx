// The experiential platform page: Schmitt's five steps as one form, saved with a history of changes.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requireMember } from "~/auth/guard.server";
import { can } from "~/auth/permissions";
import { PLATFORM_STEPS, PlatformFormSchema, type PlatformField } from "~/cem/platform";
import { Field } from "~/components/Field";
import { platformHistory, readPlatform, savePlatform } from "~/data/platform.server";
import type { MessageKey } from "~/i18n/messages";
import { useFormat, useLang, useT, useTn } from "~/i18n/use-t";
import { parseForm } from "~/web/form.server";

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
  const form = await parseForm(request, PlatformFormSchema);
  if (!form.ok) return data({ errors: form.errors, changed: null }, { status: 400 });
  const changed = await savePlatform(workspace.id, form.data, user.id);
  return { errors: {} as Record<string, string>, changed };
}

const fieldLabel = (field: PlatformField) => `platform.field.${field}` as MessageKey;

export default function PlatformPage() {
  const { values, history, canEdit } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const t = useT();
  const tn = useTn();
  const lang = useLang();
  const f = useFormat();
  return (
    <>
      <h1>{t("platform.title")}</h1>
      <p className="muted">{t("platform.intro")}</p>
      {!canEdit ? <p className="notice">{t("platform.readonly")}</p> : null}
      {result && result.changed !== null ? (
        <p className="notice" role="status">
          {result.changed > 0 ? tn("count.fieldsChanged", result.changed) : t("platform.unchanged")}
        </p>
      ) : null}
      <Form method="post" className="stack">
        {PLATFORM_STEPS.map((step) => (
          <fieldset key={step.step} className="card">
            <legend>{t(`platform.step${step.step}` as MessageKey)}</legend>
            <div className="stack">
              {step.fields.map((field) => (
                <Field
                  key={field}
                  multiline
                  label={t(fieldLabel(field))}
                  name={field}
                  defaultValue={(values as Record<string, string>)[field] ?? ""}
                  readOnly={!canEdit}
                  error={result?.errors[field]}
                />
              ))}
            </div>
          </fieldset>
        ))}
        {canEdit ? (
          <p>
            <button type="submit" disabled={navigation.state === "submitting"}>
              {t("platform.save")}
            </button>
          </p>
        ) : null}
      </Form>
      <h2>{t("platform.history")}</h2>
      {history.length === 0 ? <p className="muted">{t("platform.noHistory")}</p> : null}
      {history.map((change) => (
        <article key={change.id} className="card">
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
    </>
  );
}
