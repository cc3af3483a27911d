// The JSON body an SMS provider receives: a workspace writes its provider's shape once, with
// placeholders where the number, the text and the sender go. Pure functions, no network.

/** The placeholders a body template may use, each filled with a JSON-escaped string. */
export const SMS_BODY_PLACEHOLDERS = ["to", "text", "sender"] as const;
export type SmsBodyValues = Record<(typeof SMS_BODY_PLACEHOLDERS)[number], string>;

export const DEFAULT_SMS_BODY_TEMPLATE = '{"to": "{{to}}", "from": "{{sender}}", "text": "{{text}}"}';

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

/**
 * Fills the placeholders. Values are escaped as the inside of a JSON string, so a template puts
 * each placeholder between quotes ("{{text}}"); a quote or newline in a message cannot break the body.
 */
export function fillSmsBody(template: string, values: SmsBodyValues): string {
  return template.replace(PLACEHOLDER, (whole, name: string) =>
    (SMS_BODY_PLACEHOLDERS as readonly string[]).includes(name) ? JSON.stringify(values[name as keyof SmsBodyValues]).slice(1, -1) : whole,
  );
}

/** A problem in both interface languages (the settings page shows the reader's). */
export type SmsBodyProblem = { es: string; en: string };

/**
 * What is wrong with a body template, in words a person can act on, or null: unknown placeholders
 * by name, a template without {{to}} or {{text}}, or text that is not JSON once filled in.
 */
export function smsBodyTemplateProblem(template: string): SmsBodyProblem | null {
  const names = [...template.matchAll(PLACEHOLDER)].map((m) => m[1]);
  const unknown = [...new Set(names.filter((name) => !(SMS_BODY_PLACEHOLDERS as readonly string[]).includes(name)))];
  if (unknown.length > 0) {
    const list = unknown.map((n) => `{{${n}}}`).join(", ");
    return {
      es: `Marcador desconocido: ${list}; use {{to}}, {{text}} y {{sender}}.`,
      en: `Unknown placeholder: ${list}; use {{to}}, {{text}} and {{sender}}.`,
    };
  }
  for (const needed of ["to", "text"]) {
    if (!names.includes(needed)) return { es: `El cuerpo debe contener {{${needed}}}.`, en: `The body must contain {{${needed}}}.` };
  }
  // A sample with every character that needs escaping: it must still be JSON.
  const filled = fillSmsBody(template, { to: "+34600000000", text: 'Line "one"\nline \\two', sender: "Brand" });
  try {
    const parsed: unknown = JSON.parse(filled);
    if (typeof parsed !== "object" || parsed === null) return { es: "El cuerpo debe ser un objeto JSON.", en: "The body must be a JSON object." };
  } catch (error) {
    const detail = (error as Error).message;
    return {
      es: `El cuerpo no es JSON válido una vez rellenado (ponga cada marcador entre comillas): ${detail}`,
      en: `The body is not valid JSON once filled in (put each placeholder inside quotes): ${detail}`,
    };
  }
  return null;
}
