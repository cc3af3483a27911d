// The web CSV import as in-process jobs: the upload spooled to a scratch file, its headers peeked for
// the mapping step, then importCsvFile (crm-import.server.ts) run in the background while the page
// polls the job's progress and, at the end, its report.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { mapColumns } from "~/cem/crm-columns";
import type { CrmKind } from "~/cem/crm-records";
import { importCsvFile, peekCsv, scratchDir, type ImportProgress, type ImportReport } from "./crm-import.server";

export const MAX_UPLOAD_BYTES = 128 * 1024 * 1024;
const JOB_TTL_MS = 2 * 3_600_000;

export type ImportJobStatus = "uploaded" | "running" | "done" | "failed";

type ImportJob = {
  id: string;
  workspaceId: number;
  kind: CrmKind;
  fileName: string;
  file: string | null;
  size: number;
  headers: string[];
  samples: string[][];
  createdAt: number;
  status: ImportJobStatus;
  mapping: Record<string, string | null>;
  skipBadRows: boolean;
  progress: ImportProgress | null;
  report: ImportReport | null;
  error: string | null;
};

/** What the page may see of a job (no server paths). */
export type ImportJobView = Omit<ImportJob, "file" | "workspaceId">;

// One process serves the app (SQLite embedded), so the jobs live in its memory; a restart forgets them
// and the person uploads again. The files are swept after JOB_TTL_MS.
const jobs = new Map<string, ImportJob>();

export class UploadError extends Error {}

function sweepJobs(now = Date.now()) {
  for (const [id, job] of jobs) {
    if (now - job.createdAt > JOB_TTL_MS && job.status !== "running") {
      if (job.file) fs.rmSync(job.file, { force: true });
      jobs.delete(id);
    }
  }
}

const newJobId = () => randomBytes(16).toString("base64url");

function registerJob(job: ImportJob) {
  sweepJobs();
  jobs.set(job.id, job);
  return job;
}

/** Writes an uploaded file to disk as it arrives (never whole in memory), refusing past MAX_UPLOAD_BYTES. */
export async function spoolUpload(data: AsyncIterable<Uint8Array>): Promise<{ file: string; size: number }> {
  const file = path.join(scratchDir(), `${newJobId()}.csv`);
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
      throw new UploadError(`The file is larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MB; import it with the command line (npm run cem -- crm import …).`);
    }
    await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
    return { file, size };
  } catch (error) {
    out.destroy();
    fs.rmSync(file, { force: true });
    throw error;
  }
}

/** A job for a file already on disk, with the mapping the headers suggest. */
export function createImportJob(workspaceId: number, kind: CrmKind, fileName: string, file: string, size: number): ImportJobView {
  const { headers, samples } = peekCsv(file);
  const resolution = mapColumns(kind, headers);
  const mapping: Record<string, string | null> = {};
  for (const [field, index] of Object.entries(resolution.fieldIndex)) if (index !== undefined) mapping[field] = headers[index as number];
  const job = registerJob({
    id: newJobId(),
    workspaceId,
    kind,
    fileName: fileName.slice(0, 200),
    file,
    size,
    headers,
    samples,
    createdAt: Date.now(),
    status: headers.length === 0 ? "failed" : "uploaded",
    mapping,
    skipBadRows: false,
    progress: null,
    report: null,
    error: headers.length === 0 ? "The file is empty or has no header line." : null,
  });
  return viewOf(job);
}

/** A job that failed before it had a file (no file sent, too large…), so the page can say why. */
export function failedImportJob(workspaceId: number, kind: CrmKind, fileName: string, message: string): ImportJobView {
  const job = registerJob({
    id: newJobId(),
    workspaceId,
    kind,
    fileName,
    file: null,
    size: 0,
    headers: [],
    samples: [],
    createdAt: Date.now(),
    status: "failed",
    mapping: {},
    skipBadRows: false,
    progress: null,
    report: null,
    error: message,
  });
  return viewOf(job);
}

function viewOf(job: ImportJob): ImportJobView {
  const { file: _file, workspaceId: _ws, ...view } = job;
  return structuredClone(view);
}

/** The job, if it belongs to this workspace. */
export function getImportJob(workspaceId: number, id: string): ImportJobView | null {
  const job = jobs.get(id);
  return job && job.workspaceId === workspaceId ? viewOf(job) : null;
}

export type StartResult = { ok: true } | { ok: false; message: string; status: 404 | 409 | 400 };

/**
 * Starts (or, after a report with bad rows, re-runs) the import of an uploaded file in the background;
 * the page polls getImportJob for progress and the report.
 */
export function startImportJob(workspaceId: number, id: string, mapping: Record<string, string | null>, skipBadRows: boolean): StartResult {
  const job = jobs.get(id);
  if (!job || job.workspaceId !== workspaceId) return { ok: false, status: 404, message: "No such upload in this workspace." };
  if (job.status === "running") return { ok: false, status: 409, message: "This file is being imported already." };
  if (job.report?.imported) return { ok: false, status: 409, message: "This file was imported already; upload it again to re-import it." };
  if (!job.file) return { ok: false, status: 404, message: "This upload is gone (uploads are kept two hours); upload the file again." };
  const resolution = mapColumns(job.kind, job.headers, mapping);
  if (!resolution.ok) {
    const missing = resolution.missing.map((f) => `choose the column for ${f}`);
    const unknown = resolution.unknownHeaders.map((u) => `"${u.header}" is not a column of this file`);
    return { ok: false, status: 400, message: [...missing, ...unknown].join("; ") };
  }
  const file = job.file;
  Object.assign(job, { status: "running", mapping, skipBadRows, report: null, error: null, progress: null } satisfies Partial<ImportJob>);
  importCsvFile(file, { workspaceId, kind: job.kind, mapping, skipBadRows, onProgress: (p) => (job.progress = p) }).then(
    (report) => {
      job.report = report;
      job.status = "done";
      if (report.imported) {
        fs.rmSync(file, { force: true });
        job.file = null;
      }
    },
    (error: unknown) => {
      job.status = "failed";
      job.error = `Nothing was imported: ${error instanceof Error ? error.message : String(error)}`;
    },
  );
  return { ok: true };
}
