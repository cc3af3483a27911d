// JSON from outside (API bodies, answers, survey definitions, journey files), bounded before any
// work that grows with it: its size and nesting are checked on the text, before it is parsed, and
// keys that name JavaScript's object machinery (and NUL characters) are refused wherever they
// appear. Pure, so the journey reader and the CLI use it as well as the HTTP boundary.
//
// Why: a 100,000-deep nesting parses fine but overflows the stack of every recursive walk after it
// (validation, serialisation); `__proto__`, `constructor` and `prototype` keys turn into prototype
// pollution the day any code merges such an object into another.

/** Deepest nesting accepted: every JSON this app reads is a handful of levels deep. */
export const MAX_JSON_DEPTH = 32;
/** Keys refused anywhere in a JSON value. */
export const FORBIDDEN_JSON_KEYS: readonly string[] = ["__proto__", "constructor", "prototype"];

export type JsonLimits = {
  /** Deepest nesting accepted (an object or array at the top is depth 1). Default MAX_JSON_DEPTH. */
  maxDepth?: number;
  /** Longest text accepted, in characters (UTF-16 code units); unlimited when left out. */
  maxChars?: number;
};

export type JsonProblem = {
  error: "too_large" | "too_deep" | "forbidden_key" | "nul_character" | "invalid_json";
  /** Where in the value, e.g. `answers.q1[0].__proto__`; "" for the whole text. */
  path: string;
  message: string;
};

export type BoundedJson = { ok: true; value: unknown } | { ok: false; problem: JsonProblem };

/**
 * The offset of the bracket at which `text` nests deeper than `maxDepth`, or -1 when it never does.
 * A string-aware scan that allocates nothing, so it is safe on text of any depth and any validity.
 */
export function nestingBeyond(text: string, maxDepth: number): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // a backslash escapes the next character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > maxDepth) return i;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return -1;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `base` followed by a member name, the way a JavaScript reader would write it. */
export function memberPath(base: string, key: string | number): string {
  if (typeof key === "number") return `${base}[${key}]`;
  if (!IDENTIFIER.test(key)) return `${base}[${JSON.stringify(key)}]`;
  return base === "" ? key : `${base}.${key}`;
}

export type UnsafeMember =
  | { reason: "forbidden_key"; key: string; path: string }
  /** A NUL character in a key or a string: no use in any text here, and PostgreSQL refuses it. */
  | { reason: "nul_character"; path: string };

/**
 * The first forbidden key or NUL character in `value` (depth-first), with its path, or null.
 * Iterative, so a value built elsewhere (not through the depth check) cannot overflow the stack.
 */
export function unsafeMember(value: unknown, base = ""): UnsafeMember | null {
  const stack: [unknown, string][] = [[value, base]];
  while (stack.length > 0) {
    const [node, path] = stack.pop()!;
    if (typeof node === "string") {
      if (node.includes("\0")) return { reason: "nul_character", path };
      continue;
    }
    if (typeof node !== "object" || node === null) continue;
    if (Array.isArray(node)) {
      for (let i = node.length - 1; i >= 0; i--) stack.push([node[i], memberPath(path, i)]);
      continue;
    }
    // Own keys only: JSON.parse makes "__proto__" an own property, never the prototype.
    const keys = Object.keys(node);
    for (const key of keys) {
      if (FORBIDDEN_JSON_KEYS.includes(key)) return { reason: "forbidden_key", key, path: memberPath(path, key) };
      if (key.includes("\0")) return { reason: "nul_character", path: memberPath(path, key) };
    }
    for (let i = keys.length - 1; i >= 0; i--) stack.push([(node as Record<string, unknown>)[keys[i]], memberPath(path, keys[i])]);
  }
  return null;
}

/** The problem an unsafe member is reported as, naming its path. */
export function unsafeMemberProblem(found: UnsafeMember): JsonProblem {
  const at = found.path || "the top level";
  if (found.reason === "nul_character") {
    return { error: "nul_character", path: found.path, message: `A NUL character (\\u0000) is not allowed (at ${at}); remove it.` };
  }
  return { error: "forbidden_key", path: found.path, message: `The key "${found.key}" is not allowed (at ${at}); rename it.` };
}

/** The size and depth problem of `text`, if any, found without parsing it. */
export function jsonTextProblem(text: string, limits: JsonLimits = {}): JsonProblem | null {
  const maxDepth = limits.maxDepth ?? MAX_JSON_DEPTH;
  if (limits.maxChars !== undefined && text.length > limits.maxChars) {
    return { error: "too_large", path: "", message: `The JSON is longer than ${limits.maxChars} characters.` };
  }
  const at = nestingBeyond(text, maxDepth);
  if (at >= 0) {
    return { error: "too_deep", path: "", message: `The JSON is nested deeper than ${maxDepth} levels (at character ${at + 1}); at most ${maxDepth} are accepted.` };
  }
  return null;
}

/**
 * Parses `text` as JSON within the limits: size and depth checked on the text first, then parsed,
 * then every key and string checked. Never throws.
 */
export function parseBoundedJson(text: string, limits: JsonLimits = {}): BoundedJson {
  const problem = jsonTextProblem(text, limits);
  if (problem) return { ok: false, problem };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, problem: { error: "invalid_json", path: "", message: `The text is not valid JSON: ${(error as Error).message}` } };
  }
  const found = unsafeMember(value);
  if (found !== null) return { ok: false, problem: unsafeMemberProblem(found) };
  return { ok: true, value };
}

/**
 * A canonical text of a JSON value: object keys sorted at every level, no spacing. Two values that
 * mean the same JSON (keys in another order, `1.0` and `1`) give the same text. Only for values
 * within the depth limit (the recursion follows the nesting).
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, member: unknown) => {
    if (typeof member !== "object" || member === null || Array.isArray(member)) return member;
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(member).sort()) {
      Object.defineProperty(sorted, key, { value: (member as Record<string, unknown>)[key], enumerable: true, writable: true, configurable: true });
    }
    return sorted;
  });
}
