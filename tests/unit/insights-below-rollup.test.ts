// The "below" rollup kinds: one row per gap row, x = 1 when that gap is negative, so the share of
// respondents below expectation is additive like every other dashboard number.
import { describe, expect, it } from "vitest";
import type { Measurement } from "~/cem/measurement";
import { mergeRollups, rollupDeltas } from "~/cem/rollup";

const m = (attributeKey: string | null, kind: Measurement["kind"], value: number, dimension: Measurement["dimension"] = null): Measurement => ({
  attributeKey,
  kind,
  value,
  dimension,
});

describe("below rows", () => {
  it("mirror the gap rows: attribute (P < E), touchpoint (the response's mean gap < 0) and dimension", () => {
    const rows = rollupDeltas(
      [
        m("wait", "expectation", 6, "responsiveness"),
        m("wait", "perception", 4, "responsiveness"),
        m("tone", "expectation", 5, "empathy"),
        m("tone", "perception", 6, "empathy"),
        m("speed", "expectation", 5, "responsiveness"),
        m("speed", "perception", 5, "responsiveness"),
      ],
      { day: "2025-03-01", tier: null },
    );
    const get = (a: string, k: string) => rows.find((r) => r.attributeKey === a && r.kind === k);
    expect(get("wait", "below")).toMatchObject({ n: 1, sum: 1, sumSq: 1 });
    expect(get("tone", "below")).toMatchObject({ n: 1, sum: 0 });
    expect(get("speed", "below")).toMatchObject({ n: 1, sum: 0 });
    // Mean gap (−2 + 1 + 0)/3 < 0.
    expect(get("", "below")).toMatchObject({ n: 1, sum: 1 });
    expect(get("responsiveness", "dimension_below")).toMatchObject({ n: 1, sum: 1 });
    expect(get("empathy", "dimension_below")).toMatchObject({ n: 1, sum: 0 });
    for (const gap of rows.filter((r) => r.kind === "gap" || r.kind === "dimension_gap")) {
      const kind = gap.kind === "gap" ? "below" : "dimension_below";
      expect(rows.filter((r) => r.kind === kind && r.attributeKey === gap.attributeKey)).toHaveLength(1);
    }
  });

  it("never counts a response whose gaps cancel exactly, and adds up across responses", () => {
    const cancel = rollupDeltas(
      [m("a", "expectation", 6), m("a", "perception", 5), m("b", "expectation", 4), m("b", "perception", 5)],
      { day: "2025-03-01", tier: "premium" },
    );
    expect(cancel.find((r) => r.attributeKey === "" && r.kind === "below")).toMatchObject({ n: 1, sum: 0 });
    const merged = mergeRollups([
      ...cancel,
      ...rollupDeltas([m("a", "expectation", 6), m("a", "perception", 2)], { day: "2025-03-01", tier: "premium" }),
    ]);
    expect(merged.find((r) => r.attributeKey === "" && r.kind === "below")).toMatchObject({ n: 2, sum: 1 });
  });

  it("adds nothing where no gap exists (zone of tolerance only, NPS only)", () => {
    const rows = rollupDeltas(
      [m("a", "adequate", 4), m("a", "desired", 7), m("a", "perception", 3), m(null, "nps", 8)],
      { day: "2025-03-01", tier: null },
    );
    expect(rows.some((r) => r.kind === "below" || r.kind === "dimension_below")).toBe(false);
  });
});
