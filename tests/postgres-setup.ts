// Per-file setup of the PostgreSQL run (tests/support/postgres-run.ts): before the test file loads,
// a fresh database of its own on the run's cluster, copied from the migrated template, named in
// DATABASE_URL (db/engine.ts: the data layer and db/schema/index.ts bind to PostgreSQL when they
// load) and in the variable freshDatabasePath() reads. Test files run side by side on the one
// cluster without seeing each other's rows.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, inject } from "vitest";
import { TEMPLATE_DATABASE, TEST_DATABASE_URL, databaseUrl } from "./support/postgres-run";

const adminUrl = inject("pgAdminUrl");
// Unquoted lower-case identifiers: the name needs no quoting in SQL or in a URL.
const name = `t_${process.pid}_${randomBytes(4).toString("hex")}`;
const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
try {
  await admin.query(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DATABASE}`);
} finally {
  await admin.end();
}
const url = databaseUrl(adminUrl, name);
process.env[TEST_DATABASE_URL] = url;
process.env.DATABASE_URL = url;
delete process.env.DATABASE_PATH;

// After the test file's own afterAll hooks (they run in reverse order of registration): the test
// process's pool, if it opened one, is closed so no connection outlives the file. The database
// itself goes with the cluster at the end of the run.
afterAll(async () => {
  const { closeDb } = await import("#db/client");
  await closeDb();
});
