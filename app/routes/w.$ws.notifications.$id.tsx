// Opening a notification: it is read from then on, and the member lands on its evidence (the
// insights table over the same window, the detractors' responses, or the case).
import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { requireMember } from "~/auth/guard.server";
import { evidenceOf, markRead } from "~/data/notifications.server";
import { notFound } from "~/web/responses.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { workspace, user } = await requireMember(request, params.ws);
  const id = Number(params.id);
  if (!Number.isSafeInteger(id) || id <= 0) throw notFound();
  const path = await evidenceOf(workspace.id, user.id, id);
  if (!path) throw notFound();
  await markRead(workspace.id, user.id, id);
  return redirect(path);
}
