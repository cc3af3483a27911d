// Why the CSV reader refused a row (or the file's header), as a code with its facts, so the import page
// can say it in the reader's language. The English sentences beside them (the row's `errors`) stay what
// the command line and the API print.
import type { $ZodIssue } from "zod/v4/core";

export type RowProblem =
  | { code: "missing_column"; field: string; aliases: readonly string[] }
  | { code: "unknown_header"; field: string; header: string }
  | { code: "field_count"; expected: number; found: number }
  | { code: "malformed"; cause: "record_too_long" | "quote_not_closed" | null; detail: string }
  | { code: "empty_file" }
  | { code: "required"; field: string }
  | { code: "too_long"; field: string; max: number }
  /** The value is not of the field's form (a date, a number, an e-mail address…). */
  | { code: "invalid"; field: string; value: string }
  | { code: "implausible"; field: string; when: "before_1970" | "future" };

/** Marks an instant that parses but cannot be true (set by the record schemas, read back below). */
export type ImplausibleParams = { implausible: "before_1970" | "future" };

/** The problems behind a row's zod issues; `raw` holds the row's cells by field, for the value refused. */
export function rowProblemsOf(issues: readonly $ZodIssue[], raw: Record<string, unknown>): RowProblem[] {
  return issues.map((issue): RowProblem => {
    const field = String(issue.path[0] ?? "");
    const cell = raw[field];
    const blank = cell === undefined || cell === null || (typeof cell === "string" && cell.trim() === "");
    if (issue.code === "invalid_type" && blank) return { code: "required", field };
    if (issue.code === "too_big") return { code: "too_long", field, max: Number(issue.maximum) };
    const implausible = issue.code === "custom" ? (issue.params as Partial<ImplausibleParams> | undefined)?.implausible : undefined;
    if (implausible) return { code: "implausible", field, when: implausible };
    return { code: "invalid", field, value: String(cell ?? "").trim() };
  });
}
