// The latest gaps the model pages show beside each process and touchpoint: the insights gap table over
// the default window (the last weeks up to today), read from rollup sums — never a scan of responses.
import { dayOf, parseInsightFilter } from "~/cem/insights-filters";
import type { Figure } from "~/cem/insights";
import type { PairedGap } from "~/cem/statistics";
import type { WorkspaceRef } from "~/auth/guard.server";
import type { Lang } from "~/i18n/lang";
import { gapTable } from "./insights-tables.server";
import { insightScope, type InsightScope } from "./insights.server";

export type LatestGaps = {
  window: { from: string; to: string };
  /** By process key and by touchpoint key; absent where the window holds no response. */
  byProcess: Record<string, Figure<PairedGap>>;
  byTouchpoint: Record<string, Figure<PairedGap>>;
  scope: InsightScope;
};

export async function latestGaps(workspace: Pick<WorkspaceRef, "id" | "minN">, lang: Lang, journey: string | null = null): Promise<LatestGaps> {
  const parsed = parseInsightFilter(new URLSearchParams(), dayOf(Date.now()));
  if (!parsed.ok) throw new Error("the default insights filter must parse");
  const filter = { ...parsed.filter, journey };
  const scope = await insightScope(workspace.id, lang);
  const ctx = { workspaceId: workspace.id, minN: workspace.minN, lang };
  const [byProcess, byTouchpoint] = await Promise.all([gapTable(ctx, scope, filter, "process"), gapTable(ctx, scope, filter, "touchpoint")]);
  const gaps = (rows: { key: string; gap: Figure<PairedGap> }[]) => Object.fromEntries(rows.map((r) => [r.key, r.gap]));
  return { window: { from: filter.from, to: filter.to }, byProcess: gaps(byProcess.rows), byTouchpoint: gaps(byTouchpoint.rows), scope };
}
