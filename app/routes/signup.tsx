// Create an account. Pending workspace invitations for the email are accepted on the way in.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { getUser, safeRedirect, startSession } from "~/auth/session.server";
import { Field } from "~/components/Field";
import { createUser } from "~/data/users.server";
import { useT } from "~/i18n/use-t";
import { parseForm } from "~/web/form.server";
import { retryAfter } from "~/web/retry-after";
import { limitSignUp, tooManyRequests } from "~/web/rate-limit.server";

export const meta: MetaFunction = () => [{ title: "Vivencia — create account" }];
// A refused attempt's Retry-After reaches the browser.
export const headers = ({ actionHeaders }: { actionHeaders: Headers }) => retryAfter(actionHeaders);

export const SignupSchema = z.object({
  name: z.string().trim().min(1, "Enter your name.").max(120),
  email: z.string().trim().email("Enter an email address.").max(254),
  password: z.string().min(10, "Use at least 10 characters.").max(200),
  redirectTo: z.string().optional(),
});

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getUser(request)) throw redirect("/workspaces");
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await parseForm(request, SignupSchema);
  if (!form.ok) return data({ errors: form.errors, values: form.values, taken: false }, { status: 400 });
  // Before the password is hashed (scrypt, 64 MiB).
  const limited = await limitSignUp(request, context);
  if (limited) return tooManyRequests({ errors: { _form: limited.message } as Record<string, string>, values: form.values, taken: false }, limited);
  const created = await createUser(form.data);
  if (!created.ok) return data({ errors: {} as Record<string, string>, values: form.values, taken: true }, { status: 400 });
  return startSession(request, created.user.id, safeRedirect(form.data.redirectTo, "/workspaces"));
}

export default function Signup() {
  const t = useT();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  return (
    <main id="main" className="page auth">
      <h1>{t("auth.signup")}</h1>
      {result?.errors._form ? (
        <p className="notice error" role="alert">
          {result.errors._form}
        </p>
      ) : null}
      {result?.taken ? (
        <p className="notice error" role="alert">
          {t("auth.emailTaken")}
        </p>
      ) : null}
      <Form method="post" className="stack card">
        <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? ""} />
        <Field label={t("auth.name")} name="name" autoComplete="name" required defaultValue={result?.values.name} error={result?.errors.name} />
        <Field label={t("auth.email")} name="email" type="email" autoComplete="email" required defaultValue={result?.values.email} error={result?.errors.email} />
        <Field label={t("auth.password")} name="password" type="password" autoComplete="new-password" required minLength={10} hint={t("auth.passwordHint")} error={result?.errors.password} />
        <button type="submit">{t("auth.signup")}</button>
      </Form>
      <p>
        {t("auth.haveAccount")} <Link to="/login">{t("auth.signin")}</Link>
      </p>
    </main>
  );
}
