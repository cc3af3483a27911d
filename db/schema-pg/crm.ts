// CRM behaviour data: customers (by external id), their events, tiers over time, segmentation settings.
// PostgreSQL counterpart of db/schema/crm.ts.
import { doublePrecision, index, integer, pgTable, primaryKey, text, uniqueIndex } from "drizzle-orm/pg-core";
import { workspaces } from "./accounts";
import { instant, instantNow, serialId } from "./columns";

export const customers = pgTable(
  "customers",
  {
    id: serialId(),
    workspaceId: integer("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    externalId: text("external_id").notNull(),
    name: text("name").notNull().default(""),
    email: text("email"),
    phone: text("phone"),
    language: text("language"),
    notes: text("notes"),
    customerSince: instant("customer_since"),
    // Current tier (premium, regular, generic) and its score; history in customer_tiers.
    tier: text("tier"),
    tierScore: doublePrecision("tier_score"),
    rfmR: integer("rfm_r"),
    rfmF: integer("rfm_f"),
    rfmM: integer("rfm_m"),
    rfmSegment: text("rfm_segment"),
    // Behaviour over the segmentation window, written when tiers are recomputed (for sorting by value).
    monetary: doublePrecision("monetary"),
    frequency: integer("frequency"),
    lastPurchaseAt: instant("last_purchase_at"),
    createdAt: instantNow("created_at"),
    updatedAt: instantNow("updated_at"),
  },
  (t) => [
    uniqueIndex("customers_ws_external").on(t.workspaceId, t.externalId),
    index("customers_ws_tier").on(t.workspaceId, t.tier),
    index("customers_ws_monetary").on(t.workspaceId, t.monetary),
  ],
);

export const crmEvents = pgTable(
  "crm_events",
  {
    id: serialId(),
    workspaceId: integer("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    customerId: integer("customer_id").notNull().references(() => customers.id, { onDelete: "cascade" }),
    // The external id, or "sha256:<hash of the content>" when the source has none: re-imports dedupe on it.
    dedupeKey: text("dedupe_key").notNull(),
    externalId: text("external_id"),
    type: text("type").notNull(),
    occurredAt: instant("occurred_at").notNull(),
    amount: doublePrecision("amount"),
    currency: text("currency"),
    channel: text("channel"),
    touchpointKey: text("touchpoint_key"),
    createdAt: instantNow("created_at"),
  },
  (t) => [
    uniqueIndex("crm_events_ws_dedupe").on(t.workspaceId, t.dedupeKey),
    index("crm_events_customer_time").on(t.customerId, t.occurredAt),
    index("crm_events_ws_type_time").on(t.workspaceId, t.type, t.occurredAt),
  ],
);

export const customerTiers = pgTable(
  "customer_tiers",
  {
    id: serialId(),
    workspaceId: integer("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    customerId: integer("customer_id").notNull().references(() => customers.id, { onDelete: "cascade" }),
    tier: text("tier").notNull(),
    score: doublePrecision("score"),
    computedAt: instant("computed_at").notNull(),
  },
  (t) => [index("customer_tiers_customer").on(t.customerId, t.computedAt)],
);

export const segmentationSettings = pgTable(
  "segmentation_settings",
  {
    workspaceId: integer("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    // JSON validated by app/cem/segmentation.ts.
    settings: text("settings").notNull(),
    updatedAt: instantNow("updated_at"),
  },
  (t) => [primaryKey({ columns: [t.workspaceId] })],
);
