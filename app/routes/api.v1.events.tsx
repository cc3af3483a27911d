// POST /api/v1/events: record up to 1,000 behaviour events, deduplicated by external id (or content
// hash), with per-item errors. Body: a JSON array of objects with the CSV's field names (external_id,
// customer_external_id, type, occurred_at, amount, currency, channel, touchpoint_key). A new event whose
// type a deployment rule listens to creates a survey invitation. Idempotent: re-sending changes nothing.
import type { ActionFunctionArgs } from "@remix-run/node";
import { requireApiWorkspace } from "~/api/auth.server";
import { upsertEventItems } from "~/data/crm-events.server";
import { MAX_BATCH_ITEMS, parseBatchBody } from "~/data/customers.server";

const MAX_BODY_BYTES = 2 * 1024 * 1024;

// Plain Responses, so the client gets exactly this status and body (a data() thrown from a resource
// route reaches it as "Unexpected Server Error", which is why the 401 is caught below).
const json = (body: unknown, status = 200, headers?: HeadersInit) => Response.json(body, { status, headers });

const methodNotAllowed = () =>
  json({ error: "method_not_allowed", message: `POST a JSON array of at most ${MAX_BATCH_ITEMS} events.` }, 405, { Allow: "POST" });

export async function loader() {
  return methodNotAllowed();
}

/** The token's workspace, or the 401 answer requireApiWorkspace throws, as a Response. */
function authenticate(request: Request): { id: number } | Response {
  try {
    return requireApiWorkspace(request);
  } catch (error) {
    const thrown = error as { type?: string; data?: unknown; init?: ResponseInit | null };
    if (thrown?.type === "DataWithResponseInit") return Response.json(thrown.data, thrown.init ?? undefined);
    throw error;
  }
}

export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") return methodNotAllowed();
  const workspace = authenticate(request);
  if (workspace instanceof Response) return workspace;
  if (Number(request.headers.get("Content-Length") ?? 0) > MAX_BODY_BYTES) {
    return json({ error: "too_large", message: `The body is over ${MAX_BODY_BYTES / 1024 / 1024} MB; send smaller batches.` }, 413);
  }
  const body = parseBatchBody(await request.text(), "events");
  if (!body.ok) return json({ error: body.error, message: body.message }, 400);
  return json(upsertEventItems(workspace.id, body.items));
}
