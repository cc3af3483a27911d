// The demo's "act" side: case rules that open a case for the worst experiences only (not for every
// detractor of thousands of responses), those cases dated at their response and partly worked and
// closed so the SLA report has figures, the change behind each brand's story as an innovation, a
// Clienting pulse answered by departments, and invitations in every state.
import { randomBytes } from "node:crypto";
import { and, asc, eq } from "drizzle-orm";
import { getDb } from "../client";
import { caseEvents, cases, clientingPulses, customers, deployments, INVITATION_STATES, invitations, processes, responses, touchpoints } from "../schema/index";
import type { CaseRuleSettings } from "../../app/cem/case-rules";
import { dueAt } from "../../app/cem/sla";
import { loadActSettings, saveCaseRules } from "../../app/data/case-rules.server";
import { createDepartment, createPulse, listDepartments, recordPulseAnswer, setDepartmentProcesses } from "../../app/data/clienting.server";
import { createInnovation } from "../../app/data/innovations.server";
import { seededRandom, type Random } from "./random";

const DAY = 86_400_000;
const HOUR = 3_600_000;
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * A case for a response clearly below expectation (mean gap −2.5 or worse) or a comment naming a
 * broken promise; detractors alone would open hundreds of cases nobody could work.
 */
export const DEMO_CASE_RULES: CaseRuleSettings = {
  detractor: { enabled: false },
  gap: { enabled: true, threshold: -2.5 },
  lowCsat: { enabled: false },
  keywords: { enabled: true, words: ["tres veces", "nadie me avisó"] },
};

/** Before the responses: the rules their cases open by. */
export async function seedCaseRules(workspaceId: number, userId: number): Promise<void> {
  await saveCaseRules(workspaceId, DEMO_CASE_RULES, userId);
}

const NOTES = {
  assigned: ["Lo revisa Marta.", "Asignado a gestión de clientes.", "Me encargo yo."],
  inProgress: ["Llamada al cliente: confirma el problema.", "Pedido el detalle al equipo de operaciones.", "Escrito al cliente para disculparnos."],
  resolved: ["Tarjeta reenviada por mensajería urgente.", "Compensación aplicada en la cuenta.", "Visita reprogramada y confirmada con el cliente."],
  closed: ["El cliente confirma que está resuelto.", "Cerrado tras la llamada de seguimiento."],
};

/**
 * After the responses: each case opened at its response's time with the SLA counted from there,
 * then worked as a team would: most assigned within hours, most of those resolved, most of the
 * resolved closed; the newest still open. Never a step after `now`.
 */
export async function seedCaseWork(workspaceId: number, workers: number[], seed: number, now = Date.now()): Promise<number> {
  const random = seededRandom(seed);
  const db = getDb();
  const { sla } = await loadActSettings(workspaceId);
  const opened = await db
    .select({ id: cases.id, tier: cases.tier, at: responses.completedAt })
    .from(cases)
    .innerJoin(responses, eq(responses.id, cases.responseId))
    .where(eq(cases.workspaceId, workspaceId))
    .orderBy(asc(cases.id));
  await db.transaction(async (tx) => {
    for (const c of opened) {
      const openedAt = c.at.getTime();
      const due = dueAt(c.at, c.tier, sla);
      const row: Partial<typeof cases.$inferInsert> = { openedAt: c.at, dueAt: due, updatedAt: c.at };
      const steps: (typeof caseEvents.$inferInsert)[] = [];
      await tx.update(caseEvents).set({ at: c.at }).where(and(eq(caseEvents.caseId, c.id), eq(caseEvents.kind, "opened")));
      // Premium cases are taken faster, as the SLA asks; some cases are missed altogether.
      let t = openedAt + hoursUntil(random, c.tier === "premium" ? 6 : 30);
      if (random.chance(0.88) && t < now) {
        const worker = random.pick(workers);
        steps.push({ workspaceId, caseId: c.id, kind: "assigned", toUserId: worker, byUserId: worker, note: random.pick(NOTES.assigned), at: new Date(t) });
        steps.push({ workspaceId, caseId: c.id, kind: "status", fromStatus: "open", toStatus: "in_progress", byUserId: worker, note: random.pick(NOTES.inProgress), at: new Date(t + 60_000) });
        Object.assign(row, { assigneeId: worker, status: "in_progress", firstActionAt: new Date(t), updatedAt: new Date(t + 60_000) });
        t += hoursUntil(random, 40);
        if (random.chance(0.8) && t < now) {
          steps.push({ workspaceId, caseId: c.id, kind: "status", fromStatus: "in_progress", toStatus: "resolved", byUserId: worker, note: random.pick(NOTES.resolved), at: new Date(t) });
          Object.assign(row, { status: "resolved", resolvedAt: new Date(t), updatedAt: new Date(t) });
          t += hoursUntil(random, 48);
          if (random.chance(0.75) && t < now) {
            steps.push({ workspaceId, caseId: c.id, kind: "status", fromStatus: "resolved", toStatus: "closed", byUserId: worker, note: random.pick(NOTES.closed), at: new Date(t) });
            Object.assign(row, { status: "closed", closedAt: new Date(t), updatedAt: new Date(t) });
          }
        }
      }
      await tx.update(cases).set(row).where(eq(cases.id, c.id));
      if (steps.length) await tx.insert(caseEvents).values(steps);
    }
  });
  return opened.length;
}

/** A skewed wait: mostly short, now and then several times the typical one. */
function hoursUntil(random: Random, typicalHours: number): number {
  return Math.max(0.25, -Math.log(Math.max(random.next(), 1e-6)) * typicalHours) * HOUR;
}

/** The change behind the story, at the weak process's touchpoints, on the day it reached customers. */
export async function seedInnovation(workspaceId: number, userId: number, story: { weakProcess: string; sinceDaysAgo: number }, title: string, now = Date.now()) {
  const db = getDb();
  const keys = await db
    .select({ key: touchpoints.key })
    .from(touchpoints)
    .innerJoin(processes, eq(processes.id, touchpoints.processId))
    .where(and(eq(touchpoints.workspaceId, workspaceId), eq(processes.key, story.weakProcess)));
  if (keys.length === 0) return;
  await createInnovation(
    workspaceId,
    {
      title,
      changedAt: dayOf(now - story.sinceDaysAgo * DAY),
      touchpointKeys: keys.map((k) => k.key),
      whatChanged: "Cambio de proveedor y de proceso en esta etapa para reducir costes.",
      hypothesis: "La brecha no debería empeorar; si empeora para Premium, revertir.",
      owner: "Dirección de operaciones",
      windowDays: 28,
    },
    userId,
  );
}

const DEPARTMENTS = ["Atención al cliente", "Operaciones", "Logística", "Tecnología", "Finanzas"];

/**
 * Departments, each running some of the workspace's processes, and a Clienting pulse answered
 * anonymously by about ninety people over three months; one department less convinced it is supported.
 */
export async function seedClienting(workspaceId: number, userId: number, seed: number, now = Date.now()): Promise<void> {
  const random = seededRandom(seed + 7);
  const procs = await getDb().select({ id: processes.id }).from(processes).where(eq(processes.workspaceId, workspaceId)).orderBy(asc(processes.id));
  for (const name of DEPARTMENTS) await createDepartment(workspaceId, name);
  const made = await listDepartments(workspaceId);
  for (const [i, d] of made.entries()) {
    const mine = procs.filter((_, j) => j % made.length === i).map((p) => p.id);
    if (mine.length) await setDepartmentProcesses(workspaceId, d.id, mine);
  }
  const opensOn = dayOf(now - 95 * DAY);
  const pulse = await createPulse(workspaceId, { title: "Pulso Clienting 2026", opensOn, closesOn: null }, userId);
  const [row] = await getDb().select().from(clientingPulses).where(eq(clientingPulses.id, pulse.id));
  const levels = ["frontline", "frontline", "frontline", "supervisor", "manager", "executive"] as const;
  const score = (mean: number) => Math.min(5, Math.max(1, Math.round(random.normal(mean, 0.9))));
  for (let i = 0; i < 90; i++) {
    const department = random.pick(DEPARTMENTS);
    const weak = department === "Logística";
    const group = random.chance(0.9) ? "employee" : random.pick(["supplier", "channel", "intermediary"] as const);
    const answer =
      group === "employee"
        ? { respondentGroup: group, department, roleLevel: random.pick(levels), knows: score(4), applies: score(3.7), supported: score(weak ? 2.4 : 3.4) }
        : { respondentGroup: group, knows: score(3.4), applies: score(3.2), supported: score(2.9) };
    const at = new Date(now - random.int(1, 90) * DAY);
    await recordPulseAnswer(row, JSON.stringify(answer), null, at);
  }
}

/** Invitations to the first deployment in every state an invitation can be in, some sent by e-mail. */
export async function seedInvitations(workspaceId: number, seed: number, now = Date.now()): Promise<void> {
  const random = seededRandom(seed + 13);
  const db = getDb();
  const [deployment] = await db.select({ id: deployments.id }).from(deployments).where(eq(deployments.workspaceId, workspaceId)).orderBy(asc(deployments.id)).limit(1);
  if (!deployment) return;
  const people = await db.select({ id: customers.id }).from(customers).where(eq(customers.workspaceId, workspaceId)).orderBy(asc(customers.id)).limit(40);
  const rows: (typeof invitations.$inferInsert)[] = [];
  for (const [i, person] of people.entries()) {
    const state = INVITATION_STATES[i % INVITATION_STATES.length];
    // Two weeks to answer: an expired one was sent more than two weeks ago.
    const sendAt = now - (state === "expired" ? random.int(16, 40) : random.int(1, 6)) * DAY - random.int(0, 86_399) * 1000;
    const expiresAt = sendAt + 14 * DAY;
    const opened = state === "opened" || state === "completed" ? sendAt + random.int(5, 600) * 60_000 : null;
    rows.push({
      workspaceId,
      deploymentId: deployment.id,
      customerId: person.id,
      token: randomBytes(24).toString("base64url"),
      state,
      sendAt: new Date(sendAt),
      expiresAt: new Date(expiresAt),
      openedAt: opened ? new Date(opened) : null,
      completedAt: state === "completed" && opened ? new Date(opened + random.int(2, 9) * 60_000) : null,
      emailedAt: random.chance(0.7) ? new Date(sendAt) : null,
      createdAt: new Date(sendAt),
    });
  }
  if (rows.length) await db.insert(invitations).values(rows);
}

/** How many of a workspace's cases are in each status: what the seed prints. */
export async function caseCounts(workspaceId: number): Promise<Record<string, number>> {
  const rows = await getDb().select({ status: cases.status }).from(cases).where(eq(cases.workspaceId, workspaceId));
  const counts: Record<string, number> = {};
  for (const r of rows) counts[r.status] = (counts[r.status] ?? 0) + 1;
  return counts;
}
