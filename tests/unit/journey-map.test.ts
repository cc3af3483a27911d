// The journey map: layout geometry that stays readable with many touchpoints, and the SVG it renders.
import { readFileSync } from "node:fs";
import path from "node:path";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { CHANNELS, MODULES, parseJourneyFile, type JourneyFile } from "~/cem/journey";
import { JourneyMap, type JourneyMapProps } from "~/components/charts/JourneyMap";
import { layoutJourneyMap, wrapText, type JourneyMapInput, type LaneBy, type MapCard } from "~/components/charts/journey-map-layout";

function sample(key: string): JourneyFile {
  const result = parseJourneyFile(readFileSync(path.resolve(__dirname, `../../journeys/${key}.json`), "utf8"));
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.journey;
}

/** 40 touchpoints over 5 stages; the first stage crowds 12 of them into one channel to force wrapping. */
function crowdedJourney(): JourneyMapInput & { name: string } {
  let seed = 42;
  const random = () => {
    seed = (seed * 16807) % 2147483647;
    return seed / 2147483647;
  };
  const processes = ["sales", "delivery", "billing"].map((key) => ({ key, name: `Process ${key}` }));
  const counts = [12, 3, 10, 8, 7];
  return {
    name: "Crowded",
    processes,
    stages: counts.map((count, s) => ({
      key: `stage-${s}`,
      name: `Stage ${s}`,
      touchpoints: Array.from({ length: count }, (_, t) => ({
        key: `tp-${s}-${t}`,
        name: `Touchpoint ${s}.${t} with a fairly long descriptive name`,
        channel: s === 0 ? "web" : CHANNELS[Math.floor(random() * 4)],
        process: random() < 0.2 ? null : processes[Math.floor(random() * 3)].key,
        side: random() < 0.3 ? ("backstage" as const) : ("frontstage" as const),
        momentOfTruth: t % 5 === 0 ? { reason: "It matters" } : null,
        modules: MODULES.filter(() => random() < 0.5),
      })),
    })),
  };
}

const overlaps = (a: MapCard, b: MapCard) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

describe("layoutJourneyMap", () => {
  const journey = crowdedJourney();

  it.each<[LaneBy, number | undefined]>([
    ["channel", undefined],
    ["process", undefined],
    ["side", undefined],
    ["channel", 3000],
    ["process", 320],
  ])("places 40 touchpoints by %s (width %s) without overlap, inside the canvas", (laneBy, width) => {
    const layout = layoutJourneyMap(journey, { laneBy, width });
    expect(layout.cards).toHaveLength(40);
    for (const card of layout.cards) {
      expect(card.w).toBeGreaterThanOrEqual(120);
      expect(card.x).toBeGreaterThanOrEqual(0);
      expect(card.y).toBeGreaterThanOrEqual(layout.header.height);
      expect(card.x + card.w).toBeLessThanOrEqual(layout.width);
      expect(card.y + card.h).toBeLessThanOrEqual(layout.height);
      // Each card sits inside its own stage column and its own lane.
      const column = layout.columns.find((c) => c.key === card.stageKey)!;
      const lane = layout.lanes.find((l) => l.key === card.laneKey)!;
      expect(card.x).toBeGreaterThanOrEqual(column.x);
      expect(card.x + card.w).toBeLessThanOrEqual(column.x + column.width);
      expect(card.y).toBeGreaterThanOrEqual(lane.y);
      expect(card.y + card.h).toBeLessThanOrEqual(lane.y + lane.height);
    }
    for (let i = 0; i < layout.cards.length; i++) {
      for (let j = i + 1; j < layout.cards.length; j++) {
        expect(overlaps(layout.cards[i], layout.cards[j]), `${layout.cards[i].key} / ${layout.cards[j].key}`).toBe(false);
      }
    }
  });

  it("keeps journey order and links each touchpoint to the next with a d3 path", () => {
    const layout = layoutJourneyMap(journey, { laneBy: "channel" });
    const order = journey.stages.flatMap((s) => s.touchpoints.map((t) => t.key));
    expect(layout.cards.map((c) => c.key)).toEqual(order);
    expect(layout.cards.map((c) => c.index)).toEqual(order.map((_, i) => i));
    expect(layout.links).toHaveLength(39);
    expect(layout.links[0]).toMatchObject({ from: order[0], to: order[1] });
    for (const link of layout.links) expect(link.path).toMatch(/^M[\d.,-]+C/);
  });

  it("makes one column per stage, left to right, and lanes in a stable order", () => {
    const layout = layoutJourneyMap(journey, { laneBy: "process" });
    expect(layout.columns.map((c) => c.key)).toEqual(journey.stages.map((s) => s.key));
    for (let i = 1; i < layout.columns.length; i++) {
      expect(layout.columns[i].x).toBeGreaterThanOrEqual(layout.columns[i - 1].x + layout.columns[i - 1].width);
    }
    expect(layout.lanes.map((l) => l.key)).toEqual(["sales", "delivery", "billing", null]);
    expect(layout.lanes[0].label).toBe("Process sales");
    expect(layoutJourneyMap(journey, { laneBy: "side" }).lanes.map((l) => l.key)).toEqual(["frontstage", "backstage"]);
  });

  it("wraps a crowded cell into rows rather than one endless row", () => {
    const layout = layoutJourneyMap(journey, { laneBy: "channel" });
    const firstStage = layout.cards.filter((c) => c.stageKey === "stage-0");
    expect(new Set(firstStage.map((c) => c.x)).size).toBe(3);
    expect(new Set(firstStage.map((c) => c.y)).size).toBe(4);
  });

  it("stretches cards towards a wider requested width, up to a limit", () => {
    const natural = layoutJourneyMap(journey, { laneBy: "side" });
    const wide = layoutJourneyMap(journey, { laneBy: "side", width: natural.width + 300 });
    expect(wide.cards[0].w).toBeGreaterThan(natural.cards[0].w);
    expect(wide.width).toBeLessThanOrEqual(natural.width + 300);
    expect(layoutJourneyMap(journey, { laneBy: "side", width: 100_000 }).cards[0].w).toBeLessThanOrEqual(220);
  });

  it("lays out each sample programme", () => {
    for (const key of ["retail-bank-account-opening", "telecom-installation-and-repair", "ecommerce-order-to-delivery"]) {
      const j = sample(key);
      const layout = layoutJourneyMap(j, { laneBy: "process" });
      expect(layout.cards).toHaveLength(j.stages.flatMap((s) => s.touchpoints).length);
      expect(layout.lanes.length).toBe(j.processes.length);
    }
  });
});

describe("wrapText", () => {
  it("wraps on words and marks a cut with an ellipsis", () => {
    expect(wrapText("short name", 20, 2)).toEqual(["short name"]);
    expect(wrapText("one two three four five six", 9, 2)).toEqual(["one two", "three…"]);
    expect(wrapText("Supercalifragilistic", 8, 2)).toEqual(["Superca…"]);
    expect(wrapText("Aprovisionamiento y activación", 10, 3)).toEqual(["Aprovisio…", "y", "activación"]);
    for (const line of wrapText("a bb ccc dddd eeeee ffffff ggggggg", 5, 3)) expect(line.length).toBeLessThanOrEqual(5);
  });
});

describe("<JourneyMap>", () => {
  const bank = sample("retail-bank-account-opening");
  const render = (props: Partial<JourneyMapProps> = {}) => renderToStaticMarkup(createElement(JourneyMap, { journey: bank, ...props }));
  const escape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  const touchpoints = bank.stages.flatMap((s) => s.touchpoints);

  it("renders an accessible, scalable SVG with every touchpoint, stage and lane", () => {
    const html = render({ laneBy: "process" });
    expect(html).toMatch(/<svg[^>]*role="img"/);
    expect(html).toMatch(/<svg[^>]*viewBox="0 0 \d+ \d+"/);
    expect(html).toMatch(/<svg[^>]*aria-labelledby="[^"]+-title"/);
    expect(html).toContain(`<title id=`);
    expect(html).toMatch(/<desc id="[^"]+">5 stages and 13 touchpoints, 6 of them moments of truth/);
    for (const tp of touchpoints) expect(html).toContain(escape(tp.name));
    for (const stage of bank.stages) expect(html).toContain(escape(stage.name));
    for (const process of bank.processes) expect(html).toContain(escape(process.name));
    expect(html).toContain("jm-scroll");
  });

  it("marks moments of truth and shows module badges", () => {
    const html = render();
    const moments = touchpoints.filter((t) => t.momentOfTruth).length;
    expect(html.match(/class="jm-card jm-card--mot"/g)).toHaveLength(moments);
    // One star per moment of truth on the cards, one in the legend.
    expect(html.match(/class="jm-star"/g)).toHaveLength(moments + 1);
    const badges = touchpoints.reduce((n, t) => n + t.modules.length, 0);
    expect(html.match(/<g class="jm-badge"/g)).toHaveLength(badges);
    for (const letter of ["S", "F", "T", "A", "R"]) expect(html).toContain(`>${letter}</text>`);
    expect(html).toContain(escape(touchpoints.find((t) => t.momentOfTruth)!.momentOfTruth!.reason));
  });

  it("fills cards from the scores, grey with n<min where there is no value, and says n", () => {
    const [first, second] = touchpoints;
    const html = render({
      scores: { [first.key]: { value: -0.8, n: 42 }, [second.key]: { value: null, n: 3 } },
      colorScale: (v) => (v < 0 ? "#b91c1c" : "#15803d"),
    });
    expect(html).toContain('style="fill:#b91c1c"');
    // d3-format writes a true minus sign.
    expect(html).toContain("−0.8 · n = 42");
    expect(html).toContain("n&lt;min · n = 3");
    expect(html).toMatch(/class="jm-card jm-card--nodata"[^>]*style="fill:#d4d4d8"/);
    // Touchpoints without any score entry are grey too, with n = 0.
    expect(html).toContain("n&lt;min · n = 0");
    expect(html).toContain("jm-on-dark");
  });

  it("picks a default colour scale and uses a given label for the value", () => {
    const [first, second] = touchpoints;
    const html = render({ scores: { [first.key]: { value: 1.2, n: 30, label: "+1.2 gap" }, [second.key]: { value: -1, n: 30 } } });
    expect(html).toContain("+1.2 gap · n = 30");
    expect(html).toMatch(/<rect class="jm-card[^"]*"[^>]*style="fill:rgb\(/);
  });

  it("draws no fills and no n line without scores", () => {
    const html = render();
    expect(html).not.toMatch(/<rect class="jm-card[^"]*"[^>]*style=/);
    expect(html).not.toContain("n = ");
  });

  it("links each card when given an href builder, keeping the links reachable", () => {
    const html = render({ onSelectHref: (key) => `/touchpoints/${key}` });
    for (const tp of touchpoints) expect(html).toContain(`href="/touchpoints/${tp.key}"`);
    expect(html).toMatch(/<svg[^>]*role="group"/);
  });

  it("takes its words from labels", () => {
    const html = render({
      laneBy: "channel",
      labels: { title: "Mapa del viaje: {name}", channels: { store: "Sucursal" } as never, momentOfTruth: "Momento de la verdad" },
    });
    expect(html).toContain(`Mapa del viaje: ${bank.name}`);
    expect(html).toContain("Sucursal");
    expect(html).toContain("Momento de la verdad");
    expect(html).toContain("Web");
  });
});
