// The PostgreSQL client (second engine beside db/client.ts's SQLite): a drizzle node-postgres
// database over a pg.Pool, with the PostgreSQL schema (db/schema-pg), migrated before it is used.
//
//   const db = await openPgDatabase(process.env.DATABASE_URL!);   // migrated when it resolves
//   const db = pgDatabase(process.env.DATABASE_URL!);              // at once; migrates before its first query
//   …
//   await db.$client.end(); // closes the pool
//
// The app opens it through getDb() (db/client.ts) when DATABASE_URL selects PostgreSQL (db/engine.ts).
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

/** Applies db/migrations-pg (those not applied yet) on one connection. */
async function migrateOn(client: pg.PoolClient, migrationsFolder: string): Promise<void> {
  await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY.toString()]);
  try {
    await migrate(drizzle({ client, schema }), { migrationsFolder });
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY.toString()]);
  }
}

/** Applies db/migrations-pg (those not applied yet) through one connection of the pool. */
export async function migratePg(pool: pg.Pool, migrationsFolder: string = pgMigrationsFolder()): Promise<void> {
  const client = await pool.connect();
  try {
    await migrateOn(client, migrationsFolder);
  } finally {
    client.release();
  }
}

type ConnectCallback = (err: Error | undefined, client: pg.PoolClient | undefined, done: (release?: unknown) => void) => void;

/**
 * A pool that migrates the database before it hands out its first connection: every query, and
 * every transaction drizzle opens, waits for the migration (once per pool; a failed migration is
 * tried again by the next use). Lets the database be opened synchronously and be up to date by the
 * time anything reads it. pg.Pool's own query() takes its connection through connect() too.
 */
class MigratingPool extends pg.Pool {
  private migrated: Promise<void> | null = null;

  constructor(
    config: pg.PoolConfig,
    private readonly migrationsFolder: string,
  ) {
    super(config);
  }

  /** Resolves once the database is migrated. */
  ready(): Promise<void> {
    this.migrated ??= (async () => {
      const client = await super.connect();
      try {
        await migrateOn(client, this.migrationsFolder);
      } finally {
        client.release();
      }
    })().catch((error: unknown) => {
      this.migrated = null;
      throw error;
    });
    return this.migrated;
  }

  override connect(): Promise<pg.PoolClient>;
  override connect(callback: ConnectCallback): void;
  override connect(callback?: ConnectCallback): Promise<pg.PoolClient> | void {
    const connected = this.ready().then(() => super.connect());
    if (!callback) return connected;
    connected.then(
      (client) => callback(undefined, client, (release?: unknown) => client.release(release as Error | boolean | undefined)),
      (error: Error) => callback(error, undefined, () => undefined),
    );
  }
}

/**
 * The drizzle database over a new pool on `url`, at once: the pool migrates the database before its
 * first connection is used (MigratingPool), so the first query waits for the migration.
 */
export function pgDatabase(url: string, options: { migrationsFolder?: string } = {}): PgDb {
  const pool = new MigratingPool({ connectionString: url, max: poolSize() }, options.migrationsFolder ?? pgMigrationsFolder());
  // An idle connection the server drops (restart, admin kill) is reported here; without a listener
  // the 'error' event would end the process. The pool replaces the connection on next use.
  pool.on("error", (error) => {
    console.warn(`postgres: an idle pool connection failed: ${error.message}`);
  });
  // A connection that fails while checked out (PostgreSQL restarting, a failover, an administrator
  // ending sessions) emits 'error' on its client too, and no listener would mean the end of the
  // process. The statement running on it fails (and is answered as a failure); the pool drops the
  // client when it is released. Nothing more to do here.
  pool.on("connect", (client) => {
    client.on("error", () => undefined);
  });
  return drizzle({ client: pool, schema });
}

/** Opens a pool on `url`, migrates the database and returns the drizzle database over the pool. */
export async function openPgDatabase(url: string, options: { migrationsFolder?: string } = {}): Promise<PgDb> {
  const db = pgDatabase(url, options);
  try {
    await (db.$client as MigratingPool).ready();
  } catch (error) {
    await db.$client.end();
    throw error;
  }
  return db;
}
