// What a person typed into "search comments", as the words both storage engines' full-text indexes
// can match: letters and digits only (so nothing typed can become query syntax), lower-cased, at most
// MAX_TERMS words, each matched as a prefix ("entreg" finds "entrega"). Pure.
import { z } from "zod";

export const MAX_TERMS = 8;
const MAX_TERM_LENGTH = 40;

/** The words of a search text; [] when it holds none. */
export function searchTerms(text: string): string[] {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  return [...new Set(words.map((w) => w.slice(0, MAX_TERM_LENGTH)))].slice(0, MAX_TERMS);
}

/** SQLite FTS5: every word as a quoted prefix, all required ("w1"* "w2"*). */
export const fts5Query = (terms: readonly string[]) => terms.map((t) => `"${t}"*`).join(" ");

/** PostgreSQL to_tsquery: every word as a prefix, all required (w1:* & w2:*). */
export const tsQuery = (terms: readonly string[]) => terms.map((t) => `${t}:*`).join(" & ");

/** The search box's value at the boundary: empty means no search; otherwise it must hold a word. */
export const CommentSearchSchema = z
  .string()
  .trim()
  .max(200, "Use at most 200 characters.")
  .refine((s) => s === "" || searchTerms(s).length > 0, "Type at least one word (letters or numbers).");
