// The SMS transport: one HTTP POST of a JSON body to the workspace's provider, whatever the provider.
// The answer is sorted into accepted / temporary failure (try again later) / permanent failure (this
// message will never go), which is all a caller needs to decide between "sent", "retry" and "give up".
import { and, eq } from "drizzle-orm";
import { getDb } from "#db/client";
import { smsSettings } from "#db/schema/index";
import { fillSmsBody, smsBodyTemplateProblem } from "~/cem/sms-body";
import { unseal } from "./sealed-secrets.server";

export type SmsSettingsRow = typeof smsSettings.$inferSelect;

/** Why a message did not go; the settings page and the send log show it with `detail`. */
export type SmsFailureReason =
  | "not_configured" // no SMS settings, or the secret cannot be read
  | "bad_number" // not a phone number
  | "bad_template" // the body template does not give JSON
  | "connection" // refused, DNS, TLS, reset
  | "timeout"
  | "rejected" // the provider answered 4xx: this message as it is will never be accepted
  | "provider_error"; // 5xx, 408 or 429: the provider may take it later

export type SmsResult =
  | { outcome: "accepted"; status: number; response: string }
  | { outcome: "temporary" | "permanent"; reason: SmsFailureReason; status: number | null; detail: string };

const EXCERPT = 300;
const timeoutMs = () => Number(process.env.SMS_TIMEOUT_MS || 10_000);

/** A phone number as providers want it: digits with an optional leading "+", spaces and dashes dropped. */
export function normalizePhone(to: string): string | null {
  const compact = to.replace(/[\s().-]/g, "");
  return /^\+?[0-9]{6,15}$/.test(compact) ? compact : null;
}

export async function getSmsSettingsRow(workspaceId: number): Promise<SmsSettingsRow | null> {
  const [row] = await getDb().select().from(smsSettings).where(and(eq(smsSettings.workspaceId, workspaceId))).limit(1);
  return row ?? null;
}

/** The auth header's value: the named environment variable's, else the sealed one; null when neither is readable. */
export function smsAuthValue(settings: Pick<SmsSettingsRow, "authHeaderEnv" | "authHeaderSealed">): string | null {
  if (settings.authHeaderEnv) return process.env[settings.authHeaderEnv] ?? null;
  return settings.authHeaderSealed ? unseal(settings.authHeaderSealed) : null;
}

function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > EXCERPT ? `${flat.slice(0, EXCERPT)}…` : flat;
}

/** The failure behind a fetch that threw: a timeout, or the connection's own code (ECONNREFUSED…). */
function networkFailure(error: unknown): SmsResult {
  const err = error as Error & { cause?: { code?: string; message?: string } };
  if (err.name === "TimeoutError" || err.name === "AbortError") {
    return { outcome: "temporary", reason: "timeout", status: null, detail: `no answer within ${timeoutMs()} ms` };
  }
  const code = err.cause?.code ?? "";
  const detail = [code, err.cause?.message ?? err.message].filter(Boolean).join(": ");
  return { outcome: "temporary", reason: "connection", status: null, detail: excerpt(detail) };
}

/** Sends one message through the given settings (the settings page's test send uses this directly). */
export async function sendSmsWith(settings: SmsSettingsRow, message: { to: string; text: string }): Promise<SmsResult> {
  const to = normalizePhone(message.to);
  if (!to) return { outcome: "permanent", reason: "bad_number", status: null, detail: `"${excerpt(message.to)}" is not a phone number` };
  const problem = smsBodyTemplateProblem(settings.bodyTemplate);
  if (problem) return { outcome: "permanent", reason: "bad_template", status: null, detail: problem.en };
  const headers: Record<string, string> = { "content-type": "application/json", accept: "application/json, text/plain, */*" };
  if (settings.authHeaderName) {
    const value = smsAuthValue(settings);
    if (value === null) {
      const where = settings.authHeaderEnv ? `environment variable ${settings.authHeaderEnv} is not set` : "the stored value cannot be read";
      return { outcome: "temporary", reason: "not_configured", status: null, detail: `${settings.authHeaderName}: ${where}` };
    }
    headers[settings.authHeaderName] = value;
  }
  const body = fillSmsBody(settings.bodyTemplate, { to, text: message.text, sender: settings.senderId });
  let response: Response;
  try {
    response = await fetch(settings.url, { method: "POST", headers, body, redirect: "error", signal: AbortSignal.timeout(timeoutMs()) });
  } catch (error) {
    return networkFailure(error);
  }
  let text = "";
  try {
    text = await response.text();
  } catch {
    // A body cut off after the status line: the status still decides.
  }
  if (response.ok) return { outcome: "accepted", status: response.status, response: excerpt(text) };
  // 408 and 429 are "not now", like 5xx; any other 4xx will be refused again as it is.
  const temporary = response.status >= 500 || response.status === 408 || response.status === 429;
  return {
    outcome: temporary ? "temporary" : "permanent",
    reason: temporary ? "provider_error" : "rejected",
    status: response.status,
    detail: excerpt(text) || response.statusText,
  };
}

/**
 * Sends one text message through the workspace's provider. Never throws for anything the network or
 * the provider does: the result says whether it was accepted, may be tried again, or never will be.
 */
export async function sendSms(workspaceId: number, message: { to: string; text: string }): Promise<SmsResult> {
  const settings = await getSmsSettingsRow(workspaceId);
  if (!settings) return { outcome: "permanent", reason: "not_configured", status: null, detail: "SMS is not set up for this workspace" };
  return sendSmsWith(settings, message);
}
