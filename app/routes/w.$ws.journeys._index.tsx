// Journeys of the workspace: list, create, and import a journey file (asking before replacing).
import { LocalName, MissingTranslation } from "~/components/LocalName";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useParams } from "@remix-run/react";
import { z } from "zod";
import { requireMember } from "~/auth/guard.server";
import { can } from "~/auth/permissions";
import { parseJourneyFile, type JourneyFileError } from "~/cem/journey";
import { SlugSchema } from "~/cem/slug";
import { Field } from "~/components/Field";
import { journeyExists, listJourneys, saveJourney } from "~/data/journeys.server";
import { useT, useTn } from "~/i18n/use-t";
import { parseFormData, readFormData, UNREADABLE_FORM } from "~/web/form.server";

const MAX_FILE_BYTES = 2 * 1024 * 1024;
const CreateSchema = z.object({
  key: SlugSchema,
  name: z.string().trim().min(1, "Enter a name.").max(160),
  nameEn: z.string().trim().max(160).optional().default(""),
  persona: z.string().trim().max(300).optional().default(""),
  description: z.string().trim().max(4000).optional().default(""),
});

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { workspace, role } = await requireMember(request, params.ws);
  return { journeys: await listJourneys(workspace.id), canEdit: can(role, "journeys:edit") };
}

type ImportResult =
  | { intent: "import"; errors: JourneyFileError[]; confirm?: undefined }
  | { intent: "import"; errors?: undefined; confirm: { key: string; content: string } };
type CreateResult = { intent: "create"; errors: Record<string, string>; values: Record<string, string> };

export async function action({ request, params }: ActionFunctionArgs) {
  const { workspace } = await requireMember(request, params.ws, "journeys:edit");
  const formData = await readFormData(request);
  if (formData === null) return data<ImportResult>({ intent: "import", errors: [{ path: "", message: UNREADABLE_FORM }] }, { status: 400 });
  if (formData.get("intent") === "import") {
    const upload = formData.get("file");
    const content =
      upload instanceof File && upload.size > 0
        ? upload.size > MAX_FILE_BYTES
          ? null
          : await upload.text()
        : String(formData.get("content") ?? "");
    if (content === null) return data<ImportResult>({ intent: "import", errors: [{ path: "", message: "The file is larger than 2 MB." }] }, { status: 413 });
    if (!content.trim()) return data<ImportResult>({ intent: "import", errors: [{ path: "", message: "Choose a journey file (.json)." }] }, { status: 400 });
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
  const form = parseFormData(formData, CreateSchema);
  if (!form.ok) return data<CreateResult>({ intent: "create", errors: form.errors, values: form.values }, { status: 400 });
  const saved = await saveJourney(
    workspace.id,
    { format: "vivencia.journey/1", ...form.data, processes: [], stages: [] },
    "create",
  );
  if (!saved.ok) {
    const errors = Object.fromEntries(saved.errors.map((e) => [e.path || "_form", e.message]));
    return data<CreateResult>({ intent: "create", errors, values: form.values }, { status: 400 });
  }
  return redirect(`/w/${workspace.slug}/journeys/${form.data.key}`);
}

export default function JourneysPage() {
  const { journeys, canEdit } = useLoaderData<typeof loader>();
  const result = useActionData<ImportResult | CreateResult>();
  const { ws } = useParams();
  const t = useT();
  const tn = useTn();
  const create = result?.intent === "create" ? result : null;
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
          <Form method="post" encType="multipart/form-data" className="row card">
            <input type="hidden" name="intent" value="import" />
            <label>
              {t("journey.importFile")}
              <input type="file" name="file" accept="application/json,.json" required />
            </label>
            <button type="submit">{t("journey.importButton")}</button>
          </Form>
          <h2>{t("journey.create")}</h2>
          <Form method="post" className="stack card">
            <input type="hidden" name="intent" value="create" />
            {create && Object.entries(create.errors).filter(([k]) => !["key", "name"].includes(k)).map(([k, m]) => (
              <p key={k} className="field-error" role="alert">
                {m}
              </p>
            ))}
            <div className="row">
              <Field label={t("journey.key")} name="key" required defaultValue={create?.values.key} error={create?.errors.key} />
              <Field label={`${t("journey.name")} · ${t("names.es")}`} name="name" required defaultValue={create?.values.name} error={create?.errors.name} />
              <Field label={t("names.en")} name="nameEn" defaultValue={create?.values.nameEn} error={create?.errors.nameEn} />
              <Field label={t("journey.persona")} name="persona" defaultValue={create?.values.persona} />
            </div>
            <Field label={t("journey.description")} name="description" multiline defaultValue={create?.values.description} />
            <p>
              <button type="submit">{t("journey.create")}</button>
            </p>
          </Form>
        </>
      ) : null}
    </>
  );
}
