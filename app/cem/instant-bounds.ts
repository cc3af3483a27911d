// When something sent from outside says it happened (a response completed, a CRM event occurred),
// that instant must be plausible: not before 1970 (nothing here predates the Unix epoch, and days
// before it sort and roll up wrongly), not before a given floor (the workspace's creation), and not
// in the future beyond a small clock skew between the sender's clock and ours.

/** Clocks of kiosks, phones and CRMs drift: this much in the future (or before a floor) is let through. */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;
/** 1970-01-01T00:00:00Z. */
export const EPOCH_MS = 0;

export type InstantBounds = {
  /** Now, in epoch ms (a parameter so that tests and batches share one reading of the clock). */
  now: number;
  /** An earliest instant besides the epoch, e.g. when the workspace was created; skew applies. */
  notBefore?: number;
  /** What the floor is, for the message, e.g. "the workspace was created". */
  notBeforeWhat?: string;
};

/** Why `ms` is not a plausible instant for `field`, or null when it is. */
export function instantProblem(field: string, ms: number, bounds: InstantBounds): string | null {
  if (!Number.isFinite(ms)) return `${field} is not a valid instant.`;
  if (ms < EPOCH_MS) return `${field} is before 1970-01-01.`;
  if (bounds.notBefore !== undefined && ms < bounds.notBefore - MAX_CLOCK_SKEW_MS) {
    return `${field} is before ${bounds.notBeforeWhat ?? "the earliest accepted instant"} (${new Date(bounds.notBefore).toISOString()}).`;
  }
  if (ms > bounds.now + MAX_CLOCK_SKEW_MS) return `${field} is in the future (more than 5 minutes ahead of the server's clock).`;
  return null;
}
