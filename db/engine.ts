// Which database engine the process runs on, decided once from the environment: DATABASE_URL
// starting with postgres:// or postgresql:// selects PostgreSQL (db/client-pg.ts, db/schema-pg);
// anything else, or nothing, selects SQLite at DATABASE_PATH (db/client.ts, db/schema). Read by
// db/schema/index.ts when it binds the tables and by db/client.ts when it opens the database, so
// both agree for the life of the process.
export type Engine = "sqlite" | "postgres";

/** Whether a database URL names a PostgreSQL database. */
export function isPostgresUrl(url: string | undefined): boolean {
  return url !== undefined && /^postgres(ql)?:\/\//i.test(url.trim());
}

/** The engine an environment selects. */
export function engineOf(env: NodeJS.ProcessEnv = process.env): Engine {
  return isPostgresUrl(env.DATABASE_URL) ? "postgres" : "sqlite";
}

let selected: Engine | undefined;

/** The process's engine: the environment's at first use, fixed from then on. */
export function engine(): Engine {
  selected ??= engineOf();
  return selected;
}

export function isPostgres(): boolean {
  return engine() === "postgres";
}
