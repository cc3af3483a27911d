// POST /api/v1/invitations: personal invitations for a list of customers (by external id) to one
// deployment of the token's workspace. 201 with each invitation's link; 4xx JSON with field errors.
import type { ActionFunctionArgs } from "@remix-run/node";
import { requireApiWorkspace } from "~/api/auth.server";
import { apiProblem, fieldErrors } from "~/api/errors";
import { parseBoundedJson } from "~/cem/bounded-json";
import { linkOrigin, surveyLink } from "~/data/deployments.server";
import { CreateInvitationsSchema, createInvitationsForCustomers } from "~/data/invitations.server";

// A thousand external ids of up to 200 characters, even escaped, fit under this (the production
// server refuses a larger body as it streams: app/web/body-limit.server.ts).
const MAX_BODY_BYTES = 2 * 1024 * 1024;

export async function loader() {
  return apiProblem(405, "method_not_allowed", "Use POST with a JSON body { deployment, customers, expiresInHours? }.", { headers: { Allow: "POST" } });
}

export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") return apiProblem(405, "method_not_allowed", "Use POST.", { headers: { Allow: "POST" } });
  const workspace = await requireApiWorkspace(request);
  let text: string;
  try {
    text = await request.text();
  } catch {
    return apiProblem(400, "unreadable_body", "The body could not be read (cut off?); send it again.");
  }
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) return apiProblem(413, "too_large", `The body is over ${MAX_BODY_BYTES / 1024 / 1024} MB; send fewer customers per request.`);
  // Depth checked before parsing and keys after (no __proto__/constructor/prototype anywhere).
  const bounded = parseBoundedJson(text);
  if (!bounded.ok) {
    const { error, path, message } = bounded.problem;
    if (error === "invalid_json") {
      return apiProblem(400, "invalid_json", 'The body must be JSON, e.g. {"deployment": 12, "customers": ["C-1001"], "expiresInHours": 72}.');
    }
    return apiProblem(400, error, message, path ? { errors: { [path]: message } } : {});
  }
  const body = bounded.value;
  const parsed = CreateInvitationsSchema.safeParse(body);
  if (!parsed.success) {
    return apiProblem(400, "invalid_request", "Some fields are missing or invalid; see errors.", { errors: fieldErrors(parsed.error) });
  }
  const result = await createInvitationsForCustomers(workspace.id, parsed.data, new Date());
  if (!result) {
    return apiProblem(404, "not_found", `No deployment ${parsed.data.deployment} in this workspace.`, {
      errors: { deployment: "Not a deployment of the workspace this token belongs to." },
    });
  }
  if (!result.ok) return apiProblem(409, "conflict", Object.values(result.errors)[0] ?? "The deployment cannot take invitations.", { errors: result.errors });
  const origin = linkOrigin(request);
  return Response.json(
    {
      deployment: parsed.data.deployment,
      invitations: result.invitations.map((i) => ({
        id: i.id,
        customer: i.customer,
        customerCreated: i.customerCreated,
        state: "pending" as const,
        link: surveyLink(origin, i.token),
        sendAt: i.sendAt.toISOString(),
        expiresAt: i.expiresAt.toISOString(),
      })),
    },
    { status: 201 },
  );
}
