// The shape shared by the CRM batch endpoints (/api/v1/customers, /api/v1/events): POST only,
// token auth, a size cap, a JSON array of at most MAX_BATCH_ITEMS items, per-item results.
import { jsonTextProblem, unsafeMember, unsafeMemberProblem } from "~/cem/bounded-json";
import { requireApiWorkspace } from "./auth.server";
import { MAX_BATCH_ITEMS, parseBatchBody } from "./batch-body.server";
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
  const tooLarge = () => apiProblem(413, "too_large", `The body is over ${maxBodyBytes / 1024 / 1024} MB; send smaller batches.`);
  if (Number(request.headers.get("Content-Length") ?? 0) > maxBodyBytes) return tooLarge();
  // The production server counts the bytes as they stream (app/web/body-limit.server.ts); this
  // check holds wherever else the route runs, and a body cut off is a 400, not a 500.
  let text: string;
  try {
    text = await request.text();
  } catch {
    return apiProblem(400, "unreadable_body", "The body could not be read (cut off?); send the batch again.");
  }
  if (Buffer.byteLength(text) > maxBodyBytes) return tooLarge();
  // Nesting is checked before parsing and keys after, so nothing below walks a hostile value.
  const tooDeep = jsonTextProblem(text);
  if (tooDeep) return apiProblem(400, tooDeep.error, tooDeep.message);
  const body = parseBatchBody(text, what);
  if (!body.ok) return apiProblem(400, body.error, body.message);
  const unsafe = unsafeMember(body.items);
  if (unsafe) {
    const problem = unsafeMemberProblem(unsafe);
    return apiProblem(400, problem.error, problem.message, { errors: [{ path: problem.path, message: problem.message }] });
  }
  return Response.json(await write(workspace.id, body.items));
}
