// The workspaces a person belongs to, and creating one for a brand.
import { getFormProps } from "@conform-to/react";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { requireUser } from "~/auth/session.server";
import { FormErrors, TextField } from "~/components/form/fields";
import { useSchemaForm } from "~/components/form/use-schema-form";
import { createWorkspace, listWorkspacesOf, slugTaken } from "~/data/workspaces.server";
import { useT } from "~/i18n/use-t";
import { parseRequestForm } from "~/web/conform.server";
import { formSlug, formText } from "~/web/form-schema";

const CreateSchema = z.object({ name: formText(120), slug: formSlug() });

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return { workspaces: await listWorkspacesOf(user.id) };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const { submission, unreadable, t } = await parseRequestForm(request, CreateSchema);
  if (unreadable) return data({ result: unreadable }, { status: 400 });
  if (submission.status !== "success") return data({ result: submission.reply() }, { status: 400 });
  if (await slugTaken(submission.value.slug)) {
    return data({ result: submission.reply({ fieldErrors: { slug: [t("ws.slugTaken")] } }) }, { status: 400 });
  }
  const ws = await createWorkspace({ ...submission.value, ownerId: user.id });
  return redirect(`/w/${ws.slug}`);
}

export default function Workspaces() {
  const { workspaces } = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <main id="main" className="page">
      <h1>{t("ws.title")}</h1>
      {workspaces.length === 0 ? <p>{t("ws.none")}</p> : null}
      <ul className="tp-list">
        {workspaces.map((w) => (
          <li key={w.slug}>
            <Link to={`/w/${w.slug}`}>{w.name}</Link>
            <span className="badge">{t(`role.${w.role}`)}</span>
          </li>
        ))}
      </ul>
      <h2>{t("ws.create")}</h2>
      <CreateWorkspaceForm />
    </main>
  );
}

function CreateWorkspaceForm() {
  const result = useActionData<typeof action>();
  const t = useT();
  const [form, fields] = useSchemaForm(CreateSchema, { id: "workspace", lastResult: result?.result });
  return (
    <Form method="post" className="stack card" {...getFormProps(form)} noValidate>
      <FormErrors form={form} />
      <TextField label={t("ws.name")} field={fields.name} />
      <TextField label={t("ws.slug")} field={fields.slug} />
      <button type="submit">{t("ws.create")}</button>
    </Form>
  );
}
