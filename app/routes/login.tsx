// Sign in. A failure says only that the pair was wrong, never which half.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { getUser, safeRedirect, startSession } from "~/auth/session.server";
import { Field } from "~/components/Field";
import { verifyLogin } from "~/data/users.server";
import { useT } from "~/i18n/use-t";
import { parseForm } from "~/web/form.server";

export const meta: MetaFunction = () => [{ title: "Vivencia — sign in" }];

const LoginSchema = z.object({
  email: z.string().trim().email("Enter an email address."),
  password: z.string().min(1, "Enter your password."),
  redirectTo: z.string().optional(),
});

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getUser(request)) throw redirect("/workspaces");
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await parseForm(request, LoginSchema);
  if (!form.ok) return data({ invalid: false, errors: form.errors, email: form.values.email ?? "" }, { status: 400 });
  const user = await verifyLogin(form.data.email, form.data.password);
  if (!user) return data({ invalid: true, errors: {} as Record<string, string>, email: form.data.email }, { status: 400 });
  return startSession(request, user.id, safeRedirect(form.data.redirectTo, "/workspaces"));
}

export default function Login() {
  const t = useT();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  return (
    <main id="main" className="page auth">
      <h1>{t("auth.signin")}</h1>
      {result?.invalid ? (
        <p className="notice error" role="alert">
          {t("auth.invalid")}
        </p>
      ) : null}
      <Form method="post" className="stack card">
        <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? ""} />
        <Field label={t("auth.email")} name="email" type="email" autoComplete="email" required defaultValue={result?.email} error={result?.errors.email} />
        <Field label={t("auth.password")} name="password" type="password" autoComplete="current-password" required error={result?.errors.password} />
        <button type="submit">{t("auth.signin")}</button>
      </Form>
      <p>
        {t("auth.noAccount")} <Link to={`/signup${params.get("redirectTo") ? `?redirectTo=${encodeURIComponent(params.get("redirectTo")!)}` : ""}`}>{t("auth.signup")}</Link>
      </p>
    </main>
  );
}
