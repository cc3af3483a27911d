// Background work (admins): the workspace's durable jobs — what each is, where it stands, which server
// holds it, how many attempts it took, why it failed — the state of its webhook delivery queue, and on
// PostgreSQL the responses whose rollup increments wait for the fold.
// Served from the database, so every node shows the same page; the job list is an ActivityLogTable,
// like the webhook delivery log in Settings.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireMember } from "~/auth/guard.server";
import { ActivityLogTable } from "~/components/ActivityLogTable";
import { jobCounts, listJobs } from "~/data/jobs.server";
import { foldBacklog } from "~/data/rollup-fold.server";
import { deliveryQueue } from "~/data/webhooks.server";
import { useFormat, useLang, useT } from "~/i18n/use-t";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { workspace } = await requireMember(request, params.ws, "settings:edit");
  const [jobs, counts, webhooks, fold] = await Promise.all([listJobs(workspace.id), jobCounts(workspace.id), deliveryQueue(workspace.id), foldBacklog(workspace.id)]);
  return {
    slug: workspace.slug,
    counts,
    webhooks,
    fold,
    // The page needs no payloads (they may name files and mappings); ids link to the import page.
    jobs: jobs.map((j) => ({ ...j, progress: null })),
  };
}

/** Past this, waiting work (a delivery due, a batch to fold) means no server is taking it: a warning. */
const STALE_MS = 5_000;

/** The warning for work that has waited past STALE_MS (`waitedMs`: the oldest's wait, null when none). */
function StaleWarning({ waitedMs, message }: { waitedMs: number | null; message: (seconds: number) => string }) {
  if (waitedMs === null || waitedMs <= STALE_MS) return null;
  return (
    <p className="notice error" role="status">
      {message(Math.round(waitedMs / 1000))}
    </p>
  );
}

/** One figure of a queue: its number over its label. */
function Stat({ testId, value, label }: { testId: string; value: string; label: string }) {
  return (
    <div className="card">
      <div className="stat" data-testid={testId}>
        {value}
      </div>
      <div className="stat-label">{label}</div>
    </div>
  );
}

export default function JobsPage() {
  const { slug, counts, webhooks, fold, jobs } = useLoaderData<typeof loader>();
  const t = useT();
  const lang = useLang();
  const f = useFormat();
  const statuses = ["waiting", "queued", "running", "done", "failed"] as const;
  return (
    <>
      <p>
        <Link to={`/w/${slug}/settings`}>← {t("nav.settings")}</Link>
      </p>
      <h1>{t("jobs.title")}</h1>
      <p className="muted">{t("jobs.intro")}</p>

      <h2 id="queue">{t("jobs.queue")}</h2>
      <div className="grid" aria-labelledby="queue">
        {statuses.map((s) => (
          <Stat key={s} testId={`jobs-${s}`} value={f.int(counts[s])} label={t(`jobs.status.${s}`)} />
        ))}
        <Stat testId="jobs-overdue" value={f.int(counts.overdue)} label={t("jobs.overdue")} />
      </div>

      <h2 id="webhook-queue">{t("jobs.webhooks")}</h2>
      <div className="grid" aria-labelledby="webhook-queue">
        {(["pending", "sending", "delivered", "failed"] as const).map((s) => (
          <Stat key={s} testId={`webhooks-${s}`} value={f.int(webhooks.byStatus[s])} label={t(`jobs.webhooks.${s}`)} />
        ))}
      </div>
      <StaleWarning waitedMs={webhooks.oldestDueMs} message={(seconds) => t("jobs.webhooks.oldest", { seconds })} />

      {fold ? (
        <>
          <h2 id="fold-queue">{t("jobs.fold")}</h2>
          <p className="muted">{t("jobs.fold.note")}</p>
          <div className="grid" aria-labelledby="fold-queue">
            <Stat testId="fold-pending" value={f.int(fold.batches)} label={t("jobs.fold.pending")} />
          </div>
          <StaleWarning waitedMs={fold.oldestMs} message={(seconds) => t("jobs.fold.oldest", { seconds })} />
        </>
      ) : null}

      <ActivityLogTable
        id="job-list"
        title={t("jobs.list")}
        level={2}
        rows={jobs}
        rowKey={(j) => j.publicId}
        rowTestId="job-row"
        empty={t("jobs.none")}
        columns={[
          { header: t("jobs.kind"), cell: (j) => t(`jobs.kind.${j.kind}`) },
          { header: t("jobs.state"), cell: (j) => t(`jobs.status.${j.status}`) },
          {
            header: t("jobs.attempts"),
            cell: (j) => (
              <>
                {j.attempts} / {j.maxAttempts}
              </>
            ),
          },
          { header: t("jobs.node"), className: "break", cell: (j) => j.lockedBy ?? "—" },
          { header: t("jobs.created"), time: (j) => j.createdAt },
          { header: t("jobs.finished"), time: (j) => j.finishedAt },
          {
            header: t("jobs.detail"),
            className: "break",
            cell: (j) => (
              <>
                {j.error ? <span>{j.error}</span> : null}{" "}
                {j.kind === "crm-import" ? <Link to={`/w/${slug}/crm/import?job=${encodeURIComponent(j.publicId)}`}>{t("jobs.open")}</Link> : null}
              </>
            ),
          },
        ]}
      />
    </>
  );
}
