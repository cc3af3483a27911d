// Normalised measurements of one response: one row per attribute × kind, read from the answers
// through the survey version's measurement metadata, negatively worded items already flipped.
// Stored beside the raw answers in the same transaction; pure.
import { measurementPlan, type MeasuredItem, type MeasurementPlan } from "~/survey/plan";
import { SERVQUAL_ITEMS } from "~/survey/servqual";
import {
  ATTRIBUTE_KINDS,
  type MeasureKind,
  type RatingScale,
  type ServqualDimension,
  type SurveyJson,
} from "~/survey/types";

/** Every kind but the open comment, which is text, not a number. */
export type MeasuredKind = Exclude<MeasureKind, "comment">;

export type Measurement = {
  /** The attribute; the SERVQUAL dimension for importance points; null for NPS, CSAT and CES. */
  attributeKey: string | null;
  kind: MeasuredKind;
  value: number;
  /** The attribute's SERVQUAL dimension, when it has one; what weighted gaps group by. */
  dimension: ServqualDimension | null;
};

export type SurveyAnswers = { [question: string]: unknown };

/** x' = min + max − x: a negatively worded item answered 2 on 1–7 counts as 6. */
export function reverseScore(value: number, scale: RatingScale): number {
  return scale.min + scale.max - value;
}

const SERVQUAL_DIMENSION_OF = new Map(SERVQUAL_ITEMS.map((item) => [item.key, item.dimension]));

function answerOf(item: MeasuredItem, data: SurveyAnswers): unknown {
  const answer = data[item.question];
  if (item.item === null) return answer;
  return typeof answer === "object" && answer !== null ? (answer as Record<string, unknown>)[item.item] : undefined;
}

function measurementOf(item: MeasuredItem, data: SurveyAnswers): Measurement | null {
  const kind = item.kind;
  if (kind === null || kind === "comment" || item.nested) return null;
  const raw = answerOf(item, data);
  if (typeof raw !== "number" || !Number.isFinite(raw)) return null;
  // Answers the definition's scale does not offer are not measurements (validation rejects them first).
  if (item.values !== null && !item.values.includes(raw)) return null;
  const isAttributeKind = ATTRIBUTE_KINDS.includes(kind);
  if (isAttributeKind && item.attributeKey === null) return null;
  if (kind === "importance_points" && item.dimension === null) return null;
  let value = raw;
  if (item.reverseCoded) {
    if (item.scale === null) return null;
    value = reverseScore(raw, item.scale);
  }
  const attributeKey = isAttributeKind || kind === "importance_points" ? item.attributeKey : null;
  const dimension =
    item.dimension ?? (attributeKey !== null ? (SERVQUAL_DIMENSION_OF.get(attributeKey) ?? null) : null);
  return { attributeKey, kind, value, dimension };
}

/**
 * Measurements from a plan built once per survey version: the way to go when extracting many
 * responses. The first question measuring an attribute × kind wins (validation forbids a second).
 */
export function measurementsFromPlan(plan: MeasurementPlan, data: SurveyAnswers): Measurement[] {
  const rows: Measurement[] = [];
  const seen = new Set<string>();
  for (const item of plan.items) {
    const row = measurementOf(item, data);
    if (!row) continue;
    const slot = `${row.attributeKey ?? ""}\u0000${row.kind}`;
    if (seen.has(slot)) continue;
    seen.add(slot);
    rows.push(row);
  }
  return rows;
}

export function extractMeasurements(json: SurveyJson, data: SurveyAnswers): Measurement[] {
  return measurementsFromPlan(measurementPlan(json), data);
}

/** The open comment, trimmed; null when absent or blank. Kept apart: it is read, not averaged. */
export function commentFromPlan(plan: MeasurementPlan, data: SurveyAnswers): string | null {
  for (const item of plan.items) {
    if (item.kind !== "comment" || item.nested) continue;
    const value = answerOf(item, data);
    if (typeof value === "string" && value.trim() !== "") return value.trim();
  }
  return null;
}

export function extractComment(json: SurveyJson, data: SurveyAnswers): string | null {
  return commentFromPlan(measurementPlan(json), data);
}
