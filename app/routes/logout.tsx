// Ends the current session (POST only: a link must not sign anyone out).
import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { endSession } from "~/auth/session.server";

export function action({ request }: ActionFunctionArgs) {
  return endSession(request);
}

export function loader() {
  return redirect("/");
}
