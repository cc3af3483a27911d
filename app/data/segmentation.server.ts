// Segmentation of a workspace: its settings, each customer's behaviour aggregated in SQL (one grouped
// read over the events, never the events in memory), and the tiers and RFM scores of the pure domain
// (app/cem/segmentation.ts, app/cem/rfm.ts) written back with a tier history.
import { and, count, eq, sql } from "drizzle-orm";
import { getDb, instantParam, isPostgres, rows as sqlRows, type Tx } from "#db/client";
import { crmEvents, customers, customerTiers, segmentationSettings } from "#db/schema/index";
import { rfmScores, RFM_SEGMENTS, type RfmSegment } from "~/cem/rfm";
import {
  assignTiers,
  defaultSegmentationSettings,
  PURCHASE_EVENT_TYPE,
  scoreCustomers,
  segmentationSettingsSchema,
  TIERS,
  type CustomerBehaviour,
  type SegmentationSettings,
  type Tier,
  type TierPreview,
} from "~/cem/segmentation";
import { asIs, chunkStatement, type Cells } from "./chunked-writes.server";

const DAY_MS = 86_400_000;

/** The workspace's saved settings, or the defaults (also when a stored value no longer validates). */
export async function loadSegmentationSettings(workspaceId: number): Promise<SegmentationSettings> {
  const [row] = await getDb()
    .select({ settings: segmentationSettings.settings })
    .from(segmentationSettings)
    .where(eq(segmentationSettings.workspaceId, workspaceId))
    .limit(1);
  if (!row) return defaultSegmentationSettings;
  try {
    const parsed = segmentationSettingsSchema.safeParse(JSON.parse(row.settings));
    return parsed.success ? parsed.data : defaultSegmentationSettings;
  } catch {
    return defaultSegmentationSettings;
  }
}

export async function hasSavedSegmentationSettings(workspaceId: number): Promise<boolean> {
  const [row] = await getDb()
    .select({ w: segmentationSettings.workspaceId })
    .from(segmentationSettings)
    .where(eq(segmentationSettings.workspaceId, workspaceId))
    .limit(1);
  return !!row;
}

export async function saveSegmentationSettings(workspaceId: number, settings: SegmentationSettings): Promise<void> {
  const text = JSON.stringify(segmentationSettingsSchema.parse(settings));
  await getDb()
    .insert(segmentationSettings)
    .values({ workspaceId, settings: text, updatedAt: new Date() })
    .onConflictDoUpdate({ target: segmentationSettings.workspaceId, set: { settings: text, updatedAt: new Date() } });
}

type BehaviourRow = {
  id: number;
  since: number | null;
  firstEvent: number | null;
  lastPurchase: number | null;
  frequency: number;
  monetary: number;
  tier: string | null;
  tierScore: number | null;
  rfmR: number | null;
  rfmF: number | null;
  rfmM: number | null;
  rfmSegment: string | null;
  storedMonetary: number | null;
  storedFrequency: number | null;
  storedLastPurchase: number | null;
};

/**
 * Every customer's behaviour as of `asOf`, aggregated in SQL from the (customer, time) index: the
 * same variables, with the same rules, as the pure customerBehaviour() (a unit test holds them equal):
 * only purchases make spend, frequency and recency; a negative amount is a refund that nets spend and
 * is not a purchase; the window is (asOf − windowDays, asOf]; tenure counts from the earlier of the
 * first event and the customer-since date. The same SQL on both engines but for SQLite's NOT INDEXED
 * (PostgreSQL's planner picks the plan itself); instants are compared as parameters of the column's
 * type (instantParam) and come back as epoch milliseconds (rows()); camelCase aliases are quoted.
 */
async function behaviourRows(workspaceId: number, asOf: Date, windowDays: number): Promise<BehaviourRow[]> {
  const asOfMs = asOf.getTime();
  const windowStart = asOfMs - windowDays * DAY_MS;
  const db = getDb();
  // Two plans for the same aggregate. Reaching each event through the (customer, time) index costs a
  // random row read per event; when the workspace holds a good part of all events (the usual embedded
  // installation), one sequential pass over the table is several times cheaper (bench: ~6 s → ~1.5 s
  // CPU at a million events). Both give identical rows. On PostgreSQL the planner chooses the scan.
  let sequential = false;
  if (!isPostgres()) {
    const [{ mine }] = await db.select({ mine: count() }).from(crmEvents).where(eq(crmEvents.workspaceId, workspaceId));
    const [{ span }] = await db
      .select({ span: sql<number>`coalesce(max(${crmEvents.id}) - min(${crmEvents.id}) + 1, 0)`.mapWith(Number) })
      .from(crmEvents);
    sequential = mine * 3 >= span;
  }
  const purchase = PURCHASE_EVENT_TYPE;
  const since = instantParam(windowStart);
  const until = instantParam(asOfMs);
  // The spend is a sum of floating-point amounts, whose last digits depend on the order they are
  // added in: SQLite adds them in index order, always the same; PostgreSQL in whatever order its
  // plan reads them, so a recompute would find every customer's spend "changed" by 1e-13. There the
  // amounts are added in event order.
  const inEventOrder = isPostgres() ? sql` order by e.occurred_at, e.id` : sql``;
  const aggregates = sql`min(e.occurred_at) as "firstEvent",
      max(case when e.type = ${purchase} and coalesce(e.amount, 0) >= 0 then e.occurred_at end) as "lastPurchase",
      coalesce(sum(case when e.type = ${purchase} and e.occurred_at > ${since} and coalesce(e.amount, 0) >= 0 then 1 else 0 end), 0) as frequency,
      coalesce(sum(case when e.type = ${purchase} and e.occurred_at > ${since} then coalesce(e.amount, 0) else 0 end${inEventOrder}), 0) as monetary`;
  const stored = sql`c.tier as tier, c.tier_score as "tierScore", c.rfm_r as "rfmR", c.rfm_f as "rfmF", c.rfm_m as "rfmM", c.rfm_segment as "rfmSegment",
      c.monetary as "storedMonetary", c.frequency as "storedFrequency", c.last_purchase_at as "storedLastPurchase"`;
  const query = sequential
    ? sql`select c.id as id, c.customer_since as since, a."firstEvent" as "firstEvent", a."lastPurchase" as "lastPurchase",
              coalesce(a.frequency, 0) as frequency, coalesce(a.monetary, 0) as monetary, ${stored}
         from customers c
         left join (select e.customer_id as "customerId", ${aggregates}
                      from crm_events e not indexed
                     where e.workspace_id = ${workspaceId} and e.occurred_at <= ${until}
                     group by e.customer_id) a on a."customerId" = c.id
        where c.workspace_id = ${workspaceId}
        order by c.id`
    : sql`select c.id as id, c.customer_since as since, ${aggregates}, ${stored}
         from customers c
         left join crm_events e on e.customer_id = c.id and e.workspace_id = c.workspace_id and e.occurred_at <= ${until}
        where c.workspace_id = ${workspaceId}
        group by c.id
        order by c.id`;
  return sqlRows<BehaviourRow>(query);
}

function behaviourOf(row: BehaviourRow, asOf: Date): CustomerBehaviour {
  const asOfMs = asOf.getTime();
  const since = row.since !== null && row.since <= asOfMs ? row.since : null;
  const firstSeen = since === null ? row.firstEvent : row.firstEvent === null ? since : Math.min(since, row.firstEvent);
  return {
    customerId: String(row.id),
    recencyDays: row.lastPurchase === null ? null : Math.floor((asOfMs - row.lastPurchase) / DAY_MS),
    frequency: row.frequency,
    monetary: row.monetary,
    averageTicket: row.frequency > 0 ? row.monetary / row.frequency : 0,
    tenureDays: firstSeen === null ? null : Math.floor((asOfMs - firstSeen) / DAY_MS),
    hasPurchases: row.frequency > 0,
  };
}

/** Behaviour variables of every customer of the workspace (for analysis and tests). */
export async function workspaceBehaviours(workspaceId: number, asOf: Date, windowDays: number): Promise<CustomerBehaviour[]> {
  return (await behaviourRows(workspaceId, asOf, windowDays)).map((row) => behaviourOf(row, asOf));
}

export type SegmentationPreview = {
  tiers: TierPreview[];
  customers: number;
  buyers: number;
  revenue: number;
  rfm: { segment: RfmSegment; customers: number; revenue: number }[];
};

function summarise(
  behaviours: readonly CustomerBehaviour[],
  tiers: Map<string, Tier>,
  rfm: ReturnType<typeof rfmScores>,
): SegmentationPreview {
  const byTier = new Map<Tier, TierPreview>(TIERS.map((tier) => [tier, { tier, customers: 0, revenue: 0, revenueShare: 0 }]));
  const bySegment = new Map<RfmSegment, { segment: RfmSegment; customers: number; revenue: number }>(
    RFM_SEGMENTS.map((segment) => [segment, { segment, customers: 0, revenue: 0 }]),
  );
  let revenue = 0;
  let buyers = 0;
  behaviours.forEach((b, i) => {
    const tierRow = byTier.get(tiers.get(b.customerId) ?? "generic")!;
    tierRow.customers++;
    tierRow.revenue += b.monetary;
    const segmentRow = bySegment.get(rfm[i].segment)!;
    segmentRow.customers++;
    segmentRow.revenue += b.monetary;
    revenue += b.monetary;
    if (b.hasPurchases) buyers++;
  });
  for (const row of byTier.values()) row.revenueShare = revenue > 0 ? row.revenue / revenue : 0;
  return { tiers: [...byTier.values()], customers: behaviours.length, buyers, revenue, rfm: [...bySegment.values()] };
}

/** What `settings` would make of today's customers, without writing anything. */
export async function previewSegmentation(workspaceId: number, settings: SegmentationSettings, asOf = new Date()): Promise<SegmentationPreview> {
  const behaviours = await workspaceBehaviours(workspaceId, asOf, settings.windowDays);
  const tiers = assignTiers(scoreCustomers(behaviours, settings), settings);
  return summarise(behaviours, tiers, rfmScores(behaviours));
}

type HistoryRow = { workspaceId: number; customerId: number; tier: string; score: number; computedAt: number };

type TierUpdate = {
  id: number;
  tier: Tier;
  score: number;
  r: number;
  f: number;
  m: number;
  segment: RfmSegment;
  monetary: number;
  frequency: number;
  /** Epoch milliseconds. */
  lastPurchase: number | null;
};

/**
 * Writes one customer's recomputed columns in the transaction. SQLite: one update prepared once and
 * bound as is (as asIs binds inserts: the last purchase in epoch ms). PostgreSQL: a plain update
 * each, its driver taking a Date for the timestamptz.
 */
function tierUpdate(tx: Tx): (values: TierUpdate) => Promise<unknown> {
  if (isPostgres()) {
    return async (v) =>
      tx
        .update(customers)
        .set({
          tier: v.tier,
          tierScore: v.score,
          rfmR: v.r,
          rfmF: v.f,
          rfmM: v.m,
          rfmSegment: v.segment,
          monetary: v.monetary,
          frequency: v.frequency,
          lastPurchaseAt: v.lastPurchase === null ? null : new Date(v.lastPurchase),
        })
        .where(eq(customers.id, v.id));
  }
  const p = (name: string) => sql`${sql.placeholder(name)}`;
  const prepared = tx
    .update(customers)
    .set({
      tier: p("tier"),
      tierScore: p("score"),
      rfmR: p("r"),
      rfmF: p("f"),
      rfmM: p("m"),
      rfmSegment: p("segment"),
      monetary: p("monetary"),
      frequency: p("frequency"),
      lastPurchaseAt: p("lastPurchase"),
    })
    .where(eq(customers.id, sql.placeholder("id")))
    .prepare();
  return (v) => prepared.execute(v);
}

export type RecomputeResult = SegmentationPreview & { changedTiers: number; updated: number; durationMs: number };

/**
 * Recomputes every customer's tier, score, RFM scores and segment, and the behaviour columns the list
 * sorts by, with the saved settings as of `asOf`. One transaction: readers see the old tiers or the
 * new ones, never a mix. customers.tier stays current (responses copy it when recorded); a
 * customer_tiers row is written on the first computation and on every change of tier.
 */
export async function recomputeTiers(workspaceId: number, asOf = new Date()): Promise<RecomputeResult> {
  const started = performance.now();
  const settings = await loadSegmentationSettings(workspaceId);
  const rows = await behaviourRows(workspaceId, asOf, settings.windowDays);
  const behaviours = rows.map((row) => behaviourOf(row, asOf));
  const scores = scoreCustomers(behaviours, settings);
  const tiers = assignTiers(scores, settings);
  const scoreOf = new Map(scores.map((s) => [s.customerId, s.score]));
  const rfm = rfmScores(behaviours);

  let changedTiers = 0;
  let updated = 0;
  await getDb().transaction(async (tx) => {
    const update = tierUpdate(tx);
    const history = chunkStatement(
      ["workspaceId", "customerId", "tier", "score", "computedAt"],
      (values: Cells<HistoryRow>[]) => tx.insert(customerTiers).values(values.map(asIs)),
      { instants: ["computedAt"] },
    );
    const changed: HistoryRow[] = [];
    for (const [i, row] of rows.entries()) {
      const b = behaviours[i];
      const tier = tiers.get(b.customerId) ?? "generic";
      const score = scoreOf.get(b.customerId) ?? 0;
      const r = rfm[i];
      const next = [tier, score, r.r, r.f, r.m, r.segment, b.monetary, b.frequency, row.lastPurchase] as const;
      const stored = [row.tier, row.tierScore, row.rfmR, row.rfmF, row.rfmM, row.rfmSegment, row.storedMonetary, row.storedFrequency, row.storedLastPurchase];
      if (next.some((value, k) => value !== stored[k])) {
        await update({
          id: row.id,
          tier,
          score,
          r: r.r,
          f: r.f,
          m: r.m,
          segment: r.segment,
          monetary: b.monetary,
          frequency: b.frequency,
          lastPurchase: row.lastPurchase,
        });
        updated++;
      }
      if (row.tier !== tier) {
        changed.push({ workspaceId, customerId: row.id, tier, score, computedAt: asOf.getTime() });
        changedTiers++;
      }
    }
    // A history row per first computation and change of tier, in customer order.
    await history(changed);
  });
  return { ...summarise(behaviours, tiers, rfm), changedTiers, updated, durationMs: Math.round(performance.now() - started) };
}

/** Customers and (window) revenue per stored tier, "" for never segmented: what the list filters on. */
export async function tierDistribution(workspaceId: number) {
  return await getDb()
    .select({ tier: sql<string>`coalesce(${customers.tier}, '')`, customers: count(), revenue: sql<number>`coalesce(sum(${customers.monetary}), 0)`.mapWith(Number) })
    .from(customers)
    .where(eq(customers.workspaceId, workspaceId))
    .groupBy(customers.tier);
}

/** Customers per stored RFM segment. */
export async function rfmSegmentCounts(workspaceId: number) {
  return await getDb()
    .select({ segment: customers.rfmSegment, customers: count() })
    .from(customers)
    .where(and(eq(customers.workspaceId, workspaceId), sql`${customers.rfmSegment} is not null`))
    .groupBy(customers.rfmSegment);
}
