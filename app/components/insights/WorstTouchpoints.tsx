// Above a scorecard's journey map: the touchpoints furthest below expectation, each linking to its
// card, and a hint when the map is wider than the page. A wide journey's worst card may sit beyond
// the right edge of the map's scroll box; this line keeps it one click away at any screen width.
import type { InsightRow } from "~/cem/insights";
import { formatNumber } from "~/i18n/format";
import { useLang, useT } from "~/i18n/use-t";

export type Worst = { key: string; name: string; meanGap: number; n: number };

/** The shown rows with a negative mean gap (n at or above the minimum), worst first, at most `limit`. */
export function worstTouchpoints(rows: readonly InsightRow[], names: ReadonlyMap<string, string>, limit = 3): Worst[] {
  const worst: Worst[] = [];
  for (const row of rows) {
    const meanGap = row.gap?.status === "ok" ? row.gap.value.meanGap : null;
    if (meanGap === null || meanGap >= 0) continue;
    worst.push({ key: row.key, name: names.get(row.key) ?? row.key, meanGap, n: row.gap?.n ?? row.n });
  }
  return worst.sort((a, b) => a.meanGap - b.meanGap || a.key.localeCompare(b.key)).slice(0, limit);
}

/** The id of a touchpoint's card on the scorecard map: what the line's links point at. */
export const scorecardCardId = (touchpointKey: string) => `tp-card-${touchpointKey}`;

export function WorstTouchpoints({ worst, mapOverflows }: { worst: Worst[]; mapOverflows: boolean }) {
  const t = useT();
  const lang = useLang();
  return (
    <div className="ins-worst" data-testid="worst-touchpoints">
      {worst.length === 0 ? (
        <p className="muted">{t("scorecard.noneBelow")}</p>
      ) : (
        <p>
          <strong>{t("scorecard.worst")}</strong>{" "}
          {worst.map((w, i) => (
            <span key={w.key}>
              {i > 0 ? " · " : null}
              <a href={`#${scorecardCardId(w.key)}`} data-touchpoint={w.key}>
                {w.name}
              </a>{" "}
              <span className="gap-neg">{formatNumber(w.meanGap, "gap", lang)}</span> <span className="muted">(n = {w.n})</span>
            </span>
          ))}
        </p>
      )}
      {mapOverflows ? (
        <p className="muted scroll-hint" data-testid="map-scroll-hint">
          <span aria-hidden="true">↔ </span>
          {t("scroll.hint")}
        </p>
      ) : null}
    </div>
  );
}
