// Finds where a hand-edited journey file stops being JSON, as line and column: JSON.parse reports
// a position in some engines and none in others, and a designer needs to know where to look.

export type JsonSyntaxProblem = { offset: number; line: number; column: number; message: string };

class Stop extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

/** Scans `text` as strict JSON (RFC 8259) and returns the first problem, or null when it is valid. */
export function findJsonSyntaxProblem(text: string): JsonSyntaxProblem | null {
  let at = 0;
  const describe = (i: number) => (i >= text.length ? "end of text" : `character ${JSON.stringify(text[i])}`);
  const fail = (message: string, i = at): never => {
    throw new Stop(i, message);
  };
  const skipSpace = () => {
    while (at < text.length && " \t\n\r".includes(text[at])) at++;
  };
  const expect = (char: string, context: string) => {
    skipSpace();
    if (text[at] !== char) fail(`expected ${JSON.stringify(char)} ${context}, found ${describe(at)}`);
    at++;
  };

  const string = () => {
    const start = at++;
    while (at < text.length) {
      const c = text[at];
      if (c === '"') {
        at++;
        return;
      }
      if (c === "\\") {
        const e = text[at + 1];
        if (e === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(at + 2, at + 6))) fail("invalid \\u escape in string");
          at += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) at += 2;
        else fail(`invalid escape "\\${e ?? ""}" in string`);
      } else if (c < " ") fail("control character inside string (use \\n, \\t…)");
      else at++;
    }
    fail("unterminated string", start);
  };

  const number = () => {
    const match = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(at));
    if (!match) fail(`invalid number, found ${describe(at)}`);
    at += match![0].length;
  };

  const value = (): void => {
    skipSpace();
    const c = text[at];
    if (c === "{") {
      at++;
      skipSpace();
      if (text[at] === "}") {
        at++;
        return;
      }
      for (;;) {
        skipSpace();
        if (text[at] !== '"') fail(`expected a property name in double quotes, found ${describe(at)}`);
        string();
        expect(":", "after property name");
        value();
        skipSpace();
        if (text[at] === ",") at++;
        else if (text[at] === "}") {
          at++;
          return;
        } else fail(`expected "," or "}" after property value, found ${describe(at)}`);
      }
    }
    if (c === "[") {
      at++;
      skipSpace();
      if (text[at] === "]") {
        at++;
        return;
      }
      for (;;) {
        value();
        skipSpace();
        if (text[at] === ",") at++;
        else if (text[at] === "]") {
          at++;
          return;
        } else fail(`expected "," or "]" after array element, found ${describe(at)}`);
      }
    }
    if (c === '"') return string();
    if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) return number();
    for (const word of ["true", "false", "null"]) {
      if (text.startsWith(word, at)) {
        at += word.length;
        return;
      }
    }
    fail(`unexpected ${describe(at)}`);
  };

  try {
    value();
    skipSpace();
    if (at < text.length) fail(`unexpected ${describe(at)} after the end of the document`);
    return null;
  } catch (error) {
    if (!(error instanceof Stop)) throw error;
    return { offset: error.offset, ...lineAndColumn(text, error.offset), message: error.message };
  }
}

/** 1-based line and column of a character offset, as editors count them. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  return { line, column: offset - before.lastIndexOf("\n") };
}
