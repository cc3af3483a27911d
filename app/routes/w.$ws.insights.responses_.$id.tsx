// One response on its own page, shareable by its URL: every answer with its question's title in the
// reader's language, the comment, the customer and their tier when answering, the case opened from it
// (link) and the invitation it came from (state; a link to the outbox for those who may open it).
import { type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { requireMember } from "~/auth/guard.server";
import { can } from "~/auth/permissions";
import { responseDetail } from "~/data/response-inbox.server";
import { requestLang } from "~/i18n/lang.server";
import type { MessageKey } from "~/i18n/messages";
import { useFormat, useLang, useT } from "~/i18n/use-t";
import { labelledAnswers } from "~/survey/answer-labels";
import { notFound } from "~/web/responses.server";

const IdSchema = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { workspace, role } = await requireMember(request, params.ws, "read");
  const id = IdSchema.safeParse(params.id);
  if (!id.success) throw notFound();
  const found = await responseDetail(workspace.id, id.data);
  if (!found) throw notFound();
  const lang = await requestLang(request);
  let data: Record<string, unknown> = {};
  let definition: unknown = null;
  try {
    // Kept exactly as received and published: both were valid JSON when written.
    data = JSON.parse(found.data) as Record<string, unknown>;
    definition = JSON.parse(found.definition);
  } catch {
    data = {};
  }
  const back = new URL(request.url).searchParams.get("back");
  return {
    ws: workspace.slug,
    // Only a link back into this workspace's list is followed; anything else falls back to the list.
    back: back && back.startsWith(`/w/${workspace.slug}/insights/responses?`) ? back : `/w/${workspace.slug}/insights/responses`,
    canOutbox: can(role, "invitations:create"),
    response: {
      id: found.id,
      completedAt: found.completedAt.toISOString(),
      lang: found.lang,
      source: found.source,
      tier: found.tier,
      comment: found.comment,
      touchpointName: found.touchpointName,
      surveyTitle: found.surveyTitle,
      version: found.version,
      gap: found.gap,
      customer: found.customerId !== null ? { id: found.customerId, externalId: found.customerExternalId ?? "", name: found.customerName ?? "" } : null,
      invitation: found.invitationId !== null ? { id: found.invitationId, state: found.invitationState ?? "" } : null,
      case: found.caseId !== null ? { id: found.caseId, status: found.caseStatus ?? "open" } : null,
      answers: labelledAnswers(definition, data, lang),
    },
  };
}

export default function ResponsePage() {
  const { ws, back, canOutbox, response: r } = useLoaderData<typeof loader>();
  const t = useT();
  const lang = useLang();
  const f = useFormat();
  const gap = r.gap === null ? null : new Intl.NumberFormat(lang === "es" ? "es-ES" : "en-GB", { maximumFractionDigits: 2, signDisplay: "exceptZero" }).format(r.gap);
  return (
    <article className="response-page" data-testid="response-page">
      <p>
        <Link to={back}>← {t("inbox.back")}</Link>
      </p>
      <h1>
        {t("inbox.title")} #{r.id}
      </h1>
      <dl className="response-facts">
        <dt>{t("inbox.completed")}</dt>
        <dd>{`${f.dateTime(r.completedAt)} (${f.locale.timeZone})`}</dd>
        <dt>{t("inbox.touchpoint")}</dt>
        <dd>{r.touchpointName}</dd>
        <dt>{t("inbox.survey")}</dt>
        <dd>
          {r.surveyTitle} · {t("inbox.version", { version: r.version })}
        </dd>
        <dt>{t("inbox.lang")}</dt>
        <dd>{r.lang}</dd>
        <dt>{t("inbox.source")}</dt>
        <dd>{t(`inbox.source.${r.source}` as MessageKey)}</dd>
        <dt>{t("inbox.customer")}</dt>
        <dd data-testid="response-customer">
          {r.customer ? (
            <Link to={`/w/${ws}/customers/${r.customer.id}`}>
              {r.customer.name || r.customer.externalId} <small className="muted">{r.customer.externalId}</small>
            </Link>
          ) : (
            t("inbox.anonymous")
          )}
        </dd>
        <dt>{t("inbox.tierAtTime")}</dt>
        <dd data-testid="response-tier">{t(`insights.tier.${r.tier || "unknown"}` as MessageKey)}</dd>
        <dt>{t("inbox.gap")}</dt>
        <dd>{gap ?? "—"}</dd>
        <dt>{t("inbox.case")}</dt>
        <dd data-testid="response-case">
          {r.case ? (
            <Link to={`/w/${ws}/cases/${r.case.id}`}>{t("inbox.caseLink", { id: r.case.id, status: t(`act.status.${r.case.status}` as MessageKey) })}</Link>
          ) : (
            t("inbox.noCase")
          )}
        </dd>
        <dt>{t("inbox.invitation")}</dt>
        <dd data-testid="response-invitation">
          {r.invitation ? (
            canOutbox ? (
              <Link to={`/w/${ws}/outbox?state=${r.invitation.state}`}>
                {t("inbox.invitationState", { id: r.invitation.id, status: t(`outbox.state.${r.invitation.state}` as MessageKey) })}
              </Link>
            ) : (
              t("inbox.invitationState", { id: r.invitation.id, status: t(`outbox.state.${r.invitation.state}` as MessageKey) })
            )
          ) : (
            t("inbox.noInvitation")
          )}
        </dd>
      </dl>
      <section aria-labelledby="comment-title">
        <h2 id="comment-title">{t("inbox.comment")}</h2>
        {r.comment ? <blockquote data-testid="response-comment">{r.comment}</blockquote> : <p className="muted">{t("inbox.noComment")}</p>}
      </section>
      <section aria-labelledby="answers-title">
        <h2 id="answers-title">{t("inbox.answers")}</h2>
        {r.answers.length === 0 ? (
          <p className="muted">{t("inbox.noAnswers")}</p>
        ) : (
          <div className="table-wrap">
            <table className="ins-table" data-testid="response-answers">
              <thead>
                <tr>
                  <th scope="col">{t("inbox.question")}</th>
                  <th scope="col">{t("inbox.answer")}</th>
                </tr>
              </thead>
              <tbody>
                {r.answers.map((a) => (
                  <tr key={a.name} data-question={a.name}>
                    <th scope="row">{a.title}</th>
                    <td>{a.answer}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </article>
  );
}
