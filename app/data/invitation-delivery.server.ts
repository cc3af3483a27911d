// Invitation delivery: every message (an invitation's first e-mail and each reminder) is a row of
// invitation_sends with its own state, and a durable job per workspace ("invitation-mail", run by the
// job runner) works through the rows that are due: inside the deployment's send window, at the
// workspace's rate, once each. ADR mail-send-state explains why this holds across crashes and nodes:
// a row is claimed (queued → sending, by one node, until claimed_until) before its SMTP conversation
// and marked sent in one UPDATE as soon as the server accepts it.
//
// A row's channel (e-mail or SMS, chosen per customer when it is queued: app/cem/invitation-channel.ts)
// says how it goes out; reminders keep their first message's channel. deliverBySms is the one place
// the SMS transport (sms.server.ts) plugs in; claiming, window, rate and events are the same for both.
import { and, asc, eq, gte, inArray, lte, min, or, sql } from "drizzle-orm";
import type { Transporter } from "nodemailer";
import { getDb, instantParam, isPostgres, rows } from "#db/client";
import { customers, invitationSends, jobs, workspaces } from "#db/schema/index";
import { reachFor, type Contact } from "~/cem/invitation-channel";
import { renderSmsText } from "~/cem/sms-text";
import { nextSendInstant, reminderSchedule, reminderStillWanted, sendAllowance } from "~/cem/send-window";
import { deploymentMailConfig, type DeploymentChannel, type DeploymentMailConfig } from "./deployment-mail.server";
import { personalLink } from "./deployments.server";
import { isBounced, isOptedOut, markBounced, recordInvitationEvent } from "./invitation-events.server";
import { NODE_ID, kickJobs, type JobHandler } from "./job-runner.server";
import { ensureQueuedJob } from "./jobs.server";
import { getMailSettingsRow, mailLinkOrigin } from "./mail-settings.server";
import { createSmtpTransport, explainSmtpError, type MailSettingsRow } from "./mail-transport.server";
import { customerLang, invitationMessage, sendContext, type SendContext } from "./invitation-message.server";
import { deploymentSmsText } from "./sms-settings.server";
import { getSmsSettingsRow, sendSms } from "./sms.server";

export type SendRow = typeof invitationSends.$inferSelect;

const MINUTE_MS = 60_000;
/** How long a claimed row is this node's: longer than one SMTP conversation (timeouts: mail-transport). */
const claimMs = () => Number(process.env.MAIL_CLAIM_MS || 2 * MINUTE_MS);
/** Tries of a message that keeps failing for a passing reason (connection, 4xx) before it is given up. */
const MAX_ATTEMPTS = 5;
/** A run hands over after this many messages or this long, so one workspace does not hold the runner. */
const MAX_PER_RUN = 200;
const MAX_RUN_MS = 25_000;

// ---- Queueing --------------------------------------------------------------------------------------

/**
 * Queues the first message of new invitations (inside the caller's transaction, so an invitation and
 * its send commit together) on the channel that reaches each customer (app/cem/invitation-channel.ts);
 * one that no channel reaches is recorded as skipped with the reason. Nothing is queued when the
 * workspace sends neither e-mail nor SMS (its links are shared by hand). Returns how many were queued.
 */
export async function queueInvitationMessages(workspaceId: number, created: { id: number; deploymentId: number; customerId: number; sendAt: Date }[]): Promise<number> {
  if (created.length === 0) return 0;
  const transports = { email: Boolean(await getMailSettingsRow(workspaceId)), sms: Boolean(await getSmsSettingsRow(workspaceId)) };
  if (!transports.email && !transports.sms) return 0;
  const ids = [...new Set(created.map((c) => c.customerId))];
  const contact = new Map<number, Contact>();
  for (let i = 0; i < ids.length; i += 500) {
    for (const c of await getDb()
      .select({ id: customers.id, email: customers.email, phone: customers.phone })
      .from(customers)
      .where(and(eq(customers.workspaceId, workspaceId), inArray(customers.id, ids.slice(i, i + 500))))) {
      contact.set(c.id, c);
    }
  }
  const choices = new Map<number, DeploymentChannel>();
  for (const deploymentId of new Set(created.map((c) => c.deploymentId))) {
    choices.set(deploymentId, (await deploymentMailConfig(workspaceId, deploymentId)).channel);
  }
  const now = new Date();
  let queued = 0;
  for (const c of created) {
    const reach = reachFor(choices.get(c.deploymentId) ?? "email_sms", contact.get(c.customerId) ?? { email: null, phone: null }, transports);
    const [row] = await getDb()
      .insert(invitationSends)
      .values({ workspaceId, invitationId: c.id, seq: 0, channel: reach.channel, state: reach.skip ? "skipped" : "queued", dueAt: c.sendAt, response: reach.skip })
      .onConflictDoNothing()
      .returning({ id: invitationSends.id });
    if (!row) continue;
    if (reach.skip) {
      await recordInvitationEvent({ workspaceId, invitationId: c.id, kind: "skipped", detail: reach.skip, at: now });
    } else {
      await recordInvitationEvent({ workspaceId, invitationId: c.id, kind: "queued", at: now });
      queued++;
    }
  }
  if (queued > 0) await scheduleMailJob(workspaceId, new Date(Math.min(...created.map((c) => c.sendAt.getTime()))));
  return queued;
}

/** Makes sure the workspace's mail job runs by `runAt` (one queued job per workspace). */
export async function scheduleMailJob(workspaceId: number, runAt: Date): Promise<void> {
  await ensureQueuedJob({ workspaceId, kind: "invitation-mail", runAt, payload: { workspaceId }, maxAttempts: 5 });
}

/** At boot: a job for every workspace with messages waiting and none queued (a job that failed, a lost one). */
export async function resumeMailDelivery(): Promise<void> {
  const waiting = await getDb()
    .select({ workspaceId: invitationSends.workspaceId, due: min(invitationSends.dueAt) })
    .from(invitationSends)
    .where(inArray(invitationSends.state, ["queued", "sending"]))
    .groupBy(invitationSends.workspaceId);
  for (const w of waiting) await scheduleMailJob(w.workspaceId, w.due ?? new Date());
  if (waiting.length > 0) kickJobs();
}

// ---- Claiming ------------------------------------------------------------------------------------

function dueNow(now: Date) {
  return or(and(eq(invitationSends.state, "queued"), lte(invitationSends.dueAt, now)), and(eq(invitationSends.state, "sending"), lte(invitationSends.claimedUntil, now)));
}

/**
 * Claims the workspace's next due row for this node: queued and due, or sending under a claim that ran
 * out (its node went away mid-conversation). The UPDATE repeats the condition, so of two nodes only
 * one gets the row; on PostgreSQL the pick skips rows another node is claiming.
 */
export async function claimNextSend(workspaceId: number, node: string, now: Date): Promise<SendRow | null> {
  return getDb().transaction(async (tx) => {
    const skipLocked = isPostgres() ? sql` FOR UPDATE SKIP LOCKED` : sql``;
    const due = await rows<{ id: number }>(
      sql`SELECT id FROM invitation_sends
          WHERE workspace_id = ${workspaceId}
            AND ((state = 'queued' AND due_at <= ${instantParam(now)}) OR (state = 'sending' AND claimed_until <= ${instantParam(now)}))
          ORDER BY due_at, id LIMIT 1${skipLocked}`,
    );
    if (due.length === 0) return null;
    const [row] = await tx
      .update(invitationSends)
      .set({ state: "sending", claimedBy: node, claimedUntil: new Date(now.getTime() + claimMs()), attempts: sql`${invitationSends.attempts} + 1` })
      .where(and(eq(invitationSends.id, Number(due[0].id)), dueNow(now)))
      .returning();
    return row ?? null;
  });
}

type Finish =
  | { state: "sent"; response: string; messageId: string | null; recipient: string }
  | { state: "bounced" | "failed" | "skipped"; response: string; recipient?: string | null }
  | { state: "queued"; response?: string | null; dueAt: Date; uncount?: boolean };

/**
 * Records the end of a claimed row, if it is still this node's claim, with its event; a first message
 * that went out plans its reminders in the same transaction. False when the claim was lost.
 */
async function finishSend(row: SendRow, node: string, end: Finish, now: Date, plan?: { config: DeploymentMailConfig; expiresAt: Date }): Promise<boolean> {
  return getDb().transaction(async (tx) => {
    const patch =
      end.state === "queued"
        ? { state: "queued" as const, dueAt: end.dueAt, claimedBy: null, claimedUntil: null, ...(end.response !== undefined ? { response: end.response } : {}), ...(end.uncount ? { attempts: sql`${invitationSends.attempts} - 1` } : {}) }
        : {
            state: end.state,
            response: end.response.slice(0, 1000),
            claimedBy: null,
            claimedUntil: null,
            ...(end.recipient !== undefined ? { recipient: end.recipient } : {}),
            ...(end.state === "sent" ? { sentAt: now, messageId: end.messageId } : {}),
          };
    const changed = await tx
      .update(invitationSends)
      .set(patch)
      .where(and(eq(invitationSends.id, row.id), eq(invitationSends.claimedBy, node), eq(invitationSends.state, "sending")))
      .returning({ id: invitationSends.id });
    if (changed.length === 0) return false;
    if (end.state !== "queued") {
      await recordInvitationEvent({ workspaceId: row.workspaceId, invitationId: row.invitationId, kind: end.state, seq: row.seq, detail: end.response, at: now });
    } else if (end.response) {
      // A passing failure: recorded once per message with the server's answer (a later success follows it).
      await recordInvitationEvent({ workspaceId: row.workspaceId, invitationId: row.invitationId, kind: "failed", seq: row.seq, detail: end.response, at: now });
    }
    if (end.state === "sent" && row.seq === 0 && plan) {
      const reminders = reminderSchedule(now, plan.expiresAt, plan.config.reminders, plan.config.reminderDays);
      for (const [i, dueAt] of reminders.entries()) {
        await tx
          .insert(invitationSends)
          .values({ workspaceId: row.workspaceId, invitationId: row.invitationId, seq: i + 1, channel: row.channel, state: "queued", dueAt })
          .onConflictDoNothing();
      }
    }
    return true;
  });
}

// ---- One message ---------------------------------------------------------------------------------

type Outcome = { state: "sent"; response: string; messageId: string | null } | { state: "bounced" | "retry"; response: string };

async function deliverByEmail(transport: Transporter, settings: MailSettingsRow, row: SendRow, ctx: SendContext, config: DeploymentMailConfig): Promise<Outcome> {
  const message = invitationMessage(ctx, settings, config, row.seq, row.workspaceId);
  const domain = settings.fromAddress.split("@")[1] ?? "vivencia.invalid";
  try {
    const info = await transport.sendMail({
      from: { name: settings.fromName, address: settings.fromAddress },
      to: { name: ctx.customer.name, address: ctx.customer.email! },
      subject: message.subject,
      text: message.text,
      html: message.html,
      // The same id if a message is ever sent twice (a crash in the instant after the server accepted
      // it): receivers and their filters see one message.
      messageId: `<invitation-${row.invitationId}-${row.seq}.${row.workspaceId}@${domain}>`,
      headers: {
        // RFC 8058 one-click unsubscribe: the mail client POSTs "List-Unsubscribe=One-Click" to the URL.
        "List-Unsubscribe": `<${message.unsubscribe}>`,
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "Content-Language": message.lang,
      },
    });
    return { state: "sent", response: String(info.response ?? "accepted"), messageId: info.messageId ?? null };
  } catch (error) {
    const explained = explainSmtpError(error);
    return { state: explained.permanent ? "bounced" : "retry", response: `${explained.reason}: ${explained.detail}` };
  }
}

/**
 * The SMS branch: the deployment's SMS text in the customer's language with their personal link, sent
 * through the workspace's HTTP provider (sms.server.ts). Accepted = sent; a temporary failure is tried
 * again like a 4xx from SMTP; a permanent one (4xx from the provider, a bad number) ends the row.
 */
async function deliverBySms(row: SendRow, ctx: SendContext, origin: string): Promise<Outcome> {
  const lang = customerLang(ctx.customer.language);
  const text = renderSmsText(await deploymentSmsText(row.workspaceId, ctx.invitation.deploymentId, lang), lang, {
    link: personalLink(origin, ctx.invitation.token, lang),
    brand: ctx.brand,
  });
  const sent = await sendSms(row.workspaceId, { to: ctx.customer.phone ?? "", text });
  if (sent.outcome === "accepted") return { state: "sent", response: `${sent.status} ${sent.response}`.trim(), messageId: null };
  const response = `${sent.reason}${sent.status ? ` ${sent.status}` : ""}: ${sent.detail}`;
  return { state: sent.outcome === "permanent" ? "bounced" : "retry", response };
}

function backoff(attempts: number): number {
  return Math.min(60, 2 ** Math.max(0, attempts - 1)) * MINUTE_MS;
}

/** What a workspace sends with, read once per run: either transport may be missing. */
type Senders = { mail: MailSettingsRow | null; sms: boolean; origin: string | null; timeZone: string; ratePerMinute: number };

async function sendersOf(workspaceId: number): Promise<Senders | null> {
  const mail = await getMailSettingsRow(workspaceId);
  const sms = Boolean(await getSmsSettingsRow(workspaceId));
  if (!mail && !sms) return null;
  const [workspace] = await getDb().select({ timeZone: workspaces.timeZone }).from(workspaces).where(eq(workspaces.id, workspaceId)).limit(1);
  // Without a mail server, links need PUBLIC_URL: nothing else says where people open the app.
  const origin = mail ? mailLinkOrigin(mail) : process.env.PUBLIC_URL?.trim().replace(/\/+$/, "") || null;
  return { mail, sms, origin, timeZone: mail?.timeZone ?? workspace?.timeZone ?? "UTC", ratePerMinute: mail?.ratePerMinute ?? 60 };
}

/** Decides and does one claimed row. */
async function deliver(row: SendRow, senders: Senders, transport: () => Transporter, now: Date): Promise<void> {
  const node = NODE_ID;
  const ctx = await sendContext(row);
  if (!ctx) {
    await finishSend(row, node, { state: "skipped", response: "the invitation is gone" }, now);
    return;
  }
  const { invitation, customer } = ctx;
  const config = await deploymentMailConfig(row.workspaceId, invitation.deploymentId);
  const address = customer.email?.trim() || null;
  // Recorded on the row: the address or the phone the message goes (or would go) to.
  const recipient = row.channel === "sms" ? customer.phone?.trim() || null : address;
  const optedOut = Boolean(await isOptedOut(row.workspaceId, invitation.customerId));
  const bounced = address ? await isBounced(row.workspaceId, address) : false;
  const skip = (response: string) => finishSend(row, node, { state: "skipped", response, recipient }, now);

  if (invitation.state === "completed") return void (await skip("answered"));
  if (invitation.state === "expired" || invitation.expiresAt.getTime() <= now.getTime()) return void (await skip("expired"));
  if (optedOut) return void (await skip("unsubscribed"));
  if (row.seq > 0 && !reminderStillWanted({ state: invitation.state, expiresAt: invitation.expiresAt, optedOut, bounced }, now)) return void (await skip("not wanted"));
  if (row.channel === "email" && !address) return void (await skip("no e-mail address"));
  if (row.channel === "sms" && !customer.phone?.trim()) return void (await skip("no phone number"));
  if (row.channel === "email" && bounced) return void (await skip("the address bounced before"));
  if (row.channel === "email" && !senders.mail) return void (await skip("no mail server set up"));
  if (row.channel === "sms" && !senders.sms) return void (await skip("no SMS provider set up"));
  if (!senders.origin) return void (await skip("no public address for the survey link: set PUBLIC_URL"));
  if (row.attempts > MAX_ATTEMPTS) {
    await finishSend(row, node, { state: "failed", response: row.response ?? "gave up", recipient }, now);
    return;
  }

  // Outside the send window: back to the queue until it opens (this claim does not count as a try).
  const opens = nextSendInstant(now, config.window, senders.timeZone);
  if (opens.getTime() > now.getTime()) {
    await finishSend(row, node, { state: "queued", dueAt: opens, uncount: true }, now);
    return;
  }

  const outcome = row.channel === "sms" || !senders.mail ? await deliverBySms(row, ctx, senders.origin) : await deliverByEmail(transport(), senders.mail, row, ctx, config);
  const at = new Date();
  if (outcome.state === "sent") {
    await finishSend(row, node, { state: "sent", response: outcome.response, messageId: outcome.messageId, recipient: recipient ?? "" }, at, { config, expiresAt: invitation.expiresAt });
  } else if (outcome.state === "bounced") {
    if (address && row.channel === "email") await markBounced(row.workspaceId, address, outcome.response, at);
    await finishSend(row, node, { state: "bounced", response: outcome.response, recipient }, at);
  } else if (row.attempts >= MAX_ATTEMPTS) {
    await finishSend(row, node, { state: "failed", response: outcome.response, recipient }, at);
  } else {
    await finishSend(row, node, { state: "queued", response: outcome.response, dueAt: new Date(at.getTime() + backoff(row.attempts)) }, at);
  }
}

// ---- The job ---------------------------------------------------------------------------------------

async function sentInLastMinute(workspaceId: number, now: Date): Promise<{ n: number; oldest: Date | null }> {
  const [r] = await getDb()
    .select({ n: sql<number>`count(*)`.mapWith(Number), oldest: min(invitationSends.sentAt) })
    .from(invitationSends)
    .where(and(eq(invitationSends.workspaceId, workspaceId), gte(invitationSends.sentAt, new Date(now.getTime() - MINUTE_MS))));
  return { n: r?.n ?? 0, oldest: r?.oldest ?? null };
}

async function nextDue(workspaceId: number): Promise<Date | null> {
  const [r] = await getDb()
    .select({ queued: min(invitationSends.dueAt), claimed: min(invitationSends.claimedUntil) })
    .from(invitationSends)
    .where(and(eq(invitationSends.workspaceId, workspaceId), inArray(invitationSends.state, ["queued", "sending"])));
  const times = [r?.queued, r?.claimed].filter((d): d is Date => d instanceof Date);
  return times.length ? new Date(Math.min(...times.map((d) => d.getTime()))) : null;
}

/**
 * The "invitation-mail" job: sends the workspace's due messages one by one at its rate, then queues
 * itself for the next due message. Each message is its own claim and record, so running it twice, or
 * on two nodes at once, sends nothing twice.
 */
export const runInvitationMailJob: JobHandler = async (job, context) => {
  const { workspaceId } = JSON.parse(job.payload) as { workspaceId: number };
  const started = Date.now();
  let transport: Transporter | null = null;
  let sent = 0;
  try {
    const senders = await sendersOf(workspaceId);
    if (!senders) return { status: "done", result: { sent, note: "no mail server or SMS provider" } };
    for (;;) {
      const now = new Date();
      if (sent >= MAX_PER_RUN || Date.now() - started > MAX_RUN_MS) {
        await scheduleMailJob(workspaceId, now);
        break;
      }
      const recent = await sentInLastMinute(workspaceId, now);
      if (sendAllowance(senders.ratePerMinute, recent.n) === 0) {
        await scheduleMailJob(workspaceId, new Date((recent.oldest ?? now).getTime() + MINUTE_MS));
        break;
      }
      const row = await claimNextSend(workspaceId, NODE_ID, now);
      if (!row) {
        const next = await nextDue(workspaceId);
        if (next) await scheduleMailJob(workspaceId, next);
        break;
      }
      const mail = senders.mail;
      await deliver(row, senders, () => (transport ??= createSmtpTransport(mail!)), now);
      sent++;
      context.progress({ handled: sent });
    }
    return { status: "done", result: { handled: sent } };
  } catch (error) {
    // The rows are safe (each claim runs out on its own); make sure a later run picks them up.
    await scheduleMailJob(workspaceId, new Date(Date.now() + MINUTE_MS)).catch(() => undefined);
    throw error;
  } finally {
    (transport as Transporter | null)?.close();
  }
};
