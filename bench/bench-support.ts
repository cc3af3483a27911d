// What bench:ingest and bench:insights share: the engines they run on, one child process per engine
// (db/engine.ts fixes the engine for the life of a process, and the schema binds its tables when it
// loads), a throwaway PostgreSQL cluster set up for measuring, the build they need, and the writer
// of their sections in docs/benchmarks.md.
//
// Nothing here imports the data layer: the drivers (bench/ingest.ts, bench/insights.ts) never open
// a database; their children do, after choosing the engine.
import { execFile, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { startPgCluster, type PgCluster } from "../tests/support/pg-cluster";

export const ROOT = path.resolve(import.meta.dirname, "..");
export const TMP = path.join(ROOT, "bench", ".tmp");

export type Engine = "sqlite" | "postgres";
export const ENGINES: readonly Engine[] = ["sqlite", "postgres"];
export const ENGINE_NAMES: Record<Engine, string> = { sqlite: "SQLite", postgres: "PostgreSQL" };

// ---- options -------------------------------------------------------------------------------------

/** The value after `--name`, else the environment's BENCH_NAME, else undefined. */
export function rawOption(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  if (i >= 0) return process.argv[i + 1];
  return process.env[`BENCH_${name.toUpperCase().replaceAll("-", "_")}`];
}

export function flag(name: string): boolean {
  return process.argv.includes(`--${name}`);
}

/** A positive integer option (`--n 20000`), or the fallback. */
export function intOption(name: string, fallback: number): number {
  const raw = rawOption(name);
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`--${name} must be a positive integer`);
  return value;
}

/** `--engine sqlite|postgres|both` (default both), as the list of engines to run, SQLite first. */
export function engineOption(): Engine[] {
  const raw = (rawOption("engine") ?? "both").toLowerCase();
  if (raw === "both" || raw === "all") return [...ENGINES];
  const picked = raw.split(",").map((e) => (e === "pg" ? "postgres" : e));
  for (const e of picked) if (!ENGINES.includes(e as Engine)) throw new Error(`--engine must be sqlite, postgres or both, not ${JSON.stringify(raw)}`);
  return ENGINES.filter((e) => picked.includes(e));
}

// ---- one child process per engine -----------------------------------------------------------------

/**
 * Runs `script` (a bench/ file) under tsx with `--engine` and the given arguments, its output shown
 * as it comes; resolves with the JSON it wrote to the file named by `--out`.
 */
export async function runEngineChild<T>(script: string, engine: Engine, args: string[]): Promise<T> {
  fs.mkdirSync(TMP, { recursive: true });
  const out = path.join(TMP, `${path.basename(script, ".ts")}-${engine}-${process.pid}.json`);
  fs.rmSync(out, { force: true });
  const env: NodeJS.ProcessEnv = { ...process.env };
  // The child chooses its database itself: a DATABASE_URL left in the shell must not send the SQLite
  // run to PostgreSQL, nor the PostgreSQL run to someone's own database.
  delete env.DATABASE_URL;
  delete env.DATABASE_PATH;
  const tsx = path.join(ROOT, "node_modules", ".bin", "tsx");
  const child = spawn(tsx, [path.join(ROOT, "bench", script), "--engine", engine, "--out", out, ...args], { cwd: ROOT, env, stdio: "inherit" });
  const code = await new Promise<number>((resolve) => child.once("exit", (c, signal) => resolve(c ?? (signal ? 1 : 0))));
  if (!fs.existsSync(out)) throw new Error(`bench/${script} on ${ENGINE_NAMES[engine]} ended (exit ${code}) without results`);
  const result = JSON.parse(fs.readFileSync(out, "utf8")) as T;
  fs.rmSync(out, { force: true });
  if (code !== 0) process.exitCode = code;
  return result;
}

/**
 * Ctrl-C (or a kill) ends a child through "exit", where what it started is stopped: its server
 * (ingest-engine.ts) and its PostgreSQL cluster (startPgCluster's own exit hook).
 */
export function exitOnSignals(): void {
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => process.exit(130));
}

/** Where a child writes its results (`--out`, given by runEngineChild). */
export function resultFile(): string {
  const out = rawOption("out");
  if (!out) throw new Error("--out FILE is required (bench/ingest.ts and bench/insights.ts pass it)");
  return out;
}

// ---- the scratch database ----------------------------------------------------------------------------

export type BenchDatabase = {
  /** The throwaway cluster on PostgreSQL, else null. */
  cluster: BenchCluster | null;
  /** The SQLite file, else "". */
  dbFile: string;
  /** What startServer takes: the cluster's URL or the file. */
  database: string;
  /** Stops the cluster or removes the file (unless kept). */
  close: () => Promise<void>;
};

/**
 * A child's scratch database, chosen through the environment before anything loads the data layer
 * (it reads DATABASE_URL or DATABASE_PATH on first use): a throwaway PostgreSQL cluster, or a file
 * in bench/.tmp named after `name`. Also moves to the repository root and exits on SIGINT/SIGTERM
 * (the exit hooks stop the cluster).
 */
export async function openBenchDatabase(
  engine: Engine,
  options: { name: string; synchronousCommit: "on" | "off"; keep?: boolean },
): Promise<BenchDatabase> {
  fs.mkdirSync(TMP, { recursive: true });
  process.chdir(ROOT);
  exitOnSignals();
  let cluster: BenchCluster | null = null;
  let dbFile = "";
  if (engine === "postgres") {
    console.log("Starting a throwaway PostgreSQL cluster…");
    cluster = await startBenchCluster(options.synchronousCommit, { keep: options.keep });
    process.env.DATABASE_URL = cluster.url;
    delete process.env.DATABASE_PATH;
  } else {
    dbFile = path.join(TMP, `${options.name}-${process.pid}-${randomBytes(3).toString("hex")}.db`);
    process.env.DATABASE_PATH = dbFile;
    delete process.env.DATABASE_URL;
    if (options.keep) console.log(`The database is kept: ${path.relative(ROOT, dbFile)}`);
  }
  const removeFile = () => {
    if (dbFile && !options.keep) for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(dbFile + suffix, { force: true });
  };
  // A timer of the app (the rate limiter's flush) may open the database again after it was closed,
  // which creates the file anew: removed once more as the process ends.
  process.once("exit", removeFile);
  return {
    cluster,
    dbFile,
    database: cluster?.url ?? dbFile,
    close: async () => {
      if (cluster) await cluster.stop();
      removeFile();
    },
  };
}

// ---- PostgreSQL ------------------------------------------------------------------------------------

export type BenchCluster = PgCluster & {
  /** "PostgreSQL 15.x", and the settings that matter to the figures, for the report. */
  version: string;
  settings: Record<string, string>;
  /** The postmaster's process id (its children are the backends: their CPU is the database's). */
  postmasterPid: () => number | null;
};

/**
 * A throwaway cluster (scripts/pg-cluster.sh) made fit for measuring. The script's cluster is for
 * tests: fsync, full_page_writes and synchronous_commit off. Here fsync and full-page writes are
 * on again, as on any server that keeps its data; synchronous_commit stays off by default because
 * that is what the SQLite side does (WAL with synchronous=NORMAL: a commit is not flushed to disk
 * at once, and an OS crash can lose the last ones but corrupts nothing). `--pg-synchronous-commit
 * on` measures PostgreSQL's own default, a WAL flush before each commit returns. Everything else
 * is the stock configuration (shared_buffers 128 MB, work_mem 4 MB, autovacuum on).
 */
export async function startBenchCluster(synchronousCommit: "on" | "off", options: { keep?: boolean } = {}): Promise<BenchCluster> {
  const cluster = options.keep ? await startKeptCluster() : await startPgCluster();
  const client = new pg.Client({ connectionString: cluster.url });
  await client.connect();
  try {
    await client.query("ALTER SYSTEM SET fsync = on");
    await client.query("ALTER SYSTEM SET full_page_writes = on");
    await client.query(`ALTER SYSTEM SET synchronous_commit = ${synchronousCommit === "on" ? "on" : "off"}`);
    await client.query("SELECT pg_reload_conf()");
    // The reload is asynchronous: wait until this session sees it.
    for (let i = 0; i < 50; i++) {
      const { rows } = await client.query<{ fsync: string }>("SHOW fsync");
      if (rows[0].fsync === "on") break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const names = ["server_version", "fsync", "synchronous_commit", "full_page_writes", "shared_buffers", "work_mem", "max_connections", "autovacuum"];
    const settings: Record<string, string> = {};
    for (const name of names) settings[name] = (await client.query<Record<string, string>>(`SHOW ${name}`)).rows[0][name];
    return {
      ...cluster,
      version: `PostgreSQL ${settings.server_version.split(" ")[0]}`,
      settings,
      postmasterPid: () => {
        try {
          return Number(fs.readFileSync(path.join(cluster.dir, "data", "postmaster.pid"), "utf8").split("\n")[0]) || null;
        } catch {
          return null;
        }
      },
    };
  } finally {
    await client.end();
  }
}

/**
 * A cluster that outlives the run (`--keep`, to look at the data afterwards): started by the script
 * itself, so no exit hook stops it; stop() only says how to.
 */
async function startKeptCluster(): Promise<PgCluster> {
  const run = promisify(execFile);
  const { stdout } = await run("bash", [path.join(ROOT, "scripts", "pg-cluster.sh"), "start"], { encoding: "utf8" });
  const url = /^export DATABASE_URL='([^']+)'$/m.exec(stdout)?.[1];
  const dir = /^export PG_CLUSTER_DIR='([^']+)'$/m.exec(stdout)?.[1];
  if (!url || !dir) throw new Error(`pg-cluster.sh start printed no DATABASE_URL / PG_CLUSTER_DIR:\n${stdout}`);
  return {
    url,
    dir,
    stop: async () => {
      console.log(`Kept the PostgreSQL cluster: DATABASE_URL='${url}'; stop it with: npm run -s pg:cluster stop ${dir}`);
    },
  };
}

/** The same cluster's URL for another database on it. */
export function databaseUrl(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

// ---- CPU time from /proc -----------------------------------------------------------------------------

const US_PER_TICK = 10_000; // USER_HZ is 100 on Linux

/**
 * utime + stime of one process or thread, in µs (fields 14 and 15 of proc(5)'s stat), and with
 * `reaped` also cutime + cstime (16, 17): the time of its children that have ended.
 */
function statCpu(file: string, reaped = false): number {
  const stat = fs.readFileSync(file, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const own = Number(fields[11]) + Number(fields[12]);
  return (reaped ? own + Number(fields[13]) + Number(fields[14]) : own) * US_PER_TICK;
}

/** CPU µs of a process's main thread and of its other threads; null where there is no /proc. */
export function threadCpu(pid: number): { main: number; others: number } | null {
  try {
    let main = 0;
    let others = 0;
    for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
      const us = statCpu(`/proc/${pid}/task/${tid}/stat`);
      if (Number(tid) === pid) main += us;
      else others += us;
    }
    return { main, others };
  } catch {
    return null;
  }
}

/**
 * CPU µs of a process and all its children (the postmaster and its backends, autovacuum, WAL
 * writer…): the live children's own time, plus what the ended ones left in the parent's account of
 * its reaped children (a pool closes idle connections, and their backends end). Null where there is
 * no /proc.
 */
export function processTreeCpu(rootPid: number): number | null {
  try {
    let total = statCpu(`/proc/${rootPid}/stat`, true);
    for (const entry of fs.readdirSync("/proc")) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
        const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
        if (ppid === rootPid) total += statCpu(`/proc/${entry}/stat`);
      } catch {
        // the process ended meanwhile
      }
    }
    return total;
  } catch {
    return null;
  }
}

// ---- the build -------------------------------------------------------------------------------------

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(full));
    else if (/\.(ts|tsx|js|css)$/.test(entry.name)) newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

/**
 * The server under test is the production build (build/, `npm run build`). Built here when it is
 * missing or older than a source file in app/ or db/ (which it bundles), so that one command does
 * the whole job; `--no-build` uses build/ as it is.
 */
export function ensureBuild(): void {
  const entry = path.join(ROOT, "build", "server", "index.js");
  const built = fs.existsSync(entry) ? fs.statSync(entry).mtimeMs : 0;
  const sources = Math.max(newestMtime(path.join(ROOT, "app")), newestMtime(path.join(ROOT, "db")));
  if (built >= sources) return;
  if (flag("no-build")) {
    if (built === 0) throw new Error("build/server/index.js is missing: run `npm run build` (or leave out --no-build)");
    console.log("build/ is older than the sources; --no-build: measuring it as it is");
    return;
  }
  console.log(built === 0 ? "No build yet: npm run build" : "build/ is older than the sources: npm run build");
  const result = spawnSync("npm", ["run", "build"], { cwd: ROOT, stdio: "inherit" });
  if (result.status !== 0) throw new Error("npm run build failed");
}

/** The files a server build's entry imports from its own folder all exist (a build is not half written). */
function buildComplete(buildDir: string): boolean {
  const entry = path.join(buildDir, "server", "index.js");
  if (!fs.existsSync(entry) || !fs.existsSync(path.join(buildDir, "client"))) return false;
  const imports = [...fs.readFileSync(entry, "utf8").matchAll(/from\s+"(\.\/[^"]+)"|import\(\s*"(\.\/[^"]+)"\s*\)/g)].map((m) => m[1] ?? m[2]);
  return imports.length > 0 && imports.every((file) => fs.existsSync(path.join(buildDir, "server", file)));
}

/**
 * A private copy of the server to measure: build/ and server.js copied into bench/.tmp, with the
 * folders the server reads at run time (db/ for its migrations, journeys/) linked beside them. Other
 * work in the same tree (a test run's `npm run build`) empties and rewrites build/ at any moment;
 * the copy stays as it was for the whole run. Built first when needed (ensureBuild); a copy caught
 * while build/ was being rewritten is taken again.
 */
export async function snapshotServer(): Promise<{ dir: string; remove: () => void }> {
  const dir = path.join(TMP, `server-${process.pid}`);
  const remove = () => fs.rmSync(dir, { recursive: true, force: true });
  for (let attempt = 1; ; attempt++) {
    ensureBuild();
    remove();
    fs.mkdirSync(dir, { recursive: true });
    try {
      fs.cpSync(path.join(ROOT, "build"), path.join(dir, "build"), { recursive: true });
      fs.copyFileSync(path.join(ROOT, "server.js"), path.join(dir, "server.js"));
      for (const folder of ["db", "journeys"]) fs.symlinkSync(path.join(ROOT, folder), path.join(dir, folder));
      if (buildComplete(path.join(dir, "build"))) return { dir, remove };
    } catch {
      // build/ changed under the copy: take it again
    }
    if (attempt === 10) throw new Error("could not copy a complete build/ (something keeps rewriting it)");
    await new Promise((resolve) => setTimeout(resolve, 5_000));
  }
}

// ---- the report --------------------------------------------------------------------------------------

export const fmt = (x: number, digits = 0) => x.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });

export type Machine = { cpus: number; cpuModel: string; node: string; load: number };

export function machine(): Machine {
  return { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model.trim() ?? "unknown CPU", node: process.version, load: os.loadavg()[0] };
}

/** A Markdown table: a header row, alignments ("l" or "r" per column) and rows. */
export function markdownTable(header: string[], align: ("l" | "r")[], rows: string[][]): string {
  return [
    `| ${header.join(" | ")} |`,
    `| ${align.map((a) => (a === "r" ? "---:" : "---")).join(" | ")} |`,
    ...rows.map((r) => `| ${r.join(" | ")} |`),
  ].join("\n");
}

/** docs/benchmarks.md, or BENCH_DOC=<file> for trial runs (which leave the real one alone). */
export function docFile(): string {
  return process.env.BENCH_DOC ? path.resolve(process.env.BENCH_DOC) : path.join(ROOT, "docs", "benchmarks.md");
}

/**
 * Puts `generated` into the section `## {heading}` of the benchmarks document, between the markers
 * `<!-- {marker}:begin -->` and `<!-- {marker}:end -->`; what the section holds outside them
 * (hand-written notes, earlier runs) stays. A section without the markers is replaced whole; a
 * missing section (or document) is added.
 */
export function writeSection(heading: string, marker: string, generated: string): string {
  const file = docFile();
  const begin = `<!-- ${marker}:begin -->`;
  const end = `<!-- ${marker}:end -->`;
  const block = `${begin}\n${generated.trim()}\n${end}`;
  const header = "# Benchmarks\n\nMeasured figures, with the command that reproduces each. Each section belongs to its area.\n";
  let doc = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : header;
  const start = doc.indexOf(`\n## ${heading}\n`);
  if (start < 0) {
    doc = `${doc.trimEnd()}\n\n## ${heading}\n\n${block}\n`;
  } else {
    const next = doc.indexOf("\n## ", start + 1);
    const stop = next < 0 ? doc.length : next;
    const section = doc.slice(start, stop);
    const b = section.indexOf(begin);
    const e = section.indexOf(end);
    const replaced = b >= 0 && e > b ? section.slice(0, b) + block + section.slice(e + end.length) : `\n## ${heading}\n\n${block}\n`;
    doc = doc.slice(0, start) + replaced + doc.slice(stop);
  }
  fs.writeFileSync(file, doc);
  return path.relative(ROOT, file);
}

/** Prose for the document: each paragraph (blank-line separated) on lines of at most `width` characters. */
export function prose(text: string, width = 100): string {
  return text
    .trim()
    .split(/\n\s*\n/)
    .map((paragraph) => {
      const lines: string[] = [];
      let line = "";
      for (const word of paragraph.split(/\s+/).filter(Boolean)) {
        if (line && line.length + 1 + word.length > width) {
          lines.push(line);
          line = word;
        } else line = line ? `${line} ${word}` : word;
      }
      if (line) lines.push(line);
      return lines.join("\n");
    })
    .join("\n\n");
}

/** Seconds as "1 min 05 s" or "42 s". */
export function duration(seconds: number): string {
  const s = Math.round(seconds);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, "0")} s`;
}
