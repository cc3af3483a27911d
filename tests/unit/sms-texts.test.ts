// The SMS body template (placeholders, escaping, refusal of what would not be JSON) and the
// invitation texts in both languages with their length.
import { describe, expect, it } from "vitest";
import { DEFAULT_SMS_BODY_TEMPLATE, fillSmsBody, smsBodyTemplateProblem } from "~/cem/sms-body";
import { DEFAULT_SMS_TEXTS, renderSmsText, smsLength, smsTextProblem } from "~/cem/sms-text";

describe("the body template", () => {
  it("fills {{to}}, {{text}} and {{sender}} as JSON string content, so quotes and newlines cannot break the body", () => {
    const body = fillSmsBody(DEFAULT_SMS_BODY_TEMPLATE, { to: "+34600111222", text: 'Say "hi"\nand \\ go', sender: "Banco Sol" });
    expect(JSON.parse(body)).toEqual({ to: "+34600111222", from: "Banco Sol", text: 'Say "hi"\nand \\ go' });
  });

  it("accepts a provider's own shape, placeholders nested anywhere inside strings", () => {
    const template = '{"messages": [{"destinations": [{"to": "{{to}}"}], "from": "{{ sender }}", "text": "Hola: {{text}}"}]}';
    expect(smsBodyTemplateProblem(template)).toBeNull();
    const body = JSON.parse(fillSmsBody(template, { to: "600", text: "x", sender: "S" })) as { messages: { text: string; from: string }[] };
    expect(body.messages[0]).toMatchObject({ text: "Hola: x", from: "S" });
  });

  it("refuses unknown placeholders by name, in both languages", () => {
    const problem = smsBodyTemplateProblem('{"to": "{{to}}", "text": "{{text}}", "key": "{{apiKey}}", "x": "{{ phone }}"}');
    expect(problem?.en).toContain("{{apiKey}}, {{phone}}");
    expect(problem?.es).toContain("{{apiKey}}, {{phone}}");
  });

  it("refuses a template without the number or the text", () => {
    expect(smsBodyTemplateProblem('{"text": "{{text}}"}')?.en).toBe("The body must contain {{to}}.");
    expect(smsBodyTemplateProblem('{"to": "{{to}}"}')?.en).toBe("The body must contain {{text}}.");
  });

  it("refuses what is not JSON once filled in: a placeholder outside quotes, a broken object, a bare string", () => {
    expect(smsBodyTemplateProblem('{"to": {{to}}, "text": "{{text}}"}')?.en).toMatch(/not valid JSON/);
    expect(smsBodyTemplateProblem('{"to": "{{to}}", "text": "{{text}}"')?.en).toMatch(/not valid JSON/);
    expect(smsBodyTemplateProblem('"{{to}} {{text}}"')?.en).toBe("The body must be a JSON object.");
  });
});

describe("the invitation text", () => {
  // As long as a real invitation link: origin, /s/ and the 32-character token (24 random bytes).
  const link = "https://encuestas.bancosol.example/s/" + "A".repeat(32);
  const brand = "Banco Sol Madrid";

  it.each(["es", "en"] as const)("the %s default fits one GSM-7 segment with the brand and a real-length link", (lang) => {
    const text = renderSmsText(null, lang, { link, brand });
    expect(text).toContain(link);
    expect(text.startsWith(`${brand}:`)).toBe(true);
    const length = smsLength(text);
    expect(length.encoding).toBe("GSM-7");
    expect(length.units).toBeLessThanOrEqual(160);
    expect(length.segments).toBe(1);
  });

  it("the defaults speak their own language", () => {
    expect(renderSmsText("", "es", { link: "L", brand: "B" })).toBe("B: ¿qué tal le fue? Cuéntenos en 1 minuto: L");
    expect(renderSmsText("", "en", { link: "L", brand: "B" })).toBe("B: how did it go? Tell us in 1 minute: L");
    expect(DEFAULT_SMS_TEXTS.es).not.toBe(DEFAULT_SMS_TEXTS.en);
  });

  it("a deployment's own text replaces the default", () => {
    expect(renderSmsText("{{brand}} quiere saber: {{link}}", "es", { link: "L", brand: "B" })).toBe("B quiere saber: L");
  });

  it("counts GSM-7 and UCS-2 as the network does", () => {
    expect(smsLength("a".repeat(160))).toMatchObject({ encoding: "GSM-7", units: 160, segments: 1 });
    expect(smsLength("a".repeat(161))).toMatchObject({ segments: 2 }); // 153 + 8
    expect(smsLength("a".repeat(306))).toMatchObject({ segments: 2 });
    expect(smsLength("a".repeat(307))).toMatchObject({ segments: 3 });
    // "€" is in the extension table: two units.
    expect(smsLength("€")).toMatchObject({ encoding: "GSM-7", units: 2 });
    // One "ó" sends the whole text as UCS-2: 70 per segment.
    expect(smsLength("opinión")).toMatchObject({ encoding: "UCS-2", units: 7, perSegment: 70 });
    expect(smsLength("ó".repeat(71))).toMatchObject({ segments: 2 });
  });

  it("checks a designer's text: the link is required, unknown placeholders are named", () => {
    expect(smsTextProblem("")).toBeNull();
    expect(smsTextProblem("Hola {{brand}}: {{link}}")).toBeNull();
    expect(smsTextProblem("Hola, conteste la encuesta")?.en).toMatch(/\{\{link\}\}/);
    expect(smsTextProblem("Hola {{name}}: {{link}}")?.es).toContain("{{name}}");
  });
});
