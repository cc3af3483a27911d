// Digests: a member's weekly or monthly e-mail with the home page's findings for the journeys they
// chose, in their language, each section linking to the home with that journey's filter. The durable
// job "digest-send" runs at the next send time (app/cem/digest-schedule.ts); a row per member and
// period (UNIQUE) is taken before sending, so a period's digest goes out once.
import { and, eq } from "drizzle-orm";
import { getDb } from "#db/client";
import { digestSends, digestSubscriptions, memberships, users, workspaces, type JobKind } from "#db/schema/index";
import { digestOwed, digestPeriodAt, nextDigestAt, type DigestFrequency } from "~/cem/digest-schedule";
import type { HomeFindings } from "~/cem/home-findings";
import { DEFAULT_DAYS, dayOf, parseInsightFilter, type InsightFilter } from "~/cem/insights-filters";
import { estimateText, findingText, METRIC_STYLE, unitText } from "~/i18n/alert-text";
import { isLang, type Lang } from "~/i18n/lang";
import { translator, type MessageKey, type Translate } from "~/i18n/messages";
import { formatInterval, formatNumber } from "~/i18n/format";
import { homeView } from "./home.server";
import { insightScope, selectTouchpoints, type InsightScope } from "./insights.server";
import type { JobHandler } from "./job-runner.server";
import { getMailSettingsRow, mailLinkOrigin } from "./mail-settings.server";
import { createSmtpTransport } from "./mail-transport.server";
import { scheduleRecurringJob } from "./recurring-jobs.server";

const DIGEST: JobKind = "digest-send";

export type DigestSubscription = { frequency: DigestFrequency; journeys: string[]; since: Date };

export async function getDigestSubscription(workspaceId: number, userId: number): Promise<DigestSubscription | null> {
  const [row] = await getDb()
    .select({ frequency: digestSubscriptions.frequency, journeys: digestSubscriptions.journeys, since: digestSubscriptions.since })
    .from(digestSubscriptions)
    .where(and(eq(digestSubscriptions.workspaceId, workspaceId), eq(digestSubscriptions.userId, userId)))
    .limit(1);
  return row ?? null;
}

/**
 * Subscribes (or, with null, unsubscribes) the member. A new frequency starts counting now: the first
 * digest is the next period's. Journeys are checked against the workspace by the caller.
 */
export async function saveDigestSubscription(workspaceId: number, userId: number, choice: { frequency: DigestFrequency; journeys: string[] } | null, now = new Date()): Promise<void> {
  const db = getDb();
  if (!choice) {
    await db.delete(digestSubscriptions).where(and(eq(digestSubscriptions.workspaceId, workspaceId), eq(digestSubscriptions.userId, userId)));
    return;
  }
  const before = await getDigestSubscription(workspaceId, userId);
  const since = before && before.frequency === choice.frequency ? before.since : now;
  const values = { frequency: choice.frequency, journeys: choice.journeys, since };
  await db
    .insert(digestSubscriptions)
    .values({ workspaceId, userId, ...values })
    .onConflictDoUpdate({ target: [digestSubscriptions.workspaceId, digestSubscriptions.userId], set: values });
  await scheduleDigests(workspaceId, now);
}

/** Queues the workspace's digest job at its next send time (none while nobody subscribes). */
export async function scheduleDigests(workspaceId: number, now = new Date()): Promise<Date | null> {
  const db = getDb();
  const [ws] = await db.select({ timeZone: workspaces.timeZone }).from(workspaces).where(eq(workspaces.id, workspaceId)).limit(1);
  const subs = await db.selectDistinct({ frequency: digestSubscriptions.frequency }).from(digestSubscriptions).where(eq(digestSubscriptions.workspaceId, workspaceId));
  if (!ws || subs.length === 0) return null;
  const next = new Date(Math.min(...subs.map((s) => nextDigestAt(now, s.frequency, ws.timeZone).getTime())));
  await scheduleRecurringJob(workspaceId, DIGEST, next);
  return next;
}

type DigestSection = { title: string; link: string; findings: HomeFindings; overdue: number };

function sectionText(t: Translate, lang: Lang, s: DigestSection): string[] {
  const list = (title: MessageKey, lines: string[]) => [`${t(title)}:`, ...(lines.length ? lines.map((l) => `  • ${l}`) : [`  ${t("digest.none")}`])];
  const f = s.findings;
  return [
    `== ${s.title} ==`,
    t("digest.open", { link: s.link }),
    ...list(
      "digest.changes",
      f.changes.items.map((c) => {
        const style = METRIC_STYLE[c.metric];
        return t("digest.change", {
          metric: t(`home.metric.${c.metric}`),
          unit: unitText(t, c.unit),
          now: estimateText(c.now, style, lang),
          difference: formatNumber(c.test.difference, style, lang),
          interval: formatInterval(c.test.lo, c.test.hi, style, lang),
          q: formatNumber(c.test.q, "p", lang),
        });
      }),
    ),
    ...list(
      "digest.tiers",
      f.tiers.items.map((x) =>
        t("digest.tier", { tier: t(`insights.tier.${x.tier}` as MessageKey), unit: unitText(t, x.unit), gap: estimateText(x.gap, "gap", lang), rest: estimateText(x.rest.gap, "gap", lang) }),
      ),
    ),
    ...list("digest.worst", [...f.worstGaps.process.items, ...f.worstGaps.touchpoint.items].map((g) => `${unitText(t, g.unit)}: ${estimateText(g.gap, "gap", lang)}`)),
    ...list(
      "digest.targets",
      f.targets.items.map((x) => findingText(t, lang, { kind: "target", unit: x.unit, metric: x.metric, target: x.target.value, estimate: x.estimate })),
    ),
    t("digest.overdue", { n: formatNumber(s.overdue, "int", lang) }),
    "",
  ];
}

/** The home's findings for each chosen journey (or for all), with the link that opens that view. */
async function digestSections(
  ws: { id: number; slug: string; minN: number },
  scope: InsightScope,
  filter: InsightFilter,
  journeys: string[],
  lang: Lang,
  origin: string,
  now: Date,
): Promise<DigestSection[]> {
  const t = translator(lang);
  const chosen = journeys.length === 0 ? [null] : journeys.filter((j) => scope.journeys.some((x) => x.key === j));
  const sections: DigestSection[] = [];
  for (const journey of chosen) {
    const view = await homeView({ workspaceId: ws.id, minN: ws.minN, lang }, { ...scope, touchpoints: selectTouchpoints(scope, { journey, channel: null }) }, { ...filter, journey }, now);
    const name = journey ? (scope.journeys.find((j) => j.key === journey)?.name ?? journey) : null;
    sections.push({
      title: name ? t("digest.journey", { journey: name }) : t("digest.allJourneys"),
      link: `${origin}/w/${ws.slug}${journey ? `?journey=${encodeURIComponent(journey)}` : ""}`,
      findings: view,
      overdue: view.overdue,
    });
  }
  return sections;
}

export type DigestRound = { sent: number; notDue: number };

/**
 * Sends the digests due at `now`: for each subscriber (still a member), the period whose send time
 * is the latest at or before now, once. Without mail settings nothing is sent or recorded, so the
 * digest goes out once they are set. A failed send gives its period back and fails the job (retried).
 */
export async function sendDueDigests(workspaceId: number, now = new Date()): Promise<DigestRound> {
  const db = getDb();
  const round: DigestRound = { sent: 0, notDue: 0 };
  const settings = await getMailSettingsRow(workspaceId);
  const [ws] = await db.select({ id: workspaces.id, slug: workspaces.slug, name: workspaces.name, minN: workspaces.minN, timeZone: workspaces.timeZone }).from(workspaces).where(eq(workspaces.id, workspaceId)).limit(1);
  if (!settings || !ws) return round;
  const subs = await db
    .select({ userId: digestSubscriptions.userId, frequency: digestSubscriptions.frequency, journeys: digestSubscriptions.journeys, since: digestSubscriptions.since, email: users.email, name: users.name, lang: users.lang })
    .from(digestSubscriptions)
    .innerJoin(users, eq(users.id, digestSubscriptions.userId))
    .innerJoin(memberships, and(eq(memberships.workspaceId, digestSubscriptions.workspaceId), eq(memberships.userId, digestSubscriptions.userId)))
    .where(eq(digestSubscriptions.workspaceId, workspaceId));
  if (subs.length === 0) return round;
  const parsed = parseInsightFilter(new URLSearchParams(), dayOf(now.getTime()));
  if (!parsed.ok) throw new Error("the default insights filter must parse");
  const filter = parsed.filter;
  // Names in each reader's language: at most two scopes, read when first needed.
  const scopes = new Map<Lang, Promise<InsightScope>>();
  const scopeIn = (lang: Lang) => scopes.get(lang) ?? scopes.set(lang, insightScope(workspaceId, lang)).get(lang)!;
  const origin = mailLinkOrigin(settings);
  const transport = createSmtpTransport(settings);
  try {
    for (const sub of subs) {
      const due = digestPeriodAt(now, sub.frequency, ws.timeZone);
      if (!digestOwed(sub.since, due, false)) {
        round.notDue++;
        continue;
      }
      const [taken] = await db
        .insert(digestSends)
        .values({ workspaceId, userId: sub.userId, frequency: sub.frequency, period: due.period, sentAt: now })
        .onConflictDoNothing({ target: [digestSends.workspaceId, digestSends.userId, digestSends.frequency, digestSends.period] })
        .returning({ id: digestSends.id });
      if (!taken) continue;
      const lang: Lang = isLang(sub.lang) ? sub.lang : "es";
      const t = translator(lang);
      const sections = await digestSections(ws, await scopeIn(lang), filter, sub.journeys, lang, origin, now);
      const text = [
        t("digest.greeting", { name: sub.name }),
        "",
        t("digest.window", { days: DEFAULT_DAYS, from: filter.from, to: filter.to, minN: ws.minN }),
        "",
        ...sections.flatMap((s) => sectionText(t, lang, s)),
        t("digest.footer", { link: `${origin}/w/${ws.slug}/notifications/settings` }),
      ].join("\n");
      try {
        await transport.sendMail({
          from: { name: settings.fromName, address: settings.fromAddress },
          to: sub.email,
          subject: t(sub.frequency === "weekly" ? "digest.subject.weekly" : "digest.subject.monthly", { workspace: ws.name }),
          text,
        });
        round.sent++;
      } catch (error) {
        await db.delete(digestSends).where(eq(digestSends.id, taken.id));
        throw error;
      }
    }
  } finally {
    transport.close();
  }
  return round;
}

/** After a failed send (the mail server away), the job is tried again this much later. */
const RETRY_MS = 15 * 60_000;

/** The job: send what is due, then queue the next send time (or, after a failure, a retry). */
export const runDigestJob: JobHandler = async (job) => {
  try {
    const round = await sendDueDigests(job.workspaceId);
    await scheduleDigests(job.workspaceId);
    return { status: "done", result: round };
  } catch (error) {
    await scheduleRecurringJob(job.workspaceId, DIGEST, new Date(Date.now() + RETRY_MS));
    throw error;
  }
};

/** At boot: every workspace with digest subscribers has its next send queued. */
export async function scheduleAllDigests(): Promise<void> {
  const withSubs = await getDb().selectDistinct({ workspaceId: digestSubscriptions.workspaceId }).from(digestSubscriptions);
  for (const { workspaceId } of withSubs) await scheduleDigests(workspaceId);
}
