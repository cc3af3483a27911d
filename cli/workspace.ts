// Resolves --workspace for CLI commands, with an error that says what to do.
import { eq } from "drizzle-orm";
import { getDb } from "#db/client";
import { workspaces } from "#db/schema/index";

export class CliError extends Error {}

export function requireWorkspace(slug: string | undefined) {
  if (!slug) throw new CliError("Name the workspace with --workspace SLUG.");
  const ws = getDb().select().from(workspaces).where(eq(workspaces.slug, slug)).get();
  if (!ws) throw new CliError(`No workspace "${slug}" in ${process.env.DATABASE_PATH ?? "data/vivencia.db"}.`);
  return ws;
}
