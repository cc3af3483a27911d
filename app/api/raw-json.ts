// The text of one member of a JSON object exactly as the client wrote it, so that a nested
// payload (the SurveyJS answers of POST /api/v1/responses) is kept byte for byte, never
// re-serialised. Only ever run on text JSON.parse has accepted, so it scans rather than validates.

function skipWhitespace(text: string, i: number): number {
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
    i++;
  }
  return i;
}

/** Index just after the string starting at i (which holds the opening quote). */
function skipString(text: string, i: number): number {
  i++;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x5c) i += 2;
    else if (c === 0x22) return i + 1;
    else i++;
  }
  return i;
}

/** Index just after the value starting at i. */
function skipValue(text: string, i: number): number {
  const first = text.charCodeAt(i);
  if (first === 0x22) return skipString(text, i);
  if (first === 0x7b || first === 0x5b) {
    let depth = 0;
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i = skipString(text, i);
        continue;
      }
      if (c === 0x7b || c === 0x5b) depth++;
      else if (c === 0x7d || c === 0x5d) {
        depth--;
        if (depth === 0) return i + 1;
      }
      i++;
    }
    return i;
  }
  // number, true, false, null
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x2c || c === 0x7d || c === 0x5d || c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) break;
    i++;
  }
  return i;
}

/**
 * The raw text of `member` in the top-level object of `json`; the last occurrence when repeated
 * (as JSON.parse keeps the last). Null when absent or when the top level is not an object.
 */
export function rawMemberText(json: string, member: string): string | null {
  let i = skipWhitespace(json, 0);
  if (json.charCodeAt(i) !== 0x7b) return null;
  i++;
  let found: string | null = null;
  for (;;) {
    i = skipWhitespace(json, i);
    if (json.charCodeAt(i) === 0x7d) return found;
    if (json.charCodeAt(i) !== 0x22) return null;
    const keyEnd = skipString(json, i);
    const rawKey = json.slice(i + 1, keyEnd - 1);
    const key = rawKey.includes("\\") ? (JSON.parse(json.slice(i, keyEnd)) as string) : rawKey;
    i = skipWhitespace(json, keyEnd);
    if (json.charCodeAt(i) !== 0x3a) return null;
    i = skipWhitespace(json, i + 1);
    const valueEnd = skipValue(json, i);
    if (key === member) found = json.slice(i, valueEnd);
    i = skipWhitespace(json, valueEnd);
    const c = json.charCodeAt(i);
    if (c === 0x2c) {
      i++;
      continue;
    }
    return c === 0x7d ? found : null;
  }
}
