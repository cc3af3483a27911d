// Departments and the processes each runs: the Clienting pulse asks employees for their department,
// and the link to processes lets the process table show the Clienting index beside the gap.
import { Form } from "@remix-run/react";
import { getFormProps } from "@conform-to/react";
import { TextField } from "~/components/form/fields";
import { useSchemaForm } from "~/components/form/use-schema-form";
import { DepartmentSchema } from "./settings-schemas";
import { useT } from "~/i18n/use-t";
import { Saved, replyFor, type FormFeedback } from "./CaseSettingsForms";

type Department = { id: number; name: string; processIds: number[] };
type Process = { id: number; name: string };

export function DepartmentSettings({ departments, processes, feedback }: { departments: Department[]; processes: Process[]; feedback: FormFeedback }) {
  const t = useT();
  return (
    <>
      <p className="muted">{t("act.departments.intro")}</p>
      {feedback && (feedback.intent === "department-processes" || feedback.intent === "department-delete") ? (
        <Saved feedback={feedback} intent={feedback.intent} />
      ) : null}
      {departments.length === 0 ? <p>{t("act.departments.none")}</p> : null}
      {departments.map((d) => (
        <Form method="post" key={d.id} className="card stack" aria-labelledby={`dep-${d.id}`}>
          <input type="hidden" name="id" value={d.id} />
          <h3 id={`dep-${d.id}`}>{d.name}</h3>
          {processes.length ? (
            <fieldset>
              <legend>{t("act.departments.runs")}</legend>
              <div className="checks">
                {processes.map((p) => (
                  <label key={p.id} className="check" htmlFor={`dep-${d.id}-p-${p.id}`}>
                    <input id={`dep-${d.id}-p-${p.id}`} type="checkbox" name="processIds" value={p.id} defaultChecked={d.processIds.includes(p.id)} />
                    {p.name}
                  </label>
                ))}
              </div>
            </fieldset>
          ) : (
            <p className="muted">{t("act.departments.noProcesses")}</p>
          )}
          <div className="actions">
            <button type="submit" name="intent" value="department-processes" className="secondary">
              {t("act.settings.save")}
            </button>
            <button type="submit" name="intent" value="department-delete" className="danger">
              {t("act.departments.delete")}
            </button>
          </div>
        </Form>
      ))}
      <NewDepartmentForm feedback={feedback} />
    </>
  );
}

function NewDepartmentForm({ feedback }: { feedback: FormFeedback }) {
  const t = useT();
  const [form, fields] = useSchemaForm(DepartmentSchema, { id: "dep", lastResult: replyFor(feedback, "department-create") });
  return (
    <Form method="post" className="card stack" aria-labelledby="dep-new" {...getFormProps(form)} noValidate>
      <h3 id="dep-new">{t("act.departments.add")}</h3>
      <Saved feedback={feedback} intent="department-create" />
      <input type="hidden" name="intent" value="department-create" />
      <div className="row">
        <TextField label={t("act.departments.name")} field={fields.name} />
        <button type="submit">{t("act.departments.addButton")}</button>
      </div>
    </Form>
  );
}
