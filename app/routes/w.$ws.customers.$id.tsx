// One customer: identity, tier and its history, RFM scores, and one timeline of events, invitations
// and responses (with each response's gap). Follow-up cases join the timeline when they land.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireMember } from "~/auth/guard.server";
import { can } from "~/auth/permissions";
import { CustomerPrivacy, EraseSchema } from "~/components/crm/CustomerPrivacy";
import { eraseCustomer } from "~/data/customer-privacy.server";
import { CustomerCases } from "~/components/act/CustomerCases";
import { casesForCustomer } from "~/data/cases.server";
import { customerTimeline, type TimelineItem } from "~/data/customer-timeline.server";
import { customerTierHistory, getCustomer } from "~/data/customers.server";
import { mailStatusOf } from "~/data/invitation-events.server";
import type { MessageKey } from "~/i18n/messages";
import { formatDecimal, formatMoney } from "~/i18n/format";
import type { Lang } from "~/i18n/lang";
import { localName } from "~/i18n/names";
import { useFormat, useLang, useT } from "~/i18n/use-t";
import { clientAddress } from "~/web/context";
import { parseRequestForm } from "~/web/conform.server";
import { notFound } from "~/web/responses.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { workspace, role } = await requireMember(request, params.ws);
  const id = /^\d{1,15}$/.test(params.id ?? "") ? Number(params.id) : NaN;
  const customer = await getCustomer(workspace.id, id);
  if (!customer) throw notFound("No such customer in this workspace.");
  const beforeParam = new URL(request.url).searchParams.get("before");
  const before = beforeParam && /^\d{1,15}$/.test(beforeParam) ? new Date(Number(beforeParam)) : undefined;
  const timeline = await customerTimeline(workspace.id, customer.id, before);
  return {
    slug: workspace.slug,
    customer,
    history: await customerTierHistory(workspace.id, customer.id),
    cases: await casesForCustomer(workspace.id, customer.id),
    timeline: timeline.items,
    nextBefore: timeline.nextBefore ? timeline.nextBefore.getTime() : null,
    paged: !!before,
    canPrivacy: can(role, "customers:privacy"),
    mail: (await mailStatusOf(workspace.id, [customer])).get(customer.id) ?? null,
  };
}

/**
 * "Erase" (admins; GDPR article 17), confirmed by typing the customer's external id: their identity
 * goes, their measurements stay (app/data/customer-privacy.server.ts). The export is its own route.
 */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const { workspace, user } = await requireMember(request, params.ws, "customers:privacy");
  const id = /^\d{1,15}$/.test(params.id ?? "") ? Number(params.id) : NaN;
  const customer = await getCustomer(workspace.id, id);
  if (!customer) throw notFound("No such customer in this workspace.");
  const { submission, unreadable, t } = await parseRequestForm(request, EraseSchema);
  if (unreadable) return data({ result: unreadable }, { status: 400 });
  if (submission.status !== "success") return data({ result: submission.reply() }, { status: 400 });
  if (submission.value.confirm !== customer.externalId) {
    return data({ result: submission.reply({ fieldErrors: { confirm: [t("privacy.erase.mismatch")] } }) }, { status: 400 });
  }
  const report = await eraseCustomer(workspace.id, customer.id, { userId: user.id, ip: clientAddress(context) || null });
  if (!report) throw notFound("No such customer in this workspace.");
  // The customer is gone: back to the list (the audit log keeps what was erased, by row id).
  return redirect(`/w/${workspace.slug}/customers`);
}

function TierBadge({ tier }: { tier: string | null }) {
  const t = useT();
  if (!tier) return <span className="muted">{t("crm.tier.none")}</span>;
  return <span className={`badge${tier === "premium" ? " mot" : ""}`}>{t(`crm.tier.${tier}` as MessageKey)}</span>;
}

const signed = (x: number, lang: Lang) => formatDecimal(x, lang, 2, true);

function TimelineRow({ item }: { item: TimelineItem }) {
  const t = useT();
  const lang = useLang();
  const f = useFormat();
  const when = f.dateTime(item.at);
  let what: string;
  const details: string[] = [];
  if (item.kind === "event") {
    what = item.type;
    if (item.amount !== null) details.push(item.currency ? formatMoney(item.amount, { lang, currency: item.currency }) : formatDecimal(item.amount, lang, 2));
    if (item.channel) details.push(t("crm.timeline.channel", { channel: item.channel }));
    if (item.touchpointKey) details.push(t("crm.timeline.touchpoint", { key: item.touchpointKey }));
    if (item.externalId) details.push(`#${item.externalId}`);
  } else if (item.kind === "invitation") {
    what = item.deploymentName;
    details.push(t(`crm.invitation.${item.state}` as MessageKey));
    if (item.eventId !== null) details.push(t("crm.timeline.triggeredBy", { id: item.eventId }));
  } else {
    what = localName({ name: item.touchpointName, nameEn: item.touchpointNameEn }, lang);
    details.push(
      item.gap === null
        ? t("crm.timeline.noGap")
        : t("crm.timeline.gap", { gap: signed(item.gap, lang), n: item.gapAttributes }),
    );
    if (item.nps !== null) details.push(`NPS ${item.nps}`);
    if (item.csat !== null) details.push(`CSAT ${item.csat}`);
    if (item.tier) details.push(t("crm.timeline.tierAt", { tier: t(`crm.tier.${item.tier}` as MessageKey) }));
  }
  return (
    <tr>
      <td>
        <time dateTime={new Date(item.at).toISOString()}>{when}</time>
      </td>
      <td>
        <span className={`badge${item.kind === "response" ? " mot" : ""}`}>{t(`crm.timeline.${item.kind}` as MessageKey)}</span>
      </td>
      <td>{what}</td>
      <td>
        {item.kind === "response" && item.gap !== null ? (
          <strong style={{ color: item.gap < 0 ? "var(--danger)" : "var(--ok)" }}>{details[0]}</strong>
        ) : (
          details[0]
        )}
        {details.length > 1 ? <span className="muted"> · {details.slice(1).join(" · ")}</span> : null}
      </td>
    </tr>
  );
}

export default function CustomerPage() {
  const { slug, customer, history, cases, timeline, nextBefore, paged, canPrivacy, mail } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = useT();
  const lang = useLang();
  const f = useFormat();
  const date = (d: string | Date | null) => f.date(d);
  const hasRfm = customer.rfmR !== null;
  return (
    <>
      <p>
        <Link to={`/w/${slug}/customers`}>← {t("crm.customers.title")}</Link>
      </p>
      <h1>{customer.name || customer.externalId}</h1>
      <div className="grid">
        <section className="card" aria-labelledby="identity">
          <h2 id="identity">{t("crm.customer.identity")}</h2>
          <dl>
            <dt>{t("crm.col.externalId")}</dt>
            <dd>
              <code>{customer.externalId}</code>
            </dd>
            {customer.email ? (
              <>
                <dt>{t("crm.col.email")}</dt>
                <dd>
                  {customer.email}
                  {mail?.unsubscribedAt ? <div data-testid="mail-unsubscribed">{t("mail.customer.unsubscribed", { date: date(mail.unsubscribedAt) })}</div> : null}
                  {mail?.bounced ? <div data-testid="mail-bounced">{t("mail.customer.bounced")}</div> : null}
                </dd>
              </>
            ) : null}
            {customer.phone ? (
              <>
                <dt>{t("crm.customer.phone")}</dt>
                <dd>{customer.phone}</dd>
              </>
            ) : null}
            <dt>{t("crm.customer.language")}</dt>
            <dd>{customer.language ?? "—"}</dd>
            <dt>{t("crm.customer.since")}</dt>
            <dd>{date(customer.customerSince)}</dd>
            {customer.notes ? (
              <>
                <dt>{t("crm.customer.notes")}</dt>
                <dd>{customer.notes}</dd>
              </>
            ) : null}
          </dl>
        </section>
        <section className="card" aria-labelledby="tier">
          <h2 id="tier">{t("crm.customer.tier")}</h2>
          <p className="stat">
            <TierBadge tier={customer.tier} />
          </p>
          {customer.tierScore !== null ? (
            <p className="muted">{t("crm.customer.score", { score: (customer.tierScore * 100).toFixed(0) })}</p>
          ) : null}
          <dl>
            <dt>{t("crm.col.frequency")}</dt>
            <dd>{customer.frequency ?? "—"}</dd>
            <dt>{t("crm.col.monetary")}</dt>
            <dd>{f.money(customer.monetary)}</dd>
            <dt>{t("crm.col.lastPurchase")}</dt>
            <dd>{date(customer.lastPurchaseAt)}</dd>
          </dl>
        </section>
        <section className="card" aria-labelledby="rfm">
          <h2 id="rfm">{t("crm.customer.rfm")}</h2>
          {hasRfm ? (
            <>
              <p className="stat">
                <code>{`${customer.rfmR}${customer.rfmF}${customer.rfmM}`}</code>
              </p>
              <p>{t(`crm.rfm.${customer.rfmSegment}` as MessageKey)}</p>
              <dl>
                <dt>{t("crm.customer.rfmR")}</dt>
                <dd>{customer.rfmR}</dd>
                <dt>{t("crm.customer.rfmF")}</dt>
                <dd>{customer.rfmF}</dd>
                <dt>{t("crm.customer.rfmM")}</dt>
                <dd>{customer.rfmM}</dd>
              </dl>
            </>
          ) : (
            <p className="muted">{t("crm.customer.notComputed")}</p>
          )}
        </section>
      </div>

      <h2>{t("crm.customer.history")}</h2>
      {history.length === 0 ? (
        <p className="muted">{t("crm.customer.noHistory")}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t("crm.customer.computedAt")}</th>
                <th scope="col">{t("crm.col.tier")}</th>
                <th scope="col" className="num">
                  {t("crm.customer.scoreCol")}
                </th>
              </tr>
            </thead>
            <tbody>
              {history.map((h, i) => (
                <tr key={i}>
                  <td>{f.dateTime(h.computedAt)}</td>
                  <td>
                    <TierBadge tier={h.tier} />
                  </td>
                  <td className="num">{h.score === null ? "—" : (h.score * 100).toFixed(0)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <CustomerCases slug={slug} cases={cases} />

      <h2 id="timeline">{t("crm.timeline.title")}</h2>
      <p className="muted">{t("crm.timeline.intro")}</p>
      {timeline.length === 0 ? (
        <p>{t("crm.timeline.empty")}</p>
      ) : (
        <div className="table-wrap">
          <table aria-labelledby="timeline">
            <thead>
              <tr>
                <th scope="col">{t("crm.timeline.when")}</th>
                <th scope="col">{t("crm.timeline.kind")}</th>
                <th scope="col">{t("crm.timeline.what")}</th>
                <th scope="col">{t("crm.timeline.details")}</th>
              </tr>
            </thead>
            <tbody>
              {timeline.map((item) => (
                <TimelineRow key={`${item.kind}-${item.id}`} item={item} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p className="row">
        {paged ? <Link to={`/w/${slug}/customers/${customer.id}`}>{t("crm.timeline.newest")}</Link> : null}
        {nextBefore ? <Link to={`/w/${slug}/customers/${customer.id}?before=${nextBefore}`}>{t("crm.timeline.older")}</Link> : null}
      </p>
      {canPrivacy ? <CustomerPrivacy slug={slug} customerId={customer.id} externalId={customer.externalId} lastResult={result?.result} /> : null}
    </>
  );
}
