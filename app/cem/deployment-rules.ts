// Deployment rules: which CRM events turn into personal survey invitations, when they are sent and
// when they expire, without pestering a customer (quiet period, caps) and the same way every time.
import { z } from "zod";

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

export const deploymentRuleSchema = z.object({
  id: z.string().min(1),
  deploymentId: z.string().min(1),
  eventType: z.string().regex(/^[a-z0-9_]+$/, "Event type: lower-case letters, digits and _"),
  /** Only events at this touchpoint; null matches the event type at any touchpoint. */
  touchpointKey: z.string().min(1).nullable().default(null),
  /** After the moment of truth, not during it: a delivery survey sent before the parcel is opened asks too soon. */
  delayMinutes: z.number().int().min(0).max(60 * 24 * 90).default(60),
  samplingRate: z.number().min(0).max(1).default(1),
  /** No invitation if this customer got one, from any survey of the workspace, this recently. */
  quietPeriodDays: z.number().min(0).max(3650).default(30),
  expiryHours: z.number().positive().max(24 * 365).default(72),
  capPerPeriod: z
    .object({ max: z.number().int().min(0), periodDays: z.number().positive().max(3650) })
    .nullable()
    .default(null),
  active: z.boolean().default(true),
});

export type DeploymentRule = z.output<typeof deploymentRuleSchema>;

export type TriggerEvent = {
  id: string;
  /** null for an event we cannot tie to a customer: there is no one to invite. */
  customerId: string | null;
  type: string;
  occurredAt: Date;
  touchpointKey?: string | null;
};

export type InvitationHistory = {
  /** Send time of the customer's latest invitation, sent or still scheduled, across every survey of the workspace. */
  lastInvitedAt(customerId: string): Date | null;
  /** Invitations this rule has scheduled with a send time at or after `since`. */
  invitationsInPeriod(ruleId: string, since: Date): number;
};

export type PlannedInvitation = {
  ruleId: string;
  deploymentId: string;
  customerId: string;
  eventId: string;
  sendAt: Date;
  expiresAt: Date;
};

export type SkipReason =
  | "inactive"
  | "no_match"
  | "no_customer"
  | "stale_event"
  | "quiet_period"
  | "cap_reached"
  | "sampled_out"
  | "event_already_invited";

export type InvitationDecision = {
  invitations: PlannedInvitation[];
  skipped: { ruleId: string; reason: SkipReason }[];
};

/**
 * A uniform draw in [0, 1) fixed by the event and the rule: FNV-1a over both ids, then the murmur3
 * finaliser to spread nearby ids. Pure arithmetic (no node:crypto) so the rule editor can preview it
 * in the browser. Hashing the rule id too keeps two rules at 10% from picking the same customers.
 */
export function sampleDraw(eventId: string, ruleId: string): number {
  let h = 0x811c9dc5;
  for (const ch of `${ruleId}\u0000${eventId}`) {
    h ^= ch.codePointAt(0)!;
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 0x1_0000_0000;
}

/** Whether the event is in the rule's sample: the same answer for the same event, however often it is processed. */
export function hashSample(eventId: string, ruleId: string, rate: number): boolean {
  return rate >= 1 || sampleDraw(eventId, ruleId) < rate;
}

export type DecideInvitationsInput = {
  event: TriggerEvent;
  /** In priority order. */
  rules: readonly DeploymentRule[];
  history: InvitationHistory;
  /** A seeded draw in [0, 1) for simulations; without it sampling hashes the ids (idempotent). */
  random?: () => number;
  now: Date;
};

/**
 * What one CRM event triggers. Rules are tried in order and the first that produces an invitation
 * wins; later matching rules are skipped ("event_already_invited"), so one event never brings a
 * customer two surveys. A rule that matches but declines (quiet period, cap, sampling) lets the next
 * rule try, so a second survey can take the customers the first one did not sample.
 *
 * Times: sendAt = occurredAt + delay, or now when processing is late (an invitation is never
 * scheduled in the past); expiresAt = sendAt + expiry. An event so old that an invitation sent on time
 * would already have expired is "stale_event": a backfilled purchase from last year asks nothing.
 * The quiet period and the cap are measured on send times.
 */
export function decideInvitations({ event, rules, history, random, now }: DecideInvitationsInput): InvitationDecision {
  const invitations: PlannedInvitation[] = [];
  const skipped: InvitationDecision["skipped"] = [];
  const skip = (rule: DeploymentRule, reason: SkipReason) => skipped.push({ ruleId: rule.id, reason });
  const lastInvitedAt = event.customerId === null ? null : history.lastInvitedAt(event.customerId);

  for (const rule of rules) {
    if (!rule.active) {
      skip(rule, "inactive");
      continue;
    }
    if (rule.eventType !== event.type || (rule.touchpointKey !== null && rule.touchpointKey !== (event.touchpointKey ?? null))) {
      skip(rule, "no_match");
      continue;
    }
    if (event.customerId === null) {
      skip(rule, "no_customer");
      continue;
    }
    if (invitations.length > 0) {
      skip(rule, "event_already_invited");
      continue;
    }
    const onTime = event.occurredAt.getTime() + rule.delayMinutes * MINUTE_MS;
    const expiryMs = rule.expiryHours * HOUR_MS;
    if (onTime + expiryMs <= now.getTime()) {
      skip(rule, "stale_event");
      continue;
    }
    const sendAt = new Date(Math.max(onTime, now.getTime()));
    // A scheduled invitation later than this one is just as close; hence "no earlier than sendAt − quiet".
    if (
      rule.quietPeriodDays > 0 &&
      lastInvitedAt !== null &&
      lastInvitedAt.getTime() > sendAt.getTime() - rule.quietPeriodDays * DAY_MS
    ) {
      skip(rule, "quiet_period");
      continue;
    }
    if (rule.capPerPeriod) {
      const since = new Date(sendAt.getTime() - rule.capPerPeriod.periodDays * DAY_MS);
      if (history.invitationsInPeriod(rule.id, since) >= rule.capPerPeriod.max) {
        skip(rule, "cap_reached");
        continue;
      }
    }
    // Sampling comes last so a seeded random is drawn only for rules that could really invite.
    const sampled = random ? rule.samplingRate >= 1 || random() < rule.samplingRate : hashSample(event.id, rule.id, rule.samplingRate);
    if (!sampled) {
      skip(rule, "sampled_out");
      continue;
    }
    invitations.push({
      ruleId: rule.id,
      deploymentId: rule.deploymentId,
      customerId: event.customerId,
      eventId: event.id,
      sendAt,
      expiresAt: new Date(sendAt.getTime() + expiryMs),
    });
  }
  return { invitations, skipped };
}
