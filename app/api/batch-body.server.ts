// The body of a CRM batch POST (/api/v1/customers, /api/v1/events): a JSON array of at most
// MAX_BATCH_ITEMS items. Each item is validated afterwards, by the endpoint that knows its shape.

export const MAX_BATCH_ITEMS = 1000;

export type BatchBody = { ok: true; items: unknown[] } | { ok: false; error: string; message: string };

/** The body of a batch POST: a JSON array of at most MAX_BATCH_ITEMS items. */
export function parseBatchBody(text: string, what: "customers" | "events"): BatchBody {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { ok: false, error: "invalid_json", message: `The body is not JSON. Send a JSON array of ${what}, e.g. [{"external_id": "C-1042"}].` };
  }
  if (!Array.isArray(body)) {
    return { ok: false, error: "not_an_array", message: `Send a JSON array of ${what} (at most ${MAX_BATCH_ITEMS} per request), not a single object.` };
  }
  if (body.length > MAX_BATCH_ITEMS) {
    return {
      ok: false,
      error: "batch_too_large",
      message: `${body.length} ${what} in one request; send at most ${MAX_BATCH_ITEMS} per request (split the batch).`,
    };
  }
  return { ok: true, items: body };
}
