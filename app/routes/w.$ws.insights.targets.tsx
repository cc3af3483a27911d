// Targets: every member reads them; admins, designers and managers set, change and delete them
// ("targets:edit"). A target is for a process, a touchpoint or an attribute, on one metric, from an
// optional day on; the value must lie within the metric's range (app/cem/targets.ts).
import { getFormProps } from "@conform-to/react";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { requireMember } from "~/auth/guard.server";
import { can } from "~/auth/permissions";
import { shownTargetValue, TARGET_METRICS, TargetInputSchema, type Target } from "~/cem/targets";
import { Field } from "~/components/Field";
import { formatNumber } from "~/i18n/format";
import { insightScope } from "~/data/insights.server";
import { requestLang } from "~/i18n/lang.server";
import { deleteTarget, listTargets, saveTarget } from "~/data/targets.server";
import { useLang, useT } from "~/i18n/use-t";
import { FormErrors } from "~/components/form/fields";
import { useSchemaForm } from "~/components/form/use-schema-form";
import { translator, type MessageKey } from "~/i18n/messages";
import { submissionOf } from "~/web/conform.server";
import { formDay, parseSubmission } from "~/web/form-schema";
import { readFormData } from "~/web/request-body.server";
import { notFound } from "~/web/responses.server";

export const meta: MetaFunction = () => [{ title: "Vivencia · Targets" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { workspace, role } = await requireMember(request, params.ws);
  const [targets, scope] = await Promise.all([listTargets(workspace.id), requestLang(request).then((lang) => insightScope(workspace.id, lang))]);
  const url = new URL(request.url);
  const editId = Number(url.searchParams.get("edit"));
  // What a target can be for, as the form's one select offers it ("unit:key").
  const units = [
    ...scope.processes.map((p) => ({ unit: "process" as const, key: p.key, name: p.name })),
    ...scope.touchpoints.map((t) => ({ unit: "touchpoint" as const, key: t.key, name: `${t.name} (${t.journeyName})` })),
    ...scope.attributes.flatMap((a) => {
      const tp = scope.touchpoints.find((t) => t.id === a.touchpointId);
      return tp ? [{ unit: "attribute" as const, key: `${tp.key}/${a.key}`, name: `${a.labelEs} / ${a.labelEn} · ${tp.name}` }] : [];
    }),
  ];
  return {
    ws: workspace.slug,
    targets,
    units,
    editing: targets.find((t) => t.id === editId) ?? null,
    canEdit: can(role, "targets:edit"),
    notice: url.searchParams.get("saved") ? "saved" : url.searchParams.get("deleted") ? "deleted" : null,
  };
}

const IdSchema = z.object({ id: z.number().int().positive() });

/** The form's one select names the unit and its key together ("process:card-delivery"). */
function targetInputOf(form: { for: string; metric: string; value: number; fromDay?: string }) {
  const at = form.for.indexOf(":");
  return { unit: at > 0 ? form.for.slice(0, at) : "", unitKey: at > 0 ? form.for.slice(at + 1) : "", metric: form.metric, value: form.value, fromDay: form.fromDay };
}

/** The target form: the domain's checks (app/cem/targets.ts), worded by message keys on the form's fields. */
const TargetFormSchema = z
  .object({
    id: z.number().int().positive().optional(),
    // A missing choice is worded as one (only then: the bounds stay the error map's).
    for: z
      .string({ error: (issue) => (issue.code === "invalid_type" ? "targets.error.for" : undefined) })
      .trim()
      .min(1, "targets.error.for")
      .max(200),
    metric: z.enum(TARGET_METRICS),
    value: z.number(),
    fromDay: formDay().optional(),
  })
  .superRefine((form, ctx) => {
    const checked = TargetInputSchema.safeParse(targetInputOf(form));
    if (checked.success) return;
    const said = new Set<string>();
    for (const issue of checked.error.issues) {
      const field = issue.path[0];
      const [path, message] =
        field === "value" ? ["value", `targets.error.range.${form.metric}`] : field === "metric" ? ["metric", "targets.error.gapOnly"] : field === "fromDay" ? ["fromDay", "form.date"] : ["for", "targets.error.for"];
      if (said.has(path)) continue;
      said.add(path);
      ctx.addIssue({ code: "custom", path: [path], message });
    }
  });

export async function action({ request, params }: ActionFunctionArgs) {
  const { workspace, user } = await requireMember(request, params.ws, "targets:edit");
  const lang = await requestLang(request);
  const t = translator(lang);
  const formData = await readFormData(request);
  if (!formData) return data({ result: parseSubmission(new FormData(), IdSchema, lang).reply({ formErrors: [t("form.unreadable")] }) }, { status: 400 });
  const intent = formData.get("intent");
  const base = `/w/${workspace.slug}/insights/targets`;

  if (intent === "delete") {
    const id = submissionOf(formData, IdSchema, lang);
    if (id.status !== "success") throw notFound();
    if (!(await deleteTarget(workspace.id, id.value.id))) throw notFound();
    return redirect(`${base}?deleted=1`);
  }

  const submission = submissionOf(formData, TargetFormSchema, lang);
  if (submission.status !== "success") return data({ result: submission.reply() }, { status: 400 });
  // An update names one of this workspace's targets; no id is no such target.
  if (intent === "update" && submission.value.id === undefined) throw notFound();
  const input = TargetInputSchema.parse(targetInputOf(submission.value));
  const saved = await saveTarget(workspace.id, user.id, input, intent === "update" ? submission.value.id : undefined);
  if (!saved.ok) {
    if (saved.status === 404) throw notFound();
    return data({ result: submission.reply({ fieldErrors: { for: [t(saved.reason)] } }) }, { status: 400 });
  }
  return redirect(`${base}?saved=1`);
}

export default function TargetsPage() {
  const { ws, targets, units, editing, canEdit, notice } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = useT();
  const lang = useLang();
  const nameOf = (target: Pick<Target, "unit" | "unitKey">) => units.find((u) => u.unit === target.unit && u.key === target.unitKey)?.name ?? target.unitKey;
  const shown = (target: Target) =>
    target.metric === "csat" ? formatNumber(target.value, "share", lang) : formatNumber(shownTargetValue(target.metric, target.value), target.metric === "gap" ? "gap" : target.metric === "nps" ? "score" : "mean", lang);
  const [form, fields] = useSchemaForm(TargetFormSchema, {
    id: `target-${editing?.id ?? "new"}`,
    lastResult: result?.result,
    defaultValue: {
      for: editing ? `${editing.unit}:${editing.unitKey}` : "",
      metric: editing?.metric ?? "gap",
      value: editing ? String(Math.round(shownTargetValue(editing.metric, editing.value) * 1000) / 1000) : "",
      fromDay: editing?.fromDay ?? "",
    },
  });
  return (
    <>
      <h1>{t("targets.title")}</h1>
      <p className="muted">{t("targets.intro")}</p>
      {notice ? (
        <p className="notice" role="status">
          {t(notice === "saved" ? "targets.saved" : "targets.deleted")}
        </p>
      ) : null}
      {targets.length === 0 ? (
        <p>{t("targets.empty")}</p>
      ) : (
        <div className="table-wrap">
          <table className="ins-table" data-testid="targets-table">
            <thead>
              <tr>
                <th scope="col">{t("targets.col.unit")}</th>
                <th scope="col">{t("targets.col.metric")}</th>
                <th scope="col" className="num">{t("targets.col.value")}</th>
                <th scope="col">{t("targets.col.from")}</th>
                {canEdit ? <th scope="col">{t("targets.col.actions")}</th> : null}
              </tr>
            </thead>
            <tbody>
              {targets.map((target) => (
                <tr key={target.id} data-target={target.id}>
                  <td>
                    <small className="muted">{t(`home.unit.${target.unit}` as MessageKey)}</small> {nameOf(target)}
                  </td>
                  <td>{t(`home.metric.${target.metric}` as MessageKey)}</td>
                  <td className="num">{shown(target)}</td>
                  <td>{target.fromDay ?? t("targets.always")}</td>
                  {canEdit ? (
                    <td>
                      <a href={`/w/${ws}/insights/targets?edit=${target.id}`}>{t("targets.edit")}</a>{" "}
                      <Form method="post" style={{ display: "inline" }}>
                        <input type="hidden" name="id" value={target.id} />
                        <button type="submit" name="intent" value="delete" className="secondary">
                          {t("targets.delete")}
                        </button>
                      </Form>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {canEdit ? (
        <section className="card" aria-labelledby="target-form">
          <h2 id="target-form">{editing ? t("targets.editing") : t("targets.add")}</h2>
          {/* The ids stay as they were: the pages that link here and the browser tests name them. */}
          <Form method="post" className="stack" key={editing?.id ?? "new"} {...getFormProps(form)} noValidate>
            <FormErrors form={form} />
            {editing ? <input type="hidden" name="id" value={editing.id} /> : null}
            <label htmlFor="target-for">
              {t("targets.field.unit")}
              <select key={fields.for.key} id="target-for" name="for" defaultValue={String(fields.for.initialValue ?? "")} {...invalid("target-for", fields.for.errors)}>
                <option value="" />
                {(["process", "touchpoint", "attribute"] as const).map((unit) => (
                  <optgroup key={unit} label={t(`home.unit.${unit}` as MessageKey)}>
                    {units
                      .filter((u) => u.unit === unit)
                      .map((u) => (
                        <option key={`${u.unit}:${u.key}`} value={`${u.unit}:${u.key}`}>
                          {u.name}
                        </option>
                      ))}
                  </optgroup>
                ))}
              </select>
              <FieldMessage id="target-for" errors={fields.for.errors} />
            </label>
            <div className="row">
              <label htmlFor="target-metric">
                {t("targets.field.metric")}
                <select key={fields.metric.key} id="target-metric" name="metric" defaultValue={String(fields.metric.initialValue ?? "gap")} {...invalid("target-metric", fields.metric.errors)}>
                  {TARGET_METRICS.map((m) => (
                    <option key={m} value={m}>
                      {t(`home.metric.${m}` as MessageKey)}
                    </option>
                  ))}
                </select>
                <FieldMessage id="target-metric" errors={fields.metric.errors} />
              </label>
              <Field key={fields.value.key} label={t("targets.field.value")} name="value" id="target-value" inputMode="decimal" defaultValue={String(fields.value.initialValue ?? "")} error={fields.value.errors?.[0]} />
              <Field key={fields.fromDay.key} label={t("targets.field.from")} name="fromDay" id="target-from" type="date" defaultValue={String(fields.fromDay.initialValue ?? "")} error={fields.fromDay.errors?.[0]} />
            </div>
            <p className="muted">{t("targets.ranges")}</p>
            <div className="actions">
              <button type="submit" name="intent" value={editing ? "update" : "create"}>
                {t("targets.save")}
              </button>
              {editing ? (
                <a className="button secondary" href={`/w/${ws}/insights/targets`}>
                  {t("targets.cancel")}
                </a>
              ) : null}
            </div>
          </Form>
        </section>
      ) : (
        <p className="muted">{t("targets.readOnly")}</p>
      )}
    </>
  );
}

/** A select's invalid state, wired to its message as the Field component wires an input's. */
const invalid = (id: string, errors: string[] | undefined) => (errors?.length ? { "aria-invalid": true, "aria-describedby": `${id}-error` } : {});

function FieldMessage({ id, errors }: { id: string; errors: string[] | undefined }) {
  return errors?.length ? (
    <span id={`${id}-error`} className="field-error">
      {errors[0]}
    </span>
  ) : null;
}
