// Measurement metadata as SurveyJS custom properties, so that a survey definition says by itself
// what each answer measures and analysis never guesses. Registration is idempotent and runs on
// import, on the server and in the browser alike.
//
// Properties (all prefixed "viv" so they can never collide with SurveyJS's own):
//   vivAttribute     string   on questions — the touchpoint attribute key (or a built-in SERVQUAL /
//                             Brand Experience item key) the answer measures; absent for NPS, CSAT,
//                             CES and the open comment, which describe the whole visit.
//   vivMeasure       string   on questions and multiple-text items — the measure kind (MeasureKind).
//   vivDimension     string   on questions and multiple-text items — the SERVQUAL dimension: the
//                             attribute's dimension on rating items, the dimension a share of
//                             importance points goes to on "importance_points" items.
//   vivReverseCoded  boolean  on questions — the item is worded negatively; analysis flips it
//                             (x' = min + max − x on the item's scale).
import { Serializer, type Base } from "survey-core";
import {
  MEASURE_KINDS,
  SERVQUAL_DIMENSIONS,
  isMeasureKind,
  isServqualDimension,
  type MeasureKind,
  type ServqualDimension,
} from "./types";

export const ATTRIBUTE_PROPERTY = "vivAttribute";
export const MEASURE_PROPERTY = "vivMeasure";
export const DIMENSION_PROPERTY = "vivDimension";
export const REVERSE_CODED_PROPERTY = "vivReverseCoded";

const CATEGORY = "vivencia";

export function registerMeasurementProperties(): void {
  for (const className of ["question", "multipletextitem"]) {
    if (!Serializer.findProperty(className, MEASURE_PROPERTY)) {
      Serializer.addProperty(className, {
        name: MEASURE_PROPERTY,
        category: CATEGORY,
        choices: [...MEASURE_KINDS],
      });
    }
    if (!Serializer.findProperty(className, DIMENSION_PROPERTY)) {
      Serializer.addProperty(className, {
        name: DIMENSION_PROPERTY,
        category: CATEGORY,
        choices: [...SERVQUAL_DIMENSIONS],
      });
    }
  }
  if (!Serializer.findProperty("question", ATTRIBUTE_PROPERTY)) {
    Serializer.addProperty("question", { name: ATTRIBUTE_PROPERTY, category: CATEGORY });
  }
  if (!Serializer.findProperty("question", REVERSE_CODED_PROPERTY)) {
    Serializer.addProperty("question", {
      name: REVERSE_CODED_PROPERTY,
      type: "boolean",
      default: false,
      category: CATEGORY,
    });
  }
}

registerMeasurementProperties();

/**
 * The metadata of one question or multiple-text item as written, unchecked: `measure` keeps an
 * unknown kind as a string so validation can name it.
 */
export type RawMeasureMeta = {
  attribute: string | null;
  measure: string | null;
  dimension: string | null;
  reverseCoded: boolean;
};

export function readMeasureMeta(element: Base): RawMeasureMeta {
  const text = (name: string): string | null => {
    const value: unknown = element.getPropertyValue(name);
    return typeof value === "string" && value.trim() !== "" ? value.trim() : null;
  };
  return {
    attribute: text(ATTRIBUTE_PROPERTY),
    measure: text(MEASURE_PROPERTY),
    dimension: text(DIMENSION_PROPERTY),
    reverseCoded: element.getPropertyValue(REVERSE_CODED_PROPERTY) === true,
  };
}

export function measureKindOf(meta: RawMeasureMeta): MeasureKind | null {
  return isMeasureKind(meta.measure) ? meta.measure : null;
}

export function dimensionOf(meta: RawMeasureMeta): ServqualDimension | null {
  return isServqualDimension(meta.dimension) ? meta.dimension : null;
}
