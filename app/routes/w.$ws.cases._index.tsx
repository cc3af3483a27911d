// The case inbox: follow-up cases opened by the case rules ("a complaint is a gift"), filtered by
// status, tier, touchpoint, process, assignee and overdue, due soonest first; and the SLA report —
// time to first action and to resolution per tier and per process.
import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData, useLocation } from "@remix-run/react";
import { requireMember } from "~/auth/guard.server";
import { can } from "~/auth/permissions";
import type { SlaGroup, SlaSummary } from "~/cem/sla";
import actCss from "~/components/act/act.css?url";
import { CaseTier, OverdueBadge, StatusBadge } from "~/components/act/CaseBits";
import { ReasonBadges } from "~/components/act/CaseReasons";
import { loadActSettings } from "~/data/case-rules.server";
import { CASE_TIERS, REPORT_PERIODS, STATUS_FILTERS, parseCaseFilter } from "~/cem/case-inbox";
import { assignableMembers, caseFilterOptions, caseSlaReport, listCases, overdueCount } from "~/data/cases.server";
import { ensureWebhookWorker } from "~/data/webhook-delivery.server";
import type { MessageKey } from "~/i18n/messages";
import { localName } from "~/i18n/names";
import { useFormat, useLang, useT } from "~/i18n/use-t";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: actCss }];

const TIER_ORDER = ["premium", "regular", "generic"];

function bestTierFirst<R extends { byTier: { key: string | null }[] }>(report: R): R {
  return { ...report, byTier: [...report.byTier].sort((a, b) => TIER_ORDER.indexOf(a.key ?? "generic") - TIER_ORDER.indexOf(b.key ?? "generic")) };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { workspace, role, user } = await requireMember(request, params.ws);
  ensureWebhookWorker();
  const filter = parseCaseFilter(new URL(request.url).searchParams);
  const now = new Date();
  const { sla } = await loadActSettings(workspace.id);
  return {
    slug: workspace.slug,
    filter,
    list: await listCases(workspace.id, filter, user.id, now),
    overdue: await overdueCount(workspace.id, now),
    report: bestTierFirst(await caseSlaReport(workspace.id, filter, user.id, now)),
    options: { ...(await caseFilterOptions(workspace.id)), members: await assignableMembers(workspace.id) },
    slaHours: sla.hoursByTier,
    businessHours: sla.businessHours !== null,
    canWork: can(role, "cases:work"),
    canConfigure: can(role, "settings:edit"),
  };
}

type SlaRows = (SlaGroup | (SlaSummary & { key: string }))[];

function SlaTable({ caption, keyHeader, rows, keyLabel }: { caption: string; keyHeader: string; rows: SlaRows; keyLabel: (key: string | null) => string }) {
  const t = useT();
  const lang = useLang();
  const f = useFormat();
  const pct = (share: number | null) => (share === null ? "—" : `${Math.round(share * 100)} %`);
  return (
    <div className="table-wrap" style={{ marginBottom: "1.2rem" }}>
      <table className="sla-table">
        <caption className="muted" style={{ textAlign: "left", captionSide: "top", fontWeight: 600 }}>
          {caption}
        </caption>
        <thead>
          <tr>
            <th scope="col">{keyHeader}</th>
            <th scope="col" className="num">{t("act.sla.cases")}</th>
            <th scope="col" className="num">{t("act.sla.firstAction")}</th>
            <th scope="col" className="num">{t("act.sla.resolution")}</th>
            <th scope="col" className="num">{t("act.sla.within")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={String(r.key)}>
              <th scope="row">{keyLabel(r.key)}</th>
              <td className="num">{r.n}</td>
              <td className="num">
                {f.hours(r.firstAction.medianHours)}
                <span className="muted"> (n={r.firstAction.n})</span>
              </td>
              <td className="num">
                {f.hours(r.resolution.medianHours)}
                <span className="muted"> (n={r.resolution.n})</span>
              </td>
              <td className="num">
                {pct(r.withinSla.share)}
                <span className="muted"> ({r.withinSla.met}/{r.withinSla.n})</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export default function CaseInbox() {
  const { slug, filter, list, overdue, report, options, slaHours, businessHours, canConfigure } = useLoaderData<typeof loader>();
  const t = useT();
  const lang = useLang();
  const f = useFormat();
  const location = useLocation();
  const base = `/w/${slug}/cases`;
  const pageLink = (page: number) => {
    const params = new URLSearchParams(location.search);
    params.set("page", String(page));
    return `${base}?${params}`;
  };
  const tierLabel = (key: string | null) => t(`crm.tier.${key ?? "generic"}` as MessageKey);
  const assignee = filter.assignee === undefined ? "" : String(filter.assignee);

  return (
    <>
      <h1>{t("nav.cases")}</h1>
      <p className="muted">{t("act.inbox.intro")}</p>
      <div className="card">
        <div className="stat-row">
          <p style={{ margin: 0 }}>
            <span className="stat">{list.total}</span> <span className="stat-label">{t(`act.filter.status.${filter.status}` as MessageKey)}</span>
          </p>
          <p style={{ margin: 0 }}>
            <Link to={`${base}?status=active&overdue=1`}>
              <span className="stat" style={{ color: overdue > 0 ? "var(--danger)" : undefined }}>
                {overdue}
              </span>{" "}
              {t("act.inbox.overdue")}
            </Link>
          </p>
        </div>
        <p className="muted" style={{ marginBottom: 0 }}>
          {t("act.inbox.slaHours", { premium: slaHours.premium, regular: slaHours.regular, generic: slaHours.generic })}
          {businessHours ? ` ${t("act.inbox.businessHours")}` : ""}
          {canConfigure ? (
            <>
              {" "}
              <Link to={`/w/${slug}/settings#cases`}>{t("act.inbox.configure")}</Link>
            </>
          ) : null}
        </p>
      </div>

      <Form method="get" className="row card" role="search" aria-label={t("act.filter.label")}>
        <label htmlFor="f-status">
          {t("act.filter.status")}
          <select id="f-status" name="status" defaultValue={filter.status}>
            {STATUS_FILTERS.map((s) => (
              <option key={s} value={s}>
                {t(`act.filter.status.${s}` as MessageKey)}
              </option>
            ))}
          </select>
        </label>
        <label htmlFor="f-tier">
          {t("crm.col.tier")}
          <select id="f-tier" name="tier" defaultValue={filter.tier ?? ""}>
            <option value="">{t("act.filter.any")}</option>
            {CASE_TIERS.map((tier) => (
              <option key={tier} value={tier}>
                {t(`crm.tier.${tier}` as MessageKey)}
              </option>
            ))}
          </select>
        </label>
        <label htmlFor="f-touchpoint">
          {t("act.filter.touchpoint")}
          <select id="f-touchpoint" name="touchpoint" defaultValue={filter.touchpoint ?? ""}>
            <option value="">{t("act.filter.any")}</option>
            {options.touchpoints.map((tp) => (
              <option key={tp.id} value={tp.id}>
                {localName(tp, lang)}
              </option>
            ))}
          </select>
        </label>
        <label htmlFor="f-process">
          {t("act.filter.process")}
          <select id="f-process" name="process" defaultValue={filter.process ?? ""}>
            <option value="">{t("act.filter.any")}</option>
            {options.processes.map((p) => (
              <option key={p.id} value={p.id}>
                {localName(p, lang)}
              </option>
            ))}
          </select>
        </label>
        <label htmlFor="f-assignee">
          {t("act.filter.assignee")}
          <select id="f-assignee" name="assignee" defaultValue={assignee}>
            <option value="">{t("act.filter.anyone")}</option>
            <option value="me">{t("act.filter.me")}</option>
            <option value="none">{t("act.filter.unassigned")}</option>
            {options.members.map((m) => (
              <option key={m.id} value={m.id}>
                {m.name}
              </option>
            ))}
          </select>
        </label>
        <label htmlFor="f-period">
          {t("act.filter.period")}
          <select id="f-period" name="period" defaultValue={filter.period}>
            {REPORT_PERIODS.map((p) => (
              <option key={p} value={p}>
                {t(`act.filter.period.${p}` as MessageKey)}
              </option>
            ))}
          </select>
        </label>
        <label className="check" htmlFor="f-overdue">
          <input id="f-overdue" type="checkbox" name="overdue" value="1" defaultChecked={filter.overdue === "1"} />
          {t("act.filter.overdueOnly")}
        </label>
        <button type="submit">{t("act.filter.apply")}</button>
      </Form>

      {list.items.length === 0 ? (
        <p>{t("act.inbox.none")}</p>
      ) : (
        <div className="table-wrap">
          <table aria-label={t("act.inbox.table")}>
            <thead>
              <tr>
                <th scope="col">{t("act.col.case")}</th>
                <th scope="col">{t("act.col.status")}</th>
                <th scope="col">{t("act.col.due")}</th>
                <th scope="col">{t("act.col.customer")}</th>
                <th scope="col">{t("act.col.touchpoint")}</th>
                <th scope="col">{t("crm.col.tier")}</th>
                <th scope="col">{t("act.col.reason")}</th>
                <th scope="col">{t("act.col.assignee")}</th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((c) => (
                <tr key={c.id}>
                  <td>
                    <Link to={`${base}/${c.id}`}>{`#${c.id}`}</Link>
                    <div className="muted small nowrap">{f.shortDateTime(c.openedAt)}</div>
                  </td>
                  <td>
                    <StatusBadge status={c.status} />
                  </td>
                  <td>
                    <span className="nowrap">{f.shortDateTime(c.dueAt)}</span>
                    {c.overdue ? (
                      <div>
                        <OverdueBadge />
                      </div>
                    ) : null}
                  </td>
                  <td>{c.customerId ? c.customerName || c.customerExternalId : <span className="muted">{t("act.anonymous")}</span>}</td>
                  <td>
                    {c.touchpointName !== null ? localName({ name: c.touchpointName, nameEn: c.touchpointNameEn }, lang) : "—"}
                    {c.processName ? <div className="muted">{localName({ name: c.processName, nameEn: c.processNameEn }, lang)}</div> : null}
                  </td>
                  <td>
                    <CaseTier tier={c.tier} />
                  </td>
                  <td>
                    <ReasonBadges reasons={c.reasons} />
                  </td>
                  <td>{c.assigneeName ?? <span className="muted">{t("act.unassigned")}</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {list.pages > 1 ? (
        <nav className="row" aria-label={t("crm.page.nav")}>
          {filter.page > 1 ? <Link to={pageLink(filter.page - 1)}>{t("crm.page.prev")}</Link> : null}
          <span>{t("crm.page.of", { page: filter.page, pages: list.pages })}</span>
          {filter.page < list.pages ? <Link to={pageLink(filter.page + 1)}>{t("crm.page.next")}</Link> : null}
        </nav>
      ) : null}

      <h2 id="sla">{t("act.sla.title")}</h2>
      <p className="muted">{t("act.sla.intro")}</p>
      {report.overall.n === 0 ? (
        <p>{t("act.sla.none")}</p>
      ) : (
        <>
          <SlaTable caption={t("act.sla.overall")} keyHeader={t("act.sla.scope")} rows={[{ ...report.overall, key: t("act.sla.all") }]} keyLabel={(k) => k ?? ""} />
          <SlaTable caption={t("act.sla.byTier")} keyHeader={t("crm.col.tier")} rows={report.byTier} keyLabel={tierLabel} />
          <SlaTable caption={t("act.sla.byProcess")} keyHeader={t("act.filter.process")} rows={report.byProcess} keyLabel={(k) => k ?? t("act.sla.noProcess")} />
        </>
      )}
    </>
  );
}
