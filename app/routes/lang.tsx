// Switches the interface language and remembers it in a cookie.
import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { safeRedirect } from "~/auth/session.server";
import { isLang } from "~/i18n/lang";
import { langCookie } from "~/i18n/lang.server";

export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  const lang = form.get("lang");
  const to = safeRedirect(String(form.get("redirectTo") ?? "/"));
  if (!isLang(lang)) return redirect(to);
  return redirect(to, { headers: { "Set-Cookie": await langCookie.serialize(lang) } });
}

export function loader() {
  return redirect("/");
}
