// Behaviour beside experience: what the respondents of a touchpoint did in a window after answering
// (repurchase yes/no, spend), compared between those below expectation (response gap < 0) and those
// at or above it, and the rank correlation of gap and later spend (DESIGN.md "behaviour link").
// Pure: the data layer hands in one observation per response.
import {
  meanInterval,
  momentsOf,
  proportionDifference,
  spearman,
  welchDifference,
  wilson,
  withhold,
  type MeanDifference,
  type MeanInterval,
  type Proportion,
  type ProportionDifference,
  type RankCorrelation,
  type Withheld,
} from "./statistics";

/** One response: its mean gap, purchases and spend in the window after it, the tier at the time. */
export type BehaviourObservation = { gap: number; purchases: number; spend: number; tier: string };

export type BehaviourGroup = {
  n: number;
  /** Share who bought again in the window, Wilson interval. */
  repurchase: Withheld<Proportion>;
  /** Mean spend in the window (0 for those who did not buy), t interval. */
  spend: Withheld<MeanInterval>;
};

export type BehaviourLink = {
  n: number;
  below: BehaviourGroup;
  atOrAbove: BehaviourGroup;
  /** Below − at/above: Newcombe interval for repurchase, Welch for spend. */
  repurchaseDifference: Withheld<ProportionDifference>;
  spendDifference: Withheld<MeanDifference>;
  /** Spearman's ρ of gap and later spend (Bonett–Wright interval, t-test p). */
  correlation: Withheld<RankCorrelation>;
};

function group(rows: readonly BehaviourObservation[], minN: number, level: number): BehaviourGroup {
  const buyers = rows.filter((r) => r.purchases > 0).length;
  return {
    n: rows.length,
    repurchase: withhold(rows.length, minN, wilson(buyers, rows.length, level)),
    spend: withhold(rows.length, minN, meanInterval(momentsOf(rows.map((r) => r.spend)), level)),
  };
}

export function behaviourLink(rows: readonly BehaviourObservation[], minN: number, level = 0.95): BehaviourLink {
  const below = rows.filter((r) => r.gap < 0);
  const rest = rows.filter((r) => r.gap >= 0);
  const both = Math.min(below.length, rest.length);
  const buyers = (xs: readonly BehaviourObservation[]) => xs.filter((r) => r.purchases > 0).length;
  return {
    n: rows.length,
    below: group(below, minN, level),
    atOrAbove: group(rest, minN, level),
    repurchaseDifference: withhold(both, minN, proportionDifference(buyers(below), below.length, buyers(rest), rest.length, level)),
    spendDifference: withhold(
      both,
      minN,
      welchDifference(momentsOf(below.map((r) => r.spend)), momentsOf(rest.map((r) => r.spend)), level),
    ),
    correlation: withhold(
      rows.length,
      minN,
      spearman(
        rows.map((r) => r.gap),
        rows.map((r) => r.spend),
        level,
      ),
    ),
  };
}

/** The same link within each tier ("" = unknown tier last), tiers in the order given. */
export function behaviourByTier(rows: readonly BehaviourObservation[], tiers: readonly string[], minN: number, level = 0.95) {
  return tiers
    .map((tier) => ({ tier, link: behaviourLink(rows.filter((r) => r.tier === tier), minN, level) }))
    .filter((t) => t.link.n > 0);
}
