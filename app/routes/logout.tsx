// Ends the current session (POST only: a link must not sign anyone out).
import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { endSession, getUser } from "~/auth/session.server";
import { recordAudit } from "~/data/audit.server";
import { clientAddress } from "~/web/context";

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await getUser(request);
  if (user) await recordAudit({ actorUserId: user.id, action: "auth.sign_out", ip: clientAddress(context) || null });
  return endSession(request);
}

export function loader() {
  return redirect("/");
}
