// npm run bench:insights [-- --engine sqlite|postgres|both --small --keep --explain]
//
// Server time of the insights views at 100k and at 1M responses on each engine (both by default,
// SQLite first), each beside a hand-written SQL aggregate over the raw measurement rows in the same
// run. bench/insights-engine.ts runs one engine in a process of its own (the engine is fixed per
// process) and says what it builds and times; PostgreSQL runs on a throwaway cluster it starts and
// stops. `--small`: 10k then 100k responses (a quick check). `--keep`: keep the database (the SQLite
// file, or the PostgreSQL cluster left running).
// `--explain` (PostgreSQL): EXPLAIN (ANALYZE, BUFFERS) of the views' statements at the larger size,
// into bench/.tmp/insights-explain.txt.
//
// Prints the tables side by side (one column per engine) and writes them into docs/benchmarks.md,
// section "Insights", between its bench:insights markers (BENCH_DOC=<file> writes them elsewhere, for
// trial runs); the notes after the markers are kept. A target missed is reported, not an error; a
// check that fails (weekly rows that differ from the daily ones) ends the run with an error.
import fs from "node:fs";
import path from "node:path";
import { ENGINE_NAMES, TMP, duration, engineOption, flag, fmt, markdownTable, prose, runEngineChild, writeSection } from "./bench-support";
import type { InsightsResult, Row } from "./insights-engine";

const TARGET_MS = 50;
const started = performance.now();
const engines = engineOption();
const passOn = ["small", "keep", "explain"].filter((f) => flag(f)).map((f) => `--${f}`);

const results: InsightsResult[] = [];
for (const engine of engines) {
  console.log(`\n== ${ENGINE_NAMES[engine]} ==`);
  results.push(await runEngineChild<InsightsResult>("insights-engine.ts", engine, passOn));
}
const wall = (performance.now() - started) / 1000;

// ---- the tables: one row per stage × window × view, one column per engine
const columns = results.map((r) => ENGINE_NAMES[r.engine]);
const first = results[0];
const keyOf = (r: Pick<Row, "stage" | "window" | "view">) => `${r.stage}\u0000${r.window}\u0000${r.view}`;
const lookup = results.map((r) => new Map(r.results.map((row) => [keyOf(row), row])));
const biggest = first.stages[first.stages.length - 1].label;
const ms = (x: number) => fmt(x, 1);

const viewsTable = markdownTable(
  ["data", "window", "view", ...columns.map((c) => `${c}: median (min) ms`)],
  ["l", "l", "l", ...results.map(() => "r" as const)],
  first.results.map((row) => [
    row.stage,
    row.window,
    row.view,
    ...lookup.map((m) => {
      const r = m.get(keyOf(row));
      if (!r) return "—";
      const value = `${ms(r.rollups.median)} (${ms(r.rollups.min)})`;
      return row.stage === biggest ? `**${value}**` : value;
    }),
  ]),
);

const rawTable = markdownTable(
  ["data", "window", "raw SQL aggregate doing the view's work", ...columns.map((c) => `${c}: ms (raw ÷ view)`)],
  ["l", "l", "l", ...results.map(() => "r" as const)],
  first.results.map((row) => [
    row.stage,
    row.window,
    row.view,
    ...lookup.map((m) => {
      const r = m.get(keyOf(row));
      return r?.raw ? `${fmt(r.raw.median)} (${fmt(r.raw.median / r.rollups.median)}×)` : "—";
    }),
  ]),
);

const worst = (r: InsightsResult) => Math.max(...r.results.filter((x) => x.stage === biggest).map((x) => x.rollups.median));
const targetTable = markdownTable(
  [`target at ${biggest}`, ...columns],
  ["l", ...results.map(() => "r" as const)],
  [
    [`every view ≤ ${TARGET_MS} ms (slowest median)`, ...results.map((r) => `${ms(worst(r))} ms: ${worst(r) <= TARGET_MS ? "met" : "**NOT met**"}`)],
    ["≥ 10× faster than the raw aggregate (smallest ratio)", ...results.map((r) => {
      const ratios = r.results.filter((x) => x.stage === biggest && x.raw).map((x) => x.raw!.median / x.rollups.median);
      const least = Math.min(...ratios);
      return `${fmt(least)}×: ${least >= 10 ? "met" : "**NOT met**"}`;
    })],
  ],
);

const dataTable = markdownTable(
  ["data built", ...columns],
  ["l", ...results.map(() => "r" as const)],
  first.stages.flatMap((s, i) => [
    [`${s.label}: responses / measurements`, ...results.map((r) => `${fmt(r.stages[i].responses)} / ${fmt(r.stages[i].measurements)}`)],
    [`${s.label}: daily / weekly rollup rows, events`, ...results.map((r) => `${fmt(r.stages[i].rollups)} / ${fmt(r.stages[i].weeklyRollups)}, ${fmt(r.stages[i].events)}`)],
    [`${s.label}: generation (+ statistics)`, ...results.map((r) => `${duration(r.stages[i].generateSeconds)} (+ ${duration(r.stages[i].analyzeSeconds)} ${r.engine === "postgres" ? "VACUUM ANALYZE" : "ANALYZE"})`)],
  ]).concat([
    ["1-minute load average before / after", ...results.map((r) => `${r.machine.load.toFixed(1)} / ${r.loadAfter.toFixed(1)}`)],
    ["this engine's run took", ...results.map((r) => duration(r.wallSeconds))],
  ]),
);

const splits = [...new Map(first.results.map((r) => [r.window, r.split])).entries()].map(([w, s]) => `${w}: ${s}`).join("; ");
console.log(`\n${viewsTable}\n\n${rawTable}\n\n${targetTable}\n\n${dataTable}\n\nWindows: ${splits}\n`);
fs.writeFileSync(path.join(TMP, "insights-results.json"), JSON.stringify(results, null, 2));

// ---- docs/benchmarks.md, section "Insights"
const m = first.machine;
const pgRun = results.find((r) => r.engine === "postgres");
const when = new Date().toISOString().slice(0, 16).replace("T", " ");
const about = `\`npm run bench:insights\` (bench/insights.ts, one engine per process: bench/insights-engine.ts, data from
bench/insights-generate.ts), last run ${when} UTC on ${results.map((r) => r.database).join(" and ")}, ${duration(wall)} in all
(${m.cpus} CPUs, ${m.cpuModel}, Node ${m.node}). Each engine builds a workspace: the bank sample journey
(13 touchpoints, one survey each: gap pair with NPS, CSAT at the moments of truth, CES at three, one
zone-of-tolerance touchpoint), ${fmt(first.customers)} customers in three tiers, responses spread evenly over the last 365
days (85 % from known customers, 80 % in Spanish), their measurements and rollups (the recording
path's own sums, RollupAccumulator, upserted into the daily and the weekly rows, ADR 010) and about
one purchase event per response. SQLite writes with prepared statements on the raw connection;
PostgreSQL with multi-row INSERTs of up to 10,000 rows (one array parameter per column, unnest),
foreign-key checks off and secondary indexes rebuilt after the load on both. It times the views at
${first.stages[0].label}, adds the rest to the same days and times again; before each timing it checks that every
weekly rollup row equals its week's daily rows added up, and updates the planner's statistics
(SQLite ANALYZE; PostgreSQL VACUUM ANALYZE, which also sets the visibility map as autovacuum does on
a live database). Each view is timed as the server runs it: the process and touchpoint tables are
\`insightScope\` + \`gapTable\` (current period and the previous one for the change), the trend is the
API route's loader (\`GET /api/v1/insights/trends?by=process&bucket=week\`, token check and JSON
included); median of 9 after 2 warm-ups. The views read a window's whole ISO weeks from
\`rollups_weekly\` and its edge days from \`rollups\` (${splits}). Beside each view, one hand-written
SQL statement over the raw rows doing the same work (per-response mean gap by self-joining perception
and expectation measurements, NPS/CSAT/CES buckets, both periods), timed once after a warm-up.${
  pgRun
    ? ` PostgreSQL: a throwaway local cluster (${pgRun.database}, stock settings but fsync and full_page_writes on,
synchronous_commit off; shared_buffers ${pgRun.pgSettings?.shared_buffers ?? "128MB"}, work_mem ${pgRun.pgSettings?.work_mem ?? "4MB"}) on the same cores, read through the app's pool.`
    : ""
}`;
const section = [prose(about), viewsTable, targetTable, rawTable, dataTable].join("\n\n");
const written = writeSection("Insights", "bench:insights", section);
console.log(`written to ${written}; ${duration(wall)} in all`);
