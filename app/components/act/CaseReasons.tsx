// Why a case opened, in the reader's language. The rules record an English sentence per reason (the
// stored note); the page rebuilds each reason from the response's own measurements instead.
import type { CaseReason } from "~/cem/case-rules";
import type { MessageKey } from "~/i18n/messages";
import { formatDecimal } from "~/i18n/format";
import { useLang, useT } from "~/i18n/use-t";

type Measured = { gaps: { attributeKey: string; perception: number; expectation: number; gap: number }[]; overall: { kind: string; value: number }[] };

/** Rule names, each once with how many times it fired: "Detractor · Brecha (3)". */
export function ReasonBadges({ reasons }: { reasons: CaseReason[] }) {
  const t = useT();
  const counts = new Map<string, number>();
  for (const r of reasons) counts.set(r.rule, (counts.get(r.rule) ?? 0) + 1);
  return (
    <span className="actions">
      {[...counts].map(([rule, n]) => (
        <span key={rule} className="badge">
          {t(`act.rule.${rule}` as MessageKey)}
          {n > 1 ? ` (${n})` : ""}
        </span>
      ))}
    </span>
  );
}

export function ReasonList({ reasons, response, labelOf }: { reasons: CaseReason[]; response: Measured | null; labelOf: (key: string) => string }) {
  const t = useT();
  const lang = useLang();
  const num = (x: number) => formatDecimal(x, lang, 2);
  const overall = (kind: string) => response?.overall.find((m) => m.kind === kind)?.value;
  const text = (r: CaseReason): string => {
    if (r.rule === "detractor") {
      const score = overall("nps");
      if (score !== undefined) return t("act.reason.detractor", { score });
    } else if (r.rule === "gap" && r.attributeKey) {
      const g = response?.gaps.find((x) => x.attributeKey === r.attributeKey);
      if (g) return t("act.reason.gap", { attribute: labelOf(g.attributeKey), perception: num(g.perception), expectation: num(g.expectation), gap: num(g.gap) });
    } else if (r.rule === "low_csat") {
      const score = overall("csat");
      if (score !== undefined) return t("act.reason.low_csat", { score });
    } else if (r.rule === "keyword") {
      const word = /"(.+)"/.exec(r.detail)?.[1];
      if (word) return t("act.reason.keyword", { word });
    }
    return r.detail;
  };
  return (
    <ul>
      {reasons.map((r, i) => (
        <li key={i}>
          <span className="badge">{t(`act.rule.${r.rule}` as MessageKey)}</span> {text(r)}
        </li>
      ))}
    </ul>
  );
}
