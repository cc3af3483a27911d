// The journey file format: what it accepts, what it rejects and where it says the problem is.
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  JourneyFileSchema,
  findTouchpointKeyClashes,
  journeyCrossFieldIssues,
  journeyJsonSchema,
  journeyJsonSchemaText,
  parseJourneyFile,
  validateJourney,
  type JourneyFile,
} from "~/cem/journey";
import { findJsonSyntaxProblem } from "~/cem/journey-json-syntax";

const journeysDir = path.resolve(__dirname, "../../journeys");
const sampleFiles = readdirSync(journeysDir).filter((f) => f.endsWith(".json") && f !== "journey.schema.json");

function touchpoint(key: string, extra: Record<string, unknown> = {}) {
  return { key, name: `Touchpoint ${key}`, channel: "web", interaction: "person-to-technology", ...extra };
}

function minimal(extra: Record<string, unknown> = {}) {
  return {
    format: "vivencia.journey/1",
    key: "minimal-journey",
    name: "Minimal",
    stages: [{ key: "only", name: "Only stage", touchpoints: [touchpoint("tp-one")] }],
    ...extra,
  };
}

function errorsOf(data: unknown) {
  const result = validateJourney(data);
  if (result.ok) throw new Error("expected the journey to be invalid");
  return result.errors;
}

describe("valid journeys", () => {
  it("accepts a minimal file and fills in the defaults", () => {
    const result = parseJourneyFile(JSON.stringify(minimal()));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.journey).toMatchObject({ persona: "", description: "", processes: [] });
    expect(result.journey.stages[0].touchpoints[0]).toMatchObject({
      process: null,
      side: "frontstage",
      momentOfTruth: null,
      modules: [],
      targetDurationMinutes: null,
      attributes: [],
    });
  });

  it("accepts a complete touchpoint", () => {
    const file = minimal({
      $schema: "https://example.org/journey.schema.json",
      processes: [{ key: "onboarding", name: "Alta", owner: "Operaciones", description: "" }],
      stages: [
        {
          key: "apply",
          name: "Solicitud",
          touchpoints: [
            touchpoint("bank-branch-welcome", {
              channel: "store",
              interaction: "person-to-person",
              process: "onboarding",
              side: "frontstage",
              momentOfTruth: { reason: "Primera impresión" },
              modules: ["sense", "feel", "think", "act", "relate"],
              targetDurationMinutes: 15,
              attributes: [
                { key: "waiting_time", label: { es: "Tiempo de espera", en: "Waiting time" }, servqual: "responsiveness" },
                { key: "brand_appeal", label: { es: "Atractivo", en: "Appeal" }, servqual: null },
              ],
            }),
          ],
        },
      ],
    });
    expect(validateJourney(file)).toMatchObject({ ok: true });
  });

  it("lets the same attribute key appear in different touchpoints", () => {
    const attr = { key: "waiting_time", label: { es: "Espera", en: "Wait" } };
    const file = minimal({
      stages: [{ key: "s", name: "S", touchpoints: [touchpoint("a", { attributes: [attr] }), touchpoint("b", { attributes: [attr] })] }],
    });
    expect(validateJourney(file).ok).toBe(true);
  });
});

describe("field errors, each with its path", () => {
  it("reports every field error at once", () => {
    const file = {
      format: "vivencia.journey/2",
      key: "Not A Slug",
      persona: 3,
      stages: [
        { key: "ok", name: "Fine", touchpoints: [touchpoint("fine")] },
        {
          key: "second",
          name: " ",
          touchpoints: [
            touchpoint("bad-channel", { channel: "fax", interaction: "person-to-robot", side: "offstage" }),
            touchpoint("bad-details", {
              modules: ["sense", "smell"],
              momentOfTruth: { reason: "" },
              targetDurationMinutes: -5,
              attributes: [
                { key: "Waiting Time", label: { es: "Espera" }, servqual: "speed" },
              ],
            }),
          ],
        },
      ],
    };
    const errors = errorsOf(file);
    const paths = errors.map((e) => e.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        "format",
        "key",
        "name",
        "persona",
        "stages[1].name",
        "stages[1].touchpoints[0].channel",
        "stages[1].touchpoints[0].interaction",
        "stages[1].touchpoints[0].side",
        "stages[1].touchpoints[1].modules[1]",
        "stages[1].touchpoints[1].momentOfTruth.reason",
        "stages[1].touchpoints[1].targetDurationMinutes",
        "stages[1].touchpoints[1].attributes[0].key",
        "stages[1].touchpoints[1].attributes[0].label.en",
        "stages[1].touchpoints[1].attributes[0].servqual",
      ]),
    );
    expect(paths).toHaveLength(14);
    expect(errors.find((e) => e.path === "name")?.message).toBe("required field is missing");
    expect(errors.find((e) => e.path === "key")?.message).toMatch(/slug/);
    for (const error of errors) expect(error.message.length).toBeGreaterThan(0);
  });

  it("reports each unknown field at its own path", () => {
    const file = minimal({ colour: "red" });
    (file.stages[0].touchpoints[0] as Record<string, unknown>).moment = true;
    const errors = errorsOf(file);
    expect(errors).toHaveLength(2);
    expect(errors).toEqual(
      expect.arrayContaining([
        { path: "colour", message: 'unknown field "colour"' },
        { path: "stages[0].touchpoints[0].moment", message: 'unknown field "moment"' },
      ]),
    );
  });

  it("rejects a file that is not an object, at the root", () => {
    expect(errorsOf([1, 2])).toEqual([{ path: "", message: expect.any(String) }]);
  });

  it("rejects slugs longer than 64 characters", () => {
    const errors = errorsOf(minimal({ key: "a".repeat(65) }));
    expect(errors.map((e) => e.path)).toEqual(["key"]);
  });
});

describe("cross-field checks", () => {
  it("accepts a journey still being drafted, with no stages yet", () => {
    expect(validateJourney(minimal({ stages: [] })).ok).toBe(true);
  });

  it("finds duplicate stage, touchpoint, attribute and process keys and unknown processes", () => {
    const attr = (key: string) => ({ key, label: { es: key, en: key } });
    const file = minimal({
      processes: [
        { key: "billing", name: "Facturación" },
        { key: "billing", name: "Cobranza" },
      ],
      stages: [
        { key: "same", name: "A", touchpoints: [touchpoint("dup"), touchpoint("x", { process: "billing" })] },
        {
          key: "same",
          name: "B",
          touchpoints: [
            touchpoint("dup", { process: "shipping", attributes: [attr("speed"), attr("speed")], modules: ["act", "act"] }),
          ],
        },
      ],
    });
    expect(errorsOf(file)).toEqual(
      expect.arrayContaining([
        { path: "processes[1].key", message: expect.stringMatching(/duplicate process key "billing".*processes\[0\]\.key/) },
        { path: "stages[1].key", message: expect.stringMatching(/duplicate stage key "same"/) },
        { path: "stages[1].touchpoints[0].key", message: expect.stringMatching(/duplicate touchpoint key "dup".*stages\[0\]\.touchpoints\[0\]\.key/) },
        { path: "stages[1].touchpoints[0].attributes[1].key", message: expect.stringMatching(/duplicate attribute key/) },
        { path: "stages[1].touchpoints[0].process", message: 'process "shipping" is not listed in "processes"' },
        { path: "stages[1].touchpoints[0].modules[1]", message: 'module "act" is listed twice' },
      ]),
    );
    expect(errorsOf(file)).toHaveLength(6);
  });

  it("still runs when fields are invalid, so all errors come at once", () => {
    const file = minimal({
      stages: [
        { key: "s", name: "S", touchpoints: [touchpoint("dup", { channel: "fax" })] },
        { key: "t", name: "T", touchpoints: [touchpoint("dup")] },
      ],
    });
    expect(errorsOf(file).map((e) => e.path)).toEqual(["stages[0].touchpoints[0].channel", "stages[1].touchpoints[0].key"]);
  });

  it("is a pure function of the value, usable without the schema", () => {
    expect(journeyCrossFieldIssues("not an object")).toEqual([]);
    expect(journeyCrossFieldIssues({ stages: [{ key: "a" }, { key: "a" }] })).toEqual([
      { path: ["stages", 1, "key"], message: expect.stringContaining("duplicate stage key") },
    ]);
  });
});

describe("invalid JSON", () => {
  it("gives one error with line and column", () => {
    const result = parseJourneyFile('{\n  "format": "vivencia.journey/1",\n  "key": ,\n}');
    expect(result).toEqual({ ok: false, errors: [{ path: "", message: expect.stringContaining("line 3, column 10") }] });
  });

  it("locates problems the way JSON.parse sees them", () => {
    const cases = ['{"a": 1,}', "[1, 2", '{"a" 1}', '"tab\there"', "{'a': 1}", "01", '{"a": tru}', "", '{"a": "\\x"}', "[] []"];
    for (const text of cases) {
      expect(() => JSON.parse(text)).toThrow();
      expect(findJsonSyntaxProblem(text), text).not.toBeNull();
    }
    for (const text of ['{"a": [1, -2.5e3, true, null, "\\u00e9\\n"]}', " [] ", '"x"']) {
      expect(findJsonSyntaxProblem(text)).toBeNull();
    }
    expect(findJsonSyntaxProblem('{\n "a": 1,\n "b": }')).toMatchObject({ line: 3, column: 7 });
  });

  it("accepts a byte order mark", () => {
    expect(parseJourneyFile(`\uFEFF${JSON.stringify(minimal())}`).ok).toBe(true);
  });
});

describe("sample programmes in journeys/", () => {
  const samples = sampleFiles.map((file) => {
    const result = parseJourneyFile(readFileSync(path.join(journeysDir, file), "utf8"));
    return { file, result };
  });

  it("ships the three samples", () => {
    expect(sampleFiles).toEqual(
      expect.arrayContaining([
        "retail-bank-account-opening.json",
        "telecom-installation-and-repair.json",
        "ecommerce-order-to-delivery.json",
      ]),
    );
  });

  it.each(sampleFiles)("%s is valid, named after its key and rich enough to demo", (file) => {
    const { result } = samples.find((s) => s.file === file)!;
    if (!result.ok) throw new Error(`${file}: ${JSON.stringify(result.errors)}`);
    const journey = result.journey;
    expect(`${journey.key}.json`).toBe(file);
    const touchpoints = journey.stages.flatMap((s) => s.touchpoints);
    expect(journey.stages.length).toBeGreaterThanOrEqual(4);
    expect(journey.stages.length).toBeLessThanOrEqual(6);
    expect(touchpoints.length).toBeGreaterThanOrEqual(8);
    expect(touchpoints.length).toBeLessThanOrEqual(14);
    expect(touchpoints.filter((t) => t.momentOfTruth).length).toBeGreaterThanOrEqual(3);
    expect(journey.processes.every((p) => p.owner.length > 0)).toBe(true);
    for (const tp of touchpoints) {
      expect(tp.attributes.length, tp.key).toBeGreaterThanOrEqual(2);
      expect(tp.attributes.length, tp.key).toBeLessThanOrEqual(5);
      expect(tp.process, tp.key).not.toBeNull();
    }
    expect(touchpoints.some((t) => t.side === "backstage")).toBe(true);
  });

  it("uses touchpoint keys that are unique across all samples", () => {
    const journeys = samples.map((s) => (s.result.ok ? s.result.journey : null)).filter((j): j is JourneyFile => j !== null);
    expect(findTouchpointKeyClashes(journeys)).toEqual([]);
    expect(findTouchpointKeyClashes([journeys[0], journeys[0]]).length).toBeGreaterThan(0);
  });
});

describe("published JSON Schema", () => {
  it("is generated from the zod schema, with identity and metadata", () => {
    const schema = journeyJsonSchema();
    expect(schema).toMatchObject({
      $schema: "https://json-schema.org/draft/2020-12/schema",
      $id: expect.any(String),
      title: expect.any(String),
      description: expect.any(String),
      type: "object",
      additionalProperties: false,
      required: ["format", "key", "name", "stages"],
    });
    expect(JSON.stringify(schema)).toContain('"enum":["store","web","app","phone","email","chat","social","field","other"]');
    expect(JourneyFileSchema).toBeDefined();
  });

  it("is committed as journeys/journey.schema.json, byte for byte", () => {
    const committed = readFileSync(path.join(journeysDir, "journey.schema.json"), "utf8");
    expect(committed).toBe(journeyJsonSchemaText());
  });
});
