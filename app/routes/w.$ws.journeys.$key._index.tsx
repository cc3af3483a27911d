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
import { JourneyMap } from "~/components/charts/JourneyMap";
import { JourneyMapEditor } from "~/components/charts/JourneyMapEditor";
import { EmotionCurve } from "~/components/charts/EmotionCurve";
import type { CurveGap } from "~/components/charts/emotion-curve-layout";
import { latestGaps } from "~/data/latest-gaps.server";
import { requestLang } from "~/i18n/lang.server";
import { useJourneyMapLabels } from "~/components/charts/journey-map-labels";
import { layoutJourneyMap, type LaneBy } from "~/components/charts/journey-map-layout";
import { deleteJourney, loadJourney, saveJourney, workspaceProcesses } from "~/data/journeys.server";
import { useLang, useT, useTn } from "~/i18n/use-t";
import { translator, type MessageKey } from "~/i18n/messages";
import { readFormData } from "~/web/request-body.server";
import { submissionOf } from "~/web/conform.server";
import { formOptionalText, formSlug, formText } from "~/web/form-schema";
import { getFormProps, type SubmissionResult } from "@conform-to/react";
import { TextField } from "~/components/form/fields";
import { useSchemaForm } from "~/components/form/use-schema-form";
import { mapEdit } from "~/web/journey-map-edit.server";
import { notFound } from "~/web/responses.server";

const LANES: LaneBy[] = ["channel", "process", "side"];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { workspace, role } = await requireMember(request, params.ws);
  const journey = await loadJourney(workspace.id, params.key ?? "");
  if (!journey) throw notFound();
  const gaps = await latestGaps(workspace, await requestLang(request), journey.key);
  // The curve draws only gaps shown with their interval; below the minimum n a point is left out.
  const curve: Record<string, CurveGap> = {};
  for (const [key, figure] of Object.entries(gaps.byTouchpoint)) {
    const g = figure?.status === "ok" ? figure.value : null;
    if (g && g.meanGap !== null && g.lo !== null && g.hi !== null) curve[key] = { mean: g.meanGap, lo: g.lo, hi: g.hi, n: figure!.n };
  }
  return { journey, canEdit: can(role, "journeys:edit"), curve, window: gaps.window };
}

// Names are given in Spanish (required) and English (optional: "" until someone translates it).
const StageSchema = z.object({ stageKey: formSlug(), stageName: formText(120), stageNameEn: formOptionalText(120) });
const RenameStageSchema = z.object({ stage: z.string().min(1).max(64), name: formText(120), nameEn: formOptionalText(120) });
const DetailsSchema = z.object({
  name: formText(160),
  nameEn: formOptionalText(160),
  persona: formOptionalText(300),
  description: formOptionalText(4000),
});

type Result = {
  errors: JourneyFileError[];
  fields?: Record<string, string>;
  saved?: boolean;
  touchpoint?: string;
  /** A conform form's reply (details, addStage, renameStage): its messages and what was typed. */
  form?: "details" | "addStage" | "renameStage";
  /** The stage whose rename form answered. */
  stage?: string;
  reply?: SubmissionResult<string[]>;
};

export async function action({ request, params }: ActionFunctionArgs) {
  const { workspace } = await requireMember(request, params.ws, "journeys:edit");
  const journey = await loadJourney(workspace.id, params.key ?? "");
  if (!journey) throw notFound();
  const formData = await readFormData(request);
  if (formData === null) return data<Result>({ errors: [{ path: "", message: translator(await requestLang(request))("form.unreadable") }] }, { status: 400 });
  const intent = String(formData.get("intent") ?? "");
  if (intent === "place" || intent === "addAt") {
    const edit = await mapEdit(request, journey, formData, await workspaceProcesses(workspace.id));
    if (!edit.ok) return data<Result>({ errors: [], fields: edit.fields }, { status: 400 });
    const saved = await saveJourney(workspace.id, edit.journey, "replace");
    if (!saved.ok) return data<Result>({ errors: saved.errors }, { status: 400 });
    return data<Result>({ errors: [], saved: true, touchpoint: edit.touchpoint });
  }
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
      const form = submissionOf(formData, DetailsSchema, await requestLang(request));
      if (form.status !== "success") return data<Result>({ errors: [], form: "details", reply: form.reply() }, { status: 400 });
      next = { ...journey, ...form.value };
      break;
    }
    case "addStage": {
      const form = submissionOf(formData, StageSchema, await requestLang(request));
      if (form.status !== "success") return data<Result>({ errors: [], form: "addStage", reply: form.reply() }, { status: 400 });
      next = addStage(journey, { key: form.value.stageKey, name: form.value.stageName, nameEn: form.value.stageNameEn });
      break;
    }
    case "renameStage": {
      const form = submissionOf(formData, RenameStageSchema, await requestLang(request));
      if (form.status !== "success") return data<Result>({ errors: [], form: "renameStage", stage, reply: form.reply() }, { status: 400 });
      next = renameStage(journey, form.value.stage, form.value.name, form.value.nameEn);
      break;
    }
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
  const { journey, canEdit, curve, window } = useLoaderData<typeof loader>();
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
          {canEdit ? (
            <JourneyMapEditor journey={shown} laneBy={laneBy} labels={mapLabels} hrefOf={(key) => `${base}/touchpoints/${key}`} />
          ) : (
            <JourneyMap journey={shown} laneBy={laneBy} labels={mapLabels} onSelectHref={(key) => `${base}/touchpoints/${key}`} />
          )}
          <EmotionCurveUnder journey={shown} laneBy={laneBy} curve={curve} window={window} />
        </div>
      </section>
      {canEdit ? <JourneyEditor journey={journey} result={result} /> : <p className="notice">{t("journey.readonly")}</p>}
    </>
  );
}

function EmotionCurveUnder({ journey, laneBy, curve, window }: { journey: JourneyFile; laneBy: LaneBy; curve: Record<string, CurveGap>; window: { from: string; to: string } }) {
  const t = useT();
  const layout = layoutJourneyMap(journey, { laneBy });
  return (
    <section aria-labelledby="curve-title" className="jm-curve-section">
      <h3 id="curve-title">{t("map.curve.title")}</h3>
      <EmotionCurve cards={layout.cards} gaps={curve} width={layout.width} window={window} />
    </section>
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

function RenameStage({ stage, position, result }: { stage: JourneyFile["stages"][number]; position: number; result?: Result }) {
  const t = useT();
  const mine = result?.form === "renameStage" && result.stage === stage.key ? result.reply : undefined;
  const [form, fields] = useSchemaForm(RenameStageSchema, { id: `stage-${stage.key}`, lastResult: mine, defaultValue: { stage: stage.key, name: stage.name, nameEn: stage.nameEn } });
  return (
    <Form method="post" className="row" {...getFormProps(form)} noValidate>
      <input type="hidden" name="intent" value="renameStage" />
      <input type="hidden" name="stage" value={stage.key} />
      <TextField label={`${t("journey.stageName")} (${position}) · ${t("names.es")}`} field={fields.name} />
      <TextField
        label={
          <>
            {t("names.en")} <MissingTranslation item={stage} />
          </>
        }
        field={fields.nameEn}
      />
      <button type="submit" className="secondary small">
        {t("journey.save")}
      </button>
    </Form>
  );
}

function JourneyEditor({ journey, result }: { journey: JourneyFile; result?: Result }) {
  const t = useT();
  const [stageForm, stageFields] = useSchemaForm(StageSchema, { id: "add-stage", lastResult: result?.form === "addStage" ? result.reply : undefined });
  const [detailsForm, detailsFields] = useSchemaForm(DetailsSchema, {
    id: "journey-details",
    lastResult: result?.form === "details" ? result.reply : undefined,
    defaultValue: { name: journey.name, nameEn: journey.nameEn, persona: journey.persona, description: journey.description },
  });
  return (
    <section aria-labelledby="edit-title">
      <h2 id="edit-title">{t("journey.edit")}</h2>
      <div className="stage-list">
        {journey.stages.map((stage, si) => (
          <article key={stage.key} className="card" data-stage={stage.key}>
            <div className="row" style={{ justifyContent: "space-between" }}>
              <RenameStage stage={stage} position={si + 1} result={result} />
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
      <Form method="post" className="row card" {...getFormProps(stageForm)} noValidate>
        <input type="hidden" name="intent" value="addStage" />
        <TextField label={t("journey.stageKey")} field={stageFields.stageKey} />
        <TextField label={t("journey.stageName")} field={stageFields.stageName} />
        <TextField label={t("names.en")} field={stageFields.stageNameEn} />
        <button type="submit">{t("journey.addStage")}</button>
      </Form>
      <Form method="post" className="stack card" {...getFormProps(detailsForm)} noValidate>
        <input type="hidden" name="intent" value="details" />
        <TextField label={`${t("journey.name")} · ${t("names.es")}`} field={detailsFields.name} />
        <TextField
          label={
            <>
              {t("names.en")} <MissingTranslation item={journey} />
            </>
          }
          field={detailsFields.nameEn}
        />
        <TextField label={t("journey.persona")} field={detailsFields.persona} />
        <TextField label={t("journey.description")} field={detailsFields.description} multiline />
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
