// One touchpoint, read as a summary (what it is, its survey and deployments, its latest gap with n and
// interval), edited with ?edit=1; $tp = "new" adds one. The journey schema checks the result again.
import { getFormProps, type FieldMetadata } from "@conform-to/react";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { requireMember } from "~/auth/guard.server";
import { can } from "~/auth/permissions";
import { CHANNELS, INTERACTIONS, MODULES, SERVQUAL_DIMENSIONS, SIDES, type JourneyTouchpoint } from "~/cem/journey";
import { findTouchpoint, referencedProcesses, upsertTouchpoint } from "~/cem/journey-edit";
import { CheckboxField, FormErrors, SelectField, TextField } from "~/components/form/fields";
import { useSchemaForm } from "~/components/form/use-schema-form";
import { LatestGap } from "~/components/LatestGap";
import { MissingTranslation, useLocalName } from "~/components/LocalName";
import { listDeployments } from "~/data/deployments.server";
import { findTouchpointByKey, loadJourney, saveJourney, workspaceProcesses } from "~/data/journeys.server";
import { latestGaps } from "~/data/latest-gaps.server";
import { listSurveys } from "~/data/surveys.server";
import { requestLang } from "~/i18n/lang.server";
import type { MessageKey } from "~/i18n/messages";
import { useT } from "~/i18n/use-t";
import { parseRequestForm } from "~/web/conform.server";
import { formOptionalText, formSlug, formText } from "~/web/form-schema";
import { notFound } from "~/web/responses.server";

const BLANK_ATTRIBUTE_ROWS = 2;
const ATTRIBUTE_KEY = /^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$/;

const AttributeRowSchema = z
  .object({
    key: z.string().trim().max(64).regex(ATTRIBUTE_KEY, "form.attrKey").optional(),
    es: formOptionalText(200),
    en: formOptionalText(200),
    servqual: z.enum(SERVQUAL_DIMENSIONS).optional(),
    remove: z.boolean().optional(),
  })
  .superRefine((row, ctx) => {
    // A row with a key measures an attribute, which the survey asks in both languages.
    if (row.key && !row.remove && (!row.es || !row.en)) ctx.addIssue({ code: "custom", path: [row.es ? "en" : "es"], message: "form.attrLabels" });
  });

const TouchpointFormSchema = z
  .object({
    key: formSlug(),
    name: formText(160),
    // The English name is optional: "" until someone translates it.
    nameEn: formOptionalText(160),
    stage: z.string().min(1),
    channel: z.enum(CHANNELS),
    interaction: z.enum(INTERACTIONS),
    process: z.string().optional(),
    side: z.enum(SIDES),
    targetDurationMinutes: z.number().positive().max(100_000).optional(),
    mot: z.boolean().optional(),
    motReason: formOptionalText(500),
    modules: z.array(z.enum(MODULES)).optional().default([]),
    attr: z.array(AttributeRowSchema).max(200).optional().default([]),
  })
  .superRefine((form, ctx) => {
    if (form.mot && !form.motReason) ctx.addIssue({ code: "custom", path: ["motReason"], message: "form.motReason" });
  });
type TouchpointForm = z.output<typeof TouchpointFormSchema>;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { workspace, role } = await requireMember(request, params.ws);
  const journey = await loadJourney(workspace.id, params.key ?? "");
  if (!journey) throw notFound();
  const isNew = params.tp === "new";
  const found = isNew ? null : findTouchpoint(journey, params.tp ?? "");
  if (!isNew && !found) throw notFound();
  const row = found ? await findTouchpointByKey(workspace.id, found.touchpoint.key) : null;
  const [surveys, deployments, gaps] = row
    ? await Promise.all([listSurveys(workspace.id, { touchpointId: row.id }), listDeployments(workspace.id), latestGaps(workspace, await requestLang(request), journey.key)])
    : [[], [], null];
  return {
    journey: { key: journey.key, name: journey.name, nameEn: journey.nameEn, stages: journey.stages.map((s) => ({ key: s.key, name: s.name, nameEn: s.nameEn })) },
    touchpoint: found?.touchpoint ?? null,
    stageKey: found?.stage.key ?? null,
    processes: await workspaceProcesses(workspace.id),
    surveys: surveys.map((s) => ({ id: s.id, title: s.title, template: s.template, publishedVersion: s.publishedVersion, hasDraft: s.hasDraft })),
    deployments: deployments
      .filter((d) => d.touchpointKey === found?.touchpoint.key)
      .map((d) => ({ id: d.id, name: d.name, surveyId: d.surveyId, surveyTitle: d.surveyTitle, active: d.active, invitations: d.invitations })),
    gap: found && gaps ? (gaps.byTouchpoint[found.touchpoint.key] ?? null) : null,
    window: gaps?.window ?? null,
    canEdit: can(role, "journeys:edit"),
  };
}

/** The journey-file touchpoint a valid form describes; rows without a key, or marked to remove, are left out. */
function touchpointOf(form: TouchpointForm, key: string): JourneyTouchpoint {
  return {
    key,
    name: form.name,
    nameEn: form.nameEn,
    channel: form.channel,
    interaction: form.interaction,
    process: form.process || null,
    side: form.side,
    momentOfTruth: form.mot ? { reason: form.motReason } : null,
    modules: MODULES.filter((m) => form.modules.includes(m)),
    targetDurationMinutes: form.targetDurationMinutes ?? null,
    attributes: form.attr
      .filter((a) => a.key && !a.remove)
      .map((a) => ({ key: a.key!, label: { es: a.es, en: a.en }, servqual: a.servqual ?? null })),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { workspace } = await requireMember(request, params.ws, "journeys:edit");
  const journey = await loadJourney(workspace.id, params.key ?? "");
  if (!journey) throw notFound();
  const isNew = params.tp === "new";
  const previous = isNew ? null : findTouchpoint(journey, params.tp ?? "");
  if (!isNew && !previous) throw notFound();
  const { submission, unreadable, t } = await parseRequestForm(request, TouchpointFormSchema);
  if (unreadable) return data({ result: unreadable }, { status: 400 });
  if (submission.status !== "success") return data({ result: submission.reply() }, { status: 400 });
  const form = submission.value;
  // An existing touchpoint keeps its key (surveys and responses name it).
  const key = previous ? previous.touchpoint.key : form.key;
  if (!journey.stages.some((s) => s.key === form.stage)) {
    return data({ result: submission.reply({ fieldErrors: { stage: [t("form.stage")] } }) }, { status: 400 });
  }
  if (isNew && findTouchpoint(journey, key)) {
    return data({ result: submission.reply({ fieldErrors: { key: [t("form.tpKeyTaken")] } }) }, { status: 400 });
  }
  const next = upsertTouchpoint(journey, form.stage, touchpointOf(form, key), previous?.touchpoint.key);
  next.processes = referencedProcesses(next, await workspaceProcesses(workspace.id));
  const saved = await saveJourney(workspace.id, next, "replace");
  if (!saved.ok) {
    const messages = saved.errors.map((e) => `${e.path.replace(/^stages\[\d+\]\.touchpoints\[\d+\]\.?/, "")} ${e.message}`.trim());
    return data({ result: submission.reply({ formErrors: messages }) }, { status: 400 });
  }
  return redirect(`/w/${workspace.slug}/journeys/${journey.key}`);
}

export default function TouchpointPage() {
  const { journey, touchpoint, canEdit } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const result = useActionData<typeof action>();
  const t = useT();
  const localName = useLocalName();
  const editing = canEdit && (touchpoint === null || params.get("edit") === "1" || result !== undefined);
  return (
    <>
      <p>
        <Link to={`../..`} relative="path">
          ← {localName(journey)}
        </Link>
      </p>
      <div className="row" style={{ justifyContent: "space-between" }}>
        <h1>
          {t("tp.title")}: {touchpoint ? localName(touchpoint) : t("journey.addTouchpoint")}
        </h1>
        {canEdit && touchpoint ? (
          <Link className={editing ? "button secondary" : "button"} to={editing ? "." : "?edit=1"} data-testid="edit-touchpoint">
            {editing ? t("form.done") : t("form.edit")}
          </Link>
        ) : null}
      </div>
      {editing ? <TouchpointEditor /> : <TouchpointSummary />}
    </>
  );
}

function TouchpointSummary() {
  const { journey, touchpoint: tp, stageKey, processes, surveys, deployments, gap, window } = useLoaderData<typeof loader>();
  const t = useT();
  const localName = useLocalName();
  if (!tp) return null;
  const stage = journey.stages.find((s) => s.key === stageKey);
  const process = processes.find((p) => p.key === tp.process);
  return (
    <>
      <section className="card" aria-labelledby="tp-what">
        <h2 id="tp-what">
          {stage ? `${localName(stage)} · ` : null}
          {localName(tp)} <MissingTranslation item={tp} /> <span className="badge">{tp.key}</span>
        </h2>
        <p>
          <span className="badge">{t(`channel.${tp.channel}` as MessageKey)}</span> <span className="badge">{t(`interaction.${tp.interaction}` as MessageKey)}</span>{" "}
          <span className="badge">{t(`side.${tp.side}` as MessageKey)}</span>{" "}
          {tp.modules.map((m) => (
            <span key={m} className="badge">
              {t(`module.${m}` as MessageKey)}
            </span>
          ))}
        </p>
        <p className="muted">
          {process ? t("tp.summary.process", { process: localName(process) }) : t("tp.noProcess")}
          {tp.targetDurationMinutes !== null ? ` · ${t("tp.summary.minutes", { minutes: tp.targetDurationMinutes })}` : ""}
        </p>
        {tp.momentOfTruth ? (
          <p className="notice">
            <strong>★ {t("tp.mot")}:</strong> {tp.momentOfTruth.reason}
          </p>
        ) : null}
        <h3>{t("tp.summary.attributes", { count: tp.attributes.length })}</h3>
        <ul>
          {tp.attributes.map((a) => (
            <li key={a.key}>
              {a.label.es} / {a.label.en} <code>{a.key}</code>
              {a.servqual ? <span className="badge">{t(`servqual.${a.servqual}` as MessageKey)}</span> : null}
            </li>
          ))}
        </ul>
      </section>
      <section className="card" aria-labelledby="tp-gap">
        <h2 id="tp-gap">{t("tp.summary.gap")}</h2>
        <p>
          <LatestGap figure={gap ?? undefined} />
        </p>
        {window ? <p className="muted">{t("process.summary.window", window)}</p> : null}
      </section>
      <section className="card" aria-labelledby="tp-survey">
        <h2 id="tp-survey">{t("tp.summary.survey")}</h2>
        {surveys.length === 0 ? <p className="muted">{t("tp.summary.noSurvey")}</p> : null}
        <ul>
          {surveys.map((s) => (
            <li key={s.id}>
              <Link to={`../../../../surveys/${s.id}`} relative="path">
                {s.title}
              </Link>{" "}
              <span className="muted">
                {s.publishedVersion !== null ? t("tp.summary.version", { version: s.publishedVersion }) : t("tp.summary.draft")}
              </span>
            </li>
          ))}
        </ul>
        <h3>{t("tp.summary.deployments")}</h3>
        {deployments.length === 0 ? <p className="muted">{t("tp.summary.noDeployments")}</p> : null}
        <ul>
          {deployments.map((d) => (
            <li key={d.id}>
              <Link to={`../../../../surveys/${d.surveyId}/deploy`} relative="path">
                {d.name}
              </Link>{" "}
              <span className={d.active ? "badge" : "badge muted"}>{d.active ? t("tp.summary.active") : t("tp.summary.inactive")}</span>
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}

function TouchpointEditor() {
  const { journey, touchpoint: tp, stageKey, processes, canEdit } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const t = useT();
  const localName = useLocalName();
  const blank = Array.from({ length: BLANK_ATTRIBUTE_ROWS }, () => ({ key: "", es: "", en: "", servqual: "" }));
  const [form, fields] = useSchemaForm(TouchpointFormSchema, {
    id: "touchpoint",
    lastResult: result?.result,
    defaultValue: {
      key: tp?.key ?? "",
      name: tp?.name ?? "",
      nameEn: tp?.nameEn ?? "",
      stage: stageKey ?? params.get("stage") ?? journey.stages[0]?.key,
      channel: tp?.channel ?? "store",
      interaction: tp?.interaction ?? "person-to-person",
      process: tp?.process ?? "",
      side: tp?.side ?? "frontstage",
      targetDurationMinutes: tp?.targetDurationMinutes ?? undefined,
      mot: tp?.momentOfTruth ? "on" : undefined,
      motReason: tp?.momentOfTruth?.reason ?? "",
      modules: tp?.modules ?? [],
      attr: [...(tp?.attributes ?? []).map((a) => ({ key: a.key, es: a.label.es, en: a.label.en, servqual: a.servqual ?? "" })), ...blank],
    },
  });
  const rows = fields.attr.getFieldList();
  const choices = (values: readonly string[], prefix: string) => values.map((v) => ({ value: v, label: t(`${prefix}.${v}` as MessageKey) }));
  return (
    <Form method="post" className="stack" {...getFormProps(form)} noValidate>
      <FormErrors form={form} />
      <fieldset className="card" disabled={!canEdit}>
        <legend>{t("tp.title")}</legend>
        <div className="row">
          <TextField label={t("tp.key")} field={fields.key} readOnly={!!tp} />
          <TextField label={`${t("tp.name")} · ${t("names.es")}`} field={fields.name} />
          <TextField
            label={
              <>
                {t("names.en")} {tp ? <MissingTranslation item={tp} /> : null}
              </>
            }
            field={fields.nameEn}
          />
          <SelectField label={t("tp.stage")} field={fields.stage} options={journey.stages.map((s) => ({ value: s.key, label: localName(s) }))} />
        </div>
        <div className="row">
          <SelectField label={t("tp.channel")} field={fields.channel} options={choices(CHANNELS, "channel")} />
          <SelectField label={t("tp.interaction")} field={fields.interaction} options={choices(INTERACTIONS, "interaction")} />
          <SelectField
            label={t("tp.process")}
            field={fields.process}
            options={[{ value: "", label: t("tp.noProcess") }, ...processes.map((p) => ({ value: p.key, label: localName(p) }))]}
          />
          <SelectField label={t("tp.side")} field={fields.side} options={choices(SIDES, "side")} />
          <TextField label={t("tp.duration")} field={fields.targetDurationMinutes} type="number" step="any" min={0} />
        </div>
        <CheckboxField label={`★ ${t("tp.mot")}`} field={fields.mot} />
        <TextField label={t("tp.motReason")} field={fields.motReason} />
        <fieldset>
          <legend>{t("tp.modules")}</legend>
          <div className="row">
            {MODULES.map((m) => (
              <label key={m} className="check">
                <input
                  type="checkbox"
                  name={fields.modules.name}
                  value={m}
                  form={form.id}
                  defaultChecked={(fields.modules.initialValue as string[] | undefined)?.includes(m)}
                />{" "}
                {t(`module.${m}` as MessageKey)}
              </label>
            ))}
          </div>
        </fieldset>
      </fieldset>
      <fieldset className="card" disabled={!canEdit}>
        <legend>{t("tp.attributes")}</legend>
        <div className="stack">
          {rows.map((row, i) => (
            <AttributeRow key={row.key} row={row} index={i} existing={i < (tp?.attributes.length ?? 0)} />
          ))}
        </div>
      </fieldset>
      {canEdit ? (
        <p>
          <button type="submit">{t("journey.save")}</button>
        </p>
      ) : null}
    </Form>
  );
}

type AttributeFields = FieldMetadata<z.input<typeof AttributeRowSchema>, Record<string, unknown>, string[]>;

function AttributeRow({ row, index, existing }: { row: AttributeFields; index: number; existing: boolean }) {
  const t = useT();
  const f = row.getFieldset();
  return (
    <div className="row" data-attribute-row={index}>
      <TextField label={t("tp.attrKey")} field={f.key} />
      <TextField label={t("tp.attrEs")} field={f.es} />
      <TextField label={t("tp.attrEn")} field={f.en} />
      <SelectField
        label={t("tp.servqual")}
        field={f.servqual}
        options={[{ value: "", label: t("tp.noServqual") }, ...SERVQUAL_DIMENSIONS.map((d) => ({ value: d, label: t(`servqual.${d}` as MessageKey) }))]}
      />
      {existing ? <CheckboxField label={t("journey.delete")} field={f.remove} /> : null}
    </div>
  );
}
