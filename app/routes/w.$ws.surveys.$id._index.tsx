// One survey: its titles in both languages, its SurveyJS definition in the builder (with the JSON as
// an advanced tab, the checks and a live preview), the work in progress autosaved, saving the draft,
// publishing it as a frozen version, and the list of versions with their responses.
import { getFormProps, type SubmissionResult } from "@conform-to/react";
import { data, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams, type ShouldRevalidateFunction } from "@remix-run/react";
import { z } from "zod";
import { requireMember } from "~/auth/guard.server";
import { can } from "~/auth/permissions";
import { FormErrors, TextField } from "~/components/form/fields";
import { useSchemaForm } from "~/components/form/use-schema-form";
import { LocalName, MissingTranslation, useLocalName } from "~/components/LocalName";
import { SurveyDesigner } from "~/components/survey/builder/SurveyDesigner";
import surveyCss from "~/components/survey/survey-pages.css?url";
import { autosaveDefinition, getAutosave } from "~/data/survey-autosave.server";
import {
  currentPublishedVersion,
  discardDraft,
  editableVersion,
  getSurvey,
  listVersions,
  renameSurvey,
  saveAndPublish,
  saveDraft,
  surveyTouchpoint,
} from "~/data/surveys.server";
import { translator, type MessageKey } from "~/i18n/messages";
import { localName } from "~/i18n/names";
import { useFormat, useLang, useT } from "~/i18n/use-t";
import type { SurveyDefinitionError } from "~/survey/definition-validation";
import { submissionOf } from "~/web/conform.server";
import { formOptionalText, formText } from "~/web/form-schema";
import { requestLang } from "~/i18n/lang.server";
import { readFormData } from "~/web/request-body.server";
import { notFound } from "~/web/responses.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: surveyCss }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.survey.name} · Vivencia` : "Vivencia" }];

/** The survey's titles; the English one may wait for a translation. */
const TitlesSchema = z.object({ title: formText(160), titleEn: formOptionalText(160) });

/** A definition far larger than any survey we generate (SERVQUAL with every block is ~60 kB). */
const MAX_DEFINITION_CHARS = 2_000_000;

async function load(workspaceId: number, id: string | undefined) {
  const survey = await getSurvey(workspaceId, Number(id));
  if (!survey) throw notFound();
  const touchpoint = await surveyTouchpoint(workspaceId, survey.touchpointId);
  if (!touchpoint) throw notFound();
  return { survey, touchpoint };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { workspace, role } = await requireMember(request, params.ws);
  const { survey, touchpoint } = await load(workspace.id, params.id);
  const lang = await requestLang(request);
  const editable = await editableVersion(workspace.id, survey.id);
  const published = await currentPublishedVersion(workspace.id, survey.id);
  // Unsaved work from the builder, when it differs from what is saved.
  const autosave = can(role, "surveys:edit") ? await getAutosave(workspace.id, survey.id) : null;
  return {
    autosave: autosave && autosave.definition !== editable?.definition ? autosave : null,
    survey: { id: survey.id, title: survey.title, titleEn: survey.titleEn, name: localName({ name: survey.title, nameEn: survey.titleEn }, lang), template: survey.template },
    touchpoint,
    editable: editable ? { id: editable.id, version: editable.version, status: editable.status, definition: editable.definition } : null,
    publishedVersion: published?.version ?? null,
    versions: await listVersions(workspace.id, survey.id),
    canEdit: can(role, "surveys:edit"),
    canDeploy: can(role, "surveys:deploy"),
  };
}

type ActionResult =
  | { intent: "rename"; result: SubmissionResult<string[]> }
  | { intent: "autosave"; ok: true; savedAt: string }
  | { intent: "autosave"; ok: false; message: string }
  | { intent: "save" | "publish"; ok: false; errors: SurveyDefinitionError[]; definition: string }
  | { intent: "save" | "publish"; ok: true; version: number; created: boolean }
  | { intent: "discard"; ok: boolean };

export async function action({ request, params }: ActionFunctionArgs) {
  const { workspace, user } = await requireMember(request, params.ws, "surveys:edit");
  const { survey } = await load(workspace.id, params.id);
  const formData = await readFormData(request);
  if (formData === null) {
    return data<ActionResult>({ intent: "save", ok: false, errors: [{ message: translator(await requestLang(request))("form.unreadable"), source: "vivencia" }], definition: "" }, { status: 400 });
  }
  const intent = String(formData.get("intent") ?? "save");
  if (intent === "rename") {
    const submission = submissionOf(formData, TitlesSchema, await requestLang(request));
    if (submission.status !== "success") return data<ActionResult>({ intent, result: submission.reply() }, { status: 400 });
    if (!(await renameSurvey(workspace.id, survey.id, submission.value))) throw notFound();
    return data<ActionResult>({ intent, result: submission.reply() });
  }
  if (intent === "discard") {
    const r = await discardDraft(workspace.id, survey.id);
    return data<ActionResult>({ intent, ok: r.ok }, { status: r.ok ? 200 : 400 });
  }
  if (intent === "autosave") {
    const raw = formData.get("definition");
    const text = typeof raw === "string" ? raw : "";
    if (text.length > MAX_DEFINITION_CHARS) {
      return data<ActionResult>({ intent, ok: false, message: "The definition is too large (over 2 MB)." }, { status: 400 });
    }
    const saved = await autosaveDefinition(workspace.id, survey.id, user.id, text);
    if (!saved) throw notFound();
    if (!saved.ok) return data<ActionResult>({ intent, ok: false, message: saved.message }, { status: 400 });
    return data<ActionResult>({ intent, ok: true, savedAt: saved.savedAt.toISOString() });
  }
  if (intent !== "save" && intent !== "publish") {
    const errors: SurveyDefinitionError[] = [{ message: `Unknown action "${intent}".`, source: "vivencia" }];
    return data<ActionResult>({ intent: "save", ok: false, errors, definition: "" }, { status: 400 });
  }
  const raw = formData.get("definition");
  const definition = typeof raw === "string" ? raw : "";
  if (definition.trim() === "" || definition.length > MAX_DEFINITION_CHARS) {
    const message = definition.trim() === "" ? "The definition is empty: paste or write the SurveyJS JSON." : "The definition is too large (over 2 MB).";
    return data<ActionResult>({ intent, ok: false, errors: [{ message, source: "vivencia" }], definition: definition.slice(0, MAX_DEFINITION_CHARS) }, { status: 400 });
  }
  const result =
    intent === "publish"
      ? await saveAndPublish(workspace.id, survey.id, user.id, definition)
      : await saveDraft(workspace.id, survey.id, user.id, definition);
  if (!result) throw notFound();
  if (!result.ok) return data<ActionResult>({ intent, ok: false, errors: result.errors, definition }, { status: 400 });
  return data<ActionResult>({ intent, ok: true, version: result.version, created: result.created });
}

// An autosave changes nothing the page shows from its loader: no need to reload it.
export const shouldRevalidate: ShouldRevalidateFunction = ({ formData, defaultShouldRevalidate }) =>
  formData?.get("intent") === "autosave" ? false : defaultShouldRevalidate;

export default function SurveyPage() {
  const { survey, touchpoint, editable, autosave, publishedVersion, versions, canEdit, canDeploy } = useLoaderData<typeof loader>();
  const answered = useActionData<typeof action>();
  // Autosaves answer through their own fetcher, renames in their form; saves, publications and discards show here.
  const result = answered && answered.intent !== "autosave" && answered.intent !== "rename" ? answered : undefined;
  const [params] = useSearchParams();
  const t = useT();
  const lang = useLang();
  const localTouchpoint = useLocalName();
  const f = useFormat();
  const date = (d: Date | string | null) => f.dateTime(d);
  const failed = result && "errors" in result ? result : null;
  const initialText = failed?.definition || autosave?.definition || editable?.definition || "";
  return (
    <>
      <p>
        <Link to="..">← {t("surveys.title")}</Link>
      </p>
      <h1>
        <LocalName item={{ name: survey.title, nameEn: survey.titleEn }} flag />
      </h1>
      <p className="muted">
        {t("surveys.touchpoint")}: <strong>{localTouchpoint(touchpoint)}</strong> · {t(`surveys.template.${survey.template}` as MessageKey)} ·{" "}
        {publishedVersion !== null ? (
          <span className="badge status-published">{t("surveys.publishedV", { version: publishedVersion })}</span>
        ) : (
          <span className="badge status-draft">{t("surveys.neverPublished")}</span>
        )}{" "}
        {editable?.status === "draft" ? <span className="badge status-draft">{t("surveys.draftV", { version: editable.version })}</span> : null}
      </p>
      <div className="actions">
        {canDeploy || publishedVersion !== null ? (
          <Link className="button secondary" to="deploy">
            {t("surveys.deploy")}
          </Link>
        ) : null}
        {editable ? (
          <Link className="button secondary" to={`preview?version=${editable.version}`}>
            {t("surveys.openPreview")}
          </Link>
        ) : null}
      </div>
      {params.get("created") && !result ? <p className="notice" role="status">{t("surveys.createdNotice")}</p> : null}
      {result && result.ok && result.intent === "save" ? (
        <p className="notice" role="status">
          {result.created ? t("surveys.savedNewVersion", { version: result.version }) : t("surveys.savedDraft", { version: result.version })}
        </p>
      ) : null}
      {result && result.ok && result.intent === "publish" ? (
        <p className="notice" role="status">
          {t("surveys.publishedNotice", { version: result.version })}
        </p>
      ) : null}
      {result && result.intent === "discard" ? (
        <p className={result.ok ? "notice" : "notice error"} role="status">
          {result.ok ? t("surveys.discarded") : t("surveys.discardRefused")}
        </p>
      ) : null}
      {editable?.status === "published" && canEdit ? <p className="muted">{t("surveys.editingPublished", { version: editable.version })}</p> : null}
      {!canEdit ? <p className="notice">{t("surveys.readonly")}</p> : null}
      {autosave && !failed ? <p className="notice">{t("builder.autosave.restored", { time: date(autosave.savedAt) })}</p> : null}

      {canEdit ? <SurveyTitles /> : null}

      <SurveyDesigner
        key={editable ? `${editable.id}:${editable.status}` : "none"}
        initialText={initialText}
        touchpoint={touchpoint}
        canEdit={canEdit}
        serverErrors={failed?.errors}
        serverText={failed?.definition}
      />

      <section aria-labelledby="versions-title">
        <h2 id="versions-title">{t("surveys.versions")}</h2>
        <div className="table-wrap card">
          <table>
            <thead>
              <tr>
                <th scope="col">{t("surveys.col.version")}</th>
                <th scope="col">{t("surveys.col.status")}</th>
                <th scope="col">{t("surveys.col.created")}</th>
                <th scope="col">{t("surveys.col.published")}</th>
                <th scope="col" className="num">
                  {t("surveys.col.responses")}
                </th>
                <th scope="col">{t("common.actions")}</th>
              </tr>
            </thead>
            <tbody>
              {versions.map((v) => (
                <tr key={v.id} data-version={v.version}>
                  <td>v{v.version}</td>
                  <td>
                    <span className={`badge status-${v.status}`}>{t(`surveys.status.${v.status}` as MessageKey)}</span>
                  </td>
                  <td>{date(v.createdAt)}</td>
                  <td>{date(v.publishedAt)}</td>
                  <td className="num">{v.responses}</td>
                  <td>
                    <Link to={`preview?version=${v.version}`}>{t("surveys.openPreview")}</Link>
                    {v.status === "draft" && canEdit && publishedVersion !== null ? (
                      <Form method="post" className="inline">
                        {" · "}
                        <button type="submit" name="intent" value="discard" className="link-button">
                          {t("surveys.discard")}
                        </button>
                      </Form>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}

/** The survey's titles in both languages: what customers see at the top of the survey, in theirs. */
function SurveyTitles() {
  const { survey } = useLoaderData<typeof loader>();
  const answered = useActionData<typeof action>();
  const t = useT();
  const lastResult = answered?.intent === "rename" ? answered.result : undefined;
  const [form, fields] = useSchemaForm(TitlesSchema, { id: "survey-titles", lastResult, defaultValue: { title: survey.title, titleEn: survey.titleEn } });
  return (
    <Form method="post" className="card stack" aria-labelledby="titles-title" {...getFormProps(form)} noValidate>
      <h2 id="titles-title">{t("surveys.rename.title")}</h2>
      <p className="muted">{t("surveys.rename.hint")}</p>
      <FormErrors form={form} />
      <div className="row">
        <TextField label={t("surveys.rename.es")} field={fields.title} />
        <TextField
          label={
            <>
              {t("names.titleEn")} <MissingTranslation item={{ name: survey.title, nameEn: survey.titleEn }} />
            </>
          }
          field={fields.titleEn}
        />
      </div>
      <div className="actions">
        <button type="submit" name="intent" value="rename" className="secondary">
          {t("surveys.rename.save")}
        </button>
      </div>
      {lastResult?.status === "success" ? <p role="status">{t("surveys.rename.saved")}</p> : null}
    </Form>
  );
}
