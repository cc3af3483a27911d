// The Clienting assessment of a workspace: departments and the processes they run, pulses (a SurveyJS
// definition behind an anonymous public link), their answers, and the index overall, by department,
// respondent group or role level, by month, and by process (app/cem/clienting.ts).
import { randomBytes } from "node:crypto";
import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "#db/client";
import { clientingPulses, clientingResponses, departmentProcesses, departments, processes, workspaces } from "#db/schema/index";
import { parseBoundedJson } from "~/cem/bounded-json";
import {
  clientingAnswerFromSurvey,
  clientingIndex,
  clientingPulseSurvey,
  type ClientingAnswer,
  type ClientingGroupBy,
  type ClientingIndex,
  type ClientingSummary,
} from "~/cem/clienting";

/** Below this many complete answers a group's shares are withheld: the pulse is anonymous. */
export const CLIENTING_MIN_GROUP = 5;

// ---- Departments -----------------------------------------------------------------------------------

export const departmentNameSchema = z
  .string()
  .trim()
  .min(1, "Enter the department's name")
  .max(80, "Keep the name under 80 characters");

export async function listDepartments(workspaceId: number) {
  const db = getDb();
  const rows = await db.select({ id: departments.id, name: departments.name }).from(departments).where(eq(departments.workspaceId, workspaceId)).orderBy(asc(departments.name));
  const links = await db
    .select({ departmentId: departmentProcesses.departmentId, processId: departmentProcesses.processId })
    .from(departmentProcesses)
    .where(eq(departmentProcesses.workspaceId, workspaceId));
  return rows.map((d) => ({ ...d, processIds: links.filter((l) => l.departmentId === d.id).map((l) => l.processId) }));
}

/** A refusal names its message key: the settings page words it in the admin's language. */
export type DepartmentSave = { ok: true; id: number } | { ok: false; reason: "act.departments.taken" };

export async function createDepartment(workspaceId: number, name: string): Promise<DepartmentSave> {
  // Check and insert in one transaction: two admins adding the same name at once get one department.
  return getDb().transaction(async (tx): Promise<DepartmentSave> => {
    const [exists] = await tx
      .select({ id: departments.id })
      .from(departments)
      .where(and(eq(departments.workspaceId, workspaceId), sql`lower(${departments.name}) = lower(${name})`))
      .limit(1);
    if (exists) return { ok: false, reason: "act.departments.taken" };
    const [row] = await tx.insert(departments).values({ workspaceId, name }).returning({ id: departments.id });
    return { ok: true, id: row.id };
  });
}

export async function deleteDepartment(workspaceId: number, id: number): Promise<boolean> {
  const deleted = await getDb()
    .delete(departments)
    .where(and(eq(departments.workspaceId, workspaceId), eq(departments.id, id)))
    .returning({ id: departments.id });
  return deleted.length > 0;
}

/** Replaces the processes a department runs; false when the department or a process is not this workspace's. */
export async function setDepartmentProcesses(workspaceId: number, departmentId: number, processIds: number[]): Promise<boolean> {
  return getDb().transaction(async (tx) => {
    const [department] = await tx
      .select({ id: departments.id })
      .from(departments)
      .where(and(eq(departments.workspaceId, workspaceId), eq(departments.id, departmentId)))
      .limit(1);
    if (!department) return false;
    const unique = [...new Set(processIds)];
    if (unique.length) {
      const found = await tx.select({ id: processes.id }).from(processes).where(and(eq(processes.workspaceId, workspaceId), inArray(processes.id, unique)));
      if (found.length !== unique.length) return false;
    }
    await tx.delete(departmentProcesses).where(eq(departmentProcesses.departmentId, departmentId));
    for (const processId of unique) await tx.insert(departmentProcesses).values({ workspaceId, departmentId, processId });
    return true;
  });
}

// ---- Pulses ----------------------------------------------------------------------------------------

const isoDay = z.iso.date("Use a date as YYYY-MM-DD");

export const pulseInputSchema = z
  .object({
    title: z.string().trim().min(1, "Give the pulse a title, e.g. “Clienting pulse, first half”").max(120),
    opensOn: isoDay,
    closesOn: z.union([isoDay, z.literal("")]).transform((v) => v || null),
  })
  .refine((p) => p.closesOn === null || p.closesOn >= p.opensOn, { path: ["closesOn"], message: "The pulse must close on or after the day it opens" });
export type PulseInput = z.output<typeof pulseInputSchema>;

/** A new pulse; its survey lists the departments as they are today (later changes need a new pulse). */
export async function createPulse(workspaceId: number, input: PulseInput, userId: number | null) {
  const names = (await listDepartments(workspaceId)).map((d) => d.name);
  const token = randomBytes(24).toString("base64url");
  const [row] = await getDb()
    .insert(clientingPulses)
    .values({
      workspaceId,
      title: input.title,
      definition: JSON.stringify(clientingPulseSurvey(names)),
      publicToken: token,
      opensOn: input.opensOn,
      closesOn: input.closesOn,
      createdBy: userId,
    })
    .returning({ id: clientingPulses.id, publicToken: clientingPulses.publicToken });
  return row;
}

export async function listPulses(workspaceId: number) {
  return getDb()
    .select({
      id: clientingPulses.id,
      title: clientingPulses.title,
      publicToken: clientingPulses.publicToken,
      opensOn: clientingPulses.opensOn,
      closesOn: clientingPulses.closesOn,
      active: clientingPulses.active,
      createdAt: clientingPulses.createdAt,
      // Correlated subqueries name their tables: drizzle leaves column names unqualified here. A number
      // on both engines (PostgreSQL's count is a bigint, which pg gives as text).
      answers: sql<number>`(SELECT count(*) FROM clienting_responses r WHERE r.pulse_id = "clienting_pulses"."id")`.mapWith(Number),
    })
    .from(clientingPulses)
    .where(eq(clientingPulses.workspaceId, workspaceId))
    .orderBy(desc(clientingPulses.opensOn), desc(clientingPulses.id));
}

export async function setPulseActive(workspaceId: number, id: number, active: boolean): Promise<boolean> {
  const changed = await getDb()
    .update(clientingPulses)
    .set({ active })
    .where(and(eq(clientingPulses.workspaceId, workspaceId), eq(clientingPulses.id, id)))
    .returning({ id: clientingPulses.id });
  return changed.length > 0;
}

export type PulseLink =
  | { state: "unknown" }
  | { state: "not_yet"; brand: string; opensOn: string }
  | { state: "closed"; brand: string; opensOn: string }
  | { state: "open"; brand: string; pulse: { id: number; workspaceId: number; title: string; definition: string } };

/** What a pulse link leads to today. */
export async function pulseForToken(token: string, today: string = new Date().toISOString().slice(0, 10)): Promise<PulseLink> {
  if (!/^[A-Za-z0-9_-]{16,64}$/.test(token)) return { state: "unknown" };
  const [row] = await getDb()
    .select({
      id: clientingPulses.id,
      workspaceId: clientingPulses.workspaceId,
      title: clientingPulses.title,
      definition: clientingPulses.definition,
      opensOn: clientingPulses.opensOn,
      closesOn: clientingPulses.closesOn,
      active: clientingPulses.active,
      brand: workspaces.name,
    })
    .from(clientingPulses)
    .innerJoin(workspaces, eq(workspaces.id, clientingPulses.workspaceId))
    .where(eq(clientingPulses.publicToken, token))
    .limit(1);
  if (!row) return { state: "unknown" };
  if (today < row.opensOn) return { state: "not_yet", brand: row.brand, opensOn: row.opensOn };
  if (!row.active || (row.closesOn !== null && today > row.closesOn)) return { state: "closed", brand: row.brand, opensOn: row.opensOn };
  return { state: "open", brand: row.brand, pulse: { id: row.id, workspaceId: row.workspaceId, title: row.title, definition: row.definition } };
}

export type PulseAnswerResult = { status: "recorded" | "replayed" } | { status: "invalid"; message: string };

function departmentChoices(definition: string): string[] {
  try {
    const json = JSON.parse(definition) as { pages?: { elements?: { name?: string; choices?: unknown[] }[] }[] };
    const question = json.pages?.flatMap((p) => p.elements ?? []).find((e) => e.name === "department");
    return (question?.choices ?? []).filter((c): c is string => typeof c === "string");
  } catch {
    return [];
  }
}

/**
 * Stores one anonymous answer: the raw data as received, the three statements and the grouping read by
 * clientingAnswerFromSurvey. The day is all that is kept of the time. A `submission` id seen before for
 * this pulse is a retried submit, not a second answer.
 */
export async function recordPulseAnswer(
  pulse: { id: number; workspaceId: number; definition: string },
  data: string,
  submission: string | null,
  now = new Date(),
): Promise<PulseAnswerResult> {
  // Bounded like every JSON from outside: depth, and no __proto__/constructor/prototype keys.
  const bounded = parseBoundedJson(data);
  if (!bounded.ok) return { status: "invalid", message: bounded.problem.error === "invalid_json" ? "The answers are not valid JSON." : bounded.problem.message };
  const parsed = bounded.value;
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return { status: "invalid", message: "The answers must be a JSON object." };
  const answer = clientingAnswerFromSurvey(parsed as Record<string, unknown>);
  if (!answer) return { status: "invalid", message: "Say whether you answer as an employee, a supplier, a channel or an intermediary." };
  if (answer.knows === null || answer.applies === null || answer.supported === null) {
    return { status: "invalid", message: "Answer the three statements on the 1–5 scale." };
  }
  let departmentId: number | null = null;
  if (answer.department !== null) {
    if (!departmentChoices(pulse.definition).includes(answer.department)) {
      return { status: "invalid", message: "Choose your department from the list." };
    }
    const [department] = await getDb()
      .select({ id: departments.id })
      .from(departments)
      .where(and(eq(departments.workspaceId, pulse.workspaceId), eq(departments.name, answer.department)))
      .limit(1);
    departmentId = department?.id ?? null;
  }
  const inserted = await getDb()
    .insert(clientingResponses)
    .values({
      workspaceId: pulse.workspaceId,
      pulseId: pulse.id,
      respondentGroup: answer.respondentGroup,
      departmentId,
      department: answer.department,
      roleLevel: answer.roleLevel,
      knows: answer.knows,
      applies: answer.applies,
      supported: answer.supported,
      data,
      submission,
      completedOn: now.toISOString().slice(0, 10),
    })
    .onConflictDoNothing()
    .returning({ id: clientingResponses.id });
  return { status: inserted.length > 0 ? "recorded" : "replayed" };
}

// ---- The index -------------------------------------------------------------------------------------

type AnswerRow = ClientingAnswer & { completedOn: string; departmentId: number | null };

async function answers(workspaceId: number, pulseId?: number): Promise<AnswerRow[]> {
  return getDb()
    .select({
      respondentGroup: clientingResponses.respondentGroup,
      department: clientingResponses.department,
      departmentId: clientingResponses.departmentId,
      roleLevel: clientingResponses.roleLevel,
      knows: clientingResponses.knows,
      applies: clientingResponses.applies,
      supported: clientingResponses.supported,
      completedOn: clientingResponses.completedOn,
    })
    .from(clientingResponses)
    .where(and(eq(clientingResponses.workspaceId, workspaceId), pulseId ? eq(clientingResponses.pulseId, pulseId) : undefined));
}

/** The index overall and by one grouping, over one pulse or all of them. */
export async function clientingReport(workspaceId: number, options: { pulseId?: number; by: ClientingGroupBy }): Promise<ClientingIndex> {
  return clientingIndex(await answers(workspaceId, options.pulseId), options.by, { minGroupSize: CLIENTING_MIN_GROUP });
}

/** The overall index per calendar month of answering (YYYY-MM), oldest first. */
export async function clientingTrend(workspaceId: number, options: { pulseId?: number } = {}): Promise<{ month: string; summary: ClientingSummary }[]> {
  const byMonth = new Map<string, AnswerRow[]>();
  for (const a of await answers(workspaceId, options.pulseId)) {
    const month = a.completedOn.slice(0, 7);
    byMonth.set(month, [...(byMonth.get(month) ?? []), a]);
  }
  return [...byMonth]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([month, rows]) => ({ month, summary: clientingIndex(rows, undefined, { minGroupSize: CLIENTING_MIN_GROUP }).overall }));
}

export type ProcessClienting = { n: number; index: number | null; lo: number | null; hi: number | null };

/**
 * The Clienting index of the people who run each process: the employees of the departments linked to
 * it, from the latest pulse that has answers. Shares are null below the anonymity floor (n still given).
 */
export async function clientingIndexByProcess(workspaceId: number): Promise<Map<number, ProcessClienting>> {
  const db = getDb();
  const [latest] = await db
    .select({ id: clientingPulses.id })
    .from(clientingPulses)
    .where(and(eq(clientingPulses.workspaceId, workspaceId), sql`EXISTS (SELECT 1 FROM clienting_responses r WHERE r.pulse_id = "clienting_pulses"."id")`))
    .orderBy(desc(clientingPulses.opensOn), desc(clientingPulses.id))
    .limit(1);
  const result = new Map<number, ProcessClienting>();
  if (!latest) return result;
  const links = await db
    .select({ departmentId: departmentProcesses.departmentId, processId: departmentProcesses.processId })
    .from(departmentProcesses)
    .where(eq(departmentProcesses.workspaceId, workspaceId));
  const rows = (await answers(workspaceId, latest.id)).filter((a) => a.departmentId !== null);
  const processIds = [...new Set(links.map((l) => l.processId))];
  for (const processId of processIds) {
    const departmentIds = new Set(links.filter((l) => l.processId === processId).map((l) => l.departmentId));
    const group = rows.filter((a) => departmentIds.has(a.departmentId as number));
    const { overall } = clientingIndex(group, undefined, { minGroupSize: CLIENTING_MIN_GROUP });
    result.set(processId, { n: overall.n, index: overall.index?.p ?? null, lo: overall.index?.lo ?? null, hi: overall.index?.hi ?? null });
  }
  return result;
}
