// The web CSV import as durable jobs (app/data/jobs.server.ts): the upload spooled to a scratch file as
// it arrives, its headers peeked for the mapping step, the file stored with the job (so any node can
// run the import, and run it again after a crash), then importCsvFile (crm-import.server.ts) run by the
// job runner while the page polls the job's progress and, at the end, its report. Nothing about an
// import lives in a process's memory: the page may be served by any node.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { mapColumns } from "~/cem/crm-columns";
import type { CrmKind } from "~/cem/crm-records";
import { failureOfText, importFailureText, type ImportFailure, type StartRefusal } from "~/cem/crm-import-refusals";
import { importCsvFile, peekCsv, scratchDir, type ImportProgress, type ImportReport } from "./crm-import.server";
import { kickJobs, type JobHandler } from "./job-runner.server";
import { createJob, dropJobFile, findJob, readJobFile, requeueJob, storeJobFile, type JobRow } from "./jobs.server";

export const MAX_UPLOAD_BYTES = 128 * 1024 * 1024;

export type ImportJobStatus = "uploaded" | "running" | "done" | "failed";

/** What an import job keeps in its payload: the file's description and the person's choices. */
type ImportPayload = {
  kind: CrmKind;
  fileName: string;
  size: number;
  headers: string[];
  samples: string[][];
  mapping: Record<string, string | null>;
  skipBadRows: boolean;
  /** Why it failed before it had a file; set by failedImportJob. */
  failure?: ImportFailure;
};

/** What the page sees of a job (no server paths, no internal ids). */
export type ImportJobView = Omit<ImportPayload, "failure"> & {
  id: string;
  createdAt: number;
  status: ImportJobStatus;
  progress: ImportProgress | null;
  report: ImportReport | null;
  /** The English text of the jobs list; `failure` says the same as a code, when it is one of ours. */
  error: string | null;
  failure: ImportFailure | null;
};

export class UploadError extends Error {
  constructor(readonly failure: ImportFailure) {
    super(importFailureText(failure));
  }
}

/** Writes an uploaded file to disk as it arrives (never whole in memory), refusing past MAX_UPLOAD_BYTES. */
export async function spoolUpload(data: AsyncIterable<Uint8Array>): Promise<{ file: string; size: number }> {
  const file = path.join(scratchDir(), `${randomBytes(16).toString("hex")}.csv`);
  const out = fs.createWriteStream(file);
  let size = 0;
  try {
    for await (const chunk of data) {
      size += chunk.length;
      // Past the limit the rest is read and dropped, so the browser gets an answer instead of a reset.
      if (size > MAX_UPLOAD_BYTES) continue;
      if (!out.write(chunk)) await new Promise<void>((resolve) => out.once("drain", resolve));
    }
    if (size > MAX_UPLOAD_BYTES) {
      throw new UploadError({ code: "too_large", maxMb: MAX_UPLOAD_BYTES / 1024 / 1024 });
    }
    await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
    return { file, size };
  } catch (error) {
    out.destroy();
    fs.rmSync(file, { force: true });
    throw error;
  }
}

const parse = <T>(text: string | null): T | null => (text === null ? null : (JSON.parse(text) as T));

function viewOf(job: JobRow): ImportJobView {
  const payload = JSON.parse(job.payload) as ImportPayload;
  const status: ImportJobStatus = job.status === "waiting" ? "uploaded" : job.status === "queued" ? "running" : job.status;
  return {
    ...payload,
    id: job.publicId,
    createdAt: job.createdAt.getTime(),
    status,
    progress: parse<ImportProgress>(job.progress),
    report: parse<ImportReport>(job.result),
    error: job.error,
    failure: payload.failure ?? (job.error === null ? null : failureOfText(job.error)),
  };
}

/**
 * A job for a file spooled to disk, with the mapping its headers suggest; the file moves into the
 * database with the job (the scratch copy is removed either way).
 */
export async function createImportJob(workspaceId: number, kind: CrmKind, fileName: string, file: string, size: number): Promise<ImportJobView> {
  try {
    const { headers, samples } = peekCsv(file);
    const resolution = mapColumns(kind, headers);
    const mapping: Record<string, string | null> = {};
    for (const [field, index] of Object.entries(resolution.fieldIndex)) if (index !== undefined) mapping[field] = headers[index as number];
    const payload: ImportPayload = { kind, fileName: fileName.slice(0, 200), size, headers, samples, mapping, skipBadRows: false };
    if (headers.length === 0) return failedImportJob(workspaceId, kind, fileName, { code: "empty" });
    const job = await createJob({ workspaceId, kind: "crm-import", status: "waiting", payload });
    await storeJobFile(job.id, file);
    return viewOf(job);
  } finally {
    fs.rmSync(file, { force: true });
  }
}

/** A job that failed before it had a file (no file sent, too large…), so the page can say why. */
export async function failedImportJob(workspaceId: number, kind: CrmKind, fileName: string, failure: ImportFailure): Promise<ImportJobView> {
  const payload: ImportPayload = { kind, fileName: fileName.slice(0, 200), size: 0, headers: [], samples: [], mapping: {}, skipBadRows: false, failure };
  return viewOf(await createJob({ workspaceId, kind: "crm-import", status: "failed", payload, error: importFailureText(failure) }));
}

/** The import job, if it belongs to this workspace. */
export async function getImportJob(workspaceId: number, id: string): Promise<ImportJobView | null> {
  const job = await findJob(workspaceId, id);
  return job && job.kind === "crm-import" ? viewOf(job) : null;
}

export type StartResult = { ok: true } | { ok: false; refusal: StartRefusal; status: 404 | 409 | 400 };

/**
 * Queues (or, after a report with bad rows, queues again) the import of an uploaded file; the job
 * runner of some node takes it, and the page polls getImportJob for progress and the report.
 */
export async function startImportJob(workspaceId: number, id: string, mapping: Record<string, string | null>, skipBadRows: boolean): Promise<StartResult> {
  const job = await findJob(workspaceId, id);
  if (!job || job.kind !== "crm-import") return { ok: false, status: 404, refusal: { code: "not_found" } };
  const view = viewOf(job);
  if (view.status === "running") return { ok: false, status: 409, refusal: { code: "running" } };
  if (view.report?.imported) return { ok: false, status: 409, refusal: { code: "imported" } };
  if (view.status === "failed" && view.size === 0) return { ok: false, status: 404, refusal: { code: "no_file" } };
  const resolution = mapColumns(view.kind, view.headers, mapping);
  if (!resolution.ok) {
    const unknown = resolution.unknownHeaders.map((u) => u.header);
    return { ok: false, status: 400, refusal: { code: "mapping", missing: resolution.missing, unknown } };
  }
  const payload: ImportPayload = { ...(JSON.parse(job.payload) as ImportPayload), mapping, skipBadRows };
  // Only from where it stood when read: a second click, on this node or another, finds it moved on.
  if (!(await requeueJob(job.id, [job.status], payload))) return { ok: false, status: 409, refusal: { code: "running" } };
  kickJobs();
  return { ok: true };
}

/** The job runner's handler: the stored file back on this node's disk, imported, the outcome recorded. */
export const runImportJob: JobHandler = async (job, context) => {
  const payload = JSON.parse(job.payload) as ImportPayload;
  const file = path.join(scratchDir(), `${job.publicId}-${randomBytes(4).toString("hex")}.csv`);
  try {
    if (!(await readJobFile(job.id, file))) {
      return { status: "failed", error: importFailureText({ code: "gone" }) };
    }
    let report: ImportReport;
    try {
      report = await importCsvFile(file, {
        workspaceId: job.workspaceId,
        kind: payload.kind,
        mapping: payload.mapping,
        skipBadRows: payload.skipBadRows,
        onProgress: (p) => context.progress(p),
      });
    } catch (error) {
      return { status: "failed", error: importFailureText({ code: "write_failed", detail: error instanceof Error ? error.message : String(error) }) };
    }
    // Imported: the stored file has served. Not imported (bad rows): kept, to run again skipping them.
    if (report.imported) await dropJobFile(job.id);
    return { status: "done", result: report };
  } finally {
    fs.rmSync(file, { force: true });
  }
};
