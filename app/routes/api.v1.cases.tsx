// GET /api/v1/cases: the workspace's follow-up cases for a CRM or helpdesk that polls instead of (or as
// well as) receiving webhooks. The token decides the workspace; newest changes first.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { requireApiWorkspace } from "~/api/auth.server";
import { apiProblem } from "~/api/errors";
import { caseStatuses } from "~/cem/case-flow";
import { casesForApi } from "~/data/case-opening.server";

const Query = z.strictObject({
  status: z.enum(caseStatuses, { error: `status is one of ${caseStatuses.join(", ")}` }).optional(),
  updatedSince: z.iso
    .datetime({ offset: true, error: "updatedSince is an ISO 8601 instant, e.g. 2025-01-31T00:00:00Z" })
    // Nothing here predates 1970, and PostgreSQL has no year 0 to compare with.
    .refine((at) => Date.parse(at) >= 0, "updatedSince is before 1970-01-01.")
    .optional(),
  limit: z.coerce.number({ error: "limit is a number" }).int("limit is a whole number").min(1, "limit is at least 1").max(500, "limit is at most 500").default(100),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const workspace = await requireApiWorkspace(request);
  const params = Object.fromEntries(new URL(request.url).searchParams);
  const parsed = Query.safeParse(params);
  if (!parsed.success) {
    const errors = parsed.error.issues.map((issue) => ({ path: issue.path.join(".") || "", message: issue.message }));
    return apiProblem(400, "invalid_query", "The query string is not valid.", { errors });
  }
  const { status, updatedSince, limit } = parsed.data;
  const cases = await casesForApi(workspace.id, { status, updatedSince: updatedSince ? new Date(updatedSince) : undefined, limit });
  return Response.json({ cases });
}

export async function action() {
  return apiProblem(405, "method_not_allowed", "Use GET.", { headers: { Allow: "GET" } });
}
