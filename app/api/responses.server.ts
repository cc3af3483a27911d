// POST /api/v1/responses: responses collected elsewhere (kiosk, phone, call centre) pushed with a
// workspace API token. The answers are validated against the deployment's published survey version
// and stored exactly as sent; an Idempotency-Key header makes retries safe.
//
// Framework-free (a header getter and the body text in, a status and JSON out): the production
// server (server.js) routes this endpoint straight here, as a fast route, and the Remix route
// (app/routes/api.v1.responses.tsx) wraps the same function, so both answer alike.
import { z } from "zod";
import { UNAUTHORIZED_BODY, workspaceForAuthorization } from "~/api/auth.server";
import { problemBody } from "~/api/errors";
import { rawMemberText } from "~/api/raw-json";
import { findApiTarget } from "~/data/respondent.server";
import type { TokenWorkspace } from "~/data/api-tokens.server";
import { recordResponse, responseForIdempotencyKey } from "~/data/responses.server";
import { DEFAULT_SURVEY_LOCALE, SURVEY_LOCALES } from "~/survey/locales";

export const MAX_RESPONSE_BODY_BYTES = 256 * 1024;
// Offline collectors may send old answers; a completion in the future is a clock error.
const MAX_CLOCK_SKEW_MS = 5 * 60_000;
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

const ResponseBody = z
  .strictObject({
    deployment: z.number().int().positive().optional(),
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
    const started = body.startedAt ? Date.parse(body.startedAt) : null;
    const completed = body.completedAt ? Date.parse(body.completedAt) : Date.now();
    if (completed > Date.now() + MAX_CLOCK_SKEW_MS) {
      ctx.addIssue({ code: "custom", path: ["completedAt"], message: "completedAt is in the future." });
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

export const tooLarge = () => problem(413, "too_large", `The body may not exceed ${MAX_RESPONSE_BODY_BYTES} bytes.`);
export const methodNotAllowed = () => problem(405, "method_not_allowed", "Use POST.", undefined, { Allow: "POST" });

export async function postResponse(request: ApiRequest): Promise<ApiReply> {
  if (request.method !== "POST") return methodNotAllowed();
  const workspace = await workspaceForAuthorization(request.header("Authorization"));
  if (!workspace) return { status: 401, body: UNAUTHORIZED_BODY, headers: { "WWW-Authenticate": "Bearer" } };

  // A key already used is answered by the writer, in the transaction that would have stored the
  // response (recordResponse): "replayed" with the earlier id, nothing new stored.
  const idempotencyKey = request.header("Idempotency-Key") ?? null;
  if (idempotencyKey !== null && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
    return problem(400, "invalid_idempotency_key", "Idempotency-Key must be 1–255 printable ASCII characters.");
  }
  const reply = await recordBody(request, workspace, idempotencyKey);
  if (reply.status < 400 || idempotencyKey === null) return reply;
  // Refused now, but the key was used: a retry of a request that was stored (before its deployment
  // was switched off, say) still gets the response it produced.
  const earlier = await responseForIdempotencyKey(workspace.id, idempotencyKey);
  return earlier === null ? reply : created(earlier, true);
}

async function recordBody(request: ApiRequest, workspace: TokenWorkspace, idempotencyKey: string | null): Promise<ApiReply> {
  const declared = Number(request.header("Content-Length") ?? 0);
  if (declared > MAX_RESPONSE_BODY_BYTES) return tooLarge();
  const text = await request.text();
  if (text.length > MAX_RESPONSE_BODY_BYTES) return tooLarge();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return problem(400, "invalid_json", "The body must be a JSON object.");
  }
  const parsed = ResponseBody.safeParse(json);
  if (!parsed.success) {
    const errors = parsed.error.issues.map((issue) => ({ path: issue.path.join(".") || "", message: issue.message }));
    return problem(400, "invalid", "The request body is not valid.", errors);
  }
  const body = parsed.data;

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
  });
  switch (result.status) {
    case "recorded":
      return created(result.id, false);
    case "replayed":
      return created(result.id, true);
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
