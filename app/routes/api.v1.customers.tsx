// POST /api/v1/customers: upsert up to 1,000 customers by external id, with per-item errors.
// Body: a JSON array of objects with the CSV's field names (external_id, name, email, phone, notes,
// created_at, language). A field left out (or null) keeps what is stored. Idempotent.
import type { ActionFunctionArgs } from "@remix-run/node";
import { batchMethodNotAllowed, handleBatch } from "~/api/batch.server";
import { upsertCustomerItems } from "~/api/crm-items.server";

// A thousand customers with long notes stay well under this; anything larger is not a batch.
const MAX_BODY_BYTES = 4 * 1024 * 1024;

export async function loader() {
  return batchMethodNotAllowed("customers");
}

export function action({ request }: ActionFunctionArgs) {
  return handleBatch(request, "customers", MAX_BODY_BYTES, upsertCustomerItems);
}
