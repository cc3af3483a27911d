// The insights charts: their geometry (pure layouts) and that they render on the server as
// accessible SVG (role="img" with a title and a description), and the CSV cells they export beside.
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { GapBars } from "~/components/charts/GapBars";
import { ImportancePerformanceGrid } from "~/components/charts/ImportancePerformanceGrid";
import { TrendChart } from "~/components/charts/TrendChart";
import { layoutGapBars } from "~/components/charts/gap-bars-layout";
import { layoutIpa } from "~/components/charts/ipa-layout";
import { layoutTrend } from "~/components/charts/trend-layout";
import { csvCell, csvText } from "~/web/insights-csv.server";

describe("gap bars", () => {
  const bars = [
    { key: "a", label: "Onboarding", value: -1.2, lo: -1.6, hi: -0.8, n: 40 },
    { key: "b", label: "Support", value: 0.3, lo: -0.1, hi: 0.7, n: 25 },
    { key: "c", label: "KYC", value: null, lo: null, hi: null, n: 4 },
  ];

  it("puts zero in the middle of a symmetric scale; bars run from zero, whiskers over the interval", () => {
    const layout = layoutGapBars(bars, { width: 700, labelWidth: 200, nWidth: 60 });
    expect(layout.x0).toBeCloseTo((layout.plot.left + layout.plot.right) / 2, 6);
    const [a, b, c] = layout.rows;
    expect(a.bar!.x + a.bar!.width).toBeCloseTo(layout.x0, 6);
    expect(b.bar!.x).toBeCloseTo(layout.x0, 6);
    expect(a.whisker!.x1).toBeLessThan(a.bar!.x + 1e-9);
    expect(c.bar).toBeNull();
    expect(c.whisker).toBeNull();
    expect(layout.ticks.some((t) => t.value === 0)).toBe(true);
  });

  it("renders as an image with its title, and marks withheld rows instead of drawing them", () => {
    const html = renderToStaticMarkup(
      createElement(GapBars, { bars, title: "Mean gap by process", description: "Bars", withheldLabel: "n<10", axisLabel: "gap" }),
    );
    expect(html).toContain('role="img"');
    expect(html).toMatch(/<title id="[^"]+">Mean gap by process<\/title>/);
    expect(html).toContain("n&lt;10");
    expect(html.match(/<rect[^>]*fill="#b91c1c"/g)?.length).toBe(1);
  });
});

describe("trend", () => {
  const data = [
    { bucket: "2025-03-03", value: -0.5, lo: -0.9, hi: -0.1, n: 30 },
    { bucket: "2025-03-10", value: null, lo: null, hi: null, n: 3 },
    { bucket: "2025-03-17", value: -0.2, lo: -0.5, hi: 0.1, n: 31 },
    { bucket: "2025-03-24", value: 0.1, lo: -0.2, hi: 0.4, n: 29 },
  ];

  it("breaks the line and band where a bucket is withheld, and draws the zero reference", () => {
    const layout = layoutTrend(data, { reference: 0 });
    expect(layout.line.match(/M/g)?.length).toBe(2);
    expect(layout.band.match(/M/g)?.length).toBe(2);
    expect(layout.points[1].y).toBeNull();
    expect(layout.referenceY).not.toBeNull();
    expect(layout.points[3].y!).toBeLessThan(layout.points[0].y!);
  });

  it("renders as an accessible image", () => {
    const html = renderToStaticMarkup(createElement(TrendChart, { data, title: "Gap by week", description: "Trend", reference: 0 }));
    expect(html).toContain('role="img"');
    expect(html).toContain("Gap by week");
    expect(html).toContain("n=3");
  });

  const axisLabels = (html: string) => [...html.matchAll(/text-anchor="end"[^>]*>([^<]*)</g)].map((m) => m[1]);

  it("labels every value tick with its exact value, never the same label twice", () => {
    // An NPS series hovering around zero: the scale runs -1…1 in steps of 0.5, which a whole-number
    // format would print as −1, −0, 0, 1, 1.
    const flat = [
      { bucket: "2025-03-03", value: 0, lo: -1, hi: 1, n: 12 },
      { bucket: "2025-03-10", value: 0, lo: -1, hi: 1, n: 12 },
    ];
    const html = renderToStaticMarkup(createElement(TrendChart, { data: flat, title: "NPS", description: "Trend", reference: 0, valueFormat: ".0f" }));
    const labels = axisLabels(html);
    expect(labels).toEqual(["−1", "0", "1"]);
  });

  it("says why it is empty when no period reaches the minimum n, with no value axis", () => {
    const withheld = data.map((d) => ({ ...d, value: null, lo: null, hi: null }));
    const html = renderToStaticMarkup(
      createElement(TrendChart, { data: withheld, title: "NPS", description: "Trend", reference: 0, valueFormat: ".0f", emptyLabel: "No period reaches the minimum n (10)" }),
    );
    expect(html).toContain("No period reaches the minimum n (10)");
    expect(axisLabels(html)).toEqual([]);
    expect(html).not.toContain("stroke-dasharray=\"4 3\"");
    // The periods stay on the time axis, each with its n.
    expect(html).toContain("n=30");
  });
});

describe("importance–performance grid", () => {
  const dots = [
    { key: "a", label: "Waiting time", importance: 6, performance: 4, quadrant: "concentrate_here" as const },
    { key: "b", label: "Branch look", importance: 3, performance: 6, quadrant: "possible_overkill" as const },
  ];

  it("puts the crosshairs at the means and the high-importance, low-performance dot top left", () => {
    const layout = layoutIpa(dots, { importance: 4.5, performance: 5 });
    const [a, b] = layout.dots;
    expect(a.x).toBeLessThan(layout.crossX);
    expect(a.y).toBeLessThan(layout.crossY);
    expect(b.x).toBeGreaterThan(layout.crossX);
    expect(b.y).toBeGreaterThan(layout.crossY);
    expect(layout.quadrants.concentrate_here.x).toBeLessThan(layout.quadrants.keep_up_the_good_work.x);
  });

  it("renders with the four quadrants named", () => {
    const html = renderToStaticMarkup(
      createElement(ImportancePerformanceGrid, {
        dots,
        means: { importance: 4.5, performance: 5 },
        title: "IPA",
        description: "Grid",
        xLabel: "Performance",
        yLabel: "Importance",
        quadrantLabels: { concentrate_here: "Concentrate here", keep_up_the_good_work: "Keep up the good work", low_priority: "Low priority", possible_overkill: "Possible overkill" },
      }),
    );
    for (const label of ["Concentrate here", "Keep up the good work", "Low priority", "Possible overkill", "Waiting time"]) expect(html).toContain(label);
    expect(html).toContain('role="img"');
  });
});

describe("CSV", () => {
  it("quotes what needs quoting and defuses formulas in text", () => {
    expect(csvCell('Dijo "hola", y se fue')).toBe('"Dijo ""hola"", y se fue"');
    expect(csvCell("=HYPERLINK(1)")).toBe("'=HYPERLINK(1)");
    expect(csvCell(-1.5)).toBe("-1.5");
    expect(csvCell(null)).toBe("");
    expect(csvCell(Number.NaN)).toBe("");
    expect(csvText(["a", "b"], [[1, "x\ny"]])).toBe('a,b\r\n1,"x\ny"\r\n');
  });
});

describe("trend markers", () => {
  it("places a dated event at its bucket and drops those outside the series", () => {
    const data = ["2026-01-05", "2026-01-12", "2026-01-19"].map((bucket) => ({ bucket, value: 0, lo: -1, hi: 1, n: 20 }));
    const layout = layoutTrend(data, { markers: [{ bucket: "2026-01-12", label: "SMS" }, { bucket: "2025-12-29", label: "old" }] });
    expect(layout.markers).toHaveLength(1);
    expect(layout.markers[0].label).toBe("SMS");
    expect(layout.markers[0].x).toBe(layout.points[1].x);
  });
});
