// Global setup of the PostgreSQL run (tests/support/postgres-run.ts): starts one throwaway cluster
// for the whole run, migrates a template database once (each test file's database is a copy of it,
// which is quicker than migrating every one), and gives the workers the cluster's address. The
// cluster, and every database in it, is removed when the run ends.
import os from "node:os";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { openPgDatabase } from "#db/client-pg";
import { pgBinDir, startPgCluster } from "./support/pg-cluster";
import { TEMPLATE_DATABASE, databaseUrl } from "./support/postgres-run";

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // Asked for explicitly: without the binaries this run cannot mean anything, so it fails and says why.
  if (!pgBinDir()) {
    throw new Error(
      "The PostgreSQL run needs PostgreSQL's binaries: no /usr/lib/postgresql/*/bin/initdb (apt-get install postgresql, or set PG_BIN).",
    );
  }
  const started = performance.now();
  // Each test file may hold a pool of the test process and the pools of one or two servers (10
  // connections each by default, as in production) at once, on every worker in parallel.
  const cluster = await startPgCluster({ maxConnections: 50 + 40 * os.availableParallelism() });
  try {
    const admin = new pg.Client({ connectionString: cluster.url });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE ${TEMPLATE_DATABASE}`);
    } finally {
      await admin.end();
    }
    // Migrated as the app migrates, then closed: a template must have no open connections when copied.
    const template = await openPgDatabase(databaseUrl(cluster.url, TEMPLATE_DATABASE));
    await template.$client.end();
  } catch (error) {
    await cluster.stop();
    throw error;
  }
  project.provide("pgAdminUrl", cluster.url);
  console.log(`PostgreSQL run: cluster and template ready in ${((performance.now() - started) / 1000).toFixed(1)} s (${cluster.dir})`);
  return () => cluster.stop();
}
