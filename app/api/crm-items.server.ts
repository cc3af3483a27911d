// The items of the CRM batch endpoints, POST /api/v1/customers and POST /api/v1/events: each one
// validated against its record's zod schema (the CSV import's), the valid ones written together by
// the data layer, the invalid ones reported by their index. Also the demo seeder's way in, so demo
// customers and events go through the API's rules.
import type { ZodType } from "zod";
import { emptyBatchResult, externalIdOf, isJsonObject, issueMessages, type BatchResult } from "~/cem/crm-batch";
import { customerRecordSchema, eventRecordSchema } from "~/cem/crm-records";
import { customerRowOf, upsertCustomerRows } from "~/data/customers.server";
import { eventRowOf, writeEventRows } from "~/data/crm-events.server";

/** The items as rows to write, and the report with one entry per rejected item (counts still zero). */
function checkedItems<R, T>(items: readonly unknown[], schema: ZodType<R>, rowOf: (record: R) => T, shape: string): { rows: T[]; result: BatchResult } {
  const result = emptyBatchResult();
  const rows: T[] = [];
  items.forEach((item, index) => {
    if (!isJsonObject(item)) {
      result.errors.push({ index, errors: [`each item must be a JSON object with ${shape}`] });
      return;
    }
    const parsed = schema.safeParse(item);
    if (parsed.success) rows.push(rowOf(parsed.data));
    else result.errors.push({ index, externalId: externalIdOf(item), errors: issueMessages(parsed.error.issues) });
  });
  result.rejected = result.errors.length;
  return { rows, result };
}

/**
 * Each valid item is upserted, each invalid one reported by its index; the valid ones commit
 * together. Sending the same batch again answers "unchanged" for every item.
 */
export async function upsertCustomerItems(workspaceId: number, items: readonly unknown[]): Promise<BatchResult> {
  const { rows, result } = checkedItems(items, customerRecordSchema, customerRowOf, "at least external_id");
  for (const status of await upsertCustomerRows(workspaceId, rows)) result[status]++;
  return result;
}

export type EventBatchResult = BatchResult & { customersCreated: number; invitations: number };

/**
 * Valid items are written together in one transaction, invalid ones reported by index. Re-sending
 * the same batch creates nothing (and so invites no one twice).
 */
export async function upsertEventItems(workspaceId: number, items: readonly unknown[], now = new Date()): Promise<EventBatchResult> {
  const { rows, result } = checkedItems(items, eventRecordSchema, eventRowOf, "customer_external_id, type and occurred_at");
  const written: EventBatchResult = { ...result, customersCreated: 0, invitations: 0 };
  for (const outcome of await writeEventRows(workspaceId, rows, now)) {
    written[outcome.status]++;
    if (outcome.customerCreated) written.customersCreated++;
    written.invitations += outcome.invitations;
  }
  return written;
}
