import { describe, expect, it } from "vitest";
import {
  businessHoursBetween,
  businessHoursSchema,
  defaultSlaSettings,
  dueAt,
  isOverdue,
  slaReport,
  slaSettingsSchema,
  tierOf,
  type SlaCase,
} from "~/cem/sla";

// Bogotá: UTC−5 all year, Monday–Friday 09:00–18:00 (9 working hours a day).
const bogota = businessHoursSchema.parse({ utcOffsetMinutes: -300 });
const withBusinessHours = slaSettingsSchema.parse({ businessHours: bogota });
/** An instant given on Bogotá's wall clock. */
const local = (iso: string) => new Date(`${iso}-05:00`);

describe("dueAt", () => {
  it("uses calendar hours by tier by default; unknown tiers are Generic", () => {
    const opened = new Date("2025-03-07T21:00:00Z");
    expect(dueAt(opened, "Premium", defaultSlaSettings)).toEqual(new Date("2025-03-08T21:00:00Z"));
    expect(dueAt(opened, "regular", defaultSlaSettings)).toEqual(new Date("2025-03-09T21:00:00Z"));
    expect(dueAt(opened, "Generic", defaultSlaSettings)).toEqual(new Date("2025-03-10T21:00:00Z"));
    expect(dueAt(opened, "VIP", defaultSlaSettings)).toEqual(new Date("2025-03-10T21:00:00Z"));
    expect(dueAt(opened, null, defaultSlaSettings)).toEqual(new Date("2025-03-10T21:00:00Z"));
    expect(tierOf(" PREMIUM ")).toBe("premium");
  });

  it("counts only business hours across a weekend", () => {
    // Friday 16:00 + 24 working hours: Fri 2 h, Mon 9 h, Tue 9 h, Wed 4 h → Wednesday 13:00.
    expect(dueAt(local("2025-03-07T16:00:00"), "premium", withBusinessHours)).toEqual(local("2025-03-12T13:00:00"));
  });

  it("starts the clock at the next opening and may end exactly at closing time", () => {
    const settings = slaSettingsSchema.parse({ hoursByTier: { premium: 9 }, businessHours: bogota });
    // Opened on Saturday: clock starts Monday 09:00; 9 hours end Monday 18:00, not Tuesday 09:00.
    expect(dueAt(local("2025-03-08T11:00:00"), "premium", settings)).toEqual(local("2025-03-10T18:00:00"));
    // Opened Monday 07:30, before opening.
    expect(dueAt(local("2025-03-10T07:30:00"), "premium", settings)).toEqual(local("2025-03-10T18:00:00"));
    // Opened Monday 20:00, after closing: Tuesday 09:00 + 9 h.
    expect(dueAt(local("2025-03-10T20:00:00"), "premium", settings)).toEqual(local("2025-03-11T18:00:00"));
  });

  it("validates the working day", () => {
    expect(businessHoursSchema.safeParse({ start: "18:00", end: "09:00" }).success).toBe(false);
    expect(businessHoursSchema.safeParse({ start: "9:00" }).success).toBe(false);
    expect(businessHoursSchema.safeParse({ days: [] }).success).toBe(false);
    expect(slaSettingsSchema.safeParse({ hoursByTier: { premium: 0 } }).success).toBe(false);
  });
});

describe("businessHoursBetween", () => {
  it("skips nights and the weekend", () => {
    // Friday 17:00 → Monday 10:00: 1 h on Friday + 1 h on Monday.
    expect(businessHoursBetween(local("2025-03-07T17:00:00"), local("2025-03-10T10:00:00"), bogota)).toBe(2);
    // A whole working week.
    expect(businessHoursBetween(local("2025-03-10T00:00:00"), local("2025-03-17T00:00:00"), bogota)).toBe(45);
    // Entirely within a weekend.
    expect(businessHoursBetween(local("2025-03-08T10:00:00"), local("2025-03-09T20:00:00"), bogota)).toBe(0);
    expect(businessHoursBetween(local("2025-03-10T12:00:00"), local("2025-03-10T11:00:00"), bogota)).toBe(0);
  });

  it("agrees with dueAt", () => {
    const opened = local("2025-03-07T16:00:00");
    expect(businessHoursBetween(opened, dueAt(opened, "regular", withBusinessHours), bogota)).toBe(48);
  });
});

describe("isOverdue", () => {
  const due = new Date("2025-03-10T12:00:00Z");
  it("is overdue only while unresolved past due", () => {
    expect(isOverdue({ dueAt: due }, new Date("2025-03-10T12:00:00Z"))).toBe(false);
    expect(isOverdue({ dueAt: due }, new Date("2025-03-10T12:00:01Z"))).toBe(true);
    expect(isOverdue({ dueAt: due, resolvedAt: new Date("2025-03-11T00:00:00Z") }, new Date("2025-03-12T00:00:00Z"))).toBe(false);
    expect(isOverdue({ dueAt: due, status: "closed" }, new Date("2025-03-12T00:00:00Z"))).toBe(false);
  });
});

describe("slaReport", () => {
  const t0 = Date.UTC(2025, 2, 10, 0);
  const h = (hours: number) => new Date(t0 + hours * 3_600_000);
  const cases: SlaCase[] = [
    { tier: "Premium", process: "billing", openedAt: h(0), firstActionAt: h(2), resolvedAt: h(10), dueAt: h(24) }, // met
    { tier: "Premium", process: "billing", openedAt: h(0), firstActionAt: h(4), resolvedAt: h(30), dueAt: h(24) }, // missed
    { tier: "Regular", process: "delivery", openedAt: h(0), firstActionAt: h(6), resolvedAt: null, dueAt: h(48) }, // open
    { tier: "VIP", process: "delivery", openedAt: h(0), firstActionAt: h(1), resolvedAt: h(20), dueAt: h(72) }, // met
  ];

  it("summarises overall, per process and per tier", () => {
    const report = slaReport(cases, { now: h(50) });
    expect(report.overall).toEqual({
      n: 4,
      firstAction: { n: 4, medianHours: 3, meanHours: 3.25 }, // 1, 2, 4, 6
      resolution: { n: 3, medianHours: 20, meanHours: 20 }, // 10, 20, 30
      withinSla: { met: 2, n: 4, share: 0.5 }, // the open case is past due at h(50): a miss
    });
    expect(report.byProcess.map((g) => g.key)).toEqual(["billing", "delivery"]);
    expect(report.byProcess[0]).toMatchObject({
      n: 2,
      firstAction: { n: 2, medianHours: 3, meanHours: 3 },
      resolution: { n: 2, medianHours: 20, meanHours: 20 },
      withinSla: { met: 1, n: 2, share: 0.5 },
    });
    expect(report.byProcess[1]).toMatchObject({
      firstAction: { n: 2, medianHours: 3.5, meanHours: 3.5 },
      resolution: { n: 1, medianHours: 20, meanHours: 20 },
      withinSla: { met: 1, n: 2, share: 0.5 },
    });
    expect(report.byTier.map((g) => [g.key, g.n, g.withinSla.share])).toEqual([
      ["generic", 1, 1],
      ["premium", 2, 0.5],
      ["regular", 1, 0],
    ]);
  });

  it("leaves open cases not yet due out of the SLA share", () => {
    expect(slaReport(cases).overall.withinSla).toEqual({ met: 2, n: 3, share: 2 / 3 });
    expect(slaReport(cases, { now: h(40) }).overall.withinSla).toEqual({ met: 2, n: 3, share: 2 / 3 });
    expect(slaReport([]).overall).toEqual({
      n: 0,
      firstAction: { n: 0, medianHours: null, meanHours: null },
      resolution: { n: 0, medianHours: null, meanHours: null },
      withinSla: { met: 0, n: 0, share: null },
    });
  });

  it("measures in working hours when asked", () => {
    const opened = local("2025-03-07T17:00:00"); // Friday
    const report = slaReport(
      [{ tier: "premium", process: "support", openedAt: opened, firstActionAt: local("2025-03-10T10:00:00"), resolvedAt: null, dueAt: opened }],
      { businessHours: bogota },
    );
    expect(report.overall.firstAction.medianHours).toBe(2);
  });
});
