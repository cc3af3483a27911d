// CRM behaviour data: customers (by external id), their events, tiers over time, segmentation settings.
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { workspaces } from "./accounts";

const now = sql`(unixepoch('subsec') * 1000)`;

export const customers = sqliteTable(
  "customers",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    workspaceId: integer("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    externalId: text("external_id").notNull(),
    name: text("name").notNull().default(""),
    email: text("email"),
    phone: text("phone"),
    language: text("language"),
    notes: text("notes"),
    customerSince: integer("customer_since", { mode: "timestamp_ms" }),
    // Current tier (premium, regular, generic) and its score; history in customer_tiers.
    tier: text("tier"),
    tierScore: real("tier_score"),
    rfmR: integer("rfm_r"),
    rfmF: integer("rfm_f"),
    rfmM: integer("rfm_m"),
    rfmSegment: text("rfm_segment"),
    // Behaviour over the segmentation window, written when tiers are recomputed (for sorting by value).
    monetary: real("monetary"),
    frequency: integer("frequency"),
    lastPurchaseAt: integer("last_purchase_at", { mode: "timestamp_ms" }),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(now),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull().default(now),
  },
  (t) => [
    uniqueIndex("customers_ws_external").on(t.workspaceId, t.externalId),
    index("customers_ws_tier").on(t.workspaceId, t.tier),
    index("customers_ws_monetary").on(t.workspaceId, t.monetary),
  ],
);

export const crmEvents = sqliteTable(
  "crm_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    workspaceId: integer("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    customerId: integer("customer_id").notNull().references(() => customers.id, { onDelete: "cascade" }),
    // The external id, or "sha256:<hash of the content>" when the source has none: re-imports dedupe on it.
    dedupeKey: text("dedupe_key").notNull(),
    externalId: text("external_id"),
    type: text("type").notNull(),
    occurredAt: integer("occurred_at", { mode: "timestamp_ms" }).notNull(),
    amount: real("amount"),
    currency: text("currency"),
    channel: text("channel"),
    touchpointKey: text("touchpoint_key"),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(now),
  },
  (t) => [
    uniqueIndex("crm_events_ws_dedupe").on(t.workspaceId, t.dedupeKey),
    index("crm_events_customer_time").on(t.customerId, t.occurredAt),
    index("crm_events_ws_type_time").on(t.workspaceId, t.type, t.occurredAt),
  ],
);

export const customerTiers = sqliteTable(
  "customer_tiers",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    workspaceId: integer("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    customerId: integer("customer_id").notNull().references(() => customers.id, { onDelete: "cascade" }),
    tier: text("tier").notNull(),
    score: real("score"),
    computedAt: integer("computed_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("customer_tiers_customer").on(t.customerId, t.computedAt)],
);

export const segmentationSettings = sqliteTable(
  "segmentation_settings",
  {
    workspaceId: integer("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    // JSON validated by app/cem/segmentation.ts.
    settings: text("settings").notNull(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull().default(now),
  },
  (t) => [primaryKey({ columns: [t.workspaceId] })],
);
