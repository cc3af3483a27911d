// A member's own digest: weekly (Monday 07:00) or monthly (the 1st, 07:00) in the workspace's time
// zone, with the home page's findings for the journeys they tick (none ticked: all of them).
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { getFormProps } from "@conform-to/react";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { requireMember } from "~/auth/guard.server";
import { DIGEST_FREQUENCIES, nextDigestAt } from "~/cem/digest-schedule";
import { getDigestSubscription, saveDigestSubscription } from "~/data/digests.server";
import { insightScope } from "~/data/insights.server";
import { getMailSettingsRow } from "~/data/mail-settings.server";
import { requestLang } from "~/i18n/lang.server";
import { translator, type MessageKey } from "~/i18n/messages";
import { useFormat, useT } from "~/i18n/use-t";
import { CheckboxChoices, FieldsetField, FormErrors, RadioChoices } from "~/components/form/fields";
import { useSchemaForm } from "~/components/form/use-schema-form";
import { parseRequestForm } from "~/web/conform.server";

export const meta: MetaFunction = () => [{ title: "Vivencia · Digest" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { workspace, user } = await requireMember(request, params.ws);
  const [subscription, scope, mail] = await Promise.all([getDigestSubscription(workspace.id, user.id), requestLang(request).then((lang) => insightScope(workspace.id, lang)), getMailSettingsRow(workspace.id)]);
  return {
    ws: workspace.slug,
    timeZone: workspace.timeZone,
    journeys: scope.journeys,
    subscription: subscription ? { frequency: subscription.frequency, journeys: subscription.journeys } : null,
    next: subscription ? nextDigestAt(new Date(), subscription.frequency, workspace.timeZone).toISOString() : null,
    mailSet: !!mail,
    saved: new URL(request.url).searchParams.has("saved"),
  };
}

const FREQUENCIES = ["off", ...DIGEST_FREQUENCIES] as const;

const DigestSchema = z.object({
  frequency: z.enum(FREQUENCIES, { error: "digest.error.frequency" }),
  journey: z.array(z.string().max(64, "digest.error.journey")).max(200, "digest.error.journey").optional().default([]),
});

export async function action({ request, params }: ActionFunctionArgs) {
  const { workspace, user } = await requireMember(request, params.ws);
  const { submission, unreadable } = await parseRequestForm(request, DigestSchema);
  if (unreadable) return data({ result: unreadable }, { status: 400 });
  if (submission.status !== "success") return data({ result: submission.reply() }, { status: 400 });
  const { frequency, journey } = submission.value;
  const known = new Set((await insightScope(workspace.id)).journeys.map((j) => j.key));
  if (journey.some((j) => !known.has(j))) {
    const t = translator(await requestLang(request));
    return data({ result: submission.reply({ fieldErrors: { journey: [t("digest.error.journey")] } }) }, { status: 400 });
  }
  await saveDigestSubscription(workspace.id, user.id, frequency === "off" ? null : { frequency, journeys: [...new Set(journey)].sort() });
  return redirect(`/w/${workspace.slug}/notifications/settings?saved=1`);
}

export default function DigestSettingsPage() {
  const { ws, timeZone, journeys, subscription, next, mailSet, saved } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = useT();
  const format = useFormat();
  const [form, fields] = useSchemaForm(DigestSchema, {
    id: "digest",
    lastResult: result?.result,
    defaultValue: { frequency: subscription?.frequency ?? "off", journey: subscription?.journeys ?? [] },
  });
  return (
    <>
      <h1>{t("digest.title")}</h1>
      <p className="muted">{t("digest.intro", { zone: timeZone })}</p>
      <p>
        <Link to={`/w/${ws}/notifications`}>{t("notifications.title")}</Link> · <Link to={`/w/${ws}/alerts`}>{t("notifications.rules")}</Link>
      </p>
      {saved ? (
        <p className="notice" role="status">
          {t("digest.saved")}
        </p>
      ) : null}
      {!mailSet ? <p className="notice">{t("digest.noMail")}</p> : null}
      {next ? <p data-testid="digest-next">{t("digest.next", { at: format.dateTime(next) })}</p> : null}
      <Form method="post" className="stack card" {...getFormProps(form)} noValidate>
        <FormErrors form={form} />
        <FieldsetField field={fields.frequency} legend={t("digest.field.frequency")}>
          <RadioChoices field={fields.frequency} options={FREQUENCIES.map((f) => ({ value: f, label: t(`digest.${f}` as MessageKey) }))} />
        </FieldsetField>
        <FieldsetField field={fields.journey} legend={t("digest.field.journeys")} hint={t("digest.journeys.hint")}>
          <CheckboxChoices field={fields.journey} options={journeys.map((j) => ({ value: j.key, label: j.name }))} />
        </FieldsetField>
        <div className="actions">
          <button type="submit">{t("digest.save")}</button>
        </div>
      </Form>
    </>
  );
}
