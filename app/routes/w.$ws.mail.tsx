// E-mail settings (admins): the SMTP server invitations leave through, the sender, the rate and the
// time zone, and a test message that reports what the server said. The password is write-only: the
// page shows whether one is set, never the password, not even in the reply to a refused form.
import { getFormProps, type SubmissionResult } from "@conform-to/react";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requireMember } from "~/auth/guard.server";
import { MAIL_SECRET_FIELDS, MAIL_TLS_MODES, MailSettingsSchema, MailTestSchema } from "~/cem/mail-settings";
import { CheckboxField, FormErrors, SelectField, TextField } from "~/components/form/fields";
import { useSchemaForm } from "~/components/form/use-schema-form";
import { linkOrigin } from "~/data/deployments.server";
import { mailboxDir } from "~/data/mail-catcher.server";
import { getMailSettings, getMailSettingsRow, saveMailSettings, sendTestMail } from "~/data/mail-settings.server";
import type { SmtpFailure } from "~/data/mail-transport.server";
import { requestLang } from "~/i18n/lang.server";
import { translator, type MessageKey } from "~/i18n/messages";
import { useT } from "~/i18n/use-t";
import { submissionOf } from "~/web/conform.server";
import { clientAddress } from "~/web/context";
import { parseSubmission } from "~/web/form-schema";
import { readFormData } from "~/web/request-body.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { workspace } = await requireMember(request, params.ws, "settings:edit");
  const settings = await getMailSettings(workspace.id);
  return { settings, defaultOrigin: linkOrigin(request), mailbox: mailboxDir() !== null };
}

/** What the test send came to: the server's answer, or its refusal explained. */
type TestOutcome = { ok: true; response: string } | { ok: false; reason: SmtpFailure; detail: string };

type ActionResult = { intent: "save"; result: SubmissionResult<string[]> } | { intent: "test"; result: SubmissionResult<string[]>; outcome: TestOutcome | null };

// Every reply leaves the password out: conform's reply carries the typed values back into the page.
const hideSecrets = { hideFields: MAIL_SECRET_FIELDS };

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, workspace } = await requireMember(request, params.ws, "settings:edit");
  const lang = await requestLang(request);
  const t = translator(lang);
  const formData = await readFormData(request);
  if (!formData) {
    const result = parseSubmission(new FormData(), MailSettingsSchema, lang).reply({ formErrors: [t("form.unreadable")] });
    return data<ActionResult>({ intent: "save", result }, { status: 400 });
  }
  if (formData.get("intent") === "test") {
    const submission = submissionOf(formData, MailTestSchema, lang);
    if (submission.status !== "success") return data<ActionResult>({ intent: "test", result: submission.reply(), outcome: null }, { status: 400 });
    const settings = await getMailSettingsRow(workspace.id);
    if (!settings) return data<ActionResult>({ intent: "test", result: submission.reply({ formErrors: [t("mail.form.saveFirst")] }), outcome: null }, { status: 400 });
    const sent = await sendTestMail(settings, submission.value.to, { subject: t("mail.testSubject"), text: t("mail.testText", { workspace: workspace.name }) });
    // A failed test is an answer about the configuration, not a bad form: 200 with the reason.
    const outcome: TestOutcome = sent.ok ? { ok: true, response: sent.response } : { ok: false, reason: sent.error.reason, detail: sent.error.detail };
    return data<ActionResult>({ intent: "test", result: submission.reply(), outcome });
  }
  const submission = submissionOf(formData, MailSettingsSchema, lang);
  if (submission.status !== "success") return data<ActionResult>({ intent: "save", result: submission.reply(hideSecrets) }, { status: 400 });
  await saveMailSettings(workspace.id, submission.value, user.id, clientAddress(context) || null);
  return data<ActionResult>({ intent: "save", result: submission.reply(hideSecrets) });
}

export default function MailSettingsPage() {
  const { settings, mailbox } = useLoaderData<typeof loader>();
  const answer = useActionData<ActionResult>();
  const t = useT();
  return (
    <>
      <h1>{t("mail.title")}</h1>
      <p className="muted">{t("mail.intro")}</p>
      {mailbox ? (
        <p>
          <Link to="../mailbox">{t("mail.mailboxLink")}</Link>
        </p>
      ) : null}
      {!settings ? <p className="notice">{t("mail.notSet")}</p> : null}
      <SettingsForm />
      {/* Without settings there is nothing to test, unless a test was just refused for that reason. */}
      {settings || answer?.intent === "test" ? <TestForm /> : null}
    </>
  );
}

function SettingsForm() {
  const { settings, defaultOrigin } = useLoaderData<typeof loader>();
  const answer = useActionData<ActionResult>();
  const result = answer?.intent === "save" ? answer.result : undefined;
  const t = useT();
  const busy = useNavigation().state !== "idle";
  const [form, fields] = useSchemaForm(MailSettingsSchema, {
    id: "mail-settings",
    lastResult: result,
    defaultValue: {
      host: settings?.host ?? "",
      port: String(settings?.port ?? 587),
      tlsMode: settings?.tlsMode ?? "starttls",
      username: settings?.username ?? "",
      passwordEnv: settings?.passwordEnv ?? "",
      fromName: settings?.fromName ?? "",
      fromAddress: settings?.fromAddress ?? "",
      linkOrigin: settings?.linkOrigin || defaultOrigin,
      ratePerMinute: String(settings?.ratePerMinute ?? 60),
      timeZone: settings?.timeZone ?? "Europe/Madrid",
    },
  });
  return (
    <Form method="post" className="card stack" aria-label={t("mail.title")} {...getFormProps(form)} noValidate>
      <input type="hidden" name="intent" value="save" />
      <FormErrors form={form} />
      <div className="row">
        <TextField field={fields.host} label={t("mail.host")} />
        <TextField field={fields.port} label={t("mail.port")} type="number" />
        <SelectField field={fields.tlsMode} label={t("mail.tls")} options={MAIL_TLS_MODES.map((m) => ({ value: m, label: t(`mail.tls.${m}` as MessageKey) }))} />
      </div>
      <div className="row">
        <TextField field={fields.username} label={t("mail.username")} autoComplete="off" />
        <TextField
          field={fields.password}
          label={t("mail.password")}
          type="password"
          autoComplete="new-password"
          hint={`(${settings?.passwordSet ? t("mail.passwordSet") : t("mail.passwordUnset")})`}
        />
        {settings?.passwordSet ? <CheckboxField field={fields.clearPassword} label={t("mail.clearPassword")} /> : null}
        <TextField field={fields.passwordEnv} label={t("mail.passwordEnv")} placeholder="SMTP_PASSWORD" />
      </div>
      <div className="row">
        <TextField field={fields.fromName} label={t("mail.fromName")} />
        <TextField field={fields.fromAddress} label={t("mail.fromAddress")} type="email" />
      </div>
      <div className="row">
        <TextField field={fields.linkOrigin} label={t("mail.linkOrigin")} />
        <TextField field={fields.ratePerMinute} label={t("mail.rate")} type="number" />
        <TextField field={fields.timeZone} label={t("mail.timeZone")} />
      </div>
      <button type="submit" disabled={busy}>
        {t("mail.save")}
      </button>
      {result?.status === "success" ? <p role="status">{t("mail.saved")}</p> : null}
    </Form>
  );
}

function TestForm() {
  const answer = useActionData<ActionResult>();
  const test = answer?.intent === "test" ? answer : undefined;
  const t = useT();
  const busy = useNavigation().state !== "idle";
  const [form, fields] = useSchemaForm(MailTestSchema, { id: "mail-test", lastResult: test?.result });
  const outcome = test?.outcome;
  return (
    <Form method="post" className="card stack" aria-label={t("mail.test")} {...getFormProps(form)} noValidate>
      <h2>{t("mail.test")}</h2>
      <input type="hidden" name="intent" value="test" />
      <FormErrors form={form} />
      <TextField field={fields.to} label={t("mail.testTo")} type="email" />
      <button type="submit" disabled={busy}>
        {t("mail.testSend")}
      </button>
      {outcome?.ok ? <p role="status">{t("mail.testOk", { response: outcome.response })}</p> : null}
      {outcome && !outcome.ok ? (
        <div role="alert" className="error" data-testid="test-failure">
          <p>{t("mail.testFailed", { reason: t(`mail.error.${outcome.reason}` as MessageKey) })}</p>
          <p>
            {t("mail.serverSaid")}: <code>{outcome.detail}</code>
          </p>
        </div>
      ) : null}
    </Form>
  );
}
