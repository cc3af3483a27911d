// One page of a survey as a plain HTML form, drawn from the server's page view (app/survey/form-view.ts):
// it works with no JavaScript at all (a POST per page), and respondent-enhance.js upgrades it in place.
// Every question is a fieldset with a legend (or a labelled field); its error sits in an element the
// inputs point to with aria-describedby, and the page's errors are summed up in a role="alert".
import type { CSSProperties } from "react";
import type { Lang } from "~/i18n/lang";
import { useT } from "~/i18n/use-t";
import type { FormOption, FormPayload, QuestionView } from "~/survey/form-view";

/** The ids the inputs of a question point to: its description, its scale's end labels, its error. */
function describedBy(q: QuestionView, extra: string[] = []): string {
  return [q.description ? `${q.id}-desc` : null, ...extra, `${q.id}-err`].filter(Boolean).join(" ");
}

function Title({ q, as: Tag = "legend" }: { q: QuestionView; as?: "legend" | "span" }) {
  const t = useT();
  return (
    <Tag className="q-title" id={`${q.id}-title`}>
      {q.title}
      {q.required ? (
        <>
          <span className="q-required" aria-hidden="true">
            {" *"}
          </span>
          <span className="sr-only"> {t("respondent.form.required")}</span>
        </>
      ) : null}
    </Tag>
  );
}

function Notes({ q }: { q: QuestionView }) {
  return (
    <>
      {q.description ? (
        <p className="q-desc" id={`${q.id}-desc`}>
          {q.description}
        </p>
      ) : null}
      {/* Always present, so that the enhancement script can fill it and the inputs can point to it. */}
      <p className="q-error" id={`${q.id}-err`}>
        {q.errors.join(" ")}
      </p>
    </>
  );
}

function Options({ q, field, options, type, className, describe }: { q: QuestionView; field: string; options: FormOption[]; type: "radio" | "checkbox"; className: string; describe: string }) {
  const invalid = q.errors.length > 0;
  return (
    <div className={className} style={{ "--points": options.length } as CSSProperties}>
      {options.map((o, i) => (
        <label key={i} className="option">
          <input
            type={type}
            name={field}
            value={o.value}
            defaultChecked={o.checked}
            required={q.required && type === "radio"}
            aria-invalid={invalid || undefined}
            aria-describedby={describe}
          />
          <span>{o.label}</span>
        </label>
      ))}
    </div>
  );
}

function Question({ q }: { q: QuestionView }) {
  const invalid = q.errors.length > 0;
  // Read by the enhancement script: what to say when a required question is left empty.
  const common = { id: q.id, "data-title": q.title, "data-required": q.required ? q.requiredMessage : undefined, "data-invalid": invalid || undefined };
  switch (q.type) {
    case "rating": {
      const ends = q.minLabel || q.maxLabel ? [`${q.id}-ends`] : [];
      return (
        <fieldset className="q q-rating" {...common}>
          <Title q={q} />
          <Notes q={q} />
          <Options q={q} field={q.field} options={q.options} type="radio" className="scale" describe={describedBy(q, ends)} />
          {ends.length > 0 ? (
            <p className="scale-ends" id={`${q.id}-ends`}>
              <span>{q.minLabel ? `${q.options[0]?.label} = ${q.minLabel}` : ""}</span>
              <span>{q.maxLabel ? `${q.options[q.options.length - 1]?.label} = ${q.maxLabel}` : ""}</span>
            </p>
          ) : null}
        </fieldset>
      );
    }
    case "choice":
    case "boolean":
    case "checkbox":
      return (
        <fieldset className={`q q-${q.type}`} {...common}>
          <Title q={q} />
          <Notes q={q} />
          <Options q={q} field={q.field} options={q.options} type={q.type === "checkbox" ? "checkbox" : "radio"} className={q.type === "boolean" ? "choices choices-row" : "choices"} describe={describedBy(q)} />
        </fieldset>
      );
    case "text":
    case "comment": {
      const input = {
        id: `${q.id}-input`,
        name: q.field,
        defaultValue: q.value,
        maxLength: q.maxLength ?? undefined,
        required: q.required,
        "aria-invalid": invalid || undefined,
        "aria-describedby": describedBy(q),
      };
      return (
        <div className={`q q-${q.type}`} {...common}>
          <label htmlFor={input.id}>
            <Title q={q} as="span" />
          </label>
          <Notes q={q} />
          {q.type === "comment" ? <textarea rows={5} {...input} /> : <input type={q.inputType} inputMode={q.inputType === "number" ? "decimal" : undefined} {...input} />}
        </div>
      );
    }
    case "matrix":
      return (
        <fieldset className="q q-matrix" {...common}>
          <Title q={q} />
          <Notes q={q} />
          {q.rows.map((row) => (
            <fieldset key={row.field} className="matrix-row">
              <legend>{row.label}</legend>
              <Options q={q} field={row.field} options={row.options} type="radio" className="choices choices-row" describe={describedBy(q)} />
            </fieldset>
          ))}
        </fieldset>
      );
    case "multipletext":
      return (
        <fieldset className="q q-multipletext" {...common}>
          <Title q={q} />
          <Notes q={q} />
          {q.items.map((item) => (
            <div key={item.field} className="multipletext-item">
              <label htmlFor={item.field}>{item.label}</label>
              <input
                id={item.field}
                name={item.field}
                type={item.inputType}
                inputMode={item.inputType === "number" ? "decimal" : undefined}
                defaultValue={item.value}
                required={item.required}
                aria-invalid={invalid || undefined}
                aria-describedby={describedBy(q)}
              />
            </div>
          ))}
        </fieldset>
      );
    case "html":
      // The designer's HTML, as SurveyJS itself renders it.
      return <div className="q q-html" id={q.id} dangerouslySetInnerHTML={{ __html: q.html }} />;
    case "expression":
      return (
        <p className="q q-expression" id={q.id}>
          <span>{q.title}</span> <output>{q.value}</output>
        </p>
      );
  }
}

export function SurveyForm({ title, form, lang }: { title: string; form: FormPayload; lang: Lang }) {
  const t = useT();
  const { view } = form;
  const failing = view.questions.filter((q) => q.errors.length > 0);
  const percent = Math.round((view.index / Math.max(1, view.count)) * 100);
  return (
    <>
      <h1 className="respondent-title">{title}</h1>
      {/* The language travels in the URL: the next page is drawn in the language this one is in. */}
      <form method="post" action={`?lang=${lang}`} className="survey-form" noValidate data-survey-form="" data-check={t("respondent.form.check")}>
        <input type="hidden" name="state" value={form.state} />
        <div className="survey-progress">
          <span>{t("respondent.form.progress", { n: view.index + 1, count: view.count })}</span>
          <span className="survey-progress-bar" aria-hidden="true">
            <span style={{ width: `${percent}%` }} />
          </span>
        </div>
        {view.title ? (
          <h2 className="survey-page-title" tabIndex={-1}>
            {view.title}
          </h2>
        ) : null}
        {view.description ? <p className="survey-page-desc">{view.description}</p> : null}
        <div className="survey-alert" role="alert" id="survey-alert">
          {form.alert ? <p>{form.alert}</p> : null}
          {failing.length > 0 ? (
            <>
              <p>{t("respondent.form.check")}</p>
              <ul>
                {failing.map((q) => (
                  <li key={q.id}>
                    <a href={`#${q.id}`}>{q.title}</a>: {q.errors.join(" ")}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </div>
        {view.questions.map((q) => (
          <Question key={`${view.name}:${q.id}`} q={q} />
        ))}
        <div className="survey-nav">
          {/* First in the markup: Enter in a text field submits "next", never "back". */}
          <button type="submit" name="intent" value="next" className="survey-next">
            {view.nextText}
          </button>
          {view.isFirst ? null : (
            <button type="submit" name="intent" value="back" className="survey-back" formNoValidate>
              {view.prevText}
            </button>
          )}
        </div>
      </form>
    </>
  );
}
