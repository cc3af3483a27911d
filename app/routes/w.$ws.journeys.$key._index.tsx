// One journey: its map (d3 geometry rendered as SVG on the server) and the stage/touchpoint editor.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useParams, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { requireMember } from "~/auth/guard.server";
import { can } from "~/auth/permissions";
import type { JourneyFile, JourneyFileError } from "~/cem/journey";
import { LocalName, MissingTranslation } from "~/components/LocalName";
import { localizedJourney, untranslatedNames } from "~/i18n/names";
import { addStage, deleteStage, deleteTouchpoint, moveStage, moveTouchpoint, renameStage, type Direction } from "~/cem/journey-edit";
import { SlugSchema } from "~/cem/slug";
import { JourneyMap } from "~/components/charts/JourneyMap";
import { useJourneyMapLabels } from "~/components/charts/journey-map-labels";
import type { LaneBy } from "~/components/charts/journey-map-layout";
import { Field } from "~/components/Field";
import { deleteJourney, loadJourney, saveJourney } from "~/data/journeys.server";
import { useLang, useT, useTn } from "~/i18n/use-t";
import type { MessageKey } from "~/i18n/messages";
import { parseFormData } from "~/web/form.server";
import { notFound } from "~/web/responses.server";

const LANES: LaneBy[] = ["channel", "process", "side"];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { workspace, role } = await requireMember(request, params.ws);
  const journey = await loadJourney(workspace.id, params.key ?? "");
  if (!journey) throw notFound();
  return { journey, canEdit: can(role, "journeys:edit") };
}

const StageSchema = z.object({
  stageKey: SlugSchema,
  stageName: z.string().trim().min(1, "Enter a name.").max(120),
  stageNameEn: z.string().trim().max(120).optional().default(""),
});
const DetailsSchema = z.object({
  name: z.string().trim().min(1, "Enter a name.").max(160),
  nameEn: z.string().trim().max(160).optional().default(""),
  persona: z.string().trim().max(300).optional().default(""),
  description: z.string().trim().max(4000).optional().default(""),
});

type Result = { errors: JourneyFileError[]; fields?: Record<string, string>; saved?: boolean };

export async function action({ request, params }: ActionFunctionArgs) {
  const { workspace } = await requireMember(request, params.ws, "journeys:edit");
  const journey = await loadJourney(workspace.id, params.key ?? "");
  if (!journey) throw notFound();
  const formData = await request.formData();
  const intent = String(formData.get("intent") ?? "");
  const dir = (formData.get("dir") === "-1" ? -1 : 1) as Direction;
  const stage = String(formData.get("stage") ?? "");
  const tp = String(formData.get("tp") ?? "");
  let next: JourneyFile;
  switch (intent) {
    case "deleteJourney": {
      const r = await deleteJourney(workspace.id, journey.key);
      if (!r.ok) return data<Result>({ errors: [{ path: "", message: r.message ?? "Could not delete." }] }, { status: 409 });
      return redirect(`/w/${workspace.slug}/journeys`);
    }
    case "details": {
      const form = parseFormData(formData, DetailsSchema);
      if (!form.ok) return data<Result>({ errors: [], fields: form.errors }, { status: 400 });
      next = { ...journey, ...form.data };
      break;
    }
    case "addStage": {
      const form = parseFormData(formData, StageSchema);
      if (!form.ok) return data<Result>({ errors: [], fields: form.errors }, { status: 400 });
      next = addStage(journey, { key: form.data.stageKey, name: form.data.stageName, nameEn: form.data.stageNameEn });
      break;
    }
    case "renameStage":
      next = renameStage(journey, stage, String(formData.get("name") ?? "").trim(), String(formData.get("nameEn") ?? "").trim());
      break;
    case "moveStage":
      next = moveStage(journey, stage, dir);
      break;
    case "deleteStage":
      next = deleteStage(journey, stage);
      break;
    case "moveTouchpoint":
      next = moveTouchpoint(journey, tp, dir);
      break;
    case "deleteTouchpoint":
      next = deleteTouchpoint(journey, tp);
      break;
    default:
      return data<Result>({ errors: [{ path: "", message: `Unknown action "${intent}".` }] }, { status: 400 });
  }
  const saved = await saveJourney(workspace.id, next, "replace");
  if (!saved.ok) return data<Result>({ errors: saved.errors }, { status: 400 });
  return data<Result>({ errors: [], saved: true });
}

export default function JourneyPage() {
  const { journey, canEdit } = useLoaderData<typeof loader>();
  const result = useActionData<Result>();
  const [params, setParams] = useSearchParams();
  const t = useT();
  const tn = useTn();
  const mapLabels = useJourneyMapLabels();
  const { ws } = useParams();
  const base = `/w/${ws}/journeys/${journey.key}`;
  const laneBy = (LANES as string[]).includes(params.get("lanes") ?? "") ? (params.get("lanes") as LaneBy) : "channel";
  const tpCount = journey.stages.reduce((n, s) => n + s.touchpoints.length, 0);
  const lang = useLang();
  // The map reads names in the reader's language; the editor below keeps both.
  const shown = localizedJourney(journey, lang);
  const untranslated = untranslatedNames(journey);
  return (
    <>
      <p className="no-print">
        <Link to="..">← {t("journey.title")}</Link>
      </p>
      <h1>{shown.name}</h1>
      <p className="muted">
        {journey.persona} · {tn("count.stages", journey.stages.length)} · {tn("count.touchpoints", tpCount)}
        {untranslated > 0 ? (
          <>
            {" "}
            · <span className="badge untranslated" title={t("names.untranslatedHint")}>{t("names.untranslated", { count: untranslated })}</span>
          </>
        ) : null}
      </p>
      {params.get("imported") ? <p className="notice" role="status">{t("journey.imported", { name: journey.name })}</p> : null}
      {result?.saved ? <p className="notice" role="status">{t("journey.saved")}</p> : null}
      {result?.errors.length ? (
        <div className="notice error" role="alert">
          <ul className="errors-list">
            {result.errors.map((e, i) => (
              <li key={i}>
                {e.path ? <code>{e.path}</code> : null} {e.message}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <section aria-labelledby="map-title" className="card">
        <div className="row no-print" style={{ justifyContent: "space-between" }}>
          <h2 id="map-title">{t("journey.map")}</h2>
          <div className="row">
            <label>
              {t("journey.laneBy")}
              <select
                value={laneBy}
                onChange={(e) => {
                  const next = new URLSearchParams(params);
                  next.set("lanes", e.target.value);
                  setParams(next, { replace: true, preventScrollReset: true });
                }}
              >
                {LANES.map((l) => (
                  <option key={l} value={l}>
                    {t(`journey.lane.${l}` as MessageKey)}
                  </option>
                ))}
              </select>
            </label>
            <a className="button secondary" href={`${base}/export`} download={`${journey.key}.json`} data-testid="export-link">
              {t("journey.export")}
            </a>
          </div>
        </div>
        <div className="chart-scroll">
          <JourneyMap journey={shown} laneBy={laneBy} labels={mapLabels} onSelectHref={(key) => `${base}/touchpoints/${key}`} />
        </div>
      </section>
      {canEdit ? <JourneyEditor journey={journey} fields={result?.fields} /> : <p className="notice">{t("journey.readonly")}</p>}
    </>
  );
}

function MoveButtons({ name, value, labels }: { name: string; value: string; labels: [string, string] }) {
  return (
    <>
      <Form method="post" className="inline">
        <input type="hidden" name="intent" value={name} />
        <input type="hidden" name={name === "moveStage" ? "stage" : "tp"} value={value} />
        <input type="hidden" name="dir" value="-1" />
        <button type="submit" className="secondary small" aria-label={`${labels[0]}: ${value}`}>
          ↑
        </button>
      </Form>
      <Form method="post" className="inline">
        <input type="hidden" name="intent" value={name} />
        <input type="hidden" name={name === "moveStage" ? "stage" : "tp"} value={value} />
        <input type="hidden" name="dir" value="1" />
        <button type="submit" className="secondary small" aria-label={`${labels[1]}: ${value}`}>
          ↓
        </button>
      </Form>
    </>
  );
}

function JourneyEditor({ journey, fields }: { journey: JourneyFile; fields?: Record<string, string> }) {
  const t = useT();
  return (
    <section aria-labelledby="edit-title">
      <h2 id="edit-title">{t("journey.edit")}</h2>
      <div className="stage-list">
        {journey.stages.map((stage, si) => (
          <article key={stage.key} className="card" data-stage={stage.key}>
            <div className="row" style={{ justifyContent: "space-between" }}>
              <Form method="post" className="row">
                <input type="hidden" name="intent" value="renameStage" />
                <input type="hidden" name="stage" value={stage.key} />
                <label>
                  {t("journey.stageName")} ({si + 1}) · {t("names.es")}
                  <input name="name" defaultValue={stage.name} required />
                </label>
                <label>
                  {t("names.en")} <MissingTranslation item={stage} />
                  <input name="nameEn" defaultValue={stage.nameEn} />
                </label>
                <button type="submit" className="secondary small">
                  {t("journey.save")}
                </button>
              </Form>
              <div className="actions">
                <MoveButtons name="moveStage" value={stage.key} labels={[t("journey.moveLeft"), t("journey.moveRight")]} />
                <Form method="post" className="inline">
                  <input type="hidden" name="intent" value="deleteStage" />
                  <input type="hidden" name="stage" value={stage.key} />
                  <button type="submit" className="danger small">
                    {t("journey.deleteStage")}
                  </button>
                </Form>
              </div>
            </div>
            <ul className="tp-list">
              {stage.touchpoints.map((tp) => (
                <li key={tp.key}>
                  <span>
                    <Link to={`touchpoints/${tp.key}`}>
                      <LocalName item={tp} />
                    </Link>{" "}
                    <MissingTranslation item={tp} />{" "}
                    <span className="badge">{t(`channel.${tp.channel}` as MessageKey)}</span>{" "}
                    {tp.momentOfTruth ? <span className="badge mot">★ {t("tp.mot")}</span> : null}
                  </span>
                  <span className="actions">
                    <MoveButtons name="moveTouchpoint" value={tp.key} labels={[t("journey.moveUp"), t("journey.moveDown")]} />
                    <Form method="post" className="inline">
                      <input type="hidden" name="intent" value="deleteTouchpoint" />
                      <input type="hidden" name="tp" value={tp.key} />
                      <button type="submit" className="danger small" aria-label={`${t("journey.delete")}: ${tp.name}`}>
                        ✕
                      </button>
                    </Form>
                  </span>
                </li>
              ))}
            </ul>
            <p>
              <Link className="button secondary small" to={`touchpoints/new?stage=${stage.key}`}>
                + {t("journey.addTouchpoint")}
              </Link>
            </p>
          </article>
        ))}
      </div>
      <Form method="post" className="row card">
        <input type="hidden" name="intent" value="addStage" />
        <Field label={t("journey.stageKey")} name="stageKey" required error={fields?.stageKey} />
        <Field label={t("journey.stageName")} name="stageName" required error={fields?.stageName} />
        <Field label={t("names.en")} name="stageNameEn" error={fields?.stageNameEn} />
        <button type="submit">{t("journey.addStage")}</button>
      </Form>
      <Form method="post" className="stack card">
        <input type="hidden" name="intent" value="details" />
        <Field label={`${t("journey.name")} · ${t("names.es")}`} name="name" defaultValue={journey.name} required error={fields?.name} />
        <Field
          label={
            <>
              {t("names.en")} <MissingTranslation item={journey} />
            </>
          }
          name="nameEn"
          defaultValue={journey.nameEn}
          error={fields?.nameEn}
        />
        <Field label={t("journey.persona")} name="persona" defaultValue={journey.persona} />
        <Field label={t("journey.description")} name="description" multiline defaultValue={journey.description} />
        <div className="actions">
          <button type="submit" className="secondary">
            {t("journey.save")}
          </button>
        </div>
      </Form>
      <Form method="post" onSubmit={(e) => { if (!confirm(t("journey.deleteJourney") + "?")) e.preventDefault(); }}>
        <input type="hidden" name="intent" value="deleteJourney" />
        <button type="submit" className="danger">
          {t("journey.deleteJourney")}
        </button>
      </Form>
    </section>
  );
}
