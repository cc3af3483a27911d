// The work every server process does outside requests, started by server.js at boot and stopped at
// shutdown: webhook deliveries (new ones, and retries due since before a restart), the durable job
// runner (CRM imports, invitation e-mail, alert evaluation every quarter of an hour, digests) and, on
// PostgreSQL, the rollup fold (rollup-fold.server.ts). Any number of processes may run it against
// one database: each delivery, job and fold is claimed by one of them (webhook-delivery.server.ts,
// jobs.server.ts). Each loops on a poller (poller.server.ts), so stopping waits for a round in
// progress: what it claimed is recorded or handed back rather than left to a lease running out.
import { runAlertEvaluationJob, scheduleAlertEvaluations } from "./alerts.server";
import { runImportJob } from "./crm-import-jobs.server";
import { runDigestJob, scheduleAllDigests } from "./digests.server";
import { resumeMailDelivery, runInvitationMailJob } from "./invitation-delivery.server";
import { startCatcherFromEnv } from "./mail-catcher.server";
import { startJobRunner, stopJobRunner } from "./job-runner.server";
import { startRollupFolds, stopRollupFolds } from "./rollup-fold.server";
import { kickWebhookDelivery, stopWebhookWorker } from "./webhook-delivery.server";

export function startBackgroundWork(): void {
  kickWebhookDelivery();
  startRollupFolds();
  startJobRunner({ "crm-import": runImportJob, "invitation-mail": runInvitationMailJob, "alert-evaluation": runAlertEvaluationJob, "digest-send": runDigestJob });
  // Recurring jobs a database copied in (or written before this version) may lack: queued once each.
  Promise.all([scheduleAlertEvaluations(), scheduleAllDigests()]).catch((error: unknown) => console.warn("[alerts]", error instanceof Error ? error.message : error));
  // Invitation e-mail: a job for any workspace with messages waiting; the demo's local SMTP catcher.
  resumeMailDelivery().catch((error: unknown) => console.warn("[mail]", error instanceof Error ? error.message : error));
  startCatcherFromEnv();
}

export async function stopBackgroundWork(): Promise<void> {
  await Promise.all([stopWebhookWorker(), stopJobRunner(), stopRollupFolds()]);
}
