// Rate-limit counters and the audit log. PostgreSQL counterpart of db/schema/security.ts.
import { index, integer, pgTable, text } from "drizzle-orm/pg-core";
import { users, workspaces } from "./accounts";
import { instant, instantNow, serialId } from "./columns";

export const rateLimits = pgTable(
  "rate_limits",
  {
    bucket: text("bucket").primaryKey(),
    windowStart: instant("window_start").notNull(),
    hits: integer("hits").notNull(),
  },
  (t) => [index("rate_limits_window").on(t.windowStart)],
);

export const auditEvents = pgTable(
  "audit_events",
  {
    id: serialId(),
    workspaceId: integer("workspace_id").references(() => workspaces.id, { onDelete: "cascade" }),
    actorUserId: integer("actor_user_id").references(() => users.id, { onDelete: "set null" }),
    action: text("action").notNull(),
    target: text("target"),
    detail: text("detail"),
    ip: text("ip"),
    createdAt: instantNow("created_at"),
  },
  (t) => [index("audit_events_ws_created").on(t.workspaceId, t.createdAt), index("audit_events_actor_created").on(t.actorUserId, t.createdAt)],
);
