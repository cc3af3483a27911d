// The shape shared by the CRM batch endpoints (/api/v1/customers, /api/v1/events): POST only,
// token auth, a size cap, a JSON array of at most MAX_BATCH_ITEMS items, per-item results.
import { MAX_BATCH_ITEMS, parseBatchBody } from "~/data/customers.server";
import { requireApiWorkspace } from "./auth.server";
import { apiProblem } from "./errors";

export function batchMethodNotAllowed(what: string) {
  return apiProblem(405, "method_not_allowed", `POST a JSON array of at most ${MAX_BATCH_ITEMS} ${what}.`, { headers: { Allow: "POST" } });
}

export async function handleBatch(
  request: Request,
  what: "customers" | "events",
  maxBodyBytes: number,
  write: (workspaceId: number, items: unknown[]) => Promise<unknown>,
): Promise<Response> {
  if (request.method !== "POST") return batchMethodNotAllowed(what);
  // Throws the 401 Response itself when the token is missing, unknown or revoked.
  const workspace = await requireApiWorkspace(request);
  if (Number(request.headers.get("Content-Length") ?? 0) > maxBodyBytes) {
    return apiProblem(413, "too_large", `The body is over ${maxBodyBytes / 1024 / 1024} MB; send smaller batches.`);
  }
  const body = parseBatchBody(await request.text(), what);
  if (!body.ok) return apiProblem(400, body.error, body.message);
  return Response.json(await write(workspace.id, body.items));
}
