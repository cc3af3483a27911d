// The PostgreSQL engine's migrations (db/migrations-pg) on a throwaway PostgreSQL cluster: they apply
// through openPgDatabase, every table of db/schema-pg exists afterwards, rows go in and come back
// through drizzle with the SQLite engine's JavaScript types, the singleton rows and the lookup
// generation's triggers are there, and opening the database again applies nothing twice.
// Skipped only when the machine has no PostgreSQL binaries (CI installs them: .ci/run).
import fs from "node:fs";
import path from "node:path";
import { eq, getTableColumns, getTableName, is, sql } from "drizzle-orm";
import { PgTable } from "drizzle-orm/pg-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_POOL_SIZE, openPgDatabase, type PgDb } from "#db/client-pg";
import * as pgSchema from "#db/schema-pg/index";
import { lookupGeneration, users, webhookEndpoints, workspaces } from "#db/schema-pg/index";
import { PG_ONLY_TABLES, rollupsRead, rollupsWeeklyRead } from "#db/schema-pg/rollup-reads";
import { pgBinDir, startPgCluster, type PgCluster } from "../support/pg-cluster";
import { POSTGRES_RUN } from "../support/postgres-run";

const bin = pgBinDir();
// Not on the PostgreSQL run (tests/support/postgres-run.ts): it starts a cluster of its own whatever the
// run, so the SQLite run already covers it; a second pass would test the same thing.
const title = POSTGRES_RUN
  ? "PostgreSQL migrations: SKIPPED on the PostgreSQL run (it runs on a cluster of its own in the SQLite run)"
  : bin
  ? "PostgreSQL migrations"
  : "PostgreSQL migrations: SKIPPED, no PostgreSQL binaries (no /usr/lib/postgresql/*/bin/initdb; apt-get install postgresql, or set PG_BIN)";

// The schema's tables, and those PostgreSQL alone has (written by hand: rollup_pending, ADR 033).
const tableNames = [
  ...(Object.values(pgSchema) as unknown[]).filter((v): v is PgTable => is(v, PgTable)).map((t) => getTableName(t)),
  ...PG_ONLY_TABLES,
].sort();

describe.skipIf(!bin || POSTGRES_RUN)(title, () => {
  let cluster: PgCluster | undefined;
  let db: PgDb;

  beforeAll(async () => {
    cluster = await startPgCluster();
    db = await openPgDatabase(cluster.url);
  });

  afterAll(async () => {
    await db?.$client.end();
    await cluster?.stop();
  });

  it("creates every table of the schema", async () => {
    const { rows } = await db.$client.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
    );
    expect(tableNames.length).toBeGreaterThan(30);
    expect(rows.map((r) => r.table_name).sort()).toEqual(tableNames);
  });

  it("creates the views readers take the rollups from", async () => {
    const { rows } = await db.$client.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.views WHERE table_schema = 'public' ORDER BY table_name`,
    );
    expect(rows.map((r) => r.table_name)).toEqual(expect.arrayContaining([getTableName(rollupsRead), getTableName(rollupsWeeklyRead)]));
    // Each declares the columns its table has, so drizzle reads either the same way.
    for (const view of [rollupsRead, rollupsWeeklyRead]) {
      const columns = await db.$client.query<{ column_name: string }>(`SELECT column_name FROM information_schema.columns WHERE table_name = $1`, [getTableName(view)]);
      expect(columns.rows.map((c) => c.column_name).sort()).toEqual(Object.values(getTableColumns(view)).map((c) => c.name).sort());
    }
  });

  it("records every migration, and opening again applies nothing twice", async () => {
    const journal = JSON.parse(fs.readFileSync(path.resolve("db/migrations-pg/meta/_journal.json"), "utf8")) as { entries: unknown[] };
    const applied = async () => (await db.$client.query(`SELECT hash FROM drizzle.__drizzle_migrations`)).rowCount;
    expect(await applied()).toBe(journal.entries.length);
    const again = await openPgDatabase(cluster!.url);
    await again.$client.end();
    expect(await applied()).toBe(journal.entries.length);
  });

  it("sizes the pool from DATABASE_POOL_SIZE (default 10)", () => {
    expect(db.$client.options.max).toBe(process.env.DATABASE_POOL_SIZE ? Number(process.env.DATABASE_POOL_SIZE) : DEFAULT_POOL_SIZE);
  });

  it("stores and reads back a user and a workspace through drizzle", async () => {
    const before = Date.now();
    const [user] = await db.insert(users).values({ email: "ada@example.test", name: "Ada", passwordHash: "scrypt$x" }).returning();
    const [workspace] = await db.insert(workspaces).values({ slug: "acme", name: "Acme" }).returning();
    expect(user.id).toBeGreaterThan(0);
    expect(workspace.id).toBeGreaterThan(0);

    const [readUser] = await db.select().from(users).where(eq(users.id, user.id));
    expect(readUser).toEqual({ id: user.id, email: "ada@example.test", name: "Ada", passwordHash: "scrypt$x", timeZone: null, lang: null, createdAt: user.createdAt });
    expect(readUser.createdAt).toBeInstanceOf(Date);
    expect(Math.abs(readUser.createdAt.getTime() - before)).toBeLessThan(60_000);

    const [readWorkspace] = await db.select().from(workspaces).where(eq(workspaces.slug, "acme"));
    expect(readWorkspace).toMatchObject({ id: workspace.id, name: "Acme", minN: 10 });

    // jsonb and boolean columns come back as the SQLite engine's json and boolean modes do.
    const [endpoint] = await db
      .insert(webhookEndpoints)
      .values({ workspaceId: workspace.id, url: "https://hooks.example.test/a", secret: "whsec_x", events: ["case.opened"] })
      .returning();
    const [readEndpoint] = await db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, endpoint.id));
    expect(readEndpoint).toMatchObject({ events: ["case.opened"], active: true, description: "" });

    // Instants keep their milliseconds.
    const at = new Date("2031-02-03T04:05:06.789Z");
    await db.update(users).set({ createdAt: at }).where(eq(users.id, user.id));
    const [moved] = await db.select({ createdAt: users.createdAt }).from(users).where(eq(users.id, user.id));
    expect(moved.createdAt.toISOString()).toBe(at.toISOString());
  });

  it("moves the lookup generation on watched tables only", async () => {
    const generation = async () => (await db.select().from(lookupGeneration))[0].generation;
    const start = await generation();
    await db.update(workspaces).set({ name: "Acme Inc" }).where(eq(workspaces.slug, "acme"));
    expect(await generation()).toBe(start + 1);
    await db.update(users).set({ name: "Ada L." }).where(eq(users.email, "ada@example.test"));
    expect(await generation()).toBe(start + 1);
    // CHECK (id = 1): still one row.
    await expect(db.execute(sql`INSERT INTO lookup_generation (id, generation) VALUES (2, 0)`)).rejects.toThrow();
  });
});
