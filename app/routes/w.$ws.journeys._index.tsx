// Journeys of the workspace: list, create, and import a journey file (asking before replacing).
import { LocalName, MissingTranslation } from "~/components/LocalName";
import { getFormProps, type SubmissionResult } from "@conform-to/react";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useParams } from "@remix-run/react";
import { z } from "zod";
import { requireMember } from "~/auth/guard.server";
import { can } from "~/auth/permissions";
import { parseJourneyFile, type JourneyFileError } from "~/cem/journey";
import { FormErrors, TextField } from "~/components/form/fields";
import { useSchemaForm } from "~/components/form/use-schema-form";
import { journeyExists, listJourneys, saveJourney } from "~/data/journeys.server";
import { useT, useTn } from "~/i18n/use-t";
import { readFormData } from "~/web/request-body.server";
import { submissionOf } from "~/web/conform.server";
import { formOptionalText, formSlug, formText } from "~/web/form-schema";
import { requestLang } from "~/i18n/lang.server";
import { translator } from "~/i18n/messages";
import type { Lang } from "~/i18n/lang";

const MAX_FILE_BYTES = 2 * 1024 * 1024;
const CreateSchema = z.object({
  key: formSlug(),
  name: formText(160),
  nameEn: formOptionalText(160),
  persona: formOptionalText(300),
  description: formOptionalText(4000),
});
/** The upload form checks only that a file was chosen; the file itself is judged by parseJourneyFile. */
const UploadSchema = z.object({ file: z.file({ error: "journey.form.file" }) });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { workspace, role } = await requireMember(request, params.ws);
  return { journeys: await listJourneys(workspace.id), canEdit: can(role, "journeys:edit") };
}

type ImportResult =
  | { intent: "import"; errors: JourneyFileError[]; confirm?: undefined; reply?: SubmissionResult<string[]> }
  | { intent: "import"; errors?: undefined; confirm: { key: string; content: string }; reply?: undefined };
type CreateResult = { intent: "create"; reply: SubmissionResult<string[]> };

export async function action({ request, params }: ActionFunctionArgs) {
  const { workspace } = await requireMember(request, params.ws, "journeys:edit");
  const lang = await requestLang(request);
  const t = translator(lang);
  const formData = await readFormData(request);
  if (formData === null) return data<ImportResult>({ intent: "import", errors: [{ path: "", message: t("form.unreadable") }] }, { status: 400 });
  if (formData.get("intent") === "import") return importJourney(workspace, formData, lang);
  const submission = submissionOf(formData, CreateSchema, lang);
  if (submission.status !== "success") return data<CreateResult>({ intent: "create", reply: submission.reply() }, { status: 400 });
  const saved = await saveJourney(workspace.id, { format: "vivencia.journey/1", ...submission.value, processes: [], stages: [] }, "create");
  if (!saved.ok) {
    // The journey model's own checks (a key taken, say) name a field or the form.
    const fieldErrors = Object.fromEntries(saved.errors.filter((e) => e.path in CreateSchema.shape).map((e) => [e.path, [e.message]]));
    const formErrors = saved.errors.filter((e) => !(e.path in CreateSchema.shape)).map((e) => e.message);
    return data<CreateResult>({ intent: "create", reply: submission.reply({ fieldErrors, formErrors }) }, { status: 400 });
  }
  return redirect(`/w/${workspace.slug}/journeys/${submission.value.key}`);
}

/** A journey file, uploaded or (after "replace?") sent back as text; asks before replacing one. */
async function importJourney(workspace: { id: number; slug: string }, formData: FormData, lang: Lang) {
  const t = translator(lang);
  let content: string;
  if (formData.has("content")) content = String(formData.get("content") ?? "");
  else {
    const upload = submissionOf(formData, UploadSchema, lang);
    if (upload.status !== "success") return data<ImportResult>({ intent: "import", errors: [], reply: upload.reply() }, { status: 400 });
    if (upload.value.file.size > MAX_FILE_BYTES) {
      return data<ImportResult>({ intent: "import", errors: [], reply: upload.reply({ fieldErrors: { file: [t("journey.form.fileTooBig")] } }) }, { status: 413 });
    }
    content = await upload.value.file.text();
  }
  if (!content.trim()) return data<ImportResult>({ intent: "import", errors: [{ path: "", message: t("journey.form.file") }] }, { status: 400 });
  const parsed = parseJourneyFile(content);
  if (!parsed.ok) return data<ImportResult>({ intent: "import", errors: parsed.errors }, { status: 400 });
  const replace = formData.get("replace") === "yes";
  if (!replace && (await journeyExists(workspace.id, parsed.journey.key))) {
    return data<ImportResult>({ intent: "import", confirm: { key: parsed.journey.key, content } }, { status: 409 });
  }
  const saved = await saveJourney(workspace.id, parsed.journey, replace ? "replace" : "create");
  if (!saved.ok) return data<ImportResult>({ intent: "import", errors: saved.errors }, { status: 400 });
  return redirect(`/w/${workspace.slug}/journeys/${parsed.journey.key}?imported=1`);
}

export default function JourneysPage() {
  const { journeys, canEdit } = useLoaderData<typeof loader>();
  const result = useActionData<ImportResult | CreateResult>();
  const { ws } = useParams();
  const t = useT();
  const tn = useTn();
  const create = result?.intent === "create" ? result : null;
  // A failed upload check is shown by the upload form; the list is for what the file itself holds.
  const imported = result?.intent === "import" ? result : null;
  return (
    <>
      <h1>{t("journey.title")}</h1>
      {journeys.length === 0 ? <p>{t("journey.none")}</p> : null}
      <div className="grid">
        {journeys.map((j) => (
          <article key={j.id} className="card">
            <h2>
              <Link to={`/w/${ws}/journeys/${j.key}`}>
                <LocalName item={j} />
              </Link>{" "}
              <MissingTranslation item={j} />
            </h2>
            <p className="muted">{j.persona}</p>
            <p>
              {tn("count.stages", j.stages)} · {tn("count.touchpoints", j.touchpoints)} ·{" "}
              <span className="badge mot">★ {j.moments}</span>
              {j.untranslated > 0 ? (
                <>
                  {" "}
                  <span className="badge untranslated" title={t("names.untranslatedHint")}>
                    {t("names.untranslated", { count: j.untranslated })}
                  </span>
                </>
              ) : null}
            </p>
          </article>
        ))}
      </div>
      {canEdit ? (
        <>
          <h2>{t("journey.import")}</h2>
          {imported?.errors ? (
            <div className="notice error" role="alert">
              <p>{t("journey.importErrors")}</p>
              <ul className="errors-list">
                {imported.errors.map((e, i) => (
                  <li key={i}>
                    <code>{e.path || "(file)"}</code>: {e.message}
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
          {imported?.confirm ? (
            <Form method="post" className="notice" role="alert">
              <p>{t("journey.exists", { key: imported.confirm.key })}</p>
              <input type="hidden" name="intent" value="import" />
              <input type="hidden" name="replace" value="yes" />
              <input type="hidden" name="content" value={imported.confirm.content} />
              <div className="actions">
                <button type="submit">{t("journey.replace")}</button>
                <Link to="." className="button secondary">
                  {t("common.cancel")}
                </Link>
              </div>
            </Form>
          ) : null}
          <UploadForm lastResult={imported?.reply} />
          <h2>{t("journey.create")}</h2>
          <CreateForm lastResult={create?.reply} />
        </>
      ) : null}
    </>
  );
}

function UploadForm({ lastResult }: { lastResult?: SubmissionResult<string[]> }) {
  const t = useT();
  const [form, fields] = useSchemaForm(UploadSchema, { id: "journey-upload", lastResult });
  return (
    <Form method="post" encType="multipart/form-data" className="row card" {...getFormProps(form)} noValidate>
      <input type="hidden" name="intent" value="import" />
      <FormErrors form={form} />
      <TextField label={t("journey.importFile")} field={fields.file} type="file" accept="application/json,.json" />
      <button type="submit">{t("journey.importButton")}</button>
    </Form>
  );
}

function CreateForm({ lastResult }: { lastResult?: SubmissionResult<string[]> }) {
  const t = useT();
  const [form, fields] = useSchemaForm(CreateSchema, { id: "journey-new", lastResult });
  return (
    <Form method="post" className="stack card" {...getFormProps(form)} noValidate>
      <input type="hidden" name="intent" value="create" />
      <FormErrors form={form} />
      <div className="row">
        <TextField label={t("journey.key")} field={fields.key} />
        <TextField label={`${t("journey.name")} · ${t("names.es")}`} field={fields.name} />
        <TextField label={t("names.en")} field={fields.nameEn} />
        <TextField label={t("journey.persona")} field={fields.persona} />
      </div>
      <TextField label={t("journey.description")} field={fields.description} multiline />
      <p>
        <button type="submit">{t("journey.create")}</button>
      </p>
    </Form>
  );
}
