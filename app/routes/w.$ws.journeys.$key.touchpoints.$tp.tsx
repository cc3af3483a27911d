// Edit (or add, with $tp = "new") one touchpoint: channel, interaction, process, moment of truth,
// experiential modules, target duration and the attributes measured there.
import { MissingTranslation, useLocalName } from "~/components/LocalName";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { requireMember } from "~/auth/guard.server";
import { can } from "~/auth/permissions";
import { CHANNELS, INTERACTIONS, MODULES, SERVQUAL_DIMENSIONS, SIDES, type JourneyFileError, type JourneyTouchpoint } from "~/cem/journey";
import { findTouchpoint, referencedProcesses, upsertTouchpoint } from "~/cem/journey-edit";
import { Field } from "~/components/Field";
import { loadJourney, saveJourney, workspaceProcesses } from "~/data/journeys.server";
import type { MessageKey } from "~/i18n/messages";
import { useT } from "~/i18n/use-t";
import { notFound } from "~/web/responses.server";

const BLANK_ATTRIBUTE_ROWS = 2;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { workspace, role } = await requireMember(request, params.ws);
  const journey = await loadJourney(workspace.id, params.key ?? "");
  if (!journey) throw notFound();
  const isNew = params.tp === "new";
  const found = isNew ? null : findTouchpoint(journey, params.tp ?? "");
  if (!isNew && !found) throw notFound();
  return {
    journey: { key: journey.key, name: journey.name, nameEn: journey.nameEn, stages: journey.stages.map((s) => ({ key: s.key, name: s.name, nameEn: s.nameEn })) },
    touchpoint: found?.touchpoint ?? null,
    stageKey: found?.stage.key ?? null,
    processes: await workspaceProcesses(workspace.id),
    canEdit: can(role, "journeys:edit"),
  };
}

/** Reads the touchpoint form into the journey-file shape; the journey schema does the validation. */
function touchpointFromForm(form: FormData, key: string): JourneyTouchpoint {
  const text = (name: string) => String(form.get(name) ?? "").trim();
  const duration = text("targetDurationMinutes");
  const attributeRows = Number(form.get("attributeRows") ?? 0);
  const attributes: JourneyTouchpoint["attributes"] = [];
  for (let i = 0; i < Math.min(attributeRows, 200); i++) {
    const attrKey = text(`attr.${i}.key`);
    if (!attrKey || form.get(`attr.${i}.remove`) === "on") continue;
    const servqual = text(`attr.${i}.servqual`);
    attributes.push({
      key: attrKey,
      label: { es: text(`attr.${i}.es`), en: text(`attr.${i}.en`) },
      servqual: (servqual || null) as JourneyTouchpoint["attributes"][number]["servqual"],
    });
  }
  return {
    key,
    name: text("name"),
    nameEn: text("nameEn"),
    channel: text("channel") as JourneyTouchpoint["channel"],
    interaction: text("interaction") as JourneyTouchpoint["interaction"],
    process: text("process") || null,
    side: text("side") as JourneyTouchpoint["side"],
    momentOfTruth: form.get("mot") === "on" ? { reason: text("motReason") } : null,
    modules: MODULES.filter((m) => form.get(`module.${m}`) === "on"),
    targetDurationMinutes: duration === "" ? null : Number(duration.replace(",", ".")),
    attributes,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { workspace } = await requireMember(request, params.ws, "journeys:edit");
  const journey = await loadJourney(workspace.id, params.key ?? "");
  if (!journey) throw notFound();
  const form = await request.formData();
  const isNew = params.tp === "new";
  const previous = isNew ? null : findTouchpoint(journey, params.tp ?? "");
  if (!isNew && !previous) throw notFound();
  const key = isNew ? String(form.get("key") ?? "").trim() : previous!.touchpoint.key;
  const stageKey = String(form.get("stage") ?? "");
  if (!journey.stages.some((s) => s.key === stageKey)) {
    return data({ errors: [{ path: "stage", message: "Choose a stage of this journey." }] as JourneyFileError[] }, { status: 400 });
  }
  if (isNew && findTouchpoint(journey, key)) {
    return data({ errors: [{ path: "key", message: `touchpoint key "${key}" exists in this journey` }] as JourneyFileError[] }, { status: 400 });
  }
  const touchpoint = touchpointFromForm(form, key);
  const next = upsertTouchpoint(journey, stageKey, touchpoint, previous?.touchpoint.key);
  next.processes = referencedProcesses(next, await workspaceProcesses(workspace.id));
  const saved = await saveJourney(workspace.id, next, "replace");
  if (!saved.ok) return data({ errors: saved.errors }, { status: 400 });
  return redirect(`/w/${workspace.slug}/journeys/${journey.key}`);
}

export default function TouchpointPage() {
  const { journey, touchpoint, stageKey, processes, canEdit } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const t = useT();
  const localName = useLocalName();
  const tp = touchpoint;
  const rows = [...(tp?.attributes ?? []), ...Array.from({ length: BLANK_ATTRIBUTE_ROWS }, () => null)];
  return (
    <>
      <p>
        <Link to={`../..`} relative="path">
          ← {localName(journey)}
        </Link>
      </p>
      <h1>
        {t("tp.title")}: {tp ? localName(tp) : t("journey.addTouchpoint")}
      </h1>
      {result?.errors.length ? (
        <div className="notice error" role="alert">
          <ul className="errors-list">
            {result.errors.map((e, i) => (
              <li key={i}>
                {e.path ? <code>{e.path.replace(/^stages\[\d+\]\.touchpoints\[\d+\]\.?/, "")}</code> : null} {e.message}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <Form method="post" className="stack">
        <fieldset className="card" disabled={!canEdit}>
          <legend>{t("tp.title")}</legend>
          <div className="row">
            <Field label={t("tp.key")} name="key" defaultValue={tp?.key ?? ""} readOnly={!!tp} required pattern="[a-z0-9]+(-[a-z0-9]+)*" />
            <Field label={`${t("tp.name")} · ${t("names.es")}`} name="name" defaultValue={tp?.name ?? ""} required />
            <Field
              label={
                <>
                  {t("names.en")} {tp ? <MissingTranslation item={tp} /> : null}
                </>
              }
              name="nameEn"
              defaultValue={tp?.nameEn ?? ""}
            />
            <label>
              {t("tp.stage")}
              <select name="stage" defaultValue={stageKey ?? params.get("stage") ?? journey.stages[0]?.key}>
                {journey.stages.map((s) => (
                  <option key={s.key} value={s.key}>
                    {localName(s)}
                  </option>
                ))}
              </select>
            </label>
          </div>
          <div className="row">
            <label>
              {t("tp.channel")}
              <select name="channel" defaultValue={tp?.channel ?? "store"}>
                {CHANNELS.map((c) => (
                  <option key={c} value={c}>
                    {t(`channel.${c}` as MessageKey)}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t("tp.interaction")}
              <select name="interaction" defaultValue={tp?.interaction ?? "person-to-person"}>
                {INTERACTIONS.map((c) => (
                  <option key={c} value={c}>
                    {t(`interaction.${c}` as MessageKey)}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t("tp.process")}
              <select name="process" defaultValue={tp?.process ?? ""}>
                <option value="">{t("tp.noProcess")}</option>
                {processes.map((p) => (
                  <option key={p.key} value={p.key}>
                    {localName(p)}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t("tp.side")}
              <select name="side" defaultValue={tp?.side ?? "frontstage"}>
                {SIDES.map((s) => (
                  <option key={s} value={s}>
                    {t(`side.${s}` as MessageKey)}
                  </option>
                ))}
              </select>
            </label>
            <Field label={t("tp.duration")} name="targetDurationMinutes" type="number" min={0} step="any" defaultValue={tp?.targetDurationMinutes ?? ""} />
          </div>
          <label className="check">
            <input type="checkbox" name="mot" defaultChecked={!!tp?.momentOfTruth} /> ★ {t("tp.mot")}
          </label>
          <Field label={t("tp.motReason")} name="motReason" defaultValue={tp?.momentOfTruth?.reason ?? ""} />
          <fieldset>
            <legend>{t("tp.modules")}</legend>
            <div className="row">
              {MODULES.map((m) => (
                <label key={m} className="check">
                  <input type="checkbox" name={`module.${m}`} defaultChecked={tp?.modules.includes(m)} /> {t(`module.${m}` as MessageKey)}
                </label>
              ))}
            </div>
          </fieldset>
        </fieldset>
        <fieldset className="card" disabled={!canEdit}>
          <legend>{t("tp.attributes")}</legend>
          <input type="hidden" name="attributeRows" value={rows.length} />
          <div className="stack">
            {rows.map((a, i) => (
              <div key={i} className="row" data-attribute-row={i}>
                <Field label={t("tp.attrKey")} name={`attr.${i}.key`} defaultValue={a?.key ?? ""} pattern="[a-z][a-z0-9]*(_[a-z0-9]+)*" />
                <Field label={t("tp.attrEs")} name={`attr.${i}.es`} defaultValue={a?.label.es ?? ""} />
                <Field label={t("tp.attrEn")} name={`attr.${i}.en`} defaultValue={a?.label.en ?? ""} />
                <label>
                  {t("tp.servqual")}
                  <select name={`attr.${i}.servqual`} defaultValue={a?.servqual ?? ""}>
                    <option value="">{t("tp.noServqual")}</option>
                    {SERVQUAL_DIMENSIONS.map((d) => (
                      <option key={d} value={d}>
                        {t(`servqual.${d}` as MessageKey)}
                      </option>
                    ))}
                  </select>
                </label>
                {a ? (
                  <label className="check">
                    <input type="checkbox" name={`attr.${i}.remove`} /> {t("journey.delete")}
                  </label>
                ) : null}
              </div>
            ))}
          </div>
        </fieldset>
        {canEdit ? (
          <p>
            <button type="submit">{t("journey.save")}</button>
          </p>
        ) : null}
      </Form>
    </>
  );
}
