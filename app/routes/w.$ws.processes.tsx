// Business processes: read as a summary (owner, the touchpoints each shapes, its latest gap with n and
// interval), edited with ?edit=1. CEM measures each process by the experience it shapes (DESIGN.md).
import { getFormProps } from "@conform-to/react";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { requireMember } from "~/auth/guard.server";
import { can } from "~/auth/permissions";
import { FormErrors, TextField } from "~/components/form/fields";
import { useSchemaForm } from "~/components/form/use-schema-form";
import { LatestGap } from "~/components/LatestGap";
import { LocalName, MissingTranslation } from "~/components/LocalName";
import { latestGaps } from "~/data/latest-gaps.server";
import { createProcess, deleteProcess, listProcesses, processKeyTaken, updateProcess } from "~/data/processes.server";
import { requestLang } from "~/i18n/lang.server";
import { useT } from "~/i18n/use-t";
import { parseRequestForm } from "~/web/conform.server";
import { formOptionalText, formSlug, formText } from "~/web/form-schema";
import { notFound } from "~/web/responses.server";

const ProcessSchema = z.object({
  key: formSlug(),
  name: formText(120),
  // The English name is optional: "" until someone translates it.
  nameEn: formOptionalText(120),
  owner: formOptionalText(120),
  description: formOptionalText(2000),
});
const UpdateSchema = ProcessSchema.omit({ key: true }).extend({ id: z.number().int().positive() });
/** Every intent's fields in one schema: the intent picks which part is checked. */
const ActionSchema = z.discriminatedUnion("intent", [
  ProcessSchema.extend({ intent: z.literal("create") }),
  UpdateSchema.extend({ intent: z.literal("update") }),
  z.object({ intent: z.literal("delete"), id: z.number().int().positive() }),
]);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { workspace, role } = await requireMember(request, params.ws);
  const [processes, gaps] = await Promise.all([listProcesses(workspace.id), latestGaps(workspace, await requestLang(request))]);
  return {
    processes: processes.map((p) => ({
      ...p,
      gap: gaps.byProcess[p.key] ?? null,
      touchpoints: gaps.scope.touchpoints
        .filter((tp) => tp.processKey === p.key)
        .map((tp) => ({ key: tp.key, name: tp.name, journeyKey: tp.journeyKey, journeyName: tp.journeyName, stageName: tp.stageName, momentOfTruth: tp.momentOfTruth, gap: gaps.byTouchpoint[tp.key] ?? null })),
    })),
    window: gaps.window,
    canEdit: can(role, "processes:edit"),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { workspace } = await requireMember(request, params.ws, "processes:edit");
  const { submission, unreadable, t } = await parseRequestForm(request, ActionSchema);
  if (unreadable) return data({ intent: "create", id: null as number | null, result: unreadable }, { status: 400 });
  const intent = String(submission.payload.intent ?? "create");
  const id = Number(submission.payload.id) || null;
  if (submission.status !== "success") return data({ intent, id, result: submission.reply() }, { status: 400 });
  const input = submission.value;
  if (input.intent === "delete") {
    if (!(await deleteProcess(workspace.id, input.id))) throw notFound();
  } else if (input.intent === "update") {
    const { id: processId, intent: _intent, ...rest } = input;
    if (!(await updateProcess(workspace.id, processId, rest))) throw notFound();
  } else {
    const { intent: _intent, ...rest } = input;
    if (await processKeyTaken(workspace.id, rest.key)) {
      return data({ intent, id, result: submission.reply({ fieldErrors: { key: [t("process.keyTaken")] } }) }, { status: 400 });
    }
    await createProcess(workspace.id, rest);
  }
  return { intent, id, result: submission.reply({ resetForm: true }) };
}

export default function ProcessesPage() {
  const { processes, canEdit, window } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const t = useT();
  const editing = canEdit && params.get("edit") === "1";
  return (
    <>
      <div className="row" style={{ justifyContent: "space-between" }}>
        <h1>{t("process.title")}</h1>
        {canEdit ? (
          <Link className={editing ? "button secondary" : "button"} to={editing ? "." : "?edit=1"} data-testid="edit-processes">
            {editing ? t("form.done") : t("form.edit")}
          </Link>
        ) : null}
      </div>
      <p className="muted">{t("process.intro")}</p>
      <p className="muted">{t("process.summary.window", window)}</p>
      {processes.length === 0 ? <p>{t("process.none")}</p> : null}
      {editing ? <ProcessForms /> : processes.map((p) => <ProcessSummary key={p.id} process={p} />)}
    </>
  );
}

type Loaded = ReturnType<typeof useLoaderData<typeof loader>>;

function ProcessSummary({ process: p }: { process: Loaded["processes"][number] }) {
  const t = useT();
  return (
    <article className="card" data-process={p.key}>
      <h2>
        <LocalName item={p} flag /> <span className="badge">{p.key}</span>
      </h2>
      <p className="muted">{p.owner ? t("process.summary.owner", { owner: p.owner }) : t("process.summary.noOwner")}</p>
      {p.description ? <p>{p.description}</p> : null}
      <p>
        <strong>{t("process.summary.gap")}:</strong> <LatestGap figure={p.gap ?? undefined} />
      </p>
      {p.touchpoints.length === 0 ? (
        <p className="muted">{t("process.summary.noTouchpoints")}</p>
      ) : (
        <ul className="tp-list">
          {p.touchpoints.map((tp) => (
            <li key={tp.key}>
              <span>
                <Link to={`../journeys/${tp.journeyKey}/touchpoints/${tp.key}`} relative="path">
                  {tp.name}
                </Link>{" "}
                <span className="muted">
                  {tp.journeyName} · {tp.stageName}
                </span>{" "}
                {tp.momentOfTruth ? <span className="badge mot">★ {t("tp.mot")}</span> : null}
              </span>
              <LatestGap figure={tp.gap ?? undefined} />
            </li>
          ))}
        </ul>
      )}
    </article>
  );
}

function ProcessForms() {
  const { processes } = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <>
      {processes.map((p) => (
        <EditProcess key={p.id} process={p} />
      ))}
      <h2>{t("process.add")}</h2>
      <CreateProcess />
    </>
  );
}

function EditProcess({ process: p }: { process: Loaded["processes"][number] }) {
  const result = useActionData<typeof action>();
  const t = useT();
  const mine = result && result.id === p.id && result.intent !== "create" ? result.result : undefined;
  const [form, fields] = useSchemaForm(UpdateSchema, { id: `process-${p.id}`, lastResult: mine, defaultValue: { id: p.id, name: p.name, nameEn: p.nameEn, owner: p.owner, description: p.description } });
  return (
    <article className="card" data-process={p.key}>
      <Form method="post" className="stack" {...getFormProps(form)} noValidate>
        <input type="hidden" name="id" value={p.id} />
        <FormErrors form={form} />
        <div className="row">
          <span className="badge">{p.key}</span>
          <span className="muted">
            {t("process.touchpoints")}: {p.touchpoints.length}
          </span>
        </div>
        <div className="row">
          <TextField label={`${t("process.name")} · ${t("names.es")}`} field={fields.name} />
          <TextField
            label={
              <>
                {t("names.en")} <MissingTranslation item={p} />
              </>
            }
            field={fields.nameEn}
          />
          <TextField label={t("process.owner")} field={fields.owner} />
        </div>
        <TextField label={t("process.description")} field={fields.description} multiline />
        <div className="actions">
          <button type="submit" name="intent" value="update" className="secondary">
            {t("process.save")}
          </button>
          <button type="submit" name="intent" value="delete" className="danger" formNoValidate>
            {t("process.delete")}
          </button>
        </div>
      </Form>
    </article>
  );
}

function CreateProcess() {
  const result = useActionData<typeof action>();
  const t = useT();
  const [form, fields] = useSchemaForm(ProcessSchema, { id: "process-new", lastResult: result?.intent === "create" ? result.result : undefined });
  return (
    <Form method="post" className="stack card" {...getFormProps(form)} noValidate>
      <input type="hidden" name="intent" value="create" />
      <FormErrors form={form} />
      <div className="row">
        <TextField label={t("process.key")} field={fields.key} />
        <TextField label={`${t("process.name")} · ${t("names.es")}`} field={fields.name} />
        <TextField label={t("names.en")} field={fields.nameEn} />
        <TextField label={t("process.owner")} field={fields.owner} />
      </div>
      <TextField label={t("process.description")} field={fields.description} multiline />
      <p>
        <button type="submit">{t("process.add")}</button>
      </p>
    </Form>
  );
}
