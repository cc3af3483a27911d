// The SurveyJS part of the respondent page, loaded lazily in the browser only (React.lazy in
// routes/s.$token.tsx): survey-core, survey-react-ui and their stylesheet stay out of every other
// page and out of the server-rendered shell.
import { useEffect, useMemo, useRef } from "react";
import { Model, type ITheme } from "survey-core";
import { Survey } from "survey-react-ui";
// The fontless build: the default one loads Open Sans from Google, a third party the respondent never chose.
import "survey-core/survey-core.fontless.min.css";
import "./locales";
import { registerMeasurementProperties } from "./metadata";
import type { SurveyLocale } from "./locales";

export type SurveyProgress = { data: Record<string, unknown>; page: number };

export type RespondentSurveyProps = {
  /** The survey version's JSON text. */
  definition: string;
  /** Values of the placeholders in its texts ({brand}, {touchpoint}, {customer_name}). */
  variables?: Record<string, string>;
  locale: SurveyLocale;
  initial: SurveyProgress | null;
  /** Every answer (`urgent` when the page changed: worth saving at once). */
  onProgress: (progress: SurveyProgress, urgent: boolean) => void;
  onComplete: (data: Record<string, unknown>) => void;
  /** Changed by the page to send the respondent back into the survey after a refused submit. */
  resume: number;
};

// The app's accent instead of SurveyJS's default green, whose white text fails WCAG AA contrast.
const THEME: ITheme = {
  themeName: "default",
  colorPalette: "light",
  isPanelless: true,
  cssVariables: {
    "--sjs-primary-backcolor": "#0f766e",
    "--sjs-primary-backcolor-light": "rgba(15, 118, 110, 0.1)",
    "--sjs-primary-backcolor-dark": "#0b5f58",
    "--sjs-primary-forecolor": "#ffffff",
    "--sjs-general-backcolor-dim": "#f7f9fb",
    "--sjs-general-forecolor-light": "#52606d",
    "--sjs-font-family": 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
  },
};

export default function RespondentSurvey(props: RespondentSurveyProps) {
  const callbacks = useRef(props);
  callbacks.current = props;

  const model = useMemo(() => {
    // The measurement properties must be known before the JSON is loaded, or SurveyJS drops them.
    registerMeasurementProperties();
    const survey = new Model(JSON.parse(props.definition));
    survey.locale = props.locale;
    for (const [name, value] of Object.entries(props.variables ?? {})) survey.setVariable(name, value);
    survey.showTitle = false;
    survey.showCompletePage = false;
    survey.applyTheme(THEME);
    // Scales as rows of buttons even on a phone (SurveyJS would fold them into a dropdown): one tap
    // per answer, every point of the scale in sight.
    for (const question of survey.getAllQuestions()) {
      if (question.getType() !== "rating") continue;
      question.setPropertyValue("displayMode", "buttons");
      question.setPropertyValue("rateDescriptionLocation", "topBottom");
    }
    const initial = props.initial;
    if (initial) {
      survey.data = initial.data;
      if (initial.page > 0 && initial.page < survey.visiblePageCount) survey.currentPageNo = initial.page;
    }
    return survey;
    // One model per definition: a language switch or a new `initial` must not lose the answers.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [props.definition]);

  useEffect(() => {
    model.locale = props.locale;
  }, [model, props.locale]);

  useEffect(() => {
    const progress = (urgent: boolean) => () =>
      callbacks.current.onProgress({ data: model.data as Record<string, unknown>, page: model.currentPageNo }, urgent);
    const onValue = progress(false);
    const onPage = progress(true);
    const onComplete = () => callbacks.current.onComplete(model.data as Record<string, unknown>);
    model.onValueChanged.add(onValue);
    model.onCurrentPageChanged.add(onPage);
    model.onComplete.add(onComplete);
    return () => {
      model.onValueChanged.remove(onValue);
      model.onCurrentPageChanged.remove(onPage);
      model.onComplete.remove(onComplete);
    };
  }, [model]);

  const firstResume = useRef(props.resume);
  useEffect(() => {
    if (props.resume !== firstResume.current && model.state === "completed") model.clear(false, false);
  }, [model, props.resume]);

  return <Survey model={model} />;
}
