// Tiers from behaviour: the variables, percentile scoring, cut-offs by head count and by revenue, ties.
import { describe, expect, it } from "vitest";
import {
  assignTiers,
  customerBehaviour,
  customerBehaviours,
  defaultSegmentationSettings,
  percentileRanks,
  previewTiers,
  scoreCustomers,
  segmentationSettingsSchema,
  type CustomerBehaviour,
} from "~/cem/segmentation";

const day = (iso: string) => new Date(`${iso}T00:00:00Z`);
const asOf = day("2024-12-31");

/** A purchasing customer; everything but spend is equal unless said otherwise. */
const buyer = (customerId: string, monetary: number, more: Partial<CustomerBehaviour> = {}): CustomerBehaviour => ({
  customerId,
  recencyDays: 10,
  frequency: 1,
  monetary,
  averageTicket: monetary,
  tenureDays: 100,
  hasPurchases: true,
  ...more,
});
const idle = (customerId: string): CustomerBehaviour => ({
  customerId,
  recencyDays: null,
  frequency: 0,
  monetary: 0,
  averageTicket: 0,
  tenureDays: 30,
  hasPurchases: false,
});

const spendOnly = segmentationSettingsSchema.parse({
  weights: { monetary: 1, frequency: 0, recency: 0, tenure: 0, averageTicket: 0 },
});
const spendOnlyByRevenue = segmentationSettingsSchema.parse({ ...spendOnly, cutoff: { method: "revenue_share" } });

const tiersOf = (assignments: Map<string, string>) => Object.fromEntries([...assignments].sort());

describe("segmentation settings", () => {
  it("defaults to a 365-day window, spend-led weights and top 10% / next 30%", () => {
    expect(defaultSegmentationSettings).toEqual({
      windowDays: 365,
      weights: { monetary: 0.4, frequency: 0.3, recency: 0.2, tenure: 0.1, averageTicket: 0 },
      cutoff: { method: "score_percentile", premiumShare: 0.1, regularShare: 0.3 },
    });
    expect(segmentationSettingsSchema.parse({ cutoff: { method: "revenue_share" } }).cutoff).toEqual({
      method: "revenue_share",
      premiumRevenueShare: 0.5,
      regularRevenueShare: 0.3,
    });
  });

  it("rejects all-zero weights and tiers that add up to more than everyone", () => {
    const zero = { monetary: 0, frequency: 0, recency: 0, tenure: 0, averageTicket: 0 };
    expect(segmentationSettingsSchema.safeParse({ weights: zero }).success).toBe(false);
    const tooMuch = { method: "revenue_share", premiumRevenueShare: 0.7, regularRevenueShare: 0.4 };
    expect(segmentationSettingsSchema.safeParse({ cutoff: tooMuch }).success).toBe(false);
  });
});

describe("customerBehaviour", () => {
  it("computes recency, frequency, net spend, average ticket and tenure as of a date", () => {
    const b = customerBehaviour(
      [
        { type: "visit", occurredAt: day("2022-12-31") },
        { type: "purchase", occurredAt: day("2023-06-01"), amount: 999 }, // before the window
        { type: "purchase", occurredAt: day("2024-01-01"), amount: 7 }, // exactly 365 days back: outside (window is open there)
        { type: "purchase", occurredAt: day("2024-06-01"), amount: 50 },
        { type: "purchase", occurredAt: day("2024-06-05"), amount: -20 }, // a refund
        { type: "purchase", occurredAt: day("2024-12-01"), amount: 100 },
        { type: "purchase", occurredAt: day("2025-01-05"), amount: 500 }, // after asOf: not yet happened
      ],
      asOf,
      365,
    );
    expect(b).toEqual({
      recencyDays: 30,
      frequency: 2,
      monetary: 130,
      averageTicket: 65,
      tenureDays: 731, // 2023 (365) + 2024 (366)
      hasPurchases: true,
    });
  });

  it("takes the earlier of first event and customer-since for tenure; no purchase means no recency", () => {
    const b = customerBehaviour([{ type: "visit", occurredAt: day("2024-12-21") }], asOf, 365, day("2020-01-01"));
    expect(b).toEqual({
      recencyDays: null,
      frequency: 0,
      monetary: 0,
      averageTicket: 0,
      tenureDays: 1826,
      hasPurchases: false,
    });
    expect(customerBehaviour([], asOf, 365).tenureDays).toBeNull();
  });

  it("keeps recency across the whole history even when the window holds no purchase", () => {
    const b = customerBehaviour([{ type: "purchase", occurredAt: day("2023-12-01"), amount: 10 }], asOf, 365);
    expect(b).toMatchObject({ recencyDays: 396, frequency: 0, hasPurchases: false });
  });

  it("groups a flat event list by customer", () => {
    const rows = customerBehaviours(
      [{ customerId: "a" }, { customerId: "b", customerSince: day("2024-12-01") }],
      [
        { customerId: "a", type: "purchase", occurredAt: day("2024-12-30"), amount: 5 },
        { customerId: "a", type: "purchase", occurredAt: day("2024-12-31"), amount: 5 },
      ],
      asOf,
      365,
    );
    expect(rows.map((r) => [r.customerId, r.frequency, r.monetary, r.tenureDays])).toEqual([
      ["a", 2, 10, 1],
      ["b", 0, 0, 30],
    ]);
  });
});

describe("percentileRanks", () => {
  it("gives ties the mid-rank and a lone value 0.5", () => {
    expect(percentileRanks([10, 20, 20, 40])).toEqual([0, 0.5, 0.5, 1]);
    expect(percentileRanks([40, 10])).toEqual([1, 0]);
    expect(percentileRanks([7])).toEqual([0.5]);
    expect(percentileRanks([3, 3, 3])).toEqual([0.5, 0.5, 0.5]);
    expect(percentileRanks([])).toEqual([]);
  });
});

describe("scoreCustomers", () => {
  it("weights the percentile ranks, reverses recency and leaves non-buyers at 0", () => {
    const scores = scoreCustomers([
      buyer("old", 100, { recencyDays: 200 }),
      idle("none"),
      buyer("recent", 100, { recencyDays: 3 }),
    ]);
    expect(scores.map((s) => [s.customerId, s.score])).toEqual([
      ["recent", 0.6], // recency 1 × 0.2 + (monetary, frequency, tenure tied at 0.5) × 0.8
      ["old", 0.4],
      ["none", 0],
    ]);
    expect(scores[0].components).toEqual({ recency: 1, frequency: 0.5, monetary: 0.5, averageTicket: 0.5, tenure: 0.5 });
  });

  it("does not let one customer with 90% of spend flatten the others", () => {
    const spends = { A: 9000, B: 200, C: 150, D: 150, E: 100, F: 100, G: 100, H: 80, I: 70, J: 50 };
    const scores = scoreCustomers(Object.entries(spends).map(([id, m]) => buyer(id, m)), spendOnly);
    const byId = Object.fromEntries(scores.map((s) => [s.customerId, s.score]));
    // Ranks, not amounts: B sits one step below A although A spends 45 times more.
    expect(byId.A).toBe(1);
    expect(byId.B).toBeCloseTo(8 / 9, 9);
    expect(byId.C).toBeCloseTo(6.5 / 9, 9);
    expect(byId.E).toBeCloseTo(4 / 9, 9);
    expect(byId.J).toBe(0);
  });

  it("does not depend on the order customers arrive in", () => {
    const list = [buyer("x", 5), buyer("y", 50, { frequency: 3 }), idle("z"), buyer("w", 5)];
    expect(scoreCustomers([...list].reverse())).toEqual(scoreCustomers(list));
  });
});

describe("assignTiers by score percentile", () => {
  const spends = { A: 9000, B: 200, C: 150, D: 150, E: 100, F: 100, G: 100, H: 80, I: 70, J: 50 };
  const customers = [...Object.entries(spends).map(([id, m]) => buyer(id, m)), idle("K")];

  it("puts the top 10% in Premium and the next 30% in Regular, never splitting a tie", () => {
    const tiers = assignTiers(scoreCustomers(customers, spendOnly), spendOnly);
    expect(tiersOf(tiers)).toEqual({
      A: "premium", // 0% of buyers ahead
      B: "regular", // 10% ahead
      C: "regular", // 20% ahead, tied with D
      D: "regular",
      E: "generic", // 40% ahead: the E–G tie sits on the cut-off and stays together
      F: "generic",
      G: "generic",
      H: "generic",
      I: "generic",
      J: "generic",
      K: "generic", // no purchases
    });
  });

  it("gives a tie straddling the Premium cut-off the higher tier", () => {
    const list = Array.from({ length: 10 }, (_, i) => buyer(`c${i}`, i < 2 ? 1000 : 10 * i));
    const tiers = assignTiers(scoreCustomers(list, spendOnly), spendOnly);
    expect([tiers.get("c0"), tiers.get("c1"), tiers.get("c9")]).toEqual(["premium", "premium", "regular"]);
  });

  it("makes a single buyer Premium and leaves customers without purchases Generic", () => {
    const tiers = assignTiers(scoreCustomers([buyer("solo", 12), idle("n1"), idle("n2")]));
    expect(tiersOf(tiers)).toEqual({ n1: "generic", n2: "generic", solo: "premium" });
    expect(tiersOf(assignTiers(scoreCustomers([idle("n1")])))).toEqual({ n1: "generic" });
  });
});

describe("assignTiers by share of revenue", () => {
  it("puts customers carrying the first 50% in Premium and the next 30% in Regular", () => {
    const list = [buyer("a", 40), buyer("b", 30), buyer("c", 20), buyer("d", 10)];
    const tiers = assignTiers(scoreCustomers(list, spendOnlyByRevenue), spendOnlyByRevenue);
    // Revenue ahead of each: a 0%, b 40%, c 70%, d 90%.
    expect(tiersOf(tiers)).toEqual({ a: "premium", b: "premium", c: "regular", d: "generic" });
  });

  it("leaves Regular empty when one customer carries 90% of revenue", () => {
    const spends = { A: 9000, B: 200, C: 150, D: 150, E: 100, F: 100, G: 100, H: 80, I: 70, J: 50 };
    const list = [...Object.entries(spends).map(([id, m]) => buyer(id, m)), idle("K")];
    const preview = previewTiers(list, spendOnlyByRevenue);
    expect(preview.tiers).toEqual([
      { tier: "premium", customers: 1, revenue: 9000, revenueShare: 0.9 },
      { tier: "regular", customers: 0, revenue: 0, revenueShare: 0 },
      { tier: "generic", customers: 10, revenue: 1000, revenueShare: 0.1 },
    ]);
    expect(preview.assignments.get("A")).toBe("premium");
  });

  it("keeps everyone Generic when no one has spent anything", () => {
    const list = [buyer("a", 0), buyer("b", 0)];
    expect(tiersOf(assignTiers(scoreCustomers(list, spendOnlyByRevenue), spendOnlyByRevenue))).toEqual({
      a: "generic",
      b: "generic",
    });
  });
});

describe("previewTiers", () => {
  it("counts customers and revenue per tier with the default settings", () => {
    const list = [buyer("solo", 250), idle("n")];
    expect(previewTiers(list).tiers).toEqual([
      { tier: "premium", customers: 1, revenue: 250, revenueShare: 1 },
      { tier: "regular", customers: 0, revenue: 0, revenueShare: 0 },
      { tier: "generic", customers: 1, revenue: 0, revenueShare: 0 },
    ]);
  });
});
