// The CSV import's refusals said in the reader's language: a failed upload or job, a refused start, and
// each rejected row's problems, all arriving as codes with their facts (app/cem/crm-import-refusals.ts,
// app/cem/crm-row-problems.ts). A report stored before rows carried problems keeps its English text.
import type { ImportFailure, StartRefusal } from "~/cem/crm-import-refusals";
import type { RowProblem } from "~/cem/crm-row-problems";
import type { MessageKey, Translate } from "./messages";

export function importFailureWords(t: Translate, failure: ImportFailure): string {
  switch (failure.code) {
    case "too_large":
      return t("crm.import.failure.too_large", { mb: failure.maxMb });
    case "write_failed":
      return t("crm.import.failure.write_failed", { detail: failure.detail });
    default:
      return t(`crm.import.failure.${failure.code}`);
  }
}

export function startRefusalText(t: Translate, refusal: StartRefusal): string {
  if (refusal.code !== "mapping") return t(`crm.import.refusal.${refusal.code}`);
  return [
    ...refusal.missing.map((field) => t("crm.import.refusal.missing", { field })),
    ...refusal.unknown.map((header) => t("crm.import.refusal.unknown", { header })),
  ].join(" ");
}

/** Which hint a refused value gets: what the field's values must look like. */
const VALUE_FORM: Record<string, string> = {
  created_at: "date",
  occurred_at: "date",
  amount: "amount",
  type: "word",
  channel: "word",
  currency: "currency",
  touchpoint_key: "slug",
  language: "language",
  email: "email",
  phone: "phone",
};

export function rowProblemText(t: Translate, problem: RowProblem): string {
  switch (problem.code) {
    case "missing_column":
      return t("crm.import.problem.missing_column", {
        field: problem.field,
        names: [problem.field, ...problem.aliases].map((name) => `“${name}”`).join(", "),
      });
    case "unknown_header":
      return t("crm.import.problem.unknown_header", { field: problem.field, header: problem.header });
    case "field_count":
      return t("crm.import.problem.field_count", { expected: problem.expected, found: problem.found });
    case "malformed":
      return t("crm.import.problem.malformed", {
        reason: problem.cause ? t(`crm.import.problem.malformed.${problem.cause}`) : problem.detail,
      });
    case "empty_file":
      return t("crm.import.problem.empty_file");
    case "required":
      return t("crm.import.problem.required", { field: problem.field });
    case "too_long":
      return t("crm.import.problem.too_long", { field: problem.field, max: problem.max });
    case "implausible":
      return t(`crm.import.problem.${problem.when}`, { field: problem.field });
    case "invalid":
      return t(`crm.import.problem.invalid.${VALUE_FORM[problem.field] ?? "other"}` as MessageKey, { field: problem.field, value: problem.value });
  }
}

/** A rejected row's reasons in the reader's language (or, for an older report, as recorded). */
export function badRowTexts(t: Translate, row: { errors: string[]; problems?: RowProblem[] }): string[] {
  return row.problems ? row.problems.map((p) => rowProblemText(t, p)) : row.errors;
}
