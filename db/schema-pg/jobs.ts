// Background work as durable jobs. PostgreSQL counterpart of db/schema/jobs.ts.
import { customType, index, integer, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { JOB_KINDS, JOB_STATUSES, type JobKind, type JobStatus } from "../schema/jobs";
import { workspaces } from "./accounts";
import { instant, serialId } from "./columns";

export { JOB_KINDS, JOB_STATUSES, type JobKind, type JobStatus };

export const jobs = pgTable(
  "jobs",
  {
    id: serialId(),
    workspaceId: integer("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    publicId: text("public_id").notNull().unique(),
    kind: text("kind", { enum: JOB_KINDS }).notNull(),
    status: text("status", { enum: JOB_STATUSES }).notNull().default("queued"),
    payload: text("payload").notNull(),
    progress: text("progress"),
    result: text("result"),
    error: text("error"),
    attempts: integer("attempts").notNull().default(0),
    maxAttempts: integer("max_attempts").notNull().default(3),
    runAt: instant("run_at").notNull(),
    leaseUntil: instant("lease_until"),
    lockedBy: text("locked_by"),
    createdAt: instant("created_at").notNull(),
    startedAt: instant("started_at"),
    finishedAt: instant("finished_at"),
  },
  (t) => [index("jobs_due").on(t.status, t.runAt), index("jobs_ws_created").on(t.workspaceId, t.createdAt)],
);

/** bytea, read and written as a Buffer (drizzle has no bytea builder; `pg` maps it to Buffer itself). */
const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => "bytea" });

export const jobFiles = pgTable(
  "job_files",
  {
    jobId: integer("job_id")
      .notNull()
      .references(() => jobs.id, { onDelete: "cascade" }),
    seq: integer("seq").notNull(),
    data: bytea("data").notNull(),
  },
  (t) => [primaryKey({ columns: [t.jobId, t.seq] })],
);
