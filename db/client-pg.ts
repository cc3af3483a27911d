// The PostgreSQL client (second engine beside db/client.ts's SQLite): a drizzle node-postgres
// database over a pg.Pool, with the PostgreSQL schema (db/schema-pg), migrated before it is handed out.
//
//   const db = await openPgDatabase(process.env.DATABASE_URL!);
//   …
//   await db.$client.end(); // closes the pool
//
// Pool size: DATABASE_POOL_SIZE (default 10). Migrations: db/migrations-pg (PG_MIGRATIONS_PATH to
// override), applied under an advisory lock so that processes starting together migrate one at a time.
import { drizzle, type NodePgDatabase } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import path from "node:path";
import pg from "pg";
import * as schema from "./schema-pg/index";

export type PgDb = NodePgDatabase<typeof schema> & { $client: pg.Pool };

export const DEFAULT_POOL_SIZE = 10;

/** Key of the session advisory lock held while migrating (any constant; this is "vivencia" in ASCII). */
const MIGRATION_LOCK_KEY = 0x76697665_6e636961n;

export function pgMigrationsFolder(): string {
  return process.env.PG_MIGRATIONS_PATH ?? path.resolve("db", "migrations-pg");
}

/** DATABASE_POOL_SIZE as a positive integer, DEFAULT_POOL_SIZE when unset; anything else is refused. */
export function poolSize(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.DATABASE_POOL_SIZE?.trim();
  if (raw === undefined || raw === "") return DEFAULT_POOL_SIZE;
  const size = Number(raw);
  if (!Number.isInteger(size) || size < 1) {
    throw new Error(`DATABASE_POOL_SIZE must be a positive integer, not ${JSON.stringify(env.DATABASE_POOL_SIZE)}`);
  }
  return size;
}

/** Applies db/migrations-pg (those not applied yet) through one connection of the pool. */
export async function migratePg(pool: pg.Pool, migrationsFolder: string = pgMigrationsFolder()): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY.toString()]);
    try {
      await migrate(drizzle({ client, schema }), { migrationsFolder });
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY.toString()]);
    }
  } finally {
    client.release();
  }
}

/** Opens a pool on `url`, migrates the database and returns the drizzle database over the pool. */
export async function openPgDatabase(url: string, options: { migrationsFolder?: string } = {}): Promise<PgDb> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize() });
  // An idle connection the server drops (restart, admin kill) is reported here; without a listener
  // the 'error' event would end the process. The pool replaces the connection on next use.
  pool.on("error", (error) => {
    console.warn(`postgres: an idle pool connection failed: ${error.message}`);
  });
  try {
    await migratePg(pool, options.migrationsFolder);
  } catch (error) {
    await pool.end();
    throw error;
  }
  return drizzle({ client: pool, schema });
}
