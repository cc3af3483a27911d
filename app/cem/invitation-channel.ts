// Which channel reaches a customer: the deployment's choice, what the customer gave us (an e-mail
// address, a phone) and what the workspace can send with (a mail server, an SMS provider).
import { z } from "zod";

export type MessageChannel = "email" | "sms";
/**
 * How a deployment's invitations go out: e-mail only; SMS only; or e-mail, with SMS for a customer
 * who has a phone but no e-mail (or when the workspace has no mail server) — the default.
 */
export const CHANNEL_CHOICES = ["email", "sms", "email_sms"] as const;
export type ChannelChoice = (typeof CHANNEL_CHOICES)[number];

/** The deployment's channel form; its message is a key of app/i18n/messages/mail.ts. */
export const ChannelChoiceSchema = z.object({ channel: z.enum(CHANNEL_CHOICES, "mail.channel.invalid") });

export type Contact = { email: string | null; phone: string | null };
export type Transports = { email: boolean; sms: boolean };

/** Where the first message goes, or why it cannot go (the reason is recorded on the skipped send). */
export type Reach = { channel: MessageChannel; skip: null } | { channel: MessageChannel; skip: string };

/** Why this one channel cannot reach the customer, or null when it can. */
function unreachable(channel: MessageChannel, contact: Contact, transports: Transports): string | null {
  if (channel === "email") {
    if (!contact.email?.trim()) return "no e-mail address";
    if (!transports.email) return "no mail server set up";
    return null;
  }
  if (!contact.phone?.trim()) return "no phone number";
  if (!transports.sms) return "no SMS provider set up";
  return null;
}

/**
 * "email_sms" prefers e-mail and turns to SMS when e-mail cannot reach the customer (no address, or no
 * mail server) but a text can; a reminder keeps the channel its first message went on.
 */
export function reachFor(choice: ChannelChoice, contact: Contact, transports: Transports): Reach {
  if (choice !== "email_sms") {
    const why = unreachable(choice, contact, transports);
    return why ? { channel: choice, skip: why } : { channel: choice, skip: null };
  }
  const byMail = unreachable("email", contact, transports);
  if (!byMail) return { channel: "email", skip: null };
  const bySms = unreachable("sms", contact, transports);
  if (!bySms) return { channel: "sms", skip: null };
  return { channel: "email", skip: `${byMail}; ${bySms}` };
}
