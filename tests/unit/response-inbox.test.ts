// The response inbox's pure parts: answers labelled with their question titles in the reader's
// language, and the comment search's words (nothing typed becomes query syntax on either engine).
import { describe, expect, it } from "vitest";
import { CommentSearchSchema, fts5Query, searchTerms, tsQuery } from "~/cem/comment-search";
import { labelledAnswers } from "~/survey/answer-labels";

describe("labelledAnswers", () => {
  const definition = {
    pages: [
      { elements: [{ type: "rating", name: "nps", title: { default: "How likely…", es: "¿Qué probabilidad…" } }] },
      {
        elements: [
          { type: "panel", name: "p", elements: [{ type: "radiogroup", name: "channel", title: "Canal", choices: [{ value: "web", text: { default: "Website", es: "Web" } }, "store"] }] },
          { type: "checkbox", name: "topics", title: { default: "Topics", es: "Temas" }, choices: [{ value: "a", text: { default: "Price", es: "Precio" } }, { value: "b", text: "Staff" }] },
          { type: "boolean", name: "again", title: { default: "Again?", es: "¿Otra vez?" } },
          { type: "comment", name: "comment", title: { default: "Comment", es: "Comentario" } },
        ],
      },
    ],
  };
  const data = { comment: "Bien", nps: 9, topics: ["a", "b"], channel: "web", again: false, extra: { x: 1 } };

  it("follows the survey's order, titles and choice labels in the reader's language", () => {
    expect(labelledAnswers(definition, data, "es")).toEqual([
      { name: "nps", title: "¿Qué probabilidad…", answer: "9" },
      { name: "channel", title: "Canal", answer: "Web" },
      { name: "topics", title: "Temas", answer: "Precio, Staff" },
      { name: "again", title: "¿Otra vez?", answer: "No" },
      { name: "comment", title: "Comentario", answer: "Bien" },
      // Data the version does not know is shown as is, last.
      { name: "extra", title: "extra", answer: '{"x":1}' },
    ]);
    const en = labelledAnswers(definition, data, "en");
    expect(en.map((a) => a.title).slice(0, 3)).toEqual(["How likely…", "Canal", "Topics"]);
    expect(en[1].answer).toBe("Website");
  });

  it("reads what it can from a definition it does not understand", () => {
    expect(labelledAnswers(null, { q: "x" }, "en")).toEqual([{ name: "q", title: "q", answer: "x" }]);
  });
});

describe("comment search terms", () => {
  it("keeps words of letters and digits only, lower-cased, at most eight", () => {
    expect(searchTerms('Entrega "tarde" OR x* NEAR(a b) — 24h')).toEqual(["entrega", "tarde", "or", "x", "near", "a", "b", "24h"]);
    expect(searchTerms("Atención, atención")).toEqual(["atención"]);
    expect(searchTerms("1 2 3 4 5 6 7 8 9 10")).toHaveLength(8);
    expect(searchTerms("!!! ---")).toEqual([]);
  });

  it("writes each engine's query from the words only", () => {
    expect(fts5Query(["entrega", "tarde"])).toBe('"entrega"* "tarde"*');
    expect(tsQuery(["entrega", "tarde"])).toBe("entrega:* & tarde:*");
  });

  it("refuses a search without a word, and a very long one, with a message", () => {
    expect(CommentSearchSchema.safeParse("").success).toBe(true);
    expect(CommentSearchSchema.safeParse("!!!").error?.issues[0].message).toMatch(/at least one word/);
    expect(CommentSearchSchema.safeParse("a".repeat(201)).success).toBe(false);
  });
});
