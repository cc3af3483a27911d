// The continuous-innovation log of a workspace and the effect of each change: gap and NPS of its
// touchpoints in equal windows before and after (app/cem/innovation.ts), read from the additive rollups
// (touchpoint-level "" gap rows: one value per response; nps rows), never from the raw responses.
import { and, asc, between, desc, eq, inArray, ne, sql } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "#db/client";
import { innovations, innovationTouchpoints, rollupsRead, touchpoints } from "#db/schema/index";
import { MAX_WINDOW_DAYS, equalWindows, innovationSchema, type EqualWindows } from "~/cem/innovation";
import {
  addMoments,
  meanInterval,
  nps,
  npsDifference,
  welchDifference,
  type MeanDifference,
  type MeanInterval,
  type Moments,
  type Nps,
  type NpsCounts,
  type NpsDifference,
} from "~/cem/statistics";

const DAY_MS = 86_400_000;

export { MAX_WINDOW_DAYS };

/** The form: the domain's innovation (app/cem/innovation.ts) plus the window length; touchpoints by key. */
export const innovationInputSchema = innovationSchema.omit({ id: true }).extend({
  owner: z.string().trim().min(1, "Name who owns the change"),
  windowDays: z.coerce
    .number({ error: "Enter the window as a number of days" })
    .int("Enter whole days")
    .min(7, "Use a window of at least 7 days: fewer days rarely hold enough responses")
    .max(MAX_WINDOW_DAYS, `Use a window of at most ${MAX_WINDOW_DAYS} days`)
    .default(28),
});
export type InnovationInput = z.output<typeof innovationInputSchema>;

export function todayUtc(now = new Date()): string {
  return now.toISOString().slice(0, 10);
}

async function touchpointIdsByKey(workspaceId: number, keys: string[]) {
  if (keys.length === 0) return new Map<string, number>();
  const rows = await getDb()
    .select({ id: touchpoints.id, key: touchpoints.key })
    .from(touchpoints)
    .where(and(eq(touchpoints.workspaceId, workspaceId), inArray(touchpoints.key, keys)));
  return new Map(rows.map((r) => [r.key, r.id]));
}

export type InnovationSave = { ok: true; id: number } | { ok: false; errors: Record<string, string> };

export async function createInnovation(workspaceId: number, input: InnovationInput, userId: number | null): Promise<InnovationSave> {
  // The touchpoints are looked up in the transaction that links them: none can go in between.
  return getDb().transaction(async (tx): Promise<InnovationSave> => {
    const ids = await touchpointIdsByKey(workspaceId, input.touchpointKeys);
    const unknown = input.touchpointKeys.filter((k) => !ids.has(k));
    if (unknown.length) return { ok: false, errors: { touchpointKeys: `Unknown touchpoint: ${unknown.join(", ")}` } };
    const [row] = await tx
      .insert(innovations)
      .values({
        workspaceId,
        title: input.title,
        changedOn: input.changedAt,
        whatChanged: input.whatChanged,
        hypothesis: input.hypothesis,
        owner: input.owner,
        windowDays: input.windowDays,
        createdBy: userId,
      })
      .returning({ id: innovations.id });
    for (const touchpointId of new Set(ids.values())) {
      await tx.insert(innovationTouchpoints).values({ workspaceId, innovationId: row.id, touchpointId });
    }
    return { ok: true, id: row.id };
  });
}

export async function deleteInnovation(workspaceId: number, id: number): Promise<boolean> {
  const deleted = await getDb()
    .delete(innovations)
    .where(and(eq(innovations.workspaceId, workspaceId), eq(innovations.id, id)))
    .returning({ id: innovations.id });
  return deleted.length > 0;
}

async function touchpointsOf(workspaceId: number, innovationIds: number[]) {
  if (innovationIds.length === 0) return [];
  return getDb()
    .select({ innovationId: innovationTouchpoints.innovationId, id: touchpoints.id, key: touchpoints.key, name: touchpoints.name })
    .from(innovationTouchpoints)
    .innerJoin(touchpoints, eq(touchpoints.id, innovationTouchpoints.touchpointId))
    .where(and(eq(innovationTouchpoints.workspaceId, workspaceId), inArray(innovationTouchpoints.innovationId, innovationIds)))
    .orderBy(asc(touchpoints.name));
}

/** The log, newest change first, each with its touchpoints. */
export async function listInnovations(workspaceId: number) {
  const rows = await getDb().select().from(innovations).where(eq(innovations.workspaceId, workspaceId)).orderBy(desc(innovations.changedOn), desc(innovations.id));
  const tps = await touchpointsOf(workspaceId, rows.map((r) => r.id));
  return rows.map((r) => ({ ...r, touchpoints: tps.filter((t) => t.innovationId === r.id).map(({ innovationId: _, ...t }) => t) }));
}

export async function getInnovation(workspaceId: number, id: number) {
  if (!Number.isSafeInteger(id) || id <= 0) return null;
  const [row] = await getDb().select().from(innovations).where(and(eq(innovations.workspaceId, workspaceId), eq(innovations.id, id))).limit(1);
  if (!row) return null;
  return { ...row, touchpoints: (await touchpointsOf(workspaceId, [row.id])).map(({ innovationId: _, ...t }) => t) };
}

/**
 * Changes at any of these touchpoints, for markers on trend charts: { date: YYYY-MM-DD, title, id },
 * oldest first, each change once however many of the touchpoints it touched.
 */
export async function innovationMarkers(workspaceId: number, touchpointIds: number[]): Promise<{ date: string; title: string; id: number }[]> {
  if (touchpointIds.length === 0) return [];
  return getDb()
    .selectDistinct({ id: innovations.id, date: innovations.changedOn, title: innovations.title })
    .from(innovations)
    .innerJoin(innovationTouchpoints, eq(innovationTouchpoints.innovationId, innovations.id))
    .where(and(eq(innovations.workspaceId, workspaceId), inArray(innovationTouchpoints.touchpointId, touchpointIds)))
    .orderBy(asc(innovations.changedOn), asc(innovations.id));
}

// ---- The effect -------------------------------------------------------------------------------------

type Sums = { gap: Moments; nps: NpsCounts };
const zeroSums = (): Sums => ({ gap: { n: 0, sum: 0, sumSq: 0 }, nps: { n: 0, promoters: 0, detractors: 0 } });

function addSums(a: Sums, b: Sums): Sums {
  return {
    gap: addMoments(a.gap, b.gap),
    nps: { n: a.nps.n + b.nps.n, promoters: a.nps.promoters + b.nps.promoters, detractors: a.nps.detractors + b.nps.detractors },
  };
}

export type EffectSide = { gap: MeanInterval; nps: Nps };
export type Effect = {
  before: EffectSide;
  after: EffectSide;
  /** after − before; null where either side is under the workspace's minimum n. */
  gapDifference: MeanDifference | null;
  npsDifference: NpsDifference | null;
};

function effectOf(before: Sums, after: Sums, minN: number): Effect {
  const gapEnough = before.gap.n >= minN && after.gap.n >= minN;
  const npsEnough = before.nps.n >= minN && after.nps.n >= minN;
  return {
    before: { gap: meanInterval(before.gap), nps: nps(before.nps) },
    after: { gap: meanInterval(after.gap), nps: nps(after.nps) },
    gapDifference: gapEnough ? welchDifference(after.gap, before.gap) : null,
    npsDifference: npsEnough ? npsDifference(after.nps, before.nps) : null,
  };
}

export type WeekPoint = { week: number; from: string; gap: MeanInterval; nps: Nps };

export type InnovationEffect =
  | { status: "too_early"; changedOn: string }
  | {
      status: "ok";
      windows: EqualWindows;
      minN: number;
      overall: Effect;
      byTouchpoint: { touchpointId: number; effect: Effect }[];
      /** Week −k … −1 before the change and 1 … k after it (7-day buckets counted from the change day). */
      weeks: WeekPoint[];
    };

type RollupRow = { touchpointId: number; kind: string; day: string; n: number; sum: number; sumSq: number; promoters: number; detractors: number };

function dayNumber(day: string): number {
  return Math.round(Date.parse(`${day}T00:00:00Z`) / DAY_MS);
}

/**
 * Gap and NPS of the innovation's touchpoints in the equal windows either side of its day, pooled over
 * the touchpoints (a response belongs to one touchpoint, so the sums add) and per touchpoint; the
 * difference after − before with Welch's interval for the gap and the two-sample Wald interval for NPS.
 */
export async function innovationEffect(
  workspaceId: number,
  innovation: { changedOn: string; windowDays: number; touchpointIds: number[] },
  minN: number,
  today: string = todayUtc(),
): Promise<InnovationEffect> {
  const windows = equalWindows(innovation.changedOn, innovation.windowDays, today);
  if (!windows) return { status: "too_early", changedOn: innovation.changedOn };
  const ids = innovation.touchpointIds;
  const rows: RollupRow[] = ids.length
    ? await getDb()
        .select({
          touchpointId: rollupsRead.touchpointId,
          kind: rollupsRead.kind,
          day: rollupsRead.day,
          n: sql<number>`sum(${rollupsRead.n})`.mapWith(Number),
          sum: sql<number>`sum(${rollupsRead.sum})`.mapWith(Number),
          sumSq: sql<number>`sum(${rollupsRead.sumSq})`.mapWith(Number),
          promoters: sql<number>`sum(${rollupsRead.promoters})`.mapWith(Number),
          detractors: sql<number>`sum(${rollupsRead.detractors})`.mapWith(Number),
        })
        .from(rollupsRead)
        .where(
          and(
            eq(rollupsRead.workspaceId, workspaceId),
            eq(rollupsRead.attributeKey, ""),
            inArray(rollupsRead.kind, ["gap", "nps"]),
            between(rollupsRead.day, windows.before.from, windows.after.to),
            ne(rollupsRead.day, innovation.changedOn),
            inArray(rollupsRead.touchpointId, ids),
          ),
        )
        .groupBy(rollupsRead.touchpointId, rollupsRead.kind, rollupsRead.day)
    : [];

  const change = dayNumber(innovation.changedOn);
  const side = new Map<string, Sums>();
  const weekly = new Map<number, Sums>();
  const bump = (map: Map<string | number, Sums>, key: string | number, row: RollupRow) => {
    const add: Sums =
      row.kind === "gap"
        ? { ...zeroSums(), gap: { n: row.n, sum: row.sum, sumSq: row.sumSq } }
        : { ...zeroSums(), nps: { n: row.n, promoters: row.promoters, detractors: row.detractors } };
    map.set(key, addSums(map.get(key) ?? zeroSums(), add));
  };
  for (const row of rows) {
    const when = row.day < innovation.changedOn ? "before" : "after";
    bump(side as Map<string | number, Sums>, when, row);
    bump(side as Map<string | number, Sums>, `${row.touchpointId}:${when}`, row);
    const offset = dayNumber(row.day) - change;
    const week = offset > 0 ? Math.ceil(offset / 7) : -Math.ceil(-offset / 7);
    bump(weekly as Map<string | number, Sums>, week, row);
  }
  const get = (key: string) => side.get(key) ?? zeroSums();
  // Welch's interval needs two responses a side whatever the workspace's floor.
  const floor = Math.max(2, minN);
  const weeksEachSide = Math.ceil(windows.days / 7);
  const weeks: WeekPoint[] = [];
  for (let w = -weeksEachSide; w <= weeksEachSide; w++) {
    if (w === 0) continue;
    const sums = weekly.get(w) ?? zeroSums();
    const fromOffset = w > 0 ? (w - 1) * 7 + 1 : w * 7;
    weeks.push({ week: w, from: new Date((change + fromOffset) * DAY_MS).toISOString().slice(0, 10), gap: meanInterval(sums.gap), nps: nps(sums.nps) });
  }
  return {
    status: "ok",
    windows,
    minN: floor,
    overall: effectOf(get("before"), get("after"), floor),
    byTouchpoint: ids.map((touchpointId) => ({ touchpointId, effect: effectOf(get(`${touchpointId}:before`), get(`${touchpointId}:after`), floor) })),
    weeks,
  };
}
