// The customer list: search, filter by tier and RFM segment, sort by value, paged; CSV export of the same filter.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData, useLocation } from "@remix-run/react";
import { requireMember } from "~/auth/guard.server";
import { can } from "~/auth/permissions";
import { RFM_SEGMENTS } from "~/cem/rfm";
import { CUSTOMER_SORTS, TIER_FILTERS, customerCount, listCustomers } from "~/data/customers.server";
import type { MessageKey } from "~/i18n/messages";
import { useFormat, useLang, useT, useTn } from "~/i18n/use-t";
import { parseCustomerQuery } from "~/web/customers-query.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { workspace, role } = await requireMember(request, params.ws);
  const url = new URL(request.url);
  const { filter, sort, page } = parseCustomerQuery(url.searchParams);
  return {
    slug: workspace.slug,
    query: { q: filter.q ?? "", tier: filter.tier ?? "", segment: filter.segment ?? "", sort },
    list: await listCustomers(workspace.id, filter, sort, page),
    anyCustomers: (await customerCount(workspace.id)) > 0,
    canImport: can(role, "crm:import"),
    sorts: CUSTOMER_SORTS,
    tierFilters: TIER_FILTERS,
  };
}

function TierBadge({ tier }: { tier: string | null }) {
  const t = useT();
  if (!tier) return <span className="muted">{t("crm.tier.none")}</span>;
  return <span className={`badge${tier === "premium" ? " mot" : ""}`}>{t(`crm.tier.${tier}` as MessageKey)}</span>;
}


export default function CustomersPage() {
  const { slug, query, list, anyCustomers, canImport, sorts, tierFilters } = useLoaderData<typeof loader>();
  const t = useT();
  const tn = useTn();
  const lang = useLang();
  const f = useFormat();
  const location = useLocation();
  const base = `/w/${slug}/customers`;
  const pageLink = (page: number) => {
    const params = new URLSearchParams(location.search);
    params.set("page", String(page));
    return `${base}?${params}`;
  };
  const exportParams = new URLSearchParams(location.search);
  exportParams.delete("page");
  const exportHref = `${base}/export.csv${exportParams.size ? `?${exportParams}` : ""}`;

  return (
    <>
      <h1>{t("crm.customers.title")}</h1>
      <p className="muted">{t("crm.customers.intro")}</p>
      <p className="actions">
        {canImport ? (
          <Link to={`/w/${slug}/crm/import`} className="button">
            {t("crm.customers.import")}
          </Link>
        ) : null}
        <Link to={`/w/${slug}/segmentation`} className="button secondary">
          {t("nav.segmentation")}
        </Link>
        <a href={exportHref} className="button secondary" download>
          {t("crm.customers.export")}
        </a>
      </p>

      <Form method="get" className="row card" role="search" aria-label={t("crm.customers.filters")}>
        <label htmlFor="q">
          {t("crm.customers.search")}
          <input id="q" name="q" type="search" defaultValue={query.q} maxLength={200} />
        </label>
        <label htmlFor="tier">
          {t("crm.col.tier")}
          <select id="tier" name="tier" defaultValue={query.tier}>
            <option value="">{t("crm.customers.anyTier")}</option>
            {tierFilters.map((tier) => (
              <option key={tier} value={tier}>
                {t(`crm.tier.${tier}` as MessageKey)}
              </option>
            ))}
          </select>
        </label>
        <label htmlFor="segment">
          {t("crm.col.segment")}
          <select id="segment" name="segment" defaultValue={query.segment}>
            <option value="">{t("crm.customers.anySegment")}</option>
            {RFM_SEGMENTS.map((segment) => (
              <option key={segment} value={segment}>
                {t(`crm.rfm.${segment}` as MessageKey)}
              </option>
            ))}
          </select>
        </label>
        <label htmlFor="sort">
          {t("crm.customers.sort")}
          <select id="sort" name="sort" defaultValue={query.sort}>
            {sorts.map((sort) => (
              <option key={sort} value={sort}>
                {t(`crm.sort.${sort}` as MessageKey)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">{t("crm.customers.apply")}</button>
      </Form>

      <p role="status">{tn("count.customers", list.total)}</p>
      {!anyCustomers ? <p>{t("crm.customers.empty")}</p> : list.total === 0 ? <p>{t("crm.customers.none")}</p> : null}
      {list.rows.length > 0 ? (
        <div className="table-wrap">
          <table>
            <caption className="muted" style={{ textAlign: "left", captionSide: "bottom", paddingTop: "0.4rem" }}>
              {t("crm.customers.valueNote")}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t("crm.col.customer")}</th>
                <th scope="col">{t("crm.col.email")}</th>
                <th scope="col">{t("crm.col.tier")}</th>
                <th scope="col">{t("crm.col.rfm")}</th>
                <th scope="col" className="num">
                  {t("crm.col.frequency")}
                </th>
                <th scope="col" className="num">
                  {t("crm.col.monetary")}
                </th>
                <th scope="col">{t("crm.col.lastPurchase")}</th>
              </tr>
            </thead>
            <tbody>
              {list.rows.map((c) => (
                <tr key={c.id}>
                  <td>
                    <Link to={`${base}/${c.id}`}>{c.name || c.externalId}</Link>
                    {c.name ? <div className="muted">{c.externalId}</div> : null}
                  </td>
                  <td>{c.email ?? ""}</td>
                  <td>
                    <TierBadge tier={c.tier} />
                  </td>
                  <td>
                    {c.rfmSegment ? (
                      <>
                        <code>{`${c.rfmR}${c.rfmF}${c.rfmM}`}</code> {t(`crm.rfm.${c.rfmSegment}` as MessageKey)}
                      </>
                    ) : (
                      <span className="muted">—</span>
                    )}
                  </td>
                  <td className="num">{c.frequency ?? "—"}</td>
                  <td className="num">{f.money(c.monetary)}</td>
                  <td>{f.date(c.lastPurchaseAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {list.pages > 1 ? (
        <nav aria-label={t("crm.page.nav")} className="row" style={{ marginTop: "0.8rem" }}>
          {list.page > 1 ? <Link to={pageLink(list.page - 1)}>{t("crm.page.prev")}</Link> : null}
          <span>{t("crm.page.of", { page: list.page, pages: list.pages })}</span>
          {list.page < list.pages ? <Link to={pageLink(list.page + 1)}>{t("crm.page.next")}</Link> : null}
        </nav>
      ) : null}
    </>
  );
}
