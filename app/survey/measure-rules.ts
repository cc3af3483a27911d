// Vivencia's rules for measurement metadata in a survey definition: what SurveyJS cannot know —
// that a measured attribute exists, that a perception has its expectation, that a kind sits on a
// suitable question and on its scale — so that analysis of every answer is unambiguous.
import { BRAND_EXPERIENCE_ITEMS } from "./brand-experience";
import type { MeasuredItem } from "./plan";
import { SERVQUAL_ITEMS } from "./servqual";
import {
  ATTRIBUTE_KINDS,
  MEASURE_KINDS,
  MEASURE_SCALES,
  REVERSIBLE_KINDS,
  TOUCHPOINT_KINDS,
  type MeasureKind,
  type RatingScale,
  type ServqualDimension,
  type SurveyTouchpoint,
} from "./types";

export type MeasureRuleError = { question: string; item: string | null; message: string };

/** What an attribute key may be: the touchpoint's own attributes and the built-in instrument items. */
type KnownAttribute = { dimension: ServqualDimension | null; brandExperienceKind: MeasureKind | null };

function knownAttributes(touchpoint: SurveyTouchpoint): Map<string, KnownAttribute> {
  const known = new Map<string, KnownAttribute>();
  for (const item of SERVQUAL_ITEMS) known.set(item.key, { dimension: item.dimension, brandExperienceKind: null });
  for (const item of BRAND_EXPERIENCE_ITEMS) known.set(item.key, { dimension: null, brandExperienceKind: item.kind });
  for (const attribute of touchpoint.attributes) {
    known.set(attribute.key, { dimension: attribute.servqual ?? null, brandExperienceKind: null });
  }
  return known;
}

function scaleText(scale: RatingScale): string {
  return `${scale.min}–${scale.max}`;
}

function isExactScale(values: readonly number[], scale: RatingScale): boolean {
  if (values.length !== scale.max - scale.min + 1) return false;
  return [...values].sort((a, b) => a - b).every((v, i) => v === scale.min + i);
}

/** The checks on one measured element, independent of the others. */
function itemErrors(m: MeasuredItem, known: Map<string, KnownAttribute>): string[] {
  const errors: string[] = [];
  const kind = m.kind;
  if (kind === null) {
    return [`Unknown measure kind "${m.meta.measure}"; expected one of ${MEASURE_KINDS.join(", ")}.`];
  }
  if (m.nested) errors.push("Measures inside dynamic panels or matrices are not supported: one answer would repeat.");

  const scales = MEASURE_SCALES[kind];
  if (scales) {
    if (m.questionType !== "rating" || m.item !== null) {
      errors.push(`A "${kind}" measure must be a rating question, not ${m.item ? "a multiple-text item" : `"${m.questionType}"`}.`);
    } else if (m.values === null) {
      errors.push(`A "${kind}" rating must offer numeric values.`);
    } else if (!scales.some((scale) => isExactScale(m.values ?? [], scale))) {
      errors.push(
        `A "${kind}" rating must run ${scales.map(scaleText).join(" or ")} in steps of 1; this one offers ${m.values.join(", ")}.`,
      );
    }
  } else if (kind === "importance_points") {
    if (m.questionType !== "text" || m.inputType !== "number") {
      errors.push('Importance points must be a numeric multiple-text item or text question (inputType "number").');
    }
  } else if (kind === "comment") {
    if (m.item !== null || !(m.questionType === "comment" || (m.questionType === "text" && m.inputType !== "number"))) {
      errors.push('A "comment" must be a comment or text question.');
    }
  }

  if (m.meta.dimension !== null && m.dimension === null) {
    errors.push(`Unknown SERVQUAL dimension "${m.meta.dimension}".`);
  }
  if (ATTRIBUTE_KINDS.includes(kind)) {
    const attribute = m.meta.attribute;
    const entry = attribute === null ? undefined : known.get(attribute);
    if (attribute === null) {
      errors.push(`A "${kind}" measure must name the attribute it measures (vivAttribute).`);
    } else if (!entry) {
      errors.push(`Unknown attribute "${attribute}": it is not measured at this touchpoint.`);
    } else {
      if (entry.brandExperienceKind && entry.brandExperienceKind !== kind && kind !== "importance") {
        errors.push(`Brand Experience item "${attribute}" belongs to "${entry.brandExperienceKind}", not "${kind}".`);
      }
      if (entry.dimension && m.dimension && entry.dimension !== m.dimension) {
        errors.push(`Attribute "${attribute}" belongs to dimension "${entry.dimension}", not "${m.dimension}".`);
      }
    }
  } else if (kind === "importance_points") {
    if (m.dimension === null) errors.push("Importance points must name the SERVQUAL dimension they go to (vivDimension).");
    if (m.meta.attribute !== null) errors.push("Importance points go to a dimension; remove vivAttribute.");
  } else if (TOUCHPOINT_KINDS.includes(kind) && m.meta.attribute !== null) {
    errors.push(`"${kind}" describes the whole touchpoint visit; remove vivAttribute "${m.meta.attribute}".`);
  }

  if (m.reverseCoded && !REVERSIBLE_KINDS.includes(kind)) {
    errors.push(`A "${kind}" measure cannot be reverse-coded.`);
  }
  return errors;
}

/**
 * The checks across measured elements: one question per attribute × kind, and each perception
 * paired with what it is compared against, on the same scale.
 */
function pairingErrors(items: readonly MeasuredItem[]): MeasureRuleError[] {
  const errors: MeasureRuleError[] = [];
  const seen = new Map<string, MeasuredItem>();
  const byAttribute = new Map<string, Map<MeasureKind, MeasuredItem>>();
  for (const m of items) {
    if (m.kind === null) continue;
    const at = { question: m.name, item: m.item };
    const slot = `${m.attributeKey ?? ""}\u0000${m.kind}`;
    const first = seen.get(slot);
    if (first) {
      const what = m.attributeKey ? `"${m.kind}" of "${m.attributeKey}"` : `"${m.kind}"`;
      errors.push({ ...at, message: `${what} is already measured by "${first.name}${first.item ? `.${first.item}` : ""}".` });
      continue;
    }
    seen.set(slot, m);
    if (m.attributeKey !== null && ATTRIBUTE_KINDS.includes(m.kind)) {
      const kinds = byAttribute.get(m.attributeKey) ?? new Map<MeasureKind, MeasuredItem>();
      kinds.set(m.kind, m);
      byAttribute.set(m.attributeKey, kinds);
    }
  }

  for (const [attribute, kinds] of byAttribute) {
    const perception = kinds.get("perception");
    const expectation = kinds.get("expectation");
    const adequate = kinds.get("adequate");
    const desired = kinds.get("desired");
    if ((adequate && !desired) || (desired && !adequate)) {
      const present = (adequate ?? desired) as MeasuredItem;
      errors.push({
        question: present.name,
        item: present.item,
        message: `The zone of tolerance of "${attribute}" needs both an adequate and a desired level.`,
      });
    }
    if (!perception) continue;
    const at = { question: perception.name, item: perception.item };
    if (!expectation && !(adequate && desired)) {
      errors.push({
        ...at,
        message: `The perception of "${attribute}" has no expectation (nor adequate and desired levels) to be compared with.`,
      });
      continue;
    }
    for (const partner of [expectation, adequate, desired]) {
      if (!partner || !partner.scale || !perception.scale) continue;
      if (partner.scale.min !== perception.scale.min || partner.scale.max !== perception.scale.max) {
        errors.push({
          ...at,
          message: `The perception of "${attribute}" (${scaleText(perception.scale)}) and its ${partner.kind} (${scaleText(partner.scale)}) must share one scale.`,
        });
      }
    }
  }
  return errors;
}

export function measureRuleErrors(items: readonly MeasuredItem[], touchpoint: SurveyTouchpoint): MeasureRuleError[] {
  const known = knownAttributes(touchpoint);
  const errors: MeasureRuleError[] = [];
  for (const m of items) {
    for (const message of itemErrors(m, known)) errors.push({ question: m.name, item: m.item, message });
  }
  return [...errors, ...pairingErrors(items)];
}
