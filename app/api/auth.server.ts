// Bearer-token authentication for /api/v1: the token decides the workspace, nothing in the URL does.
import { workspaceForToken, type TokenWorkspace } from "~/data/api-tokens.server";

export function requireApiWorkspace(request: Request): TokenWorkspace {
  const header = request.headers.get("Authorization") ?? "";
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  const workspace = match ? workspaceForToken(match[1]) : null;
  if (!workspace) {
    // A thrown Response (not data()): resource routes pass it through as is, JSON body and status.
    throw Response.json(
      { error: "unauthorized", message: "Send a valid workspace API token as 'Authorization: Bearer <token>'." },
      { status: 401, headers: { "WWW-Authenticate": "Bearer" } },
    );
  }
  return workspace;
}
