// Rollup increments added up per key before they are written: a batch of responses shares keys
// (same touchpoint, attribute, kind, day, tier and language), and each key is upserted once per
// batch at the daily level and once at the weekly level. Pure.
import type { MeasuredKind, Measurement } from "./measurement";
import { ROLLUP_COLUMNS, rollupDeltas, type RollupColumns } from "./rollup";
import { weekOf } from "./rollup-weeks";
import type { ServqualDimension } from "../survey/types";

/** One key's sums: workspace, touchpoint, attribute, kind, day (or week), tier, language, then the columns. */
export type RollupRow = { workspaceId: number; touchpointId: number; attributeKey: string; kind: string; day: string; tier: string; lang: string } & RollupColumns;

const DAY_MS = 86_400_000;
export const keyOf = (r: RollupRow) => `${r.workspaceId}\u0000${r.touchpointId}\u0000${r.attributeKey}\u0000${r.kind}\u0000${r.day}\u0000${r.tier}\u0000${r.lang}`;

/**
 * Rollup increments added up per key, one response at a time: each response's deltas go into the
 * sums of its key (touchpoint, day, tier and language are the response's own).
 */
export class RollupAccumulator {
  private readonly rows = new Map<string, RollupRow>();

  add(workspaceId: number, touchpointId: number, tier: string, lang: string, completedAt: number, measurements: readonly Measurement[]): void {
    const day = new Date(Math.floor(completedAt / DAY_MS) * DAY_MS).toISOString().slice(0, 10);
    const context = `${workspaceId}\u0000${touchpointId}\u0000${day}\u0000${lang}\u0000`;
    for (const delta of rollupDeltas(measurements, { day, tier })) {
      // Each delta is a fresh object: it becomes the row, keys added, not copied.
      const row = delta as unknown as RollupRow;
      row.workspaceId = workspaceId;
      row.touchpointId = touchpointId;
      row.lang = lang;
      addRow(this.rows, `${context}${delta.tier}\u0000${delta.attributeKey}\u0000${delta.kind}`, row);
    }
  }

  /** The daily sums, in no particular order (PostgreSQL's pending row: the fold orders the keys). */
  daily(): RollupRow[] {
    return [...this.rows.values()];
  }

  /** The daily sums and the same sums per ISO week (the Monday in `day`), each in key order. */
  sums(): { daily: RollupRow[]; weekly: RollupRow[] } {
    const weekly = new Map<string, RollupRow>();
    const mondays = new Map<string, string>();
    for (const row of this.rows.values()) {
      let monday = mondays.get(row.day);
      if (monday === undefined) mondays.set(row.day, (monday = weekOf(row.day)));
      addRow(weekly, keyOf({ ...row, day: monday }), { ...row, day: monday });
    }
    return { daily: sorted(this.rows), weekly: sorted(weekly) };
  }
}

function addRow(rows: Map<string, RollupRow>, key: string, row: RollupRow): void {
  const current = rows.get(key);
  if (!current) rows.set(key, row);
  else for (const c of ROLLUP_COLUMNS) current[c] += row[c];
}

/**
 * In key order: two transactions upserting overlapping keys lock them in the same order, so on
 * PostgreSQL they queue behind each other instead of deadlocking.
 */
function sorted(rows: Map<string, RollupRow>): RollupRow[] {
  return [...rows.values()]
    .map((row) => [keyOf(row), row] as const)
    .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
    .map(([, row]) => row);
}

/**
 * Stored rows, one per measurement, each with its response's keys, ordered by response:
 * [responseId, workspaceId, touchpointId, tier, lang, completedAt, attributeKey, kind, value, dimension].
 */
export type StoredMeasurementRow = [number, number, number, string, string, number, string, string, number, string | null];

/** The increments of every response in the rows (ordered by response), added up per key. */
export function sumsOfStoredRows(rows: readonly StoredMeasurementRow[]): { sums: RollupAccumulator; responses: number } {
  const sums = new RollupAccumulator();
  let responses = 0;
  for (let i = 0; i < rows.length; responses++) {
    const [responseId, workspaceId, touchpointId, tier, lang, completedAt] = rows[i];
    const measurements: Measurement[] = [];
    for (; i < rows.length && rows[i][0] === responseId; i++) {
      const [, , , , , , attributeKey, kind, value, dimension] = rows[i];
      // Stored as "" at touchpoint level (NPS, CSAT, CES), null in a Measurement.
      measurements.push({ attributeKey: attributeKey === "" ? null : attributeKey, kind: kind as MeasuredKind, value, dimension: dimension as ServqualDimension | null });
    }
    sums.add(workspaceId, touchpointId, tier, lang, completedAt, measurements);
  }
  return { sums, responses };
}
