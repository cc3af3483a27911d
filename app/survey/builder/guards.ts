// The measurement guards: what the builder will not let an edit produce, because analysis would
// then have to guess — a perception without the expectation it is compared with, an attribute the
// touchpoint does not measure, a negatively worded instrument item without its reverse-coding flag.
// Problems are codes with parameters (the page words them in either language); an edit is refused
// when it brings a problem the survey did not have before, so a pasted definition with problems
// of its own can still be repaired step by step.
import { BRAND_EXPERIENCE_ITEMS } from "../brand-experience";
import { SERVQUAL_ITEMS } from "../servqual";
import { ATTRIBUTE_KINDS, REVERSIBLE_KINDS, type MeasureKind, type SurveyTouchpoint } from "../types";
import { allQuestionElements, elementInfo, type BuilderModel } from "./document";

export type MeasurementProblemCode =
  | "foreign_attribute"
  | "missing_expectation"
  | "zone_incomplete"
  | "reverse_flag_missing"
  | "reverse_not_allowed"
  | "duplicate_measure"
  | "duplicate_name";

export type MeasurementProblem = { code: MeasurementProblemCode; params: Record<string, string> };

const REVERSE_CODED_ITEMS = new Set(BRAND_EXPERIENCE_ITEMS.filter((item) => item.reverseCoded).map((item) => item.key));

/** The attribute keys a question may measure here: the touchpoint's and the built-in instruments' items. */
export function knownAttributeKeys(touchpoint: SurveyTouchpoint): Set<string> {
  return new Set([
    ...touchpoint.attributes.map((a) => a.key),
    ...SERVQUAL_ITEMS.map((item) => item.key),
    ...BRAND_EXPERIENCE_ITEMS.map((item) => item.key),
  ]);
}

export function measurementProblems(model: BuilderModel, touchpoint: SurveyTouchpoint): MeasurementProblem[] {
  const problems: MeasurementProblem[] = [];
  const known = knownAttributeKeys(touchpoint);
  const names = new Set<string>();
  const slots = new Set<string>();
  const kindsOf = new Map<string, Set<MeasureKind>>();

  for (const element of allQuestionElements(model)) {
    const info = elementInfo(element);
    if (info.name !== "") {
      if (names.has(info.name)) problems.push({ code: "duplicate_name", params: { question: info.name } });
      names.add(info.name);
    }
    const kind = info.measure;
    if (kind === null) continue;
    const attribute = ATTRIBUTE_KINDS.includes(kind) ? info.attribute : null;
    const slot = `${attribute ?? ""}\u0000${kind}`;
    if (slots.has(slot)) problems.push({ code: "duplicate_measure", params: { attribute: attribute ?? "", kind } });
    slots.add(slot);
    if (attribute !== null) {
      if (!known.has(attribute)) problems.push({ code: "foreign_attribute", params: { question: info.name, attribute } });
      kindsOf.set(attribute, (kindsOf.get(attribute) ?? new Set()).add(kind));
      if (REVERSE_CODED_ITEMS.has(attribute) && kind !== "importance" && !info.reverseCoded) {
        problems.push({ code: "reverse_flag_missing", params: { question: info.name } });
      }
    }
    if (info.reverseCoded && (!REVERSIBLE_KINDS.includes(kind) || (attribute !== null && !REVERSE_CODED_ITEMS.has(attribute) && kind.startsWith("bx_")))) {
      problems.push({ code: "reverse_not_allowed", params: { question: info.name } });
    }
  }

  for (const [attribute, kinds] of kindsOf) {
    const zone = kinds.has("adequate") && kinds.has("desired");
    if (kinds.has("adequate") !== kinds.has("desired")) problems.push({ code: "zone_incomplete", params: { attribute } });
    if (kinds.has("perception") && !kinds.has("expectation") && !zone) {
      problems.push({ code: "missing_expectation", params: { attribute } });
    }
  }
  return problems;
}

const problemKey = (p: MeasurementProblem) => `${p.code}:${JSON.stringify(p.params)}`;

/** The problems `after` has that `before` did not: the reason to refuse the edit that made it. */
export function newProblems(before: readonly MeasurementProblem[], after: readonly MeasurementProblem[]): MeasurementProblem[] {
  const had = new Set(before.map(problemKey));
  return after.filter((p) => !had.has(problemKey(p)));
}
