// Segmentation in the database: behaviour aggregated by SQLite equals the pure customerBehaviour on the
// same events; recomputing tiers keeps customers.tier current and writes history only on change.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, asc, eq } from "drizzle-orm";
import { freshDatabasePath, removeDatabase } from "../support/database";
import { getDb } from "#db/client";
import { crmEvents, customers, customerTiers, segmentationSettings, workspaces } from "#db/schema/index";
import { customerBehaviours, defaultSegmentationSettings, segmentationSettingsSchema } from "~/cem/segmentation";
import {
  hasSavedSegmentationSettings,
  loadSegmentationSettings,
  previewSegmentation,
  recomputeTiers,
  saveSegmentationSettings,
  workspaceBehaviours,
} from "~/data/segmentation.server";

const dbFile = freshDatabasePath("crm-data-segmentation");
const DAY = 86_400_000;
const asOf = new Date("2026-06-30T12:00:00Z");
let ws: number;
let other: number;

function seeded(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Ev = { customerId: string; type: string; occurredAt: Date; amount: number | null };
const events: Ev[] = [];
const people: { customerId: string; customerSince: Date | null }[] = [];

beforeAll(async () => {
  const db = getDb();
  [{ id: ws }] = await db.insert(workspaces).values({ slug: "seg", name: "Seg" }).returning();
  [{ id: other }] = await db.insert(workspaces).values({ slug: "seg-other", name: "Other" }).returning();
  const random = seeded(3);
  for (let i = 0; i < 300; i++) {
    const since = random() < 0.5 ? new Date(asOf.getTime() - Math.floor(random() * 2000) * DAY) : random() < 0.1 ? new Date(asOf.getTime() + DAY) : null;
    const [c] = await db.insert(customers).values({ workspaceId: ws, externalId: `C-${i}`, customerSince: since }).returning();
    people.push({ customerId: String(c.id), customerSince: since });
    const n = Math.floor(random() * 12);
    for (let k = 0; k < n; k++) {
      const type = random() < 0.6 ? "purchase" : random() < 0.5 ? "visit" : "ticket_opened";
      // Some in the future of asOf, some before the window, some refunds, some without an amount.
      const occurredAt = new Date(asOf.getTime() - Math.floor((random() * 900 - 30) * DAY) + Math.floor(random() * DAY));
      const amount = type !== "purchase" ? null : random() < 0.1 ? null : random() < 0.1 ? -Math.round(random() * 50) : Math.round(random() * 300 * 100) / 100;
      await db.insert(crmEvents).values({ workspaceId: ws, customerId: c.id, dedupeKey: `k-${i}-${k}`, type, occurredAt, amount });
      events.push({ customerId: String(c.id), type, occurredAt, amount });
    }
  }
  // Another workspace's data must not leak into this one's ranking.
  const [o] = await db.insert(customers).values({ workspaceId: other, externalId: "C-0" }).returning();
  await db.insert(crmEvents).values({ workspaceId: other, customerId: o.id, dedupeKey: "o", type: "purchase", occurredAt: asOf, amount: 1e6 });
});

afterAll(() => removeDatabase(dbFile));

describe("workspaceBehaviours", () => {
  const compare = async () => {
    for (const windowDays of [30, 365]) {
      const fromSql = new Map((await workspaceBehaviours(ws, asOf, windowDays)).map((b) => [b.customerId, b]));
      const pure = customerBehaviours(people, events, asOf, windowDays);
      expect(fromSql.size).toBe(pure.length);
      for (const p of pure) {
        const s = fromSql.get(p.customerId)!;
        expect({ ...s, monetary: 0, averageTicket: 0 }, p.customerId).toEqual({ ...p, monetary: 0, averageTicket: 0 });
        expect(s.monetary).toBeCloseTo(p.monetary, 6);
        expect(s.averageTicket).toBeCloseTo(p.averageTicket, 6);
      }
    }
  };

  it("equals the pure customerBehaviour for every customer and window (one pass over the table)", compare);

  it("equals it too when the workspace is a small part of the table (through the customer index)", async () => {
    const [o] = await getDb().select({ id: customers.id }).from(customers).where(eq(customers.workspaceId, other)).limit(1);
    const bulk = Array.from({ length: events.length * 4 }, (_, i) => ({
      workspaceId: other,
      customerId: o.id,
      dedupeKey: `bulk-${i}`,
      type: "visit",
      occurredAt: asOf,
    }));
    await getDb().transaction(async (tx) => {
      for (let i = 0; i < bulk.length; i += 500) await tx.insert(crmEvents).values(bulk.slice(i, i + 500));
    });
    await compare();
  });
});

describe("recomputeTiers", () => {
  const tiersOf = async () =>
    new Map(
      (await getDb().select({ id: customers.id, tier: customers.tier }).from(customers).where(eq(customers.workspaceId, ws))).map((r) => [r.id, r.tier]),
    );
  const historyRows = () => getDb().select().from(customerTiers).where(eq(customerTiers.workspaceId, ws));

  it("previews without writing", async () => {
    const preview = await previewSegmentation(ws, defaultSegmentationSettings, asOf);
    expect(preview.customers).toBe(300);
    expect(preview.tiers.reduce((n, t) => n + t.customers, 0)).toBe(300);
    expect([...(await tiersOf()).values()].every((t) => t === null)).toBe(true);
  });

  it("writes every customer's tier, RFM and behaviour, with a first history row each", async () => {
    const result = await recomputeTiers(ws, asOf);
    expect(result.customers).toBe(300);
    expect(result.changedTiers).toBe(300);
    expect(await historyRows()).toHaveLength(300);
    const preview = await previewSegmentation(ws, defaultSegmentationSettings, asOf);
    expect(result.tiers).toEqual(preview.tiers);
    const premium = await getDb().select().from(customers).where(and(eq(customers.workspaceId, ws), eq(customers.tier, "premium")));
    expect(premium.length).toBe(preview.tiers.find((t) => t.tier === "premium")!.customers);
    expect(premium.every((c) => c.rfmR !== null && c.rfmSegment !== null && (c.frequency ?? 0) > 0)).toBe(true);
    const [untouched] = await getDb().select().from(customers).where(eq(customers.workspaceId, other)).limit(1);
    expect(untouched.tier).toBeNull();
  });

  it("adds history only for customers whose tier changed", async () => {
    expect(await recomputeTiers(ws, asOf)).toMatchObject({ changedTiers: 0, updated: 0 });
    expect(await historyRows()).toHaveLength(300);
    // A narrower Premium band demotes some customers: exactly those get a new history row.
    const before = await tiersOf();
    await saveSegmentationSettings(ws, segmentationSettingsSchema.parse({ cutoff: { method: "score_percentile", premiumShare: 0.02, regularShare: 0.3 } }));
    const result = await recomputeTiers(ws, asOf);
    const after = await tiersOf();
    const changed = [...after].filter(([id, tier]) => before.get(id) !== tier).map(([id]) => id);
    expect(changed.length).toBeGreaterThan(0);
    expect(result.changedTiers).toBe(changed.length);
    expect(await historyRows()).toHaveLength(300 + changed.length);
    const last = (
      await getDb()
        .select()
        .from(customerTiers)
        .where(eq(customerTiers.customerId, changed[0]))
        .orderBy(asc(customerTiers.id))
    ).at(-1)!;
    expect(last.tier).toBe(after.get(changed[0]));
  });
});

describe("settings", () => {
  it("saves, loads, and falls back to the defaults when nothing valid is stored", async () => {
    expect(await hasSavedSegmentationSettings(other)).toBe(false);
    expect(await loadSegmentationSettings(other)).toEqual(defaultSegmentationSettings);
    const custom = segmentationSettingsSchema.parse({ windowDays: 90, cutoff: { method: "revenue_share" } });
    await saveSegmentationSettings(other, custom);
    expect(await loadSegmentationSettings(other)).toEqual(custom);
    await getDb().update(segmentationSettings).set({ settings: "{not json" }).where(eq(segmentationSettings.workspaceId, other));
    expect(await loadSegmentationSettings(other)).toEqual(defaultSegmentationSettings);
  });
});
