// PostgreSQL array literals for the ingest's array parameters (db/statement-text.ts): what the
// server parses back must be the very values (the PostgreSQL suite stores them and reads them back).
import { describe, expect, it } from "vitest";
import { pgArrayLiteral } from "#db/statement-text";

describe("pgArrayLiteral", () => {
  it("writes numbers as JavaScript prints them and null as NULL", () => {
    expect(pgArrayLiteral([1, -2, 0.1 + 0.2, 1e21, null])).toBe("{1,-2,0.30000000000000004,1e+21,NULL}");
    expect(pgArrayLiteral([])).toBe("{}");
  });

  it("quotes every text and escapes quotes and backslashes only", () => {
    expect(pgArrayLiteral(["", "NULL", 'a"b', "c\\d", "{x,y}", "ñ 😀", " spaced "])).toBe(
      String.raw`{"","NULL","a\"b","c\\d","{x,y}","ñ 😀"," spaced "}`,
    );
  });

  it("refuses what it cannot write faithfully", () => {
    expect(() => pgArrayLiteral([Number.NaN])).toThrow(RangeError);
    expect(() => pgArrayLiteral([Infinity])).toThrow(RangeError);
    expect(() => pgArrayLiteral([true])).toThrow(TypeError);
  });
});
