// The outbox as CSV (admins): customer, link, state and expiry of every invitation the filter selects.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireMember } from "~/auth/guard.server";
import { getDeployment, linkOrigin } from "~/data/deployments.server";
import { markExpiredInvitations, outboxCsv, outboxQuery } from "~/data/invitations.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { workspace } = await requireMember(request, params.ws, "invitations:create");
  const filter = outboxQuery(new URL(request.url));
  const deploymentId = filter.deploymentId && (await getDeployment(workspace.id, filter.deploymentId)) ? filter.deploymentId : undefined;
  const now = new Date();
  await markExpiredInvitations(workspace.id, now);
  const csv = await outboxCsv(workspace.id, { state: filter.state, deploymentId }, linkOrigin(request), now);
  const day = now.toISOString().slice(0, 10);
  return new Response(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="invitations-${workspace.slug}-${day}.csv"`,
      "Cache-Control": "private, no-store",
    },
  });
}
