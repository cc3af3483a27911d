// Customer tiers (Generic, Regular, Premium) from a weighted table of behaviour variables: the ranking
// of seed 001 ("volumen de compras, frecuencia, precio…; aplicar unos valores… y sacar el ranking").
import { z } from "zod";

export const TIERS = ["premium", "regular", "generic"] as const;
/** Same union as sla.ts's Tier: service levels are chosen by the tier decided here. */
export type Tier = (typeof TIERS)[number];

/** Only purchases make spend, frequency and recency; other events (visits, tickets) still show tenure. */
export const PURCHASE_EVENT_TYPE = "purchase";

const DAY_MS = 86_400_000;

export const BEHAVIOUR_VARIABLES = ["recency", "frequency", "monetary", "averageTicket", "tenure"] as const;
export type BehaviourVariable = (typeof BEHAVIOUR_VARIABLES)[number];

export type BehaviourEvent = { type: string; occurredAt: Date; amount?: number | null };

export type BehaviourVariables = {
  /** Whole days from the last purchase (any time up to asOf) to asOf; null if never purchased. */
  recencyDays: number | null;
  /** Purchases in the window, refunds (negative amounts) not counted. */
  frequency: number;
  /** Net spend in the window: purchases minus refunds. */
  monetary: number;
  /** monetary / frequency; 0 without purchases. */
  averageTicket: number;
  /** Whole days since the first event or the customer-since date, whichever is earlier; null if neither. */
  tenureDays: number | null;
  /** At least one purchase in the window. Without one a customer is Generic, whatever the weights say. */
  hasPurchases: boolean;
};

export type CustomerBehaviour = { customerId: string } & BehaviourVariables;

const share = z.number().min(0).max(1);
const weight = (value: number) => z.number().min(0).max(100).default(value);

export const segmentationSettingsSchema = z.object({
  windowDays: z.number().int().min(1).max(3650).default(365),
  // The seed names volume, frequency and price paid; spend leads because Premium is defined by share of
  // revenue, frequency shows preference ("los Medios… tienen su preferencia"), recency and tenure the
  // relationship over time. Average ticket (the price paid) starts at 0 to avoid counting spend twice.
  weights: z
    .object({
      monetary: weight(0.4),
      frequency: weight(0.3),
      recency: weight(0.2),
      tenure: weight(0.1),
      averageTicket: weight(0),
    })
    .prefault({})
    .refine((w) => BEHAVIOUR_VARIABLES.some((v) => w[v] > 0), { message: "At least one weight must be above 0" }),
  cutoff: z
    .discriminatedUnion("method", [
      // Premium = the top share of purchasing customers by score, Regular = the next share.
      z.object({ method: z.literal("score_percentile"), premiumShare: share.default(0.1), regularShare: share.default(0.3) }),
      // Walking down the score ranking: Premium while the customers above carry less than
      // premiumRevenueShare of revenue, Regular until premium + regular. With every weight but monetary
      // at 0 this is the classic Pareto/ABC analysis by spend.
      z.object({
        method: z.literal("revenue_share"),
        premiumRevenueShare: share.default(0.5),
        regularRevenueShare: share.default(0.3),
      }),
    ])
    .prefault({ method: "score_percentile" })
    .refine(
      (c) => (c.method === "score_percentile" ? c.premiumShare + c.regularShare : c.premiumRevenueShare + c.regularRevenueShare) <= 1,
      { message: "Premium and Regular together cannot exceed 100%" },
    ),
});

export type SegmentationSettings = z.output<typeof segmentationSettingsSchema>;
export const defaultSegmentationSettings: SegmentationSettings = segmentationSettingsSchema.parse({});

const wholeDays = (from: Date, to: Date) => Math.floor((to.getTime() - from.getTime()) / DAY_MS);

/**
 * One customer's behaviour as of `asOf`. Events after asOf are ignored, so a past date reproduces the
 * tiers of that day. The window is (asOf − windowDays, asOf].
 */
export function customerBehaviour(
  events: readonly BehaviourEvent[],
  asOf: Date,
  windowDays: number,
  customerSince?: Date | null,
): BehaviourVariables {
  const windowStart = asOf.getTime() - windowDays * DAY_MS;
  let firstSeen: Date | null = customerSince && customerSince <= asOf ? customerSince : null;
  let lastPurchase: Date | null = null;
  let frequency = 0;
  let monetary = 0;
  for (const event of events) {
    if (event.occurredAt > asOf) continue;
    if (!firstSeen || event.occurredAt < firstSeen) firstSeen = event.occurredAt;
    if (event.type !== PURCHASE_EVENT_TYPE) continue;
    const amount = event.amount ?? 0;
    if (amount >= 0 && (!lastPurchase || event.occurredAt > lastPurchase)) lastPurchase = event.occurredAt;
    if (event.occurredAt.getTime() <= windowStart) continue;
    monetary += amount;
    if (amount >= 0) frequency++;
  }
  return {
    recencyDays: lastPurchase ? wholeDays(lastPurchase, asOf) : null,
    frequency,
    monetary,
    averageTicket: frequency > 0 ? monetary / frequency : 0,
    tenureDays: firstSeen ? wholeDays(firstSeen, asOf) : null,
    hasPurchases: frequency > 0,
  };
}

/** Behaviour of every customer from one flat list of events, for the data layer's convenience. */
export function customerBehaviours(
  customers: readonly { customerId: string; customerSince?: Date | null }[],
  events: readonly (BehaviourEvent & { customerId: string })[],
  asOf: Date,
  windowDays: number,
): CustomerBehaviour[] {
  const byCustomer = new Map<string, BehaviourEvent[]>();
  for (const event of events) {
    const list = byCustomer.get(event.customerId);
    if (list) list.push(event);
    else byCustomer.set(event.customerId, [event]);
  }
  return customers.map(({ customerId, customerSince }) => ({
    customerId,
    ...customerBehaviour(byCustomer.get(customerId) ?? [], asOf, windowDays, customerSince),
  }));
}

/**
 * Mid-rank percentile of each value in 0–1: (values below + (ties − 1) / 2) / (n − 1). Ranks rather than
 * min–max scaling, so one customer with 90% of spend does not squash everyone else to 0; mid-ranks give
 * tied values the same number. A lone value (or all tied) sits at 0.5: nothing to rank it against.
 */
export function percentileRanks(values: readonly number[]): number[] {
  const n = values.length;
  if (n === 0) return [];
  const sorted = [...values].sort((a, b) => a - b);
  const below = (v: number) => lowerBound(sorted, v);
  return values.map((v) => {
    if (n === 1) return 0.5;
    const less = below(v);
    const ties = lowerBound(sorted, v, true) - less;
    return (less + (ties - 1) / 2) / (n - 1);
  });
}

/** Index of the first element ≥ v (or > v when `strictly`) in an ascending array. */
function lowerBound(sorted: readonly number[], v: number, strictly = false): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (strictly ? sorted[mid] <= v : sorted[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export type CustomerScore = {
  customerId: string;
  /** Weighted mean of the variables' percentile ranks, 0–1; 0 for customers without purchases. */
  score: number;
  components: Record<BehaviourVariable, number>;
  monetary: number;
  hasPurchases: boolean;
};

// Rounding keeps equal-in-arithmetic scores equal in floating point, so the tie rule below is honest.
const roundScore = (x: number) => Math.round(x * 1e9) / 1e9;

const byScore = (a: CustomerScore, b: CustomerScore) =>
  b.score - a.score || (a.customerId < b.customerId ? -1 : a.customerId > b.customerId ? 1 : 0);

/**
 * Scores purchasing customers against each other (non-purchasers would only pad the ranks), best first.
 * Recency is reversed (fewer days is better); a missing tenure counts as 0 days.
 */
export function scoreCustomers(
  behaviours: readonly CustomerBehaviour[],
  settings: SegmentationSettings = defaultSegmentationSettings,
): CustomerScore[] {
  const buyers = behaviours.filter((b) => b.hasPurchases);
  const raw: Record<BehaviourVariable, number[]> = {
    recency: buyers.map((b) => -(b.recencyDays ?? Infinity)),
    frequency: buyers.map((b) => b.frequency),
    monetary: buyers.map((b) => b.monetary),
    averageTicket: buyers.map((b) => b.averageTicket),
    tenure: buyers.map((b) => b.tenureDays ?? 0),
  };
  const ranks = Object.fromEntries(BEHAVIOUR_VARIABLES.map((v) => [v, percentileRanks(raw[v])])) as Record<
    BehaviourVariable,
    number[]
  >;
  const totalWeight = BEHAVIOUR_VARIABLES.reduce((sum, v) => sum + settings.weights[v], 0);
  const zero = Object.fromEntries(BEHAVIOUR_VARIABLES.map((v) => [v, 0])) as Record<BehaviourVariable, number>;

  const scored: CustomerScore[] = buyers.map((b, i) => {
    const components = Object.fromEntries(BEHAVIOUR_VARIABLES.map((v) => [v, ranks[v][i]])) as Record<
      BehaviourVariable,
      number
    >;
    const weighted = BEHAVIOUR_VARIABLES.reduce((sum, v) => sum + settings.weights[v] * components[v], 0);
    return { customerId: b.customerId, score: roundScore(weighted / totalWeight), components, monetary: b.monetary, hasPurchases: true };
  });
  const idle = behaviours
    .filter((b) => !b.hasPurchases)
    .map((b) => ({ customerId: b.customerId, score: 0, components: { ...zero }, monetary: b.monetary, hasPurchases: false }));
  return [...scored, ...idle].sort(byScore);
}

/**
 * The tier of every scored customer. Ties travel together: a customer's place is the share of purchasing
 * customers (or of their revenue) strictly ahead of them, so equal scores always land in the same tier,
 * the higher one when a tie straddles a cut-off. Customers without purchases are Generic.
 */
export function assignTiers(
  scores: readonly CustomerScore[],
  settings: SegmentationSettings = defaultSegmentationSettings,
): Map<string, Tier> {
  const tiers = new Map<string, Tier>();
  const buyers = scores.filter((s) => s.hasPurchases).sort(byScore);
  const cutoff = settings.cutoff;
  const [premiumLimit, regularLimit] =
    cutoff.method === "score_percentile"
      ? [cutoff.premiumShare, cutoff.premiumShare + cutoff.regularShare]
      : [cutoff.premiumRevenueShare, cutoff.premiumRevenueShare + cutoff.regularRevenueShare];
  // Refunds can leave a customer's net spend below zero; no one carries negative revenue.
  const weightOf = (s: CustomerScore) => (cutoff.method === "score_percentile" ? 1 : Math.max(0, s.monetary));
  const total = buyers.reduce((sum, s) => sum + weightOf(s), 0);

  let ahead = 0; // customers (or revenue) with a strictly higher score
  for (let i = 0; i < buyers.length; ) {
    let j = i;
    let group = 0;
    while (j < buyers.length && buyers[j].score === buyers[i].score) group += weightOf(buyers[j++]);
    // With no revenue at all there is no share to carry: everyone stays Generic.
    const place = total > 0 ? ahead / total : 1;
    const tier: Tier = place < premiumLimit ? "premium" : place < regularLimit ? "regular" : "generic";
    for (let k = i; k < j; k++) tiers.set(buyers[k].customerId, tier);
    ahead += group;
    i = j;
  }
  for (const s of scores) if (!s.hasPurchases) tiers.set(s.customerId, "generic");
  return tiers;
}

export type TierPreview = { tier: Tier; customers: number; revenue: number; revenueShare: number };

/**
 * What the settings would do, before anyone saves them: customers and net revenue per tier, and the
 * tier's share of net revenue (0 when there is none).
 */
export function previewTiers(
  behaviours: readonly CustomerBehaviour[],
  settings: SegmentationSettings = defaultSegmentationSettings,
): { tiers: TierPreview[]; assignments: Map<string, Tier> } {
  const assignments = assignTiers(scoreCustomers(behaviours, settings), settings);
  const rows = new Map<Tier, TierPreview>(TIERS.map((tier) => [tier, { tier, customers: 0, revenue: 0, revenueShare: 0 }]));
  let total = 0;
  for (const b of behaviours) {
    const row = rows.get(assignments.get(b.customerId) ?? "generic")!;
    row.customers++;
    row.revenue += b.monetary;
    total += b.monetary;
  }
  for (const row of rows.values()) row.revenueShare = total > 0 ? row.revenue / total : 0;
  return { tiers: [...rows.values()], assignments };
}
