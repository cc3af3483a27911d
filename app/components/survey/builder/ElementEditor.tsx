// The editor of the selected survey, page, panel or question: its texts in both languages, required,
// reverse coding, choices, placeholders and the display condition (a page's skips the whole page).
import { useRef } from "react";
import { useT } from "~/i18n/use-t";
import { elementAt, elementInfo, findElement, type BuilderModel } from "~/survey/builder/document";
import { addChoice, removeChoice, setRequired, setReverseCoded, setText, type EditResult, type TextTarget } from "~/survey/builder/operations";
import { insertPlaceholder, readText, type BuilderLang, type Placeholder } from "~/survey/builder/text";
import { REVERSIBLE_KINDS, type SurveyTouchpoint } from "~/survey/types";
import type { Selection } from "./BuilderPanel";
import { ConditionEditor } from "./ConditionEditor";
import { TextPair } from "./TextPair";

type Props = {
  model: BuilderModel;
  touchpoint: SurveyTouchpoint;
  canEdit: boolean;
  selection: Selection;
  apply: (result: EditResult, key?: string | null) => boolean;
  placeholders: readonly Placeholder[];
};

type Caret = { target: TextTarget; property: string; lang: BuilderLang; at: number };

export function ElementEditor({ model, touchpoint, canEdit, selection, apply, placeholders }: Props) {
  const t = useT();
  const caret = useRef<Caret | null>(null);

  const targetKey = (target: TextTarget) => JSON.stringify(target);
  const field = (target: TextTarget, property: string, label: string, value: unknown, multiline = false) => (
    <TextPair
      key={`${targetKey(target)}:${property}`}
      id={`text-${property}${target.on === "choice" ? `-${target.choice}` : ""}`}
      label={label}
      value={value}
      multiline={multiline}
      readOnly={!canEdit}
      onChange={(lang, text) => apply(setText(model, touchpoint, target, property, lang, text), `${targetKey(target)}:${property}:${lang}`)}
      onCaret={(lang, at) => {
        caret.current = { target, property, lang, at };
      }}
    />
  );
  const valueAt = (c: Caret): unknown => {
    if (c.target.on === "survey") return model.root[c.property];
    if (c.target.on === "page") return model.pages[c.target.page]?.props[c.property];
    const at = findElement(model, c.target.name);
    if (!at) return undefined;
    const element = elementAt(model, at);
    if (c.target.on === "choice") {
      const choice: unknown = Array.isArray(element.choices) ? element.choices[c.target.choice] : undefined;
      return typeof choice === "object" && choice !== null ? (choice as Record<string, unknown>).text : choice;
    }
    return element[c.property];
  };
  const insert = (placeholder: Placeholder) => {
    const c = caret.current;
    if (!c) return;
    const text = insertPlaceholder(readText(valueAt(c), c.lang), placeholder, c.at);
    if (apply(setText(model, touchpoint, c.target, c.property, c.lang, text))) caret.current = { ...c, at: text.length };
  };
  const placeholderBar = canEdit ? (
    <fieldset className="placeholders">
      <legend>{t("builder.placeholders")}</legend>
      <p className="muted small-text">{t("builder.placeholdersHint")}</p>
      <div className="row">
        {placeholders.map((p) => (
          <button key={p} type="button" className="secondary small" onMouseDown={(e) => e.preventDefault()} onClick={() => insert(p)}>
            {t("builder.insert", { p: `{${p}}` })}
          </button>
        ))}
      </div>
    </fieldset>
  ) : null;

  if (selection === null) return <p className="muted">{t("builder.noneSelected")}</p>;
  if (selection.kind === "survey") {
    const target: TextTarget = { on: "survey" };
    return (
      <div className="stack">
        {field(target, "title", t("builder.field.title"), model.root.title)}
        {field(target, "completedHtml", t("builder.field.completedHtml"), model.root.completedHtml, true)}
        {placeholderBar}
      </div>
    );
  }
  if (selection.kind === "page") {
    const page = model.pages[selection.index];
    if (!page) return <p className="muted">{t("builder.noneSelected")}</p>;
    const target: TextTarget = { on: "page", page: selection.index };
    return (
      <div className="stack">
        <h3>{t("builder.page", { n: selection.index + 1 })}</h3>
        {field(target, "title", t("builder.field.title"), page.props.title)}
        {field(target, "description", t("builder.field.description"), page.props.description, true)}
        {placeholderBar}
        <ConditionEditor model={model} target={{ on: "page", page: selection.index }} touchpoint={touchpoint} canEdit={canEdit} apply={apply} />
      </div>
    );
  }

  const at = findElement(model, selection.name);
  if (!at) return <p className="muted">{t("builder.noneSelected")}</p>;
  const element = elementAt(model, at);
  const info = elementInfo(element);
  const target: TextTarget = { on: "question", name: info.name };
  if (info.type === "panel" && info.name !== "") {
    return (
      <div className="stack" data-testid="panel-editor">
        <h3>{t("builder.panel.heading", { name: info.name })}</h3>
        <p className="muted">{t("builder.panel.hint")}</p>
        {field(target, "title", t("builder.field.title"), element.title)}
        {field(target, "description", t("builder.field.description"), element.description, true)}
        {placeholderBar}
        <ConditionEditor model={model} target={{ on: "question", name: info.name }} touchpoint={touchpoint} canEdit={canEdit} apply={apply} />
      </div>
    );
  }
  if (!info.editable) {
    return (
      <div className="stack">
        <h3>
          <code>{info.name}</code>
        </h3>
        <p className="notice">{t("builder.readonly", { type: info.type || "?" })}</p>
      </div>
    );
  }
  const choices = Array.isArray(element.choices) ? element.choices : null;
  return (
    <div className="stack" data-testid="question-editor">
      <h3>
        <code>{info.name}</code>
      </h3>
      {info.measure ? (
        <p className="muted">
          {info.attribute ? t("builder.measuresAttribute", { kind: info.measure, attribute: info.attribute }) : t("builder.measures", { kind: info.measure })}.{" "}
          {t("builder.measureLocked")}
        </p>
      ) : null}
      {field(target, "title", t("builder.field.title"), element.title)}
      {field(target, "description", t("builder.field.description"), element.description, true)}
      {info.type === "rating" ? (
        <>
          {field(target, "minRateDescription", t("builder.field.minRateDescription"), element.minRateDescription)}
          {field(target, "maxRateDescription", t("builder.field.maxRateDescription"), element.maxRateDescription)}
        </>
      ) : null}
      {info.type === "boolean" ? (
        <>
          {field(target, "labelTrue", t("builder.field.labelTrue"), element.labelTrue)}
          {field(target, "labelFalse", t("builder.field.labelFalse"), element.labelFalse)}
        </>
      ) : null}
      {choices ? (
        <div className="stack">
          {choices.map((choice: unknown, i) => (
            <div key={i} className="choice-row">
              {field({ on: "choice", name: info.name, choice: i }, "text", t("builder.field.choice", { n: i + 1 }), typeof choice === "object" && choice !== null ? (choice as Record<string, unknown>).text ?? (choice as Record<string, unknown>).value : choice)}
              {canEdit ? (
                <button type="button" className="secondary small" onClick={() => apply(removeChoice(model, touchpoint, info.name, i))}>
                  {t("builder.removeChoice", { n: i + 1 })}
                </button>
              ) : null}
            </div>
          ))}
          {canEdit ? (
            <button type="button" className="secondary small" onClick={() => apply(addChoice(model, touchpoint, info.name))}>
              {t("builder.addChoice")}
            </button>
          ) : null}
        </div>
      ) : null}
      <label className="check">
        <input type="checkbox" checked={element.isRequired === true} disabled={!canEdit} onChange={(e) => apply(setRequired(model, touchpoint, info.name, e.target.checked))} />
        {t("builder.required")}
      </label>
      {info.measure && REVERSIBLE_KINDS.includes(info.measure) ? (
        <label className="check">
          <input type="checkbox" checked={info.reverseCoded} disabled={!canEdit} onChange={(e) => apply(setReverseCoded(model, touchpoint, info.name, e.target.checked))} />
          {t("builder.reverse")}
        </label>
      ) : null}
      {placeholderBar}
      <ConditionEditor model={model} target={{ on: "question", name: info.name }} touchpoint={touchpoint} canEdit={canEdit} apply={apply} />
    </div>
  );
}
