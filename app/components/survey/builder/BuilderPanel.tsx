// The builder tab: the survey's title, the list of pages and questions, the palette and the editor
// of whatever is selected.
import { useT } from "~/i18n/use-t";
import type { BuilderModel } from "~/survey/builder/document";
import type { EditResult } from "~/survey/builder/operations";
import type { Placeholder } from "~/survey/builder/text";
import type { SurveyTouchpoint } from "~/survey/types";
import { ElementEditor } from "./ElementEditor";
import { Palette } from "./Palette";
import { StructureList } from "./StructureList";

export type Selection = { kind: "question"; name: string } | { kind: "page"; index: number } | { kind: "survey" } | null;

type Props = {
  model: BuilderModel;
  touchpoint: SurveyTouchpoint;
  canEdit: boolean;
  selection: Selection;
  onSelect: (selection: Selection) => void;
  apply: (result: EditResult, key?: string | null, announce?: string) => boolean;
  placeholders: readonly Placeholder[];
};

export function BuilderPanel({ model, touchpoint, canEdit, selection, onSelect, apply, placeholders }: Props) {
  const t = useT();
  return (
    <div className="builder-panel">
      <section className="card" aria-labelledby="structure-title">
        <div className="row structure-head">
          <h2 id="structure-title">{t("builder.structure")}</h2>
          <button type="button" className="secondary small" onClick={() => onSelect({ kind: "survey" })} aria-pressed={selection?.kind === "survey"}>
            {t("builder.editSurvey")}
          </button>
        </div>
        <StructureList model={model} touchpoint={touchpoint} canEdit={canEdit} selection={selection} onSelect={onSelect} apply={apply} />
      </section>
      {canEdit ? <Palette model={model} touchpoint={touchpoint} apply={apply} /> : null}
      <section className="card element-editor" aria-labelledby="editor-title">
        <h2 id="editor-title">{t("builder.editor")}</h2>
        <ElementEditor model={model} touchpoint={touchpoint} canEdit={canEdit} selection={selection} apply={apply} placeholders={placeholders} />
      </section>
    </div>
  );
}
