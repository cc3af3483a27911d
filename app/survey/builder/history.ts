// Undo and redo for the builder, in memory: a past, a present and a future. Typing in one text
// field is one step, not one per keystroke: edits with the same key within a second coalesce.
export type History<T> = {
  past: readonly T[];
  present: T;
  future: readonly T[];
  /** Key and time of the last recorded edit, for coalescing. */
  last: { key: string; at: number } | null;
};

export const HISTORY_LIMIT = 200;
const COALESCE_MS = 1000;

export function startHistory<T>(present: T): History<T> {
  return { past: [], present, future: [], last: null };
}

/** Records an edit; a new edit drops the redo future. */
export function record<T>(history: History<T>, next: T, key: string | null = null, now = Date.now()): History<T> {
  const coalesce = key !== null && history.last?.key === key && now - history.last.at < COALESCE_MS;
  return {
    past: coalesce ? history.past : [...history.past, history.present].slice(-HISTORY_LIMIT),
    present: next,
    future: [],
    last: key === null ? null : { key, at: now },
  };
}

export function undo<T>(history: History<T>): History<T> {
  const previous = history.past[history.past.length - 1];
  if (previous === undefined) return history;
  return { past: history.past.slice(0, -1), present: previous, future: [history.present, ...history.future], last: null };
}

export function redo<T>(history: History<T>): History<T> {
  const [next, ...rest] = history.future;
  if (next === undefined) return history;
  return { past: [...history.past, history.present], present: next, future: rest, last: null };
}
