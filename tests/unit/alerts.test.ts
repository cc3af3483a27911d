// Alerts and digests, pure: which findings a rule's kind picks out of the home's computations (drops
// only when significant after BH, targets only when the interval lies below), the two-proportion test
// behind rises in detractors, stable occurrence keys, evidence links, the rule form, and the digest
// send times across month ends and the changes to and from summer time.
import { describe, expect, it } from "vitest";
import { AlertRuleInputSchema, detractorRises, evidencePath, occurrenceKey, ruleOccurrences, scopeTouchpoints, type AlertEvidence, type AlertFinding } from "~/cem/alerts";
import { digestOwed, digestPeriodAt, nextDigestAt } from "~/cem/digest-schedule";
import { homeFindings, type HomeUnit } from "~/cem/home-findings";
import { zeroSums, type KindSums } from "~/cem/insights";
import type { RollupColumns } from "~/cem/rollup";
import { proportionTest } from "~/cem/significance";
import type { Target } from "~/cem/targets";

function gapSums(n: number, mean: number, sd: number): RollupColumns {
  return { ...zeroSums(), n, sum: n * mean, sumSq: (n - 1) * sd * sd + n * mean * mean, sumP: n * 5, sumE: n * (5 - mean) };
}
function npsSums(n: number, promoters: number, detractors: number): RollupColumns {
  return { ...zeroSums(), n, promoters, detractors, passives: n - promoters - detractors };
}
const unit = (kind: HomeUnit["kind"], key: string): HomeUnit => ({ kind, key, name: key, detail: "" });
const one = (sums: KindSums) => new Map([["regular", sums]]);
const WINDOW = { from: "2026-09-09", to: "2026-12-07" };
const noCases: AlertEvidence["overdue"] = [];

function evidence(units: { unit: HomeUnit; now: KindSums; previous: KindSums }[], targets: Target[] = []): AlertEvidence {
  const home = homeFindings({ units: units.map((u) => ({ unit: u.unit, byTier: one(u.now), previous: u.previous })), targets, minN: 10, day: WINDOW.to, limit: 1000 });
  return { home, detractors: detractorRises(units, 10), overdue: noCases };
}

describe("rule evaluation", () => {
  const delivery = unit("process", "card-delivery");
  const branch = unit("process", "branch");
  const units = [
    // card delivery: gap fell from +0.2 to −1.2 over 60 responses a side; detractors 10 → 30 of 60.
    { unit: delivery, now: { gap: gapSums(60, -1.2, 1), nps: npsSums(60, 10, 30) }, previous: { gap: gapSums(60, 0.2, 1), nps: npsSums(60, 20, 10) } },
    // branch: no real change (−0.1 against 0), detractors steady.
    { unit: branch, now: { gap: gapSums(60, -0.1, 1), nps: npsSums(60, 20, 10) }, previous: { gap: gapSums(60, 0, 1), nps: npsSums(60, 20, 11) } },
  ];

  it("a drop rule fires on the significant fall only, with its q", () => {
    const found = ruleOccurrences("banco", { id: 7, name: "Caídas", kind: "drop", scope: null, scopeKey: null }, evidence(units), WINDOW);
    const drops = found.map((o) => o.finding).filter((f): f is Extract<AlertFinding, { kind: "drop" }> => f.kind === "drop");
    expect(drops.map((d) => `${d.unit.key}:${d.metric}`).sort()).toEqual(["card-delivery:gap", "card-delivery:nps"]);
    for (const d of drops) {
      expect(d.difference).toBeLessThan(0);
      expect(d.q).toBeLessThanOrEqual(0.05);
    }
  });

  it("a rise is not a drop", () => {
    const rising = [{ unit: delivery, now: { gap: gapSums(60, 0.8, 1) }, previous: { gap: gapSums(60, -0.8, 1) } }];
    expect(ruleOccurrences("banco", { id: 1, name: "x", kind: "drop", scope: null, scopeKey: null }, evidence(rising), WINDOW)).toEqual([]);
  });

  it("a target rule fires when the interval lies wholly below the target in effect, not when it crosses it", () => {
    const targets: Target[] = [
      { id: 1, unit: "process", unitKey: "card-delivery", metric: "gap", value: 0, fromDay: null },
      { id: 2, unit: "process", unitKey: "branch", metric: "gap", value: -0.1, fromDay: null },
      // Not yet in effect on the window's last day.
      { id: 3, unit: "process", unitKey: "branch", metric: "nps", value: 90, fromDay: "2027-01-01" },
    ];
    const found = ruleOccurrences("banco", { id: 2, name: "Objetivos", kind: "target", scope: null, scopeKey: null }, evidence(units, targets), WINDOW);
    expect(found).toHaveLength(1);
    const f = found[0].finding as Extract<AlertFinding, { kind: "target" }>;
    expect(f.unit.key).toBe("card-delivery");
    expect(f.estimate.hi!).toBeLessThan(0);
    expect(found[0].evidencePath).toBe("/w/banco/insights?from=2026-09-09&to=2026-12-07&by=process");
  });

  it("a detractors rule fires on a significant rise in their share, after BH over the units", () => {
    const found = ruleOccurrences("banco", { id: 3, name: "Detractores", kind: "detractors", scope: null, scopeKey: null }, evidence(units), WINDOW);
    expect(found.map((o) => (o.finding as { unit: HomeUnit }).unit.key)).toEqual(["card-delivery"]);
    expect(found[0].evidencePath).toContain("/w/banco/insights/responses?");
    expect(found[0].evidencePath).toContain("process=card-delivery");
    expect(found[0].evidencePath).toContain("nps=detractor");
  });

  it("nothing below the minimum n is tested", () => {
    const small = [{ unit: delivery, now: { nps: npsSums(9, 0, 9) }, previous: { nps: npsSums(60, 30, 0) } }];
    expect(detractorRises(small, 10)).toEqual([]);
  });

  it("an overdue rule fires once per case in its scope, linking to the case", () => {
    const overdue = [
      { id: 41, dueAt: "2026-12-01T10:00:00.000Z", touchpointKey: "courier", processKey: "card-delivery", journeyKey: "onboarding", touchpointName: "Mensajero" },
      { id: 42, dueAt: "2026-12-02T10:00:00.000Z", touchpointKey: "teller", processKey: "branch", journeyKey: "onboarding", touchpointName: "Caja" },
    ];
    const ev = { ...evidence([]), overdue };
    const found = ruleOccurrences("banco", { id: 9, name: "Vencidos", kind: "overdue", scope: "process", scopeKey: "card-delivery" }, ev, WINDOW);
    expect(found.map((o) => o.key)).toEqual(["r9:case:41"]);
    expect(found[0].evidencePath).toBe("/w/banco/cases/41");
  });
});

describe("occurrence keys", () => {
  const drop: AlertFinding = { kind: "drop", unit: unit("process", "card-delivery"), metric: "gap", now: { n: 60, value: -1, lo: -1.2, hi: -0.8 }, difference: -1, lo: null, hi: null, q: 0.01 };

  it("stay the same through a week as the window moves, and change with the next week", () => {
    // 2026-12-07 is a Monday: through Sunday 13th the same key, Monday 14th a new one.
    const monday = occurrenceKey(5, drop, "2026-12-07");
    expect(occurrenceKey(5, drop, "2026-12-10")).toBe(monday);
    expect(occurrenceKey(5, drop, "2026-12-13")).toBe(monday);
    expect(occurrenceKey(5, drop, "2026-12-14")).not.toBe(monday);
    expect(monday).toBe("r5:process:card-delivery:gap:2026-12-07");
  });

  it("tell rules, units and metrics apart, and key a case by its id alone", () => {
    expect(occurrenceKey(6, drop, "2026-12-07")).not.toBe(occurrenceKey(5, drop, "2026-12-07"));
    expect(occurrenceKey(5, { ...drop, metric: "nps" }, "2026-12-07")).not.toBe(occurrenceKey(5, drop, "2026-12-07"));
    const overdue: AlertFinding = { kind: "overdue", caseId: 12, dueAt: "2026-12-01T00:00:00Z", touchpointName: null };
    expect(occurrenceKey(5, overdue, "2026-12-07")).toBe(occurrenceKey(5, overdue, "2027-03-01"));
  });

  it("an attribute's detractors link to its touchpoint's responses", () => {
    const f: AlertFinding = { kind: "detractors", unit: unit("attribute", "courier/punctuality"), now: { n: 60, value: 0.5, lo: null, hi: null }, before: { n: 60, value: 0.2, lo: null, hi: null }, difference: 0.3, q: 0.01 };
    expect(evidencePath("b", f, WINDOW)).toContain("touchpoint=courier");
  });
});

describe("two-proportion test", () => {
  it("matches hand arithmetic: 30 of 60 against 10 of 60", () => {
    // p̄ = 40/120 = 1/3; se0 = √(1/3·2/3·(2/60)) = √(0.0074074) = 0.086066; z = (0.5 − 0.1667)/0.086066 = 3.8730
    const t = proportionTest({ n: 60, k: 30 }, { n: 60, k: 10 })!;
    expect(t.difference).toBeCloseTo(1 / 3, 10);
    expect(t.statistic).toBeCloseTo(3.873, 3);
    expect(t.p).toBeCloseTo(0.0001075, 5);
    expect(proportionTest({ n: 0, k: 0 }, { n: 5, k: 1 })).toBeNull();
  });
});

describe("the rule form and scopes", () => {
  it("reads the scope select and refuses what is not one", () => {
    const ok = AlertRuleInputSchema.parse({ name: " Objetivo entrega ", kind: "target", for: "process:card-delivery", subscribe: "on" });
    expect(ok).toEqual({ name: "Objetivo entrega", kind: "target", for: { scope: "process", scopeKey: "card-delivery" }, subscribe: "on" });
    expect(AlertRuleInputSchema.parse({ name: "x", kind: "drop", for: "" }).for).toEqual({ scope: null, scopeKey: null });
    const bad = AlertRuleInputSchema.safeParse({ name: "", kind: "nope", for: "planet:mars" });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues.map((i) => i.message).sort()).toEqual(["alerts.error.kind", "alerts.error.name", "alerts.error.scope"]);
  });

  it("narrows touchpoints to a journey, a process or one touchpoint", () => {
    const tps = [
      { key: "a", journeyKey: "j1", processKey: "p1" },
      { key: "b", journeyKey: "j1", processKey: null },
      { key: "c", journeyKey: "j2", processKey: "p1" },
    ];
    expect(scopeTouchpoints(tps, { scope: null, scopeKey: null }).map((t) => t.key)).toEqual(["a", "b", "c"]);
    expect(scopeTouchpoints(tps, { scope: "journey", scopeKey: "j1" }).map((t) => t.key)).toEqual(["a", "b"]);
    expect(scopeTouchpoints(tps, { scope: "process", scopeKey: "p1" }).map((t) => t.key)).toEqual(["a", "c"]);
    expect(scopeTouchpoints(tps, { scope: "touchpoint", scopeKey: "b" }).map((t) => t.key)).toEqual(["b"]);
  });
});

describe("digest periods", () => {
  const MADRID = "Europe/Madrid";

  it("weekly: Monday 07:00 Madrid, in winter (UTC+1) and in summer (UTC+2)", () => {
    expect(digestPeriodAt(new Date("2026-12-07T06:00:00Z"), "weekly", MADRID)).toEqual({ period: "2026-12-07", startsAt: new Date("2026-12-07T06:00:00Z") });
    // A minute before the send time it is still last week's period.
    expect(digestPeriodAt(new Date("2026-12-07T05:59:00Z"), "weekly", MADRID).period).toBe("2026-11-30");
    expect(digestPeriodAt(new Date("2026-07-08T12:00:00Z"), "weekly", MADRID)).toEqual({ period: "2026-07-06", startsAt: new Date("2026-07-06T05:00:00Z") });
  });

  it("weekly across the change to summer time (Sunday 29 March 2026) and back (Sunday 25 October)", () => {
    // Monday 23 March is still winter (06:00Z); Monday 30 March is summer (05:00Z): one week is 167 hours.
    expect(nextDigestAt(new Date("2026-03-23T06:00:00Z"), "weekly", MADRID)).toEqual(new Date("2026-03-30T05:00:00Z"));
    expect(nextDigestAt(new Date("2026-10-19T05:00:00Z"), "weekly", MADRID)).toEqual(new Date("2026-10-26T06:00:00Z"));
    // Saturday night before the change: the next send is Monday 07:00 local, summer time.
    expect(nextDigestAt(new Date("2026-03-28T23:30:00Z"), "weekly", MADRID)).toEqual(new Date("2026-03-30T05:00:00Z"));
  });

  it("monthly: the 1st at 07:00, across month and year ends", () => {
    expect(digestPeriodAt(new Date("2026-12-31T23:00:00Z"), "monthly", MADRID).period).toBe("2026-12");
    expect(nextDigestAt(new Date("2026-12-31T23:00:00Z"), "monthly", MADRID)).toEqual(new Date("2027-01-01T06:00:00Z"));
    expect(nextDigestAt(new Date("2027-01-31T12:00:00Z"), "monthly", MADRID)).toEqual(new Date("2027-02-01T06:00:00Z"));
    expect(nextDigestAt(new Date("2027-02-28T12:00:00Z"), "monthly", MADRID)).toEqual(new Date("2027-03-01T06:00:00Z"));
    // 1 April after the change to summer time: 05:00Z.
    expect(nextDigestAt(new Date("2026-03-15T12:00:00Z"), "monthly", MADRID)).toEqual(new Date("2026-04-01T05:00:00Z"));
    // Before 07:00 on the 1st: the previous month's period.
    expect(digestPeriodAt(new Date("2026-04-01T04:59:00Z"), "monthly", MADRID).period).toBe("2026-03");
  });

  it("in a zone far from UTC the local date decides (Monday in Auckland is Sunday in UTC)", () => {
    expect(digestPeriodAt(new Date("2026-12-06T18:00:00Z"), "weekly", "Pacific/Auckland")).toEqual({ period: "2026-12-07", startsAt: new Date("2026-12-06T18:00:00Z") });
  });

  it("a member who subscribes mid-week waits for the next Monday; one digest per period", () => {
    const due = digestPeriodAt(new Date("2026-12-09T10:00:00Z"), "weekly", MADRID);
    expect(digestOwed(new Date("2026-12-09T09:00:00Z"), due, false)).toBe(false);
    expect(digestOwed(new Date("2026-12-01T09:00:00Z"), due, false)).toBe(true);
    expect(digestOwed(new Date("2026-12-01T09:00:00Z"), due, true)).toBe(false);
  });
});
