// What guards the installation across nodes: rate-limit counters (one row per limited key, a fixed
// window each) and the audit log an admin reads (who signed in, changed members, roles, tokens and
// settings, exported or erased personal data).
import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { users, workspaces } from "./accounts";

export const rateLimits = sqliteTable(
  "rate_limits",
  {
    // "<limit name>:<what is counted>", e.g. "login-account:<sha256 of the e-mail>".
    bucket: text("bucket").primaryKey(),
    windowStart: integer("window_start", { mode: "timestamp_ms" }).notNull(),
    hits: integer("hits").notNull(),
  },
  (t) => [index("rate_limits_window").on(t.windowStart)],
);

export const auditEvents = sqliteTable(
  "audit_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    // Null for events of a person rather than a workspace (a sign-in).
    workspaceId: integer("workspace_id").references(() => workspaces.id, { onDelete: "cascade" }),
    actorUserId: integer("actor_user_id").references(() => users.id, { onDelete: "set null" }),
    action: text("action").notNull(),
    // What the action was about, as a person reads it (an e-mail, a token's name, a customer's id).
    target: text("target"),
    // JSON: the details of the change.
    detail: text("detail"),
    ip: text("ip"),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(sql`(unixepoch('subsec') * 1000)`),
  },
  (t) => [index("audit_events_ws_created").on(t.workspaceId, t.createdAt), index("audit_events_actor_created").on(t.actorUserId, t.createdAt)],
);
