// A member's own digest: weekly (Monday 07:00) or monthly (the 1st, 07:00) in the workspace's time
// zone, with the home page's findings for the journeys they tick (none ticked: all of them).
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
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
import { readFormData } from "~/web/form.server";

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

const DigestSchema = z.object({
  frequency: z.enum(["off", ...DIGEST_FREQUENCIES], { error: "digest.error.frequency" }),
  journeys: z.array(z.string().max(64, "digest.error.journey")).max(200, "digest.error.journey"),
});

export async function action({ request, params }: ActionFunctionArgs) {
  const { workspace, user } = await requireMember(request, params.ws);
  const t = translator(await requestLang(request));
  const form = await readFormData(request);
  if (!form) return data({ errors: { _form: t("alerts.error.form") } }, { status: 400 });
  const parsed = DigestSchema.safeParse({ frequency: form.get("frequency"), journeys: form.getAll("journey").map(String) });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return data({ errors: { [String(issue.path[0])]: t(issue.message as MessageKey) } }, { status: 400 });
  }
  const known = new Set((await insightScope(workspace.id)).journeys.map((j) => j.key));
  if (parsed.data.journeys.some((j) => !known.has(j))) return data({ errors: { journeys: t("digest.error.journey") } }, { status: 400 });
  const { frequency, journeys } = parsed.data;
  await saveDigestSubscription(workspace.id, user.id, frequency === "off" ? null : { frequency, journeys: [...new Set(journeys)].sort() });
  return redirect(`/w/${workspace.slug}/notifications/settings?saved=1`);
}

export default function DigestSettingsPage() {
  const { ws, timeZone, journeys, subscription, next, mailSet, saved } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors: Record<string, string> = result?.errors ?? {};
  const t = useT();
  const format = useFormat();
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
      {errors._form ? <p className="notice error">{errors._form}</p> : null}
      {next ? <p data-testid="digest-next">{t("digest.next", { at: format.dateTime(next) })}</p> : null}
      <Form method="post" className="stack card">
        <fieldset>
          <legend>{t("digest.field.frequency")}</legend>
          {(["off", ...DIGEST_FREQUENCIES] as const).map((f) => (
            <label key={f} className="check" htmlFor={`digest-${f}`}>
              <input type="radio" id={`digest-${f}`} name="frequency" value={f} defaultChecked={(subscription?.frequency ?? "off") === f} /> {t(`digest.${f}` as MessageKey)}
            </label>
          ))}
          {errors.frequency ? <span className="field-error">{errors.frequency}</span> : null}
        </fieldset>
        <fieldset aria-describedby="digest-journeys-hint">
          <legend>{t("digest.field.journeys")}</legend>
          <p id="digest-journeys-hint" className="muted">
            {t("digest.journeys.hint")}
          </p>
          {journeys.map((j) => (
            <label key={j.key} className="check" htmlFor={`digest-j-${j.key}`}>
              <input type="checkbox" id={`digest-j-${j.key}`} name="journey" value={j.key} defaultChecked={subscription?.journeys.includes(j.key) ?? false} /> {j.name}
            </label>
          ))}
          {errors.journeys ? <span className="field-error">{errors.journeys}</span> : null}
        </fieldset>
        <div className="actions">
          <button type="submit">{t("digest.save")}</button>
        </div>
      </Form>
    </>
  );
}
