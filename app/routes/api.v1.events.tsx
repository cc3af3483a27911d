// POST /api/v1/events: record up to 1,000 behaviour events, deduplicated by external id (or content
// hash), with per-item errors. Body: a JSON array of objects with the CSV's field names (external_id,
// customer_external_id, type, occurred_at, amount, currency, channel, touchpoint_key). A new event whose
// type a deployment rule listens to creates a survey invitation. Idempotent: re-sending changes nothing.
import type { ActionFunctionArgs } from "@remix-run/node";
import { batchMethodNotAllowed, handleBatch } from "~/api/batch.server";
import { upsertEventItems } from "~/api/crm-items.server";

const MAX_BODY_BYTES = 2 * 1024 * 1024;

export async function loader() {
  return batchMethodNotAllowed("events");
}

export function action({ request }: ActionFunctionArgs) {
  return handleBatch(request, "events", MAX_BODY_BYTES, (workspaceId, items) => upsertEventItems(workspaceId, items));
}
