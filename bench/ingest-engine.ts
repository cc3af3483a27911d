// One engine's run of bench:ingest (started by bench/ingest.ts, once per engine; it prints and
// writes the report). Arguments: --engine sqlite|postgres --out FILE [--n 20000 --c 32 --sustain 60
// --pg-synchronous-commit off|on]; BENCH_SERVER_DIR (below) measures another build of the server.
//
// The database: on SQLite a scratch file in bench/.tmp; on PostgreSQL a throwaway cluster
// (bench-support.ts, openBenchDatabase), stopped at the end. Against it:
//   1. N survey responses through POST /api/v1/responses of the built production server over C
//      keep-alive connections, in rounds taking turns with the HTTP ceiling (/api/v1/bench-noop:
//      the same body read and nothing done, on only with VIVENCIA_BENCH=1);
//   2. the sustained run: responses at full rate for --sustain seconds while a reader asks
//      GET /api/v1/insights/gaps?by=touchpoint of the same workspace once a second; every read must
//      count exactly the responses committed by then (between what was acknowledged before it was
//      sent and what had been sent when it was answered), never fewer than the read before, and
//      agree with itself (gap, NPS and CSAT counts equal: every response answers all three);
//   3. the record path without HTTP: recordResponse in this process, C submissions in flight;
//   4. the storage ceiling: the same raw response rows bare into a fresh database of the same
//      schema, one autocommit per row (and C rows per commit) — better-sqlite3 on SQLite; on
//      PostgreSQL `pg` through a pool of the server's size (DATABASE_POOL_SIZE, default 10);
//   5. checks: every acknowledged request stored once, and the rollups equal to a recomputation
//      from the measurement rows (bench/rollup-check.ts, the tests' check).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import pg from "pg";
import {
  ROOT,
  TMP,
  databaseUrl,
  engineOption,
  intOption,
  machine,
  processTreeCpu,
  rawOption,
  openBenchDatabase,
  resultFile,
  threadCpu,
  type Engine,
  type Machine,
} from "./bench-support";
import { httpLoad, postRequest, type LoadProgress } from "./http-load";

/** Latency figures of a run, in ms; throughput per second. */
export type Run = { requests: number; seconds: number; perSecond: number; p50: number; p99: number; max: number; failures: number; cpu?: Cpu };
/** CPU µs per request: server main (HTTP) thread, its other threads, this client, the database server's processes (PostgreSQL). */
export type Cpu = { http: number; threads: number; client: number; database: number };
export type Read = { at: number; ms: number; serverMs: number; n: number; lower: number; upper: number; ok: boolean; problem: string };
export type Sustained = {
  seconds: number;
  ingest: Run;
  reads: { count: number; p50: number; p99: number; max: number; serverP50: number; serverP99: number; exact: number; problems: string[] };
  finalRead: { n: number; expected: number; stored: number; exact: boolean };
  /**
   * SQLite: largest WAL file seen (bytes). PostgreSQL: the fold's backlog (pending batches and their
   * increments, ADR 033), most dead tuples seen in the rollup tables, and autovacuum runs on them.
   */
  pending: {
    walMaxBytes?: number;
    walEndBytes?: number;
    foldMax?: number;
    foldIncrementsMax?: number;
    foldEnd?: number;
    deadMax?: number;
    deadEnd?: number;
    liveEnd?: number;
    autovacuums?: number;
    hotShare?: number;
    samples: number;
  };
};
export type IngestResult = {
  engine: Engine;
  machine: Machine;
  loadAfter: number;
  database: string;
  pgSettings?: Record<string, string>;
  poolSize: number;
  n: number;
  c: number;
  warmup: number;
  rounds: number;
  runs: { record: Run; noop: Run; direct: Run; storage: Run; storageBatched: Run };
  sustained: Sustained;
  stored: number;
  measurements: number;
  cases: number;
  attributes: number;
  measurementRows: number;
  rollupIncrements: number;
  failed: number;
  countsConsistent: boolean;
  rollups: { exact: boolean; dailyKeys: number; weeklyKeys: number; differing: number; seconds: number };
  wallSeconds: number;
};

const started = performance.now();
const ENGINE = engineOption()[0];
const N = intOption("n", 20_000);
const C = intOption("c", 32);
const SUSTAIN = intOption("sustain", 60);
const SYNC = rawOption("pg-synchronous-commit") === "on" ? "on" : "off";
const OUT = resultFile();
const WARMUP = Math.min(2_000, Math.ceil(N / 10));
const ROUNDS = 4;
// The touchpoint of the fixture survey: the reader's row.
const TOUCHPOINT = "telco-technician-visit";

// The database, chosen before anything loads the data layer.
const bench = await openBenchDatabase(ENGINE, { name: "ingest", synchronousCommit: SYNC });
const { cluster, dbFile, database } = bench;
try {
  await main();
} finally {
  await bench.close();
}

async function main() {
  const { closeDb, execute, getDb, openDatabase, rows } = await import("#db/client");
  const { poolSize } = await import("#db/client-pg");
  const { eq, sql } = await import("drizzle-orm");
  const { rollupsRead, workspaces } = await import("#db/schema/index");
  const { createApiToken } = await import("~/data/api-tokens.server");
  const { importSample, makeUser, makeWorkspace } = await import("../tests/support/fixtures");
  const { makeCustomer, makeSurveyFixture, ratingAnswers } = await import("../tests/support/survey-fixtures");
  const { startServer } = await import("../tests/support/server");
  const { measurementsFromPlan } = await import("~/cem/measurement");
  const { mergeRollups, rollupDeltas } = await import("~/cem/rollup");
  const { measurementPlan } = await import("~/survey/plan");
  const { recordResponse } = await import("~/data/responses.server");
  const { checkRollups } = await import("./rollup-check");

  const count = async (query: ReturnType<typeof sql>) => (await rows<{ n: number }>(query))[0].n;

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
  // Made 60 days ago: the bodies complete up to 30 days back, and nothing a workspace records may
  // predate it.
  await getDb().update(workspaces).set({ createdAt: new Date(Date.now() - 60 * 86_400_000) }).where(eq(workspaces.id, ws.id));
  await importSample(ws.id, "telecom-installation-and-repair.json");
  const survey = await makeSurveyFixture(ws.id, { touchpointKey: TOUCHPOINT, build: { nps: true, csat: true, comment: true } });
  const TIERS = ["premium", "regular", "generic"];
  for (let i = 0; i < 1_000; i++) await makeCustomer(ws.id, `C${i}`, TIERS[i % 3]);
  const token = await createApiToken(ws.id, "bench", owner.id);
  // The customers' statistics, as autovacuum keeps them in an installation that has had its
  // customers for more than a minute: made seconds ago, the table looks empty to the planner, which
  // may then read the whole table for each of a batch's customers. Only this table: one analysed
  // while empty (responses) would have its foreign-key checks scan it.
  if (cluster) await execute(sql`ANALYZE customers`);

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
  // Warm-up and the HTTP runs, then a quarter more for the in-process run. The sustained run sends
  // these bodies again, each under a key of its own (so each is a new response).
  const DIRECT = Math.ceil(N / 4);
  const bodies = Array.from({ length: WARMUP + N + DIRECT }, (_, i) => body(i));
  const bodyBytes = bodies.map((b) => Buffer.from(b, "utf8"));

  // ---- CPU of both processes (and of the database server's, on PostgreSQL), from /proc
  function cpuNow(serverPid: number): Cpu | undefined {
    const own = process.cpuUsage();
    const server = threadCpu(serverPid);
    if (!server) return undefined;
    const postmaster = cluster?.postmasterPid() ?? null;
    const database = postmaster === null ? 0 : (processTreeCpu(postmaster) ?? 0);
    return { http: server.main, threads: server.others, client: own.user + own.system, database };
  }
  const cpuDelta = (a?: Cpu, b?: Cpu): Cpu | undefined =>
    a && b ? { http: b.http - a.http, threads: b.threads - a.threads, client: b.client - a.client, database: b.database - a.database } : undefined;

  type Samples = { latencies: Float64Array; seconds: number; failures: number; cpu?: Cpu };
  function summarise(samples: Samples[]): Run {
    const all = samples.flatMap((s) => [...s.latencies]).sort((a, b) => a - b);
    const seconds = samples.reduce((acc, s) => acc + s.seconds, 0);
    const at = (q: number) => all[Math.min(all.length - 1, Math.floor(q * all.length))] ?? 0;
    const cpu = samples.every((s) => s.cpu)
      ? (["http", "threads", "client", "database"] as const).reduce(
          (acc, k) => ({ ...acc, [k]: samples.reduce((sum, s) => sum + s.cpu![k], 0) / Math.max(1, all.length) }),
          { http: 0, threads: 0, client: 0, database: 0 },
        )
      : undefined;
    return {
      requests: all.length,
      seconds,
      perSecond: all.length / seconds,
      p50: at(0.5),
      p99: at(0.99),
      max: all[all.length - 1] ?? 0,
      failures: samples.reduce((acc, s) => acc + s.failures, 0),
      cpu,
    };
  }

  const authHeaders = { "Content-Type": "application/json", Authorization: `Bearer ${token}` };

  async function load(serverPid: number, url: string, from: number, n: number, withKey: boolean): Promise<Samples> {
    const target = new URL(url);
    // Serialised before the clock starts: the client's work during the run is writing and reading.
    const requests = Array.from({ length: n }, (_, i) => {
      const headers: Record<string, string> = withKey ? { ...authHeaders, "Idempotency-Key": `bench-${from + i}` } : authHeaders;
      return postRequest(target.host, target.pathname, headers, bodies[from + i]);
    });
    const cpu0 = cpuNow(serverPid);
    const { latencies, seconds, failures, firstFailure } = await httpLoad(target.hostname, Number(target.port), requests, C);
    const cpu1 = cpuNow(serverPid);
    if (failures > 0) console.error(`  ${failures} failed requests to ${target.pathname}; first: ${firstFailure}`);
    return { latencies, seconds, failures, cpu: cpuDelta(cpu0, cpu1) };
  }

  // ---- the sustained run: full rate for SUSTAIN seconds, one insights read a second
  const responseCount = () => count(sql`SELECT count(*) AS n FROM responses`);

  /** What is waiting to be done in the database: SQLite's WAL; PostgreSQL's fold backlog and dead rollup rows. */
  async function pendingNow(): Promise<{ wal?: number; fold?: number; foldIncrements?: number; dead?: number; live?: number; autovacuums?: number; updates?: number; hot?: number }> {
    if (!cluster) {
      try {
        return { wal: fs.statSync(`${dbFile}-wal`).size };
      } catch {
        return { wal: 0 };
      }
    }
    // Updates that stayed in their page (HOT: no new index entry, the old version pruned in place)
    // against all updates: the rest each leave a dead version elsewhere for vacuum.
    const [row] = await rows<{ dead: number; live: number; autovacuums: number; updates: number; hot: number }>(
      sql`SELECT coalesce(sum(n_dead_tup), 0) AS dead, coalesce(sum(n_live_tup), 0) AS live, coalesce(sum(autovacuum_count), 0) AS autovacuums,
                 coalesce(sum(n_tup_upd), 0) AS updates, coalesce(sum(n_tup_hot_upd), 0) AS hot
            FROM pg_stat_user_tables WHERE relname IN ('rollups', 'rollups_weekly')`,
    );
    const [fold] = await rows<{ fold: number; foldIncrements: number }>(
      sql`SELECT count(*)::int AS fold, coalesce(sum(cardinality(n)), 0)::int AS "foldIncrements" FROM rollup_pending`,
    );
    return { ...row, ...fold };
  }

  type GapFigure = { status: string; n: number } | null;
  type GapRow = { key: string; n: number; gap: GapFigure; nps: GapFigure; csat: GapFigure };

  async function sustained(serverUrl: string, serverPid: number): Promise<Sustained> {
    const target = new URL(`${serverUrl}/api/v1/responses`);
    const readUrl = `${serverUrl}/api/v1/insights/gaps?by=touchpoint`;
    const baseline = await responseCount();
    const progress: LoadProgress = { sent: 0, answered: 0, ok: 0 };
    const t0 = performance.now();
    const deadline = t0 + SUSTAIN * 1000;
    // Request i: a head of its own (its key) before one of the bodies' bytes, ready as they are.
    const source = (i: number) => {
      if (performance.now() >= deadline) return null;
      const b = bodyBytes[i % bodyBytes.length];
      const head = [
        `POST ${target.pathname} HTTP/1.1`,
        `Host: ${target.host}`,
        `Content-Length: ${b.length}`,
        ...Object.entries({ ...authHeaders, "Idempotency-Key": `sustain-${i}` }).map(([k, v]) => `${k}: ${v}`),
      ].join("\r\n");
      return Buffer.concat([Buffer.from(`${head}\r\n\r\n`, "latin1"), b]);
    };
    const cpu0 = cpuNow(serverPid);
    const pending0 = await pendingNow();
    let loadDone = false;
    const loading = httpLoad(target.hostname, Number(target.port), source, C, 201, progress).finally(() => {
      loadDone = true;
    });

    // The reader: once a second, the touchpoint's row of the gap table (both rollup levels, both periods).
    const reads: Read[] = [];
    const pendingSamples: { wal?: number; fold?: number; foldIncrements?: number; dead?: number }[] = [];
    let previousN = 0;
    const readOnce = async (lower: number, upperAfter: () => number): Promise<Read> => {
      const t = performance.now();
      let n = -1;
      let problem = "";
      let serverMs = 0;
      try {
        const res = await fetch(readUrl, { headers: { Authorization: `Bearer ${token}` } });
        serverMs = Number(/dur=([\d.]+)/.exec(res.headers.get("server-timing") ?? "")?.[1] ?? 0);
        const json = (await res.json()) as { rows?: GapRow[] };
        if (res.status !== 200) problem = `status ${res.status}`;
        const row = json.rows?.find((r) => r.key === TOUCHPOINT);
        if (!problem && !row) problem = "no row for the touchpoint";
        if (row) {
          n = row.nps?.n ?? -1;
          // One response, one gap, one NPS and one CSAT answer: a read that saw part of a
          // transaction, or the two rollup levels at different moments of one key, would differ.
          if (row.gap?.n !== n || row.csat?.n !== n || row.n !== n) problem ||= `counts differ: gap ${row.gap?.n}, NPS ${n}, CSAT ${row.csat?.n}, row ${row.n}`;
        }
      } catch (error) {
        problem = `read failed: ${(error as Error).message}`;
      }
      const ms = performance.now() - t;
      const upper = upperAfter();
      if (!problem && (n < lower || n > upper)) problem = `n ${n} outside [${lower}, ${upper}] (acknowledged before, sent by the answer)`;
      if (!problem && n < previousN) problem = `n ${n} below the previous read's ${previousN}`;
      if (n > previousN) previousN = n;
      return { at: (t - t0) / 1000, ms, serverMs, n, lower, upper, ok: problem === "", problem };
    };
    while (!loadDone) {
      // On the next whole second of the run (a read slower than a second is followed at once by the
      // next one, not by a burst catching up).
      const wait = 1000 - ((performance.now() - t0) % 1000);
      await new Promise((resolve) => setTimeout(resolve, wait));
      if (loadDone) break;
      // Committed before the read is sent: every response acknowledged so far. At most committed
      // when it is answered: every response sent so far.
      const lower = baseline + progress.ok;
      reads.push(await readOnce(lower, () => baseline + progress.sent));
      pendingSamples.push(await pendingNow());
    }
    const { latencies, seconds, failures, firstFailure } = await loading;
    const cpu1 = cpuNow(serverPid);
    if (failures > 0) console.error(`  ${failures} failed requests in the sustained run; first: ${firstFailure}`);
    const pendingEnd = await pendingNow();

    // Once everything is answered, a read must give exactly what was stored.
    const stored = await responseCount();
    const expected = baseline + progress.ok;
    const last = await readOnce(expected, () => expected);
    const sortedReads = reads.map((r) => r.ms).sort((a, b) => a - b);
    const sortedServer = reads.map((r) => r.serverMs).sort((a, b) => a - b);
    const at = (xs: number[], q: number) => xs[Math.min(xs.length - 1, Math.floor(q * xs.length))] ?? 0;
    const walSizes = pendingSamples.map((p) => p.wal ?? 0);
    const deads = pendingSamples.map((p) => p.dead ?? 0);
    const folds = pendingSamples.map((p) => p.fold ?? 0);
    const foldIncrements = pendingSamples.map((p) => p.foldIncrements ?? 0);
    return {
      seconds,
      ingest: summarise([{ latencies, seconds, failures, cpu: cpuDelta(cpu0, cpu1) }]),
      reads: {
        count: reads.length,
        p50: at(sortedReads, 0.5),
        p99: at(sortedReads, 0.99),
        max: sortedReads[sortedReads.length - 1] ?? 0,
        serverP50: at(sortedServer, 0.5),
        serverP99: at(sortedServer, 0.99),
        exact: reads.filter((r) => r.ok).length,
        problems: reads.filter((r) => !r.ok).map((r) => `${r.at.toFixed(1)} s: ${r.problem}`),
      },
      finalRead: { n: last.n, expected, stored, exact: last.ok && last.n === stored },
      pending: cluster
        ? {
            foldMax: Math.max(0, ...folds),
            foldIncrementsMax: Math.max(0, ...foldIncrements),
            foldEnd: pendingEnd.fold,
            deadMax: Math.max(0, ...deads),
            deadEnd: pendingEnd.dead,
            liveEnd: pendingEnd.live,
            autovacuums: (pendingEnd.autovacuums ?? 0) - (pending0.autovacuums ?? 0),
            hotShare: ((pendingEnd.hot ?? 0) - (pending0.hot ?? 0)) / Math.max(1, (pendingEnd.updates ?? 0) - (pending0.updates ?? 0)),
            samples: pendingSamples.length,
          }
        : { walMaxBytes: Math.max(0, ...walSizes), walEndBytes: pendingEnd.wal, samples: pendingSamples.length },
    };
  }

  // ---- the record path without HTTP: recordResponse in this process, C submissions in flight
  async function recordInProcess(from: number, n: number): Promise<Run> {
    const latencies = new Float64Array(n);
    let next = 0;
    let failures = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: C }, async () => {
        while (next < n) {
          const i = next++;
          const b = JSON.parse(bodies[from + i]) as { customer: string; lang: "es" | "en"; startedAt: string; completedAt: string; answers: unknown };
          const t = performance.now();
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
          latencies[i] = performance.now() - t;
          if (result.status !== "recorded") failures++;
        }
      }),
    );
    return summarise([{ latencies, seconds: (performance.now() - t0) / 1000, failures }]);
  }

  // ---- storage ceiling: the same response rows, bare, into a fresh database of the same schema
  /** The raw rows of the HTTP run's responses, as the writer stores them (no customer, no tier). */
  const rawRows = () =>
    bodies.slice(WARMUP, WARMUP + N).map((text) => {
      const b = JSON.parse(text) as { lang: string; completedAt: string; answers: unknown };
      return { lang: b.lang, data: JSON.stringify(b.answers), completedAt: Date.parse(b.completedAt) };
    });
  const PARENTS = ["workspaces", "journeys", "stages", "touchpoints", "surveys", "survey_versions", "deployments"];

  function latencyRun(latencies: Float64Array, rowsDone: number, seconds: number): Run {
    const sorted = [...latencies].sort((a, b) => a - b);
    return {
      requests: rowsDone,
      seconds,
      perSecond: rowsDone / seconds,
      p50: sorted[Math.floor(0.5 * sorted.length)],
      p99: sorted[Math.floor(0.99 * sorted.length)],
      max: sorted[sorted.length - 1],
      failures: 0,
    };
  }

  /** SQLite: better-sqlite3, one transaction of `rowsPerCommit` rows after another. */
  function sqliteStorageCeiling(rowsPerCommit: number): Run {
    const file = path.join(TMP, `storage-${process.pid}-${randomBytes(3).toString("hex")}.db`);
    const db = openDatabase(file);
    const sqlite = db.$client;
    try {
      // The parent rows the responses' foreign keys need, copied from the fixture (their own parents,
      // users and processes, are not needed: foreign keys are checked again for the timed inserts).
      sqlite.pragma("foreign_keys = OFF");
      const src = getDb().$client;
      for (const table of PARENTS) {
        for (const row of src.prepare(`SELECT * FROM ${table}`).all() as Record<string, unknown>[]) {
          const cols = Object.keys(row);
          sqlite.prepare(`INSERT INTO ${table} (${cols.join(", ")}) VALUES (${cols.map(() => "?").join(", ")})`).run(...cols.map((c) => row[c]));
        }
      }
      sqlite.pragma("foreign_keys = ON");
      const insert = sqlite.prepare(
        `INSERT INTO responses (workspace_id, survey_version_id, touchpoint_id, deployment_id, tier, lang, source, data, completed_at)
         VALUES (?, ?, ?, ?, ?, ?, 'api', ?, ?)`,
      );
      const data = rawRows().map((r) => [ws.id, survey.versionId, survey.touchpoint.id, survey.deploymentId, "", r.lang, r.data, r.completedAt] as const);
      const commit = sqlite.transaction((chunk: (typeof data)[number][]) => {
        for (const row of chunk) insert.run(...row);
      });
      const latencies = new Float64Array(Math.ceil(data.length / rowsPerCommit));
      const t0 = performance.now();
      for (let i = 0, c = 0; i < data.length; i += rowsPerCommit, c++) {
        const s = performance.now();
        commit(data.slice(i, i + rowsPerCommit));
        latencies[c] = performance.now() - s;
      }
      return latencyRun(latencies, data.length, (performance.now() - t0) / 1000);
    } finally {
      sqlite.close();
      for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(file + suffix, { force: true });
    }
  }

  /**
   * PostgreSQL: `pg` through a pool of the server's size, as many inserting at once as the pool has
   * connections (more would only wait for one, adding to their latency, not to the rate). One
   * autocommit INSERT per row, or BEGIN, `rowsPerCommit` INSERTs, COMMIT. Into a second database
   * of the same cluster, migrated as the app migrates, holding just the parent rows.
   */
  async function pgStorageCeiling(rowsPerCommit: number, name: string): Promise<Run> {
    const { openPgDatabase } = await import("#db/client-pg");
    const source = getDb().$client as unknown as pg.Pool;
    await source.query(`CREATE DATABASE ${name}`);
    const target = await openPgDatabase(databaseUrl(cluster!.url, name));
    const pool = target.$client;
    try {
      const copier = await pool.connect();
      try {
        // The parents' own parents (users, processes) are not copied: foreign-key triggers are off
        // for this session only (superuser), as SQLite's copy turns foreign_keys off.
        await copier.query("SET session_replication_role = replica");
        for (const table of PARENTS) {
          const { rows: found } = await source.query<{ j: string }>(`SELECT row_to_json(t)::text AS j FROM ${table} t`);
          for (const { j } of found) await copier.query(`INSERT INTO ${table} SELECT * FROM json_populate_record(null::${table}, $1::json)`, [j]);
        }
        await copier.query("SET session_replication_role = origin");
      } finally {
        copier.release();
      }
      const text = `INSERT INTO responses (workspace_id, survey_version_id, touchpoint_id, deployment_id, tier, lang, source, data, completed_at)
                    VALUES ($1, $2, $3, $4, $5, $6, 'api', $7, $8)`;
      const data = rawRows().map((r) => [ws.id, survey.versionId, survey.touchpoint.id, survey.deploymentId, "", r.lang, r.data, new Date(r.completedAt).toISOString()]);
      const commits = Math.ceil(data.length / rowsPerCommit);
      const latencies = new Float64Array(commits);
      let next = 0;
      const t0 = performance.now();
      await Promise.all(
        Array.from({ length: poolSize() }, async () => {
          while (next < commits) {
            const c = next++;
            const chunk = data.slice(c * rowsPerCommit, (c + 1) * rowsPerCommit);
            const s = performance.now();
            if (rowsPerCommit === 1) await pool.query(text, chunk[0]);
            else {
              const client = await pool.connect();
              try {
                await client.query("BEGIN");
                for (const row of chunk) await client.query(text, row);
                await client.query("COMMIT");
              } finally {
                client.release();
              }
            }
            latencies[c] = performance.now() - s;
          }
        }),
      );
      return latencyRun(latencies, data.length, (performance.now() - t0) / 1000);
    } finally {
      await pool.end();
    }
  }

  // ---- run
  const before = machine();
  console.log(
    `bench:ingest on ${cluster ? `${cluster.version} (synchronous_commit ${SYNC})` : "SQLite"}  N=${N}  C=${C}  warm-up=${WARMUP}  sustain=${SUSTAIN} s  (${before.cpus} CPUs, Node ${before.node}, load ${before.load.toFixed(1)})`,
  );
  // BENCH_SERVER_DIR=<folder with server.js and build/> measures another build of the server (a
  // candidate change) with the same harness; the server runs in that folder.
  const serverDir = process.env.BENCH_SERVER_DIR ? path.resolve(ROOT, process.env.BENCH_SERVER_DIR) : ROOT;
  process.chdir(serverDir);
  // The API limiter counts every request as in production, with a limit the bench never reaches
  // (the default, 3,000 a second per token, is near what a quiet machine may ingest).
  const server = await startServer(database, { VIVENCIA_BENCH: "1", RATE_LIMIT_API_TOKEN: "1000000000/60" }).finally(() => process.chdir(ROOT));
  // A child process outlives its parent unless told: ended with this one, however it ends.
  const killServer = () => {
    try {
      process.kill(server.pid, "SIGTERM");
    } catch {
      // already gone
    }
  };
  process.once("exit", killServer);
  if (serverDir !== ROOT) console.log(`  server: ${path.relative(ROOT, serverDir)}/server.js`);
  let noop: Run;
  let record: Run;
  let sustain: Sustained;
  try {
    await load(server.pid, `${server.url}/api/v1/bench-noop`, 0, WARMUP, false);
    await load(server.pid, `${server.url}/api/v1/responses`, 0, WARMUP, true);
    // The two routes take turns in rounds, so that a load spike from elsewhere hits both alike.
    const noopRounds: Samples[] = [];
    const recordRounds: Samples[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const from = WARMUP + Math.floor((r * N) / ROUNDS);
      const n = WARMUP + Math.floor(((r + 1) * N) / ROUNDS) - from;
      noopRounds.push(await load(server.pid, `${server.url}/api/v1/bench-noop`, from, n, false));
      recordRounds.push(await load(server.pid, `${server.url}/api/v1/responses`, from, n, true));
    }
    noop = summarise(noopRounds);
    record = summarise(recordRounds);
    console.log(`  record ${record.perSecond.toFixed(0)}/s p99 ${record.p99.toFixed(1)} ms; no-op ${noop.perSecond.toFixed(0)}/s`);
    console.log(`  sustained run: ${SUSTAIN} s at full rate, one insights read a second…`);
    sustain = await sustained(server.url, server.pid);
    console.log(
      `  sustained ${sustain.ingest.perSecond.toFixed(0)}/s p99 ${sustain.ingest.p99.toFixed(1)} ms; reads p50 ${sustain.reads.p50.toFixed(1)} ms p99 ${sustain.reads.p99.toFixed(1)} ms, ${sustain.reads.exact}/${sustain.reads.count} exact`,
    );
    for (const problem of sustain.reads.problems.slice(0, 5)) console.log(`    read ${problem}`);
  } finally {
    if (process.env.BENCH_SERVER_LOG) console.log(server.output());
    await server.stop();
  }
  const direct = await recordInProcess(WARMUP + N, DIRECT);
  console.log(`  in process ${direct.perSecond.toFixed(0)}/s`);
  const storage = cluster ? await pgStorageCeiling(1, "bench_storage_1") : sqliteStorageCeiling(1);
  const storageBatched = cluster ? await pgStorageCeiling(C, `bench_storage_${C}`) : sqliteStorageCeiling(C);
  console.log(`  storage ceiling ${storage.perSecond.toFixed(0)}/s (1 per commit), ${storageBatched.perSecond.toFixed(0)}/s (${C} per commit)`);
  const loadAfter = os.loadavg()[0];

  // ---- check what was stored: every acknowledged request a response, each counted once in the
  // rollups, and the rollups equal to a recomputation from the measurement rows
  const stored = await responseCount();
  // As readers see the daily level: on PostgreSQL with the increments the fold has not added yet (ADR 033).
  const npsRolled = await count(sql`SELECT coalesce(sum(n), 0) AS n FROM ${rollupsRead} WHERE kind = 'nps'`);
  const measured = await count(sql`SELECT count(*) AS n FROM measurements`);
  const cases = await count(sql`SELECT count(*) AS n FROM cases`);
  const expected = WARMUP + N + (sustain.ingest.requests - sustain.ingest.failures) + DIRECT - record.failures - direct.failures;
  const countsConsistent = stored === expected && npsRolled === stored;
  console.log("  checking the rollups against a recomputation from the measurement rows…");
  const rollups = await checkRollups();
  console.log(`  rollups ${rollups.exact ? "exact" : `DIFFER at ${rollups.differing} keys`} (${rollups.dailyKeys} daily, ${rollups.weeklyKeys} weekly keys; ${rollups.seconds.toFixed(1)} s)`);

  const answers = (JSON.parse(bodies[0]) as { answers: Record<string, unknown> }).answers;
  const planned = measurementsFromPlan(measurementPlan(survey.json), answers);
  const result: IngestResult = {
    engine: ENGINE,
    machine: before,
    loadAfter,
    database: cluster ? cluster.version : "SQLite",
    pgSettings: cluster?.settings,
    poolSize: poolSize(),
    n: N,
    c: C,
    warmup: WARMUP,
    rounds: ROUNDS,
    runs: { record, noop, direct, storage, storageBatched },
    sustained: sustain,
    stored,
    measurements: measured,
    cases,
    attributes: survey.touchpoint.attributes.length,
    measurementRows: planned.length,
    rollupIncrements: mergeRollups(rollupDeltas(planned, { day: "2025-10-01", tier: "" })).length,
    failed: record.failures + direct.failures + sustain.ingest.failures,
    countsConsistent,
    rollups,
    wallSeconds: (performance.now() - started) / 1000,
  };
  fs.writeFileSync(OUT, JSON.stringify(result, null, 2));

  // The in-process run woke the webhook worker (response.completed); let it rest before closing.
  const { stopWebhookWorker } = await import("~/data/webhook-delivery.server");
  await stopWebhookWorker();
  await new Promise((resolve) => setTimeout(resolve, 100));
  await closeDb();
  if (!countsConsistent || !rollups.exact || sustain.reads.exact !== sustain.reads.count || !sustain.finalRead.exact) process.exitCode = 1;
}
