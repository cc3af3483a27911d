// The invitation outbox (admins): every personal invitation with its link and state, filtered by
// state and deployment, paged, and exported as CSV for a mailing tool.
import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requireMember } from "~/auth/guard.server";
import { LocalName } from "~/components/LocalName";
import surveyCss from "~/components/survey/survey-pages.css?url";
import { linkOrigin, surveyLink } from "~/data/deployments.server";
import { invitationLives } from "~/data/invitation-events.server";
import { deploymentsForOutbox, listOutbox, markExpiredInvitations, outboxQuery } from "~/data/invitations.server";
import type { MessageKey } from "~/i18n/messages";
import { localName } from "~/i18n/names";
import { useFormat, useLang, useT, useTn } from "~/i18n/use-t";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: surveyCss }];

/** The stored states, in the order an invitation goes through them. */
const STATES = ["pending", "opened", "completed", "expired"] as const;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { workspace } = await requireMember(request, params.ws, "invitations:create");
  const url = new URL(request.url);
  const filter = outboxQuery(url);
  const now = new Date();
  await markExpiredInvitations(workspace.id, now);
  const deployments = await deploymentsForOutbox(workspace.id);
  const deploymentId = deployments.some((d) => d.id === filter.deploymentId) ? filter.deploymentId : undefined;
  const page = await listOutbox(workspace.id, { state: filter.state, deploymentId }, filter.page, now);
  const origin = linkOrigin(request);
  // Each invitation's life (queued, sent or failed with the server's answer, opened, …), oldest first.
  const lives = await invitationLives(workspace.id, page.rows.map((r) => r.id));
  return {
    ...page,
    rows: page.rows.map(({ token, ...r }) => ({ ...r, link: surveyLink(origin, token), life: lives.get(r.id) ?? [] })),
    deployments,
    state: filter.state ?? "",
    deploymentId: deploymentId ?? null,
  };
}

export default function OutboxPage() {
  const { rows, total, page, pages, deployments, state, deploymentId } = useLoaderData<typeof loader>();
  const t = useT();
  const tn = useTn();
  const lang = useLang();
  const f = useFormat();
  const query = (extra: Record<string, string | number>) => {
    const q = new URLSearchParams();
    if (state) q.set("state", state);
    if (deploymentId) q.set("deployment", String(deploymentId));
    for (const [k, v] of Object.entries(extra)) q.set(k, String(v));
    const s = q.toString();
    return s ? `?${s}` : "";
  };
  return (
    <>
      <h1>{t("outbox.title")}</h1>
      <p className="muted">{t("outbox.intro")}</p>
      <Form method="get" className="row card">
        <label>
          {t("outbox.state")}
          <select name="state" defaultValue={state}>
            <option value="">{t("outbox.allStates")}</option>
            {STATES.map((s) => (
              <option key={s} value={s}>
                {t(`outbox.state.${s}` as MessageKey)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("outbox.deployment")}
          <select name="deployment" defaultValue={deploymentId ?? ""}>
            <option value="">{t("outbox.allDeployments")}</option>
            {deployments.map((d) => (
              <option key={d.id} value={d.id}>
                {localName({ name: d.surveyTitle, nameEn: d.surveyTitleEn }, lang)} · {d.name}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="secondary">
          {t("surveys.filter")}
        </button>
        <a className="button secondary" href={`outbox.csv${query({})}`} download data-testid="csv-link">
          {t("outbox.csv")}
        </a>
      </Form>
      <p className="muted" role="status">
        {tn("count.invitations", total)}
      </p>
      {rows.length === 0 ? (
        <p>{t("outbox.none")}</p>
      ) : (
        <div className="table-wrap card">
          <table>
            <thead>
              <tr>
                <th scope="col">{t("outbox.col.customer")}</th>
                <th scope="col">{t("outbox.col.deployment")}</th>
                <th scope="col">{t("outbox.col.state")}</th>
                <th scope="col">{t("outbox.col.sendAt")}</th>
                <th scope="col">{t("outbox.col.expires")}</th>
                <th scope="col">{t("outbox.col.link")}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id}>
                  <td>
                    <strong>{r.customerExternalId}</strong>
                    {r.customerName ? <> · {r.customerName}</> : null}
                    {r.customerEmail || r.customerPhone ? <div className="muted">{r.customerEmail || r.customerPhone}</div> : null}
                  </td>
                  <td>
                    <LocalName item={{ name: r.surveyTitle, nameEn: r.surveyTitleEn }} /> · {r.deploymentName}
                    {r.ruleId ? <div className="muted">{t("outbox.byRule")}</div> : null}
                  </td>
                  <td>
                    <span className={`badge state-${r.state}`}>{t(`outbox.state.${r.state}` as MessageKey)}</span>
                    {r.life.length > 0 ? (
                      <ol className="muted invitation-life" data-testid="invitation-life">
                        {r.life.map((e, i) => (
                          <li key={i} title={e.detail ?? undefined}>
                            {t(`mail.event.${e.kind}` as MessageKey)}
                            {e.seq > 0 ? ` (${t("mail.deployment.sendN", { n: e.seq })})` : ""} · {f.dateTime(e.at)}
                            {e.detail && (e.kind === "failed" || e.kind === "bounced" || e.kind === "skipped") ? <div><code>{e.detail}</code></div> : null}
                          </li>
                        ))}
                      </ol>
                    ) : null}
                  </td>
                  <td>{f.dateTime(r.sendAt)}</td>
                  <td>{f.dateTime(r.expiresAt)}</td>
                  <td>
                    <code className="link-box">{r.link}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {pages > 1 ? (
        <nav className="pager" aria-label={t("outbox.pages")}>
          {page > 1 ? <Link to={query({ page: page - 1 })}>← {t("outbox.prev")}</Link> : null}
          <span>{t("outbox.pageOf", { page, pages })}</span>
          {page < pages ? <Link to={query({ page: page + 1 })}>{t("outbox.next")} →</Link> : null}
        </nav>
      ) : null}
    </>
  );
}
