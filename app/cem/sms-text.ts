// The invitation SMS: a short text per language with the customer's personal link. A message past
// one segment costs two (or more) and some handsets show it late, so defaults fit one segment and a
// designer sees the length of what they write.
import type { Lang } from "~/i18n/lang";

/** {{link}} is required (the personal survey link); {{brand}} is optional. */
export const SMS_TEXT_PLACEHOLDERS = ["link", "brand"] as const;

// GSM-7 characters only (é and ¿ are; á, í, ó, ú are not), so a message with a brand and the link
// (about 70 characters) stays one 160-character segment.
export const DEFAULT_SMS_TEXTS: Record<Lang, string> = {
  es: "{{brand}}: ¿qué tal le fue? Cuéntenos en 1 minuto: {{link}}",
  en: "{{brand}}: how did it go? Tell us in 1 minute: {{link}}",
};

// The GSM 03.38 basic character set and its extension table (each extension character costs two).
const GSM_BASIC =
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
const GSM_EXTENDED = "^{}\\[~]|€\f";

export type SmsLength = { encoding: "GSM-7" | "UCS-2"; units: number; segments: number; perSegment: number };

/**
 * How a text travels: GSM-7 (160 per single segment, 153 when split) when every character is in the
 * GSM set, else UCS-2 (70, 67 when split) — one "ó" halves the room.
 */
export function smsLength(text: string): SmsLength {
  const chars = [...text];
  const gsm = chars.every((c) => GSM_BASIC.includes(c) || GSM_EXTENDED.includes(c));
  if (gsm) {
    const units = chars.reduce((n, c) => n + (GSM_EXTENDED.includes(c) ? 2 : 1), 0);
    return { encoding: "GSM-7", units, segments: units <= 160 ? 1 : Math.ceil(units / 153), perSegment: 160 };
  }
  const units = [...text].reduce((n, c) => n + (c.codePointAt(0)! > 0xffff ? 2 : 1), 0);
  return { encoding: "UCS-2", units, segments: units <= 70 ? 1 : Math.ceil(units / 67), perSegment: 70 };
}

/** The text a customer receives: the deployment's own text for their language, or the default. */
export function renderSmsText(template: string | null | undefined, lang: Lang, values: { link: string; brand: string }): string {
  const text = template?.trim() ? template : DEFAULT_SMS_TEXTS[lang];
  return text.replaceAll("{{link}}", values.link).replaceAll("{{brand}}", values.brand).trim();
}

/** Why a designer's SMS text cannot be used, or null: it must carry the link and no unknown placeholder. */
export function smsTextProblem(text: string): { es: string; en: string } | null {
  if (!text.trim()) return null; // empty: the default is used
  const names = [...text.matchAll(/\{\{\s*([^{}]*?)\s*\}\}/g)].map((m) => m[1]);
  const unknown = [...new Set(names.filter((n) => !(SMS_TEXT_PLACEHOLDERS as readonly string[]).includes(n)))];
  if (unknown.length) {
    const list = unknown.map((n) => `{{${n}}}`).join(", ");
    return { es: `Marcador desconocido: ${list}; use {{link}} y {{brand}}.`, en: `Unknown placeholder: ${list}; use {{link}} and {{brand}}.` };
  }
  if (!names.includes("link")) {
    return { es: "El texto debe contener {{link}}, el enlace a la encuesta.", en: "The text must contain {{link}}, the survey link." };
  }
  return null;
}
