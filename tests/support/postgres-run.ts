// The PostgreSQL run of the integration suite: `npm run test:pg`, which is `vitest run` with
// VIVENCIA_TEST_ENGINE=postgres. vite.config.ts then runs only tests/integration, with
// tests/postgres-global-setup.ts (one throwaway cluster for the whole run, a template database
// migrated once) and tests/postgres-setup.ts (a database of its own for each test file, from that
// template, named in DATABASE_URL before the test file loads). freshDatabasePath()
// (tests/support/database.ts) then hands out that database's URL instead of a SQLite file, so the
// same tests drive the built server and the data layer on PostgreSQL.

/** Whether this is the PostgreSQL run (tests that are about SQLite itself skip themselves in it). */
export const POSTGRES_RUN = process.env.VIVENCIA_TEST_ENGINE === "postgres";

/** The database every test file's database is copied from: migrated once, by the global setup. */
export const TEMPLATE_DATABASE = "vivencia_template";

/** The environment variable that carries the test file's database URL from the setup to freshDatabasePath(). */
export const TEST_DATABASE_URL = "VIVENCIA_TEST_DATABASE_URL";

/** A URL on the same server as `url`, naming another database. */
export function databaseUrl(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

declare module "vitest" {
  export interface ProvidedContext {
    /** The run's cluster as its superuser, postgres://postgres@127.0.0.1:<port>/postgres (PostgreSQL run only). */
    pgAdminUrl: string;
  }
}
