// The "Cases" section of a customer's page: their follow-up cases, newest first, each linking to its page.
import { Link } from "@remix-run/react";
import type { CaseStatus } from "~/cem/case-flow";
import type { CaseReason } from "~/cem/case-rules";
import { localName } from "~/i18n/names";
import { useFormat, useLang, useT } from "~/i18n/use-t";
import type { MessageKey } from "~/i18n/messages";
import { ReasonBadges } from "./CaseReasons";

type CustomerCase = {
  id: number;
  status: CaseStatus;
  openedAt: string | Date;
  dueAt: string | Date;
  overdue: boolean;
  touchpointName: string | null;
  touchpointNameEn: string | null;
  reasons: CaseReason[];
};

export function CustomerCases({ slug, cases }: { slug: string; cases: CustomerCase[] }) {
  const t = useT();
  const lang = useLang();
  const f = useFormat();
  return (
    <section aria-labelledby="customer-cases">
      <h2 id="customer-cases">{t("nav.cases")}</h2>
      {cases.length === 0 ? (
        <p className="muted">{t("act.customer.noCases")}</p>
      ) : (
        <div className="table-wrap">
          <table aria-labelledby="customer-cases">
            <thead>
              <tr>
                <th scope="col">{t("act.col.case")}</th>
                <th scope="col">{t("act.col.status")}</th>
                <th scope="col">{t("act.col.touchpoint")}</th>
                <th scope="col">{t("act.col.reason")}</th>
              </tr>
            </thead>
            <tbody>
              {cases.map((c) => (
                <tr key={c.id}>
                  <td>
                    <Link to={`/w/${slug}/cases/${c.id}`}>{t("act.case.title", { id: c.id })}</Link>
                    <div className="muted">{f.dateTime(c.openedAt)}</div>
                  </td>
                  <td>
                    {/* app.css badges: this section lives on a page that does not load the cases stylesheet. */}
                    <span className="badge">{t(`act.status.${c.status}` as MessageKey)}</span>{" "}
                    {c.overdue ? <strong style={{ color: "var(--danger)" }}>{t("act.overdue")}</strong> : null}
                  </td>
                  <td>{c.touchpointName !== null ? localName({ name: c.touchpointName, nameEn: c.touchpointNameEn }, lang) : "—"}</td>
                  <td>
                    <ReasonBadges reasons={c.reasons} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
