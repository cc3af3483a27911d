// Where a form may send the browser next (?redirectTo= after sign-in, the language switch): only a
// path on this site. Anything else falls back, so the app can never be used as an open redirect.

/** Longer than any path of the app with its filters; longer targets are not ours. */
const MAX_LENGTH = 2048;
// Browsers drop tabs and newlines inside a URL and trim spaces and controls around it, so
// "/\t/evil.example" is followed as "//evil.example": no whitespace or control character anywhere.
const UNSAFE_CHARACTER = /[\s\p{Cc}\p{Cf}]/u;
// Browsers read "\" as "/", so "/\evil.example" is another site too.
const BACKSLASH = /\\/;
const PROBE_ORIGIN = "http://vivencia.invalid";

/** True when the text, read as a URL path, would leave this site (or could, after decoding). */
function leavesSite(path: string): boolean {
  return !path.startsWith("/") || path.startsWith("//") || BACKSLASH.test(path) || UNSAFE_CHARACTER.test(path);
}

/** The text with its percent-escapes decoded, or null when they are malformed. */
function decoded(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

/**
 * `to` when it is a path on this site, else `fallback`. The path must start with one "/", carry no
 * backslash, whitespace or control character (also not percent-encoded: a proxy or another app may
 * decode them), and resolve against this site to this site. The answer is the normalised path
 * (non-ASCII percent-encoded), so it is always a valid Location header.
 */
export function safeRedirect(to: string | null | undefined, fallback = "/"): string {
  if (typeof to !== "string" || to.length === 0 || to.length > MAX_LENGTH) return fallback;
  if (leavesSite(to)) return fallback;
  const plain = decoded(to);
  if (plain === null || plain.startsWith("//") || BACKSLASH.test(plain) || /\p{Cc}/u.test(plain)) return fallback;
  let url: URL;
  try {
    url = new URL(to, PROBE_ORIGIN);
  } catch {
    return fallback;
  }
  if (url.origin !== PROBE_ORIGIN) return fallback;
  const normalised = url.pathname + url.search + url.hash;
  // Dot segments can fold "/.//evil.example" into "//evil.example": check the result once more.
  return leavesSite(normalised) ? fallback : normalised;
}
