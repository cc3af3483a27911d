// JSON from outside, bounded: nesting measured on the text (strings understood), forbidden keys and
// NUL characters found with their paths, and the canonical text an Idempotency-Key is bound to.
import { describe, expect, it } from "vitest";
import {
  MAX_JSON_DEPTH,
  canonicalJson,
  jsonTextProblem,
  memberPath,
  nestingBeyond,
  parseBoundedJson,
  unsafeMember,
} from "~/cem/bounded-json";
import { EPOCH_MS, MAX_CLOCK_SKEW_MS, instantProblem } from "~/cem/instant-bounds";

const nested = (depth: number) => "[".repeat(depth) + "]".repeat(depth);

describe("nestingBeyond", () => {
  it("finds the bracket that goes one level too deep, and nothing within the limit", () => {
    expect(nestingBeyond(nested(32), 32)).toBe(-1);
    expect(nestingBeyond(nested(33), 32)).toBe(32);
    expect(nestingBeyond('{"a":{"b":[1,{"c":2}]}}', 4)).toBe(-1);
    expect(nestingBeyond('{"a":{"b":[1,{"c":2}]}}', 3)).toBe(13);
  });

  it("does not count brackets inside strings, escaped quotes included", () => {
    expect(nestingBeyond(`{"a":"${"[".repeat(100)}"}`, 2)).toBe(-1);
    expect(nestingBeyond(`{"a":"\\"[[[[","b":1}`, 1)).toBe(-1);
    expect(nestingBeyond(`{"a":"\\\\","b":[[1]]}`, 2)).toBe(15);
  });

  it("scans a 100,000-deep text without recursion", () => {
    expect(nestingBeyond(nested(100_000), MAX_JSON_DEPTH)).toBe(MAX_JSON_DEPTH);
  });
});

describe("parseBoundedJson", () => {
  it("parses what is within the limits", () => {
    expect(parseBoundedJson('{"nps": 9, "comment": "ok"}')).toEqual({ ok: true, value: { nps: 9, comment: "ok" } });
    expect(parseBoundedJson(nested(MAX_JSON_DEPTH))).toMatchObject({ ok: true });
  });

  it("refuses a nesting past the limit before parsing, saying the limit", () => {
    const result = parseBoundedJson(nested(100_000));
    expect(result).toMatchObject({ ok: false, problem: { error: "too_deep", message: expect.stringContaining("32 levels") } });
    expect(parseBoundedJson(nested(5), { maxDepth: 4 })).toMatchObject({ ok: false, problem: { error: "too_deep" } });
  });

  it("refuses text longer than maxChars", () => {
    expect(parseBoundedJson('"abcdef"', { maxChars: 5 })).toMatchObject({ ok: false, problem: { error: "too_large" } });
  });

  it("reports text that is not JSON", () => {
    expect(parseBoundedJson("{ nope")).toMatchObject({ ok: false, problem: { error: "invalid_json", path: "" } });
    expect(parseBoundedJson("")).toMatchObject({ ok: false, problem: { error: "invalid_json" } });
  });

  it("refuses __proto__, constructor and prototype anywhere, naming the path", () => {
    expect(parseBoundedJson('{"__proto__": {"admin": true}}')).toMatchObject({ ok: false, problem: { error: "forbidden_key", path: "__proto__" } });
    expect(parseBoundedJson('{"answers": {"q1": [1, {"constructor": 2}]}}')).toMatchObject({
      ok: false,
      problem: { error: "forbidden_key", path: "answers.q1[1].constructor", message: expect.stringContaining("answers.q1[1].constructor") },
    });
    expect(parseBoundedJson('[{"a": {"prototype": null}}]')).toMatchObject({ ok: false, problem: { path: "[0].a.prototype" } });
    // An escaped spelling is the same key once parsed.
    expect(parseBoundedJson('{"__pro\\u0074o__": 1}')).toMatchObject({ ok: false, problem: { error: "forbidden_key" } });
    // As values they are only words.
    expect(parseBoundedJson('{"name": "constructor", "list": ["__proto__"]}')).toMatchObject({ ok: true });
  });

  it("refuses NUL characters in strings and keys", () => {
    expect(parseBoundedJson('{"comment": "a\\u0000b"}')).toMatchObject({ ok: false, problem: { error: "nul_character", path: "comment" } });
    expect(parseBoundedJson('{"a\\u0000": 1}')).toMatchObject({ ok: false, problem: { error: "nul_character" } });
    expect(parseBoundedJson('"\\u0000"')).toMatchObject({ ok: false, problem: { error: "nul_character", path: "" } });
  });

  it("leaves the parsed object's prototype alone", () => {
    const result = parseBoundedJson('{"a": 1}');
    expect(result.ok && Object.getPrototypeOf(result.value)).toBe(Object.prototype);
  });
});

describe("unsafeMember", () => {
  it("walks values of any depth built in code without recursion", () => {
    let deep: unknown = { constructor: 1 };
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(unsafeMember(deep)?.reason).toBe("forbidden_key");
    expect(unsafeMember({ ok: [1, "two", null, { three: true }] })).toBeNull();
  });

  it("starts paths from a base", () => {
    expect(unsafeMember({ prototype: 1 }, "answers")).toEqual({ reason: "forbidden_key", key: "prototype", path: "answers.prototype" });
  });
});

describe("memberPath", () => {
  it("writes members as a JavaScript reader would", () => {
    expect(memberPath("", "answers")).toBe("answers");
    expect(memberPath("answers", "q1")).toBe("answers.q1");
    expect(memberPath("answers", 3)).toBe("answers[3]");
    expect(memberPath("answers", "two words")).toBe('answers["two words"]');
  });
});

describe("jsonTextProblem", () => {
  it("checks size and depth only", () => {
    expect(jsonTextProblem('{"__proto__": 1}')).toBeNull();
    expect(jsonTextProblem(nested(40))?.error).toBe("too_deep");
  });
});

describe("canonicalJson", () => {
  it("gives the same text for the same JSON whatever the key order and spacing", () => {
    const a = JSON.parse('{"b": 1, "a": {"y": [3, {"d": 1, "c": 2}], "x": 1.0}}') as unknown;
    const b = JSON.parse('{"a":{"x":1,"y":[3,{"c":2,"d":1}]},"b":1}') as unknown;
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(canonicalJson(a)).toBe('{"a":{"x":1,"y":[3,{"c":2,"d":1}]},"b":1}');
  });

  it("tells different JSON apart, array order included", () => {
    expect(canonicalJson({ a: [1, 2] })).not.toBe(canonicalJson({ a: [2, 1] }));
    expect(canonicalJson({ a: "1" })).not.toBe(canonicalJson({ a: 1 }));
  });
});

describe("instantProblem", () => {
  const now = Date.parse("2026-06-01T12:00:00Z");

  it("accepts instants from 1970 up to the clock skew ahead", () => {
    expect(instantProblem("at", EPOCH_MS, { now })).toBeNull();
    expect(instantProblem("at", now + MAX_CLOCK_SKEW_MS, { now })).toBeNull();
  });

  it("refuses instants before 1970, in the future, before a floor, or not numbers", () => {
    expect(instantProblem("completedAt", Date.parse("0000-01-01T00:00:00Z"), { now })).toMatch(/completedAt is before 1970/);
    expect(instantProblem("at", now + MAX_CLOCK_SKEW_MS + 1, { now })).toMatch(/future/);
    expect(instantProblem("at", Date.parse("2025-01-01T00:00:00Z"), { now, notBefore: Date.parse("2026-01-01T00:00:00Z"), notBeforeWhat: "the workspace was created" })).toMatch(
      /before the workspace was created \(2026-01-01/,
    );
    expect(instantProblem("at", NaN, { now })).toMatch(/not a valid instant/);
  });
});
