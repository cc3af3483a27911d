// Case rules: when a survey response should open a closed-loop follow-up case, and why.
// "A complaint is a gift" — each rule marks a response as a conversation worth taking up.
import { z } from "zod";

/** Scores at or below this on the 0–10 likelihood-to-recommend scale are detractors (NPS definition, fixed). */
export const NPS_DETRACTOR_MAX = 6;
/** On the 1–5 CSAT scale, 1 and 2 are the dissatisfied answers (bottom-2-box, fixed). */
export const CSAT_LOW_MAX = 2;

// zod 4: `.prefault({})` runs the inner defaults on a missing section; `.default({})` would not.
export const caseRuleSettingsSchema = z.object({
  detractor: z
    .object({ enabled: z.boolean().default(true) })
    .prefault({}),
  gap: z
    .object({
      enabled: z.boolean().default(true),
      /** Open a case when perception − expectation for any attribute is at or below this (scale points). */
      threshold: z.number().max(0, "A gap threshold must be zero or negative").default(-2),
    })
    .prefault({}),
  lowCsat: z
    .object({ enabled: z.boolean().default(true) })
    .prefault({}),
  keywords: z
    .object({
      enabled: z.boolean().default(false),
      words: z.array(z.string().trim().min(1)).default([]),
    })
    .prefault({}),
});

export type CaseRuleSettings = z.output<typeof caseRuleSettingsSchema>;
export type CaseRuleSettingsInput = z.input<typeof caseRuleSettingsSchema>;

export const defaultCaseRuleSettings: CaseRuleSettings = caseRuleSettingsSchema.parse({});

export type CaseRule = "detractor" | "gap" | "low_csat" | "keyword";

export type CaseReason = {
  rule: CaseRule;
  /** A short human-readable sentence for the case's opening note. */
  detail: string;
  attributeKey?: string;
};

export type ResponseMeasurement = {
  attributeKey: string | null;
  /** "expectation", "perception", "nps", "csat", "importance", … */
  kind: string;
  value: number;
};

export type ResponseForCaseRules = {
  measurements: ResponseMeasurement[];
  comment: string | null;
};

export type CaseDecision = { open: boolean; reasons: CaseReason[] };

/**
 * Decides whether a response opens a case. At most ONE case per response, carrying every reason:
 * the customer is one person with one experience, so the follow-up is one conversation — several
 * cases would send several people to call the same customer about the same visit.
 */
export function casesForResponse(
  response: ResponseForCaseRules,
  settings: CaseRuleSettings = defaultCaseRuleSettings,
): CaseDecision {
  const measurements = response.measurements.filter((m) => Number.isFinite(m.value));
  const reasons: CaseReason[] = [];

  if (settings.detractor.enabled) {
    for (const m of measurements) {
      if (m.kind === "nps" && m.value <= NPS_DETRACTOR_MAX) {
        reasons.push({ rule: "detractor", detail: `Likelihood to recommend ${m.value} of 10 (detractor: 0–6)` });
      }
    }
  }

  if (settings.gap.enabled) {
    for (const gap of attributeGaps(measurements)) {
      if (gap.gap <= settings.gap.threshold) {
        reasons.push({
          rule: "gap",
          attributeKey: gap.attributeKey,
          detail:
            `${gap.attributeKey}: perception ${round(gap.perception)} − expectation ${round(gap.expectation)} ` +
            `= ${round(gap.gap)} (threshold ${settings.gap.threshold})`,
        });
      }
    }
  }

  if (settings.lowCsat.enabled) {
    for (const m of measurements) {
      if (m.kind === "csat" && m.value <= CSAT_LOW_MAX) {
        reasons.push({
          rule: "low_csat",
          ...(m.attributeKey ? { attributeKey: m.attributeKey } : {}),
          detail: `Satisfaction ${m.value} of 5${m.attributeKey ? ` on ${m.attributeKey}` : ""}`,
        });
      }
    }
  }

  if (settings.keywords.enabled && response.comment) {
    for (const word of matchedKeywords(response.comment, settings.keywords.words)) {
      reasons.push({ rule: "keyword", detail: `Comment mentions "${word}"` });
    }
  }

  return { open: reasons.length > 0, reasons };
}

type AttributeGap = { attributeKey: string; perception: number; expectation: number; gap: number };

/**
 * Paired gap P − E per attribute of one response. Should an attribute carry more than one value of a
 * kind (a repeated question), their mean stands for it, so one attribute yields at most one reason.
 */
export function attributeGaps(measurements: ResponseMeasurement[]): AttributeGap[] {
  const sums = new Map<string, { p: number; pn: number; e: number; en: number }>();
  for (const m of measurements) {
    if (m.attributeKey === null || (m.kind !== "perception" && m.kind !== "expectation")) continue;
    const s = sums.get(m.attributeKey) ?? { p: 0, pn: 0, e: 0, en: 0 };
    if (m.kind === "perception") {
      s.p += m.value;
      s.pn += 1;
    } else {
      s.e += m.value;
      s.en += 1;
    }
    sums.set(m.attributeKey, s);
  }
  const gaps: AttributeGap[] = [];
  for (const [attributeKey, s] of sums) {
    // Without both halves there is no gap to read: a low perception alone may simply be a low expectation.
    if (s.pn === 0 || s.en === 0) continue;
    const perception = s.p / s.pn;
    const expectation = s.e / s.en;
    gaps.push({ attributeKey, perception, expectation, gap: perception - expectation });
  }
  return gaps;
}

/**
 * Keywords found in a comment as whole words (or whole phrases), ignoring case and accents, so
 * "pesimo", "PÉSIMO" and "pésimo" all match the keyword "pésimo", while "mal" does not match "malta".
 * Returns the keywords as configured, each once.
 */
export function matchedKeywords(comment: string, keywords: string[]): string[] {
  const text = foldForMatching(comment);
  const found: string[] = [];
  for (const keyword of keywords) {
    const folded = foldForMatching(keyword).trim();
    if (folded === "" || found.includes(keyword)) continue;
    const phrase = folded.split(/\s+/).map(escapeRegExp).join("\\s+");
    // Letters and digits of any script count as word characters; \b only knows ASCII.
    const pattern = new RegExp(`(?<![\\p{L}\\p{N}])${phrase}(?![\\p{L}\\p{N}])`, "u");
    if (pattern.test(text)) found.push(keyword);
  }
  return found;
}

function foldForMatching(text: string): string {
  return text.normalize("NFD").replace(/\p{M}+/gu, "").toLowerCase();
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
