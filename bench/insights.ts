// npm run bench:insights — server time of the insights views at 100k and at 1M responses, each
// beside a hand-written single SQL aggregate over the raw measurement rows in the same run.
//
// Builds a workspace in bench/.tmp (the bank sample journey, 100k customers, responses with about
// seven measurements each, one purchase event per response on average), times at 100k responses,
// adds 900k more to the same days and times again. The views read as the app does: whole weeks from
// rollups_weekly, edge days from rollups (ADR 010); the run checks first that the weekly rows equal
// the daily ones grouped by week. Options: --small (10k/100k, a quick check), --keep (leave the
// database file).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const args = new Set(process.argv.slice(2));
const SMALL = args.has("--small");
const FIRST = SMALL ? 10_000 : 100_000;
const TOTAL = SMALL ? 100_000 : 1_000_000;
const CUSTOMERS = SMALL ? 10_000 : 100_000;
const RUNS = 9;

const dir = path.resolve("bench/.tmp");
fs.mkdirSync(dir, { recursive: true });
const dbFile = path.join(dir, `insights-${process.pid}.db`);
process.env.DATABASE_PATH = dbFile;

const { getDb } = await import("#db/client");
const { createWorkspace, addResponses } = await import("./insights-generate");
const { addDays, previousPeriod } = await import("~/cem/insights-filters");
const { splitWindow } = await import("~/cem/rollup-weeks");
const { insightScope } = await import("~/data/insights.server");
const { gapTable } = await import("~/data/insights-tables.server");
const { createApiToken } = await import("~/data/api-tokens.server");
const api = await import("~/routes/api.v1.insights.$metric");

/** Wall-clock median and minimum, and the median CPU time (what the view costs on its own core). */
type Timing = { median: number; min: number; cpu: number };

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function timeAsync(run: () => unknown): Promise<Timing> {
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
const time = timeAsync;

/** Raw aggregates take seconds: timed once after one warm-up (the page cache), not nine times. */
function timeOnce(run: () => unknown): Timing {
  run();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  run();
  const ms = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { median: ms, min: ms, cpu: (c.user + c.system) / 1000 };
}

const started = Date.now();
const lastDayMs = Date.parse(`${new Date().toISOString().slice(0, 10)}T00:00:00Z`);
console.log(`Insights bench: ${TOTAL.toLocaleString("en")} responses, ${CUSTOMERS.toLocaleString("en")} customers, in ${path.relative(process.cwd(), dbFile)}`);
console.log(`Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, load ${os.loadavg().map((l) => l.toFixed(1)).join(" ")}`);

const ws = await createWorkspace({ customers: CUSTOMERS, lastDayMs, days: 365 });
const sqlite = getDb().$client;
const userId = Number(sqlite.prepare("insert into users (email, name, password_hash) values ('bench@bench.test', 'Bench', 'x')").run().lastInsertRowid);
const token = await createApiToken(ws.workspaceId, "bench", userId);
const ctx = { workspaceId: ws.workspaceId, minN: 10, lang: "en" as const };

const windows = {
  "90 d": { from: addDays(ws.lastDay, -89), to: ws.lastDay },
  "365 d": { from: ws.firstDay, to: ws.lastDay },
};
type WindowName = keyof typeof windows;
const filterOf = (w: WindowName) => ({ ...windows[w], journey: null, tier: null, channel: null, lang: null });
const msOf = (day: string) => Date.parse(`${day}T00:00:00Z`);

// The raw baselines: one statement each, over the measurement rows, doing the work the view does
// (both periods for the tables: the view reports the change against the previous one).
const RAW_GAPS = `
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
  from o join touchpoints t on t.id = o.tp group by 1, 2, 3`;
const RAW_TREND = `
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
  from r join measurements m on m.response_id = r.id and m.attribute_key = '' and m.kind = 'nps' join touchpoints t on t.id = r.tp group by 1, 2`;
const rawGaps = (unit: "process" | "touchpoint") => sqlite.prepare(RAW_GAPS.replaceAll("__unit__", unit === "process" ? "t.process_id" : "t.id"));
const rawTrend = sqlite.prepare(RAW_TREND);

type Row = { stage: string; window: WindowName; view: string; rollups: Timing; raw: Timing | null };
const results: Row[] = [];

async function measure(stage: string, withRaw: boolean) {
  for (const w of Object.keys(windows) as WindowName[]) {
    const filter = filterOf(w);
    // How the window reads (it depends on the weekday the run ends on): whole weeks + edge days.
    const parts = [filter, previousPeriod(filter)].map((p) => splitWindow(p.from, p.to)).map((p) => `${p.weeks.length} weeks + ${p.days.length} day${p.days.length === 1 ? "" : "s"}`);
    console.log(`  ${w} ${filter.from} … ${filter.to}: ${parts[0]} (previous period ${parts[1]})`);
    const prevFrom = addDays(filter.from, -(Math.round((msOf(filter.to) - msOf(filter.from)) / 86_400_000) + 1));
    const bind = { ws: ws.workspaceId, from: msOf(filter.from), prevFrom: msOf(prevFrom), end: msOf(filter.to) + 86_400_000 };
    const rawProcess = rawGaps("process");
    const rawTouchpoint = rawGaps("touchpoint");
    const url = `http://bench/api/v1/insights/trends?by=process&bucket=week&from=${filter.from}&to=${filter.to}`;
    const trendApi = async () => {
      const res = (await api.loader({ request: new Request(url, { headers: { Authorization: `Bearer ${token}` } }), params: { metric: "trends" }, context: {} })) as Response;
      if (res.status !== 200) throw new Error(`trend API answered ${res.status}`);
      return res.text();
    };
    results.push({
      stage, window: w, view: "process table",
      rollups: await time(async () => gapTable(ctx, await insightScope(ws.workspaceId), filter, "process")),
      raw: withRaw ? timeOnce(() => rawProcess.all(bind)) : null,
    });
    results.push({
      stage, window: w, view: "touchpoint table",
      rollups: await time(async () => gapTable(ctx, await insightScope(ws.workspaceId), filter, "touchpoint")),
      raw: withRaw ? timeOnce(() => rawTouchpoint.all(bind)) : null,
    });
    results.push({
      stage, window: w, view: "trend API (weekly, by process)",
      rollups: await timeAsync(trendApi),
      raw: withRaw ? timeOnce(() => rawTrend.all(bind)) : null,
    });
    const last = results.slice(-3);
    for (const r of last) {
      const ratio = r.raw ? ` raw ${r.raw.median.toFixed(0)} ms (${(r.raw.median / r.rollups.median).toFixed(0)}×)` : "";
      console.log(`  ${stage.padEnd(24)} ${w.padEnd(6)} ${r.view.padEnd(32)} ${r.rollups.median.toFixed(1).padStart(7)} ms (min ${r.rollups.min.toFixed(1)}, cpu ${r.rollups.cpu.toFixed(1)})${ratio}`);
    }
  }
}

const counts = () => ({
  responses: (sqlite.prepare("select count(*) as n from responses").get() as { n: number }).n,
  measurements: (sqlite.prepare("select count(*) as n from measurements").get() as { n: number }).n,
  rollups: (sqlite.prepare("select count(*) as n from rollups").get() as { n: number }).n,
  weeklyRollups: (sqlite.prepare("select count(*) as n from rollups_weekly").get() as { n: number }).n,
  events: (sqlite.prepare("select count(*) as n from crm_events").get() as { n: number }).n,
});

/** The weekly rows must be the daily rows grouped by ISO week, or the timings mean nothing. */
function checkWeekly() {
  const monday = `date(day, '-' || ((cast(strftime('%w', day) as integer) + 6) % 7) || ' days')`;
  const { keys, differ } = sqlite
    .prepare(
      `with d as (select workspace_id, touchpoint_id, attribute_key, kind, ${monday} as week, tier, lang,
                         sum(n) as n, sum(sum) as sum, sum(promoters) as promoters, sum(top2) as top2
                    from rollups group by 1, 2, 3, 4, 5, 6, 7)
       select count(*) as keys, sum(w.n is null or w.n <> d.n or w.promoters <> d.promoters or w.top2 <> d.top2
                                    or abs(w.sum - d.sum) > 1e-6 * max(1, abs(d.sum))) as differ
         from d left join rollups_weekly w using (workspace_id, touchpoint_id, attribute_key, kind, week, tier, lang)`,
    )
    .get() as { keys: number; differ: number };
  const weekly = counts().weeklyRollups;
  if (differ !== 0 || keys !== weekly) throw new Error(`weekly rollups differ from the daily ones: ${differ} of ${keys} keys (${weekly} weekly rows)`);
  console.log(`Weekly rollups checked: ${weekly.toLocaleString("en")} rows, each the sum of its week's daily rows`);
}

let t0 = Date.now();
addResponses(ws, FIRST, 1, 1.3);
sqlite.exec("analyze");
const first = counts();
console.log(`Generated ${first.responses.toLocaleString("en")} responses, ${first.measurements.toLocaleString("en")} measurements, ${first.rollups.toLocaleString("en")} daily + ${first.weeklyRollups.toLocaleString("en")} weekly rollup rows in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
checkWeekly();
await measure(`${FIRST / 1000}k responses`, true);

t0 = Date.now();
addResponses(ws, TOTAL - FIRST, 2, 1.3);
sqlite.exec("analyze");
const all = counts();
console.log(`Generated ${all.responses.toLocaleString("en")} responses, ${all.measurements.toLocaleString("en")} measurements, ${all.rollups.toLocaleString("en")} daily + ${all.weeklyRollups.toLocaleString("en")} weekly rollup rows, ${all.events.toLocaleString("en")} events in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
checkWeekly();
const big = `${TOTAL >= 1_000_000 ? `${TOTAL / 1_000_000}M` : `${TOTAL / 1000}k`} responses`;
await measure(big, true);

console.log(`\nDone in ${((Date.now() - started) / 1000).toFixed(0)} s; load ${os.loadavg().map((l) => l.toFixed(1)).join(" ")}\n`);
console.log("| data | window | view | rollups: wall median (min) | CPU median | raw SQL aggregate | raw ÷ rollups |");
console.log("| --- | --- | --- | ---: | ---: | ---: | ---: |");
for (const r of results) {
  console.log(
    `| ${r.stage} | ${r.window} | ${r.view} | ${r.rollups.median.toFixed(1)} ms (${r.rollups.min.toFixed(1)}) | ${r.rollups.cpu.toFixed(1)} ms | ${r.raw ? `${r.raw.median.toFixed(0)} ms` : "—"} | ${r.raw ? `${(r.raw.median / r.rollups.median).toFixed(0)}×` : "—"} |`,
  );
}
console.log(`\nRows: ${JSON.stringify(all)}`);
fs.writeFileSync(path.join(dir, "insights-results.json"), JSON.stringify({ counts: all, results }, null, 2));

sqlite.close();
if (!args.has("--keep")) for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(dbFile + suffix, { force: true });
