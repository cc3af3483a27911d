// Sign in. A failure says only that the pair was wrong, never which half.
import { getFormProps } from "@conform-to/react";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { getUser, startSession } from "~/auth/session.server";
import { FormErrors, TextField } from "~/components/form/fields";
import { useSchemaForm } from "~/components/form/use-schema-form";
import { verifyLogin } from "~/data/users.server";
import { useT } from "~/i18n/use-t";
import { parseRequestForm } from "~/web/conform.server";
import { safeRedirect } from "~/web/redirect-target";
import { retryAfter } from "~/web/retry-after";
import { auditSignInAttempt, limitSignIn, tooManyRequests } from "~/web/rate-limit.server";

export const meta: MetaFunction = () => [{ title: "Vivencia — sign in" }];
// A refused attempt's Retry-After reaches the browser.
export const headers = ({ actionHeaders }: { actionHeaders: Headers }) => retryAfter(actionHeaders);

const LoginSchema = z.object({
  email: z.string().trim().pipe(z.email()),
  password: z.string(),
  // Where to go once signed in: judged by the action (safeRedirect) before anything is written.
  redirectTo: z.string().optional(),
});

/** The password never travels back to the page. */
const HIDDEN = ["password"];

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getUser(request)) throw redirect("/workspaces");
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { submission, unreadable, t } = await parseRequestForm(request, LoginSchema);
  if (unreadable) return data({ result: unreadable }, { status: 400 });
  if (submission.status !== "success") return data({ result: submission.reply({ hideFields: HIDDEN }) }, { status: 400 });
  const { email, password } = submission.value;
  // A path on this site, else the workspaces: a malformed target can only fall back (app/web/redirect-target.ts).
  const redirectTo = safeRedirect(submission.value.redirectTo, "/workspaces");
  // Before the password is checked (scrypt, 64 MiB); the same for an e-mail nobody has.
  const limited = await limitSignIn(request, context, email);
  if (limited) return tooManyRequests({ result: submission.reply({ formErrors: [limited.message], hideFields: HIDDEN }) }, limited);
  const user = await verifyLogin(email, password);
  await auditSignInAttempt(context, email, user?.id ?? null);
  if (!user) return data({ result: submission.reply({ formErrors: [t("auth.invalid")], hideFields: HIDDEN }) }, { status: 400 });
  return startSession(request, user.id, redirectTo);
}

export default function Login() {
  const t = useT();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const [form, fields] = useSchemaForm(LoginSchema, { id: "login", lastResult: result?.result });
  const redirectTo = params.get("redirectTo");
  return (
    <main id="main" className="page auth">
      <h1>{t("auth.signin")}</h1>
      <Form method="post" className="stack card" {...getFormProps(form)} noValidate>
        <FormErrors form={form} />
        <input type="hidden" name="redirectTo" value={redirectTo ?? ""} />
        <TextField label={t("auth.email")} field={fields.email} type="email" autoComplete="email" />
        <TextField label={t("auth.password")} field={fields.password} type="password" autoComplete="current-password" />
        <button type="submit">{t("auth.signin")}</button>
      </Form>
      <p>
        {t("auth.noAccount")} <Link to={`/signup${redirectTo ? `?redirectTo=${encodeURIComponent(redirectTo)}` : ""}`}>{t("auth.signup")}</Link>
      </p>
    </main>
  );
}
