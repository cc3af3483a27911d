// A member's notifications: what the rules they follow found, newest first, unread ones marked; each
// opens its evidence (and is read from then on); one button marks them all read.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { requireMember } from "~/auth/guard.server";
import { listNotifications, markRead } from "~/data/notifications.server";
import { findingText } from "~/i18n/alert-text";
import { requestLang } from "~/i18n/lang.server";
import { translator } from "~/i18n/messages";
import { useFormat, useLang, useT } from "~/i18n/use-t";
import { readFormData } from "~/web/request-body.server";
import { notFound } from "~/web/responses.server";

export const meta: MetaFunction = () => [{ title: "Vivencia · Notifications" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { workspace, user } = await requireMember(request, params.ws);
  const items = await listNotifications(workspace.id, user.id);
  return { ws: workspace.slug, timeZone: user.timeZone ?? workspace.timeZone, items };
}

const ReadSchema = z.object({ id: z.coerce.number().int().positive().optional() });

export async function action({ request, params }: ActionFunctionArgs) {
  const { workspace, user } = await requireMember(request, params.ws);
  const t = translator(await requestLang(request));
  const form = await readFormData(request);
  const parsed = ReadSchema.safeParse({ id: form?.get("id") || undefined });
  if (!form || !parsed.success) return data({ error: t("alerts.error.form") }, { status: 400 });
  if (!(await markRead(workspace.id, user.id, parsed.data.id))) throw notFound();
  return redirect(`/w/${workspace.slug}/notifications`);
}

export default function NotificationsPage() {
  const { ws, timeZone, items } = useLoaderData<typeof loader>();
  const t = useT();
  const lang = useLang();
  const format = useFormat();
  const unread = items.filter((n) => !n.readAt).length;
  return (
    <>
      <h1>{t("notifications.title")}</h1>
      <p className="muted">{t("notifications.intro")}</p>
      <p>
        <Link to={`/w/${ws}/alerts`}>{t("notifications.rules")}</Link> · <Link to={`/w/${ws}/notifications/settings`}>{t("notifications.settings")}</Link>
      </p>
      {items.length === 0 ? (
        <p>{t("notifications.empty")}</p>
      ) : (
        <>
          {unread > 0 ? (
            <Form method="post">
              <button type="submit" className="secondary">
                {t("notifications.markAll")}
              </button>
            </Form>
          ) : null}
          <ul className="notification-list" data-testid="notifications">
            {items.map((n) => (
              <li key={n.id} data-notification={n.id} data-unread={n.readAt ? undefined : "1"} className="card">
                <p>
                  {!n.readAt ? <strong className="badge">{t("notifications.new")}</strong> : null} <small className="muted">{t("notifications.rule", { rule: n.ruleName })}</small>
                </p>
                <p>{findingText(t, lang, n.finding, timeZone)}</p>
                <p>
                  <small className="muted">{t("notifications.found", { at: format.dateTime(n.createdAt) })}</small>
                </p>
                <p className="actions">
                  <a href={`/w/${ws}/notifications/${n.id}`}>{t("notifications.open")}</a>
                  {!n.readAt ? (
                    <Form method="post" style={{ display: "inline" }}>
                      <input type="hidden" name="id" value={n.id} />
                      <button type="submit" className="secondary">
                        {t("notifications.markRead")}
                      </button>
                    </Form>
                  ) : null}
                </p>
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}
