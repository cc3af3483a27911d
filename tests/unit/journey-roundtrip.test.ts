// Journeys as code must diff cleanly: the canonical text survives parse and serialize byte for byte.
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseJourneyFile, serializeJourneyFile, type JourneyFile } from "~/cem/journey";

const journeysDir = path.resolve(__dirname, "../../journeys");
const sampleFiles = readdirSync(journeysDir).filter((f) => f.endsWith(".json") && f !== "journey.schema.json");

function parsed(text: string): JourneyFile {
  const result = parseJourneyFile(text);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.journey;
}

// Deterministic reordering of every object's keys (arrays keep their order: it carries meaning).
function shuffleKeys(value: unknown, seed = { s: 7 }): unknown {
  if (Array.isArray(value)) return value.map((v) => shuffleKeys(v, seed));
  if (typeof value !== "object" || value === null) return value;
  const entries = Object.entries(value);
  for (let i = entries.length - 1; i > 0; i--) {
    seed.s = (seed.s * 1103515245 + 12345) % 2147483648;
    const j = seed.s % (i + 1);
    [entries[i], entries[j]] = [entries[j], entries[i]];
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, shuffleKeys(v, seed)]));
}

describe("canonical serialization", () => {
  it.each(sampleFiles)("%s is stored in canonical form", (file) => {
    const text = readFileSync(path.join(journeysDir, file), "utf8");
    expect(serializeJourneyFile(parsed(text))).toBe(text);
  });

  it.each(sampleFiles)("serialize∘parse is byte-identical for %s", (file) => {
    const once = serializeJourneyFile(parsed(readFileSync(path.join(journeysDir, file), "utf8")));
    expect(serializeJourneyFile(parsed(once))).toBe(once);
  });

  it.each(sampleFiles)("a shuffled, minified %s comes back canonical", (file) => {
    const text = readFileSync(path.join(journeysDir, file), "utf8");
    const shuffled = JSON.stringify(shuffleKeys(JSON.parse(text)));
    expect(shuffled).not.toBe(JSON.stringify(JSON.parse(text)));
    expect(serializeJourneyFile(parsed(shuffled))).toBe(text);
  });

  it("writes the documented key order, 2-space indent, a trailing newline and every defaulted field", () => {
    const input = {
      stages: [{ touchpoints: [{ interaction: "person-to-person", channel: "store", name: "Bienvenida", key: "welcome" }], name: "Alta", key: "apply" }],
      name: "Mínimo",
      key: "minimal",
      format: "vivencia.journey/1",
      $schema: "../some/other/place.json",
    };
    const text = serializeJourneyFile(parsed(JSON.stringify(input)));
    expect(text.endsWith("}\n")).toBe(true);
    expect(text.split("\n")[1]).toBe('  "$schema": "./journey.schema.json",');
    const data = JSON.parse(text);
    expect(Object.keys(data)).toEqual(["$schema", "format", "key", "name", "nameEn", "persona", "description", "processes", "stages"]);
    expect(Object.keys(data.stages[0])).toEqual(["key", "name", "nameEn", "touchpoints"]);
    expect(Object.keys(data.stages[0].touchpoints[0])).toEqual([
      "key",
      "name",
      "nameEn",
      "channel",
      "interaction",
      "process",
      "side",
      "momentOfTruth",
      "modules",
      "targetDurationMinutes",
      "attributes",
    ]);
    expect(serializeJourneyFile(parsed(text))).toBe(text);
  });

  it("keeps nested key order for processes, attributes and labels", () => {
    const text = serializeJourneyFile(
      parsed(
        JSON.stringify({
          format: "vivencia.journey/1",
          key: "k",
          name: "N",
          processes: [{ description: "d", owner: "o", name: "P", key: "p" }],
          stages: [
            {
              key: "s",
              name: "S",
              touchpoints: [
                {
                  key: "t",
                  name: "T",
                  channel: "web",
                  interaction: "person-to-technology",
                  process: "p",
                  attributes: [{ servqual: "empathy", label: { en: "Care", es: "Cuidado" }, key: "care" }],
                },
              ],
            },
          ],
        }),
      ),
    );
    const data = JSON.parse(text);
    expect(Object.keys(data.processes[0])).toEqual(["key", "name", "nameEn", "owner", "description"]);
    const attribute = data.stages[0].touchpoints[0].attributes[0];
    expect(Object.keys(attribute)).toEqual(["key", "label", "servqual"]);
    expect(Object.keys(attribute.label)).toEqual(["es", "en"]);
  });
});

describe("names in two languages", () => {
  const sample = readFileSync(path.resolve("journeys", "retail-bank-account-opening.json"), "utf8");

  it("the samples carry an English name for the journey, every process, stage and touchpoint, and round-trip byte for byte", () => {
    const journey = parsed(sample);
    const named = [journey, ...journey.processes, ...journey.stages, ...journey.stages.flatMap((s) => s.touchpoints)];
    expect(named.every((item) => item.nameEn.trim() !== "" && item.nameEn !== item.name)).toBe(true);
    expect(journey.stages[3].touchpoints[2]).toMatchObject({ name: "Entrega de la tarjeta por mensajería", nameEn: "Card delivery by courier" });
    expect(serializeJourneyFile(parsed(sample))).toBe(sample);
  });

  it("a file written before English names (one name each) still imports, with the English names empty", () => {
    const old = JSON.parse(sample) as Record<string, unknown> & { stages: Record<string, unknown>[] };
    const strip = (o: Record<string, unknown>) => delete o.nameEn;
    strip(old);
    for (const stage of old.stages) {
      strip(stage);
      for (const tp of stage.touchpoints as Record<string, unknown>[]) strip(tp);
    }
    for (const p of old.processes as Record<string, unknown>[]) strip(p);
    const journey = parsed(JSON.stringify(old));
    expect(journey.nameEn).toBe("");
    expect(journey.stages[0]).toMatchObject({ name: "Descubrimiento", nameEn: "" });
    expect(journey.stages[0].touchpoints[0].nameEn).toBe("");
  });
});
