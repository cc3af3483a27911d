// Accepting a workspace invitation from its link: sign in (or sign up) with the invited email.
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { getUser } from "~/auth/session.server";
import { acceptPendingInvites, findInviteWithWorkspace } from "~/data/members.server";
import { useT } from "~/i18n/use-t";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const found = await findInviteWithWorkspace(params.token ?? "");
  if (!found) return { state: "invalid" as const };
  const user = await getUser(request);
  if (!user) throw redirect(`/signup?redirectTo=${encodeURIComponent(`/invite/${params.token}`)}`);
  if (user.email !== found.invite.email) return { state: "wrong" as const, email: found.invite.email };
  return { state: "ready" as const, workspace: found.ws.name };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const found = await findInviteWithWorkspace(params.token ?? "");
  const user = await getUser(request);
  if (!found || !user || user.email !== found.invite.email) throw redirect(`/invite/${params.token}`);
  await acceptPendingInvites(user.id, user.email);
  return redirect(`/w/${found.ws.slug}`);
}

export default function Invite() {
  const data = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <main id="main" className="page auth">
      <h1>{t("invite.title")}</h1>
      {data.state === "invalid" ? <p>{t("invite.invalid")}</p> : null}
      {data.state === "wrong" ? <p>{t("invite.wrongEmail", { email: data.email })}</p> : null}
      {data.state === "ready" ? (
        <Form method="post">
          <button type="submit">{t("invite.accept", { workspace: data.workspace })}</button>
        </Form>
      ) : null}
    </main>
  );
}
