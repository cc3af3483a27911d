// Deployment rules: matching, delay and expiry, quiet periods across surveys, caps, and sampling that
// gives the same answer every time the same event is processed.
import { describe, expect, it, vi } from "vitest";
import {
  decideInvitations,
  deploymentRuleSchema,
  hashSample,
  sampleDraw,
  type DeploymentRule,
  type InvitationHistory,
  type TriggerEvent,
} from "~/cem/deployment-rules";

const at = (iso: string) => new Date(iso);
const rule = (id: string, more: Partial<DeploymentRule> = {}): DeploymentRule =>
  deploymentRuleSchema.parse({ id, deploymentId: `dep-${id}`, eventType: "purchase", ...more });
const purchase: TriggerEvent = { id: "ev-1", customerId: "cu-1", type: "purchase", occurredAt: at("2024-05-01T10:00:00Z") };
const noHistory: InvitationHistory = { lastInvitedAt: () => null, invitationsInPeriod: () => 0 };
const invitedOn = (date: string): InvitationHistory => ({ lastInvitedAt: () => at(date), invitationsInPeriod: () => 0 });
const now = at("2024-05-01T10:05:00Z");

/** mulberry32: a small seeded generator, so a simulation can be replayed. */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("deploymentRuleSchema", () => {
  it("fills sensible defaults", () => {
    expect(deploymentRuleSchema.parse({ id: "r", deploymentId: "d", eventType: "delivery" })).toEqual({
      id: "r",
      deploymentId: "d",
      eventType: "delivery",
      touchpointKey: null,
      delayMinutes: 60,
      samplingRate: 1,
      quietPeriodDays: 30,
      expiryHours: 72,
      capPerPeriod: null,
      active: true,
    });
    expect(deploymentRuleSchema.safeParse({ id: "r", deploymentId: "d", eventType: "Compra" }).success).toBe(false);
  });
});

describe("decideInvitations: timing", () => {
  it("sends after the delay and expires after the expiry", () => {
    const r = rule("r1", { delayMinutes: 90, expiryHours: 48 });
    expect(decideInvitations({ event: purchase, rules: [r], history: noHistory, now })).toEqual({
      invitations: [
        {
          ruleId: "r1",
          deploymentId: "dep-r1",
          customerId: "cu-1",
          eventId: "ev-1",
          sendAt: at("2024-05-01T11:30:00Z"),
          expiresAt: at("2024-05-03T11:30:00Z"),
        },
      ],
      skipped: [],
    });
  });

  it("sends at once when processing is late, and not at all when the invitation would have expired", () => {
    const r = rule("r1", { delayMinutes: 90, expiryHours: 48 });
    const late = decideInvitations({ event: purchase, rules: [r], history: noHistory, now: at("2024-05-02T09:00:00Z") });
    expect(late.invitations[0]).toMatchObject({ sendAt: at("2024-05-02T09:00:00Z"), expiresAt: at("2024-05-04T09:00:00Z") });
    const stale = decideInvitations({ event: purchase, rules: [r], history: noHistory, now: at("2024-05-03T11:30:00Z") });
    expect(stale).toEqual({ invitations: [], skipped: [{ ruleId: "r1", reason: "stale_event" }] });
  });
});

describe("decideInvitations: matching", () => {
  it("skips inactive rules, other event types and other touchpoints", () => {
    const atCheckout = { ...purchase, touchpointKey: "checkout" };
    const result = decideInvitations({
      event: atCheckout,
      rules: [
        rule("off", { active: false }),
        rule("visit", { eventType: "visit" }),
        rule("web", { touchpointKey: "web-checkout" }),
        rule("store", { touchpointKey: "checkout" }),
      ],
      history: noHistory,
      now,
    });
    expect(result.invitations.map((i) => i.ruleId)).toEqual(["store"]);
    expect(result.skipped).toEqual([
      { ruleId: "off", reason: "inactive" },
      { ruleId: "visit", reason: "no_match" },
      { ruleId: "web", reason: "no_match" },
    ]);
    // A rule tied to a touchpoint does not fire for an event that names none.
    const anywhere = decideInvitations({ event: purchase, rules: [rule("store", { touchpointKey: "checkout" })], history: noHistory, now });
    expect(anywhere.skipped).toEqual([{ ruleId: "store", reason: "no_match" }]);
  });

  it("invites no one for an event without a customer", () => {
    const result = decideInvitations({ event: { ...purchase, customerId: null }, rules: [rule("r1")], history: noHistory, now });
    expect(result).toEqual({ invitations: [], skipped: [{ ruleId: "r1", reason: "no_customer" }] });
  });

  it("sends one invitation per event: the first rule that invites wins", () => {
    const result = decideInvitations({ event: purchase, rules: [rule("nps"), rule("csat")], history: noHistory, now });
    expect(result.invitations.map((i) => i.deploymentId)).toEqual(["dep-nps"]);
    expect(result.skipped).toEqual([{ ruleId: "csat", reason: "event_already_invited" }]);
  });

  it("lets the next rule try when the first declines", () => {
    const rules = [rule("half", { samplingRate: 0.5 }), rule("all")];
    const result = decideInvitations({ event: purchase, rules, history: noHistory, random: () => 0.9, now });
    expect(result.invitations.map((i) => i.ruleId)).toEqual(["all"]);
    expect(result.skipped).toEqual([{ ruleId: "half", reason: "sampled_out" }]);
  });
});

describe("decideInvitations: quiet period", () => {
  it("applies across rules and surveys, each rule with its own period", () => {
    // Invited by some other survey of the workspace ten days before this send time.
    const history = invitedOn("2024-04-21T11:00:00Z");
    const rules = [rule("monthly", { quietPeriodDays: 30 }), rule("weekly", { quietPeriodDays: 7 })];
    const result = decideInvitations({ event: purchase, rules, history, now });
    expect(result.skipped).toEqual([{ ruleId: "monthly", reason: "quiet_period" }]);
    expect(result.invitations.map((i) => i.ruleId)).toEqual(["weekly"]);
  });

  it("ends exactly when the period has passed, counts invitations still scheduled, and can be off", () => {
    const r = rule("r1", { quietPeriodDays: 30 }); // sends at 2024-05-01T11:00Z
    expect(decideInvitations({ event: purchase, rules: [r], history: invitedOn("2024-04-01T11:00:00Z"), now }).invitations).toHaveLength(1);
    expect(decideInvitations({ event: purchase, rules: [r], history: invitedOn("2024-04-01T11:00:01Z"), now }).skipped).toEqual([
      { ruleId: "r1", reason: "quiet_period" },
    ]);
    expect(decideInvitations({ event: purchase, rules: [r], history: invitedOn("2024-05-03T00:00:00Z"), now }).skipped).toEqual([
      { ruleId: "r1", reason: "quiet_period" },
    ]);
    const never = rule("r2", { quietPeriodDays: 0 });
    expect(decideInvitations({ event: purchase, rules: [never], history: invitedOn("2024-05-01T11:00:00Z"), now }).invitations).toHaveLength(1);
  });
});

describe("decideInvitations: cap per period", () => {
  it("stops at the cap counted over the period before the send time", () => {
    const r = rule("r1", { capPerPeriod: { max: 5, periodDays: 7 } });
    const counted = vi.fn((_ruleId: string, _since: Date) => 5);
    const full = decideInvitations({ event: purchase, rules: [r], history: { lastInvitedAt: () => null, invitationsInPeriod: counted }, now });
    expect(full).toEqual({ invitations: [], skipped: [{ ruleId: "r1", reason: "cap_reached" }] });
    expect(counted).toHaveBeenCalledWith("r1", at("2024-04-24T11:00:00Z"));
    const room = { lastInvitedAt: () => null, invitationsInPeriod: () => 4 };
    expect(decideInvitations({ event: purchase, rules: [r], history: room, now }).invitations).toHaveLength(1);
    const closed = rule("r2", { capPerPeriod: { max: 0, periodDays: 1 } });
    expect(decideInvitations({ event: purchase, rules: [closed], history: noHistory, now }).skipped[0].reason).toBe("cap_reached");
  });
});

describe("sampling", () => {
  it("hashes to the same answer for the same event and rule, and differs between rules", () => {
    expect(sampleDraw("ev-1", "r1")).toBe(sampleDraw("ev-1", "r1"));
    expect(sampleDraw("ev-1", "r1")).not.toBe(sampleDraw("ev-1", "r2"));
    const ids = Array.from({ length: 2000 }, (_, i) => `ev-${i}`);
    const inR1 = ids.filter((id) => hashSample(id, "r1", 0.3));
    const inR2 = ids.filter((id) => hashSample(id, "r2", 0.3));
    expect(inR1).not.toEqual(inR2);
    expect(ids.filter((id) => hashSample(id, "r1", 0.3))).toEqual(inR1);
  });

  it("samples close to the rate, always at 1 and never at 0", () => {
    const ids = Array.from({ length: 20000 }, (_, i) => `order-${i}`);
    const share = ids.filter((id) => hashSample(id, "rule-a", 0.3)).length / ids.length;
    expect(share).toBeGreaterThan(0.285);
    expect(share).toBeLessThan(0.315);
    expect(ids.every((id) => hashSample(id, "rule-a", 1))).toBe(true);
    expect(ids.some((id) => hashSample(id, "rule-a", 0))).toBe(false);
  });

  it("gives the same decision when the same event is processed again (idempotency)", () => {
    const r = rule("r1", { samplingRate: 0.5 });
    const decisions = Array.from({ length: 40 }, (_, i) => {
      const event = { ...purchase, id: `ev-${i}` };
      const first = decideInvitations({ event, rules: [r], history: noHistory, now });
      const again = decideInvitations({ event, rules: [r], history: noHistory, now });
      expect(again).toEqual(first);
      return first.invitations.length;
    });
    expect(new Set(decisions)).toEqual(new Set([0, 1])); // both outcomes occur across events
  });

  it("replays a simulation from a seed, drawing only for rules that could invite", () => {
    const rules = [rule("off", { active: false, samplingRate: 0.5 }), rule("r1", { samplingRate: 0.5 })];
    const run = (seed: number) => {
      const random = vi.fn(seeded(seed));
      const outcomes = Array.from({ length: 30 }, (_, i) =>
        decideInvitations({ event: { ...purchase, id: `ev-${i}` }, rules, history: noHistory, random, now }).invitations.length,
      );
      return { outcomes, draws: random.mock.calls.length };
    };
    expect(run(7)).toEqual(run(7));
    expect(run(7).draws).toBe(30);
  });
});
