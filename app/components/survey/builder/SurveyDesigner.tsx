// The survey design page's editor: the builder (pages and questions, palette, bilingual texts,
// conditions) and the JSON as an advanced tab, both over one SurveyJS document; undo and redo;
// the work in progress autosaved; the checks the server runs before saving; a live preview at
// phone or desktop width in either language.
import { parseBoundedJson } from "~/cem/bounded-json";
import { Form, useFetcher, useNavigation } from "@remix-run/react";
import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from "react";
import { useLang, useT } from "~/i18n/use-t";
import { modelFromJson, modelToJson, type BuilderModel } from "~/survey/builder/document";
import { record, redo, startHistory, undo, type History } from "~/survey/builder/history";
import type { EditResult, Refusal } from "~/survey/builder/operations";
import { placeholderSamples, PLACEHOLDERS, type BuilderLang } from "~/survey/builder/text";
import type { SurveyDefinitionError } from "~/survey/definition-validation";
import type { SurveyJson, SurveyTouchpoint } from "~/survey/types";
import { DefinitionErrors } from "../DefinitionErrors";
import { SurveyPreview } from "../SurveyPreview";
import { BuilderPanel, type Selection } from "./BuilderPanel";
import { RefusalMessage } from "./RefusalMessage";

type Props = {
  initialText: string;
  touchpoint: SurveyTouchpoint;
  canEdit: boolean;
  /** Errors the server answered for `serverText`; shown while the text is unchanged. */
  serverErrors?: readonly SurveyDefinitionError[];
  serverText?: string;
};

/** The text as a survey object, or null. Bounded: a hostile definition echoed back (40,000 levels
 * deep, say) must not overflow the stack while the page renders; the JSON tab still shows it. */
function parseObject(text: string): SurveyJson | null {
  const parsed = parseBoundedJson(text);
  if (!parsed.ok) return null;
  const value = parsed.value;
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as SurveyJson) : null;
}

const toText = (model: BuilderModel) => JSON.stringify(modelToJson(model), null, 2);
const EMPTY: SurveyJson = { locale: "es", pages: [{ name: "page1", elements: [] }] };

/** Typing in a form field keeps the field's own undo; the builder's shortcuts act elsewhere. */
function inTextField(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));
}

export function SurveyDesigner({ initialText, touchpoint, canEdit, serverErrors, serverText }: Props) {
  const t = useT();
  const lang = useLang();
  const navigation = useNavigation();
  const busy = navigation.state !== "idle" && navigation.formMethod === "POST";
  const autosave = useFetcher<{ intent: "autosave"; ok: boolean; savedAt?: string; message?: string }>();

  const [history, setHistory] = useState<History<BuilderModel>>(() => startHistory(modelFromJson(parseObject(initialText) ?? EMPTY)));
  const model = history.present;
  const modelText = useMemo(() => toText(model), [model]);
  // The JSON tab's text: the model's, or what is being typed there while it does not parse.
  const [jsonText, setJsonText] = useState(() => (parseObject(initialText) ? initialText : initialText || toText(model)));
  const [tab, setTab] = useState<"builder" | "json">("builder");
  const [selection, setSelection] = useState<Selection>(null);
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const [announcement, setAnnouncement] = useState("");
  const [previewLang, setPreviewLang] = useState<BuilderLang>("es");
  const [width, setWidth] = useState<"phone" | "desktop">("phone");
  const [liveErrors, setLiveErrors] = useState<SurveyDefinitionError[] | null>(null);
  const [settled, setSettled] = useState(jsonText);

  /** Applies an edit's result: the new model goes into the history, a refusal is shown. */
  const apply = useCallback((result: EditResult, key: string | null = null, announce?: string) => {
    if (!result.ok) {
      setRefusal(result.refusal);
      return false;
    }
    setRefusal(null);
    setHistory((h) => record(h, result.model, key));
    if (result.selected) setSelection({ kind: "question", name: result.selected });
    if (announce) setAnnouncement(announce);
    return true;
  }, []);

  // The builder's edits rewrite the JSON text (a text being typed in the JSON tab is left alone
  // until it parses again).
  const lastModelText = useRef(modelText);
  useEffect(() => {
    if (lastModelText.current === modelText) return;
    lastModelText.current = modelText;
    setJsonText(modelText);
  }, [modelText]);

  const onJsonChange = (text: string) => {
    setJsonText(text);
    const parsed = parseObject(text);
    if (!parsed) return;
    const next = modelFromJson(parsed);
    lastModelText.current = toText(next);
    setRefusal(null);
    setHistory((h) => record(h, next, "json"));
  };
  const jsonParses = parseObject(jsonText) !== null;

  // Checks and autosave follow the text once typing settles.
  useEffect(() => {
    const timer = setTimeout(() => setSettled(jsonText), 400);
    return () => clearTimeout(timer);
  }, [jsonText]);
  useEffect(() => {
    let cancelled = false;
    void import("~/survey/definition-validation").then(({ validateSurveyDefinition }) => {
      if (!cancelled) {
        const result = validateSurveyDefinition(settled, touchpoint);
        setLiveErrors(result.ok ? [] : result.errors);
      }
    });
    return () => {
      cancelled = true;
    };
  }, [settled, touchpoint]);

  const autosaved = useRef(initialText);
  const submitAutosave = autosave.submit;
  useEffect(() => {
    if (!canEdit || settled === autosaved.current || parseObject(settled) === null) return;
    const timer = setTimeout(() => {
      autosaved.current = settled;
      submitAutosave({ intent: "autosave", definition: settled }, { method: "post" });
    }, 1200);
    return () => clearTimeout(timer);
  }, [settled, canEdit, submitAutosave]);

  const previewJson = useMemo(() => parseObject(settled) ?? modelToJson(model), [settled, model]);
  const samples = useMemo(() => placeholderSamples(touchpoint.name, previewLang), [touchpoint.name, previewLang]);

  // Undo and redo shortcuts anywhere on the page (focus is often on the body after a click).
  useEffect(() => {
    if (!canEdit) return;
    const onKeyDown = (event: globalThis.KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey) || inTextField(event.target)) return;
      const key = event.key.toLowerCase();
      if (key === "z" && !event.shiftKey) setHistory(undo);
      else if ((key === "z" && event.shiftKey) || key === "y") setHistory(redo);
      else return;
      event.preventDefault();
      setRefusal(null);
    };
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, [canEdit]);

  const showServer = serverErrors && serverErrors.length > 0 && serverText === jsonText;
  const timeOf = (iso: string | undefined) =>
    iso ? new Date(iso).toLocaleTimeString(lang === "es" ? "es-ES" : "en-GB", { hour: "2-digit", minute: "2-digit", second: "2-digit" }) : "";
  const tabKeys = (event: KeyboardEvent<HTMLButtonElement>) => {
    if (event.key !== "ArrowLeft" && event.key !== "ArrowRight") return;
    const next = tab === "builder" ? "json" : "builder";
    setTab(next);
    document.getElementById(`tab-${next}`)?.focus();
  };

  return (
    <div className="survey-designer">
      <div className="row designer-bar">
        <div role="tablist" aria-label={t("builder.tabs")} className="tabs">
          {(["builder", "json"] as const).map((name) => (
            <button
              key={name}
              type="button"
              role="tab"
              id={`tab-${name}`}
              aria-selected={tab === name}
              aria-controls={`panel-${name}`}
              tabIndex={tab === name ? 0 : -1}
              className={tab === name ? "tab active" : "tab"}
              onClick={() => setTab(name)}
              onKeyDown={tabKeys}
            >
              {t(`builder.tab.${name}`)}
            </button>
          ))}
        </div>
        {canEdit ? (
          <div className="row">
            <button type="button" className="secondary small" onClick={() => setHistory(undo)} disabled={history.past.length === 0} aria-keyshortcuts="Control+Z">
              {t("builder.undo")}
            </button>
            <button type="button" className="secondary small" onClick={() => setHistory(redo)} disabled={history.future.length === 0} aria-keyshortcuts="Control+Shift+Z Control+Y">
              {t("builder.redo")}
            </button>
            <span className="muted small-text">{t("builder.shortcuts")}</span>
          </div>
        ) : null}
      </div>
      <RefusalMessage refusal={refusal} onDismiss={() => setRefusal(null)} />
      <p className="visually-hidden" role="status" aria-live="polite">
        {announcement}
      </p>

      <div className={`designer-layout preview-${width}`}>
        <div className="designer-main">
          <div role="tabpanel" id="panel-builder" aria-labelledby="tab-builder" hidden={tab !== "builder"}>
            <BuilderPanel
              model={model}
              touchpoint={touchpoint}
              canEdit={canEdit}
              selection={selection}
              onSelect={setSelection}
              apply={apply}
              placeholders={PLACEHOLDERS}
            />
          </div>
          <section className="card" role="tabpanel" id="panel-json" aria-labelledby="tab-json" hidden={tab !== "json"}>
            <Form method="post" className="stack" id="definition-form">
              <label htmlFor="definition">
                {t("builder.json.label")}
                <textarea
                  id="definition"
                  name="definition"
                  className="json-input"
                  value={jsonText}
                  onChange={(e) => onJsonChange(e.target.value)}
                  spellCheck={false}
                  readOnly={!canEdit}
                  rows={28}
                  aria-describedby="definition-checks"
                  aria-invalid={!jsonParses || showServer ? true : undefined}
                />
              </label>
              {!jsonParses ? <p className="notice error">{t("builder.json.invalid")}</p> : null}
            </Form>
          </section>

          {canEdit ? (
            <div className="actions">
              <button type="submit" form="definition-form" name="intent" value="save" className="secondary" disabled={busy}>
                {t("surveys.editor.save")}
              </button>
              <button type="submit" form="definition-form" name="intent" value="publish" disabled={busy}>
                {t("surveys.editor.publish")}
              </button>
              <span className="muted" role="status" data-testid="autosave-status">
                {autosave.state !== "idle"
                  ? t("builder.autosave.saving")
                  : autosave.data?.ok
                    ? t("builder.autosave.saved", { time: timeOf(autosave.data.savedAt) })
                    : autosave.data
                      ? t("builder.autosave.failed", { message: autosave.data.message ?? "" })
                      : ""}
              </span>
            </div>
          ) : null}
          {showServer ? (
            <div className="notice error" role="alert">
              <p>
                <strong>{t("surveys.editor.refused")}</strong>
              </p>
              <DefinitionErrors errors={serverErrors} />
            </div>
          ) : null}
          <div id="definition-checks" aria-live="polite" className="card">
            <h3>{t("surveys.editor.checks")}</h3>
            {liveErrors === null ? <p className="muted">{t("surveys.editor.checking")}</p> : <DefinitionErrors errors={liveErrors} />}
          </div>
        </div>

        <section className="card preview-pane" aria-labelledby="preview-title">
          <h2 id="preview-title">{t("surveys.editor.preview")}</h2>
          <div className="row">
            <label>
              {t("surveys.preview.language")}
              <select value={previewLang} onChange={(e) => setPreviewLang(e.target.value === "en" ? "en" : "es")} id="preview-language">
                <option value="es" lang="es">
                  Español
                </option>
                <option value="en" lang="en">
                  English
                </option>
              </select>
            </label>
            <label>
              {t("builder.preview.width")}
              <select value={width} onChange={(e) => setWidth(e.target.value === "desktop" ? "desktop" : "phone")} id="preview-width">
                <option value="phone">{t("builder.preview.phone")}</option>
                <option value="desktop">{t("builder.preview.desktop")}</option>
              </select>
            </label>
          </div>
          <p className="muted small-text">
            {t("builder.preview.samples", { samples: PLACEHOLDERS.map((p) => `{${p}} = ${samples[p]}`).join(", ") })}
          </p>
          <div className={`survey-frame frame-${width}`} data-testid="survey-preview">
            <SurveyPreview
              json={previewJson}
              locale={previewLang}
              variables={samples}
              loadingText={t("surveys.preview.loading")}
              failedText={t("surveys.preview.failed")}
            />
          </div>
        </section>
      </div>
    </div>
  );
}
