// Switches the interface language and remembers it in a cookie, and for a signed-in person also on
// their account: alert and digest e-mails are written in it.
import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { getUser, safeRedirect } from "~/auth/session.server";
import { rememberUserLang } from "~/data/users.server";
import { isLang } from "~/i18n/lang";
import { langCookie } from "~/i18n/lang.server";
import { readFormData } from "~/web/request-body.server";

export async function action({ request }: ActionFunctionArgs) {
  // A body that is not a readable form switches nothing: back to the home page (never a 500).
  const form = (await readFormData(request)) ?? new FormData();
  const lang = form.get("lang");
  const target = form.get("redirectTo");
  // Back to the page the switch was on, if that is a path on this site (app/web/redirect-target.ts).
  const to = safeRedirect(typeof target === "string" ? target : null);
  if (!isLang(lang)) return redirect(to);
  const user = await getUser(request);
  if (user) await rememberUserLang(user.id, lang);
  return redirect(to, { headers: { "Set-Cookie": await langCookie.serialize(lang) } });
}

export function loader() {
  return redirect("/");
}
