// Working a case: status changes with a note, assignment and notes, each one transaction with its
// history row and its case.updated webhook deliveries. The rules of the flow are app/cem/case-flow.ts.
import { and, eq, isNull, ne } from "drizzle-orm";
import { getDb, type Tx } from "#db/client";
import { caseEvents, cases } from "#db/schema/index";
import { assign, caseNoteSchema, changeStatus, MAX_CASE_NOTE, type CaseStepRefusal, type CaseState, type CaseStatus } from "~/cem/case-flow";
import { casePayload } from "./case-opening.server";
import { assignableMembers, caseRow } from "./cases.server";
import { kickWebhookDelivery } from "./webhook-delivery.server";
import { enqueueWebhookEvent } from "./webhooks.server";

export type CaseStepResult = { ok: true } | { ok: false; status: 404 | 409 | 400; refusal: CaseStepRefusal };

const NOT_FOUND: CaseStepResult = { ok: false, status: 404, refusal: { code: "not_found" } };
const MOVED: CaseStepResult = { ok: false, status: 409, refusal: { code: "moved" } };

type CaseRow = NonNullable<Awaited<ReturnType<typeof caseRow>>>;

function stateOf(row: CaseRow): CaseState {
  return { status: row.status, assigneeId: row.assigneeId === null ? null : String(row.assigneeId), history: [] };
}

async function isAssignable(workspaceId: number, userId: number): Promise<boolean> {
  return (await assignableMembers(workspaceId)).some((m) => m.id === userId);
}

/** Runs one step in a transaction and wakes the webhook sender after the commit. */
async function step(
  workspaceId: number,
  caseId: number,
  now: Date,
  run: (row: CaseRow, tx: Tx) => Promise<CaseStepResult>,
): Promise<CaseStepResult> {
  const result = await getDb().transaction(async (tx) => {
    const row = await caseRow(workspaceId, caseId);
    if (!row) return NOT_FOUND;
    const outcome = await run(row, tx);
    if (outcome.ok) {
      await enqueueWebhookEvent(workspaceId, "case.updated", async () => ({ case: await casePayload(caseId) }), now);
    }
    return outcome;
  });
  if (result.ok) kickWebhookDelivery();
  return result;
}

/**
 * Moves a case along its flow with a note. Taking an unassigned case (open → in progress) makes the
 * person who took it its assignee: someone now holds the conversation with the customer.
 */
export async function changeCaseStatus(
  workspaceId: number,
  caseId: number,
  input: { to: CaseStatus; note: string; byUserId: number },
  now = new Date(),
): Promise<CaseStepResult> {
  return step(workspaceId, caseId, now, async (row, tx) => {
    const moved = changeStatus(stateOf(row), { at: now, by: String(input.byUserId), to: input.to, note: input.note });
    if (!moved.ok) return { ok: false, status: 400, refusal: moved.refusal };
    const event = moved.case.history[moved.case.history.length - 1];
    const from = row.status;
    const to = input.to;
    const takeOver = from === "open" && to === "in_progress" && row.assigneeId === null && (await isAssignable(workspaceId, input.byUserId));
    const updated = await tx
      .update(cases)
      .set({
        status: to,
        firstActionAt: row.firstActionAt ?? (from === "open" ? now : null),
        // The last resolution counts (case-flow resolvedAt): reopening clears it.
        resolvedAt: to === "resolved" ? now : from === "resolved" && to === "in_progress" ? null : row.resolvedAt,
        closedAt: to === "closed" ? now : row.closedAt,
        assigneeId: takeOver ? input.byUserId : row.assigneeId,
        updatedAt: now,
      })
      .where(and(eq(cases.id, row.id), eq(cases.workspaceId, workspaceId), eq(cases.status, from)))
      .returning({ id: cases.id });
    if (updated.length === 0) return MOVED;
    await tx.insert(caseEvents).values({
        workspaceId,
        caseId: row.id,
        kind: "status",
        fromStatus: from,
        toStatus: to,
      note: event.type === "status" ? event.note : input.note.trim(),
      byUserId: input.byUserId,
      at: now,
    });
    if (takeOver) {
      await tx.insert(caseEvents).values({ workspaceId, caseId: row.id, kind: "assigned", toUserId: input.byUserId, byUserId: input.byUserId, at: now });
    }
    return { ok: true };
  });
}

/** Hands a case to a member who works cases, or unassigns it (null); the note is optional. */
export async function assignCase(
  workspaceId: number,
  caseId: number,
  input: { assigneeId: number | null; note?: string | null; byUserId: number },
  now = new Date(),
): Promise<CaseStepResult> {
  if (input.assigneeId !== null && !(await isAssignable(workspaceId, input.assigneeId))) {
    return { ok: false, status: 400, refusal: { code: "not_assignable" } };
  }
  return step(workspaceId, caseId, now, async (row, tx) => {
    const moved = assign(stateOf(row), {
      at: now,
      by: String(input.byUserId),
      assigneeId: input.assigneeId === null ? null : String(input.assigneeId),
      note: input.note,
    });
    if (!moved.ok) return { ok: false, status: 400, refusal: moved.refusal };
    const event = moved.case.history[moved.case.history.length - 1];
    const updated = await tx
      .update(cases)
      .set({ assigneeId: input.assigneeId, updatedAt: now })
      .where(
        and(
          eq(cases.id, row.id),
          eq(cases.workspaceId, workspaceId),
          ne(cases.status, "closed"),
          row.assigneeId === null ? isNull(cases.assigneeId) : eq(cases.assigneeId, row.assigneeId),
        ),
      )
      .returning({ id: cases.id });
    if (updated.length === 0) return MOVED;
    await tx.insert(caseEvents).values({
      workspaceId,
      caseId: row.id,
      kind: "assigned",
      fromUserId: row.assigneeId,
      toUserId: input.assigneeId,
      note: event.type === "assigned" ? event.note : null,
      byUserId: input.byUserId,
      at: now,
    });
    return { ok: true };
  });
}

/** A note without a change of status (a call that went unanswered, a promise made); not on closed cases. */
export async function addCaseNote(
  workspaceId: number,
  caseId: number,
  input: { note: string; byUserId: number },
  now = new Date(),
): Promise<CaseStepResult> {
  const note = caseNoteSchema.safeParse(input.note);
  if (!note.success) {
    const tooLong = note.error.issues.some((i) => i.code === "too_big");
    return { ok: false, status: 400, refusal: tooLong ? { code: "note_too_long", max: MAX_CASE_NOTE } : { code: "note_required" } };
  }
  return step(workspaceId, caseId, now, async (row, tx) => {
    if (row.status === "closed") return { ok: false, status: 400, refusal: { code: "closed" } };
    await tx.insert(caseEvents).values({ workspaceId, caseId: row.id, kind: "note", note: note.data, byUserId: input.byUserId, at: now });
    await tx.update(cases).set({ updatedAt: now }).where(eq(cases.id, row.id));
    return { ok: true };
  });
}
