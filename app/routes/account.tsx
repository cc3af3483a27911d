// My account: my own time zone for dates, and the sessions open in my name, each revocable.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth/session.server";
import { Field } from "~/components/Field";
import { listSessions, revokeOtherSessions, revokeSession, updateUserTimeZone } from "~/data/users.server";
import { isTimeZone, knownTimeZones } from "~/i18n/format";
import { requestLang } from "~/i18n/lang.server";
import { translator } from "~/i18n/messages";
import { useFormat, useT } from "~/i18n/use-t";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const sessions = (await listSessions(user.id)).map((s) => ({ ...s, current: s.id === user.sessionId, id: s.id.slice(0, 16) }));
  return { user: { name: user.name, email: user.email, timeZone: user.timeZone }, sessions, timeZones: knownTimeZones() };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await request.formData();
  if (form.get("intent") === "timeZone") {
    // Empty means "each workspace's zone"; anything else must be a zone Intl knows.
    const typed = String(form.get("timeZone") ?? "").trim();
    if (typed && !isTimeZone(typed)) {
      const t = translator(await requestLang(request));
      return data({ timeZoneError: t("locale.badTimeZone"), typed }, { status: 400 });
    }
    await updateUserTimeZone(user.id, typed || null);
    return null;
  }
  if (form.get("intent") === "others") {
    await revokeOtherSessions(user.id, user.sessionId);
  } else {
    const prefix = String(form.get("session") ?? "");
    const match = (await listSessions(user.id)).find((s) => s.id.startsWith(prefix) && prefix.length === 16);
    if (match && match.id !== user.sessionId) await revokeSession(user.id, match.id);
  }
  return null;
}

export default function Account() {
  const { user, sessions, timeZones } = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  const t = useT();
  const f = useFormat();
  return (
    <main id="main" className="page">
      <h1>{t("account.title")}</h1>
      <p>
        {user.name} — {user.email}
      </p>
      <Form method="post" className="card stack">
        <input type="hidden" name="intent" value="timeZone" />
        <div className="row">
          <Field
            label={t("locale.myTimeZone")}
            name="timeZone"
            id="my-time-zone"
            list="time-zones"
            autoComplete="off"
            placeholder={t("locale.workspaceZone")}
            defaultValue={failed?.typed ?? user.timeZone ?? ""}
            error={failed?.timeZoneError}
            hint={t("locale.myTimeZoneHint")}
          />
          <datalist id="time-zones">
            {timeZones.map((z) => (
              <option key={z} value={z} />
            ))}
          </datalist>
          <button type="submit">{t("locale.saveMine")}</button>
        </div>
      </Form>
      <h2>{t("account.sessions")}</h2>
      <ul className="tp-list">
        {sessions.map((s) => (
          <li key={s.id}>
            <span>
              {f.dateTime(s.createdAt)} · <span className="muted">{s.userAgent ?? "?"}</span>
            </span>
            {s.current ? (
              <span className="badge">{t("account.current")}</span>
            ) : (
              <Form method="post">
                <input type="hidden" name="session" value={s.id} />
                <button type="submit" className="danger small">
                  {t("account.revoke")}
                </button>
              </Form>
            )}
          </li>
        ))}
      </ul>
      <Form method="post">
        <button type="submit" name="intent" value="others" className="secondary">
          {t("account.revokeOthers")}
        </button>
      </Form>
    </main>
  );
}
