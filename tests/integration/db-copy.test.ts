// `cem db copy-to-postgres` (db/copy-to-postgres.ts): a SQLite installation filled the way the app
// fills it (users, a workspace, the bank journey, surveys, responses with their measurements and
// rollups, customers, purchases, an API token) copied onto a throwaway PostgreSQL cluster by the
// command line. Then: every table holds the same rows on both sides (through drizzle on each side,
// so instants, booleans and JSON compare as the app reads them), identities continue after the
// copied ids, the built server answers the same insights from the file and from PostgreSQL, a second
// copy is refused and changes nothing, --replace copies again, and a copy that fails part-way leaves
// its target empty.
// Skipped only when the machine has no PostgreSQL binaries (CI installs them: .ci/run).
import Database from "better-sqlite3";
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { getTableName, is } from "drizzle-orm";
import { drizzle as drizzleSqlite } from "drizzle-orm/better-sqlite3";
import { getTableConfig as pgTableConfig } from "drizzle-orm/pg-core";
import { SQLiteTable } from "drizzle-orm/sqlite-core";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb } from "#db/client";
import { openPgDatabase } from "#db/client-pg";
import { tableCopyOrder, tablePairs } from "#db/copy-to-postgres";
import * as sqliteSchema from "#db/schema/sqlite";
import { createApiToken } from "~/data/api-tokens.server";
import { POSTGRES_RUN, freshSqlitePath, removeDatabase } from "../support/database";
import { makeUser, makeWorkspace } from "../support/fixtures";
import { seedInsights } from "../support/insights-fixtures";
import { pgBinDir, startPgCluster, type PgCluster } from "../support/pg-cluster";
import { startServer, type RunningServer } from "../support/server";

const run = promisify(execFile);
const bin = pgBinDir();
// Not on the PostgreSQL run (tests/support/postgres-run.ts): its source is a SQLite file by nature, and it
// starts the PostgreSQL cluster it copies to itself.
const title = POSTGRES_RUN
  ? "cem db copy-to-postgres: SKIPPED on the PostgreSQL run (it copies a SQLite file; the SQLite run covers it)"
  : bin
  ? "cem db copy-to-postgres"
  : "cem db copy-to-postgres: SKIPPED, no PostgreSQL binaries (no /usr/lib/postgresql/*/bin/initdb; apt-get install postgresql, or set PG_BIN)";

const dbFile = freshSqlitePath("db-copy");
const today = new Date().toISOString().slice(0, 10);
const day = (offset: number) => new Date(Date.parse(`${today}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);

/** A value as comparable text: object keys sorted (jsonb keeps its own key order), instants as ISO. */
function canonical(value: unknown): unknown {
  if (value instanceof Date) return { $date: value.toISOString() };
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}
/**
 * Where two API answers differ: numbers by more than a relative 1e-9, anything else at all. The
 * engines sum floating-point columns differently (SQLite's sum() compensates rounding error,
 * PostgreSQL's adds in scan order), so a mean can differ in its last bits: 5 and 4.999999999999999.
 */
function differences(a: unknown, b: unknown, at = "$"): string[] {
  if (typeof a === "number" && typeof b === "number") {
    return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b)) ? [] : [`${at}: ${a} ≠ ${b}`];
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return [`${at}: ${a.length} items ≠ ${b.length}`];
    return a.flatMap((item, i) => differences(item, b[i], `${at}[${i}]`));
  }
  if (a && b && typeof a === "object" && typeof b === "object" && !Array.isArray(a) && !Array.isArray(b)) {
    const keys = Object.keys(a);
    if (JSON.stringify(keys) !== JSON.stringify(Object.keys(b))) return [`${at}: keys ${keys.join(",")} ≠ ${Object.keys(b).join(",")}`];
    return keys.flatMap((k) => differences((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${at}.${k}`));
  }
  return Object.is(a, b) ? [] : [`${at}: ${JSON.stringify(a)} ≠ ${JSON.stringify(b)}`];
}

/** A table's rows as sorted canonical text: the same set of rows, whatever order either engine returns. */
const rowSet = (rows: unknown[]) => rows.map((r) => JSON.stringify(canonical(r))).sort();

type CemResult = { code: number; stdout: string; stderr: string };

describe.skipIf(!bin || POSTGRES_RUN)(title, () => {
  let cluster: PgCluster | undefined;
  let scratch: string;
  let token: string;
  let started = 0;
  const servers: RunningServer[] = [];

  /** Runs the command line as `npm run cem -- db …` does, on no database of its own (DATABASE_PATH points at nothing). */
  async function cem(args: string[], env: Record<string, string> = {}): Promise<CemResult> {
    const childEnv: NodeJS.ProcessEnv = { ...process.env, DATABASE_PATH: path.join(scratch, "unused.db"), ...env };
    if (!env.DATABASE_URL) delete childEnv.DATABASE_URL;
    try {
      const { stdout, stderr } = await run(path.resolve("node_modules/.bin/tsx"), ["cli/cem.ts", ...args], { env: childEnv, encoding: "utf8" });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const e = error as { code?: number; stdout?: string; stderr?: string };
      if (typeof e.code !== "number") throw error;
      return { code: e.code, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
    }
  }

  /** Every copied table's rows on both sides, through drizzle on each. */
  async function contents(file: string, url: string) {
    const sqlite = new Database(file, { readonly: true });
    const target = await openPgDatabase(url);
    try {
      const source = drizzleSqlite({ client: sqlite });
      const result: { table: string; sqlite: string[]; postgres: string[] }[] = [];
      for (const pair of tablePairs()) {
        result.push({
          table: pair.name,
          sqlite: rowSet(await source.select().from(pair.sqlite)),
          postgres: rowSet(await target.select().from(pair.pg)),
        });
      }
      return result;
    } finally {
      sqlite.close();
      await target.$client.end();
    }
  }

  /** Row counts of every copied table in a PostgreSQL database. */
  async function pgCounts(url: string): Promise<Record<string, number>> {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const counts: Record<string, number> = {};
      for (const { name } of tablePairs()) counts[name] = Number((await client.query(`select count(*) as n from "${name}"`)).rows[0].n);
      return counts;
    } finally {
      await client.end();
    }
  }

  beforeAll(async () => {
    started = performance.now();
    const clusterStarting = startPgCluster();
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), "vivencia-db-copy-"));
    const alice = await makeUser("alice@copy.test");
    const bob = await makeUser("bob@copy.test");
    const ws = await makeWorkspace("banco-copia", alice.id);
    const other = await makeWorkspace("otro", bob.id);
    await seedInsights(ws.id, { seed: 11, endDay: today, days: 60, perTouchpoint: 10, customers: 24 });
    await seedInsights(other.id, { seed: 12, endDay: today, days: 30, perTouchpoint: 2, customers: 4 });
    // The token row goes over with the rest: the same token then works on both servers.
    token = await createApiToken(ws.id, "bi", alice.id);
    await closeDb();
    cluster = await clusterStarting;
  }, 120_000);

  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await cluster?.stop();
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
    removeDatabase(dbFile);
    console.log(`db-copy: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  });

  it("orders every table of the schema after the tables it references", () => {
    const sqliteTables = Object.values(sqliteSchema).filter((v) => is(v, SQLiteTable));
    const order = tableCopyOrder().map((p) => p.name);
    // Everything but lookup_generation (the target keeps its own row).
    expect(order.sort()).toEqual(sqliteTables.map((t) => getTableName(t)).filter((n) => n !== "lookup_generation").sort());
    const position = new Map(tableCopyOrder().map((p, i) => [p.name, i]));
    for (const pair of tableCopyOrder()) {
      for (const fk of pgTableConfig(pair.pg).foreignKeys) {
        const parent = getTableName(fk.reference().foreignTable);
        if (parent !== pair.name) expect(position.get(parent), `${parent} before ${pair.name}`).toBeLessThan(position.get(pair.name)!);
      }
    }
  });

  it("copies every table, prints the counts and says verified", async () => {
    const copied = await cem(["db", "copy-to-postgres", "--from", dbFile, "--to", cluster!.url]);
    expect(copied.code, copied.stderr).toBe(0);
    expect(copied.stdout).toMatch(/^verified: \d+ tables/m);
    expect(copied.stdout).toMatch(/^measurements\s+[\d,]+\s+[\d,]+$/m);
    // The command opened no database of its own.
    expect(fs.existsSync(path.join(scratch, "unused.db"))).toBe(false);

    const tables = await contents(dbFile, cluster!.url);
    const counts = Object.fromEntries(tables.map((t) => [t.table, t.sqlite.length]));
    for (const table of ["users", "workspaces", "api_tokens", "customers", "crm_events", "responses", "measurements", "rollups", "rollups_weekly", "touchpoints"]) {
      expect(counts[table], table).toBeGreaterThan(0);
    }
    for (const t of tables) expect(t.postgres, t.table).toEqual(t.sqlite);
    expect(await pgCounts(cluster!.url)).toEqual(counts);
  });

  it("moves every identity past the copied ids: new rows get new ids", async () => {
    const client = new pg.Client({ connectionString: cluster!.url });
    await client.connect();
    try {
      for (const { name, pg: table } of tablePairs()) {
        for (const column of pgTableConfig(table).columns.filter((c) => c.generatedIdentity)) {
          const [{ seq }] = (await client.query<{ seq: string }>("select pg_get_serial_sequence($1, $2) as seq", [`"${name}"`, column.name])).rows;
          const [{ max }] = (await client.query<{ max: number | null }>(`select max("${column.name}") as max from "${name}"`)).rows;
          const [{ last, called }] = (await client.query<{ last: string; called: boolean }>(`select last_value as last, is_called as called from ${seq}`)).rows;
          if (max !== null) expect({ table: name, last: Number(last), called }).toEqual({ table: name, last: max, called: true });
        }
      }
      // A row written without an id, as the app writes them (rolled back: the data stays as copied).
      await client.query("begin");
      const [{ max }] = (await client.query<{ max: number }>(`select max(id) as max from customers`)).rows;
      const { rows } = await client.query<{ id: number }>(`insert into customers (workspace_id, external_id) select min(id), 'new' from workspaces returning id`);
      expect(rows[0].id).toBe(max + 1);
      await client.query("rollback");
    } finally {
      await client.end();
    }
  });

  it("answers the same insights from the SQLite file and from PostgreSQL", async () => {
    const [onFile, onPg] = await Promise.all([startServer(dbFile), startServer(cluster!.url)]);
    servers.push(onFile, onPg);
    const window = `from=${day(-59)}&to=${today}`;
    try {
      for (const query of [`gaps?by=process&${window}`, `nps?by=touchpoint&${window}`, `trends?${window}`]) {
        const [a, b] = await Promise.all(
          [onFile, onPg].map(async (server) => {
            const res = await fetch(`${server.url}/api/v1/insights/${query}`, { headers: { Authorization: `Bearer ${token}` } });
            const headers = [...res.headers].filter(([name]) => !["date", "server-timing", "etag", "content-length"].includes(name));
            return { status: res.status, headers, text: await res.text() };
          }),
        );
        expect(a.status, `${query}: ${a.text.slice(0, 300)}`).toBe(200);
        expect({ status: b.status, headers: b.headers }, query).toEqual({ status: a.status, headers: a.headers });
        const [bodyA, bodyB] = [JSON.parse(a.text) as { rows?: unknown[]; overall?: { points: unknown[] } }, JSON.parse(b.text) as unknown];
        expect((query.startsWith("trends") ? bodyA.overall?.points : bodyA.rows)?.length, query).toBeGreaterThan(0);
        expect(differences(bodyA, bodyB), query).toEqual([]);
      }
    } finally {
      await Promise.all([onFile.stop(), onPg.stop()]);
    }
    expect(onPg.output()).not.toMatch(/error/i);
  });

  it("refuses a second copy without --replace, and changes nothing", async () => {
    const before = await contents(dbFile, cluster!.url);
    const refused = await cem(["db", "copy-to-postgres", "--from", dbFile, "--to", cluster!.url]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/already holds data/);
    expect(refused.stderr).toMatch(/--replace/);
    expect(refused.stdout).not.toMatch(/verified/);
    expect(await contents(dbFile, cluster!.url)).toEqual(before);
  });

  it("copies again with --replace, the target taken from DATABASE_URL", async () => {
    // Rollup increments the target's own servers had not folded yet would add to the copied sums.
    const target = new pg.Client({ connectionString: cluster!.url });
    await target.connect();
    const pendingRows = async () => Number((await target.query("select count(*) as n from rollup_pending")).rows[0].n);
    try {
      await target.query(
        `insert into rollup_pending (workspace_id, touchpoint_id, attribute_key, kind, day, week, tier, lang, n, sum, sum_sq, sum_p, sum_e, sum_y, sum_y_sq, sum_xy, promoters, passives, detractors, top2)
         values ('{1}', '{1}', '{""}', '{nps}', '{2026-12-07}', '{2026-12-07}', '{""}', '{es}', '{1}', '{9}', '{81}', '{0}', '{0}', '{0}', '{0}', '{0}', '{1}', '{0}', '{0}', '{1}')`,
      );
      expect(await pendingRows()).toBe(1);
      const replaced = await cem(["db", "copy-to-postgres", "--from", dbFile, "--replace"], { DATABASE_URL: cluster!.url });
      expect(replaced.code, replaced.stderr).toBe(0);
      expect(replaced.stdout).toMatch(/^verified: /m);
      expect(await pendingRows()).toBe(0);
    } finally {
      await target.end();
    }
    for (const t of await contents(dbFile, cluster!.url)) expect(t.postgres, t.table).toEqual(t.sqlite);
  });

  it("leaves the target empty when the copy fails part-way", async () => {
    // A text PostgreSQL cannot hold (a NUL character) in a table copied after most others.
    const broken = path.join(scratch, "broken.db");
    const source = new Database(dbFile, { readonly: true });
    source.exec(`VACUUM INTO '${broken.replace(/'/g, "''")}'`);
    source.close();
    const writable = new Database(broken);
    writable.prepare("update responses set comment = ? where id = (select max(id) from responses)").run("no\u0000way");
    writable.close();
    const admin = new pg.Client({ connectionString: cluster!.url });
    await admin.connect();
    await admin.query("create database broken");
    await admin.end();
    const url = cluster!.url.replace(/\/postgres$/, "/broken");

    const failed = await cem(["db", "copy-to-postgres", "--from", broken, "--to", url]);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/failed while copying responses and was rolled back/);
    const counts = await pgCounts(url);
    expect(Object.values(counts).every((n) => n === 0), JSON.stringify(counts)).toBe(true);
  });
});
