// Pages and their questions in respondent order, a panel's questions inside it: select one to edit
// it, reorder by drag and drop or with the Move up / Move down buttons (the keyboard and
// single-pointer alternative, WCAG 2.5.7).
import { useState, type DragEvent, type ReactNode } from "react";
import { useLang, useT } from "~/i18n/use-t";
import type { MessageKey } from "~/i18n/messages";
import { elementInfo, panelChildren, panelElementsKey, type BuilderModel, type ElementJson } from "~/survey/builder/document";
import { unreachableQuestions } from "~/survey/builder/logic";
import { movePage, moveQuestion, moveQuestionTo, removePage, removeQuestion, type EditResult } from "~/survey/builder/operations";
import { missingLanguages, readText } from "~/survey/builder/text";
import type { SurveyTouchpoint } from "~/survey/types";
import type { Selection } from "./BuilderPanel";

type Props = {
  model: BuilderModel;
  touchpoint: SurveyTouchpoint;
  canEdit: boolean;
  selection: Selection;
  onSelect: (selection: Selection) => void;
  apply: (result: EditResult, key?: string | null, announce?: string) => boolean;
};

const TEXT_PROPERTIES = ["title", "description", "minRateDescription", "maxRateDescription", "labelTrue", "labelFalse"];

/** How many of a question's texts lack a language. */
export function untranslatedCount(element: ElementJson): number {
  let count = TEXT_PROPERTIES.filter((p) => missingLanguages(element[p]).length > 0).length;
  if (Array.isArray(element.choices)) {
    count += element.choices.filter((c: unknown) => typeof c === "object" && c !== null && missingLanguages((c as ElementJson).text).length > 0).length;
  }
  return count;
}

export function StructureList({ model, touchpoint, canEdit, selection, onSelect, apply }: Props) {
  const t = useT();
  const lang = useLang();
  const [dragging, setDragging] = useState<string | null>(null);
  const unreachable = unreachableQuestions(model);

  const announceWhere = (result: EditResult, name: string) => {
    if (!result.ok) return undefined;
    const page = result.model.pages.findIndex((p) => p.elements.some((e) => e.name === name));
    const position = page >= 0 ? result.model.pages[page].elements.findIndex((e) => e.name === name) + 1 : 0;
    return t("builder.moved", { name, page: page + 1, position });
  };
  const move = (name: string, delta: -1 | 1) => {
    const result = moveQuestion(model, touchpoint, name, delta);
    apply(result, null, announceWhere(result, name));
  };
  const drop = (event: DragEvent, page: number, index: number) => {
    event.preventDefault();
    const name = dragging ?? event.dataTransfer.getData("text/plain");
    setDragging(null);
    if (!name) return;
    const result = moveQuestionTo(model, touchpoint, name, page, index);
    apply(result, null, announceWhere(result, name));
  };
  const allowDrop = (event: DragEvent) => {
    if (canEdit && dragging) event.preventDefault();
  };

  /**
   * One element of the list; a panel lists its own elements inside it. Elements inside a panel are
   * selected and edited like any other, but stay in their panel (no dragging or moving there).
   */
  const questionItem = (element: ElementJson, p: number, i: number, nested: boolean): ReactNode => {
    const info = elementInfo(element);
    const name = info.name || `#${i + 1}`;
    const title = readText(element.title, lang) || readText(element.title, lang === "es" ? "en" : "es") || name;
    const selected = selection?.kind === "question" && selection.name === info.name;
    const missing = untranslatedCount(element);
    const children = panelChildren(element).filter((e): e is ElementJson => typeof e === "object" && e !== null && !Array.isArray(e));
    const isPanel = panelElementsKey(element) !== null;
    const movable = canEdit && !nested && info.name !== "";
    return (
      <li
        key={`${name}-${i}`}
        className={`structure-question${isPanel ? " structure-panel" : ""}${selected ? " selected" : ""}${dragging === info.name ? " dragging" : ""}`}
        data-question={info.name}
        draggable={movable}
        onDragStart={(e) => {
          if (!movable) return;
          e.stopPropagation();
          e.dataTransfer.setData("text/plain", info.name);
          e.dataTransfer.effectAllowed = "move";
          setDragging(info.name);
        }}
        onDragEnd={() => setDragging(null)}
        onDragOver={nested ? undefined : allowDrop}
        onDrop={nested ? undefined : (e) => drop(e, p, i)}
      >
        {movable ? (
          <span className="drag-handle" aria-hidden="true" title={t("builder.drag", { name })}>
            ⠿
          </span>
        ) : null}
        <button
          type="button"
          className="link-button question-title"
          disabled={info.name === ""}
          onClick={() => onSelect({ kind: "question", name: info.name })}
          aria-pressed={selected}
        >
          {title}
        </button>
        <span className="question-badges">
          <span className="badge">{info.editable || isPanel ? t(`builder.type.${info.type}` as MessageKey) : info.type}</span>
          {info.measure ? <span className="badge measure">{info.attribute ? `${info.measure} · ${info.attribute}` : info.measure}</span> : null}
          {!info.editable && !isPanel ? <span className="badge">{t("builder.readonlyBadge")}</span> : null}
          {typeof element.visibleIf === "string" ? <span className="badge">{t("builder.conditional")}</span> : null}
          {unreachable.has(info.name) ? <span className="badge warn">{t("builder.unreachable")}</span> : null}
          {missing > 0 ? <span className="badge missing-translation">{t("builder.untranslated", { n: missing })}</span> : null}
        </span>
        {canEdit && info.name ? (
          <span className="question-actions">
            {nested ? null : (
              <>
                <button type="button" className="secondary small" onClick={() => move(info.name, -1)} aria-label={t("builder.moveUp", { name })}>
                  ↑
                </button>
                <button type="button" className="secondary small" onClick={() => move(info.name, 1)} aria-label={t("builder.moveDown", { name })}>
                  ↓
                </button>
              </>
            )}
            <button
              type="button"
              className="secondary small"
              onClick={() => {
                if (apply(removeQuestion(model, touchpoint, info.name)) && selected) onSelect(null);
              }}
              aria-label={t("builder.remove", { name })}
            >
              ✕
            </button>
          </span>
        ) : null}
        {isPanel && children.length > 0 ? (
          <ol className="structure-questions structure-panel-questions" aria-label={t("builder.panel.questions", { name })}>
            {children.map((child, j) => questionItem(child, p, j, true))}
          </ol>
        ) : null}
      </li>
    );
  };

  return (
    <ol className="structure" aria-label={t("builder.structure")}>
      {model.pages.map((page, p) => {
        const pageTitle = readText(page.props.title, lang) || String(page.props.name ?? "");
        return (
          <li key={`${String(page.props.name)}-${p}`} className="structure-page" data-page={p}>
            <div className="row structure-page-head">
              <h3>
                {t("builder.page", { n: p + 1 })}
                {pageTitle ? <span className="muted"> · {pageTitle}</span> : null}
              </h3>
              {typeof page.props.visibleIf === "string" ? <span className="badge">{t("builder.conditional")}</span> : null}
              <button type="button" className="secondary small" onClick={() => onSelect({ kind: "page", index: p })} aria-pressed={selection?.kind === "page" && selection.index === p}>
                {t("builder.editPage", { n: p + 1 })}
              </button>
              {canEdit ? (
                <>
                  <button type="button" className="secondary small" disabled={p === 0} onClick={() => apply(movePage(model, touchpoint, p, -1))}>
                    {t("builder.movePageUp", { n: p + 1 })}
                  </button>
                  <button type="button" className="secondary small" disabled={p === model.pages.length - 1} onClick={() => apply(movePage(model, touchpoint, p, 1))}>
                    {t("builder.movePageDown", { n: p + 1 })}
                  </button>
                  {page.elements.length === 0 ? (
                    <button type="button" className="secondary small" onClick={() => apply(removePage(model, touchpoint, p))}>
                      {t("builder.removePage", { n: p + 1 })}
                    </button>
                  ) : null}
                </>
              ) : null}
            </div>
            {page.elements.length === 0 ? (
              <p className="muted drop-zone" onDragOver={allowDrop} onDrop={(e) => drop(e, p, 0)}>
                {t("builder.emptyPage")}
              </p>
            ) : (
              <ol className="structure-questions">
                {page.elements.map((element, i) => questionItem(element, p, i, false))}
              </ol>
            )}
          </li>
        );
      })}
    </ol>
  );
}
