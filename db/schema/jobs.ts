// Background work as durable jobs: whatever runs outside a request (a CRM file import today) is a row
// here, claimed by one node at a time under a lease, so a node that stops mid-job leaves it to another
// (app/data/jobs.server.ts). An uploaded file waiting for its import is kept in job_files, in chunks,
// so any node can run the import, not only the one that received the upload.
import { index, integer, primaryKey, sqliteTable, text, blob } from "drizzle-orm/sqlite-core";
import { workspaces } from "./accounts";

// alert-evaluation and digest-send recur per workspace (app/data/recurring-jobs.server.ts).
export const JOB_KINDS = ["crm-import", "invitation-mail", "alert-evaluation", "digest-send"] as const;
export type JobKind = (typeof JOB_KINDS)[number];

/**
 * waiting: created, not yet asked to run (an upload whose columns are being mapped);
 * queued: due at run_at; running: claimed, its lease_until moving while the node works;
 * done / failed: finished (result or error).
 */
export const JOB_STATUSES = ["waiting", "queued", "running", "done", "failed"] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export const jobs = sqliteTable(
  "jobs",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    workspaceId: integer("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    // What URLs and pages name: long and random, never the sequence id.
    publicId: text("public_id").notNull().unique(),
    kind: text("kind", { enum: JOB_KINDS }).notNull(),
    status: text("status", { enum: JOB_STATUSES }).notNull().default("queued"),
    // JSON, per kind: what the job needs to run, its progress while it runs, its result when done.
    payload: text("payload").notNull(),
    progress: text("progress"),
    result: text("result"),
    error: text("error"),
    attempts: integer("attempts").notNull().default(0),
    maxAttempts: integer("max_attempts").notNull().default(3),
    runAt: integer("run_at", { mode: "timestamp_ms" }).notNull(),
    // While running: past this instant the node holding the job is taken for gone and another may claim it.
    leaseUntil: integer("lease_until", { mode: "timestamp_ms" }),
    lockedBy: text("locked_by"),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    startedAt: integer("started_at", { mode: "timestamp_ms" }),
    finishedAt: integer("finished_at", { mode: "timestamp_ms" }),
  },
  (t) => [index("jobs_due").on(t.status, t.runAt), index("jobs_ws_created").on(t.workspaceId, t.createdAt)],
);

/** A job's input file, in chunks of up to a megabyte, in order. */
export const jobFiles = sqliteTable(
  "job_files",
  {
    jobId: integer("job_id")
      .notNull()
      .references(() => jobs.id, { onDelete: "cascade" }),
    seq: integer("seq").notNull(),
    data: blob("data", { mode: "buffer" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.jobId, t.seq] })],
);
