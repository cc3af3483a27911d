// Fast routes: API endpoints the production server (server.js) answers itself, without building a
// Fetch Request and running Remix's request pipeline (about a millisecond of the single server
// process per request, which capped ingestion; docs/decisions/011-production-server.md). Each has a
// Remix route wrapping the same handler, so `npm run dev` and any other adapter answer alike.
//
// The server finds them on the server build's entry module (app/entry.server.tsx re-exports
// `fastRoutes`), so they share the build's single database connection and group commit.
import { problemBody } from "~/api/errors";
import { MAX_RESPONSE_BODY_BYTES, postResponse, tooLarge, type ApiReply, type ApiRequest } from "~/api/responses.server";

export type FastRoute = {
  method: "POST";
  path: string;
  /** Largest body accepted; the server answers `tooLarge` beyond it without reading the rest. */
  maxBodyBytes: number;
  tooLarge: () => ApiReply;
  handle: (request: ApiRequest) => Promise<ApiReply>;
};

const benchEnabled = () => process.env.VIVENCIA_BENCH === "1";
export const notFound = (): ApiReply => ({ status: 404, body: problemBody("not_found", "Not found.") });

/**
 * The HTTP ceiling for `npm run bench:ingest`: the same server path and the same request body as
 * POST /api/v1/responses, and nothing done with it. 404 unless the process has VIVENCIA_BENCH=1.
 */
export async function benchNoop(request: ApiRequest): Promise<ApiReply> {
  if (!benchEnabled()) return notFound();
  // Read the body as the real endpoint does, so the ceiling includes receiving it.
  await request.text();
  return { status: 201, body: { id: 0 } };
}

export const fastRoutes: FastRoute[] = [
  { method: "POST", path: "/api/v1/responses", maxBodyBytes: MAX_RESPONSE_BODY_BYTES, tooLarge, handle: postResponse },
  { method: "POST", path: "/api/v1/bench-noop", maxBodyBytes: MAX_RESPONSE_BODY_BYTES, tooLarge, handle: benchNoop },
];

/** A Fetch Request (Remix) as an ApiRequest; the client's address from the load context (app/web/context.ts). */
export function fromRequest(request: Request, address = ""): ApiRequest {
  return { method: request.method, address, header: (name) => request.headers.get(name), text: () => request.text() };
}

/** An ApiReply as a Fetch Response (Remix). */
export function toResponse(reply: ApiReply): Response {
  return Response.json(reply.body, { status: reply.status, headers: reply.headers });
}
