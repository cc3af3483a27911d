// "Export everything" on the customer page (admins; GDPR article 15): one JSON document of all the
// workspace holds about the customer, downloaded, and the export audited. POST only, so that no
// prefetch, crawler or shared link can export anyone's data.
import type { ActionFunctionArgs } from "@remix-run/node";
import { requireMember } from "~/auth/guard.server";
import { recordAudit } from "~/data/audit.server";
import { exportCustomer } from "~/data/customer-privacy.server";
import { clientAddress } from "~/web/context";
import { notFound } from "~/web/responses.server";

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { workspace, user } = await requireMember(request, params.ws, "customers:privacy");
  const id = /^\d{1,15}$/.test(params.id ?? "") ? Number(params.id) : NaN;
  const exported = Number.isSafeInteger(id) ? await exportCustomer(workspace.id, id) : null;
  if (!exported) throw notFound("No such customer in this workspace.");
  // Named by row id: the log must not keep the identity an erasure later removes.
  await recordAudit({ workspaceId: workspace.id, actorUserId: user.id, action: "customer.exported", target: `#${id}`, ip: clientAddress(context) || null });
  return new Response(JSON.stringify(exported, null, 2), {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="customer-${id}.json"`,
      "Cache-Control": "no-store",
    },
  });
}

export function loader() {
  return new Response("Use the button on the customer page.", { status: 405, headers: { Allow: "POST" } });
}
