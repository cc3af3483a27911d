// The front door: signed-in people go to their workspaces; everyone else sees what Vivencia is.
import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { Link } from "@remix-run/react";
import { getUser } from "~/auth/session.server";
import { useT } from "~/i18n/use-t";

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getUser(request)) throw redirect("/workspaces");
  return null;
}

export default function Index() {
  const t = useT();
  return (
    <main id="main" className="page hero">
      <h1>Vivencia</h1>
      <p>{t("app.tagline")}</p>
      <p className="row">
        <Link className="button" to="/signup">
          {t("auth.signup")}
        </Link>
        <Link className="button secondary" to="/login">
          {t("auth.signin")}
        </Link>
      </p>
    </main>
  );
}
