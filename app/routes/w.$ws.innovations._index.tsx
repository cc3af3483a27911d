// The continuous-innovation log (Schmitt's fifth step): dated changes at touchpoints with what changed,
// the hypothesis written before looking at the numbers, and who owns it; each links to its effect.
import { data, redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireMember } from "~/auth/guard.server";
import { can } from "~/auth/permissions";
import actCss from "~/components/act/act.css?url";
import { Field } from "~/components/Field";
import { createInnovation, innovationInputSchema, listInnovations, todayUtc } from "~/data/innovations.server";
import { surveyTouchpointChoices } from "~/data/surveys.server";
import { useT } from "~/i18n/use-t";
import { zodErrors } from "~/web/form.server";

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

export async function action({ request, params }: ActionFunctionArgs) {
  const { workspace, user } = await requireMember(request, params.ws, "journeys:edit");
  const formData = await request.formData();
  const text = (name: string) => {
    const v = formData.get(name);
    return typeof v === "string" ? v : "";
  };
  const values = {
    title: text("title"),
    changedAt: text("changedAt"),
    whatChanged: text("whatChanged"),
    hypothesis: text("hypothesis"),
    owner: text("owner"),
    windowDays: text("windowDays") || "28",
  };
  const touchpointKeys = formData.getAll("touchpoints").filter((v): v is string => typeof v === "string");
  const parsed = innovationInputSchema.safeParse({ ...values, touchpointKeys });
  if (!parsed.success) {
    const errors = zodErrors(parsed.error);
    if (errors.changedAt) errors.changedAt = "Enter the day the change reached customers (YYYY-MM-DD)";
    for (const key of Object.keys(errors)) if (key.startsWith("touchpointKeys.")) errors.touchpointKeys ??= errors[key];
    return data({ errors, values: { ...values, touchpoints: touchpointKeys.join(",") } }, { status: 400 });
  }
  const saved = await createInnovation(workspace.id, parsed.data, user.id);
  if (!saved.ok) return data({ errors: saved.errors, values: { ...values, touchpoints: touchpointKeys.join(",") } }, { status: 400 });
  return redirect(`/w/${workspace.slug}/innovations/${saved.id}`);
}

export default function InnovationsPage() {
  const { slug, innovations, touchpoints, today, canEdit } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = useT();
  const errors: Record<string, string> = result?.errors ?? {};
  const values: Record<string, string> = result?.values ?? {};
  const chosen = new Set((values.touchpoints ?? "").split(",").filter(Boolean));
  const journeys = [...new Set(touchpoints.map((tp) => tp.journey))];
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
        <Form method="post" className="card stack" aria-labelledby="new-innovation" style={{ marginTop: "1.5rem" }}>
          <h2 id="new-innovation">{t("act.innovations.add")}</h2>
          {Object.keys(errors).length ? (
            <p className="notice error" role="alert">
              {t("act.settings.fix")}
            </p>
          ) : null}
          <Field label={t("act.innovations.title")} name="title" id="in-title" required maxLength={200} defaultValue={values.title} error={errors.title} />
          <div className="row">
            <Field label={t("act.innovations.date")} name="changedAt" id="in-date" type="date" required max={today} defaultValue={values.changedAt} error={errors.changedAt} />
            <Field label={t("act.innovations.owner")} name="owner" id="in-owner" required maxLength={120} defaultValue={values.owner} error={errors.owner} />
            <Field
              label={t("act.innovations.window")}
              name="windowDays"
              id="in-window"
              type="number"
              min="7"
              max="365"
              step="1"
              defaultValue={values.windowDays ?? "28"}
              error={errors.windowDays}
              hint={t("act.innovations.windowHint")}
            />
          </div>
          <Field label={t("act.innovations.what")} name="whatChanged" id="in-what" multiline required defaultValue={values.whatChanged} error={errors.whatChanged} />
          <Field
            label={t("act.innovations.hypothesis")}
            name="hypothesis"
            id="in-hypothesis"
            multiline
            required
            defaultValue={values.hypothesis}
            error={errors.hypothesis}
            hint={t("act.innovations.hypothesisHint")}
          />
          <fieldset aria-describedby={errors.touchpointKeys ? "in-tp-error" : undefined}>
            <legend>{t("act.innovations.touchpoints")}</legend>
            {touchpoints.length === 0 ? <p className="muted">{t("act.innovations.noTouchpoints")}</p> : null}
            {journeys.map((journey) => (
              <div key={journey}>
                <p className="muted">{journey}</p>
                <div className="checks-scroll">
                  {touchpoints
                    .filter((tp) => tp.journey === journey)
                    .map((tp) => (
                      <label key={tp.id} className="check" htmlFor={`in-tp-${tp.id}`}>
                        <input id={`in-tp-${tp.id}`} type="checkbox" name="touchpoints" value={tp.key} defaultChecked={chosen.has(tp.key)} />
                        {tp.name}
                      </label>
                    ))}
                </div>
              </div>
            ))}
            {errors.touchpointKeys ? (
              <p id="in-tp-error" className="field-error">
                {errors.touchpointKeys}
              </p>
            ) : null}
          </fieldset>
          <p>
            <button type="submit">{t("act.innovations.save")}</button>
          </p>
        </Form>
      ) : null}
    </>
  );
}
