// The condition builder of one question, panel or page: clauses (an earlier question, an operator,
// a value) joined by "and" or "or", written as its SurveyJS visibleIf.
import { useLang, useT } from "~/i18n/use-t";
import type { MessageKey } from "~/i18n/messages";
import type { BuilderModel, ElementJson } from "~/survey/builder/document";
import { answerDomain, earlierQuestions, OPERATORS, questionsBeforePage, UNARY_OPERATORS, type Clause, type ClauseValue, type Condition, type Operator } from "~/survey/builder/logic";
import { conditionExpression, setCondition, targetCondition, type ConditionTarget, type EditResult } from "~/survey/builder/operations";
import { readText } from "~/survey/builder/text";
import type { SurveyTouchpoint } from "~/survey/types";

const OPERATOR_KEYS: Record<Operator, string> = {
  "=": "eq",
  "<>": "ne",
  ">": "gt",
  ">=": "ge",
  "<": "lt",
  "<=": "le",
  contains: "contains",
  notcontains: "notcontains",
  notempty: "notempty",
  empty: "empty",
};

type Props = {
  model: BuilderModel;
  target: ConditionTarget;
  touchpoint: SurveyTouchpoint;
  canEdit: boolean;
  apply: (result: EditResult, key?: string | null) => boolean;
};

function choiceLabel(element: ElementJson, value: ClauseValue, lang: "es" | "en", yes: string, no: string): string {
  if (element.type === "boolean") return value === true ? yes : value === false ? no : String(value);
  if (Array.isArray(element.choices)) {
    const choice = element.choices.find((c: unknown) => (typeof c === "object" && c !== null ? (c as ElementJson).value : c) === value);
    if (typeof choice === "object" && choice !== null) return readText((choice as ElementJson).text, lang) || String(value);
  }
  return String(value);
}

export function ConditionEditor({ model, target: owner, touchpoint, canEdit, apply }: Props) {
  const t = useT();
  const lang = useLang();
  const condition = targetCondition(model, owner);
  const expression = conditionExpression(model, owner);
  const earlier = owner.on === "page" ? questionsBeforePage(model, owner.page) : earlierQuestions(model, owner.name);
  const byName = new Map(earlier.map((e) => [String(e.name), e]));
  const ownerKey = owner.on === "page" ? `page:${owner.page}` : owner.name;

  const commit = (next: Condition) => apply(setCondition(model, touchpoint, owner, next), `condition:${ownerKey}`);
  const defaultClause = (element: ElementJson): Clause => {
    const domain = answerDomain(element);
    return domain && domain.length > 0
      ? { question: String(element.name), operator: "=", value: domain[0] }
      : { question: String(element.name), operator: "notempty", value: null };
  };

  return (
    <fieldset className="condition-editor" data-testid="condition-editor">
      <legend>{t("builder.logic")}</legend>
      {owner.on === "page" ? <p className="muted">{t("builder.pageLogic.hint")}</p> : null}
      {condition === null ? (
        <p className="muted">{t("builder.logic.custom", { expression: String(expression) })}</p>
      ) : (
        <>
          {condition.clauses.length === 0 ? <p className="muted">{t("builder.logic.always")}</p> : null}
          {condition.clauses.length > 1 ? (
            <label>
              {t("builder.logic.join")}
              <select value={condition.join} disabled={!canEdit} onChange={(e) => commit({ ...condition, join: e.target.value === "or" ? "or" : "and" })}>
                <option value="and">{t("builder.logic.and")}</option>
                <option value="or">{t("builder.logic.or")}</option>
              </select>
            </label>
          ) : null}
          <ol className="clauses">
            {condition.clauses.map((clause, i) => {
              const target = byName.get(clause.question);
              const domain = target ? answerDomain(target) : null;
              const update = (patch: Partial<Clause>) =>
                commit({ ...condition, clauses: condition.clauses.map((c, j) => (j === i ? { ...c, ...patch } : c)) });
              const id = `clause-${i}`;
              return (
                <li key={i} className="clause row" aria-label={t("builder.logic.clause", { n: i + 1 })}>
                  <label htmlFor={`${id}-question`}>
                    {t("builder.logic.question")}
                    <select
                      id={`${id}-question`}
                      value={clause.question}
                      disabled={!canEdit}
                      onChange={(e) => {
                        const element = byName.get(e.target.value);
                        if (element) update(defaultClause(element));
                      }}
                    >
                      {target ? null : <option value={clause.question}>{clause.question}</option>}
                      {earlier.map((e) => (
                        <option key={String(e.name)} value={String(e.name)}>
                          {readText(e.title, lang) || String(e.name)}
                        </option>
                      ))}
                    </select>
                  </label>
                  <label htmlFor={`${id}-operator`}>
                    {t("builder.logic.operator")}
                    <select
                      id={`${id}-operator`}
                      value={clause.operator}
                      disabled={!canEdit}
                      onChange={(e) => {
                        const operator = e.target.value as Operator;
                        update({ operator, value: UNARY_OPERATORS.includes(operator) ? null : (clause.value ?? domain?.[0] ?? "") });
                      }}
                    >
                      {OPERATORS.map((op) => (
                        <option key={op} value={op}>
                          {t(`builder.op.${OPERATOR_KEYS[op]}` as MessageKey)}
                        </option>
                      ))}
                    </select>
                  </label>
                  {UNARY_OPERATORS.includes(clause.operator) ? null : (
                    <label htmlFor={`${id}-value`}>
                      {t("builder.logic.value")}
                      {domain && target ? (
                        <select
                          id={`${id}-value`}
                          value={String(clause.value)}
                          disabled={!canEdit}
                          onChange={(e) => update({ value: domain.find((v) => String(v) === e.target.value) ?? e.target.value })}
                        >
                          {domain.map((v) => (
                            <option key={String(v)} value={String(v)}>
                              {choiceLabel(target, v, lang, t("builder.yes"), t("builder.no"))}
                            </option>
                          ))}
                        </select>
                      ) : (
                        <input
                          id={`${id}-value`}
                          type="text"
                          value={String(clause.value ?? "")}
                          readOnly={!canEdit}
                          onChange={(e) => {
                            const text = e.target.value;
                            update({ value: text.trim() !== "" && Number.isFinite(Number(text)) ? Number(text) : text });
                          }}
                        />
                      )}
                    </label>
                  )}
                  {canEdit ? (
                    <button
                      type="button"
                      className="secondary small"
                      onClick={() => commit({ ...condition, clauses: condition.clauses.filter((_, j) => j !== i) })}
                    >
                      {t("builder.logic.remove", { n: i + 1 })}
                    </button>
                  ) : null}
                </li>
              );
            })}
          </ol>
          {earlier.length === 0 ? (
            <p className="muted">{t(owner.on === "page" ? "builder.pageLogic.noEarlier" : "builder.logic.noEarlier")}</p>
          ) : canEdit ? (
            <button type="button" className="secondary small" onClick={() => commit({ ...condition, clauses: [...condition.clauses, defaultClause(earlier[earlier.length - 1])] })}>
              {t("builder.logic.add")}
            </button>
          ) : null}
        </>
      )}
    </fieldset>
  );
}
