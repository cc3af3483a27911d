// The workspaces a person belongs to, and creating one for a brand.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { requireUser } from "~/auth/session.server";
import { SlugSchema } from "~/cem/slug";
import { Field } from "~/components/Field";
import { createWorkspace, listWorkspacesOf, slugTaken } from "~/data/workspaces.server";
import { useT } from "~/i18n/use-t";
import { parseForm } from "~/web/form.server";

const CreateSchema = z.object({ name: z.string().trim().min(1, "Enter a name.").max(120), slug: SlugSchema });

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return { workspaces: await listWorkspacesOf(user.id) };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await parseForm(request, CreateSchema);
  if (!form.ok) return data({ errors: form.errors, values: form.values }, { status: 400 });
  if (await slugTaken(form.data.slug)) {
    return data({ errors: { slug: "taken" } as Record<string, string>, values: form.values }, { status: 400 });
  }
  const ws = await createWorkspace({ ...form.data, ownerId: user.id });
  return redirect(`/w/${ws.slug}`);
}

export default function Workspaces() {
  const { workspaces } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
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
      <Form method="post" className="stack card">
        <Field label={t("ws.name")} name="name" required defaultValue={result?.values.name} error={result?.errors.name} />
        <Field
          label={t("ws.slug")}
          name="slug"
          required
          pattern="[a-z0-9]+(-[a-z0-9]+)*"
          defaultValue={result?.values.slug}
          error={result?.errors.slug === "taken" ? t("ws.slugTaken") : result?.errors.slug}
        />
        <button type="submit">{t("ws.create")}</button>
      </Form>
    </main>
  );
}
