// CSV import of customers and events: upload (streamed to disk, with an upload progress bar), column
// mapping, then validation and import as a background job whose progress this page polls, and the
// report — rows added, updated, unchanged, rejected with line and reason. Bad rows stop the import
// unless the person chooses to skip them.
import {
  data,
  redirect,
  unstable_composeUploadHandlers,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type UploadHandler,
} from "@remix-run/node";
import { Link, useActionData, useLoaderData, useRevalidator } from "@remix-run/react";
import { useEffect } from "react";
import { z } from "zod";
import { requireMember } from "~/auth/guard.server";
import { CUSTOMER_COLUMNS, EVENT_COLUMNS, columnsOf } from "~/cem/crm-columns";
import { ColumnsDoc, MappingStep, Progress, Report, Steps, UploadStep } from "~/components/crm/import-steps";
import {
  MAX_UPLOAD_BYTES,
  UploadError,
  createImportJob,
  failedImportJob,
  getImportJob,
  spoolUpload,
  startImportJob,
  type ImportJobView,
} from "~/data/crm-import-jobs.server";
import { useT } from "~/i18n/use-t";
import { readFormData } from "~/web/request-body.server";
import { submissionOf } from "~/web/conform.server";
import { mappingSchema } from "~/components/crm/mapping-form";
import { requestLang } from "~/i18n/lang.server";
import { translator } from "~/i18n/messages";
import type { ImportFailure } from "~/cem/crm-import-refusals";
import { importFailureWords, startRefusalText } from "~/i18n/crm-import-text";

const Kind = z.enum(["customers", "events"]);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { workspace } = await requireMember(request, params.ws, "crm:import");
  const jobId = new URL(request.url).searchParams.get("job");
  const job = jobId ? await getImportJob(workspace.id, jobId) : null;
  return {
    slug: workspace.slug,
    job,
    jobMissing: !!jobId && !job,
    columns: { customers: CUSTOMER_COLUMNS, events: EVENT_COLUMNS },
    maxMb: MAX_UPLOAD_BYTES / 1024 / 1024,
  };
}

async function upload(request: Request, workspaceId: number, slug: string) {
  const here = `/w/${slug}/crm/import`;
  const declared = Number(request.headers.get("Content-Length") ?? 0);
  if (declared > MAX_UPLOAD_BYTES + 1024 * 1024) {
    const job = await failedImportJob(workspaceId, "customers", "", { code: "too_large", maxMb: MAX_UPLOAD_BYTES / 1024 / 1024 });
    return redirect(`${here}?job=${job.id}`);
  }
  let spooled: { file: string; size: number } | null = null;
  let fileName = "";
  let failure: ImportFailure | null = null;
  const fileHandler: UploadHandler = async ({ name, filename, data: bytes }) => {
    if (name !== "file" || !filename) return undefined;
    fileName = filename;
    try {
      spooled = await spoolUpload(bytes);
      return spooled.file;
    } catch (error) {
      if (!(error instanceof UploadError)) throw error;
      failure = error.failure;
      return "";
    }
  };
  let form: FormData;
  try {
    form = await unstable_parseMultipartFormData(
      request,
      unstable_composeUploadHandlers(fileHandler, unstable_createMemoryUploadHandler({ maxPartSize: 64 * 1024 })),
    );
  } catch {
    const job = await failedImportJob(workspaceId, "customers", fileName, { code: "interrupted" });
    return redirect(`${here}?job=${job.id}`);
  }
  const kind = Kind.safeParse(form.get("kind"));
  const chosenKind = kind.success ? kind.data : "customers";
  const got = spooled as { file: string; size: number } | null;
  let job: ImportJobView;
  if (failure) job = await failedImportJob(workspaceId, chosenKind, fileName, failure);
  else if (!got) job = await failedImportJob(workspaceId, chosenKind, "", { code: "no_file" });
  else if (!kind.success) job = await failedImportJob(workspaceId, chosenKind, fileName, { code: "no_kind" });
  else job = await createImportJob(workspaceId, kind.data, fileName, got.file, got.size);
  return redirect(`${here}?job=${job.id}`);
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { workspace } = await requireMember(request, params.ws, "crm:import");
  if ((request.headers.get("Content-Type") ?? "").startsWith("multipart/form-data")) return upload(request, workspace.id, workspace.slug);
  const lang = await requestLang(request);
  const t = translator(lang);
  const formData = await readFormData(request);
  if (formData === null) return data({ error: t("form.unreadable"), result: null }, { status: 400 });
  // The job says which kind of file this is, hence which fields the mapping must fill.
  const jobId = String(formData.get("job") ?? "");
  const job = jobId ? await getImportJob(workspace.id, jobId) : null;
  if (!job) return data({ error: t("crm.import.firstUpload"), result: null }, { status: 400 });
  const submission = submissionOf(formData, mappingSchema(columnsOf(job.kind)), lang);
  if (submission.status !== "success") return data({ error: null, result: submission.reply() }, { status: 400 });
  const mapping: Record<string, string | null> = Object.fromEntries(Object.entries(submission.value.map).map(([field, header]) => [field, header || null]));
  const started = await startImportJob(workspace.id, job.id, mapping, submission.value.skip);
  if (!started.ok) {
    const message = startRefusalText(t, started.refusal);
    // A bad mapping is said on the mapping form; the rest (imported already, running…) above every step,
    // since the page may show no mapping form by then.
    if (started.refusal.code === "mapping") return data({ error: null, result: submission.reply({ formErrors: [message] }) }, { status: started.status });
    return data({ error: message, result: submission.reply() }, { status: started.status });
  }
  return redirect(`/w/${workspace.slug}/crm/import?job=${encodeURIComponent(job.id)}`);
}

export default function ImportPage() {
  const { slug, job, jobMissing, columns, maxMb } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = useT();
  const revalidator = useRevalidator();
  const running = job?.status === "running";

  useEffect(() => {
    if (!running) return;
    const timer = window.setInterval(() => {
      if (revalidator.state === "idle") revalidator.revalidate();
    }, 500);
    return () => window.clearInterval(timer);
  }, [running, revalidator]);

  const step = !job || job.status === "failed" ? 1 : job.status === "uploaded" ? 2 : 3;
  return (
    <>
      <p>
        <Link to={`/w/${slug}/customers`}>← {t("crm.customers.title")}</Link>
      </p>
      <h1>{t("crm.import.title")}</h1>
      <p className="muted">{t("crm.import.intro")}</p>
      <Steps current={step} />
      {jobMissing ? (
        <p className="notice error" role="alert">
          {t("crm.import.gone")}
        </p>
      ) : null}
      {result?.error ? (
        <p className="notice error" role="alert">
          {result.error}
        </p>
      ) : null}
      {job?.status === "failed" ? (
        <div className="notice error" role="alert">
          <strong>{t("crm.import.failed")}</strong>: {job.failure ? importFailureWords(t, job.failure) : job.error}
        </div>
      ) : null}
      {!job || job.status === "failed" ? <UploadStep slug={slug} maxMb={maxMb} /> : null}
      {job?.status === "uploaded" ? <MappingStep job={job} columns={columns[job.kind]} lastResult={result?.result} /> : null}
      {running ? <Progress job={job} /> : null}
      {job?.status === "done" && job.report ? (
        <>
          <Report job={job} slug={slug} />
          {!job.report.imported ? <MappingStep job={job} columns={columns[job.kind]} lastResult={result?.result} /> : null}
        </>
      ) : null}

      <details className="card" style={{ marginTop: "1.5rem" }}>
        <summary>{t("crm.import.columns")}</summary>
        <p className="muted">{t("crm.import.columnsIntro")}</p>
        <p className="muted">{t("crm.import.bare")}</p>
        <ColumnsDoc title={t("crm.import.kind.customers")} columns={columns.customers} />
        <ColumnsDoc title={t("crm.import.kind.events")} columns={columns.events} />
        <p>{t("crm.import.cli")}</p>
        <pre style={{ whiteSpace: "pre-wrap" }}>
          <code>
            npm run cem -- crm import customers FILE --workspace {slug} [--skip-bad-rows]{"\n"}
            npm run cem -- crm import events FILE --workspace {slug} [--skip-bad-rows] [--mapping field=Header,…]
          </code>
        </pre>
      </details>
    </>
  );
}
