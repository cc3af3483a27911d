// npm run bench:ingest [-- --n 20000 --c 32]
//
// Pushes N survey responses through POST /api/v1/responses of the built production server
// (`npm run build` first) over C concurrent keep-alive connections, and measures beside it, in the
// same run and on the same machine:
//   - the HTTP ceiling: a route of the same server that reads the same body and answers 201
//     without doing anything (/api/v1/bench-noop, on only with VIVENCIA_BENCH=1);
//   - the storage ceiling: a bare better-sqlite3 insert of the same raw response rows, one
//     autocommit transaction per row, as each request commits once.
// Prints a table and writes it into docs/benchmarks.md, section "Ingest" (BENCH_DOC=<file> writes
// it elsewhere, for trial runs). BENCH_SERVER_LOG=1 prints what the server logged, afterwards.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { httpLoad, postRequest } from "./http-load";

const ROOT = path.resolve(import.meta.dirname, "..");
const TMP = path.join(ROOT, "bench", ".tmp");

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const raw = i >= 0 ? process.argv[i + 1] : process.env[`BENCH_${name.toUpperCase()}`];
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`--${name} must be a positive integer`);
  return value;
}

const N = option("n", 20_000);
const C = option("c", 32);
const WARMUP = Math.min(2_000, Math.ceil(N / 10));
const ROUNDS = 4;

fs.mkdirSync(TMP, { recursive: true });
const dbFile = path.join(TMP, `ingest-${process.pid}-${randomBytes(3).toString("hex")}.db`);
// Before anything opens the database: the data layer reads DATABASE_PATH on first use.
process.env.DATABASE_PATH = dbFile;
process.chdir(ROOT);

const { openDatabase } = await import("#db/client");
const { createApiToken } = await import("~/data/api-tokens.server");
const { importSample, makeUser, makeWorkspace } = await import("../tests/support/fixtures");
const { makeCustomer, makeSurveyFixture, ratingAnswers } = await import("../tests/support/survey-fixtures");
const { startServer } = await import("../tests/support/server");
const { getDb } = await import("#db/client");
const { measurementsFromPlan } = await import("~/cem/measurement");
const { mergeRollups, rollupDeltas } = await import("~/cem/rollup");
const { measurementPlan } = await import("~/survey/plan");
const { recordResponse } = await import("~/data/responses.server");

/** Mulberry32: the same bodies on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ---- fixture: a workspace, a journey, a survey (gap pair on 4 attributes + CSAT + NPS + comment)
const owner = await makeUser("bench@vivencia.test");
const ws = await makeWorkspace("bench", owner.id);
await importSample(ws.id, "telecom-installation-and-repair.json");
const survey = await makeSurveyFixture(ws.id, { touchpointKey: "telco-technician-visit", build: { nps: true, csat: true, comment: true } });
const TIERS = ["premium", "regular", "generic"];
for (let i = 0; i < 1_000; i++) await makeCustomer(ws.id, `C${i}`, TIERS[i % 3]);
const token = await createApiToken(ws.id, "bench", owner.id);

const rand = random(20_251_123);
const NOW = Date.now();
const COMMENTS = ["", "Muy puntual y amable.", "Tardó más de lo prometido.", "Dejó todo limpio, gracias."];
function body(i: number): string {
  // Like customer data: one experience per response, rated near the top of each scale on the
  // whole, perceptions close to expectations, NPS and CSAT following the experience. About one
  // response in four is a detractor or shows a large negative gap, and opens a follow-up case in
  // the same transaction (app/cem/case-rules.ts).
  const experience = 1 - rand() ** 4;
  const expected = 0.75 + 0.2 * rand();
  const noise = () => (rand() < 0.6 ? 0 : rand() < 0.5 ? -1 : 1);
  const rating = (min: number, max: number, name: string) => {
    const level = name.endsWith("__expectation") ? expected : experience;
    return Math.min(max, Math.max(min, Math.round(min + level * (max - min)) + noise()));
  };
  const answers = ratingAnswers(survey.json, rating, COMMENTS[i % 4]);
  if (answers.comment === "") delete answers.comment;
  // Collected elsewhere and pushed soon after, mostly: within the last hour; one in twenty is a
  // late upload from up to 30 days back (each day is another set of rollup rows).
  const completed = rand() < 0.95 ? NOW - Math.floor(rand() * 3600_000) : NOW - Math.floor(rand() * 30 * 24 * 3600_000);
  return JSON.stringify({
    deployment: survey.deploymentId,
    // Half the customers exist (with a tier), half are new and created bare.
    customer: `C${Math.floor(rand() * 2_000)}`,
    lang: i % 3 === 0 ? "en" : "es",
    startedAt: new Date(completed - 90_000).toISOString(),
    completedAt: new Date(completed).toISOString(),
    answers,
  });
}
// Warm-up and the HTTP runs, then a quarter more for the in-process run.
const DIRECT = Math.ceil(N / 4);
const bodies = Array.from({ length: WARMUP + N + DIRECT }, (_, i) => body(i));

// ---- the load generator: C keep-alive connections, each sending its next request when answered
// (bench/http-load.ts: plain sockets, so the client's own CPU, spent on the same two cores, stays
// small beside the server's).
type Cpu = { http: number; threads: number; client: number };
type Run = { requests: number; seconds: number; perSecond: number; p50: number; p99: number; max: number; failures: number; cpu?: Cpu };
type Samples = { latencies: Float64Array; seconds: number; failures: number; cpu?: Cpu };

/**
 * CPU time used so far, in µs: by the server's main thread (HTTP), by its other threads (Node's
 * own helpers), and by this process (the client). Read from /proc (Linux, in clock
 * ticks of 10 ms: summed over a run's rounds); undefined where there is no /proc.
 */
function cpuNow(pid: number): Cpu | undefined {
  const own = process.cpuUsage();
  let http = 0;
  let threads = 0;
  try {
    for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
      const stat = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8");
      // After "(comm) ": state is field 3, utime field 14, stime field 15 (proc(5)).
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const ticks = Number(fields[11]) + Number(fields[12]);
      if (Number(tid) === pid) http += ticks;
      else threads += ticks;
    }
  } catch {
    return undefined;
  }
  const US_PER_TICK = 10_000; // USER_HZ is 100 on Linux
  return { http: http * US_PER_TICK, threads: threads * US_PER_TICK, client: own.user + own.system };
}

function summarise(samples: Samples[]): Run {
  const all = samples.flatMap((s) => [...s.latencies]).sort((a, b) => a - b);
  const seconds = samples.reduce((acc, s) => acc + s.seconds, 0);
  const at = (q: number) => all[Math.min(all.length - 1, Math.floor(q * all.length))];
  const cpu = samples.every((s) => s.cpu)
    ? (["http", "threads", "client"] as const).reduce(
        (acc, k) => ({ ...acc, [k]: samples.reduce((sum, s) => sum + s.cpu![k], 0) / all.length }),
        { http: 0, threads: 0, client: 0 },
      )
    : undefined;
  return {
    requests: all.length,
    seconds,
    perSecond: all.length / seconds,
    p50: at(0.5),
    p99: at(0.99),
    max: all[all.length - 1],
    failures: samples.reduce((acc, s) => acc + s.failures, 0),
    cpu,
  };
}

async function load(serverPid: number, url: string, from: number, count: number, withKey: boolean): Promise<Samples> {
  const target = new URL(url);
  // Serialised before the clock starts: the client's work during the run is writing and reading.
  const requests = Array.from({ length: count }, (_, i) => {
    const headers: Record<string, string> = { "Content-Type": "application/json", Authorization: `Bearer ${token}` };
    if (withKey) headers["Idempotency-Key"] = `bench-${from + i}`;
    return postRequest(target.host, target.pathname, headers, bodies[from + i]);
  });
  const cpu0 = cpuNow(serverPid);
  const { latencies, seconds, failures, firstFailure } = await httpLoad(target.hostname, Number(target.port), requests, C);
  const cpu1 = cpuNow(serverPid);
  if (failures > 0) console.error(`  ${failures} failed requests to ${target.pathname}; first: ${firstFailure}`);
  const cpu = cpu0 && cpu1 ? { http: cpu1.http - cpu0.http, threads: cpu1.threads - cpu0.threads, client: cpu1.client - cpu0.client } : undefined;
  return { latencies, seconds, failures, cpu };
}

// ---- the record path without HTTP: recordResponse in this process, C submissions in flight
async function recordInProcess(from: number, count: number): Promise<Run> {
  const latencies = new Float64Array(count);
  let next = 0;
  let failures = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: C }, async () => {
      while (next < count) {
        const i = next++;
        const b = JSON.parse(bodies[from + i]) as { customer: string; lang: "es" | "en"; startedAt: string; completedAt: string; answers: unknown };
        const started = performance.now();
        const result = await recordResponse({
          workspaceId: ws.id,
          versionId: survey.versionId,
          touchpointId: survey.touchpoint.id,
          deploymentId: survey.deploymentId,
          customerExternalId: b.customer,
          lang: b.lang,
          source: "api",
          data: JSON.stringify(b.answers),
          answers: b.answers,
          startedAt: new Date(b.startedAt),
          completedAt: new Date(b.completedAt),
          idempotencyKey: `bench-${from + i}`,
        });
        latencies[i] = performance.now() - started;
        if (result.status !== "recorded") failures++;
      }
    }),
  );
  return summarise([{ latencies, seconds: (performance.now() - t0) / 1000, failures }]);
}

// ---- storage ceiling: the same response rows, bare, into a fresh database of the same schema,
// one row per commit (as if each request committed alone) and in commits of C rows (as group
// commit does with C requests in flight)
function storageCeiling(rowsPerCommit: number): Run {
  const file = path.join(TMP, `storage-${process.pid}-${randomBytes(3).toString("hex")}.db`);
  const db = openDatabase(file);
  const sqlite = db.$client;
  try {
    // The parent rows the responses' foreign keys need, copied from the fixture (their own parents,
    // users and processes, are not needed: foreign keys are checked again for the timed inserts).
    sqlite.pragma("foreign_keys = OFF");
    const src = getDb().$client;
    for (const table of ["workspaces", "journeys", "stages", "touchpoints", "surveys", "survey_versions", "deployments"]) {
      const rows = src.prepare(`SELECT * FROM ${table}`).all() as Record<string, unknown>[];
      for (const row of rows) {
        const cols = Object.keys(row);
        sqlite.prepare(`INSERT INTO ${table} (${cols.join(", ")}) VALUES (${cols.map(() => "?").join(", ")})`).run(...cols.map((c) => row[c]));
      }
    }
    sqlite.pragma("foreign_keys = ON");
    const insert = sqlite.prepare(
      `INSERT INTO responses (workspace_id, survey_version_id, touchpoint_id, deployment_id, tier, lang, source, data, completed_at)
       VALUES (?, ?, ?, ?, ?, ?, 'api', ?, ?)`,
    );
    const rows = bodies.slice(WARMUP, WARMUP + N).map((text) => {
      const b = JSON.parse(text) as { lang: string; completedAt: string; answers: unknown };
      return [ws.id, survey.versionId, survey.touchpoint.id, survey.deploymentId, "", b.lang, JSON.stringify(b.answers), Date.parse(b.completedAt)] as const;
    });
    const commit = sqlite.transaction((chunk: (typeof rows)[number][]) => {
      for (const row of chunk) insert.run(...row);
    });
    const latencies = new Float64Array(Math.ceil(rows.length / rowsPerCommit));
    const t0 = performance.now();
    for (let i = 0, c = 0; i < rows.length; i += rowsPerCommit, c++) {
      const s = performance.now();
      commit(rows.slice(i, i + rowsPerCommit));
      latencies[c] = performance.now() - s;
    }
    const seconds = (performance.now() - t0) / 1000;
    const sorted = [...latencies].sort((a, b) => a - b);
    return {
      requests: rows.length,
      seconds,
      perSecond: rows.length / seconds,
      p50: sorted[Math.floor(0.5 * sorted.length)],
      p99: sorted[Math.floor(0.99 * sorted.length)],
      max: sorted[sorted.length - 1],
      failures: 0,
    };
  } finally {
    sqlite.close();
    for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(file + suffix, { force: true });
  }
}

// ---- run
// Other processes on the machine skew every figure: the load average goes into the report.
const loadBefore = os.loadavg()[0];
const server = await startServer(dbFile, { VIVENCIA_BENCH: "1", ...(process.env.VIVENCIA_FOLD_INTERVAL_MS ? { VIVENCIA_FOLD_INTERVAL_MS: process.env.VIVENCIA_FOLD_INTERVAL_MS } : {}) });
let noop: Run;
let ingest: Run;
try {
  console.log(`bench:ingest  N=${N}  C=${C}  warm-up=${WARMUP}  (${os.cpus().length} CPUs, Node ${process.version}, load ${loadBefore.toFixed(1)})`);
  await load(server.pid, `${server.url}/api/v1/bench-noop`, 0, WARMUP, false);
  await load(server.pid, `${server.url}/api/v1/responses`, 0, WARMUP, true);
  // The two routes take turns in rounds, so that a load spike from elsewhere hits both alike.
  const noopRounds: Samples[] = [];
  const ingestRounds: Samples[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const from = WARMUP + Math.floor((r * N) / ROUNDS);
    const count = WARMUP + Math.floor(((r + 1) * N) / ROUNDS) - from;
    noopRounds.push(await load(server.pid, `${server.url}/api/v1/bench-noop`, from, count, false));
    ingestRounds.push(await load(server.pid, `${server.url}/api/v1/responses`, from, count, true));
  }
  noop = summarise(noopRounds);
  ingest = summarise(ingestRounds);
} finally {
  if (process.env.BENCH_SERVER_LOG) console.log(server.output());
  await server.stop();
}
const direct = await recordInProcess(WARMUP + N, DIRECT);
const storage = storageCeiling(1);
const storageBatched = storageCeiling(C);
const loadAfter = os.loadavg()[0];

// ---- check what was stored: every request a response, every response in the rollups (added in
// its own transaction, ADR 014)
const sqlite = getDb().$client;
const stored = sqlite.prepare("SELECT count(*) FROM responses").pluck().get() as number;
const npsRolled = sqlite.prepare("SELECT coalesce(sum(n), 0) FROM rollups WHERE kind = 'nps'").pluck().get() as number;
const measured = sqlite.prepare("SELECT count(*) FROM measurements").pluck().get() as number;
const expected = WARMUP + N + DIRECT - ingest.failures - direct.failures;
const consistent = stored === expected && npsRolled === stored;

const ratio = ingest.perSecond / noop.perSecond;
const meets = { rate: ingest.perSecond >= 1_500, p99: ingest.p99 < 50 };
const fmt = (x: number, digits = 0) => x.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
const rows: [string, Run][] = [
  ["POST /api/v1/responses (record)", ingest],
  ["HTTP ceiling: POST /api/v1/bench-noop (same body, nothing done)", noop],
  ["record path without HTTP: recordResponse in process", direct],
  ["storage ceiling: bare INSERT, 1 row per commit", storage],
  [`storage ceiling: bare INSERT, ${C} rows per commit (latency per commit)`, storageBatched],
];
const table = [
  "| run | requests | per second | p50 ms | p99 ms | max ms |",
  "| --- | ---: | ---: | ---: | ---: | ---: |",
  ...rows.map(([name, r]) => `| ${name} | ${fmt(r.requests)} | ${fmt(r.perSecond)} | ${fmt(r.p50, 2)} | ${fmt(r.p99, 2)} | ${fmt(r.max, 1)} |`),
].join("\n");
const cpuLine = (name: string, r: Run) =>
  r.cpu
    ? `${name} ${fmt(r.cpu.http + r.cpu.threads + r.cpu.client)} µs (server HTTP thread ${fmt(r.cpu.http)}, other server threads ${fmt(r.cpu.threads)}, client ${fmt(r.cpu.client)})`
    : `${name} not measured (no /proc)`;
const verdict = [
  `- CPU per request, all threads of both processes: ${cpuLine("record", ingest)}; ${cpuLine("no-op", noop)}`,
  `- record / HTTP ceiling: ${fmt(ratio * 100)} %`,
  `- record rate: **${fmt(ingest.perSecond)} responses/s** (target ≥ 1,500: ${meets.rate ? "met" : "NOT met"})`,
  `- record p99: **${fmt(ingest.p99, 1)} ms** (target < 50 ms: ${meets.p99 ? "met" : "NOT met"})`,
  `- stored: ${fmt(stored)} responses (${fmt(measured)} measurement rows), rollups ${consistent ? "consistent" : "INCONSISTENT"} with them; failed: ${ingest.failures + direct.failures}`,
].join("\n");
console.log(`\n${table}\n\n${verdict}\n`);

// ---- docs/benchmarks.md, section "Ingest" (replaced in place, other sections kept)
// BENCH_DOC=<file> writes the section elsewhere (trial runs leave docs/benchmarks.md alone).
const docFile = process.env.BENCH_DOC ? path.resolve(process.env.BENCH_DOC) : path.join(ROOT, "docs", "benchmarks.md");
const when = new Date().toISOString().slice(0, 16).replace("T", " ");
const section = `## Ingest

\`npm run bench:ingest\` (bench/ingest.ts), last run ${when} UTC: ${fmt(N)} responses over ${C} concurrent
keep-alive connections to the built production server (\`npm start\`: server.js, one Node process), the
client on the same machine (${os.cpus().length} CPUs, ${os.cpus()[0]?.model.trim() ?? "unknown CPU"}, Node ${process.version}; 1-minute load average
${loadBefore.toFixed(1)} before the run and ${loadAfter.toFixed(1)} after it: other work shares the machine), after a warm-up
of ${fmt(WARMUP)} requests to each route; the two HTTP routes take turns in ${ROUNDS} rounds, so a load spike from
elsewhere hits both. Each response: a gap-pair survey on ${survey.touchpoint.attributes.length} attributes with CSAT, NPS and an optional
comment, giving ${survey.touchpoint.attributes.length * 2 + 2} measurement rows and ${rollupUpsertsPerResponse()} rollup increments (added up per key across the
batch of responses that share a transaction, then upserted into the daily and the weekly rollups in it, ADR 014); a customer external id from a pool of 2,000, 1,000 of them known with a tier (the others
created bare on first sight); an Idempotency-Key; completed within the last hour (one in twenty up
to 30 days back). Answers lean to the top of each scale, perceptions near expectations;
${fmt(casesOpened())} responses (${fmt((100 * casesOpened()) / Math.max(stored, 1))} %) opened a follow-up case in their transaction.

${table}

${verdict}

Reading the figures: both routes are fast routes of server.js (node:http and Express routing,
reading the body, a JSON answer; no Remix pipeline: docs/decisions/011-production-server.md), so
the record route pays for everything the no-op route pays (at most ${fmt(1000 / noop.perSecond, 2)} ms per request here,
client included) plus API-token authentication, body and answer validation, and the write: the
responses that arrive together share one transaction with their measurements, cases and rollup
sums (docs/decisions/014-rollups-in-the-response-transaction.md), all on the one thread that
serves HTTP. The CPU line is read from /proc for each route over its rounds: the server's main
(HTTP) thread, its other threads (Node's helpers), and this client, a plain-socket load generator
(bench/http-load.ts) that costs far less than node:http. "Without HTTP" is recording in this one
process (as tests and the seed do), with ${C} submissions in flight. With ${C} requests in flight,
mean latency is ${C} ÷ throughput (Little's law), so a p99 under 50 ms needs well over 640
responses/s at this concurrency. What moved these figures: ADR 011, 013 and 014.
`;
function casesOpened(): number {
  try {
    return sqlite.prepare("SELECT count(*) FROM cases").pluck().get() as number;
  } catch {
    return 0; // no cases table in this schema
  }
}
function rollupUpsertsPerResponse(): number {
  const answers = (JSON.parse(bodies[0]) as { answers: Record<string, unknown> }).answers;
  const rows = measurementsFromPlan(measurementPlan(survey.json), answers);
  return mergeRollups(rollupDeltas(rows, { day: "2025-10-01", tier: "" })).length;
}
const header = "# Benchmarks\n\nFigures measured on the development machine; each section is rewritten by its bench script.\n\n";
let doc = fs.existsSync(docFile) ? fs.readFileSync(docFile, "utf8") : header;
const start = doc.indexOf("## Ingest");
if (start >= 0) {
  const rest = doc.indexOf("\n## ", start + 1);
  doc = doc.slice(0, start) + section + (rest >= 0 ? doc.slice(rest) : "");
} else {
  doc = `${doc.trimEnd()}\n\n${section}`;
}
fs.writeFileSync(docFile, doc);
console.log(`written to ${path.relative(ROOT, docFile)}`);

// The in-process run woke the webhook worker (response.completed); let it rest before closing.
const { stopWebhookWorker } = await import("~/data/webhook-delivery.server");
stopWebhookWorker();
await new Promise((resolve) => setTimeout(resolve, 100));
getDb().$client.close();
for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(dbFile + suffix, { force: true });
if (!consistent) process.exitCode = 1;
