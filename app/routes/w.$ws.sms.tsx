// SMS (admins): the workspace's HTTP SMS provider, a test send that explains any failure, and each
// deployment's invitation text in Spanish and English with its length.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { requireMember } from "~/auth/guard.server";
import { DEFAULT_SMS_BODY_TEMPLATE } from "~/cem/sms-body";
import { DEFAULT_SMS_TEXTS, renderSmsText, smsLength } from "~/cem/sms-text";
import { Field } from "~/components/Field";
import {
  DeploymentSmsTextSchema,
  getSmsSettings,
  listDeploymentSmsTexts,
  saveDeploymentSmsText,
  saveSmsSettings,
  SmsSettingsSchema,
} from "~/data/sms-settings.server";
import { sendSms, type SmsResult } from "~/data/sms.server";
import { workspaceBrand } from "~/data/workspaces.server";
import { isLang, type Lang } from "~/i18n/lang";
import { useLang, useT } from "~/i18n/use-t";
import type { MessageKey } from "~/i18n/messages";
import { clientAddress } from "~/web/context";
import { parseFormData, readFormData, UNREADABLE_FORM } from "~/web/form.server";

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

/** An error is a message key, or a text already in both languages (body template problems). */
type ErrorText = string | { es: string; en: string };
type Result = { intent: string; ok: boolean; errors: Record<string, ErrorText>; values?: Record<string, string>; sent?: SmsResult; deploymentId?: number };

const TestSchema = z.object({ to: z.string().trim().min(1, "sms.error.to").max(40, "sms.error.to"), lang: z.enum(["es", "en"]).default("es") });

function invalid(intent: string, errors: Record<string, ErrorText>, values?: Record<string, string>, extra: Partial<Result> = {}) {
  return data<Result>({ intent, ok: false, errors, values, ...extra }, { status: 400 });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { workspace, user } = await requireMember(request, params.ws, "settings:edit");
  const formData = await readFormData(request);
  if (!formData) return invalid("", { _form: UNREADABLE_FORM });
  const intent = String(formData.get("intent") ?? "");
  switch (intent) {
    case "settings": {
      const parsed = parseFormData(formData, SmsSettingsSchema);
      // The secret is never sent back into the form.
      const values = { ...parsed.values, authHeaderValue: "" };
      if (!parsed.ok) return invalid(intent, parsed.errors, values);
      const saved = await saveSmsSettings(workspace.id, parsed.data, user.id, clientAddress(context) || null);
      if (!saved.ok) return invalid(intent, saved.errors, values);
      return data<Result>({ intent, ok: true, errors: {} });
    }
    case "test": {
      const parsed = parseFormData(formData, TestSchema);
      if (!parsed.ok) return invalid(intent, parsed.errors, parsed.values);
      const lang: Lang = parsed.data.lang;
      const text = renderSmsText(null, lang, { link: SAMPLE_LINK, brand: await workspaceBrand(workspace.id) });
      const sent = await sendSms(workspace.id, { to: parsed.data.to, text });
      // A failed send is the provider's answer, not a bad form: 200 with the explanation.
      return data<Result>({ intent, ok: sent.outcome === "accepted", errors: {}, values: parsed.values, sent });
    }
    case "texts": {
      const parsed = parseFormData(formData, DeploymentSmsTextSchema);
      if (!parsed.ok) return invalid(intent, parsed.errors, parsed.values);
      const saved = await saveDeploymentSmsText(workspace.id, parsed.data);
      if (saved === null) throw new Response("Not found", { status: 404 });
      if (!saved.ok) return invalid(intent, saved.errors, parsed.values, { deploymentId: parsed.data.deploymentId });
      return data<Result>({ intent, ok: true, errors: {}, deploymentId: parsed.data.deploymentId });
    }
    default:
      return invalid(intent, { _form: "sms.error.intent" });
  }
}

function useErrorText() {
  const t = useT();
  const lang = useLang();
  return (error: ErrorText | undefined) => (error === undefined ? undefined : typeof error === "string" ? t(error as MessageKey) : error[lang]);
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
  const result = useActionData<typeof action>();
  const t = useT();
  const errorText = useErrorText();
  const lang = useLang();
  const current = loaded.settings ?? { ...SMS_SETTINGS_DEFAULTS, authSet: false };
  const mine = (intent: string) => (result?.intent === intent ? result : undefined);
  const settingsResult = mine("settings");
  const values = settingsResult?.values ?? {};
  const value = (name: keyof typeof SMS_SETTINGS_DEFAULTS) => values[name] ?? current[name];
  const err = (name: string) => errorText(settingsResult?.errors[name]);
  const test = mine("test");
  const texts = mine("texts");
  return (
    <>
      <h1>{t("sms.title")}</h1>
      <p className="muted">{t("sms.intro")}</p>

      <h2 id="provider">{t("sms.provider")}</h2>
      <Form method="post" className="card stack" aria-labelledby="provider">
        <input type="hidden" name="intent" value="settings" />
        {settingsResult?.ok ? <p role="status">{t("sms.saved")}</p> : null}
        {err("_form") ? <p className="field-error">{err("_form")}</p> : null}
        <Field label={t("sms.url")} name="url" type="url" required defaultValue={value("url")} error={err("url")} hint={t("sms.urlHint")} />
        <div className="row">
          <Field label={t("sms.headerName")} name="authHeaderName" defaultValue={value("authHeaderName")} error={err("authHeaderName")} />
          <Field
            label={t("sms.headerValue")}
            name="authHeaderValue"
            type="password"
            autoComplete="off"
            error={err("authHeaderValue")}
            hint={current.authSet ? t("sms.headerValueSet") : t("sms.headerValueUnset")}
          />
          <Field label={t("sms.headerEnv")} name="authHeaderEnv" defaultValue={value("authHeaderEnv")} error={err("authHeaderEnv")} hint={t("sms.headerEnvHint")} />
        </div>
        {current.authSet ? (
          <label>
            <input type="checkbox" name="clearAuth" /> {t("sms.clearAuth")}
          </label>
        ) : null}
        <Field label={t("sms.body")} name="bodyTemplate" multiline required defaultValue={value("bodyTemplate")} error={err("bodyTemplate")} hint={t("sms.bodyHint")} />
        <Field label={t("sms.sender")} name="senderId" defaultValue={value("senderId")} error={err("senderId")} hint={t("sms.senderHint")} />
        <button type="submit">{t("sms.save")}</button>
      </Form>

      <h2 id="test">{t("sms.test.title")}</h2>
      <Form method="post" className="card stack" aria-labelledby="test">
        <input type="hidden" name="intent" value="test" />
        <div className="row">
          <Field label={t("sms.test.to")} name="to" type="tel" required defaultValue={test?.values?.to ?? ""} error={errorText(test?.errors.to)} />
          <label>
            {t("sms.test.lang")}
            <select name="lang" defaultValue={test?.values?.lang ?? lang}>
              <option value="es">Español</option>
              <option value="en">English</option>
            </select>
          </label>
          <button type="submit" disabled={!loaded.settings}>
            {t("sms.test.send")}
          </button>
        </div>
        {!loaded.settings ? <p className="muted">{t("sms.test.saveFirst")}</p> : null}
        {test?.sent ? <SendOutcome sent={test.sent} /> : null}
      </Form>

      <h2 id="texts">{t("sms.texts")}</h2>
      <p className="muted">{t("sms.textsHint")}</p>
      {loaded.deployments.length === 0 ? <p>{t("sms.noDeployments")}</p> : null}
      {loaded.deployments.map((d) => {
        const own = texts?.deploymentId === d.deploymentId ? texts : undefined;
        const textEs = own?.values?.textEs ?? d.textEs;
        const textEn = own?.values?.textEn ?? d.textEn;
        return (
          <Form method="post" className="card stack" key={d.deploymentId} aria-label={d.name}>
            <input type="hidden" name="intent" value="texts" />
            <input type="hidden" name="deploymentId" value={d.deploymentId} />
            <h3>{d.name}</h3>
            {own?.ok ? <p role="status">{t("sms.saved")}</p> : null}
            {(["es", "en"] as const).map((l) => (
              <div key={l}>
                <Field
                  label={t(l === "es" ? "sms.textEs" : "sms.textEn")}
                  name={l === "es" ? "textEs" : "textEn"}
                  id={`sms-${d.deploymentId}-${l}`}
                  multiline
                  defaultValue={l === "es" ? textEs : textEn}
                  error={errorText(own?.errors[l === "es" ? "textEs" : "textEn"])}
                  hint={t("sms.default", { text: DEFAULT_SMS_TEXTS[l] })}
                />
                <LengthNote text={l === "es" ? textEs : textEn} lang={isLang(l) ? l : "es"} brand={loaded.brand} />
              </div>
            ))}
            <button type="submit">{t("sms.save")}</button>
          </Form>
        );
      })}
    </>
  );
}
