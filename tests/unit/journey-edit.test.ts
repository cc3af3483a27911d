import { describe, expect, it } from "vitest";
import type { JourneyFile, JourneyTouchpoint } from "~/cem/journey";
import { addStage, deleteStage, deleteTouchpoint, findTouchpoint, moveStage, moveTouchpoint, newTouchpointKey, placeTouchpoint, referencedProcesses, renameStage, upsertTouchpoint } from "~/cem/journey-edit";

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

describe("placing a touchpoint on the map", () => {
  // Lanes by process: stage a holds a1 (p2) and a2 (p1); stage b holds b1 (p2).
  const place = (key: string, stage: string, lane: string | null, index: number, by: "channel" | "process" | "side" = "process") =>
    placeTouchpoint(base, key, { stage, lane: { by, key: lane }, index });

  it("moves a card to another stage, into a lane's cell at a position", () => {
    const first = place("b1", "a", "p2", 0);
    expect(first.ok && keys(first.journey)).toEqual(["a:b1,a1,a2", "b:"]);
    // After the last card of its cell: a1 is the only p2 card in stage a, so b1 lands right after it.
    const after = place("b1", "a", "p2", 1);
    expect(after.ok && keys(after.journey)).toEqual(["a:a1,b1,a2", "b:"]);
    // An index past the cell's end is the end of the cell.
    const far = place("b1", "a", "p2", 99);
    expect(far.ok && keys(far.journey)).toEqual(["a:a1,b1,a2", "b:"]);
  });

  it("moves a card to another lane, which changes what the lane stands for", () => {
    const toP1 = place("a1", "a", "p1", 1);
    expect(toP1.ok && keys(toP1.journey)).toEqual(["a:a2,a1", "b:b1"]);
    expect(toP1.ok && findTouchpoint(toP1.journey, "a1")!.touchpoint.process).toBe("p1");
    const noProcess = place("a1", "b", null, 0);
    expect(noProcess.ok && findTouchpoint(noProcess.journey, "a1")!.touchpoint.process).toBeNull();
    const web = place("a2", "a", "web", 0, "channel");
    expect(web.ok && findTouchpoint(web.journey, "a2")!.touchpoint.channel).toBe("web");
    // An empty cell: the end of the stage.
    expect(web.ok && keys(web.journey)).toEqual(["a:a1,a2", "b:b1"]);
    const back = place("a1", "a", "backstage", 0, "side");
    expect(back.ok && findTouchpoint(back.journey, "a1")!.touchpoint.side).toBe("backstage");
  });

  it("reorders within a cell", () => {
    const j: JourneyFile = { ...base, stages: [{ key: "a", name: "A", nameEn: "", touchpoints: [tp("x", "p"), tp("y", "q"), tp("z", "p")] }] };
    const r = placeTouchpoint(j, "z", { stage: "a", lane: { by: "process", key: "p" }, index: 0 });
    expect(r.ok && keys(r.journey)).toEqual(["a:z,x,y"]);
    const s = placeTouchpoint(j, "x", { stage: "a", lane: { by: "process", key: "p" }, index: 1 });
    expect(s.ok && keys(s.journey)).toEqual(["a:y,z,x"]);
    expect(keys(j)).toEqual(["a:x,y,z"]);
  });

  it("refuses an unknown touchpoint, stage or a lane without a key outside process lanes", () => {
    expect(place("nope", "a", "p1", 0)).toEqual({ ok: false, error: "touchpoint" });
    expect(place("a1", "zz", "p1", 0)).toEqual({ ok: false, error: "stage" });
    expect(place("a1", "a", null, 0, "channel")).toEqual({ ok: false, error: "lane" });
  });

  it("names a new touchpoint with a key unique in the journey", () => {
    expect(newTouchpointKey(base, "a1")).toBe("a1-2");
    expect(newTouchpointKey(base, "nuevo")).toBe("nuevo");
    expect(newTouchpointKey(base, "")).toBe("touchpoint");
  });
});
