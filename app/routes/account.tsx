// My account: the sessions open in my name, each revocable.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth/session.server";
import { listSessions, revokeOtherSessions, revokeSession } from "~/data/users.server";
import { useLang, useT } from "~/i18n/use-t";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const sessions = (await listSessions(user.id)).map((s) => ({ ...s, current: s.id === user.sessionId, id: s.id.slice(0, 16) }));
  return { user: { name: user.name, email: user.email }, sessions };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await request.formData();
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
  const { user, sessions } = useLoaderData<typeof loader>();
  const t = useT();
  const lang = useLang();
  return (
    <main id="main" className="page">
      <h1>{t("account.title")}</h1>
      <p>
        {user.name} — {user.email}
      </p>
      <h2>{t("account.sessions")}</h2>
      <ul className="tp-list">
        {sessions.map((s) => (
          <li key={s.id}>
            <span>
              {new Date(s.createdAt).toLocaleString(lang)} · <span className="muted">{s.userAgent ?? "?"}</span>
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
