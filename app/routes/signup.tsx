// Create an account. Pending workspace invitations for the email are accepted on the way in.
import { getFormProps } from "@conform-to/react";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { getUser, startSession } from "~/auth/session.server";
import { FormErrors, TextField } from "~/components/form/fields";
import { useSchemaForm } from "~/components/form/use-schema-form";
import { createUser } from "~/data/users.server";
import { useT } from "~/i18n/use-t";
import { formText } from "~/web/form-schema";
import { parseRequestForm } from "~/web/conform.server";
import { safeRedirect } from "~/web/redirect-target";
import { retryAfter } from "~/web/retry-after";
import { limitSignUp, tooManyRequests } from "~/web/rate-limit.server";

export const meta: MetaFunction = () => [{ title: "Vivencia — create account" }];
// A refused attempt's Retry-After reaches the browser.
export const headers = ({ actionHeaders }: { actionHeaders: Headers }) => retryAfter(actionHeaders);

export const SignupSchema = z.object({
  name: formText(120),
  email: z.string().trim().pipe(z.email().max(254)),
  password: z.string().min(10).max(200),
  redirectTo: z.string().optional(),
});

/** The password never travels back to the page. */
const HIDDEN = ["password"];

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getUser(request)) throw redirect("/workspaces");
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { submission, unreadable, t } = await parseRequestForm(request, SignupSchema);
  if (unreadable) return data({ result: unreadable }, { status: 400 });
  if (submission.status !== "success") return data({ result: submission.reply({ hideFields: HIDDEN }) }, { status: 400 });
  // Before the password is hashed (scrypt, 64 MiB).
  const limited = await limitSignUp(request, context);
  if (limited) return tooManyRequests({ result: submission.reply({ formErrors: [limited.message], hideFields: HIDDEN }) }, limited);
  const created = await createUser(submission.value);
  if (!created.ok) return data({ result: submission.reply({ formErrors: [t("auth.emailTaken")], hideFields: HIDDEN }) }, { status: 400 });
  return startSession(request, created.user.id, safeRedirect(submission.value.redirectTo, "/workspaces"));
}

export default function Signup() {
  const t = useT();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const [form, fields] = useSchemaForm(SignupSchema, { id: "signup", lastResult: result?.result });
  return (
    <main id="main" className="page auth">
      <h1>{t("auth.signup")}</h1>
      <Form method="post" className="stack card" {...getFormProps(form)} noValidate>
        <FormErrors form={form} />
        <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? ""} />
        <TextField label={t("auth.name")} field={fields.name} autoComplete="name" />
        <TextField label={t("auth.email")} field={fields.email} type="email" autoComplete="email" />
        <TextField label={t("auth.password")} field={fields.password} type="password" autoComplete="new-password" hint={t("auth.passwordHint")} />
        <button type="submit">{t("auth.signup")}</button>
      </Form>
      <p>
        {t("auth.haveAccount")} <Link to="/login">{t("auth.signin")}</Link>
      </p>
    </main>
  );
}
