// The survey definition editor: the SurveyJS JSON in a text area, its errors as you type (the same
// validation the server runs before saving, loaded lazily with survey-core) and a live preview.
import { Form, useNavigation } from "@remix-run/react";
import { useEffect, useState } from "react";
import type { SurveyDefinitionError } from "~/survey/definition-validation";
import type { SurveyJson, SurveyTouchpoint } from "~/survey/types";
import { useT } from "~/i18n/use-t";
import { DefinitionErrors } from "./DefinitionErrors";
import { SurveyPreview } from "./SurveyPreview";

type Props = {
  initialText: string;
  touchpoint: SurveyTouchpoint;
  canEdit: boolean;
  /** Errors the server answered for `serverText`; shown while the text is unchanged. */
  serverErrors?: readonly SurveyDefinitionError[];
  serverText?: string;
};

function parseObject(text: string): SurveyJson | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as SurveyJson) : null;
  } catch {
    return null;
  }
}

export function SurveyEditor({ initialText, touchpoint, canEdit, serverErrors, serverText }: Props) {
  const t = useT();
  const navigation = useNavigation();
  const busy = navigation.state !== "idle" && navigation.formMethod === "POST";
  const [text, setText] = useState(initialText);
  const [settled, setSettled] = useState(initialText);
  const [previewJson, setPreviewJson] = useState<SurveyJson | null>(() => parseObject(initialText));
  const [liveErrors, setLiveErrors] = useState<SurveyDefinitionError[] | null>(null);
  const [locale, setLocale] = useState<"es" | "en">("es");

  // Typing settles after a pause; only then are the preview and the checks redone.
  useEffect(() => {
    const timer = setTimeout(() => setSettled(text), 350);
    return () => clearTimeout(timer);
  }, [text]);

  useEffect(() => {
    const parsed = parseObject(settled);
    if (parsed) setPreviewJson(parsed);
    let cancelled = false;
    void import("~/survey/definition-validation").then(({ validateSurveyDefinition }) => {
      if (cancelled) return;
      const result = validateSurveyDefinition(settled, touchpoint);
      setLiveErrors(result.ok ? [] : result.errors);
    });
    return () => {
      cancelled = true;
    };
  }, [settled, touchpoint]);

  const showServer = serverErrors && serverErrors.length > 0 && serverText === text;
  const parses = parseObject(text) !== null;
  return (
    <div className="survey-editor">
      <section className="card editor-pane" aria-labelledby="definition-title">
        <h2 id="definition-title">{t("surveys.editor.definition")}</h2>
        <Form method="post" className="stack">
          <label htmlFor="definition">
            {t("surveys.editor.json")}
            <textarea
              id="definition"
              name="definition"
              className="json-input"
              value={text}
              onChange={(e) => setText(e.target.value)}
              spellCheck={false}
              readOnly={!canEdit}
              rows={28}
              aria-describedby="definition-checks"
              aria-invalid={showServer ? true : undefined}
            />
          </label>
          {canEdit ? (
            <div className="actions">
              <button type="submit" name="intent" value="save" className="secondary" disabled={busy}>
                {t("surveys.editor.save")}
              </button>
              <button type="submit" name="intent" value="publish" disabled={busy}>
                {t("surveys.editor.publish")}
              </button>
            </div>
          ) : null}
        </Form>
        {showServer ? (
          <div className="notice error" role="alert">
            <p>
              <strong>{t("surveys.editor.refused")}</strong>
            </p>
            <DefinitionErrors errors={serverErrors} />
          </div>
        ) : null}
        <div id="definition-checks" aria-live="polite">
          <h3>{t("surveys.editor.checks")}</h3>
          {liveErrors === null ? <p className="muted">{t("surveys.editor.checking")}</p> : <DefinitionErrors errors={liveErrors} />}
        </div>
      </section>
      <section className="card preview-pane" aria-labelledby="preview-title">
        <div className="row" style={{ justifyContent: "space-between" }}>
          <h2 id="preview-title">{t("surveys.editor.preview")}</h2>
          <label>
            {t("surveys.preview.language")}
            <select value={locale} onChange={(e) => setLocale(e.target.value === "en" ? "en" : "es")}>
              <option value="es" lang="es">Español</option>
              <option value="en" lang="en">English</option>
            </select>
          </label>
        </div>
        {!parses ? <p className="muted">{t("surveys.editor.previewStale")}</p> : null}
        <div className="survey-frame" data-testid="survey-preview">
          <SurveyPreview json={previewJson} locale={locale} loadingText={t("surveys.preview.loading")} failedText={t("surveys.preview.failed")} />
        </div>
      </section>
    </div>
  );
}
