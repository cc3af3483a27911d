import { describe, expect, it } from "vitest";
import type { JourneyFile, JourneyTouchpoint } from "~/cem/journey";
import { addStage, deleteStage, deleteTouchpoint, findTouchpoint, moveStage, moveTouchpoint, referencedProcesses, renameStage, upsertTouchpoint } from "~/cem/journey-edit";

const tp = (key: string, process: string | null = null): JourneyTouchpoint => ({
  key,
  name: key.toUpperCase(),
  nameEn: "",
  channel: "store",
  interaction: "person-to-person",
  process,
  side: "frontstage",
  momentOfTruth: null,
  modules: [],
  targetDurationMinutes: null,
  attributes: [],
});

const base: JourneyFile = {
  $schema: "./journey.schema.json",
  format: "vivencia.journey/1",
  key: "j",
  name: "J",
  nameEn: "",
  persona: "",
  description: "",
  processes: [],
  stages: [
    { key: "a", name: "A", nameEn: "", touchpoints: [tp("a1", "p2"), tp("a2", "p1")] },
    { key: "b", name: "B", nameEn: "", touchpoints: [tp("b1", "p2")] },
  ],
};

const keys = (j: JourneyFile) => j.stages.map((s) => `${s.key}:${s.touchpoints.map((t) => t.key).join(",")}`);

describe("journey edits", () => {
  it("adds, renames, moves and deletes stages without touching the input", () => {
    const added = addStage(base, { key: "c", name: "C" });
    expect(keys(added)).toEqual(["a:a1,a2", "b:b1", "c:"]);
    expect(keys(base)).toEqual(["a:a1,a2", "b:b1"]);
    expect(renameStage(base, "b", "Bee").stages[1].name).toBe("Bee");
    expect(renameStage(base, "b", "Abeja", "Bee").stages[1]).toMatchObject({ name: "Abeja", nameEn: "Bee" });
    // Without an English name the stored one stays.
    expect(renameStage(renameStage(base, "b", "Abeja", "Bee"), "b", "Abejita").stages[1]).toMatchObject({ name: "Abejita", nameEn: "Bee" });
    expect(keys(moveStage(base, "b", -1))).toEqual(["b:b1", "a:a1,a2"]);
    expect(keys(moveStage(base, "a", -1))).toEqual(keys(base));
    expect(keys(deleteStage(base, "a"))).toEqual(["b:b1"]);
  });

  it("moves touchpoints within their stage and stops at the ends", () => {
    expect(keys(moveTouchpoint(base, "a2", -1))).toEqual(["a:a2,a1", "b:b1"]);
    expect(keys(moveTouchpoint(base, "a2", 1))).toEqual(keys(base));
    expect(keys(deleteTouchpoint(base, "a1"))).toEqual(["a:a2", "b:b1"]);
  });

  it("upserts a touchpoint in place, or moves it to another stage", () => {
    const renamed = upsertTouchpoint(base, "a", { ...tp("a1"), name: "First" });
    expect(findTouchpoint(renamed, "a1")?.touchpoint.name).toBe("First");
    expect(keys(renamed)).toEqual(keys(base));
    expect(keys(upsertTouchpoint(base, "b", tp("a1")))).toEqual(["a:a2", "b:b1,a1"]);
    expect(keys(upsertTouchpoint(base, "b", tp("new")))).toEqual(["a:a1,a2", "b:b1,new"]);
  });

  it("lists the processes the touchpoints name, in order of first use", () => {
    const available = [{ key: "p1" }, { key: "p2" }, { key: "p3" }];
    expect(referencedProcesses(base, available).map((p) => p.key)).toEqual(["p2", "p1"]);
  });
});
