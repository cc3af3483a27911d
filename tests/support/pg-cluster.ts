// Throwaway PostgreSQL clusters for tests, through scripts/pg-cluster.sh (which documents the fast,
// not crash-safe settings). Each call makes its own cluster: initdb, a free localhost port, a temp
// folder; stop() shuts it down and removes the folder (and so does the end of the process, should a
// test forget).
import { execFile, execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);
const SCRIPT = fileURLToPath(new URL("../../scripts/pg-cluster.sh", import.meta.url));

export type PgCluster = {
  /** postgres://postgres@127.0.0.1:<port>/postgres (trust authentication: no password). */
  url: string;
  /** The temp folder (data directory, logs, socket). */
  dir: string;
  /** Stops the server and removes the folder; calling it again does nothing. */
  stop: () => Promise<void>;
};

/** The folder of the PostgreSQL binaries the script would use, or null when there are none. */
export function pgBinDir(): string | null {
  try {
    return execFileSync("bash", [SCRIPT, "bindir"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim() || null;
  } catch {
    return null;
  }
}

const running = new Set<string>();
let exitHookInstalled = false;

function stopSync(dir: string): void {
  try {
    execFileSync("bash", [SCRIPT, "stop", dir], { stdio: "ignore" });
  } catch {
    // Nothing more to do while the process exits.
  }
}

/** maxConnections: the server's max_connections (default 50). */
export async function startPgCluster(options: { maxConnections?: number } = {}): Promise<PgCluster> {
  const env = { ...process.env, ...(options.maxConnections ? { PG_MAX_CONNECTIONS: String(options.maxConnections) } : {}) };
  const { stdout } = await run("bash", [SCRIPT, "start"], { encoding: "utf8", env });
  const url = /^export DATABASE_URL='([^']+)'$/m.exec(stdout)?.[1];
  const dir = /^export PG_CLUSTER_DIR='([^']+)'$/m.exec(stdout)?.[1];
  if (!url || !dir) throw new Error(`pg-cluster.sh start printed no DATABASE_URL / PG_CLUSTER_DIR:\n${stdout}`);
  running.add(dir);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once("exit", () => running.forEach(stopSync));
  }
  let stopped: Promise<void> | null = null;
  const stop = () =>
    (stopped ??= (async () => {
      running.delete(dir);
      await run("bash", [SCRIPT, "stop", dir]);
    })());
  return { url, dir, stop };
}
