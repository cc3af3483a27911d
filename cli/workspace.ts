// Resolves --workspace for CLI commands, with an error that says what to do.
import { databaseDescription } from "#db/client";
import { findWorkspaceBySlug } from "~/data/workspaces.server";

export class CliError extends Error {}

export async function requireWorkspace(slug: string | undefined) {
  if (!slug) throw new CliError("Name the workspace with --workspace SLUG.");
  const ws = await findWorkspaceBySlug(slug);
  if (!ws) throw new CliError(`No workspace "${slug}" in ${databaseDescription()}.`);
  return ws;
}
