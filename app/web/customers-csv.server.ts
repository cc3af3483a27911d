// The customers CSV export: the header, each customer as a line, streamed a chunk of rows at a time as
// the data layer reads them (app/data/customers.server.ts), so a large workspace never sits in memory.
import { customerExportChunks, type CustomerExportRow, type CustomerFilter } from "~/data/customers.server";
import { mailStatusOf } from "~/data/invitation-events.server";

/** The export's columns; the identity columns carry the import's header names, so an export re-imports. */
export const CUSTOMER_EXPORT_HEADER = [
  "external_id",
  "name",
  "email",
  "phone",
  "language",
  "created_at",
  "tier",
  "tier_score",
  "rfm_r",
  "rfm_f",
  "rfm_m",
  "rfm_segment",
  "frequency",
  "monetary",
  "last_purchase_at",
  // Invitation e-mail: when they unsubscribed (one-click or the page), and whether their address bounced.
  "email_unsubscribed_at",
  "email_bounced",
] as const;

/**
 * RFC 4180 quoting. Free text a spreadsheet would run as a formula (OWASP "CSV injection") gets a
 * leading apostrophe; only names and e-mails are free text here (a phone's "+" is not a formula).
 * (The insights writer defuses every text cell; here a phone must stay as typed.)
 */
function csvCell(value: string | number | null | undefined, freeText = false): string {
  if (value === null || value === undefined) return "";
  let text = String(value);
  if (freeText && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

const iso = (d: Date | null) => (d ? d.toISOString() : "");

/** One customer as a CSV line, in CUSTOMER_EXPORT_HEADER's order. */
function customerCsvLine(r: CustomerExportRow, mail: { unsubscribedAt: Date | null; bounced: boolean } | undefined): string {
  return (
    [
      csvCell(r.externalId, true),
      csvCell(r.name, true),
      csvCell(r.email, true),
      csvCell(r.phone),
      csvCell(r.language),
      iso(r.customerSince),
      csvCell(r.tier),
      csvCell(r.tierScore === null ? null : Math.round(r.tierScore * 1e4) / 1e4),
      csvCell(r.rfmR),
      csvCell(r.rfmF),
      csvCell(r.rfmM),
      csvCell(r.rfmSegment),
      csvCell(r.frequency),
      csvCell(r.monetary === null ? null : Math.round(r.monetary * 100) / 100),
      iso(r.lastPurchaseAt),
      iso(mail?.unsubscribedAt ?? null),
      mail?.bounced ? "yes" : "",
    ].join(",") + "\r\n"
  );
}

/**
 * Every customer matching the filter as CSV (with a BOM, so spreadsheets read UTF-8), one chunk of
 * rows per pull: the stream reads the next chunk only when the client has taken the last one.
 */
export function customersCsvStream(workspaceId: number, filter: CustomerFilter): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const chunks = customerExportChunks(workspaceId, filter);
  let headerSent = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!headerSent) {
        headerSent = true;
        controller.enqueue(encoder.encode("\uFEFF" + CUSTOMER_EXPORT_HEADER.join(",") + "\r\n"));
        return;
      }
      const next = await chunks.next();
      if (next.done) {
        controller.close();
        return;
      }
      let text = "";
      const mail = await mailStatusOf(workspaceId, next.value);
      for (const r of next.value) text += customerCsvLine(r, mail.get(r.id));
      controller.enqueue(encoder.encode(text));
    },
  });
}
