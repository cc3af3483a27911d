// The pure parts of the outbox and of deployment rules: CSV fields, the state a person sees, the
// rule form's conversion to the rule engine's shape, and link tokens.
import { describe, expect, it } from "vitest";
import { deploymentRuleSchema } from "~/cem/deployment-rules";
import { RuleInputSchema, newLinkToken, surveyLink, toEngineRule, type DeploymentRuleRow } from "~/data/deployments.server";
import { CreateInvitationsSchema, csvField, csvLine, effectiveState } from "~/data/invitations.server";

describe("csvField", () => {
  it("quotes what RFC 4180 requires and nothing else", () => {
    expect(csvField("C-1001")).toBe("C-1001");
    expect(csvField("Pérez, Ana")).toBe('"Pérez, Ana"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField("two\nlines")).toBe('"two\nlines"');
    expect(csvField(null)).toBe("");
    expect(csvField(undefined)).toBe("");
  });

  it("defuses spreadsheet formulas but keeps negative numbers", () => {
    expect(csvField("=HYPERLINK(\"http://x\")")).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(csvField("+1+2")).toBe("'+1+2");
    expect(csvField("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvField("-2+3")).toBe("'-2+3");
    expect(csvField("-42")).toBe("-42");
    expect(csvField("-4.5")).toBe("-4.5");
    expect(csvLine(["a", "b,c", null])).toBe('a,"b,c",');
  });
});

describe("effectiveState", () => {
  const now = new Date("2025-05-01T12:00:00Z");
  const past = new Date("2025-05-01T11:59:59Z");
  const future = new Date("2025-05-02T00:00:00Z");
  it("shows an unanswered invitation past its expiry as expired", () => {
    expect(effectiveState({ state: "pending", expiresAt: past }, now)).toBe("expired");
    expect(effectiveState({ state: "opened", expiresAt: past }, now)).toBe("expired");
    expect(effectiveState({ state: "pending", expiresAt: future }, now)).toBe("pending");
    expect(effectiveState({ state: "opened", expiresAt: now }, now)).toBe("opened");
  });
  it("never turns a completed invitation into an expired one", () => {
    expect(effectiveState({ state: "completed", expiresAt: past }, now)).toBe("completed");
    expect(effectiveState({ state: "expired", expiresAt: future }, now)).toBe("expired");
  });
});

describe("rule form", () => {
  const form = { eventType: "delivery_completed", touchpointKey: "", delayMinutes: "90", samplingPercent: "25", quietPeriodDays: "30", expiryHours: "72", capMax: "100", capPeriodDays: "7", active: "on" };

  it("reads people's units (percent) and gives the rule engine a rule its schema accepts", () => {
    const input = RuleInputSchema.parse(form);
    expect(input).toMatchObject({ touchpointKey: null, samplingPercent: 25, capMax: 100, capPeriodDays: 7, active: true });
    const row: DeploymentRuleRow = {
      id: 7,
      workspaceId: 1,
      deploymentId: 3,
      eventType: input.eventType,
      touchpointKey: input.touchpointKey,
      delayMinutes: input.delayMinutes,
      samplingRate: input.samplingPercent / 100,
      quietPeriodDays: input.quietPeriodDays,
      expiryHours: input.expiryHours,
      capMax: input.capMax,
      capPeriodDays: input.capPeriodDays,
      active: input.active,
      position: 0,
      createdAt: new Date(),
    };
    const rule = toEngineRule(row);
    expect(rule).toEqual({
      id: "7",
      deploymentId: "3",
      eventType: "delivery_completed",
      touchpointKey: null,
      delayMinutes: 90,
      samplingRate: 0.25,
      quietPeriodDays: 30,
      expiryHours: 72,
      capPerPeriod: { max: 100, periodDays: 7 },
      active: true,
    });
    expect(deploymentRuleSchema.parse(rule)).toEqual(rule);
    expect(toEngineRule({ ...row, capMax: null, capPeriodDays: null }).capPerPeriod).toBeNull();
  });

  it("names each wrong field's reason (a message key or zod's issue, worded by the form)", () => {
    const parsed = RuleInputSchema.safeParse({ ...form, eventType: "Delivery!", samplingPercent: "120", delayMinutes: "-1", expiryHours: "0", capPeriodDays: "" });
    expect(parsed.success).toBe(false);
    const byField = Object.fromEntries(parsed.error!.issues.map((i) => [i.path.join("."), i]));
    expect(byField.eventType.message).toBe("rule.error.eventType");
    expect(byField.samplingPercent).toMatchObject({ code: "too_big", maximum: 100 });
    expect(byField.delayMinutes).toMatchObject({ code: "too_small", minimum: 0 });
    expect(byField.expiryHours).toMatchObject({ code: "too_small", minimum: 1 });
    const cap = RuleInputSchema.safeParse({ ...form, capPeriodDays: "" });
    expect(cap.error?.issues[0]).toMatchObject({ path: ["capPeriodDays"], message: "rule.error.capPair" });
    expect(RuleInputSchema.parse({ ...form, active: undefined }).active).toBe(false);
  });
});

describe("links", () => {
  it("are unguessable base64url tokens of 192 bits under /s/", () => {
    const tokens = new Set(Array.from({ length: 200 }, () => newLinkToken()));
    expect(tokens.size).toBe(200);
    for (const token of tokens) expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(surveyLink("https://cx.example", "abc")).toBe("https://cx.example/s/abc");
  });

  it("the invitation request schema defaults the expiry to a week and bounds the list", () => {
    expect(CreateInvitationsSchema.parse({ deployment: 1, customers: ["a"] }).expiresInHours).toBe(168);
    expect(CreateInvitationsSchema.safeParse({ deployment: 1, customers: Array.from({ length: 1001 }, (_, i) => `c${i}`) }).success).toBe(false);
  });
});
