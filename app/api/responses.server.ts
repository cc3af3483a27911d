// POST /api/v1/responses: responses collected elsewhere (kiosk, phone, call centre) pushed with a
// workspace API token. The answers are validated against the deployment's published survey version
// and stored exactly as sent; an Idempotency-Key header makes retries safe: the same request again
// is answered with the response it produced, a different request under a used key is refused (422).
//
// Framework-free (a header getter and the body text in, a status and JSON out): the production
// server (server.js) routes this endpoint straight here, as a fast route, and the Remix route
// (app/routes/api.v1.responses.tsx) wraps the same function, so both answer alike.
import { createHash } from "node:crypto";
import { z } from "zod";
import { unwritableCode } from "#db/unwritable";
import { UNAUTHORIZED_BODY, workspaceForAuthorization } from "~/api/auth.server";
import { limitApiToken } from "~/web/rate-limit.server";
import { problemBody } from "~/api/errors";
import { rawMemberText } from "~/api/raw-json";
import { canonicalJson, parseBoundedJson } from "~/cem/bounded-json";
import { instantProblem } from "~/cem/instant-bounds";
import { RowIdSchema } from "~/cem/row-id";
import { findApiTarget } from "~/data/respondent.server";
import type { TokenWorkspace } from "~/data/api-tokens.server";
import { recordResponse, responseForIdempotencyKey } from "~/data/responses.server";
import { DEFAULT_SURVEY_LOCALE, SURVEY_LOCALES } from "~/survey/locales";
import { logUnwritable, RETRY_AFTER_SECONDS, UNKNOWN_OUTCOME_MESSAGE, UNWRITABLE_MESSAGE } from "~/web/route-failures.server";

export const MAX_RESPONSE_BODY_BYTES = 256 * 1024;
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

const ResponseBody = z
  .strictObject({
    deployment: RowIdSchema.optional(),
    touchpoint: z.string().trim().min(1).max(200).optional(),
    answers: z.record(z.string(), z.unknown()),
    customer: z.string().trim().min(1).max(200).optional(),
    lang: z.enum(SURVEY_LOCALES).optional(),
    startedAt: z.iso.datetime({ offset: true }).optional(),
    completedAt: z.iso.datetime({ offset: true }).optional(),
  })
  .superRefine((body, ctx) => {
    if ((body.deployment === undefined) === (body.touchpoint === undefined)) {
      ctx.addIssue({ code: "custom", path: ["deployment"], message: "Name the deployment (id) or the touchpoint (key), one of the two." });
    }
    // Offline collectors may send old answers, but none from before 1970 (the workspace's own
    // floor is checked once the workspace is known); a completion in the future is a clock error.
    const now = Date.now();
    const started = body.startedAt ? Date.parse(body.startedAt) : null;
    const completed = body.completedAt ? Date.parse(body.completedAt) : now;
    for (const [field, ms] of [["startedAt", started], ["completedAt", completed]] as const) {
      const problem = ms === null ? null : instantProblem(field, ms, { now });
      if (problem) ctx.addIssue({ code: "custom", path: [field], message: problem });
    }
    if (started !== null && started > completed) {
      ctx.addIssue({ code: "custom", path: ["startedAt"], message: "startedAt is after completedAt." });
    }
  });

/** What an API endpoint needs of a request, whichever server received it. */
export type ApiRequest = {
  method: string;
  /** The client's address (server.js: the socket's, or the forwarded one under TRUST_PROXY). */
  address: string;
  header: (name: string) => string | null | undefined;
  /** The body as text; the caller refuses bodies over MAX_RESPONSE_BODY_BYTES before reading them. */
  text: () => Promise<string>;
};

/** A JSON answer: status, body and extra headers. */
export type ApiReply = { status: number; body: unknown; headers?: Record<string, string> };

type FieldError = { path?: string; question?: string; message: string };

function problem(status: number, error: string, message: string, errors?: FieldError[], headers?: Record<string, string>): ApiReply {
  return { status, body: problemBody(error, message, errors), headers };
}

function created(id: number, replayed: boolean): ApiReply {
  return { status: 201, body: { id }, headers: replayed ? { "Idempotent-Replayed": "true" } : undefined };
}

/**
 * The answer to a request whose Idempotency-Key already produced response `id`: that response
 * again when the request is the same (or the response predates request hashes: `stored` null),
 * otherwise 422, as payment APIs do: a key names one request, never another.
 */
function replayOrRefuse(id: number, stored: string | null, requestHash: string | null): ApiReply {
  if (stored === null || stored === requestHash) return created(id, true);
  return problem(
    422,
    "idempotency_key_reused",
    "This Idempotency-Key was already used for a different request (other answers, deployment, customer or times); use a new key for a new response.",
  );
}

/** sha256 of the canonical JSON of a request body: what an Idempotency-Key is bound to. */
export function requestHashOf(body: unknown): string {
  return createHash("sha256").update(canonicalJson(body)).digest("hex");
}

export const tooLarge = () => problem(413, "too_large", `The body may not exceed ${MAX_RESPONSE_BODY_BYTES} bytes.`);
export const methodNotAllowed = () => problem(405, "method_not_allowed", "Use POST.", undefined, { Allow: "POST" });

/**
 * POST /api/v1/responses. A failure is answered here, never thrown to the server: 503 "nothing was
 * stored, retry later" when the database cannot be written (the transaction rolled back), else 500
 * saying the outcome is unknown (the commit may have happened before the failure) and that a retry
 * with the same Idempotency-Key is safe.
 */
export async function postResponse(request: ApiRequest): Promise<ApiReply> {
  // Failing to read the body (too large, cut off) is the server's to answer, as before.
  let bodyFailure: unknown;
  const reading: ApiRequest = { ...request, text: () => request.text().catch((error: unknown) => Promise.reject((bodyFailure = error))) };
  try {
    return await answerPostResponse(reading);
  } catch (error) {
    if (bodyFailure !== undefined && error === bodyFailure) throw error;
    if (unwritableCode(error) !== null) {
      logUnwritable(error, "POST /api/v1/responses");
      return problem(503, "unavailable", UNWRITABLE_MESSAGE, undefined, { "Retry-After": String(RETRY_AFTER_SECONDS) });
    }
    console.error(error);
    return problem(500, "internal", UNKNOWN_OUTCOME_MESSAGE);
  }
}

async function answerPostResponse(request: ApiRequest): Promise<ApiReply> {
  if (request.method !== "POST") return methodNotAllowed();
  const workspace = await workspaceForAuthorization(request.header("Authorization"));
  if (!workspace) return { status: 401, body: UNAUTHORIZED_BODY, headers: { "WWW-Authenticate": "Bearer" } };
  // The token's rate limit: counted in memory, shared through the database once a second (ADR 017).
  const limited = await limitApiToken(workspace.tokenId);
  if (limited) return limited;

  // A key already used is answered by the writer, in the transaction that would have stored the
  // response (recordResponse): "replayed" with the earlier id, nothing new stored.
  const idempotencyKey = request.header("Idempotency-Key") ?? null;
  if (idempotencyKey !== null && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
    return problem(400, "invalid_idempotency_key", "Idempotency-Key must be 1–255 printable ASCII characters.");
  }
  const { reply, requestHash } = await recordBody(request, workspace, idempotencyKey);
  // A body that could not be read as JSON within the limits (too large, too deep…) is refused as
  // such: it cannot be the request that was stored.
  if (reply.status < 400 || idempotencyKey === null || requestHash === null) return reply;
  // Refused now, but the key was used: a retry of the request that was stored (before its deployment
  // was switched off, say) still gets the response it produced; another request gets 422.
  const earlier = await responseForIdempotencyKey(workspace.id, idempotencyKey);
  return earlier === null ? reply : replayOrRefuse(earlier.id, earlier.requestHash, requestHash);
}

type BodyOutcome = { reply: ApiReply; requestHash: string | null };

async function recordBody(request: ApiRequest, workspace: TokenWorkspace, idempotencyKey: string | null): Promise<BodyOutcome> {
  const refused = (reply: ApiReply, requestHash: string | null = null): BodyOutcome => ({ reply, requestHash });
  const declared = Number(request.header("Content-Length") ?? 0);
  if (declared > MAX_RESPONSE_BODY_BYTES) return refused(tooLarge());
  const text = await request.text();
  if (text.length > MAX_RESPONSE_BODY_BYTES) return refused(tooLarge());
  // Depth and keys are checked before anything walks the value (validation, serialisation).
  const bounded = parseBoundedJson(text);
  if (!bounded.ok) {
    const { error, path, message } = bounded.problem;
    if (error === "invalid_json") return refused(problem(400, "invalid_json", "The body must be a JSON object."));
    return refused(problem(400, error, message, path ? [{ path, message }] : undefined));
  }
  const json = bounded.value;
  const requestHash = requestHashOf(json);
  const parsed = ResponseBody.safeParse(json);
  if (!parsed.success) {
    const errors = parsed.error.issues.map((issue) => ({ path: issue.path.join(".") || "", message: issue.message }));
    return refused(problem(400, "invalid", "The request body is not valid.", errors), requestHash);
  }
  const body = parsed.data;
  // Nothing the workspace records can have happened before it existed.
  const floor = { now: Date.now(), notBefore: workspace.createdAt.getTime(), notBeforeWhat: "the workspace was created" };
  const early = (["startedAt", "completedAt"] as const).flatMap((field) => {
    const value = body[field];
    const message = value === undefined ? null : instantProblem(field, Date.parse(value), floor);
    return message ? [{ path: field, message }] : [];
  });
  if (early.length > 0) return refused(problem(400, "invalid", "The request body is not valid.", early), requestHash);
  return { reply: await recordValid(body, text, workspace, idempotencyKey, requestHash), requestHash };
}

async function recordValid(
  body: z.output<typeof ResponseBody>,
  text: string,
  workspace: TokenWorkspace,
  idempotencyKey: string | null,
  requestHash: string,
): Promise<ApiReply> {
  const found = await findApiTarget(workspace.id, { deployment: body.deployment, touchpoint: body.touchpoint });
  if (!found.ok) {
    return found.reason === "not_found"
      ? problem(404, "not_found", body.deployment !== undefined ? "No such deployment in this workspace." : "No active deployment at that touchpoint in this workspace.")
      : problem(409, "unpublished", "The deployment's survey has no published version.");
  }
  const { target } = found;

  const result = await recordResponse({
    workspaceId: workspace.id,
    versionId: target.version.id,
    touchpointId: target.touchpointId,
    deploymentId: target.deploymentId,
    customerExternalId: body.customer ?? null,
    lang: body.lang ?? DEFAULT_SURVEY_LOCALE,
    source: "api",
    // The answers as the client wrote them (JSON.parse accepted the body, so the member is there).
    data: rawMemberText(text, "answers") ?? JSON.stringify(body.answers),
    answers: body.answers,
    startedAt: body.startedAt ? new Date(body.startedAt) : null,
    completedAt: body.completedAt ? new Date(body.completedAt) : undefined,
    idempotencyKey,
    requestHash: idempotencyKey === null ? null : requestHash,
  });
  switch (result.status) {
    case "recorded":
      return created(result.id, false);
    case "replayed":
      return replayOrRefuse(result.id, result.requestHash ?? null, requestHash);
    case "invalid":
      return problem(
        400,
        "invalid_answers",
        "The answers do not fit the survey version; nothing was stored.",
        result.errors.map((e) => ({ question: e.question, message: e.message })),
      );
    default:
      // Only invitations are single-use or expire, and the API does not take invitations.
      return problem(409, result.status, "The response was not recorded.");
  }
}
