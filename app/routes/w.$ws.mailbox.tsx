// The demo's mailbox (admins): the messages the local SMTP catcher received (app/data/mail-catcher.server.ts),
// newest first, and one message as its recipient would see it. Only while a catcher runs for this
// installation (`npm run demo`); otherwise the page says so.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireMember } from "~/auth/guard.server";
import { listMailbox, readMailboxMessage } from "~/data/mail-catcher.server";
import { useT } from "~/i18n/use-t";

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireMember(request, params.ws, "settings:edit");
  const id = new URL(request.url).searchParams.get("id");
  const message = id ? await readMailboxMessage(id) : null;
  return { messages: message ? [] : await listMailbox(), message };
}

export default function MailboxPage() {
  const { messages, message } = useLoaderData<typeof loader>();
  const t = useT();
  if (message) {
    return (
      <>
        <p>
          <Link to=".">{t("mail.mailbox.back")}</Link>
        </p>
        <h1>{message.subject}</h1>
        <p className="muted">
          {message.from} → {message.to} · {message.date ? new Date(message.date).toLocaleString() : ""}
        </p>
        {message.html ? <iframe title={message.subject} sandbox="" srcDoc={message.html} style={{ width: "100%", maxWidth: 640, height: 560, border: "1px solid #ddd", background: "#fff" }} /> : null}
        <h2>{t("mail.mailbox.text")}</h2>
        <pre className="mail-text" data-testid="mail-text" style={{ whiteSpace: "pre-wrap" }}>
          {message.text}
        </pre>
        <details>
          <summary>{t("mail.mailbox.headers")}</summary>
          <dl>
            {message.headers.map(([k, v], i) => (
              <div key={i}>
                <dt>{k}</dt>
                <dd>
                  <code>{v}</code>
                </dd>
              </div>
            ))}
          </dl>
        </details>
      </>
    );
  }
  return (
    <>
      <h1>{t("mail.mailbox.title")}</h1>
      {messages === null ? (
        <p>{t("mail.mailbox.off")}</p>
      ) : (
        <>
          <p className="muted">{t("mail.mailbox.intro")}</p>
          {messages.length === 0 ? (
            <p>{t("mail.mailbox.empty")}</p>
          ) : (
            <table data-testid="mailbox">
              <thead>
                <tr>
                  <th scope="col">{t("mail.mailbox.subject")}</th>
                  <th scope="col">{t("mail.mailbox.to")}</th>
                  <th scope="col">{t("mail.mailbox.date")}</th>
                </tr>
              </thead>
              <tbody>
                {messages.map((m) => (
                  <tr key={m.id}>
                    <td>
                      <Link to={`?id=${encodeURIComponent(m.id)}`}>{m.subject || "—"}</Link>
                    </td>
                    <td>{m.to}</td>
                    <td>{m.date ? new Date(m.date).toLocaleString() : ""}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </>
  );
}
