// Whether a failed statement failed because the database cannot be written right now (the disk is
// full, the file or the file system is read-only, the storage answers I/O errors, the database is
// read-only or out of space or connections), as opposed to a bug or bad data. Such a failure rolled
// the transaction back, so nothing was stored; it clears by itself when the condition does, and the
// app answers it with 503 and "retry later" (app/web/route-failures.server.ts), not with 500.
// Both engines' codes are read through drizzle's wrapping (the `cause` chain).

// SQLite's extended result codes, as better-sqlite3 names them (SQLITE_IOERR_WRITE, SQLITE_READONLY_DBMOVED…).
const SQLITE_UNWRITABLE = /^SQLITE_(FULL|READONLY|IOERR|CANTOPEN|BUSY|LOCKED)(_|$)/;

// PostgreSQL's SQLSTATEs: class 53 (insufficient resources: disk full, out of memory, too many
// connections), 25006 (read-only transaction: a standby, or default_transaction_read_only), 57P03
// (cannot connect now: starting or shutting down) and 58030 (I/O error).
const PG_UNWRITABLE = /^(53...|25006|57P03|58030)$/;

/** The driver's code when `error` (or its cause) says the database cannot be written now; else null. */
export function unwritableCode(error: unknown): string | null {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 10; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && (SQLITE_UNWRITABLE.test(code) || PG_UNWRITABLE.test(code))) return code;
  }
  return null;
}

/** The driver's own message under drizzle's "Failed query: …" (which quotes every parameter). */
export function driverMessage(error: unknown): string {
  let e: unknown = error;
  while (e instanceof Error && e.cause instanceof Error) e = e.cause;
  return e instanceof Error ? e.message : String(e);
}

/**
 * For a bookkeeping write on a read path (a session's last-seen time, a token's last use): skipped
 * when the database cannot be written, so reading keeps working; any other failure is thrown on.
 */
export function skipWhenUnwritable(error: unknown): void {
  if (unwritableCode(error) === null) throw error;
}
