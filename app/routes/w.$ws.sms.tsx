// SMS (admins): the workspace's HTTP SMS provider, a test send that explains any failure, and each
// deployment's invitation text in Spanish and English with its length. The auth header's value is
// write-only: no page, not even the reply to a refused form, carries it back.
import { getFormProps, type SubmissionResult } from "@conform-to/react";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { requireMember } from "~/auth/guard.server";
import { DEFAULT_SMS_BODY_TEMPLATE } from "~/cem/sms-body";
import { DeploymentSmsTextSchema, SMS_SECRET_FIELDS, SmsSettingsSchema, SmsTestSchema } from "~/cem/sms-settings";
import { DEFAULT_SMS_TEXTS, renderSmsText, smsLength } from "~/cem/sms-text";
import { CheckboxField, FormErrors, SelectField, TextField } from "~/components/form/fields";
import { useSchemaForm } from "~/components/form/use-schema-form";
import { getSmsSettings, listDeploymentSmsTexts, saveDeploymentSmsText, saveSmsSettings, type DeploymentSmsText } from "~/data/sms-settings.server";
import { sendSms, type SmsResult } from "~/data/sms.server";
import { workspaceBrand } from "~/data/workspaces.server";
import { LANGS, type Lang } from "~/i18n/lang";
import { requestLang } from "~/i18n/lang.server";
import { translator, type MessageKey } from "~/i18n/messages";
import { useLang, useT } from "~/i18n/use-t";
import { submissionOf } from "~/web/conform.server";
import { clientAddress } from "~/web/context";
import { parseSubmission } from "~/web/form-schema";
import { readFormData } from "~/web/request-body.server";

/** The form's starting values for a workspace without settings. */
const SMS_SETTINGS_DEFAULTS = { url: "", authHeaderName: "Authorization", authHeaderEnv: "", bodyTemplate: DEFAULT_SMS_BODY_TEMPLATE, senderId: "" };

// A link as long as a real invitation's, for the length shown beside each text.
const SAMPLE_LINK = "https://encuestas.example.com/s/" + "x".repeat(32);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { workspace } = await requireMember(request, params.ws, "settings:edit");
  const settings = await getSmsSettings(workspace.id);
  return {
    settings: settings
      ? {
          url: settings.url,
          authHeaderName: settings.authHeaderName,
          authHeaderEnv: settings.authHeaderEnv,
          authSet: settings.authSet,
          bodyTemplate: settings.bodyTemplate,
          senderId: settings.senderId,
        }
      : null,
    brand: await workspaceBrand(workspace.id),
    deployments: await listDeploymentSmsTexts(workspace.id),
  };
}

type ActionResult =
  | { intent: "settings"; result: SubmissionResult<string[]> }
  | { intent: "test"; result: SubmissionResult<string[]>; sent: SmsResult | null }
  | { intent: "texts"; result: SubmissionResult<string[]>; deploymentId: number | null };

// Every reply leaves the auth value out: conform's reply carries the typed values back into the page.
const hideSecrets = { hideFields: SMS_SECRET_FIELDS };

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { workspace, user } = await requireMember(request, params.ws, "settings:edit");
  const lang = await requestLang(request);
  const t = translator(lang);
  const formData = await readFormData(request);
  const intent = formData?.get("intent");
  if (!formData || (intent !== "settings" && intent !== "test" && intent !== "texts")) {
    const result = parseSubmission(new FormData(), SmsSettingsSchema, lang).reply({ formErrors: [t(formData ? "sms.error.intent" : "form.unreadable")] });
    return data<ActionResult>({ intent: "settings", result }, { status: 400 });
  }
  switch (intent) {
    case "settings": {
      const submission = submissionOf(formData, SmsSettingsSchema, lang);
      if (submission.status !== "success") return data<ActionResult>({ intent, result: submission.reply(hideSecrets) }, { status: 400 });
      const saved = await saveSmsSettings(workspace.id, submission.value, user.id, clientAddress(context) || null);
      if (!saved.ok) {
        const fieldErrors = Object.fromEntries(Object.entries(saved.errors).map(([field, problem]) => [field, [problem[lang]]]));
        return data<ActionResult>({ intent, result: submission.reply({ ...hideSecrets, fieldErrors }) }, { status: 400 });
      }
      return data<ActionResult>({ intent, result: submission.reply(hideSecrets) });
    }
    case "test": {
      const submission = submissionOf(formData, SmsTestSchema, lang);
      if (submission.status !== "success") return data<ActionResult>({ intent, result: submission.reply(), sent: null }, { status: 400 });
      const text = renderSmsText(null, submission.value.lang, { link: SAMPLE_LINK, brand: await workspaceBrand(workspace.id) });
      const sent = await sendSms(workspace.id, { to: submission.value.to, text });
      // A failed send is the provider's answer, not a bad form: 200 with the explanation.
      return data<ActionResult>({ intent, result: submission.reply(), sent });
    }
    case "texts": {
      const submission = submissionOf(formData, DeploymentSmsTextSchema, lang);
      const deploymentId = Number(submission.payload.deploymentId) || null;
      if (submission.status !== "success") return data<ActionResult>({ intent, result: submission.reply(), deploymentId }, { status: 400 });
      const saved = await saveDeploymentSmsText(workspace.id, submission.value);
      if (saved === null) throw new Response("Not found", { status: 404 });
      if (!saved.ok) {
        const fieldErrors = Object.fromEntries(Object.entries(saved.errors).map(([field, problem]) => [field, [problem[lang]]]));
        return data<ActionResult>({ intent, result: submission.reply({ fieldErrors }), deploymentId }, { status: 400 });
      }
      return data<ActionResult>({ intent, result: submission.reply(), deploymentId });
    }
  }
}

function LengthNote({ text, lang, brand }: { text: string; lang: Lang; brand: string }) {
  const t = useT();
  const length = smsLength(renderSmsText(text, lang, { link: SAMPLE_LINK, brand }));
  return (
    <span className={length.segments > 1 ? "field-error" : "muted"}>
      {t("sms.length", { units: length.units, per: length.perSegment, segments: length.segments, encoding: length.encoding })}
    </span>
  );
}

function SendOutcome({ sent }: { sent: SmsResult }) {
  const t = useT();
  if (sent.outcome === "accepted") {
    return (
      <p role="status" className="notice">
        {t("sms.test.accepted", { status: sent.status })} {sent.response ? <code>{sent.response}</code> : null}
      </p>
    );
  }
  return (
    <div role="alert" className="field-error">
      <p>
        <strong>{t(sent.outcome === "temporary" ? "sms.test.temporary" : "sms.test.permanent")}</strong> {t(`sms.reason.${sent.reason}` as MessageKey)}
        {sent.status !== null ? ` (HTTP ${sent.status})` : ""}
      </p>
      {sent.detail ? <pre className="excerpt">{sent.detail}</pre> : null}
    </div>
  );
}

export default function SmsPage() {
  const loaded = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <>
      <h1>{t("sms.title")}</h1>
      <p className="muted">{t("sms.intro")}</p>

      <h2 id="provider">{t("sms.provider")}</h2>
      <ProviderForm />

      <h2 id="test">{t("sms.test.title")}</h2>
      <TestForm />

      <h2 id="texts">{t("sms.texts")}</h2>
      <p className="muted">{t("sms.textsHint")}</p>
      {loaded.deployments.length === 0 ? <p>{t("sms.noDeployments")}</p> : null}
      {loaded.deployments.map((d) => (
        <TextsForm key={d.deploymentId} deployment={d} />
      ))}
    </>
  );
}

function ProviderForm() {
  const loaded = useLoaderData<typeof loader>();
  const answer = useActionData<ActionResult>();
  const result = answer?.intent === "settings" ? answer.result : undefined;
  const t = useT();
  const current = loaded.settings ?? { ...SMS_SETTINGS_DEFAULTS, authSet: false };
  const { authSet, ...defaultValue } = current;
  const [form, fields] = useSchemaForm(SmsSettingsSchema, { id: "sms-provider", lastResult: result, defaultValue });
  return (
    <Form method="post" className="card stack" aria-labelledby="provider" {...getFormProps(form)} noValidate>
      <input type="hidden" name="intent" value="settings" />
      {result?.status === "success" ? <p role="status">{t("sms.saved")}</p> : null}
      <FormErrors form={form} />
      <TextField field={fields.url} label={t("sms.url")} type="url" hint={t("sms.urlHint")} />
      <div className="row">
        <TextField field={fields.authHeaderName} label={t("sms.headerName")} />
        <TextField field={fields.authHeaderValue} label={t("sms.headerValue")} type="password" autoComplete="off" hint={authSet ? t("sms.headerValueSet") : t("sms.headerValueUnset")} />
        <TextField field={fields.authHeaderEnv} label={t("sms.headerEnv")} hint={t("sms.headerEnvHint")} />
      </div>
      {authSet ? <CheckboxField field={fields.clearAuth} label={t("sms.clearAuth")} /> : null}
      <TextField field={fields.bodyTemplate} label={t("sms.body")} multiline hint={t("sms.bodyHint")} />
      <TextField field={fields.senderId} label={t("sms.sender")} hint={t("sms.senderHint")} />
      <button type="submit">{t("sms.save")}</button>
    </Form>
  );
}

function TestForm() {
  const loaded = useLoaderData<typeof loader>();
  const answer = useActionData<ActionResult>();
  const test = answer?.intent === "test" ? answer : undefined;
  const t = useT();
  const lang = useLang();
  const [form, fields] = useSchemaForm(SmsTestSchema, { id: "sms-test", lastResult: test?.result, defaultValue: { lang } });
  return (
    <Form method="post" className="card stack" aria-labelledby="test" {...getFormProps(form)} noValidate>
      <input type="hidden" name="intent" value="test" />
      <FormErrors form={form} />
      <div className="row">
        <TextField field={fields.to} label={t("sms.test.to")} type="tel" />
        <SelectField
          field={fields.lang}
          label={t("sms.test.lang")}
          options={[
            { value: "es", label: "Español" },
            { value: "en", label: "English" },
          ]}
        />
        <button type="submit" disabled={!loaded.settings}>
          {t("sms.test.send")}
        </button>
      </div>
      {!loaded.settings ? <p className="muted">{t("sms.test.saveFirst")}</p> : null}
      {test?.sent ? <SendOutcome sent={test.sent} /> : null}
    </Form>
  );
}

function TextsForm({ deployment: d }: { deployment: DeploymentSmsText }) {
  const loaded = useLoaderData<typeof loader>();
  const answer = useActionData<ActionResult>();
  const own = answer?.intent === "texts" && answer.deploymentId === d.deploymentId ? answer.result : undefined;
  const t = useT();
  const [form, fields] = useSchemaForm(DeploymentSmsTextSchema, {
    id: `sms-texts-${d.deploymentId}`,
    lastResult: own,
    defaultValue: { deploymentId: String(d.deploymentId), textEs: d.textEs, textEn: d.textEn },
  });
  return (
    <Form method="post" className="card stack" aria-label={d.name} {...getFormProps(form)} noValidate>
      <input type="hidden" name="intent" value="texts" />
      <input type="hidden" name={fields.deploymentId.name} value={d.deploymentId} />
      <h3>{d.name}</h3>
      {own?.status === "success" ? <p role="status">{t("sms.saved")}</p> : null}
      <FormErrors form={form} />
      {LANGS.map((l) => {
        const field = l === "es" ? fields.textEs : fields.textEn;
        // The length follows what is typed (conform tracks the value), or what was stored.
        const text = typeof field.value === "string" ? field.value : "";
        return (
          <div key={l}>
            <TextField field={field} label={t(l === "es" ? "sms.textEs" : "sms.textEn")} multiline hint={t("sms.default", { text: DEFAULT_SMS_TEXTS[l] })} />
            <LengthNote text={text} lang={l} brand={loaded.brand} />
          </div>
        );
      })}
      <button type="submit">{t("sms.save")}</button>
    </Form>
  );
}
