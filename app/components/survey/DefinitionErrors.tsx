// The errors of a survey definition, survey-core's and Vivencia's, each with where it is.
import type { SurveyDefinitionError } from "~/survey/definition-validation";
import { useT } from "~/i18n/use-t";

export function DefinitionErrors({ errors, id }: { errors: readonly SurveyDefinitionError[]; id?: string }) {
  const t = useT();
  return (
    <ul className="errors-list definition-errors" id={id} data-testid="definition-errors">
      {errors.map((e, i) => (
        <li key={i} data-source={e.source}>
          <span className={`badge source-${e.source}`}>{e.source === "surveyjs" ? "SurveyJS" : "Vivencia"}</span>{" "}
          {e.path ? <code>{e.path}</code> : e.question ? <code>{e.question}</code> : null} {e.message}
        </li>
      ))}
      {errors.length === 0 ? <li className="muted">{t("surveys.editor.noErrors")}</li> : null}
    </ul>
  );
}
