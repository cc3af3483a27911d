// Targets: every member reads them; admins, designers and managers set, change and delete them
// ("targets:edit"). A target is for a process, a touchpoint or an attribute, on one metric, from an
// optional day on; the value must lie within the metric's range (app/cem/targets.ts).
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
import type { MessageKey } from "~/i18n/messages";
import { useLang, useT } from "~/i18n/use-t";
import { parseFormData, readFormData, UNREADABLE_FORM } from "~/web/form.server";
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

const IdSchema = z.object({ id: z.coerce.number({ error: "No such target." }).int().positive("No such target.") });
type ActionResult = { errors: Record<string, string>; values: Record<string, string> };

export async function action({ request, params }: ActionFunctionArgs) {
  const { workspace, user } = await requireMember(request, params.ws, "targets:edit");
  const formData = await readFormData(request);
  if (!formData) return data<ActionResult>({ errors: { _form: UNREADABLE_FORM }, values: {} }, { status: 400 });
  const intent = formData.get("intent");
  const base = `/w/${workspace.slug}/insights/targets`;

  if (intent === "delete") {
    const id = parseFormData(formData, IdSchema);
    if (!id.ok) return data<ActionResult>({ errors: id.errors, values: id.values }, { status: 400 });
    if (!(await deleteTarget(workspace.id, id.data.id))) throw notFound();
    return redirect(`${base}?deleted=1`);
  }

  // The form's one select names the unit and its key together ("process:card-delivery").
  const chosen = String(formData.get("for") ?? "");
  if (chosen && !formData.has("unit")) {
    const at = chosen.indexOf(":");
    formData.set("unit", at > 0 ? chosen.slice(0, at) : "");
    formData.set("unitKey", at > 0 ? chosen.slice(at + 1) : "");
  }
  const form = parseFormData(formData, TargetInputSchema);
  if (!form.ok) return data<ActionResult>({ errors: form.errors, values: form.values }, { status: 400 });
  let id: number | undefined;
  if (intent === "update") {
    const parsed = parseFormData(formData, IdSchema);
    if (!parsed.ok) return data<ActionResult>({ errors: parsed.errors, values: form.values }, { status: 400 });
    id = parsed.data.id;
  }
  const saved = await saveTarget(workspace.id, user.id, form.data, id);
  if (!saved.ok) {
    if (saved.status === 404) throw notFound();
    return data<ActionResult>({ errors: saved.errors, values: form.values }, { status: 400 });
  }
  return redirect(`${base}?saved=1`);
}

export default function TargetsPage() {
  const { ws, targets, units, editing, canEdit, notice } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = useT();
  const lang = useLang();
  const errors = result?.errors ?? {};
  const values = result?.values ?? {};
  const nameOf = (target: Pick<Target, "unit" | "unitKey">) => units.find((u) => u.unit === target.unit && u.key === target.unitKey)?.name ?? target.unitKey;
  const shown = (target: Target) =>
    target.metric === "csat" ? formatNumber(target.value, "share", lang) : formatNumber(shownTargetValue(target.metric, target.value), target.metric === "gap" ? "gap" : target.metric === "nps" ? "score" : "mean", lang);
  const defaults = {
    for: values.for ?? (editing ? `${editing.unit}:${editing.unitKey}` : ""),
    metric: values.metric ?? editing?.metric ?? "gap",
    value: values.value ?? (editing ? String(Math.round(shownTargetValue(editing.metric, editing.value) * 1000) / 1000) : ""),
    fromDay: values.fromDay ?? editing?.fromDay ?? "",
  };
  return (
    <>
      <h1>{t("targets.title")}</h1>
      <p className="muted">{t("targets.intro")}</p>
      {notice ? (
        <p className="notice" role="status">
          {t(notice === "saved" ? "targets.saved" : "targets.deleted")}
        </p>
      ) : null}
      {errors._form ? <p className="notice error">{errors._form}</p> : null}
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
          <Form method="post" className="stack" key={editing?.id ?? "new"}>
            {editing ? <input type="hidden" name="id" value={editing.id} /> : null}
            <label htmlFor="target-for">
              {t("targets.field.unit")}
              <select id="target-for" name="for" defaultValue={defaults.for} required aria-invalid={errors.unitKey || errors.unit ? true : undefined}>
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
              {errors.unitKey || errors.unit ? <span className="field-error">{errors.unitKey ?? errors.unit}</span> : null}
            </label>
            <div className="row">
              <label htmlFor="target-metric">
                {t("targets.field.metric")}
                <select id="target-metric" name="metric" defaultValue={defaults.metric} aria-invalid={errors.metric ? true : undefined}>
                  {TARGET_METRICS.map((m) => (
                    <option key={m} value={m}>
                      {t(`home.metric.${m}` as MessageKey)}
                    </option>
                  ))}
                </select>
                {errors.metric ? <span className="field-error">{errors.metric}</span> : null}
              </label>
              <Field label={t("targets.field.value")} name="value" id="target-value" inputMode="decimal" defaultValue={defaults.value} error={errors.value} required />
              <Field label={t("targets.field.from")} name="fromDay" id="target-from" type="date" defaultValue={defaults.fromDay} error={errors.fromDay} />
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
