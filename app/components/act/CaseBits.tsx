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

/** Hours as "5.2 h", or days from two days up ("3.1 d"); "—" for no value. */
export function formatHours(hours: number | null | undefined, lang: string): string {
  if (hours === null || hours === undefined || !Number.isFinite(hours)) return "—";
  if (hours >= 48) return `${(hours / 24).toLocaleString(lang, { maximumFractionDigits: 1 })} d`;
  return `${hours.toLocaleString(lang, { maximumFractionDigits: 1 })} h`;
}

export function formatWhen(value: string | Date | null, lang: string): string {
  if (!value) return "—";
  return new Date(value).toLocaleString(lang, { dateStyle: "medium", timeStyle: "short" });
}

/** Day, month and time, for table cells ("23 nov, 04:31"): the year only when it is not this one. */
export function formatShort(value: string | Date | null, lang: string): string {
  if (!value) return "—";
  const date = new Date(value);
  const sameYear = date.getFullYear() === new Date().getFullYear();
  return date.toLocaleString(lang, { day: "numeric", month: "short", ...(sameYear ? {} : { year: "numeric" }), hour: "2-digit", minute: "2-digit" });
}
