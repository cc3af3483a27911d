// Every refusal code of a case step, a CSV import and its rows has a sentence in both languages: none
// falls back to its bare message key, and the facts it carries (field, value, line counts) are in it.
import { describe, expect, it } from "vitest";
import type { ImportFailure, StartRefusal } from "~/cem/crm-import-refusals";
import type { RowProblem } from "~/cem/crm-row-problems";
import type { CaseStepRefusal } from "~/cem/case-flow";
import { caseRefusalText } from "~/i18n/case-refusal";
import { importFailureWords, rowProblemText, startRefusalText } from "~/i18n/crm-import-text";
import { translator } from "~/i18n/messages";

const langs = ["es", "en"] as const;
const untranslated = /\b(case|crm)\.(refusal|state|import)\.[a-z_.]+/;

const caseRefusals: CaseStepRefusal[] = [
  { code: "closed" },
  { code: "closed_reassign" },
  { code: "same_status", status: "in_progress" },
  { code: "not_next", from: "resolved", to: "open", allowed: ["closed", "in_progress"] },
  { code: "note_required" },
  { code: "note_too_long", max: 4000 },
  { code: "already_assigned" },
  { code: "not_found" },
  { code: "moved" },
  { code: "not_assignable" },
];

const failures: ImportFailure[] = [
  { code: "too_large", maxMb: 128 },
  { code: "interrupted" },
  { code: "no_file" },
  { code: "no_kind" },
  { code: "empty" },
  { code: "gone" },
  { code: "write_failed", detail: "disk full" },
];

const starts: StartRefusal[] = [
  { code: "not_found" },
  { code: "running" },
  { code: "imported" },
  { code: "no_file" },
  { code: "mapping", missing: ["external_id"], unknown: ["Correo"] },
];

const problems: RowProblem[] = [
  { code: "missing_column", field: "occurred_at", aliases: ["fecha"] },
  { code: "unknown_header", field: "email", header: "Correo" },
  { code: "field_count", expected: 4, found: 5 },
  { code: "malformed", cause: "quote_not_closed", detail: "Quote Not Closed" },
  { code: "malformed", cause: null, detail: "odd bytes" },
  { code: "empty_file" },
  { code: "required", field: "external_id" },
  { code: "too_long", field: "name", max: 200 },
  { code: "implausible", field: "occurred_at", when: "future" },
  ...["created_at", "amount", "type", "currency", "touchpoint_key", "language", "email", "phone", "segment"].map(
    (field): RowProblem => ({ code: "invalid", field, value: "x?" }),
  ),
];

describe("refusal wording", () => {
  for (const lang of langs) {
    const t = translator(lang);
    it(`words every refusal in ${lang}`, () => {
      const texts = [
        ...caseRefusals.map((r) => caseRefusalText(t, r)),
        ...failures.map((f) => importFailureWords(t, f)),
        ...starts.map((s) => startRefusalText(t, s)),
        ...problems.map((p) => rowProblemText(t, p)),
      ];
      for (const text of texts) {
        expect(text).not.toMatch(untranslated);
        expect(text).not.toMatch(/\{[a-z]+\}/);
      }
    });
  }

  it("says the moves a case can make, and the value and line facts of a row, in each language", () => {
    const es = translator("es");
    const en = translator("en");
    const notNext: CaseStepRefusal = { code: "not_next", from: "resolved", to: "open", allowed: ["closed", "in_progress"] };
    expect(caseRefusalText(es, notNext)).toBe("Un caso resuelto solo puede pasar a cerrado o en curso, no a abierto.");
    expect(caseRefusalText(en, notNext)).toBe("A case that is resolved can move to closed or in progress, not to open.");
    const amount: RowProblem = { code: "invalid", field: "amount", value: "abc" };
    expect(rowProblemText(es, amount)).toBe("amount: «abc» no es un número (p. ej. 1234.50 o 1234,50).");
    expect(rowProblemText(en, amount)).toBe('amount: "abc" is not a number (e.g. 1234.50 or 1234,50).');
    expect(startRefusalText(es, { code: "mapping", missing: ["external_id"], unknown: ["Correo"] })).toBe(
      "Elija la columna de external_id. «Correo» no es una columna de este archivo.",
    );
  });
});
