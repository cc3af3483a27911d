// The shape shared by the CRM batch endpoints (/api/v1/customers, /api/v1/events): POST only,
// token auth, a size cap, a JSON array of at most MAX_BATCH_ITEMS items, per-item results.
import { MAX_BATCH_ITEMS, parseBatchBody } from "~/data/customers.server";
import { requireApiWorkspace } from "./auth.server";

const json = (body: unknown, status = 200, headers?: HeadersInit) => Response.json(body, { status, headers });

export function batchMethodNotAllowed(what: string) {
  return json({ error: "method_not_allowed", message: `POST a JSON array of at most ${MAX_BATCH_ITEMS} ${what}.` }, 405, { Allow: "POST" });
}

export async function handleBatch(
  request: Request,
  what: "customers" | "events",
  maxBodyBytes: number,
  write: (workspaceId: number, items: unknown[]) => unknown,
): Promise<Response> {
  if (request.method !== "POST") return batchMethodNotAllowed(what);
  // Throws the 401 Response itself when the token is missing, unknown or revoked.
  const workspace = requireApiWorkspace(request);
  if (Number(request.headers.get("Content-Length") ?? 0) > maxBodyBytes) {
    return json({ error: "too_large", message: `The body is over ${maxBodyBytes / 1024 / 1024} MB; send smaller batches.` }, 413);
  }
  const body = parseBatchBody(await request.text(), what);
  if (!body.ok) return json({ error: body.error, message: body.message }, 400);
  return json(write(workspace.id, body.items));
}
