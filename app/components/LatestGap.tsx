// A latest gap in a sentence: mean perception − expectation with its 95% interval and n, the n alone
// (and why) below the workspace's minimum, or "no responses" — never a number without its n.
import type { Figure } from "~/cem/insights";
import type { PairedGap } from "~/cem/statistics";
import { formatInterval, formatNumber } from "~/i18n/format";
import { useLang, useT } from "~/i18n/use-t";

export function LatestGap({ figure }: { figure: Figure<PairedGap> | undefined }) {
  const t = useT();
  const lang = useLang();
  if (!figure) return <span className="muted">{t("process.summary.noGap")}</span>;
  if (figure.status === "withheld") return <span className="muted">{t("gap.withheld", { n: figure.n, minN: figure.minN })}</span>;
  const gap = figure.value;
  const tone = gap.meanGap === null ? "" : gap.hi !== null && gap.hi < 0 ? "gap-below" : gap.lo !== null && gap.lo > 0 ? "gap-above" : "";
  return (
    <span className={`latest-gap ${tone}`} data-gap={gap.meanGap ?? ""}>
      {t("gap.value", { gap: formatNumber(gap.meanGap, "gap", lang), interval: formatInterval(gap.lo, gap.hi, "gap", lang), n: figure.n })}
    </span>
  );
}
