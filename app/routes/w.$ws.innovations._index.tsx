// The continuous-innovation log (Schmitt's fifth step): dated changes at touchpoints with what changed,
// the hypothesis written before looking at the numbers, and who owns it; each links to its effect.
import { getFormProps } from "@conform-to/react";
import { z } from "zod";
import { data, redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireMember } from "~/auth/guard.server";
import { can } from "~/auth/permissions";
import actCss from "~/components/act/act.css?url";
import { CheckboxChoices, FieldsetField, FormErrors, TextField } from "~/components/form/fields";
import { useSchemaForm } from "~/components/form/use-schema-form";
import { MAX_WINDOW_DAYS } from "~/cem/innovation";
import { createInnovation, listInnovations, todayUtc } from "~/data/innovations.server";
import { surveyTouchpointChoices } from "~/data/surveys.server";
import { useT } from "~/i18n/use-t";
import { parseRequestForm } from "~/web/conform.server";
import { formDay, formText } from "~/web/form-schema";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: actCss }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { workspace, role } = await requireMember(request, params.ws);
  const canEdit = can(role, "journeys:edit");
  return {
    slug: workspace.slug,
    innovations: await listInnovations(workspace.id),
    touchpoints: canEdit ? await surveyTouchpointChoices(workspace.id) : [],
    today: todayUtc(),
    canEdit,
  };
}

// The form's schema, worded by message keys; the data module checks the same fields for the API.
const InnovationFormSchema = z.object({
  title: formText(200),
  changedAt: formDay(),
  owner: formText(120),
  windowDays: z.number().int().min(7).max(MAX_WINDOW_DAYS).optional().default(28),
  whatChanged: formText(4000),
  hypothesis: formText(4000),
  touchpoints: z.array(z.string().min(1), { error: "act.innovations.form.touchpoints" }).min(1, "act.innovations.form.touchpoints"),
});

export async function action({ request, params }: ActionFunctionArgs) {
  const { workspace, user } = await requireMember(request, params.ws, "journeys:edit");
  const { submission, unreadable } = await parseRequestForm(request, InnovationFormSchema);
  if (unreadable) return data({ result: unreadable }, { status: 400 });
  if (submission.status !== "success") return data({ result: submission.reply() }, { status: 400 });
  const { touchpoints, ...rest } = submission.value;
  const saved = await createInnovation(workspace.id, { ...rest, touchpointKeys: touchpoints }, user.id);
  if (!saved.ok) {
    const fieldErrors = Object.fromEntries(Object.entries(saved.errors).map(([k, m]) => [k === "touchpointKeys" ? "touchpoints" : k, [m]]));
    return data({ result: submission.reply({ fieldErrors }) }, { status: 400 });
  }
  return redirect(`/w/${workspace.slug}/innovations/${saved.id}`);
}

export default function InnovationsPage() {
  const { slug, innovations, touchpoints, today, canEdit } = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <>
      <h1>{t("nav.innovations")}</h1>
      <p className="muted">{t("act.innovations.intro")}</p>
      {innovations.length === 0 ? (
        <p>{t("act.innovations.none")}</p>
      ) : (
        <div className="table-wrap">
          <table aria-label={t("nav.innovations")}>
            <thead>
              <tr>
                <th scope="col">{t("act.innovations.date")}</th>
                <th scope="col">{t("act.innovations.change")}</th>
                <th scope="col">{t("act.innovations.touchpoints")}</th>
                <th scope="col">{t("act.innovations.owner")}</th>
              </tr>
            </thead>
            <tbody>
              {innovations.map((i) => (
                <tr key={i.id}>
                  <td>
                    <time dateTime={i.changedOn}>{i.changedOn}</time>
                  </td>
                  <td>
                    <Link to={`/w/${slug}/innovations/${i.id}`}>{i.title}</Link>
                    <div className="muted">{i.hypothesis}</div>
                  </td>
                  <td>{i.touchpoints.map((tp) => tp.name).join(", ")}</td>
                  <td>{i.owner}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {canEdit ? (
        <NewInnovationForm touchpoints={touchpoints} today={today} />
      ) : null}
    </>
  );
}

type Loaded = ReturnType<typeof useLoaderData<typeof loader>>;

function NewInnovationForm({ touchpoints, today }: { touchpoints: Loaded["touchpoints"]; today: string }) {
  const result = useActionData<typeof action>();
  const t = useT();
  const [form, fields] = useSchemaForm(InnovationFormSchema, { id: "in", lastResult: result?.result, defaultValue: { windowDays: "28" } });
  const journeys = [...new Set(touchpoints.map((tp) => tp.journey))];
  return (
    <Form method="post" className="card stack" aria-labelledby="new-innovation" style={{ marginTop: "1.5rem" }} {...getFormProps(form)} noValidate>
      <h2 id="new-innovation">{t("act.innovations.add")}</h2>
      <FormErrors form={form} />
      <TextField label={t("act.innovations.title")} field={fields.title} />
      <div className="row">
        <TextField label={t("act.innovations.date")} field={fields.changedAt} type="date" max={today} />
        <TextField label={t("act.innovations.owner")} field={fields.owner} />
        <TextField label={t("act.innovations.window")} field={fields.windowDays} type="number" step="1" hint={t("act.innovations.windowHint")} />
      </div>
      <TextField label={t("act.innovations.what")} field={fields.whatChanged} multiline />
      <TextField label={t("act.innovations.hypothesis")} field={fields.hypothesis} multiline hint={t("act.innovations.hypothesisHint")} />
      <FieldsetField field={fields.touchpoints} legend={t("act.innovations.touchpoints")}>
        {touchpoints.length === 0 ? <p className="muted">{t("act.innovations.noTouchpoints")}</p> : null}
        {journeys.map((journey) => (
          <div key={journey}>
            <p className="muted">{journey}</p>
            <CheckboxChoices field={fields.touchpoints} options={touchpoints.filter((tp) => tp.journey === journey).map((tp) => ({ value: tp.key, label: tp.name }))} />
          </div>
        ))}
      </FieldsetField>
      <p>
        <button type="submit">{t("act.innovations.save")}</button>
      </p>
    </Form>
  );
}
