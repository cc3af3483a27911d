// The items of POST /api/v1/customers: each one validated against the customer record's zod schema
// (the CSV import's), the valid ones written together by the data layer, the invalid ones reported
// by their index. Also the demo seeder's way in, so demo customers go through the API's rules.
import { emptyBatchResult, externalIdOf, isJsonObject, issueMessages, type BatchResult } from "~/cem/crm-batch";
import { customerRecordSchema } from "~/cem/crm-records";
import { customerRowOf, upsertCustomerRows, type CustomerRow } from "~/data/customers.server";

/** The items as rows to write, and the report with one entry per rejected item (counts still zero). */
function customerItems(items: readonly unknown[]): { rows: CustomerRow[]; result: BatchResult } {
  const result = emptyBatchResult();
  const rows: CustomerRow[] = [];
  items.forEach((item, index) => {
    if (!isJsonObject(item)) {
      result.errors.push({ index, errors: ["each item must be a JSON object with at least external_id"] });
      return;
    }
    const parsed = customerRecordSchema.safeParse(item);
    if (parsed.success) rows.push(customerRowOf(parsed.data));
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
  const { rows, result } = customerItems(items);
  for (const status of await upsertCustomerRows(workspaceId, rows)) result[status]++;
  return result;
}
