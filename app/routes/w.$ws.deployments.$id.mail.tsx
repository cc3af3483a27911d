// A deployment's invitations (designers and admins): the channel they go out on (e-mail, SMS, or
// e-mail with SMS for those without an address); subject, text and button in Spanish and English with
// their placeholders, the reminders and the daily send window; a preview in both languages, a test
// send, and the funnel of what was sent (sent → opened → started → completed, per send and reminder).
import { getFormProps, type SubmissionResult } from "@conform-to/react";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { requireMember } from "~/auth/guard.server";
import { PLACEHOLDERS, renderInvitationMail, type MailTemplates } from "~/cem/invitation-mail";
import { formatClock } from "~/cem/send-window";
import { CHANNEL_CHOICES, ChannelChoiceSchema, type ChannelChoice } from "~/cem/invitation-channel";
import { Field } from "~/components/Field";
import { FormErrors, SelectField } from "~/components/form/fields";
import { useSchemaForm } from "~/components/form/use-schema-form";
import { deploymentMailConfig, deploymentMailContext, DeploymentMailFormSchema, saveDeploymentChannel, saveDeploymentMail } from "~/data/deployment-mail.server";
import { deploymentFunnel } from "~/data/invitation-events.server";
import { getMailSettingsRow, mailLinkOrigin, sendTestMail } from "~/data/mail-settings.server";
import type { SmtpFailure } from "~/data/mail-transport.server";
import { getSmsSettingsRow } from "~/data/sms.server";
import { RowIdParamSchema } from "~/cem/row-id";
import { LANGS, type Lang } from "~/i18n/lang";
import type { MessageKey } from "~/i18n/messages";
import { useT } from "~/i18n/use-t";
import { submissionOf } from "~/web/conform.server";
import { requestLang } from "~/i18n/lang.server";
import { notFound } from "~/web/responses.server";
import { parseFormData, readFormData, UNREADABLE_FORM } from "~/web/form.server";

const SAMPLE_NAMES: Record<Lang, string> = { es: "Lucía Pérez", en: "Jane Doe" };
const WEEK_MS = 7 * 86_400_000;

function preview(templates: MailTemplates, context: NonNullable<Awaited<ReturnType<typeof deploymentMailContext>>>, origin: string, timeZone: string) {
  const expiresAt = new Date(Date.now() + WEEK_MS);
  return Object.fromEntries(
    LANGS.map((lang) => [
      lang,
      renderInvitationMail({
        template: templates[lang],
        lang,
        values: { brand: context.brand, customerName: SAMPLE_NAMES[lang], touchpoint: context.touchpoint[lang], expiresAt, timeZone },
        link: `${origin}/s/EXAMPLE-TOKEN`,
        unsubscribeUrl: `${origin}/u/EXAMPLE-TOKEN`,
      }),
    ]),
  ) as Record<Lang, ReturnType<typeof renderInvitationMail>>;
}

async function load(request: Request, params: { ws?: string; id?: string }) {
  const { user, workspace } = await requireMember(request, params.ws, "surveys:deploy");
  const id = RowIdParamSchema.safeParse(params.id);
  const context = id.success ? await deploymentMailContext(workspace.id, id.data) : null;
  if (!id.success || !context) throw notFound();
  return { user, workspace, deploymentId: id.data, context };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { workspace, deploymentId, context } = await load(request, params);
  const config = await deploymentMailConfig(workspace.id, deploymentId);
  const settings = await getMailSettingsRow(workspace.id);
  const origin = settings ? mailLinkOrigin(settings) : new URL(request.url).origin;
  return {
    deploymentName: context.name,
    config,
    hasSettings: Boolean(settings),
    transports: { email: Boolean(settings), sms: Boolean(await getSmsSettingsRow(workspace.id)) },
    preview: preview(config.templates, context, origin, settings?.timeZone ?? "Europe/Madrid"),
    funnel: await deploymentFunnel(workspace.id, deploymentId),
  };
}

const TestSchema = z.object({ to: z.email("Send a test to: an e-mail address."), lang: z.enum(LANGS) });

type ActionResult =
  | { intent: "channel"; result: SubmissionResult<string[]> }
  | { intent: "save"; ok: true }
  | { intent: "save"; ok: false; errors: Record<string, string>; values: Record<string, string> }
  | { intent: "test"; ok: true; lang: Lang; response: string }
  | { intent: "test"; ok: false; reason: SmtpFailure | null; detail: string };

export async function action({ request, params }: ActionFunctionArgs) {
  const { workspace, deploymentId, context } = await load(request, params);
  const formData = await readFormData(request);
  if (!formData) return data<ActionResult>({ intent: "save", ok: false, errors: { _form: UNREADABLE_FORM }, values: {} }, { status: 400 });
  if (formData.get("intent") === "channel") {
    const submission = submissionOf(formData, ChannelChoiceSchema, await requestLang(request));
    if (submission.status !== "success") return data<ActionResult>({ intent: "channel", result: submission.reply() }, { status: 400 });
    if (!(await saveDeploymentChannel(workspace.id, deploymentId, submission.value.channel))) throw notFound();
    return data<ActionResult>({ intent: "channel", result: submission.reply() });
  }
  if (formData.get("intent") === "test") {
    const parsed = parseFormData(formData, TestSchema);
    if (!parsed.ok) return data<ActionResult>({ intent: "test", ok: false, reason: null, detail: Object.values(parsed.errors)[0] ?? "" }, { status: 400 });
    const settings = await getMailSettingsRow(workspace.id);
    if (!settings) return data<ActionResult>({ intent: "test", ok: false, reason: null, detail: "Set up the workspace's mail server first." }, { status: 400 });
    const config = await deploymentMailConfig(workspace.id, deploymentId);
    const message = preview(config.templates, context, mailLinkOrigin(settings), settings.timeZone)[parsed.data.lang];
    const sent = await sendTestMail(settings, parsed.data.to, message);
    return sent.ok
      ? { intent: "test" as const, ok: true as const, lang: parsed.data.lang, response: sent.response }
      : { intent: "test" as const, ok: false as const, reason: sent.error.reason, detail: sent.error.detail };
  }
  const parsed = parseFormData(formData, DeploymentMailFormSchema);
  if (!parsed.ok) return data<ActionResult>({ intent: "save", ok: false, errors: parsed.errors, values: parsed.values }, { status: 400 });
  await saveDeploymentMail(workspace.id, deploymentId, parsed.data);
  return { intent: "save" as const, ok: true as const };
}

export default function DeploymentMailPage() {
  const { deploymentName, config, hasSettings, preview, funnel } = useLoaderData<typeof loader>();
  const result = useActionData<ActionResult>();
  const t = useT();
  const busy = useNavigation().state !== "idle";
  const errors = result?.intent === "save" && !result.ok ? result.errors : {};
  const typed = result?.intent === "save" && !result.ok ? result.values : {};
  const value = (name: string, fallback: string | number) => typed[name] ?? String(fallback);
  const rate = funnel.total.responseRate;
  return (
    <>
      <h1>
        {t("mail.deployment.title")} · {deploymentName}
      </h1>
      {!hasSettings ? <p className="notice">{t("mail.deployment.noSettings")}</p> : null}
      <ChannelForm channel={config.channel} result={result?.intent === "channel" ? result.result : undefined} />

      <section className="card" aria-label={t("mail.deployment.funnel")}>
        <h2>{t("mail.deployment.funnel")}</h2>
        <table data-testid="funnel">
          <thead>
            <tr>
              <th scope="col">{t("mail.deployment.send")}</th>
              <th scope="col">{t("mail.deployment.sent")}</th>
              <th scope="col">{t("mail.deployment.opened")}</th>
              <th scope="col">{t("mail.deployment.started")}</th>
              <th scope="col">{t("mail.deployment.completed")}</th>
            </tr>
          </thead>
          <tbody>
            {funnel.bySend.map((r) => (
              <tr key={r.seq}>
                <th scope="row">{r.seq === 0 ? t("mail.deployment.send0") : t("mail.deployment.sendN", { n: r.seq })}</th>
                <td>{r.sent}</td>
                <td>{r.opened}</td>
                <td>{r.started}</td>
                <td>{r.completed}</td>
              </tr>
            ))}
            <tr>
              <th scope="row">{t("mail.deployment.total")}</th>
              <td>{funnel.total.sent}</td>
              <td>{funnel.total.opened}</td>
              <td>{funnel.total.started}</td>
              <td>{funnel.total.completed}</td>
            </tr>
          </tbody>
        </table>
        <p>
          {t("mail.deployment.rate")}: {rate === null ? t("mail.deployment.rateNone") : `${(rate * 100).toFixed(1)} % (${funnel.total.completed}/${funnel.total.sent}, n = ${funnel.total.sent})`}
        </p>
      </section>

      <Form method="post" className="card stack" aria-label={t("mail.deployment.title")}>
        <input type="hidden" name="intent" value="save" />
        <p className="muted">{t("mail.deployment.intro", { placeholders: PLACEHOLDERS.map((p) => `{{${p}}}`).join(" ") })}</p>
        {errors._form ? <p className="error">{errors._form}</p> : null}
        {LANGS.map((lang) => (
          <fieldset key={lang}>
            <legend>{lang === "es" ? "Español" : "English"}</legend>
            <Field label={t("mail.deployment.subject")} name={`${lang}.subject`} defaultValue={value(`${lang}.subject`, config.templates[lang].subject)} error={errors[`${lang}.subject`]} />
            <Field label={t("mail.deployment.text")} name={`${lang}.text`} multiline defaultValue={value(`${lang}.text`, config.templates[lang].text)} error={errors[`${lang}.text`]} />
            <Field label={t("mail.deployment.button")} name={`${lang}.button`} defaultValue={value(`${lang}.button`, config.templates[lang].button)} error={errors[`${lang}.button`]} />
          </fieldset>
        ))}
        <div className="row">
          <Field label={t("mail.deployment.reminders")} name="reminders" type="number" min={0} max={2} defaultValue={value("reminders", config.reminders)} error={errors.reminders} />
          <Field label={t("mail.deployment.reminderDays")} name="reminderDays" type="number" min={1} defaultValue={value("reminderDays", config.reminderDays)} error={errors.reminderDays} />
          <Field label={t("mail.deployment.windowStart")} name="windowStart" defaultValue={value("windowStart", formatClock(config.window.start))} error={errors.windowStart} />
          <Field label={t("mail.deployment.windowEnd")} name="windowEnd" defaultValue={value("windowEnd", formatClock(config.window.end))} error={errors.windowEnd} />
        </div>
        <button type="submit" disabled={busy}>
          {t("mail.deployment.save")}
        </button>
        {result?.intent === "save" && result.ok ? <p role="status">{t("mail.deployment.saved")}</p> : null}
      </Form>

      <section className="card" aria-label={t("mail.deployment.preview")}>
        <h2>{t("mail.deployment.preview")}</h2>
        {LANGS.map((lang) => (
          <article key={lang} lang={lang} data-testid={`preview-${lang}`}>
            <h3>{preview[lang].subject}</h3>
            <pre className="mail-text">{preview[lang].text}</pre>
          </article>
        ))}
        {hasSettings ? (
          <Form method="post" className="row">
            <input type="hidden" name="intent" value="test" />
            <Field label={t("mail.deployment.testSend")} name="to" type="email" required />
            <select name="lang" aria-label="lang" defaultValue="es">
              {LANGS.map((l) => (
                <option key={l} value={l}>
                  {l}
                </option>
              ))}
            </select>
            <button type="submit" disabled={busy}>
              {t("mail.testSend")}
            </button>
          </Form>
        ) : null}
        {result?.intent === "test" ? (
          result.ok ? (
            <p role="status">{t("mail.deployment.testSent", { lang: result.lang, response: result.response })}</p>
          ) : (
            <p role="alert" className="error">
              {result.reason ? t("mail.testFailed", { reason: t(`mail.error.${result.reason}` as MessageKey) }) : null} {result.detail}
            </p>
          )
        ) : null}
      </section>
    </>
  );
}

/** The channel the deployment's invitations go out on, with what the workspace can send with. */
function ChannelForm({ channel, result }: { channel: ChannelChoice; result?: SubmissionResult<string[]> }) {
  const { transports } = useLoaderData<typeof loader>();
  const t = useT();
  const [form, fields] = useSchemaForm(ChannelChoiceSchema, { id: "channel", lastResult: result, defaultValue: { channel } });
  const yesNo = (on: boolean) => t(on ? "mail.channel.yes" : "mail.channel.no");
  return (
    <Form method="post" className="card stack" aria-labelledby="channel-title" {...getFormProps(form)} noValidate>
      <h2 id="channel-title">{t("mail.channel.title")}</h2>
      <input type="hidden" name="intent" value="channel" />
      <FormErrors form={form} />
      <p className="muted">{t("mail.channel.transports", { email: yesNo(transports.email), sms: yesNo(transports.sms) })}</p>
      <SelectField
        field={fields.channel}
        label={t("mail.channel.label")}
        hint={t("mail.channel.hint")}
        options={CHANNEL_CHOICES.map((c) => ({ value: c, label: t(`mail.channel.${c}`) }))}
      />
      <button type="submit">{t("mail.channel.save")}</button>
      {result?.status === "success" ? <p role="status">{t("mail.channel.saved")}</p> : null}
    </Form>
  );
}
