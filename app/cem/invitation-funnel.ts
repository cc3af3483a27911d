// A deployment's invitation funnel: sent → opened → started → completed, per send (the invitation
// and each reminder) and overall, with the response rate. A customer's step is credited to the
// latest send before it (an invitation opened after the first reminder counts for that reminder).
// Pure: the data layer hands in the dated sends and steps of the deployment's invitations.

export type FunnelInput = {
  invitationId: number;
  /** Sends accepted by the server, by seq (0 the invitation, 1.. reminders). */
  sent: { seq: number; at: Date }[];
  opened?: Date | null;
  started?: Date | null;
  completed?: Date | null;
};

export type FunnelRow = { seq: number; sent: number; opened: number; started: number; completed: number };
export type Funnel = { bySend: FunnelRow[]; total: FunnelRow & { responseRate: number | null } };

const STEPS = ["opened", "started", "completed"] as const;

export function invitationFunnel(items: readonly FunnelInput[]): Funnel {
  const rows = new Map<number, FunnelRow>();
  const row = (seq: number) => {
    let r = rows.get(seq);
    if (!r) rows.set(seq, (r = { seq, sent: 0, opened: 0, started: 0, completed: 0 }));
    return r;
  };
  const total: FunnelRow = { seq: -1, sent: 0, opened: 0, started: 0, completed: 0 };
  for (const item of items) {
    if (item.sent.length === 0) continue;
    const sends = [...item.sent].sort((a, b) => a.at.getTime() - b.at.getTime());
    for (const s of sends) row(s.seq).sent++;
    total.sent++;
    for (const step of STEPS) {
      const at = item[step];
      if (!at) continue;
      // The latest send at or before the step; a step before any send (a link copied from the outbox) goes to the first.
      const credited = sends.filter((s) => s.at.getTime() <= at.getTime()).pop() ?? sends[0];
      row(credited.seq)[step]++;
      total[step]++;
    }
  }
  const bySend = [...rows.values()].sort((a, b) => a.seq - b.seq);
  return { bySend, total: { ...total, responseRate: total.sent > 0 ? total.completed / total.sent : null } };
}
