// The behaviour link that controls for the customer: each respondent's purchases and spend in equal
// windows before and after the response, and the change (after − before) compared between responses
// below expectation and at/above it — a difference in differences — within each tier and combined
// over the tiers (DESIGN.md "behaviour link"). Comparing only what different customers did after
// answering mixes who the customer is with what they experienced (Premium customers buy more and, in
// the demo, were also the disappointed ones); taking each customer's own change removes what is
// constant about them, and stratifying by tier removes what differs between tiers in how they change.
// Pure: the data layer hands in one row per response.
import { normalCritical, studentTCritical, requireLevel } from "./distributions";
import {
  meanInterval,
  momentsOf,
  spearman,
  welchDifference,
  withhold,
  type MeanDifference,
  type MeanInterval,
  type RankCorrelation,
  type Withheld,
} from "./statistics";

/** One response: its mean gap, the tier at the time, purchases and spend in each window. */
export type BehaviourWindows = {
  gap: number;
  tier: string;
  purchasesBefore: number;
  spendBefore: number;
  purchasesAfter: number;
  spendAfter: number;
};

export const CHANGE_MEASURES = ["purchases", "spend"] as const;
export type ChangeMeasure = (typeof CHANGE_MEASURES)[number];

const before = (r: BehaviourWindows, m: ChangeMeasure) => (m === "purchases" ? r.purchasesBefore : r.spendBefore);
const after = (r: BehaviourWindows, m: ChangeMeasure) => (m === "purchases" ? r.purchasesAfter : r.spendAfter);
/** The per-response change, the unit every interval here is built on. */
export const changeOf = (r: BehaviourWindows, m: ChangeMeasure) => after(r, m) - before(r, m);

export type ChangeGroup = {
  n: number;
  /** Mean before and after, for reading; the interval is on the change. */
  meanBefore: number | null;
  meanAfter: number | null;
  change: Withheld<MeanInterval>;
};

/** One measure in one stratum: both groups' changes and below − at/above with Welch's interval. */
export type ChangeComparison = {
  below: ChangeGroup;
  atOrAbove: ChangeGroup;
  did: Withheld<MeanDifference>;
};

export type TierChange = { tier: string; n: number } & Record<ChangeMeasure, ChangeComparison>;

/**
 * The tiers' differences in differences combined: Σ w_s·d_s with w_s = n_s / Σ n (each tier's share
 * of the responses that entered), Var = Σ w_s²·se_s², and Welch–Satterthwaite degrees of freedom
 * ν = (Σ w_s²se_s²)² / Σ (w_s²se_s²)²/ν_s (Satterthwaite 1946), so one noisy tier widens the
 * interval as it should.
 */
export type CombinedChange = {
  estimate: number;
  se: number;
  df: number | null;
  lo: number;
  hi: number;
  /** Responses in the tiers that entered, by group, and those tiers in order. */
  nBelow: number;
  nAtOrAbove: number;
  tiers: string[];
};

export type BehaviourChange = {
  n: number;
  /** Stratified by tier and combined; withheld when either group of the tiers that entered is below minN. */
  overall: Record<ChangeMeasure, Withheld<CombinedChange>>;
  /** The same comparison ignoring tier (still each customer's own change), for reference. */
  unstratified: Record<ChangeMeasure, ChangeComparison>;
  byTier: TierChange[];
  /** Spearman's ρ of the response's gap and its change in spend. */
  correlation: Withheld<RankCorrelation>;
};

function changeGroup(rows: readonly BehaviourWindows[], m: ChangeMeasure, minN: number, level: number): ChangeGroup {
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
  return {
    n: rows.length,
    meanBefore: mean(rows.map((r) => before(r, m))),
    meanAfter: mean(rows.map((r) => after(r, m))),
    change: withhold(rows.length, minN, meanInterval(momentsOf(rows.map((r) => changeOf(r, m))), level)),
  };
}

function comparison(rows: readonly BehaviourWindows[], m: ChangeMeasure, minN: number, level: number): ChangeComparison {
  const below = rows.filter((r) => r.gap < 0);
  const rest = rows.filter((r) => r.gap >= 0);
  return {
    below: changeGroup(below, m, minN, level),
    atOrAbove: changeGroup(rest, m, minN, level),
    did: withhold(
      Math.min(below.length, rest.length),
      minN,
      welchDifference(momentsOf(below.map((r) => changeOf(r, m))), momentsOf(rest.map((r) => changeOf(r, m))), level),
    ),
  };
}

/**
 * Combines per-tier Welch differences weighted by tier share. A tier enters when both of its groups
 * have at least two responses (a variance needs two); tiers short of that are left out and named by
 * their absence from `tiers`.
 *
 * Why share weights and not inverse-variance: the question is "what does a disappointment here do to
 * the behaviour of this touchpoint's customers", an average over their actual tier mix (direct
 * standardisation). Inverse-variance weights would answer a precision-weighted average instead, and
 * spend changes vary most among Premium customers, so they would down-weight exactly the tier where
 * most of the money moves; when effects differ by tier that estimate describes no population. The
 * price is a somewhat wider interval when one small tier is noisy.
 */
export function combineStrata(
  strata: readonly { tier: string; difference: MeanDifference }[],
  level = 0.95,
): CombinedChange | null {
  requireLevel(level);
  const usable = strata.filter((s) => s.difference.nA >= 2 && s.difference.nB >= 2 && s.difference.difference !== null && s.difference.se !== null);
  if (usable.length === 0) return null;
  const total = usable.reduce((a, s) => a + s.difference.nA + s.difference.nB, 0);
  let estimate = 0;
  let variance = 0;
  let dfDenominator = 0;
  let dfKnown = true;
  for (const s of usable) {
    const w = (s.difference.nA + s.difference.nB) / total;
    const part = w * w * s.difference.se! ** 2;
    estimate += w * s.difference.difference!;
    variance += part;
    if (part > 0) {
      if (s.difference.df === null) dfKnown = false;
      else dfDenominator += (part * part) / s.difference.df;
    }
  }
  const se = Math.sqrt(variance);
  const base = {
    estimate,
    se,
    nBelow: usable.reduce((a, s) => a + s.difference.nA, 0),
    nAtOrAbove: usable.reduce((a, s) => a + s.difference.nB, 0),
    tiers: usable.map((s) => s.tier),
  };
  // No spread anywhere: the interval is the point (as welchDifference does).
  if (se === 0) return { ...base, df: null, lo: estimate, hi: estimate };
  const df = dfKnown && dfDenominator > 0 ? (variance * variance) / dfDenominator : null;
  const margin = (df === null ? normalCritical(level) : studentTCritical(level, df)) * se;
  return { ...base, df, lo: estimate - margin, hi: estimate + margin };
}

/** The difference in differences overall (tier-stratified), without tiers, and within each tier. */
export function behaviourChange(
  rows: readonly BehaviourWindows[],
  tiers: readonly string[],
  minN: number,
  level = 0.95,
): BehaviourChange {
  const byTier: TierChange[] = tiers
    .map((tier) => {
      const own = rows.filter((r) => r.tier === tier);
      return { tier, n: own.length, purchases: comparison(own, "purchases", minN, level), spend: comparison(own, "spend", minN, level) };
    })
    .filter((t) => t.n > 0);
  const overallOf = (m: ChangeMeasure): Withheld<CombinedChange> => {
    // Every tier enters with its own Welch difference, shown or not: withholding is about what is
    // displayed, and a small tier's weight is its (small) share.
    const combined = combineStrata(byTier.map((t) => ({ tier: t.tier, difference: tierDifference(rows, t.tier, m, level) })), level);
    if (!combined) return { status: "withheld", n: 0, minN };
    return withhold(Math.min(combined.nBelow, combined.nAtOrAbove), minN, combined);
  };
  return {
    n: rows.length,
    overall: { purchases: overallOf("purchases"), spend: overallOf("spend") },
    unstratified: { purchases: comparison(rows, "purchases", minN, level), spend: comparison(rows, "spend", minN, level) },
    byTier,
    correlation: withhold(
      rows.length,
      minN,
      spearman(
        rows.map((r) => r.gap),
        rows.map((r) => changeOf(r, "spend")),
        level,
      ),
    ),
  };
}

function tierDifference(rows: readonly BehaviourWindows[], tier: string, m: ChangeMeasure, level: number): MeanDifference {
  const own = rows.filter((r) => r.tier === tier);
  return welchDifference(
    momentsOf(own.filter((r) => r.gap < 0).map((r) => changeOf(r, m))),
    momentsOf(own.filter((r) => r.gap >= 0).map((r) => changeOf(r, m))),
    level,
  );
}
