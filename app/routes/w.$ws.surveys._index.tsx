// Surveys of the workspace, and a new one generated from a touchpoint's attributes: the core
// instrument (gap pair by default) plus the touchpoint-level blocks the designer ticks.
import { LocalName } from "~/components/LocalName";
import { data, redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { requireMember } from "~/auth/guard.server";
import { can } from "~/auth/permissions";
import { DefinitionErrors } from "~/components/survey/DefinitionErrors";
import surveyCss from "~/components/survey/survey-pages.css?url";
import { createSurveyFromTemplate, listSurveys, surveyTouchpointChoices } from "~/data/surveys.server";
import type { MessageKey } from "~/i18n/messages";
import { useT, useTn } from "~/i18n/use-t";
import type { SurveyDefinitionError } from "~/survey/definition-validation";
import type { SurveyTemplate } from "~/survey/templates";
import { getFormProps, type SubmissionResult } from "@conform-to/react";
import { FormErrors } from "~/components/form/fields";
import { useSchemaForm } from "~/components/form/use-schema-form";
import { parseRequestForm } from "~/web/conform.server";
import { formOptionalText } from "~/web/form-schema";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: surveyCss }];

// Listed here rather than imported from ~/survey/templates, which would bring survey-core into this
// page's browser bundle; the type check below keeps the two lists equal.
const TEMPLATES = ["gap_pair", "zone_of_tolerance", "servqual", "brand_experience"] as const satisfies readonly SurveyTemplate[];
const allTemplatesListed: [SurveyTemplate] extends [(typeof TEMPLATES)[number]] ? true : never = true;
void allTemplatesListed;
const BLOCKS = ["nps", "csat", "ces", "importance", "comment"] as const;
/** A ticked box; an unticked one is not sent. */
const checkbox = z.boolean().default(false);

const CreateSchema = z.object({
  // Only a missing choice is worded here; the bounds are the error map's.
  touchpointId: z
    .number({ error: (issue) => (issue.code === "invalid_type" ? "surveys.error.touchpoint" : undefined) })
    .int()
    .positive(),
  template: z.enum(TEMPLATES).default("gap_pair"),
  title: formOptionalText(160),
  titleEn: formOptionalText(160),
  nps: checkbox,
  csat: checkbox,
  ces: checkbox,
  importance: checkbox,
  comment: checkbox,
});

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { workspace, role } = await requireMember(request, params.ws);
  const tp = Number(new URL(request.url).searchParams.get("tp") ?? "");
  const touchpoints = await surveyTouchpointChoices(workspace.id);
  const filterTp = touchpoints.some((t) => t.id === tp) ? tp : undefined;
  return {
    surveys: await listSurveys(workspace.id, { touchpointId: filterTp }),
    touchpoints,
    filterTp: filterTp ?? null,
    canEdit: can(role, "surveys:edit"),
  };
}

type ActionResult = { result: SubmissionResult<string[]>; errors: SurveyDefinitionError[] };

export async function action({ request, params }: ActionFunctionArgs) {
  const { workspace, user } = await requireMember(request, params.ws, "surveys:edit");
  const { submission, unreadable, t } = await parseRequestForm(request, CreateSchema);
  if (unreadable) return data<ActionResult>({ result: unreadable, errors: [] }, { status: 400 });
  if (submission.status !== "success") return data<ActionResult>({ result: submission.reply(), errors: [] }, { status: 400 });
  const { touchpointId, template, title, titleEn, ...blocks } = submission.value;
  const created = await createSurveyFromTemplate(workspace.id, user.id, { touchpointId, template, title, titleEn, blocks });
  if (!created) return data<ActionResult>({ result: submission.reply({ fieldErrors: { touchpointId: [t("surveys.error.noTouchpoint")] } }), errors: [] }, { status: 400 });
  if (!created.ok) return data<ActionResult>({ result: submission.reply(), errors: created.errors }, { status: 400 });
  return redirect(`/w/${workspace.slug}/surveys/${created.surveyId}?created=1`);
}

export default function SurveysPage() {
  const { surveys, touchpoints, filterTp, canEdit } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const navigation = useNavigation();
  const t = useT();
  const tn = useTn();
  const journeys = [...new Set(touchpoints.map((tp) => tp.journey))];
  const [form, fields] = useSchemaForm(CreateSchema, {
    id: "new-survey-form",
    lastResult: result?.result,
    defaultValue: { touchpointId: params.get("tp") ?? "", template: "gap_pair", nps: "on", csat: "on", importance: "on", comment: "on" },
  });
  const touchpointError = fields.touchpointId.errors?.[0];
  return (
    <>
      <h1>{t("surveys.title")}</h1>
      <p className="muted">{t("surveys.intro")}</p>
      {touchpoints.length > 1 && (surveys.length > 0 || filterTp !== null) ? (
        <Form method="get" className="row card">
          <label>
            {t("surveys.filterTouchpoint")}
            <select name="tp" defaultValue={filterTp ?? ""}>
              <option value="">{t("surveys.allTouchpoints")}</option>
              {touchpoints.map((tp) => (
                <option key={tp.id} value={tp.id}>
                  {tp.journey} · {tp.name}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" className="secondary">
            {t("surveys.filter")}
          </button>
        </Form>
      ) : null}
      {surveys.length === 0 ? (
        <p>{t("surveys.none")}</p>
      ) : (
        <div className="table-wrap card">
          <table>
            <caption className="muted" style={{ textAlign: "left" }}>
              {tn("count.surveys", surveys.length)}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t("surveys.col.title")}</th>
                <th scope="col">{t("surveys.col.touchpoint")}</th>
                <th scope="col">{t("surveys.col.template")}</th>
                <th scope="col">{t("surveys.col.status")}</th>
                <th scope="col">{t("surveys.col.deployments")}</th>
              </tr>
            </thead>
            <tbody>
              {surveys.map((s) => (
                <tr key={s.id}>
                  <td>
                    <Link to={String(s.id)}>
                      <LocalName item={{ name: s.title, nameEn: s.titleEn }} flag />
                    </Link>
                  </td>
                  <td>
                    <LocalName item={{ name: s.touchpointName, nameEn: s.touchpointNameEn }} />{" "}
                    <span className="muted">
                      (<LocalName item={{ name: s.journey, nameEn: s.journeyEn }} />)
                    </span>
                  </td>
                  <td>{t(`surveys.template.${s.template}` as MessageKey)}</td>
                  <td>
                    {s.publishedVersion !== null ? (
                      <span className="badge status-published">{t("surveys.publishedV", { version: s.publishedVersion })}</span>
                    ) : null}{" "}
                    {s.hasDraft ? <span className="badge status-draft">{t("surveys.status.draft")}</span> : null}
                  </td>
                  <td className="num">
                    <Link to={`${s.id}/deploy`} aria-label={`${t("surveys.deploy")}: ${s.title}`}>
                      {s.activeDeployments}
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {canEdit ? (
        <section aria-labelledby="new-survey">
          <h2 id="new-survey">{t("surveys.create")}</h2>
          {touchpoints.length === 0 ? (
            <p className="notice">{t("surveys.noTouchpoints")}</p>
          ) : (
            <Form method="post" className="stack card" {...getFormProps(form)} noValidate>
              <FormErrors form={form} />
              {result?.errors.length ? (
                <div className="notice error" role="alert">
                  <p>{t("surveys.createRefused")}</p>
                  <DefinitionErrors errors={result.errors} />
                </div>
              ) : null}
              <label htmlFor="touchpointId">
                {t("surveys.touchpoint")}
                <select
                  key={fields.touchpointId.key}
                  id="touchpointId"
                  name="touchpointId"
                  defaultValue={String(fields.touchpointId.initialValue ?? "")}
                  aria-invalid={touchpointError ? true : undefined}
                  aria-describedby={touchpointError ? "touchpointId-error" : undefined}
                >
                  <option value="">{t("surveys.chooseTouchpoint")}</option>
                  {journeys.map((journey) => (
                    <optgroup key={journey} label={journey}>
                      {touchpoints
                        .filter((tp) => tp.journey === journey)
                        .map((tp) => (
                          <option key={tp.id} value={tp.id}>
                            {tp.stage} · {tp.name}
                            {tp.momentOfTruth ? " ★" : ""} ({tn("count.attributes", tp.attributes)})
                          </option>
                        ))}
                    </optgroup>
                  ))}
                </select>
                {touchpointError ? (
                  <span id="touchpointId-error" className="field-error">
                    {touchpointError}
                  </span>
                ) : null}
              </label>
              <fieldset key={fields.template.key} aria-describedby={fields.template.errors?.length ? "template-error" : undefined}>
                <legend>{t("surveys.templateLegend")}</legend>
                <div className="template-choice">
                  {TEMPLATES.map((template) => (
                    <label key={template} className="check">
                      <input
                        type="radio"
                        name="template"
                        value={template}
                        defaultChecked={fields.template.initialValue === template}
                      />
                      <span>
                        {t(`surveys.template.${template}` as MessageKey)}
                        <small>{t(`surveys.template.${template}.hint` as MessageKey)}</small>
                      </span>
                    </label>
                  ))}
                </div>
                {fields.template.errors?.length ? (
                  <span id="template-error" className="field-error">
                    {fields.template.errors[0]}
                  </span>
                ) : null}
              </fieldset>
              <fieldset>
                <legend>{t("surveys.blocksLegend")}</legend>
                <div className="template-choice">
                  {BLOCKS.map((block) => (
                    <label key={block} className="check">
                      <input key={fields[block].key} type="checkbox" name={block} defaultChecked={fields[block].initialValue === "on"} />
                      <span>
                        {t(`surveys.block.${block}` as MessageKey)}
                        <small>{t(`surveys.block.${block}.hint` as MessageKey)}</small>
                      </span>
                    </label>
                  ))}
                </div>
              </fieldset>
              <label htmlFor="title">
                {t("surveys.surveyTitle")}
                <input key={fields.title.key} id="title" name="title" defaultValue={String(fields.title.initialValue ?? "")} maxLength={160} aria-invalid={fields.title.errors?.length ? true : undefined} aria-describedby={fields.title.errors?.length ? "title-error title-hint" : "title-hint"} />
                {fields.title.errors?.length ? (
                  <span id="title-error" className="field-error">
                    {fields.title.errors[0]}
                  </span>
                ) : null}
                <span id="title-hint" className="muted" style={{ fontWeight: 400 }}>
                  {t("surveys.surveyTitleHint")}
                </span>
              </label>
              <label htmlFor="title-en">
                {t("names.titleEn")}
                <input key={fields.titleEn.key} id="title-en" name="titleEn" defaultValue={String(fields.titleEn.initialValue ?? "")} maxLength={160} aria-invalid={fields.titleEn.errors?.length ? true : undefined} aria-describedby={fields.titleEn.errors?.length ? "title-en-error" : undefined} />
                {fields.titleEn.errors?.length ? (
                  <span id="title-en-error" className="field-error">
                    {fields.titleEn.errors[0]}
                  </span>
                ) : null}
              </label>
              <p>
                <button type="submit" disabled={navigation.state === "submitting"}>
                  {t("surveys.createButton")}
                </button>
              </p>
            </Form>
          )}
        </section>
      ) : null}
    </>
  );
}
