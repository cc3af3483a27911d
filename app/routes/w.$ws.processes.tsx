// Business processes: who owns each, and how many touchpoints it shapes.
import { LocalName, MissingTranslation } from "~/components/LocalName";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { requireMember } from "~/auth/guard.server";
import { can } from "~/auth/permissions";
import { SlugSchema } from "~/cem/slug";
import { Field } from "~/components/Field";
import { createProcess, deleteProcess, listProcesses, processKeyTaken, updateProcess } from "~/data/processes.server";
import { useT } from "~/i18n/use-t";
import { notFound } from "~/web/responses.server";
import { parseFormData } from "~/web/form.server";

const Text = (max: number) => z.string().trim().max(max).optional().default("");
const ProcessSchema = z.object({
  key: SlugSchema,
  name: z.string().trim().min(1, "Enter a name.").max(120),
  nameEn: z.string().trim().max(120).optional().default(""),
  owner: Text(120),
  description: Text(2000),
});
const UpdateSchema = ProcessSchema.omit({ key: true }).extend({ id: z.coerce.number().int().positive() });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { workspace, role } = await requireMember(request, params.ws);
  return { processes: await listProcesses(workspace.id), canEdit: can(role, "processes:edit") };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { workspace } = await requireMember(request, params.ws, "processes:edit");
  const formData = await request.formData();
  const intent = formData.get("intent");
  if (intent === "delete") {
    const id = Number(formData.get("id"));
    if (!(await deleteProcess(workspace.id, id))) throw notFound();
    return { intent, errors: {} as Record<string, string>, values: {} as Record<string, string> };
  }
  if (intent === "update") {
    const form = parseFormData(formData, UpdateSchema);
    if (!form.ok) return data({ intent, errors: form.errors, values: form.values }, { status: 400 });
    const { id, ...rest } = form.data;
    if (!(await updateProcess(workspace.id, id, rest))) throw notFound();
    return { intent, errors: {} as Record<string, string>, values: {} as Record<string, string> };
  }
  const form = parseFormData(formData, ProcessSchema);
  if (!form.ok) return data({ intent: "create", errors: form.errors, values: form.values }, { status: 400 });
  if (await processKeyTaken(workspace.id, form.data.key)) {
    return data({ intent: "create", errors: { key: "taken" } as Record<string, string>, values: form.values }, { status: 400 });
  }
  await createProcess(workspace.id, form.data);
  return { intent: "create", errors: {} as Record<string, string>, values: {} as Record<string, string> };
}

export default function ProcessesPage() {
  const { processes, canEdit } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = useT();
  const createErrors = result?.intent === "create" ? result.errors : {};
  return (
    <>
      <h1>{t("process.title")}</h1>
      <p className="muted">{t("process.intro")}</p>
      {processes.length === 0 ? <p>{t("process.none")}</p> : null}
      {processes.map((p) => (
        <article key={p.id} className="card">
          {canEdit ? (
            <Form method="post" className="stack">
              <input type="hidden" name="id" value={p.id} />
              <div className="row">
                <span className="badge">{p.key}</span>
                <span className="muted">
                  {t("process.touchpoints")}: {p.touchpoints}
                </span>
              </div>
              <div className="row">
                <Field label={`${t("process.name")} · ${t("names.es")}`} name="name" id={`p${p.id}-name`} defaultValue={p.name} required />
                <Field
                  label={
                    <>
                      {t("names.en")} <MissingTranslation item={p} />
                    </>
                  }
                  name="nameEn"
                  id={`p${p.id}-name-en`}
                  defaultValue={p.nameEn}
                />
                <Field label={t("process.owner")} name="owner" id={`p${p.id}-owner`} defaultValue={p.owner} />
              </div>
              <Field label={t("process.description")} name="description" id={`p${p.id}-description`} multiline defaultValue={p.description} />
              <div className="actions">
                <button type="submit" name="intent" value="update" className="secondary">
                  {t("process.save")}
                </button>
                <button type="submit" name="intent" value="delete" className="danger">
                  {t("process.delete")}
                </button>
              </div>
            </Form>
          ) : (
            <>
              <h2>
                <LocalName item={p} flag />
              </h2>
              <p>
                <span className="badge">{p.key}</span> {p.owner} · {t("process.touchpoints")}: {p.touchpoints}
              </p>
              <p>{p.description}</p>
            </>
          )}
        </article>
      ))}
      {canEdit ? (
        <>
          <h2>{t("process.add")}</h2>
          <Form method="post" className="stack card">
            <input type="hidden" name="intent" value="create" />
            <div className="row">
              <Field label={t("process.key")} name="key" required defaultValue={result?.intent === "create" ? result.values.key : ""} error={createErrors.key === "taken" ? t("process.keyTaken") : createErrors.key} />
              <Field label={`${t("process.name")} · ${t("names.es")}`} name="name" required defaultValue={result?.intent === "create" ? result.values.name : ""} error={createErrors.name} />
              <Field label={t("names.en")} name="nameEn" defaultValue={result?.intent === "create" ? result.values.nameEn : ""} error={createErrors.nameEn} />
              <Field label={t("process.owner")} name="owner" defaultValue={result?.intent === "create" ? result.values.owner : ""} />
            </div>
            <Field label={t("process.description")} name="description" multiline />
            <p>
              <button type="submit">{t("process.add")}</button>
            </p>
          </Form>
        </>
      ) : null}
    </>
  );
}
