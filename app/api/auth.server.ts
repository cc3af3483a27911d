// Bearer-token authentication for /api/v1: the token decides the workspace, nothing in the URL does.
import { workspaceForToken, type TokenWorkspace } from "~/data/api-tokens.server";
import { limitApiToken } from "~/web/rate-limit.server";

export const UNAUTHORIZED_BODY = {
  error: "unauthorized",
  message: "Send a valid workspace API token as 'Authorization: Bearer <token>'.",
} as const;

/** The workspace of an `Authorization: Bearer <token>` header value, or null. */
export async function workspaceForAuthorization(header: string | null | undefined): Promise<TokenWorkspace | null> {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? "");
  return match ? workspaceForToken(match[1]) : null;
}

export async function requireApiWorkspace(request: Request): Promise<TokenWorkspace> {
  const workspace = await workspaceForAuthorization(request.headers.get("Authorization"));
  if (!workspace) {
    // A thrown Response (not data()): resource routes pass it through as is, JSON body and status.
    throw Response.json(UNAUTHORIZED_BODY, { status: 401, headers: { "WWW-Authenticate": "Bearer" } });
  }
  // Every /api/v1 call counts against its token's limit (app/web/rate-limit.server.ts).
  const limited = await limitApiToken(workspace.tokenId);
  if (limited) throw Response.json(limited.body, { status: limited.status, headers: limited.headers });
  return workspace;
}
