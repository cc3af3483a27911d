// A local SMTP catcher (smtp-server): it accepts every message on localhost and keeps it as a .eml
// file in a folder, which the "Mailbox (demo)" page reads. `npm run demo` runs one inside the app
// (VIVENCIA_MAIL_CATCHER_PORT) with the demo workspace sending to it; the tests start their own with
// hooks to refuse a recipient (a bounce) or to act before a message is accepted (a crash mid-send).
// Never for production: it accepts anything and stores it unencrypted.
import fs from "node:fs";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { simpleParser } from "mailparser";
import { SMTPServer, type SMTPServerSession } from "smtp-server";

export type CaughtMessage = { file: string; raw: Buffer; from: string; to: string[]; receivedAt: Date };

export type CatcherOptions = {
  dir: string;
  port?: number;
  host?: string;
  /** A permanent refusal ("550 …" text) for a recipient, or null to take it. */
  refuseRecipient?: (address: string) => string | null;
  /** Runs once a message's data has arrived, before it is accepted; the message is kept only if the client is still there after. */
  beforeAccept?: (raw: Buffer, session: SMTPServerSession) => Promise<void>;
};

export type MailCatcher = {
  port: number;
  dir: string;
  messages: () => CaughtMessage[];
  /** Resolves when the client of this SMTP session has disconnected (a test's "the sender died"). */
  clientGone: (sessionId: string) => Promise<void>;
  /** Resolves once at least `n` messages are kept; rejects after `timeoutMs`. */
  waitFor: (n: number, timeoutMs?: number) => Promise<CaughtMessage[]>;
  close: () => Promise<void>;
};

/** Refuses any address at bounce.invalid, so the demo and the tests can show a bounce. */
export const refuseBounceDomain = (address: string) => (/@bounce\.invalid$/i.test(address) ? "550 5.1.1 No such user here" : null);

export async function startMailCatcher(options: CatcherOptions): Promise<MailCatcher> {
  fs.mkdirSync(options.dir, { recursive: true });
  const kept: CaughtMessage[] = [];
  const closed = new Set<string>();
  const waiters = new Set<() => void>();
  const goneWaiters = new Map<string, () => void>();
  let seq = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    banner: "Vivencia mail catcher",
    onRcptTo(address, _session, callback) {
      const refusal = options.refuseRecipient?.(address.address) ?? null;
      if (!refusal) return callback();
      const error = Object.assign(new Error(refusal.replace(/^\d{3}\s*/, "")), { responseCode: Number(refusal.slice(0, 3)) || 550 });
      callback(error);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        const raw = Buffer.concat(chunks);
        void (async () => {
          if (options.beforeAccept) await options.beforeAccept(raw, session);
          // A client gone before the answer never saw the message accepted: it is not kept.
          if (closed.has(session.id)) return callback(new Error("client went away"));
          const receivedAt = new Date();
          const file = path.join(options.dir, `${receivedAt.getTime()}-${process.pid}-${String(++seq).padStart(6, "0")}.eml`);
          fs.writeFileSync(file, raw);
          kept.push({ file, raw, from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "", to: session.envelope.rcptTo.map((r) => r.address), receivedAt });
          for (const wake of waiters) wake();
          callback();
        })().catch((error: unknown) => callback(error instanceof Error ? error : new Error(String(error))));
      });
    },
    onClose(session) {
      closed.add(session.id);
      goneWaiters.get(session.id)?.();
    },
  });
  server.on("error", (error) => console.warn("[mail-catcher]", error.message));
  await new Promise<void>((resolve, reject) => {
    server.server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    dir: options.dir,
    messages: () => [...kept],
    clientGone: (sessionId) =>
      closed.has(sessionId) ? Promise.resolve() : new Promise<void>((resolve) => goneWaiters.set(sessionId, resolve)),
    waitFor(n, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (kept.length >= n) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve([...kept]);
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`the catcher holds ${kept.length} message(s), waited for ${n}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

// ---- The app's side: the demo catcher and the mailbox page ------------------------------------------

/** The folder caught messages are read from, when a catcher runs for this installation. */
export function mailboxDir(): string | null {
  return process.env.VIVENCIA_MAIL_CATCHER_DIR || null;
}

let demoCatcher: Promise<MailCatcher> | null = null;

/** With VIVENCIA_MAIL_CATCHER_PORT set (the demo): a catcher on that port, keeping messages in data/mailbox. */
export function startCatcherFromEnv(): void {
  const port = process.env.VIVENCIA_MAIL_CATCHER_PORT;
  if (!port || demoCatcher) return;
  const dir = process.env.VIVENCIA_MAIL_CATCHER_DIR || path.resolve("data", "mailbox");
  process.env.VIVENCIA_MAIL_CATCHER_DIR = dir;
  demoCatcher = startMailCatcher({ dir, port: Number(port), refuseRecipient: refuseBounceDomain });
  demoCatcher.then(
    (c) => console.log(`Mail catcher (demo) on smtp://127.0.0.1:${c.port}, messages in ${dir}`),
    (error: unknown) => console.warn(`[mail-catcher] not started on port ${port}: ${error instanceof Error ? error.message : String(error)}`),
  );
}

export type MailboxEntry = { id: string; subject: string; to: string; from: string; date: Date | null };

const ID = /^[0-9]+-[0-9]+-[0-9]{6}$/;

/** The newest caught messages first (at most `limit`). */
export async function listMailbox(limit = 100): Promise<MailboxEntry[] | null> {
  const dir = mailboxDir();
  if (!dir) return null;
  let files: string[];
  try {
    files = fs.readdirSync(dir).filter((f) => f.endsWith(".eml"));
  } catch {
    return [];
  }
  files.sort((a, b) => (a < b ? 1 : a > b ? -1 : 0));
  const out: MailboxEntry[] = [];
  for (const file of files.slice(0, limit)) {
    const parsed = await simpleParser(fs.readFileSync(path.join(dir, file)), { skipHtmlToText: true, skipTextToHtml: true, skipImageLinks: true });
    out.push({ id: file.replace(/\.eml$/, ""), subject: parsed.subject ?? "", to: parsed.to ? [parsed.to].flat().map((a) => a.text).join(", ") : "", from: parsed.from?.text ?? "", date: parsed.date ?? null });
  }
  return out;
}

export type MailboxMessage = MailboxEntry & { text: string; html: string | null; headers: [string, string][] };

/** One caught message, parsed; null when the catcher is off or the id names none. */
export async function readMailboxMessage(id: string): Promise<MailboxMessage | null> {
  const dir = mailboxDir();
  if (!dir || !ID.test(id)) return null;
  const file = path.join(dir, `${id}.eml`);
  if (!fs.existsSync(file)) return null;
  const parsed = await simpleParser(fs.readFileSync(file));
  const headers: [string, string][] = parsed.headerLines.map((h) => [h.key, h.line.slice(h.line.indexOf(":") + 1).trim()]);
  return {
    id,
    subject: parsed.subject ?? "",
    to: parsed.to ? [parsed.to].flat().map((a) => a.text).join(", ") : "",
    from: parsed.from?.text ?? "",
    date: parsed.date ?? null,
    text: parsed.text ?? "",
    html: typeof parsed.html === "string" ? parsed.html : null,
    headers,
  };
}
