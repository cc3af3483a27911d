// The columns of a CRM file (customers or behaviour events) as the README and the import's mapping
// step document them, with the header spellings recognised for each, and the resolution of a file's
// headers to fields: an explicit mapping first, then names and aliases compared after normaliseName.
import { KNOWN_EVENT_TYPES, normaliseName, type CrmKind, type CustomerField, type EventField, type FieldOf } from "./crm-records";

export type ColumnDoc<F extends string> = {
  field: F;
  required: boolean;
  description: string;
  example: string;
  /** Other header spellings recognised (compared accent-, case- and space-insensitively). */
  aliases: readonly string[];
};

/** The customer file's columns, in the order the README and the mapping step show them. */
export const CUSTOMER_COLUMNS: readonly ColumnDoc<CustomerField>[] = [
  { field: "external_id", required: true, description: "The customer's id in your CRM", example: "C-1042",
    aliases: ["id", "customer", "customer id", "customer_external_id", "cliente", "id cliente", "codigo cliente", "codigo"] },
  { field: "name", required: false, description: "Full name", example: "Ana Pérez",
    aliases: ["full name", "customer name", "nombre", "nombre completo", "razon social"] },
  { field: "email", required: false, description: "E-mail address (used for survey invitations)", example: "ana@example.com",
    aliases: ["e-mail", "mail", "email address", "correo", "correo electronico"] },
  { field: "phone", required: false, description: "Phone number, international format preferred", example: "+57 300 123 4567",
    aliases: ["telephone", "mobile", "phone number", "telefono", "tel", "movil", "celular"] },
  { field: "segment", required: false, description: "Your own segment label, kept as text", example: "retail",
    aliases: ["segmento", "grupo"] },
  { field: "notes", required: false, description: "Free text", example: "prefers phone contact",
    aliases: ["note", "comments", "notas", "observaciones", "comentarios"] },
  { field: "created_at", required: false, description: "Customer since: ISO 8601 date or date-time", example: "2019-05-14",
    aliases: ["customer since", "created", "signup date", "cliente desde", "fecha alta", "alta", "fecha de alta"] },
  { field: "language", required: false, description: "Survey language: es or en (es-CO and the like are read as es)", example: "es",
    aliases: ["lang", "locale", "idioma", "lengua"] },
];

/** The event file's columns, in the order the README and the mapping step show them. */
export const EVENT_COLUMNS: readonly ColumnDoc<EventField>[] = [
  { field: "external_id", required: false, description: "The event's id in your CRM; without it, duplicates are found by content", example: "ORD-88123",
    aliases: ["id", "event id", "id evento", "order id", "pedido"] },
  { field: "customer_external_id", required: true, description: "The customer's id, as in the customer file", example: "C-1042",
    aliases: ["customer", "customer id", "cliente", "id cliente", "codigo cliente"] },
  { field: "type", required: true,
    description: `Event type: ${KNOWN_EVENT_TYPES.join(", ")}, or any other lower-case word (compra, visita, pago, entrega, cancelación are read as their English names)`,
    example: "purchase", aliases: ["event type", "event", "tipo", "tipo evento", "tipo de evento", "evento"] },
  { field: "occurred_at", required: true, description: "When it happened: ISO 8601 date or date-time; no offset means UTC", example: "2024-03-01T14:30:00-05:00",
    aliases: ["date", "datetime", "timestamp", "occurred", "fecha", "fecha hora", "fecha evento", "fecha y hora"] },
  { field: "amount", required: false, description: "Decimal amount, 1234.50 or 1234,50; negative for refunds", example: "129.90",
    aliases: ["value", "total", "importe", "monto", "valor"] },
  { field: "currency", required: false, description: "ISO 4217 code", example: "EUR",
    aliases: ["moneda", "divisa"] },
  { field: "channel", required: false, description: "Channel as a word (store, web, phone, app…)", example: "store",
    aliases: ["canal", "medio"] },
  { field: "touchpoint_key", required: false, description: "Key of the journey touchpoint where it happened", example: "checkout",
    aliases: ["touchpoint", "punto de contacto", "punto contacto"] },
];

export function columnsOf<K extends CrmKind>(kind: K): readonly ColumnDoc<FieldOf<K>>[] {
  return (kind === "customers" ? CUSTOMER_COLUMNS : EVENT_COLUMNS) as readonly ColumnDoc<FieldOf<K>>[];
}

/** Field → header text, chosen by a person in the mapping step; null means "do not import this field". */
export type ColumnMappingInput<F extends string> = Partial<Record<F, string | null>>;

export type ColumnResolution<F extends string> = {
  /** Field → index of the header that feeds it. */
  fieldIndex: Partial<Record<F, number>>;
  /** Required fields no header provides: the file cannot be imported until they are mapped. */
  missing: F[];
  /** Headers that feed no field (a `tier` column lands here: tiers are computed, not imported). */
  unmapped: string[];
  /** Headers that would also feed a field already fed by an earlier header; the earlier one wins. */
  duplicates: { field: F; header: string }[];
  /** Explicit mappings naming a header the file does not have. */
  unknownHeaders: { field: F; header: string }[];
  ok: boolean;
};

/**
 * Resolves a file's headers to fields. An explicit mapping wins; the remaining headers are matched to
 * a field's name or one of its aliases after `normaliseName` (so "Fecha", " FECHA " and "fécha" agree).
 */
export function mapColumns<K extends CrmKind>(
  kind: K,
  headers: readonly string[],
  mapping: ColumnMappingInput<FieldOf<K>> = {},
): ColumnResolution<FieldOf<K>> {
  type F = FieldOf<K>;
  const columns = columnsOf(kind);
  const normalised = headers.map(normaliseName);
  const fieldIndex: Partial<Record<F, number>> = {};
  const used = new Set<number>();
  const duplicates: { field: F; header: string }[] = [];
  const unknownHeaders: { field: F; header: string }[] = [];
  const decided = new Set<F>();

  for (const column of columns) {
    if (!(column.field in mapping)) continue;
    decided.add(column.field);
    const header = mapping[column.field];
    if (header === null || header === undefined || header === "") continue;
    let index = headers.indexOf(header);
    if (index < 0) index = normalised.indexOf(normaliseName(header));
    if (index < 0) unknownHeaders.push({ field: column.field, header });
    else {
      fieldIndex[column.field] = index;
      used.add(index);
    }
  }

  normalised.forEach((name, index) => {
    if (used.has(index) || name === "") return;
    const column = columns.find((c) => c.field === name || c.aliases.some((a) => normaliseName(a) === name));
    if (!column || decided.has(column.field)) return;
    if (fieldIndex[column.field] !== undefined) {
      duplicates.push({ field: column.field, header: headers[index] });
      return;
    }
    fieldIndex[column.field] = index;
    used.add(index);
  });

  const missing = columns.filter((c) => c.required && fieldIndex[c.field] === undefined).map((c) => c.field);
  const unmapped = headers.filter((_, i) => !used.has(i) && !duplicates.some((d) => d.header === headers[i]));
  return { fieldIndex, missing, unmapped, duplicates, unknownHeaders, ok: missing.length === 0 && unknownHeaders.length === 0 };
}
