// Sign in. A failure says only that the pair was wrong, never which half.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { getUser, safeRedirect, startSession } from "~/auth/session.server";
import { Field } from "~/components/Field";
import { verifyLogin } from "~/data/users.server";
import { useT } from "~/i18n/use-t";
import { parseForm } from "~/web/form.server";
import { retryAfter } from "~/web/retry-after";
import { auditSignInAttempt, limitSignIn, tooManyRequests } from "~/web/rate-limit.server";

export const meta: MetaFunction = () => [{ title: "Vivencia — sign in" }];
// A refused attempt's Retry-After reaches the browser.
export const headers = ({ actionHeaders }: { actionHeaders: Headers }) => retryAfter(actionHeaders);

const LoginSchema = z.object({
  email: z.string().trim().email("Enter an email address."),
  password: z.string().min(1, "Enter your password."),
  // Where to go once signed in: a path on this site, else the workspaces. Judged here, before anything
  // is written, so a malformed target can only fall back (app/web/redirect-target.ts).
  redirectTo: z
    .string()
    .optional()
    .transform((to) => safeRedirect(to, "/workspaces")),
});

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getUser(request)) throw redirect("/workspaces");
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await parseForm(request, LoginSchema);
  if (!form.ok) return data({ invalid: false, errors: form.errors, email: form.values.email ?? "" }, { status: 400 });
  // Before the password is checked (scrypt, 64 MiB); the same for an e-mail nobody has.
  const limited = await limitSignIn(request, context, form.data.email);
  if (limited) return tooManyRequests({ invalid: false, errors: {} as Record<string, string>, email: form.data.email, limited: limited.message }, limited);
  const user = await verifyLogin(form.data.email, form.data.password);
  await auditSignInAttempt(context, form.data.email, user?.id ?? null);
  if (!user) return data({ invalid: true, errors: {} as Record<string, string>, email: form.data.email }, { status: 400 });
  return startSession(request, user.id, form.data.redirectTo);
}

export default function Login() {
  const t = useT();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  return (
    <main id="main" className="page auth">
      <h1>{t("auth.signin")}</h1>
      {result && "limited" in result ? (
        <p className="notice error" role="alert">
          {result.limited}
        </p>
      ) : null}
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
