// What keeps the insights screens readable: the scorecard's worst-touchpoints line and the trends'
// default window, which must hold a change made three months ago.
import { describe, expect, it } from "vitest";
import type { InsightRow } from "~/cem/insights";
import { DEFAULT_DAYS, TREND_DAYS, parseInsightFilter } from "~/cem/insights-filters";
import { worstTouchpoints } from "~/components/insights/WorstTouchpoints";

const row = (key: string, gap: InsightRow["gap"]): InsightRow => ({ key, n: gap?.n ?? 0, gap } as unknown as InsightRow);
const ok = (n: number, meanGap: number) => ({ status: "ok" as const, n, value: { meanGap } }) as unknown as InsightRow["gap"];

describe("the worst touchpoints above the map", () => {
  it("lists only shown gaps below zero, worst first, at most three, with their n", () => {
    const rows = [
      row("a", ok(20, -0.4)),
      row("b", ok(30, -1.6)),
      row("c", ok(12, 0.3)),
      row("d", { status: "withheld", n: 4, minN: 10 } as unknown as InsightRow["gap"]),
      row("e", ok(15, -0.9)),
      row("f", ok(40, -0.1)),
      row("g", null),
    ];
    const names = new Map([["b", "Entrega de tarjeta"]]);
    expect(worstTouchpoints(rows, names)).toEqual([
      { key: "b", name: "Entrega de tarjeta", meanGap: -1.6, n: 30 },
      { key: "e", name: "e", meanGap: -0.9, n: 15 },
      { key: "a", name: "a", meanGap: -0.4, n: 20 },
    ]);
  });

  it("is empty when nothing shown is below expectation", () => {
    expect(worstTouchpoints([row("c", ok(12, 0.3))], new Map())).toEqual([]);
  });
});

describe("the default windows", () => {
  const today = "2026-12-07";
  it("keeps 90 days for tables and 26 weeks for trends", () => {
    const tables = parseInsightFilter(new URLSearchParams(), today);
    const trends = parseInsightFilter(new URLSearchParams(), today, "lang", TREND_DAYS);
    expect(tables.ok && [tables.filter.from, tables.filter.to]).toEqual(["2026-09-09", today]);
    expect(DEFAULT_DAYS).toBe(90);
    expect(trends.ok && [trends.filter.from, trends.filter.to]).toEqual(["2026-06-09", today]);
  });

  it("includes a change made 90 days ago in the trends' window, with weeks before it", () => {
    const change = "2026-09-08"; // 90 days before today: the demo's story
    const trends = parseInsightFilter(new URLSearchParams(), today, "lang", TREND_DAYS);
    expect(trends.ok && trends.filter.from < change).toBe(true);
    const tables = parseInsightFilter(new URLSearchParams(), today);
    expect(tables.ok && tables.filter.from > change).toBe(true);
  });
});
