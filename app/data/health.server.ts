// Whether the database answers: what /healthz reports to load balancers and tests.
import { sql } from "drizzle-orm";
import { rows } from "#db/client";

/** Resolves once the database (opened and migrated on first use) answers a trivial query. */
export async function databaseAnswers(): Promise<void> {
  await rows(sql`select 1 as ok`);
}
