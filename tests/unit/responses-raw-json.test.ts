// The API stores the `answers` member of a request body byte for byte: the scanner must find it
// exactly as written, whatever the spacing, nesting, escapes or key order around it.
import { describe, expect, it } from "vitest";
import { rawMemberText } from "~/api/raw-json";

describe("rawMemberText", () => {
  it("returns a member's text exactly as written", () => {
    const answers = `{ "a__perception" : 6 ,"comment":"llegó \\"tarde\\" {y} [mal]", "nested": {"x": [1, {"y": "}"}]} }`;
    const body = `{\n  "deployment": 7,\n  "answers":   ${answers}  ,\n  "lang": "es"\n}`;
    expect(rawMemberText(body, "answers")).toBe(answers);
    expect(JSON.parse(rawMemberText(body, "answers")!)).toEqual(JSON.parse(body).answers);
    expect(rawMemberText(body, "deployment")).toBe("7");
    expect(rawMemberText(body, "lang")).toBe('"es"');
  });

  it("handles members at either end, escaped keys and scalars", () => {
    expect(rawMemberText(`{"answers":{}}`, "answers")).toBe("{}");
    expect(rawMemberText(`{"x":[1,2,3],"answers":[]}`, "answers")).toBe("[]");
    expect(rawMemberText(`{"ans\\u0077ers": {"q": true}}`, "answers")).toBe(`{"q": true}`);
    expect(rawMemberText(`{"a": -1.5e3, "b": null, "c": false}`, "a")).toBe("-1.5e3");
    expect(rawMemberText(`{"a": -1.5e3, "b": null, "c": false}`, "c")).toBe("false");
  });

  it("takes the last of repeated members, as JSON.parse does", () => {
    const body = `{"answers": {"q": 1}, "answers": {"q": 2}}`;
    expect(rawMemberText(body, "answers")).toBe(`{"q": 2}`);
    expect(JSON.parse(body).answers).toEqual({ q: 2 });
  });

  it("returns null when the member is absent or the top level is not an object", () => {
    expect(rawMemberText(`{"deployment": 1}`, "answers")).toBeNull();
    expect(rawMemberText(`[{"answers": {}}]`, "answers")).toBeNull();
    expect(rawMemberText(`"answers"`, "answers")).toBeNull();
    expect(rawMemberText(`{"outer": {"answers": {}}}`, "answers")).toBeNull();
  });

  it("agrees with JSON.parse on generated bodies", () => {
    const values: unknown[] = [0, -3, 2.5, "tex\"t", "", true, null, [], [1, "a", { b: [2] }], { k: "v", n: { m: ["}"] } }];
    for (let i = 0; i < 200; i++) {
      const members = values.map((v, j) => [`k${(i + j) % values.length}`, v] as const);
      const spacing = [" ", "", "\n  ", "\t"][i % 4];
      const body = `{${spacing}${members.map(([k, v]) => `"${k}"${spacing}:${spacing}${JSON.stringify(v, null, i % 3)}`).join(`,${spacing}`)}${spacing}}`;
      const parsed = JSON.parse(body) as Record<string, unknown>;
      for (const [k] of members) expect(JSON.parse(rawMemberText(body, k)!)).toEqual(parsed[k]);
    }
  });
});
