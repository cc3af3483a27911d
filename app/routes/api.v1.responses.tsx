// POST /api/v1/responses: responses collected elsewhere (kiosk, phone, call centre) pushed with a
// workspace API token. The answers are validated against the deployment's published survey version
// and stored exactly as sent; an Idempotency-Key header makes retries safe.
import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { requireApiWorkspace } from "~/api/auth.server";
import { rawMemberText } from "~/api/raw-json";
import { findApiTarget } from "~/data/respondent.server";
import { recordResponse, responseForIdempotencyKey } from "~/data/responses.server";
import { DEFAULT_SURVEY_LOCALE, SURVEY_LOCALES } from "~/survey/locales";

const MAX_BODY_BYTES = 256 * 1024;
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

type FieldError = { path?: string; question?: string; message: string };

function problem(status: number, error: string, message: string, errors?: FieldError[], headers?: HeadersInit) {
  return Response.json(errors ? { error, message, errors } : { error, message }, { status, headers });
}

/** The token's workspace, or the 401 Response requireApiWorkspace throws. */
function apiWorkspace(request: Request) {
  try {
    return { workspace: requireApiWorkspace(request) };
  } catch (thrown) {
    if (thrown instanceof Response) return { refused: thrown };
    throw thrown;
  }
}

function created(id: number, replayed: boolean) {
  return Response.json({ id }, { status: 201, headers: replayed ? { "Idempotent-Replayed": "true" } : undefined });
}

export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") return problem(405, "method_not_allowed", "Use POST.", undefined, { Allow: "POST" });
  const auth = apiWorkspace(request);
  if (!auth.workspace) return auth.refused;
  const workspace = auth.workspace;

  const idempotencyKey = request.headers.get("Idempotency-Key");
  if (idempotencyKey !== null) {
    if (!IDEMPOTENCY_KEY.test(idempotencyKey)) {
      return problem(400, "invalid_idempotency_key", "Idempotency-Key must be 1–255 printable ASCII characters.");
    }
    const earlier = responseForIdempotencyKey(workspace.id, idempotencyKey);
    if (earlier !== null) return created(earlier, true);
  }

  const declared = Number(request.headers.get("Content-Length") ?? 0);
  if (declared > MAX_BODY_BYTES) return problem(413, "too_large", `The body may not exceed ${MAX_BODY_BYTES} bytes.`);
  const text = await request.text();
  if (text.length > MAX_BODY_BYTES) return problem(413, "too_large", `The body may not exceed ${MAX_BODY_BYTES} bytes.`);
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

  const found = findApiTarget(workspace.id, { deployment: body.deployment, touchpoint: body.touchpoint });
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

export function loader() {
  return problem(405, "method_not_allowed", "Use POST.", undefined, { Allow: "POST" });
}
