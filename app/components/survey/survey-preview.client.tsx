// The live SurveyJS rendering (survey-core + survey-react-ui and their stylesheet). Loaded lazily by
// SurveyPreview in the browser only, so neither the server bundle nor other pages carry it.
// The fontless stylesheet: the default one pulls Open Sans from Google Fonts on every preview.
import "survey-core/survey-core.fontless.min.css";
import { Component, useEffect, useMemo, type ReactNode } from "react";
import { Model } from "survey-core";
import { Survey } from "survey-react-ui";
import "~/survey/locales";
import { registerMeasurementProperties } from "~/survey/metadata";
import type { SurveyJson } from "~/survey/types";

export type LivePreviewProps = {
  json: SurveyJson;
  locale: "es" | "en";
  /** Shown when survey-core cannot build or render the definition. */
  failedText: string;
  /** Sample values for the placeholders ({brand}, {customer_name}, {touchpoint}). */
  variables?: Record<string, string>;
};

class RenderGuard extends Component<{ fallback: ReactNode; resetKey: unknown; children: ReactNode }, { failed: boolean; key: unknown }> {
  state = { failed: false, key: this.props.resetKey };
  static getDerivedStateFromError() {
    return { failed: true };
  }
  static getDerivedStateFromProps(props: { resetKey: unknown }, state: { failed: boolean; key: unknown }) {
    return props.resetKey !== state.key ? { failed: false, key: props.resetKey } : null;
  }
  componentDidCatch() {
    // The definition is the designer's draft; the editor already lists what is wrong with it.
  }
  render() {
    return this.state.failed ? this.props.fallback : this.props.children;
  }
}

function buildModel(json: SurveyJson, locale: string): Model | null {
  try {
    registerMeasurementProperties();
    const model = new Model(json);
    model.locale = locale;
    // A preview never leaves the page: finishing it shows the thank-you text and offers nothing else.
    model.showCompletedPage = true;
    // Scales as the respondent page shows them (respondent-survey.tsx): buttons, labels above and below.
    for (const question of model.getAllQuestions()) {
      if (question.getType() !== "rating") continue;
      question.setPropertyValue("displayMode", "buttons");
      question.setPropertyValue("rateDescriptionLocation", "topBottom");
    }
    return model;
  } catch {
    return null;
  }
}

export default function LivePreview({ json, locale, failedText, variables }: LivePreviewProps) {
  // Rebuilt only when the definition changes; a language switch keeps the answers given so far.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const model = useMemo(() => buildModel(json, locale), [json]);
  useEffect(() => {
    if (model) model.locale = locale;
  }, [model, locale]);
  useEffect(() => {
    for (const [name, value] of Object.entries(variables ?? {})) model?.setVariable(name, value);
  }, [model, variables]);
  if (!model) return <p className="notice error">{failedText}</p>;
  return (
    <RenderGuard fallback={<p className="notice error">{failedText}</p>} resetKey={model}>
      <Survey model={model} />
    </RenderGuard>
  );
}
