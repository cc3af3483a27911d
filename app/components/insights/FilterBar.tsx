// The filter form every insights view shares (GET, so a filtered view is a link): dates, journey,
// tier, channel, survey language, plus whatever controls the view adds as children.
import { Form, Link } from "@remix-run/react";
import type { ReactNode } from "react";
import { PAGE_LANG_PARAM, TIER_FILTERS, type InsightFilter } from "~/cem/insights-filters";
import type { MessageKey } from "~/i18n/messages";
import { useT } from "~/i18n/use-t";

export type FilterOptions = {
  journeys: { key: string; name: string }[];
  channels: string[];
  langs: string[];
};

type Props = {
  filter: InsightFilter;
  options: FilterOptions;
  /** Hidden parameters the view keeps across a filter change (e.g. by=process). */
  keep?: Record<string, string | null | undefined>;
  /** False where the journey is fixed by the page (the scorecard). */
  journey?: boolean;
  error?: string | null;
  resetHref: string;
  children?: ReactNode;
};

export function FilterBar({ filter, options, keep = {}, journey = true, error, resetHref, children }: Props) {
  const t = useT();
  return (
    <Form method="get" className="card ins-filters" aria-label={t("insights.filter.legend")} preventScrollReset>
      {Object.entries(keep).map(([name, value]) => (value ? <input key={name} type="hidden" name={name} value={value} /> : null))}
      <label>
        {t("insights.filter.from")}
        <input type="date" name="from" defaultValue={filter.from} required />
      </label>
      <label>
        {t("insights.filter.to")}
        <input type="date" name="to" defaultValue={filter.to} required />
      </label>
      {journey ? (
        <label>
          {t("insights.filter.journey")}
          <select name="journey" defaultValue={filter.journey ?? ""}>
            <option value="">{t("insights.filter.all")}</option>
            {options.journeys.map((j) => (
              <option key={j.key} value={j.key}>
                {j.name}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      <label>
        {t("insights.filter.tier")}
        <select name="tier" defaultValue={filter.tier ?? ""}>
          <option value="">{t("insights.filter.all")}</option>
          {TIER_FILTERS.map((tier) => (
            <option key={tier} value={tier}>
              {t(`insights.tier.${tier}` as MessageKey)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t("insights.filter.channel")}
        <select name="channel" defaultValue={filter.channel ?? ""}>
          <option value="">{t("insights.filter.all")}</option>
          {options.channels.map((c) => (
            <option key={c} value={c}>
              {t(`channel.${c}` as MessageKey)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t("insights.filter.lang")}
        <select name={PAGE_LANG_PARAM} defaultValue={filter.lang ?? ""}>
          <option value="">{t("insights.filter.all")}</option>
          {options.langs.map((l) => (
            <option key={l} value={l}>
              {t(`insights.lang.${l}` as MessageKey)}
            </option>
          ))}
        </select>
      </label>
      {children}
      <button type="submit">{t("insights.filter.apply")}</button>
      <Link to={resetHref} className="button secondary">
        {t("insights.filter.reset")}
      </Link>
      {error ? (
        <p className="field-error" role="alert" style={{ flexBasis: "100%", margin: 0 }}>
          {t("insights.filter.invalid", { message: error })}
        </p>
      ) : null}
    </Form>
  );
}
