// One zod schema validates a form in the browser (conform) and on the server (parseWithZod), and its
// messages come out in the interface language on both sides. Generic issues (required, too long, not a
// number…) are worded by the error map below; a schema's own message is a message key ("form.slug"),
// translated when the issues are formatted. Shared by the client hook and the server parser.
import { parseWithZod } from "@conform-to/zod/v4";
import { z } from "zod";
import type { $ZodErrorMap, $ZodIssue } from "zod/v4/core";
import { SLUG_PATTERN } from "~/cem/slug";
import type { Lang } from "~/i18n/lang";
import { translator, type MessageKey, type Translate } from "~/i18n/messages";

/** Empty is "required": conform turns an empty field into undefined before the schema sees it. */
const isEmpty = (input: unknown) => input === undefined || input === null || input === "";

/** Words zod's generic issues in the interface language; a schema's own message takes precedence. */
export function formErrorMap(t: Translate): $ZodErrorMap {
  return (issue) => {
    switch (issue.code) {
      case "invalid_type":
        if (isEmpty(issue.input)) return t("form.required");
        if (issue.expected === "number" || issue.expected === "int" || issue.expected === "bigint") return t("form.number");
        return t("form.invalid");
      case "too_small": {
        const min = Number(issue.minimum);
        if (issue.origin === "string") return min <= 1 ? t("form.required") : t("form.tooShort", { min });
        if (issue.origin === "array" || issue.origin === "set") return t("form.tooFewItems", { min });
        if (min === 0 && issue.inclusive === false) return t("form.positive");
        return t("form.tooSmall", { min });
      }
      case "too_big": {
        const max = Number(issue.maximum);
        if (issue.origin === "string") return t("form.tooLong", { max });
        if (issue.origin === "array" || issue.origin === "set") return t("form.tooManyItems", { max });
        return t("form.tooBig", { max });
      }
      case "invalid_format":
        if (issue.format === "email") return t("form.email");
        if (issue.format === "url") return t("form.url");
        if (issue.format === "safeint") return t("form.integer");
        if (issue.format === "date") return t("form.date");
        return t("form.format");
      case "invalid_value":
        return t("form.choice");
      case "not_multiple_of":
        return t("form.integer");
      default:
        return t("form.invalid");
    }
  };
}

/**
 * A message that is a key is translated, with the issue's bounds and a custom issue's `params` (what a
 * refinement found, e.g. the unknown placeholder); any other text is kept as written.
 */
export function issueMessages(t: Translate, issues: readonly $ZodIssue[]): string[] {
  return issues.map((issue) => {
    const bounds = issue as { minimum?: unknown; maximum?: unknown };
    const found = issue.code === "custom" ? Object.entries(issue.params ?? {}).map(([name, value]) => [name, String(value)]) : [];
    return t(issue.message as MessageKey, { min: String(bounds.minimum ?? ""), max: String(bounds.maximum ?? ""), ...Object.fromEntries(found) });
  });
}

/** Parses a submitted form with the schema, every message in `lang`. Used by both sides. */
export function parseSubmission<S extends z.ZodType>(payload: FormData | URLSearchParams, schema: S, lang: Lang) {
  const t = translator(lang);
  return parseWithZod(payload, { schema, error: formErrorMap(t), formatError: (issues: $ZodIssue[]) => issueMessages(t, issues) });
}

// Building blocks for form schemas, with message keys instead of English text.

/** A required line of text: trimmed, at least one character, at most `max`. */
export const formText = (max: number) => z.string().trim().min(1).max(max);
/** An optional text: empty becomes "". */
export const formOptionalText = (max: number) => z.string().trim().max(max).optional().default("");
/** A stable key (slug), as SlugSchema but worded for forms. */
export const formSlug = () => z.string().trim().min(2).max(64).regex(SLUG_PATTERN, "form.slug");
/** A day as YYYY-MM-DD (what a date input sends). */
export const formDay = () => z.iso.date();
