// Small pieces shared by the case inbox, the case page and the customer page: status and overdue
// badges, the tier label, and durations in hours.
import type { CaseStatus } from "~/cem/case-flow";
import { tierOf } from "~/cem/sla";
import type { MessageKey } from "~/i18n/messages";
import { useT } from "~/i18n/use-t";

export function StatusBadge({ status }: { status: CaseStatus }) {
  const t = useT();
  return <span className={`status ${status}`}>{t(`act.status.${status}` as MessageKey)}</span>;
}

export function OverdueBadge() {
  const t = useT();
  return <span className="status overdue">{t("act.overdue")}</span>;
}

/** The tier a case is served at: an unknown tier is Generic (app/cem/sla.ts tierOf). */
export function CaseTier({ tier }: { tier: string | null }) {
  const t = useT();
  const served = tierOf(tier);
  return <span className={`badge${served === "premium" ? " mot" : ""}`}>{t(`crm.tier.${served}` as MessageKey)}</span>;
}

