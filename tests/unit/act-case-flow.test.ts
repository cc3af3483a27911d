import { describe, expect, it } from "vitest";
import {
  allowedTransitions,
  assign,
  changeStatus,
  firstActionAt,
  openCase,
  resolvedAt,
  transition,
  type CaseState,
  type CaseStep,
} from "~/cem/case-flow";

const t = (h: number) => new Date(Date.UTC(2025, 2, 10, h));

function expectOk(step: CaseStep): CaseState {
  if (!step.ok) throw new Error(`expected ok, got: ${step.refusal.code}`);
  return step.case;
}

describe("transition", () => {
  it("allows the forward flow and reopening", () => {
    expect(transition("open", "in_progress")).toEqual({ ok: true });
    expect(transition("in_progress", "resolved")).toEqual({ ok: true });
    expect(transition("resolved", "closed")).toEqual({ ok: true });
    expect(transition("resolved", "in_progress")).toEqual({ ok: true });
  });

  it("rejects illegal moves with the reason and the moves that are open", () => {
    expect(transition("open", "resolved")).toEqual({
      ok: false,
      refusal: { code: "not_next", from: "open", to: "resolved", allowed: ["in_progress"] },
    });
    expect(transition("open", "closed").ok).toBe(false);
    expect(transition("in_progress", "open").ok).toBe(false);
    expect(transition("in_progress", "in_progress")).toEqual({ ok: false, refusal: { code: "same_status", status: "in_progress" } });
    for (const next of ["open", "in_progress", "resolved", "closed"] as const) {
      expect(transition("closed", next)).toEqual({ ok: false, refusal: { code: "closed" } });
    }
    expect(allowedTransitions("closed")).toEqual([]);
  });
});

describe("case history", () => {
  it("records every step with its note, assignment included", () => {
    let c = expectOk(openCase({ at: t(8), by: null, note: "Detractor: NPS 3", assigneeId: "ana" }));
    c = expectOk(assign(c, { at: t(9), by: "lead", assigneeId: "luis", note: "  " }));
    c = expectOk(changeStatus(c, { at: t(10), by: "luis", to: "in_progress", note: "Called the customer" }));
    c = expectOk(changeStatus(c, { at: t(12), by: "luis", to: "resolved", note: "Refund issued" }));
    c = expectOk(changeStatus(c, { at: t(14), by: "luis", to: "in_progress", note: "Customer called back" }));
    c = expectOk(changeStatus(c, { at: t(16), by: "luis", to: "resolved", note: "Replacement sent" }));
    c = expectOk(changeStatus(c, { at: t(18), by: "lead", to: "closed", note: "Customer confirmed" }));

    expect(c.status).toBe("closed");
    expect(c.assigneeId).toBe("luis");
    expect(c.history.map((e) => e.type)).toEqual(["opened", "assigned", "assigned", "status", "status", "status", "status", "status"]);
    expect(c.history[2]).toEqual({ type: "assigned", at: t(9), by: "lead", from: "ana", to: "luis", note: null });
    expect(firstActionAt(c.history)).toEqual(t(10));
    expect(resolvedAt(c.history)).toEqual(t(16)); // the last resolution, after the reopen
    expect(changeStatus(c, { at: t(19), by: "x", to: "in_progress", note: "again" }).ok).toBe(false);
    expect(assign(c, { at: t(19), by: "x", assigneeId: "eva" })).toEqual({ ok: false, refusal: { code: "closed_reassign" } });
  });

  it("requires a non-empty note at each status step", () => {
    expect(openCase({ at: t(8), by: null, note: "   " })).toEqual({ ok: false, refusal: { code: "note_required" } });
    expect(openCase({ at: t(8), by: null, note: "n".repeat(4001) })).toEqual({ ok: false, refusal: { code: "note_too_long", max: 4000 } });
    const c = expectOk(openCase({ at: t(8), by: null, note: "Low CSAT" }));
    expect(changeStatus(c, { at: t(9), by: "ana", to: "in_progress", note: "" }).ok).toBe(false);
    const moved = expectOk(changeStatus(c, { at: t(9), by: "ana", to: "in_progress", note: "  Called  " }));
    expect(moved.history.at(-1)).toMatchObject({ from: "open", to: "in_progress", note: "Called" });
    expect(c.status).toBe("open"); // the input state is untouched
  });

  it("a reopened case is unresolved until resolved again", () => {
    let c = expectOk(openCase({ at: t(8), by: null, note: "Gap" }));
    c = expectOk(changeStatus(c, { at: t(9), by: "a", to: "in_progress", note: "n" }));
    c = expectOk(changeStatus(c, { at: t(10), by: "a", to: "resolved", note: "n" }));
    expect(resolvedAt(c.history)).toEqual(t(10));
    c = expectOk(changeStatus(c, { at: t(11), by: "a", to: "in_progress", note: "reopened" }));
    expect(resolvedAt(c.history)).toBeNull();
    expect(firstActionAt(c.history)).toEqual(t(9));
  });
});
