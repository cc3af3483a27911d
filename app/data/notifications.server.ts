// A member's notifications: the list with unread ones first counted for the navigation, marking
// them read, opening one (read, then off to its evidence), and mailing new ones through the
// workspace's mail settings in each member's language (their stored interface language, else Spanish).
import { and, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import { getDb } from "#db/client";
import { alertOccurrences, alertRules, notifications, users, workspaces } from "#db/schema/index";
import type { AlertFinding } from "~/cem/alerts";
import { findingText } from "~/i18n/alert-text";
import { isLang, type Lang } from "~/i18n/lang";
import { translator } from "~/i18n/messages";
import { getMailSettingsRow, mailLinkOrigin } from "./mail-settings.server";
import { createSmtpTransport, explainSmtpError } from "./mail-transport.server";

export type NotificationItem = {
  id: number;
  createdAt: Date;
  readAt: Date | null;
  ruleName: string;
  finding: AlertFinding;
  evidencePath: string;
};

const LIST_LIMIT = 100;
/** How long a notification's e-mail is tried again while the mail server cannot be reached. */
const RETRY_MAIL_MS = 24 * 3_600_000;

export async function listNotifications(workspaceId: number, userId: number): Promise<NotificationItem[]> {
  const found = await getDb()
    .select({
      id: notifications.id,
      createdAt: notifications.createdAt,
      readAt: notifications.readAt,
      ruleName: alertRules.name,
      detail: alertOccurrences.detail,
      evidencePath: alertOccurrences.evidencePath,
    })
    .from(notifications)
    .innerJoin(alertOccurrences, eq(alertOccurrences.id, notifications.occurrenceId))
    .innerJoin(alertRules, eq(alertRules.id, alertOccurrences.ruleId))
    .where(and(eq(notifications.workspaceId, workspaceId), eq(notifications.userId, userId)))
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(LIST_LIMIT);
  return found.map(({ detail, ...n }) => ({ ...n, finding: detail as unknown as AlertFinding }));
}

export async function unreadCount(workspaceId: number, userId: number): Promise<number> {
  const [row] = await getDb()
    .select({ n: sql<number>`count(*)`.mapWith(Number) })
    .from(notifications)
    .where(and(eq(notifications.workspaceId, workspaceId), eq(notifications.userId, userId), isNull(notifications.readAt)));
  return row?.n ?? 0;
}

/** Marks one of the member's notifications read (or all, without an id); false when the id is not theirs. */
export async function markRead(workspaceId: number, userId: number, id?: number): Promise<boolean> {
  const changed = await getDb()
    .update(notifications)
    .set({ readAt: new Date() })
    .where(
      and(
        eq(notifications.workspaceId, workspaceId),
        eq(notifications.userId, userId),
        isNull(notifications.readAt),
        id === undefined ? undefined : eq(notifications.id, id),
      ),
    )
    .returning({ id: notifications.id });
  if (id === undefined || changed.length > 0) return true;
  return (await evidenceOf(workspaceId, userId, id)) !== null;
}

/** The evidence path of one of the member's notifications; null when it is not theirs. */
export async function evidenceOf(workspaceId: number, userId: number, id: number): Promise<string | null> {
  const [row] = await getDb()
    .select({ path: alertOccurrences.evidencePath })
    .from(notifications)
    .innerJoin(alertOccurrences, eq(alertOccurrences.id, notifications.occurrenceId))
    .where(and(eq(notifications.workspaceId, workspaceId), eq(notifications.userId, userId), eq(notifications.id, id)))
    .limit(1);
  return row?.path ?? null;
}

export type MailRound = { sent: number; failed: number; skipped: number };

/**
 * Mails the workspace's pending notifications. Each is claimed (pending → sending) before its send,
 * so two nodes never mail the same one; a node that stops mid-send leaves it "sending", unsent rather
 * than sent twice. Without mail settings they are marked skipped: the list in the app still has them.
 * A transient failure puts one back to pending for the next evaluation.
 */
export async function deliverNotificationMail(workspaceId: number): Promise<MailRound> {
  const db = getDb();
  const round: MailRound = { sent: 0, failed: 0, skipped: 0 };
  const settings = await getMailSettingsRow(workspaceId);
  if (!settings) {
    const skipped = await db
      .update(notifications)
      .set({ mailState: "skipped" })
      .where(and(eq(notifications.workspaceId, workspaceId), eq(notifications.mailState, "pending")))
      .returning({ id: notifications.id });
    return { ...round, skipped: skipped.length };
  }
  const claimed = await db
    .update(notifications)
    .set({ mailState: "sending" })
    .where(and(eq(notifications.workspaceId, workspaceId), eq(notifications.mailState, "pending")))
    .returning({ id: notifications.id });
  if (claimed.length === 0) return round;
  const [ws] = await db.select({ name: workspaces.name, slug: workspaces.slug, timeZone: workspaces.timeZone }).from(workspaces).where(eq(workspaces.id, workspaceId)).limit(1);
  const items = await db
    .select({
      id: notifications.id,
      createdAt: notifications.createdAt,
      email: users.email,
      name: users.name,
      lang: users.lang,
      ruleName: alertRules.name,
      detail: alertOccurrences.detail,
      evidencePath: alertOccurrences.evidencePath,
    })
    .from(notifications)
    .innerJoin(users, eq(users.id, notifications.userId))
    .innerJoin(alertOccurrences, eq(alertOccurrences.id, notifications.occurrenceId))
    .innerJoin(alertRules, eq(alertRules.id, alertOccurrences.ruleId))
    .where(inArray(notifications.id, claimed.map((c) => c.id)));
  const origin = mailLinkOrigin(settings);
  const transport = createSmtpTransport(settings);
  try {
    for (const item of items) {
      const lang: Lang = isLang(item.lang) ? item.lang : "es";
      const t = translator(lang);
      const text = [
        t("mail.alert.greeting", { name: item.name }),
        "",
        t("mail.alert.body", { rule: item.ruleName, workspace: ws.name }),
        "",
        findingText(t, lang, item.detail as unknown as AlertFinding, ws.timeZone),
        "",
        t("mail.alert.evidence", { link: `${origin}${item.evidencePath}` }),
        "",
        t("mail.alert.footer", { link: `${origin}/w/${ws.slug}/alerts` }),
      ].join("\n");
      try {
        await transport.sendMail({
          from: { name: settings.fromName, address: settings.fromAddress },
          to: item.email,
          subject: t("mail.alert.subject", { rule: item.ruleName }),
          text,
        });
        await db.update(notifications).set({ mailState: "sent" }).where(eq(notifications.id, item.id));
        round.sent++;
      } catch (error) {
        // A refusal of the address is final; a server that cannot be reached is tried again at the
        // next evaluation, for a day.
        const explained = explainSmtpError(error);
        const giveUp = explained.permanent || Date.now() - item.createdAt.getTime() > RETRY_MAIL_MS;
        await db
          .update(notifications)
          .set({ mailState: giveUp ? "failed" : "pending", mailError: `${explained.reason}: ${explained.detail}` })
          .where(eq(notifications.id, item.id));
        round.failed++;
      }
    }
  } finally {
    transport.close();
  }
  return round;
}
