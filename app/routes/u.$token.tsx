// Unsubscribing from invitation e-mail. The link in every message's footer opens this page (a button
// confirms); the List-Unsubscribe header points here too, and a mail client's RFC 8058 one-click POST
// ("List-Unsubscribe=One-Click") opts the customer out at once. Either way they leave every
// deployment of the workspace. The token is signed (app/cem/unsubscribe-token.ts): no sign-in.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { optOutCustomer, unsubscribeTarget } from "~/data/invitation-events.server";
import { useT } from "~/i18n/use-t";

export const meta: MetaFunction = () => [{ name: "robots", content: "noindex" }];

export async function loader({ params }: LoaderFunctionArgs) {
  const target = await unsubscribeTarget(params.token ?? "");
  if (!target) return data({ state: "invalid" as const, brand: "" }, { status: 404 });
  return { state: target.optedOutAt ? ("done" as const) : ("ask" as const), brand: target.brand };
}

export async function action({ params }: ActionFunctionArgs) {
  const target = await unsubscribeTarget(params.token ?? "");
  if (!target) return data({ state: "invalid" as const, brand: "" }, { status: 404 });
  await optOutCustomer(target.workspaceId, target.customerId);
  return { state: "done" as const, brand: target.brand };
}

export default function Unsubscribe() {
  const result = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <main id="main" className="page auth">
      <h1>{t("mail.unsubscribe.title")}</h1>
      {result.state === "invalid" ? <p>{t("mail.unsubscribe.invalid")}</p> : null}
      {result.state === "done" ? <p role="status">{t("mail.unsubscribe.done", { brand: result.brand })}</p> : null}
      {result.state === "ask" ? (
        <Form method="post">
          <p>{t("mail.unsubscribe.ask", { brand: result.brand })}</p>
          <input type="hidden" name="List-Unsubscribe" value="One-Click" />
          <button type="submit">{t("mail.unsubscribe.confirm")}</button>
        </Form>
      ) : null}
    </main>
  );
}
