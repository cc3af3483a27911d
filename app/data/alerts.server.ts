// Alert rules of a workspace, who follows them, and their evaluation: the durable job
// "alert-evaluation" reads the home's rollup sums per rule scope (never responses), turns what the
// rules watch into occurrences keyed stably, and inserts each once (the UNIQUE (rule, key) index
// decides between nodes evaluating at once); only the insert that wins notifies the subscribers.
import { and, asc, eq, inArray, lt, sql } from "drizzle-orm";
import { getDb } from "#db/client";
import {
  alertOccurrences,
  alertRules,
  alertSubscriptions,
  cases,
  journeys,
  memberships,
  notifications,
  processes,
  touchpoints,
  workspaces,
  type JobKind,
} from "#db/schema/index";
import { detractorRises, ruleOccurrences, scopeTouchpoints, type AlertEvidence, type AlertRule, type AlertRuleInput, type OverdueCase } from "~/cem/alerts";
import { homeFindings } from "~/cem/home-findings";
import { addKindSums, type KindSums } from "~/cem/insights";
import { dayOf, parseInsightFilter } from "~/cem/insights-filters";
import { homeEvidence } from "./home.server";
import { insightScope } from "./insights.server";
import type { JobHandler } from "./job-runner.server";
import { kickJobs } from "./job-runner.server";
import { deliverNotificationMail } from "./notifications.server";
import { scheduleRecurringJob } from "./recurring-jobs.server";

const EVALUATION: JobKind = "alert-evaluation";
/** How often rules are evaluated when nothing asks sooner. */
export const EVALUATE_EVERY_MS = 15 * 60_000;

export type RuleView = AlertRule & { subscribers: number; subscribed: boolean };

export async function listRules(workspaceId: number, userId: number): Promise<RuleView[]> {
  const db = getDb();
  const rules = await db
    .select({ id: alertRules.id, name: alertRules.name, kind: alertRules.kind, scope: alertRules.scope, scopeKey: alertRules.scopeKey })
    .from(alertRules)
    .where(eq(alertRules.workspaceId, workspaceId))
    .orderBy(asc(alertRules.name), asc(alertRules.id));
  const subs = await db
    .select({ ruleId: alertSubscriptions.ruleId, userId: alertSubscriptions.userId })
    .from(alertSubscriptions)
    .where(eq(alertSubscriptions.workspaceId, workspaceId));
  return rules.map((r) => ({
    ...r,
    subscribers: subs.filter((s) => s.ruleId === r.id).length,
    subscribed: subs.some((s) => s.ruleId === r.id && s.userId === userId),
  }));
}

/** Whether the journey, process or touchpoint a rule names exists in the workspace. */
async function scopeExists(workspaceId: number, input: AlertRuleInput["for"]): Promise<boolean> {
  if (!input.scope || !input.scopeKey) return true;
  const db = getDb();
  const table = input.scope === "journey" ? journeys : input.scope === "process" ? processes : touchpoints;
  const [row] = await db
    .select({ id: table.id })
    .from(table)
    .where(and(eq(table.workspaceId, workspaceId), eq(table.key, input.scopeKey)))
    .limit(1);
  return !!row;
}

export type RuleSaveResult = { ok: true; id: number } | { ok: false; status: 400 | 404; error: "alerts.error.scopeMissing" | "alerts.error.rule" };

/** A new rule or a change to one (its author following it or not, as asked); evaluated right after. */
export async function saveRule(workspaceId: number, userId: number, input: AlertRuleInput, id?: number): Promise<RuleSaveResult> {
  if (!(await scopeExists(workspaceId, input.for))) return { ok: false, status: 400, error: "alerts.error.scopeMissing" };
  const values = { name: input.name, kind: input.kind, scope: input.for.scope, scopeKey: input.for.scopeKey, updatedAt: new Date() };
  const saved = await getDb().transaction(async (tx) => {
    let ruleId = id;
    if (ruleId === undefined) {
      const [row] = await tx.insert(alertRules).values({ workspaceId, createdBy: userId, ...values }).returning({ id: alertRules.id });
      ruleId = row.id;
    } else {
      const changed = await tx
        .update(alertRules)
        .set(values)
        .where(and(eq(alertRules.workspaceId, workspaceId), eq(alertRules.id, ruleId)))
        .returning({ id: alertRules.id });
      if (changed.length === 0) return null;
    }
    // The form's box says whether its author follows the rule, on a new rule and on a change.
    if (input.subscribe) await tx.insert(alertSubscriptions).values({ ruleId, userId, workspaceId }).onConflictDoNothing();
    else await tx.delete(alertSubscriptions).where(and(eq(alertSubscriptions.ruleId, ruleId), eq(alertSubscriptions.userId, userId)));
    return ruleId;
  });
  if (saved === null) return { ok: false, status: 404, error: "alerts.error.rule" };
  await evaluateSoon(workspaceId);
  return { ok: true, id: saved };
}

export async function deleteRule(workspaceId: number, id: number): Promise<boolean> {
  const deleted = await getDb()
    .delete(alertRules)
    .where(and(eq(alertRules.workspaceId, workspaceId), eq(alertRules.id, id)))
    .returning({ id: alertRules.id });
  return deleted.length > 0;
}

/** Follows or unfollows one of the workspace's rules; false when there is no such rule. */
export async function setSubscription(workspaceId: number, ruleId: number, userId: number, follow: boolean): Promise<boolean> {
  const [rule] = await getDb()
    .select({ id: alertRules.id })
    .from(alertRules)
    .where(and(eq(alertRules.workspaceId, workspaceId), eq(alertRules.id, ruleId)))
    .limit(1);
  if (!rule) return false;
  if (follow) await getDb().insert(alertSubscriptions).values({ ruleId, userId, workspaceId }).onConflictDoNothing();
  else await getDb().delete(alertSubscriptions).where(and(eq(alertSubscriptions.ruleId, ruleId), eq(alertSubscriptions.userId, userId)));
  return true;
}

/** Asks for an evaluation now (a rule was saved); the job runner on this node starts it at once. */
export async function evaluateSoon(workspaceId: number): Promise<void> {
  await scheduleRecurringJob(workspaceId, EVALUATION, new Date());
  kickJobs();
}

/** Open and in-progress cases past due, with the keys a rule's scope is matched on. */
async function overdueCases(workspaceId: number, now: Date): Promise<OverdueCase[]> {
  const found = await getDb()
    .select({
      id: cases.id,
      dueAt: cases.dueAt,
      touchpointKey: touchpoints.key,
      touchpointName: touchpoints.name,
      processKey: processes.key,
      journeyKey: journeys.key,
    })
    .from(cases)
    .leftJoin(touchpoints, eq(touchpoints.id, cases.touchpointId))
    .leftJoin(processes, eq(processes.id, touchpoints.processId))
    .leftJoin(journeys, eq(journeys.id, touchpoints.journeyId))
    .where(and(eq(cases.workspaceId, workspaceId), inArray(cases.status, ["open", "in_progress"]), lt(cases.dueAt, now)))
    .orderBy(asc(cases.dueAt), asc(cases.id));
  return found.map((c) => ({ ...c, dueAt: c.dueAt.toISOString() }));
}

export type EvaluationResult = { rules: number; occurrences: number; notified: number };

/**
 * Evaluates every rule of the workspace at `now` over the home's default window. Rules sharing a
 * scope share its evidence. Safe to run on several nodes at once: an occurrence another run inserted
 * first is skipped here, with its notifications.
 */
export async function evaluateAlerts(workspaceId: number, now = new Date()): Promise<EvaluationResult> {
  const db = getDb();
  const [ws] = await db.select({ slug: workspaces.slug, minN: workspaces.minN }).from(workspaces).where(eq(workspaces.id, workspaceId)).limit(1);
  const rules = await db
    .select({ id: alertRules.id, name: alertRules.name, kind: alertRules.kind, scope: alertRules.scope, scopeKey: alertRules.scopeKey })
    .from(alertRules)
    .where(eq(alertRules.workspaceId, workspaceId))
    .orderBy(asc(alertRules.id));
  if (!ws || rules.length === 0) return { rules: 0, occurrences: 0, notified: 0 };

  const parsed = parseInsightFilter(new URLSearchParams(), dayOf(now.getTime()));
  if (!parsed.ok) throw new Error("the default insights filter must parse");
  const filter = parsed.filter;
  const scope = await insightScope(workspaceId);
  const overdue = rules.some((r) => r.kind === "overdue") ? await overdueCases(workspaceId, now) : [];
  const evidenceByScope = new Map<string, AlertEvidence>();
  const evidenceOf = async (rule: AlertRule): Promise<AlertEvidence> => {
    const key = `${rule.scope ?? ""}:${rule.scopeKey ?? ""}`;
    const known = evidenceByScope.get(key);
    if (known) return known;
    const empty = { items: [], total: 0 };
    let evidence: AlertEvidence = { home: { worstGaps: { process: empty, touchpoint: empty }, changes: empty, tiers: empty, targets: empty, comparisons: 0, q: 0 }, detractors: [], overdue };
    if (rule.kind !== "overdue") {
      const { input } = await homeEvidence({ workspaceId, minN: ws.minN, lang: "es" }, { ...scope, touchpoints: scopeTouchpoints(scope.touchpoints, rule) }, filter, now);
      const total = (byTier: ReadonlyMap<string, KindSums>) => [...byTier.values()].reduce((acc, s) => addKindSums(acc, s), {} as KindSums);
      evidence = {
        home: homeFindings({ ...input, limit: Number.MAX_SAFE_INTEGER }),
        detractors: detractorRises(input.units.map((u) => ({ unit: u.unit, now: total(u.byTier), previous: u.previous })), ws.minN),
        overdue,
      };
    }
    evidenceByScope.set(key, evidence);
    return evidence;
  };

  let occurrences = 0;
  let notified = 0;
  for (const rule of rules) {
    const found = ruleOccurrences(ws.slug, rule, await evidenceOf(rule), filter);
    for (const occurrence of found) {
      const n = await recordOccurrence(workspaceId, rule.id, occurrence.key, occurrence.finding, occurrence.evidencePath, now);
      if (n !== null) {
        occurrences++;
        notified += n;
      }
    }
  }
  return { rules: rules.length, occurrences, notified };
}

/**
 * Inserts the occurrence unless its key is already there, and in the same transaction a notification
 * for each subscriber who is still a member. Null when another run had it first.
 */
async function recordOccurrence(workspaceId: number, ruleId: number, key: string, finding: unknown, evidencePath: string, now: Date): Promise<number | null> {
  return getDb().transaction(async (tx) => {
    const [inserted] = await tx
      .insert(alertOccurrences)
      .values({ workspaceId, ruleId, occurrenceKey: key, detail: finding as Record<string, unknown>, evidencePath, foundAt: now })
      .onConflictDoNothing({ target: [alertOccurrences.ruleId, alertOccurrences.occurrenceKey] })
      .returning({ id: alertOccurrences.id });
    if (!inserted) return null;
    const followers = await tx
      .select({ userId: alertSubscriptions.userId })
      .from(alertSubscriptions)
      .innerJoin(memberships, and(eq(memberships.workspaceId, alertSubscriptions.workspaceId), eq(memberships.userId, alertSubscriptions.userId)))
      .where(and(eq(alertSubscriptions.ruleId, ruleId), eq(alertSubscriptions.workspaceId, workspaceId)));
    if (followers.length === 0) return 0;
    await tx
      .insert(notifications)
      .values(followers.map((f) => ({ workspaceId, userId: f.userId, occurrenceId: inserted.id, createdAt: now })))
      .onConflictDoNothing();
    return followers.length;
  });
}

/** The job: evaluate, mail what it found, and queue the next evaluation (after a failure too). */
export const runAlertEvaluationJob: JobHandler = async (job) => {
  let rules = 1;
  try {
    const result = await evaluateAlerts(job.workspaceId);
    rules = result.rules;
    const mail = await deliverNotificationMail(job.workspaceId);
    return { status: "done", result: { ...result, mail } };
  } finally {
    if (rules > 0) await scheduleRecurringJob(job.workspaceId, EVALUATION, new Date(Date.now() + EVALUATE_EVERY_MS));
  }
};

/** At boot: every workspace with rules has its evaluation queued (due now if none was). */
export async function scheduleAlertEvaluations(): Promise<void> {
  const withRules = await getDb().selectDistinct({ workspaceId: alertRules.workspaceId }).from(alertRules).orderBy(asc(alertRules.workspaceId));
  for (const { workspaceId } of withRules) await scheduleRecurringJob(workspaceId, EVALUATION, new Date());
}

/** How many occurrences a rule has had (for tests and the rules page). */
export async function occurrenceCount(workspaceId: number, ruleId: number): Promise<number> {
  const [row] = await getDb()
    .select({ n: sql<number>`count(*)`.mapWith(Number) })
    .from(alertOccurrences)
    .where(and(eq(alertOccurrences.workspaceId, workspaceId), eq(alertOccurrences.ruleId, ruleId)));
  return row?.n ?? 0;
}
