// The vocabulary shared by survey templates, validation and measurement: what a touchpoint offers
// to measure, which kinds of measure exist, and on which scale each kind is asked.

export const SERVQUAL_DIMENSIONS = [
  "tangibles",
  "reliability",
  "responsiveness",
  "assurance",
  "empathy",
] as const;
export type ServqualDimension = (typeof SERVQUAL_DIMENSIONS)[number];

export type LocalizedText = { es: string; en: string };

export type SurveyAttribute = {
  key: string;
  label: LocalizedText;
  servqual?: ServqualDimension | null;
};

/**
 * A touchpoint as the survey domain sees it: what it is called and which attributes it measures.
 * `name` is the Spanish name; `nameEn` the English one, when it has been translated.
 */
export type SurveyTouchpoint = { key: string; name: string; nameEn?: string; attributes: SurveyAttribute[] };

/** A name in both languages; a missing translation falls back to the other language. */
export function localizedName(es: string, en: string | null | undefined): LocalizedText {
  const english = en?.trim() ?? "";
  const spanish = es.trim();
  return { es: spanish || english, en: english || spanish };
}

export const BRAND_EXPERIENCE_KINDS = [
  "bx_sensory",
  "bx_affective",
  "bx_intellectual",
  "bx_behavioral",
] as const;
export type BrandExperienceKind = (typeof BRAND_EXPERIENCE_KINDS)[number];

export const MEASURE_KINDS = [
  "expectation",
  "adequate",
  "desired",
  "perception",
  "importance",
  "importance_points",
  "nps",
  "csat",
  "ces",
  ...BRAND_EXPERIENCE_KINDS,
  "comment",
] as const;
export type MeasureKind = (typeof MEASURE_KINDS)[number];

/** Kinds measured per attribute (the question must name one). */
export const ATTRIBUTE_KINDS: readonly MeasureKind[] = [
  "expectation",
  "adequate",
  "desired",
  "perception",
  "importance",
  ...BRAND_EXPERIENCE_KINDS,
];
/** Kinds that describe the whole touchpoint visit (the question must not name an attribute). */
export const TOUCHPOINT_KINDS: readonly MeasureKind[] = ["nps", "csat", "ces", "comment"];

/**
 * Item scales, fixed per kind so that means stay comparable across surveys and over time.
 * Perception takes the scale of the expectation it is paired with: 1–7 beside a plain expectation
 * (gap pair, SERVQUAL), 1–9 beside adequate/desired (zone of tolerance, Parasuraman, Zeithaml &
 * Berry 1994). Importance points are not a rating scale (0–100 each, summing to 100).
 */
export type RatingScale = { min: number; max: number };
export const MEASURE_SCALES: Partial<Record<MeasureKind, readonly RatingScale[]>> = {
  expectation: [{ min: 1, max: 7 }],
  adequate: [{ min: 1, max: 9 }],
  desired: [{ min: 1, max: 9 }],
  perception: [
    { min: 1, max: 7 },
    { min: 1, max: 9 },
  ],
  importance: [{ min: 1, max: 7 }],
  nps: [{ min: 0, max: 10 }],
  csat: [{ min: 1, max: 5 }],
  ces: [{ min: 1, max: 7 }],
  bx_sensory: [{ min: 1, max: 7 }],
  bx_affective: [{ min: 1, max: 7 }],
  bx_intellectual: [{ min: 1, max: 7 }],
  bx_behavioral: [{ min: 1, max: 7 }],
};

/** Kinds whose items may be worded negatively and flipped before analysis. */
export const REVERSIBLE_KINDS: readonly MeasureKind[] = [
  "expectation",
  "adequate",
  "desired",
  "perception",
  "importance",
  ...BRAND_EXPERIENCE_KINDS,
];

/** A SurveyJS JSON definition as stored in a survey version. */
export type SurveyJson = { [key: string]: unknown };

export function isMeasureKind(value: unknown): value is MeasureKind {
  return typeof value === "string" && (MEASURE_KINDS as readonly string[]).includes(value);
}

export function isServqualDimension(value: unknown): value is ServqualDimension {
  return typeof value === "string" && (SERVQUAL_DIMENSIONS as readonly string[]).includes(value);
}
