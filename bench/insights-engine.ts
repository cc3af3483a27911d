// One engine's run of bench:insights (started by bench/insights.ts, once per engine; it prints and
// writes the report). Arguments: --engine sqlite|postgres --out FILE [--small] [--keep] [--explain].
//
// Builds a workspace (bench/insights-generate.ts: the bank sample journey, customers, responses with
// about seven measurements each, one purchase event per response on average) in a scratch SQLite
// file in bench/.tmp, or in a throwaway PostgreSQL cluster (bench-support.ts). Times the views at
// FIRST responses, adds the rest to the same days and times again. The views read as the app does:
// whole weeks from rollups_weekly, edge days from rollups (ADR 010); before each timing the run
// checks that the weekly rows equal the daily ones grouped by week, and brings the planner's
// statistics up to date (SQLite ANALYZE; PostgreSQL VACUUM ANALYZE of the loaded tables, which also
// sets the visibility map as autovacuum would on a live database). Beside each view, one
// hand-written SQL statement over the raw rows doing the same work, timed once after a warm-up.
//
// --small: 10k then 100k responses. --keep: keep the database (the SQLite file; the PostgreSQL
// cluster, left running, with the command that stops it). --explain (PostgreSQL): after the timings at the larger size, runs EXPLAIN (ANALYZE,
// BUFFERS) on every statement the views sent, into bench/.tmp/insights-explain.txt.
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { ROOT, TMP, engineOption, flag, machine, openBenchDatabase, resultFile, type Engine, type Machine } from "./bench-support";

/** Wall-clock median and minimum, and the median CPU time of this process (on PostgreSQL the server's work is not in it). */
export type Timing = { median: number; min: number; cpu: number };
export type Row = { stage: string; window: string; view: string; rollups: Timing; raw: Timing | null; split: string };
export type Stage = { label: string; responses: number; measurements: number; rollups: number; weeklyRollups: number; events: number; generateSeconds: number; analyzeSeconds: number };
export type InsightsResult = {
  engine: Engine;
  machine: Machine;
  loadAfter: number;
  database: string;
  pgSettings?: Record<string, string>;
  customers: number;
  stages: Stage[];
  results: Row[];
  wallSeconds: number;
  explain?: string;
};

const started = performance.now();
const ENGINE = engineOption()[0];
const SMALL = flag("small");
const FIRST = SMALL ? 10_000 : 100_000;
const TOTAL = SMALL ? 100_000 : 1_000_000;
const CUSTOMERS = SMALL ? 10_000 : 100_000;
const RUNS = 9;
const OUT = resultFile();

// The database, chosen before anything loads the data layer.
const bench = await openBenchDatabase(ENGINE, { name: "insights", synchronousCommit: "off", keep: flag("keep") });
const { cluster } = bench;
try {
  await main();
} finally {
  await bench.close();
}

async function main() {
  const { closeDb, getDb } = await import("#db/client");
  const { createWorkspace, addResponses } = await import("./insights-generate");
  const { addDays, previousPeriod } = await import("~/cem/insights-filters");
  const { splitWindow } = await import("~/cem/rollup-weeks");
  const { insightScope } = await import("~/data/insights.server");
  const { gapTable } = await import("~/data/insights-tables.server");
  const { homeView } = await import("~/data/home.server");
  const { workspaceCounts } = await import("~/data/journeys.server");
  const { createApiToken } = await import("~/data/api-tokens.server");
  const { makeUser } = await import("../tests/support/fixtures");
  const api = await import("~/routes/api.v1.insights.$metric");

  const pool = cluster ? (getDb().$client as unknown as pg.Pool) : null;
  const sqlite = cluster ? null : getDb().$client;

  /** A raw statement on the engine's own connection: SQLite's named parameters, or PostgreSQL's $n. */
  async function raw<T>(text: { sqlite: string; postgres: string }, params: { sqlite?: Record<string, unknown>; postgres?: unknown[] } = {}): Promise<T[]> {
    if (pool) return (await pool.query(text.postgres, params.postgres ?? [])).rows as T[];
    return sqlite!.prepare(text.sqlite).all(params.sqlite ?? {}) as T[];
  }
  const both = (text: string) => ({ sqlite: text, postgres: text });

  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

  async function time(run: () => Promise<unknown>): Promise<Timing> {
    await run();
    await run();
    const wall: number[] = [];
    const cpu: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      await run();
      wall.push(performance.now() - t0);
      const c = process.cpuUsage(c0);
      cpu.push((c.user + c.system) / 1000);
    }
    return { median: median(wall), min: Math.min(...wall), cpu: median(cpu) };
  }

  /** Raw aggregates take seconds: timed once after one warm-up (the page cache), not nine times. */
  async function timeOnce(run: () => Promise<unknown>): Promise<Timing> {
    await run();
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await run();
    const ms = performance.now() - t0;
    const c = process.cpuUsage(c0);
    return { median: ms, min: ms, cpu: (c.user + c.system) / 1000 };
  }

  const before = machine();
  const lastDayMs = Date.parse(`${new Date().toISOString().slice(0, 10)}T00:00:00Z`);
  console.log(`Insights bench on ${cluster ? cluster.version : "SQLite"}: ${TOTAL.toLocaleString("en")} responses, ${CUSTOMERS.toLocaleString("en")} customers`);

  const ws = await createWorkspace({ customers: CUSTOMERS, lastDayMs, days: 365 });
  const owner = await makeUser("bench@bench.test");
  const token = await createApiToken(ws.workspaceId, "bench", owner.id);
  const ctx = { workspaceId: ws.workspaceId, minN: 10, lang: "en" as const };

  const windows = {
    "90 d": { from: addDays(ws.lastDay, -89), to: ws.lastDay },
    "365 d": { from: ws.firstDay, to: ws.lastDay },
  };
  type WindowName = keyof typeof windows;
  const filterOf = (w: WindowName) => ({ ...windows[w], journey: null, tier: null, channel: null, lang: null });
  const msOf = (day: string) => Date.parse(`${day}T00:00:00Z`);

  // The raw baselines: one statement each, over the measurement rows, doing the work the view does
  // (both periods for the tables: the view reports the change against the previous one). The same
  // query on both engines, in each one's dialect (booleans summed as integers on PostgreSQL, weeks
  // by date_trunc instead of strftime).
  const RAW_GAPS = {
    sqlite: `
with r as (
  select r.id, r.touchpoint_id as tp, (r.completed_at >= :from) as now
    from responses r where r.workspace_id = :ws and r.completed_at >= :prevFrom and r.completed_at < :end
), g as (
  select r.tp, r.now, avg(p.value) as pv, avg(e.value) as ev, avg(p.value - e.value) as d
    from r join measurements p on p.response_id = r.id and p.kind = 'perception'
    join measurements e on e.response_id = r.id and e.kind = 'expectation' and e.attribute_key = p.attribute_key
   group by r.id
), o as (
  select r.tp, r.now, m.kind, m.value from r join measurements m on m.response_id = r.id and m.attribute_key = '' and m.kind in ('nps', 'csat', 'ces')
)
select __unit__ as unit, g.now, 'gap' as kind, count(*) as n, avg(pv), avg(ev), avg(d), sum(d * d), sum(pv < ev)
  from g join touchpoints t on t.id = g.tp group by 1, 2
union all
select __unit__ as unit, o.now, o.kind, count(*), sum(value >= 9), sum(value <= 6), sum(value >= 4), avg(value), sum(value * value)
  from o join touchpoints t on t.id = o.tp group by 1, 2, 3`,
    postgres: `
with r as (
  select r.id, r.touchpoint_id as tp, (r.completed_at >= $2) as now
    from responses r where r.workspace_id = $1 and r.completed_at >= $3 and r.completed_at < $4
), g as (
  select r.tp, r.now, avg(p.value) as pv, avg(e.value) as ev, avg(p.value - e.value) as d
    from r join measurements p on p.response_id = r.id and p.kind = 'perception'
    join measurements e on e.response_id = r.id and e.kind = 'expectation' and e.attribute_key = p.attribute_key
   group by r.id, r.tp, r.now
), o as (
  select r.tp, r.now, m.kind, m.value from r join measurements m on m.response_id = r.id and m.attribute_key = '' and m.kind in ('nps', 'csat', 'ces')
)
select __unit__ as unit, g.now, 'gap' as kind, count(*) as n, avg(pv), avg(ev), avg(d), sum(d * d), sum((pv < ev)::int)
  from g join touchpoints t on t.id = g.tp group by 1, 2
union all
select __unit__ as unit, o.now, o.kind, count(*), sum((value >= 9)::int), sum((value <= 6)::int), sum((value >= 4)::int), avg(value), sum(value * value)
  from o join touchpoints t on t.id = o.tp group by 1, 2, 3`,
  };
  const RAW_TREND = {
    sqlite: `
with r as (
  select r.id, r.touchpoint_id as tp, strftime('%Y-%m-%d', r.completed_at / 1000, 'unixepoch', 'weekday 0', '-6 days') as week
    from responses r where r.workspace_id = :ws and r.completed_at >= :from and r.completed_at < :end
), g as (
  select r.tp, r.week, avg(p.value - e.value) as d
    from r join measurements p on p.response_id = r.id and p.kind = 'perception'
    join measurements e on e.response_id = r.id and e.kind = 'expectation' and e.attribute_key = p.attribute_key
   group by r.id
)
select t.process_id, g.week, 'gap', count(*), avg(d), sum(d * d) from g join touchpoints t on t.id = g.tp group by 1, 2
union all
select t.process_id, r.week, 'nps', count(*), sum(m.value >= 9), sum(m.value <= 6)
  from r join measurements m on m.response_id = r.id and m.attribute_key = '' and m.kind = 'nps' join touchpoints t on t.id = r.tp group by 1, 2`,
    postgres: `
with r as (
  select r.id, r.touchpoint_id as tp, date_trunc('week', r.completed_at at time zone 'UTC') as week
    from responses r where r.workspace_id = $1 and r.completed_at >= $2 and r.completed_at < $3
), g as (
  select r.tp, r.week, avg(p.value - e.value) as d
    from r join measurements p on p.response_id = r.id and p.kind = 'perception'
    join measurements e on e.response_id = r.id and e.kind = 'expectation' and e.attribute_key = p.attribute_key
   group by r.id, r.tp, r.week
)
select t.process_id, g.week, 'gap', count(*), avg(d), sum(d * d) from g join touchpoints t on t.id = g.tp group by 1, 2
union all
select t.process_id, r.week, 'nps', count(*), sum((m.value >= 9)::int), sum((m.value <= 6)::int)
  from r join measurements m on m.response_id = r.id and m.attribute_key = '' and m.kind = 'nps' join touchpoints t on t.id = r.tp group by 1, 2`,
  };
  const rawGaps = (unit: "process" | "touchpoint") => {
    const column = unit === "process" ? "t.process_id" : "t.id";
    return { sqlite: RAW_GAPS.sqlite.replaceAll("__unit__", column), postgres: RAW_GAPS.postgres.replaceAll("__unit__", column) };
  };

  const results: Row[] = [];

  async function measure(stage: string, withRaw: boolean) {
    for (const w of Object.keys(windows) as WindowName[]) {
      const filter = filterOf(w);
      // How the window reads (it depends on the weekday the run ends on): whole weeks + edge days.
      const parts = [filter, previousPeriod(filter)].map((p) => splitWindow(p.from, p.to)).map((p) => `${p.weeks.length} weeks + ${p.days.length} day${p.days.length === 1 ? "" : "s"}`);
      const split = `${parts[0]} (previous period ${parts[1]})`;
      console.log(`  ${w} ${filter.from} … ${filter.to}: ${split}`);
      const prevFrom = addDays(filter.from, -(Math.round((msOf(filter.to) - msOf(filter.from)) / 86_400_000) + 1));
      const bounds = { from: msOf(filter.from), prevFrom: msOf(prevFrom), end: msOf(filter.to) + 86_400_000 };
      const iso = (ms: number) => new Date(ms).toISOString();
      const gapParams = { sqlite: { ws: ws.workspaceId, ...bounds }, postgres: [ws.workspaceId, iso(bounds.from), iso(bounds.prevFrom), iso(bounds.end)] };
      const trendParams = { sqlite: { ws: ws.workspaceId, from: bounds.from, end: bounds.end }, postgres: [ws.workspaceId, iso(bounds.from), iso(bounds.end)] };
      const url = `http://bench/api/v1/insights/trends?by=process&bucket=week&from=${filter.from}&to=${filter.to}`;
      const trendApi = async () => {
        const res = (await api.loader({ request: new Request(url, { headers: { Authorization: `Bearer ${token}` } }), params: { metric: "trends" }, context: {} })) as Response;
        if (res.status !== 200) throw new Error(`trend API answered ${res.status}`);
        return res.text();
      };
      const views: [string, () => Promise<unknown>, (() => Promise<unknown>) | null][] = [
        ["process table", async () => gapTable(ctx, await insightScope(ws.workspaceId), filter, "process"), () => raw(rawGaps("process"), gapParams)],
        ["touchpoint table", async () => gapTable(ctx, await insightScope(ws.workspaceId), filter, "touchpoint"), () => raw(rawGaps("touchpoint"), gapParams)],
        ["trend API (weekly, by process)", trendApi, () => raw(RAW_TREND, trendParams)],
      ];
      // The experience home reads the default 90-day window only: its loader's work after sign-in
      // (scope, the model's counters, the findings over both periods, targets and overdue cases).
      if (w === "90 d") {
        views.push([
          "home page (findings)",
          async () => {
            const [scope] = await Promise.all([insightScope(ws.workspaceId), workspaceCounts(ws.workspaceId)]);
            return homeView(ctx, scope, filter);
          },
          null,
        ]);
      }
      for (const [view, run, rawRun] of views) {
        const row: Row = { stage, window: w, view, split, rollups: await time(run), raw: withRaw && rawRun ? await timeOnce(rawRun) : null };
        results.push(row);
        const ratio = row.raw ? ` raw ${row.raw.median.toFixed(0)} ms (${(row.raw.median / row.rollups.median).toFixed(0)}×)` : "";
        console.log(`  ${stage.padEnd(16)} ${w.padEnd(6)} ${view.padEnd(32)} ${row.rollups.median.toFixed(1).padStart(7)} ms (min ${row.rollups.min.toFixed(1)}, cpu ${row.rollups.cpu.toFixed(1)})${ratio}`);
      }
    }
  }

  const counts = async () => {
    const [c] = await raw<Record<string, number | string>>(
      both(`select (select count(*) from responses) as responses, (select count(*) from measurements) as measurements,
                   (select count(*) from rollups) as rollups, (select count(*) from rollups_weekly) as weekly,
                   (select count(*) from crm_events) as events`),
    );
    return { responses: Number(c.responses), measurements: Number(c.measurements), rollups: Number(c.rollups), weeklyRollups: Number(c.weekly), events: Number(c.events) };
  };

  /** The weekly rows must be the daily rows grouped by ISO week, or the timings mean nothing. */
  async function checkWeekly() {
    const check = (monday: string, differs: string) => `
      with d as (select workspace_id, touchpoint_id, attribute_key, kind, ${monday} as week, tier, lang,
                        sum(n) as n, sum(sum) as sum, sum(promoters) as promoters, sum(top2) as top2
                   from rollups group by 1, 2, 3, 4, 5, 6, 7)
      select count(*) as keys, coalesce(sum(${differs}), 0) as differ
        from d left join rollups_weekly w using (workspace_id, touchpoint_id, attribute_key, kind, week, tier, lang)`;
    const [row] = await raw<{ keys: number | string; differ: number | string }>({
      sqlite: check(
        `date(day, '-' || ((cast(strftime('%w', day) as integer) + 6) % 7) || ' days')`,
        `w.n is null or w.n <> d.n or w.promoters <> d.promoters or w.top2 <> d.top2 or abs(w.sum - d.sum) > 1e-6 * max(1, abs(d.sum))`,
      ),
      postgres: check(
        `to_char(date_trunc('week', day::date), 'YYYY-MM-DD')`,
        `case when w.n is null or w.n <> d.n or w.promoters <> d.promoters or w.top2 <> d.top2 or abs(w.sum - d.sum) > 1e-6 * greatest(1, abs(d.sum)) then 1 else 0 end`,
      ),
    });
    const weekly = (await counts()).weeklyRollups;
    if (Number(row.differ) !== 0 || Number(row.keys) !== weekly) throw new Error(`weekly rollups differ from the daily ones: ${row.differ} of ${row.keys} keys (${weekly} weekly rows)`);
    console.log(`Weekly rollups checked: ${weekly.toLocaleString("en")} rows, each the sum of its week's daily rows`);
  }

  /** The planner's statistics after a bulk load; on PostgreSQL VACUUM also sets the visibility map. */
  async function analyze(): Promise<number> {
    const t0 = performance.now();
    if (pool) await pool.query("VACUUM (ANALYZE) responses, measurements, crm_events, customers, rollups, rollups_weekly");
    else sqlite!.exec("analyze");
    return (performance.now() - t0) / 1000;
  }

  const stages: Stage[] = [];
  const label = (n: number) => (n >= 1_000_000 ? `${n / 1_000_000}M responses` : `${n / 1000}k responses`);
  for (const [index, [add, seed]] of [[FIRST, 1], [TOTAL - FIRST, 2]].entries()) {
    const t0 = performance.now();
    await addResponses(ws, add, seed, 1.3);
    const generateSeconds = (performance.now() - t0) / 1000;
    const analyzeSeconds = await analyze();
    const c = await counts();
    const stage = label(c.responses);
    stages.push({ label: stage, ...c, generateSeconds, analyzeSeconds });
    console.log(
      `Generated ${c.responses.toLocaleString("en")} responses, ${c.measurements.toLocaleString("en")} measurements, ${c.rollups.toLocaleString("en")} daily + ${c.weeklyRollups.toLocaleString("en")} weekly rollup rows, ${c.events.toLocaleString("en")} events: ${generateSeconds.toFixed(0)} s (+ ${analyzeSeconds.toFixed(0)} s ${pool ? "VACUUM ANALYZE" : "ANALYZE"})`,
    );
    await checkWeekly();
    await measure(stage, true);
    if (index === 1 && pool && flag("explain")) await explainViews(pool, windows, filterOf, ws.workspaceId, token);
  }

  const result: InsightsResult = {
    engine: ENGINE,
    machine: before,
    loadAfter: machine().load,
    database: cluster ? cluster.version : "SQLite",
    pgSettings: cluster?.settings,
    customers: CUSTOMERS,
    stages,
    results,
    wallSeconds: (performance.now() - started) / 1000,
    explain: flag("explain") && pool ? path.relative(ROOT, path.join(TMP, "insights-explain.txt")) : undefined,
  };
  fs.writeFileSync(OUT, JSON.stringify(result, null, 2));
  await closeDb();

  /**
   * EXPLAIN (ANALYZE, BUFFERS) of every statement one run of each view sends: pg.Client's query is
   * wrapped for the length of one run to note them, then each is explained with its parameters.
   */
  async function explainViews(
    pgPool: pg.Pool,
    all: Record<string, { from: string; to: string }>,
    filterFor: (w: WindowName) => { from: string; to: string; journey: null; tier: null; channel: null; lang: null },
    workspaceId: number,
    apiToken: string,
  ) {
    const seen: { text: string; values: unknown[] }[] = [];
    const query = pg.Client.prototype.query as (...args: unknown[]) => unknown;
    pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
      const [first, second] = args;
      const text = typeof first === "string" ? first : (first as { text?: string }).text;
      const values = (Array.isArray(second) ? second : (first as { values?: unknown[] }).values) ?? [];
      if (text && /rollups/i.test(text)) seen.push({ text, values });
      return query.apply(this, args);
    } as typeof pg.Client.prototype.query;
    const lines: string[] = [];
    try {
      for (const w of Object.keys(all) as WindowName[]) {
        const filter = filterFor(w);
        for (const [view, run] of [
          ["process table", async () => gapTable(ctx, await insightScope(workspaceId), filter, "process")],
          [
            "trend API",
            async () =>
              api.loader({
                request: new Request(`http://bench/api/v1/insights/trends?by=process&bucket=week&from=${filter.from}&to=${filter.to}`, { headers: { Authorization: `Bearer ${apiToken}` } }),
                params: { metric: "trends" },
                context: {},
              }),
          ],
        ] as const) {
          seen.length = 0;
          await run();
          const statements = [...seen];
          for (const [i, s] of statements.entries()) {
            const plan = await pgPool.query<{ "QUERY PLAN": string }>(`EXPLAIN (ANALYZE, BUFFERS) ${s.text}`, s.values);
            lines.push(`==== ${w} ${view}, statement ${i + 1} of ${statements.length}`, s.text, ...plan.rows.map((r) => r["QUERY PLAN"]), "");
          }
        }
      }
    } finally {
      pg.Client.prototype.query = query as typeof pg.Client.prototype.query;
    }
    fs.writeFileSync(path.join(TMP, "insights-explain.txt"), lines.join("\n"));
    console.log(`EXPLAIN ANALYZE of the views' statements: ${path.relative(ROOT, path.join(TMP, "insights-explain.txt"))}`);
  }
}
