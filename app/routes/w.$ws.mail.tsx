// E-mail settings (admins): the SMTP server invitations leave through, the sender, the rate and the
// time zone, and a test message that reports what the server said. The password is write-only: the
// page shows whether one is set, never the password.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { requireMember } from "~/auth/guard.server";
import { Field } from "~/components/Field";
import { linkOrigin } from "~/data/deployments.server";
import { mailboxDir } from "~/data/mail-catcher.server";
import { getMailSettings, getMailSettingsRow, MailSettingsSchema, saveMailSettings, sendTestMail } from "~/data/mail-settings.server";
import type { SmtpFailure } from "~/data/mail-transport.server";
import { requestLang } from "~/i18n/lang.server";
import { translator, type MessageKey } from "~/i18n/messages";
import { useT } from "~/i18n/use-t";
import { clientAddress } from "~/web/context";
import { parseFormData, readFormData, UNREADABLE_FORM } from "~/web/form.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { workspace } = await requireMember(request, params.ws, "settings:edit");
  const settings = await getMailSettings(workspace.id);
  return { settings, defaultOrigin: linkOrigin(request), mailbox: mailboxDir() !== null };
}

const TestSchema = z.object({ to: z.email("Send to: an e-mail address.") });

type ActionResult =
  | { intent: "save"; ok: true }
  | { intent: "save"; ok: false; errors: Record<string, string>; values: Record<string, string> }
  | { intent: "test"; ok: true; response: string }
  | { intent: "test"; ok: false; reason: SmtpFailure | null; detail: string; errors?: Record<string, string> };

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, workspace } = await requireMember(request, params.ws, "settings:edit");
  const formData = await readFormData(request);
  if (!formData) return data<ActionResult>({ intent: "save", ok: false, errors: { _form: UNREADABLE_FORM }, values: {} }, { status: 400 });
  if (formData.get("intent") === "test") {
    const parsed = parseFormData(formData, TestSchema);
    if (!parsed.ok) return data<ActionResult>({ intent: "test", ok: false, reason: null, detail: "", errors: parsed.errors }, { status: 400 });
    const settings = await getMailSettingsRow(workspace.id);
    if (!settings) return data<ActionResult>({ intent: "test", ok: false, reason: null, detail: "Save the settings first." }, { status: 400 });
    const t = translator(await requestLang(request));
    const sent = await sendTestMail(settings, parsed.data.to, { subject: t("mail.testSubject"), text: t("mail.testText", { workspace: workspace.name }) });
    // A failed test is an answer about the configuration, not a server error: 200 with the reason.
    return sent.ok ? { intent: "test" as const, ok: true as const, response: sent.response } : { intent: "test" as const, ok: false as const, reason: sent.error.reason, detail: sent.error.detail };
  }
  const parsed = parseFormData(formData, MailSettingsSchema);
  if (!parsed.ok) {
    const { password: _password, ...values } = parsed.values;
    void _password;
    return data<ActionResult>({ intent: "save", ok: false, errors: parsed.errors, values }, { status: 400 });
  }
  await saveMailSettings(workspace.id, parsed.data, user.id, clientAddress(context) || null);
  return { intent: "save" as const, ok: true as const };
}

export default function MailSettingsPage() {
  const { settings, defaultOrigin, mailbox } = useLoaderData<typeof loader>();
  const result = useActionData<ActionResult>();
  const t = useT();
  const busy = useNavigation().state !== "idle";
  const saveErrors = result?.intent === "save" && !result.ok ? result.errors : {};
  const typed = result?.intent === "save" && !result.ok ? result.values : {};
  const value = (name: string, fallback: string | number | undefined) => typed[name] ?? String(fallback ?? "");
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
      <Form method="post" className="card stack" aria-label={t("mail.title")}>
        <input type="hidden" name="intent" value="save" />
        {saveErrors._form ? <p className="error">{saveErrors._form}</p> : null}
        <div className="row">
          <Field label={t("mail.host")} name="host" defaultValue={value("host", settings?.host)} error={saveErrors.host} required />
          <Field label={t("mail.port")} name="port" type="number" defaultValue={value("port", settings?.port ?? 587)} error={saveErrors.port} required />
          <label>
            {t("mail.tls")}
            <select name="tlsMode" defaultValue={value("tlsMode", settings?.tlsMode ?? "starttls")}>
              {(["starttls", "tls", "none"] as const).map((m) => (
                <option key={m} value={m}>
                  {t(`mail.tls.${m}` as MessageKey)}
                </option>
              ))}
            </select>
          </label>
        </div>
        <div className="row">
          <Field label={t("mail.username")} name="username" defaultValue={value("username", settings?.username)} error={saveErrors.username} autoComplete="off" />
          <label>
            {t("mail.password")} <span className="muted">({settings?.passwordSet ? t("mail.passwordSet") : t("mail.passwordUnset")})</span>
            <input name="password" type="password" autoComplete="new-password" defaultValue="" />
            {saveErrors.password ? <span className="error">{saveErrors.password}</span> : null}
          </label>
          {settings?.passwordSet ? (
            <label className="inline">
              <input type="checkbox" name="clearPassword" /> {t("mail.clearPassword")}
            </label>
          ) : null}
          <Field label={t("mail.passwordEnv")} name="passwordEnv" defaultValue={value("passwordEnv", settings?.passwordEnv)} error={saveErrors.passwordEnv} placeholder="SMTP_PASSWORD" />
        </div>
        <div className="row">
          <Field label={t("mail.fromName")} name="fromName" defaultValue={value("fromName", settings?.fromName)} error={saveErrors.fromName} required />
          <Field label={t("mail.fromAddress")} name="fromAddress" type="email" defaultValue={value("fromAddress", settings?.fromAddress)} error={saveErrors.fromAddress} required />
        </div>
        <div className="row">
          <Field label={t("mail.linkOrigin")} name="linkOrigin" defaultValue={value("linkOrigin", settings?.linkOrigin || defaultOrigin)} error={saveErrors.linkOrigin} required />
          <Field label={t("mail.rate")} name="ratePerMinute" type="number" defaultValue={value("ratePerMinute", settings?.ratePerMinute ?? 60)} error={saveErrors.ratePerMinute} required />
          <Field label={t("mail.timeZone")} name="timeZone" defaultValue={value("timeZone", settings?.timeZone ?? "Europe/Madrid")} error={saveErrors.timeZone} required />
        </div>
        <button type="submit" disabled={busy}>
          {t("mail.save")}
        </button>
        {result?.intent === "save" && result.ok ? <p role="status">{t("mail.saved")}</p> : null}
      </Form>
      {settings ? (
        <Form method="post" className="card stack" aria-label={t("mail.test")}>
          <h2>{t("mail.test")}</h2>
          <input type="hidden" name="intent" value="test" />
          <Field label={t("mail.testTo")} name="to" type="email" error={result?.intent === "test" && !result.ok ? result.errors?.to : undefined} required />
          <button type="submit" disabled={busy}>
            {t("mail.testSend")}
          </button>
          {result?.intent === "test" ? (
            result.ok ? (
              <p role="status">{t("mail.testOk", { response: result.response })}</p>
            ) : result.reason ? (
              <div role="alert" className="error" data-testid="test-failure">
                <p>{t("mail.testFailed", { reason: t(`mail.error.${result.reason}` as MessageKey) })}</p>
                <p>
                  {t("mail.serverSaid")}: <code>{result.detail}</code>
                </p>
              </div>
            ) : result.detail ? (
              <p className="error">{result.detail}</p>
            ) : null
          ) : null}
        </Form>
      ) : null}
    </>
  );
}
