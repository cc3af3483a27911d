// npm run bench:ingest [-- --engine sqlite|postgres|both --n 20000 --c 32 --sustain 60
//                          --pg-synchronous-commit off|on --no-build]
//
// Response ingestion on each engine (both by default, SQLite first), the same runs side by side:
// POST /api/v1/responses through the built production server against the HTTP ceiling of the same
// server and the storage ceiling of the engine, the record path without HTTP, and a sustained run
// at full rate with an insights reader (bench/ingest-engine.ts runs one engine in a process of its
// own: the engine is fixed per process). On PostgreSQL the server and the bench share a throwaway
// cluster the run starts and stops (bench-support.ts, startBenchCluster).
//
// Builds the app first when build/ is missing or older than the sources (`--no-build` skips that),
// and measures a private copy of it (bench-support.ts, snapshotServer): test runs in the same tree
// rewrite build/ at any moment.
// Prints the tables and writes them into docs/benchmarks.md, section "Ingest", between its
// bench:ingest markers (BENCH_DOC=<file> writes them elsewhere, for trial runs). BENCH_SERVER_LOG=1
// prints what each server logged. Exits 1 when a check fails (a request lost or counted twice,
// rollups that differ from their recomputation, a read that was not exact).
import os from "node:os";
import {
  ENGINE_NAMES,
  duration,
  engineOption,
  fmt,
  intOption,
  markdownTable,
  prose,
  rawOption,
  runEngineChild,
  snapshotServer,
  writeSection,
  type Engine,
} from "./bench-support";
import type { IngestResult, Run } from "./ingest-engine";

const started = performance.now();
const engines = engineOption();
const N = intOption("n", 20_000);
const C = intOption("c", 32);
const SUSTAIN = intOption("sustain", 60);
const SYNC = rawOption("pg-synchronous-commit") === "on" ? "on" : "off";

// The server measured is a private copy of the build (BENCH_SERVER_DIR names another one to measure).
const snapshot = process.env.BENCH_SERVER_DIR ? null : await snapshotServer();
if (snapshot) process.env.BENCH_SERVER_DIR = snapshot.dir;
const results: IngestResult[] = [];
try {
  for (const engine of engines) {
    console.log(`\n== ${ENGINE_NAMES[engine]} ==`);
    results.push(await runEngineChild<IngestResult>("ingest-engine.ts", engine, ["--n", String(N), "--c", String(C), "--sustain", String(SUSTAIN), "--pg-synchronous-commit", SYNC]));
  }
} finally {
  snapshot?.remove();
}
const wall = (performance.now() - started) / 1000;

// ---- the tables: one row per figure, one column per engine
const by = (engine: Engine) => results.find((r) => r.engine === engine);
const columns = results.map((r) => ENGINE_NAMES[r.engine]);
const each = (cell: (r: IngestResult) => string) => results.map(cell);
const ms = (x: number) => fmt(x, x < 10 ? 2 : 1);
const latency = (r: Run) => `${ms(r.p50)} / ${ms(r.p99)} / ${ms(r.max)}`;
const first = results[0];

const runNames: [keyof IngestResult["runs"], string][] = [
  ["record", `POST /api/v1/responses (record), ${fmt(N)} requests`],
  ["noop", "HTTP ceiling: POST /api/v1/bench-noop (same body, nothing done)"],
  ["direct", `record path without HTTP: recordResponse in process, ${fmt(first.runs.direct.requests)} responses`],
  ["storage", "storage ceiling: bare INSERT, 1 row per commit"],
  ["storageBatched", `storage ceiling: ${C} bare INSERTs per commit (latency per commit)`],
];
const runsTable = markdownTable(
  ["run", "figure", ...columns],
  ["l", "l", ...results.map(() => "r" as const)],
  runNames.flatMap(([key, name]) => [
    [name, "per second", ...each((r) => fmt(r.runs[key].perSecond))],
    ["", "p50 / p99 / max ms", ...each((r) => latency(r.runs[key]))],
  ]),
);

const met = (ok: boolean) => (ok ? "met" : "**NOT met**");
const targetsTable = markdownTable(
  ["target (record, through HTTP)", ...columns],
  ["l", ...results.map(() => "r" as const)],
  [
    ["≥ 1,500 responses/s", ...each((r) => `${fmt(r.runs.record.perSecond)}: ${met(r.runs.record.perSecond >= 1_500)}`)],
    ["p99 < 50 ms", ...each((r) => `${ms(r.runs.record.p99)} ms: ${met(r.runs.record.p99 < 50)}`)],
  ],
);

const cpuCell = (r: Run) =>
  r.cpu ? `${fmt(r.cpu.http + r.cpu.threads + r.cpu.client + r.cpu.database)} (HTTP thread ${fmt(r.cpu.http)}, other threads ${fmt(r.cpu.threads)}, client ${fmt(r.cpu.client)}${r.cpu.database ? `, database ${fmt(r.cpu.database)}` : ""})` : "not measured";
const cpuTable = markdownTable(
  ["CPU µs per request, every process", ...columns],
  ["l", ...results.map(() => "l" as const)],
  [
    ["record", ...each((r) => cpuCell(r.runs.record))],
    ["no-op", ...each((r) => cpuCell(r.runs.noop))],
    ["record / HTTP ceiling (rate)", ...each((r) => `${fmt((100 * r.runs.record.perSecond) / r.runs.noop.perSecond)} %`)],
  ],
);

const pendingCell = (r: IngestResult) => {
  const p = r.sustained.pending;
  return r.engine === "postgres"
    ? `fold backlog ≤ ${fmt(p.foldMax ?? 0)} batches (${fmt(p.foldIncrementsMax ?? 0)} increments; ${fmt(p.foldEnd ?? 0)} at the end); dead rollup rows ≤ ${fmt(p.deadMax ?? 0)} (${fmt(p.deadEnd ?? 0)} at the end, ${fmt(p.liveEnd ?? 0)} live; autovacuum ran ${fmt(p.autovacuums ?? 0)}×${p.hotShare === undefined ? "" : `; ${fmt(100 * p.hotShare)} % of updates HOT`})`
    : `WAL ≤ ${fmt((p.walMaxBytes ?? 0) / 1_048_576, 1)} MB (${fmt((p.walEndBytes ?? 0) / 1_048_576, 1)} MB at the end)`;
};
const sustainedTable = markdownTable(
  [`sustained run (${SUSTAIN} s at full rate)`, ...columns],
  ["l", ...results.map(() => "r" as const)],
  [
    ["responses recorded", ...each((r) => fmt(r.sustained.ingest.requests - r.sustained.ingest.failures))],
    ["responses per second", ...each((r) => fmt(r.sustained.ingest.perSecond))],
    ["ingest p50 / p99 / max ms", ...each((r) => latency(r.sustained.ingest))],
    ["insights reads (GET …/gaps?by=touchpoint, one a second)", ...each((r) => fmt(r.sustained.reads.count))],
    ["reader p50 / p99 / max ms (client)", ...each((r) => `${ms(r.sustained.reads.p50)} / ${ms(r.sustained.reads.p99)} / ${fmt(r.sustained.reads.max, 0)}`)],
    ["reader p50 / p99 ms (server: loader)", ...each((r) => `${ms(r.sustained.reads.serverP50)} / ${ms(r.sustained.reads.serverP99)}`)],
    ["reads exact and consistent", ...each((r) => `${r.sustained.reads.exact} of ${r.sustained.reads.count}${r.sustained.reads.exact === r.sustained.reads.count ? "" : " **(NOT all)**"}`)],
    ["read after the run = responses stored", ...each((r) => `${fmt(r.sustained.finalRead.n)} = ${fmt(r.sustained.finalRead.stored)}: ${r.sustained.finalRead.exact ? "yes" : "**NO**"}`)],
    ["pending work (sampled each second)", ...each(pendingCell)],
  ],
);

const checksTable = markdownTable(
  ["after every run", ...columns],
  ["l", ...results.map(() => "r" as const)],
  [
    ["responses stored (measurement rows)", ...each((r) => `${fmt(r.stored)} (${fmt(r.measurements)})`)],
    ["every acknowledged request stored once, NPS rollups count each", ...each((r) => (r.countsConsistent ? "yes" : "**NO**"))],
    ["rollups = recomputation from the measurement rows", ...each((r) => (r.rollups.exact ? `exact (${fmt(r.rollups.dailyKeys)} daily, ${fmt(r.rollups.weeklyKeys)} weekly keys)` : `**${fmt(r.rollups.differing)} keys differ**`))],
    ["follow-up cases opened", ...each((r) => `${fmt(r.cases)} (${fmt((100 * r.cases) / Math.max(1, r.stored))} %)`)],
    ["failed requests", ...each((r) => fmt(r.failed))],
    ["1-minute load average before / after", ...each((r) => `${r.machine.load.toFixed(1)} / ${r.loadAfter.toFixed(1)}`)],
    ["this engine's run took", ...each((r) => duration(r.wallSeconds))],
  ],
);

const all = [runsTable, targetsTable, cpuTable, sustainedTable, checksTable].join("\n\n");
console.log(`\n${all}\n`);

// ---- docs/benchmarks.md, section "Ingest"
const pg = by("postgres");
const m = first.machine;
const when = new Date().toISOString().slice(0, 16).replace("T", " ");
const intro = `\`npm run bench:ingest\` (bench/ingest.ts, one engine per process: bench/ingest-engine.ts), last run
${when} UTC on ${results.map((r) => (r.engine === "postgres" ? r.database : "SQLite")).join(" and ")}, ${duration(wall)} in all: ${fmt(N)} responses
over ${C} concurrent keep-alive connections to the built production server (\`npm start\`: server.js,
one Node process), the client on the same machine (${m.cpus} CPUs, ${m.cpuModel}, Node ${m.node}; the load
averages below say how much other work shared it), after a warm-up of ${fmt(first.warmup)} requests to each
route; the two HTTP routes take turns in ${first.rounds} rounds, so a load spike from elsewhere hits both. Each
response: a gap-pair survey on ${first.attributes} attributes with CSAT, NPS and an optional comment, giving ${first.measurementRows}
measurement rows and ${first.rollupIncrements} rollup increments (added up per key across the batch of responses that
are written together: upserted into the daily and the weekly rollups on SQLite, ADR 014, one pending row for
the fold on PostgreSQL, ADR 033); a customer
external id from a pool of 2,000, 1,000 of them known with a tier (the others created bare on first
sight); an Idempotency-Key; completed within the last hour (one in twenty up to 30 days back).`;
const pgText = pg
  ? `On PostgreSQL the server runs with \`DATABASE_URL\` on a throwaway local cluster the bench starts and
stops (scripts/pg-cluster.sh; ${pg.database}, stock settings but fsync and full_page_writes on, shared_buffers
${pg.pgSettings?.shared_buffers ?? "128MB"}, synchronous_commit ${pg.pgSettings?.synchronous_commit ?? SYNC}${
      SYNC === "off"
        ? ": a commit returns before its WAL is flushed, as SQLite's WAL with synchronous=NORMAL does; `--pg-synchronous-commit on` measures PostgreSQL's default"
        : ", PostgreSQL's default"
    }) on the same ${m.cpus} cores, with the server's pool of ${pg.poolSize} connections (\`DATABASE_POOL_SIZE\`). Its
storage ceiling is a bare \`pg\` INSERT of the same raw rows into a second database of the cluster,
through a pool of that size, ${pg.poolSize} inserts in flight (one per connection). CPU includes the database
server's processes (postmaster and backends, from /proc).`
  : "";
const sustainedText = `**Sustained run**: ${SUSTAIN} s of responses at full rate (the same ${C} connections) while a reader asks
\`GET /api/v1/insights/gaps?by=touchpoint\` of the same workspace once a second (default 90-day window:
the weekly and daily rollups, current and previous period). Each read must count exactly the
responses committed by then: no fewer than were acknowledged before it was sent, no more than had been
sent when it was answered, never fewer than the read before; and agree with itself (gap, NPS and CSAT
counts equal, as every response answers all three). What waits to be done is sampled with each read:
on SQLite, whose batches upsert the rollups in their transaction (ADR 014), the WAL, which
checkpoints empty; on PostgreSQL the fold's backlog (batches whose increments wait in rollup_pending
for the server's fold, 100 ms after it writes them, ADR 033; reads add them) and the dead rollup row
versions, which autovacuum reclaims. At the end the rollups are checked
against a recomputation from every measurement row (the tests' check, tests/support/rollup-check.ts,
through bench/rollup-check.ts on either engine, in one snapshot).`;
const readingText = `Reading the figures: both routes are fast routes of server.js (node:http and Express routing,
reading the body, a JSON answer; no Remix pipeline: docs/decisions/011-production-server.md), so
the record route pays for everything the no-op route pays plus API-token authentication, body and
answer validation, and the write: the responses that arrive together share one transaction with
their measurements, cases and rollup sums (docs/decisions/014-rollups-in-the-response-transaction.md;
on PostgreSQL the sums as one pending row that the fold adds in, docs/decisions/033-postgresql-rollup-fold.md).
The CPU table is read from /proc over each route's rounds. "Without HTTP" is recording in this one
process (as tests and the seed do), with ${C} submissions in flight. With ${C} requests in flight, mean
latency is ${C} ÷ throughput (Little's law), so a p99 under 50 ms needs well over 640 responses/s at
this concurrency. The reader's latency is its own request's, measured by the client while the
server is saturated; "server: loader" is the insights loader's own time (Server-Timing).`;
const section = [prose(intro), prose(pgText), runsTable, targetsTable, cpuTable, prose(sustainedText), sustainedTable, checksTable, prose(readingText)]
  .filter(Boolean)
  .join("\n\n");
const written = writeSection("Ingest", "bench:ingest", section);
console.log(`written to ${written}; ${duration(wall)} in all`);
