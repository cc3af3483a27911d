// Starts the built production server (build/ from `npm run build`) on a free port against a given
// database, the way `npm start` runs it (server.js), and stops it after the tests. The database is
// a SQLite file (DATABASE_PATH), or a postgres://… URL (DATABASE_URL: the server runs on PostgreSQL).
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { isPostgresUrl } from "#db/engine";

export type RunningServer = {
  url: string;
  port: number;
  pid: number;
  stop: () => Promise<void>;
  output: () => string;
  /** Resolves when the process ends: its exit code, or the signal that ended it. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
};

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

/** Extra Node flags for the server process, e.g. SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=bench/.tmp/prof". */
const nodeArgs = () => (process.env.SERVER_NODE_ARGS ?? "").split(" ").filter(Boolean);

/** The server's environment for a database: a postgres://… URL, or a SQLite file (never both). */
export function databaseEnv(database: string): Record<string, string | undefined> {
  return isPostgresUrl(database) ? { DATABASE_URL: database } : { DATABASE_PATH: database, DATABASE_URL: undefined };
}

export async function startServer(database: string, env: Record<string, string> = {}): Promise<RunningServer> {
  const entry = path.resolve("build/server/index.js");
  if (!fs.existsSync(entry)) throw new Error("build/server/index.js is missing: run `npm run build` first (npm test does).");
  const port = await freePort();
  let log = "";
  // Tests stop servers often: a short grace for connections the test never read to the end.
  const childEnv: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "production", PORT: String(port), HOST: "127.0.0.1", SHUTDOWN_GRACE_MS: "500", ...databaseEnv(database), ...env };
  // A DATABASE_URL the test process inherits must not send a SQLite test's server to PostgreSQL.
  for (const [name, value] of Object.entries(childEnv)) if (value === undefined) delete childEnv[name];
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs(), path.resolve("server.js")], {
    env: childEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  child.stdout?.on("data", (d) => (log += String(d)));
  child.stderr?.on("data", (d) => (log += String(d)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${log}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill();
      throw new Error(`server did not start in 20 s:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    port,
    pid: child.pid!,
    output: () => log,
    exited,
    stop: () =>
      new Promise<void>((resolve) => {
        // Exited, or killed by a signal (a test's kill -9: then exitCode stays null).
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}
