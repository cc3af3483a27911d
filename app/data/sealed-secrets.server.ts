// Secrets kept in the database (an SMTP password, a provider's key) are sealed with AES-256-GCM under
// the installation's key, so a copy of the database alone does not give them away. The key comes from
// VIVENCIA_SECRET_KEY (any text of 32 characters or more, hashed to 256 bits; every node of an
// installation needs the same one), or, when that is not set (development, the demo, tests), from a
// key file generated once at VIVENCIA_SECRET_KEY_FILE (default data/secret.key).
import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

const VERSION = "v1";
let cached: Buffer | null = null;

function keyFile(): string {
  return process.env.VIVENCIA_SECRET_KEY_FILE || path.resolve("data", "secret.key");
}

/** Reads the key file, or creates it (once: of two processes racing, the second reads the first's). */
function keyFromFile(): Buffer {
  const file = keyFile();
  try {
    return Buffer.from(fs.readFileSync(file, "utf8").trim(), "base64url");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  try {
    fs.writeFileSync(file, randomBytes(32).toString("base64url") + "\n", { flag: "wx", mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  return Buffer.from(fs.readFileSync(file, "utf8").trim(), "base64url");
}

/** The installation's 256-bit key. */
export function secretKey(): Buffer {
  if (cached) return cached;
  const fromEnv = process.env.VIVENCIA_SECRET_KEY;
  if (fromEnv) {
    if (fromEnv.length < 32) throw new Error("VIVENCIA_SECRET_KEY must be at least 32 characters (e.g. `openssl rand -base64 32`).");
    cached = createHash("sha256").update(fromEnv).digest();
  } else {
    cached = keyFromFile();
    if (cached.length !== 32) throw new Error(`${keyFile()} does not hold a 256-bit key; delete it to have a new one made (sealed secrets must then be entered again).`);
  }
  return cached;
}

/** A key for one purpose, derived from the installation's key (so one purpose's key tells nothing of another's). */
export function purposeKey(purpose: string): Buffer {
  return createHmac("sha256", secretKey()).update(`vivencia:${purpose}`).digest();
}

/** "v1.<iv>.<tag>.<ciphertext>", base64url parts; a fresh 96-bit IV each time. */
export function seal(plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", purposeKey("sealed-secrets"), iv);
  const data = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return [VERSION, iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), data.toString("base64url")].join(".");
}

/** The plain text, or null when the sealed value is malformed or was sealed under another key. */
export function unseal(sealed: string): string | null {
  const [version, iv, tag, data] = sealed.split(".");
  if (version !== VERSION || !iv || !tag || data === undefined) return null;
  try {
    const decipher = createDecipheriv("aes-256-gcm", purposeKey("sealed-secrets"), Buffer.from(iv, "base64url"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(data, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    return null;
  }
}
