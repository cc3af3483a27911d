// The life of a follow-up case: open → in_progress → resolved → closed, with reopening, assignment and
// a note at every step, kept as an append-only history so the conversation with the customer can be read back.
import { z } from "zod";

export const caseStatuses = ["open", "in_progress", "resolved", "closed"] as const;
export type CaseStatus = (typeof caseStatuses)[number];

/**
 * Allowed moves. Reopening (resolved → in_progress) covers the customer who calls back; closed is final
 * because closing is the manager's confirmation that the loop is closed — a new complaint is a new case.
 */
const nextStatuses: Record<CaseStatus, readonly CaseStatus[]> = {
  open: ["in_progress"],
  in_progress: ["resolved"],
  resolved: ["closed", "in_progress"],
  closed: [],
};

export const MAX_CASE_NOTE = 4000;

/** Every step says what was done or decided; a blank note is the same as none. */
export const caseNoteSchema = z.string().trim().min(1).max(MAX_CASE_NOTE);

/** Why the flow refuses a step: a code with its facts, worded in the reader's language by the page. */
export type CaseRefusal =
  | { code: "closed" }
  | { code: "closed_reassign" }
  | { code: "same_status"; status: CaseStatus }
  | { code: "not_next"; from: CaseStatus; to: CaseStatus; allowed: readonly CaseStatus[] }
  | { code: "note_required" }
  | { code: "note_too_long"; max: number }
  | { code: "already_assigned" };

/**
 * Why a case step was refused, as the page words it: the flow's own refusals, a case that is not this
 * workspace's, one someone else just moved, an assignee who does not work cases.
 */
export type CaseStepRefusal = CaseRefusal | { code: "not_found" } | { code: "moved" } | { code: "not_assignable" };

export type TransitionResult = { ok: true } | { ok: false; refusal: CaseRefusal };

export function allowedTransitions(current: CaseStatus): readonly CaseStatus[] {
  return nextStatuses[current];
}

export function transition(current: CaseStatus, next: CaseStatus): TransitionResult {
  if (nextStatuses[current].includes(next)) return { ok: true };
  if (current === "closed") return { ok: false, refusal: { code: "closed" } };
  if (current === next) return { ok: false, refusal: { code: "same_status", status: current } };
  return { ok: false, refusal: { code: "not_next", from: current, to: next, allowed: nextStatuses[current] } };
}

export type CaseEvent =
  | { type: "opened"; at: Date; by: string | null; note: string }
  | { type: "status"; at: Date; by: string | null; from: CaseStatus; to: CaseStatus; note: string }
  | { type: "assigned"; at: Date; by: string | null; from: string | null; to: string | null; note: string | null };

export type CaseState = {
  status: CaseStatus;
  assigneeId: string | null;
  history: CaseEvent[];
};

export type CaseStep = { ok: true; case: CaseState } | { ok: false; refusal: CaseRefusal };

type Actor = { at: Date; by: string | null };

/** A new case; the opening note usually carries the rule's reasons. */
export function openCase(input: Actor & { note: string; assigneeId?: string | null }): CaseStep {
  const note = caseNoteSchema.safeParse(input.note);
  if (!note.success) return { ok: false, refusal: noteRefusal(note.error) };
  const history: CaseEvent[] = [{ type: "opened", at: input.at, by: input.by, note: note.data }];
  const assigneeId = input.assigneeId ?? null;
  if (assigneeId) history.push({ type: "assigned", at: input.at, by: input.by, from: null, to: assigneeId, note: null });
  return { ok: true, case: { status: "open", assigneeId, history } };
}

export function changeStatus(current: CaseState, input: Actor & { to: CaseStatus; note: string }): CaseStep {
  const allowed = transition(current.status, input.to);
  if (!allowed.ok) return allowed;
  const note = caseNoteSchema.safeParse(input.note);
  if (!note.success) return { ok: false, refusal: noteRefusal(note.error) };
  const event: CaseEvent = { type: "status", at: input.at, by: input.by, from: current.status, to: input.to, note: note.data };
  return { ok: true, case: { ...current, status: input.to, history: [...current.history, event] } };
}

/**
 * Hands the case to someone (or unassigns it with null). Who held the case and when is part of the
 * record, so assignment is a history event; its note is optional because the hand-over itself is the fact.
 */
export function assign(current: CaseState, input: Actor & { assigneeId: string | null; note?: string | null }): CaseStep {
  if (current.status === "closed") return { ok: false, refusal: { code: "closed_reassign" } };
  if (current.assigneeId === input.assigneeId) return { ok: false, refusal: { code: "already_assigned" } };
  const trimmed = input.note?.trim() || null;
  const event: CaseEvent = { type: "assigned", at: input.at, by: input.by, from: current.assigneeId, to: input.assigneeId, note: trimmed };
  return { ok: true, case: { ...current, assigneeId: input.assigneeId, history: [...current.history, event] } };
}

/** First time someone acted on the case (left `open`), for the time-to-first-action measure. */
export function firstActionAt(history: CaseEvent[]): Date | null {
  const first = history.find((e) => e.type === "status" && e.from === "open");
  return first ? first.at : null;
}

/** When the case was resolved, counting only the last resolution: a reopened case is not resolved until it is again. */
export function resolvedAt(history: CaseEvent[]): Date | null {
  let at: Date | null = null;
  for (const e of history) {
    if (e.type !== "status") continue;
    if (e.to === "resolved") at = e.at;
    else if (e.from === "resolved" && e.to === "in_progress") at = null;
  }
  return at;
}

function noteRefusal(error: z.ZodError): CaseRefusal {
  return error.issues.some((i) => i.code === "too_big") ? { code: "note_too_long", max: MAX_CASE_NOTE } : { code: "note_required" };
}
