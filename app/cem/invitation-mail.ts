// The invitation e-mail a deployment sends, in Spanish and English: its templates (subject, text,
// button label) with a closed set of placeholders, their check, and the rendered message (subject,
// plain-text part, HTML part). Pure: the delivery (app/data/invitation-delivery.server.ts), the
// preview and the test send all render through renderInvitationMail.
import { z } from "zod";
import type { Lang } from "~/i18n/lang";

export const PLACEHOLDERS = ["brand", "customer_name", "touchpoint", "expiry"] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];

export type MailTemplate = { subject: string; text: string; button: string };
export type MailTemplates = Record<Lang, MailTemplate>;

export const DEFAULT_TEMPLATES: MailTemplates = {
  es: {
    subject: "{{brand}}: ¿qué tal su experiencia en {{touchpoint}}?",
    text: "Hola {{customer_name}}:\n\nGracias por confiar en {{brand}}. ¿Nos cuenta en dos minutos cómo fue su experiencia en {{touchpoint}}? Sus respuestas nos ayudan a mejorar.\n\nEl enlace es personal y vale hasta el {{expiry}}.",
    button: "Responder la encuesta",
  },
  en: {
    subject: "{{brand}}: how was your experience at {{touchpoint}}?",
    text: "Hello {{customer_name}},\n\nThank you for choosing {{brand}}. Could you take two minutes to tell us how your experience at {{touchpoint}} went? Your answers help us improve.\n\nThe link is personal and valid until {{expiry}}.",
    button: "Answer the survey",
  },
};

/** A reminder's subject says it is one, ahead of the deployment's own subject. */
const REMINDER_PREFIX: Record<Lang, string> = { es: "Recordatorio: ", en: "Reminder: " };

const FOOTER: Record<Lang, { ignore: string; unsubscribe: string; linkLabel: string }> = {
  es: {
    ignore: "Si no desea recibir más encuestas de {{brand}}, puede darse de baja:",
    unsubscribe: "Darse de baja",
    linkLabel: "Si el botón no funciona, copie este enlace en su navegador:",
  },
  en: {
    ignore: "If you would rather not receive more surveys from {{brand}}, you can unsubscribe:",
    unsubscribe: "Unsubscribe",
    linkLabel: "If the button does not work, copy this link into your browser:",
  },
};

/** What a customer is called when the CRM has no name for them. */
const NAMELESS: Record<Lang, string> = { es: "cliente", en: "there" };

const PLACEHOLDER_PATTERN = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** Placeholders used in a piece of text that are not among PLACEHOLDERS, each once, in order. */
export function unknownPlaceholders(text: string): string[] {
  const unknown: string[] = [];
  for (const match of text.matchAll(PLACEHOLDER_PATTERN)) {
    const name = match[1];
    if (!(PLACEHOLDERS as readonly string[]).includes(name) && !unknown.includes(name)) unknown.push(name);
  }
  return unknown;
}

const field = (label: string, max: number) =>
  z
    .string()
    .trim()
    .min(1, `${label}: cannot be empty.`)
    .max(max, `${label}: at most ${max} characters.`)
    .superRefine((value, ctx) => {
      const unknown = unknownPlaceholders(value);
      if (unknown.length > 0) {
        ctx.addIssue({
          code: "custom",
          message: `${label}: unknown placeholder ${unknown.map((u) => `{{${u}}}`).join(", ")}; use ${PLACEHOLDERS.map((p) => `{{${p}}}`).join(", ")}.`,
        });
      }
    });

export const MailTemplateSchema = z.object({
  subject: field("Subject", 200).refine((s) => !/[\r\n]/.test(s), "Subject: one line."),
  text: field("Text", 5000),
  button: field("Button label", 80),
});
export const MailTemplatesSchema = z.object({ es: MailTemplateSchema, en: MailTemplateSchema });

/** Stored templates (JSON), or the defaults when none or unreadable (a bad row never stops a send). */
export function readTemplates(json: string | null | undefined): MailTemplates {
  if (!json) return DEFAULT_TEMPLATES;
  try {
    const parsed = MailTemplatesSchema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : DEFAULT_TEMPLATES;
  } catch {
    return DEFAULT_TEMPLATES;
  }
}

export type MailValues = {
  brand: string;
  customerName: string;
  touchpoint: string;
  expiresAt: Date;
  /** The zone the expiry is written in (the workspace's). */
  timeZone: string;
};

/** The expiry as a customer reads it, in their language and the workspace's time zone. */
export function formatExpiry(at: Date, lang: Lang, timeZone: string): string {
  return new Intl.DateTimeFormat(lang === "es" ? "es-ES" : "en-GB", { dateStyle: "long", timeStyle: "short", timeZone }).format(at);
}

/** The text with each known placeholder replaced; an unknown one (refused on save) is left as written. */
export function fillPlaceholders(text: string, values: Record<Placeholder, string>): string {
  return text.replace(PLACEHOLDER_PATTERN, (whole, name: string) => ((PLACEHOLDERS as readonly string[]).includes(name) ? values[name as Placeholder] : whole));
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

export type RenderedMail = { subject: string; text: string; html: string };

export type RenderInput = {
  template: MailTemplate;
  lang: Lang;
  values: MailValues;
  /** The survey link (the invitation's personal link). */
  link: string;
  unsubscribeUrl: string;
  /** 0 for the invitation, 1.. for reminders. */
  seq?: number;
};

/**
 * The message: subject, plain text and HTML. Values are filled into the template first and the
 * result escaped as a whole, so neither the template nor a customer's name can inject markup;
 * paragraphs (blank lines) become <p>, single line breaks <br>.
 */
export function renderInvitationMail(input: RenderInput): RenderedMail {
  const { lang, values } = input;
  const filled: Record<Placeholder, string> = {
    brand: values.brand,
    customer_name: values.customerName.trim() || NAMELESS[lang],
    touchpoint: values.touchpoint,
    expiry: formatExpiry(values.expiresAt, lang, values.timeZone),
  };
  const fill = (text: string) => fillPlaceholders(text, filled);
  const subject = ((input.seq ?? 0) > 0 ? REMINDER_PREFIX[lang] : "") + fill(input.template.subject).replace(/[\r\n]+/g, " ");
  const body = fill(input.template.text).replace(/\r\n?/g, "\n").trim();
  const button = fill(input.template.button);
  const footer = FOOTER[lang];
  const ignore = fill(footer.ignore);

  const text = `${body}\n\n${button}: ${input.link}\n\n--\n${ignore}\n${input.unsubscribeUrl}\n`;

  const paragraphs = body
    .split(/\n{2,}/)
    .map((p) => `<p style="margin:0 0 16px">${escapeHtml(p).replace(/\n/g, "<br>")}</p>`)
    .join("\n");
  const link = escapeHtml(input.link);
  const unsubscribe = escapeHtml(input.unsubscribeUrl);
  const html = `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(subject)}</title></head>
<body style="margin:0;padding:24px;background:#f5f5f4;font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#1c1917">
<div style="max-width:560px;margin:0 auto;background:#fff;border-radius:8px;padding:24px;font-size:16px;line-height:1.5">
${paragraphs}
<p style="margin:24px 0"><a href="${link}" style="display:inline-block;background:#1d4ed8;color:#fff;text-decoration:none;padding:12px 20px;border-radius:6px;font-weight:600">${escapeHtml(button)}</a></p>
<p style="margin:0 0 16px;font-size:13px;color:#57534e">${escapeHtml(footer.linkLabel)}<br><a href="${link}" style="color:#1d4ed8;word-break:break-all">${link}</a></p>
<hr style="border:none;border-top:1px solid #e7e5e4;margin:24px 0 16px">
<p style="margin:0;font-size:12px;color:#78716c">${escapeHtml(ignore)} <a href="${unsubscribe}" style="color:#78716c">${escapeHtml(footer.unsubscribe)}</a></p>
</div>
</body></html>
`;
  return { subject, text, html };
}
