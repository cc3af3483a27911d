// A deployment's invitations (designers and admins): the channel they go out on (e-mail, SMS, or
// e-mail with SMS for those without an address); subject, text and button in Spanish and English with
// their placeholders, the reminders and the daily send window; a preview in both languages, a test
// send, and the funnel of what was sent (sent → opened → started → completed, per send and reminder).
import { getFormProps, type SubmissionResult } from "@conform-to/react";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requireMember } from "~/auth/guard.server";
import { deploymentMailInput, DeploymentMailFormSchema, DeploymentMailTestSchema } from "~/cem/deployment-mail-form";
import { PLACEHOLDERS, renderInvitationMail, type MailTemplates } from "~/cem/invitation-mail";
import { formatClock } from "~/cem/send-window";
import { CHANNEL_CHOICES, ChannelChoiceSchema, type ChannelChoice } from "~/cem/invitation-channel";
import { FormErrors, SelectField, TextField } from "~/components/form/fields";
import { useSchemaForm } from "~/components/form/use-schema-form";
import { deploymentMailConfig, deploymentMailContext, saveDeploymentChannel, saveDeploymentMail } from "~/data/deployment-mail.server";
import { deploymentFunnel } from "~/data/invitation-events.server";
import { getMailSettingsRow, mailLinkOrigin, sendTestMail } from "~/data/mail-settings.server";
import type { SmtpFailure } from "~/data/mail-transport.server";
import { getSmsSettingsRow } from "~/data/sms.server";
import { RowIdParamSchema } from "~/cem/row-id";
import { LANGS, type Lang } from "~/i18n/lang";
import { translator, type MessageKey } from "~/i18n/messages";
import { useT } from "~/i18n/use-t";
import { submissionOf } from "~/web/conform.server";
import { requestLang } from "~/i18n/lang.server";
import { parseSubmission } from "~/web/form-schema";
import { notFound } from "~/web/responses.server";
import { readFormData } from "~/web/request-body.server";

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

/** What the test send came to: the server's answer, or its refusal explained. */
type TestOutcome = { ok: true; lang: Lang; response: string } | { ok: false; reason: SmtpFailure; detail: string };

type ActionResult =
  | { intent: "channel"; result: SubmissionResult<string[]> }
  | { intent: "save"; result: SubmissionResult<string[]> }
  | { intent: "test"; result: SubmissionResult<string[]>; outcome: TestOutcome | null };

export async function action({ request, params }: ActionFunctionArgs) {
  const { workspace, deploymentId, context } = await load(request, params);
  const lang = await requestLang(request);
  const t = translator(lang);
  const formData = await readFormData(request);
  if (!formData) {
    const result = parseSubmission(new FormData(), DeploymentMailFormSchema, lang).reply({ formErrors: [t("form.unreadable")] });
    return data<ActionResult>({ intent: "save", result }, { status: 400 });
  }
  if (formData.get("intent") === "channel") {
    const submission = submissionOf(formData, ChannelChoiceSchema, lang);
    if (submission.status !== "success") return data<ActionResult>({ intent: "channel", result: submission.reply() }, { status: 400 });
    if (!(await saveDeploymentChannel(workspace.id, deploymentId, submission.value.channel))) throw notFound();
    return data<ActionResult>({ intent: "channel", result: submission.reply() });
  }
  if (formData.get("intent") === "test") {
    const submission = submissionOf(formData, DeploymentMailTestSchema, lang);
    if (submission.status !== "success") return data<ActionResult>({ intent: "test", result: submission.reply(), outcome: null }, { status: 400 });
    const settings = await getMailSettingsRow(workspace.id);
    if (!settings) return data<ActionResult>({ intent: "test", result: submission.reply({ formErrors: [t("mail.deployment.noSettings")] }), outcome: null }, { status: 400 });
    const config = await deploymentMailConfig(workspace.id, deploymentId);
    const message = preview(config.templates, context, mailLinkOrigin(settings), settings.timeZone)[submission.value.lang];
    const sent = await sendTestMail(settings, submission.value.to, message);
    // A failed test is an answer about the configuration, not a bad form: 200 with the reason.
    const outcome: TestOutcome = sent.ok ? { ok: true, lang: submission.value.lang, response: sent.response } : { ok: false, reason: sent.error.reason, detail: sent.error.detail };
    return data<ActionResult>({ intent: "test", result: submission.reply(), outcome });
  }
  const submission = submissionOf(formData, DeploymentMailFormSchema, lang);
  if (submission.status !== "success") return data<ActionResult>({ intent: "save", result: submission.reply() }, { status: 400 });
  if (!(await saveDeploymentMail(workspace.id, deploymentId, deploymentMailInput(submission.value)))) throw notFound();
  return data<ActionResult>({ intent: "save", result: submission.reply() });
}

export default function DeploymentMailPage() {
  const { deploymentName, config, hasSettings, preview, funnel } = useLoaderData<typeof loader>();
  const result = useActionData<ActionResult>();
  const t = useT();
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

      <TemplatesForm />

      <section className="card" aria-label={t("mail.deployment.preview")}>
        <h2>{t("mail.deployment.preview")}</h2>
        {LANGS.map((lang) => (
          <article key={lang} lang={lang} data-testid={`preview-${lang}`}>
            <h3>{preview[lang].subject}</h3>
            <pre className="mail-text">{preview[lang].text}</pre>
          </article>
        ))}
        {hasSettings || result?.intent === "test" ? <TestForm /> : null}
      </section>
    </>
  );
}

/** Subject, text and button in both languages, the reminders and the daily send window. */
function TemplatesForm() {
  const { config } = useLoaderData<typeof loader>();
  const answer = useActionData<ActionResult>();
  const result = answer?.intent === "save" ? answer.result : undefined;
  const t = useT();
  const busy = useNavigation().state !== "idle";
  const [form, fields] = useSchemaForm(DeploymentMailFormSchema, {
    id: "deployment-mail",
    lastResult: result,
    defaultValue: {
      ...config.templates,
      reminders: String(config.reminders),
      reminderDays: String(config.reminderDays),
      windowStart: formatClock(config.window.start),
      windowEnd: formatClock(config.window.end),
    },
  });
  return (
    <Form method="post" className="card stack" aria-label={t("mail.deployment.title")} {...getFormProps(form)} noValidate>
      <input type="hidden" name="intent" value="save" />
      <p className="muted">{t("mail.deployment.intro", { placeholders: PLACEHOLDERS.map((p) => `{{${p}}}`).join(" ") })}</p>
      <FormErrors form={form} />
      {LANGS.map((lang) => {
        const template = fields[lang].getFieldset();
        return (
          <fieldset key={lang}>
            <legend>{lang === "es" ? "Español" : "English"}</legend>
            <TextField field={template.subject} label={t("mail.deployment.subject")} />
            <TextField field={template.text} label={t("mail.deployment.text")} multiline />
            <TextField field={template.button} label={t("mail.deployment.button")} />
          </fieldset>
        );
      })}
      <div className="row">
        <TextField field={fields.reminders} label={t("mail.deployment.reminders")} type="number" />
        <TextField field={fields.reminderDays} label={t("mail.deployment.reminderDays")} type="number" />
        <TextField field={fields.windowStart} label={t("mail.deployment.windowStart")} />
        <TextField field={fields.windowEnd} label={t("mail.deployment.windowEnd")} />
      </div>
      <button type="submit" disabled={busy}>
        {t("mail.deployment.save")}
      </button>
      {result?.status === "success" ? <p role="status">{t("mail.deployment.saved")}</p> : null}
    </Form>
  );
}

/** A test of the deployment's e-mail in one language, and what the server answered. */
function TestForm() {
  const answer = useActionData<ActionResult>();
  const test = answer?.intent === "test" ? answer : undefined;
  const t = useT();
  const busy = useNavigation().state !== "idle";
  const [form, fields] = useSchemaForm(DeploymentMailTestSchema, { id: "deployment-mail-test", lastResult: test?.result, defaultValue: { lang: "es" } });
  const outcome = test?.outcome;
  return (
    <Form method="post" className="stack" aria-label={t("mail.deployment.testSend")} {...getFormProps(form)} noValidate>
      <input type="hidden" name="intent" value="test" />
      <FormErrors form={form} />
      <div className="row">
        <TextField field={fields.to} label={t("mail.deployment.testSend")} type="email" />
        <SelectField field={fields.lang} label={t("mail.deployment.testLang")} options={LANGS.map((l) => ({ value: l, label: l === "es" ? "Español" : "English" }))} />
        <button type="submit" disabled={busy}>
          {t("mail.testSend")}
        </button>
      </div>
      {outcome?.ok ? <p role="status">{t("mail.deployment.testSent", { lang: outcome.lang, response: outcome.response })}</p> : null}
      {outcome && !outcome.ok ? (
        <p role="alert" className="error">
          {t("mail.testFailed", { reason: t(`mail.error.${outcome.reason}` as MessageKey) })} {outcome.detail}
        </p>
      ) : null}
    </Form>
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
